"""Citizen dossier API (docs/api.md): drafts, submission, my dossiers, withdrawal.

Every object is looked up among the caller's own dossiers only, so another citizen's dossier
answers exactly like one that does not exist (404). Rules live in ``dossiers.services``;
its ``DossierError`` becomes the standard error body in ``api.errors``.
"""

import hashlib

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import get_language
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.decorators import api_view, permission_classes
from rest_framework.generics import ListAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from motcua.api import dossier_inputs as inp
from motcua.api import dossier_serializers as ser
from motcua.api.idempotency import IDEMPOTENCY_HEADER, idempotent
from motcua.api.pagination import PageNumberPagination
from motcua.api.schema import errors
from motcua.catalog.selectors import catalogue_generation
from motcua.documents import selectors as documents
from motcua.documents.services import submission_receipt_pdf
from motcua.dossiers import selectors, services
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import DossierError


def own(request, reference: str) -> Dossier:
    dossier = selectors.own_dossier(request.user, reference)
    if dossier is None:
        raise DossierError("not_found", "Không tìm thấy hồ sơ.", 404)
    return dossier


def own_ref(request, reference: str) -> Dossier:
    dossier = selectors.own_dossier_ref(request.user, reference)
    if dossier is None:
        raise DossierError("not_found", "Không tìm thấy hồ sơ.", 404)
    return dossier


def detail_response(request, reference: str, status: int = 200) -> Response:
    dossier = own(request, reference)
    return Response(ser.DossierDetailOut(dossier, context={"request": request}).data, status)


def _applicant(data: dict | None, base: services.Applicant) -> services.Applicant | None:
    if data is None:
        return None
    return services.Applicant(**{**base.__dict__, **data})


def _delivery(data: dict | None, base: services.Delivery) -> services.Delivery | None:
    if data is None:
        return None
    return services.Delivery(**{**base.__dict__, **data})


def _current(d: Dossier) -> tuple[services.Applicant, services.Delivery, services.Applicant]:
    applicant = services.Applicant(
        full_name=d.applicant_name,
        id_number=d.applicant_id_number,
        phone=d.applicant_phone,
        email=d.applicant_email,
        address=d.applicant_address,
    )
    delivery = services.Delivery(
        method=d.delivery_method,
        commune=d.delivery_commune.code if d.delivery_commune else "",
        address=d.delivery_address,
    )
    submitter = services.Applicant(
        full_name=d.submitter_name,
        id_number=d.submitter_id_number,
        phone=d.submitter_phone,
        email=d.submitter_email,
    )
    return applicant, delivery, submitter


# How long a kept page may sit unused; a change to the account's dossiers makes a new key.
LIST_CACHE_SECONDS = 300


class _KeyPage(Page):
    def __init__(self, object_list, number, paginator):
        super().__init__(selectors.my_dossiers_page(object_list), number, paginator)


class _KeyPaginator(Paginator):
    def _get_page(self, *args, **kwargs):
        return _KeyPage(*args, **kwargs)


class _KeyPagination(PageNumberPagination):
    """Counts and cuts the bare keys of ``selectors.my_dossier_keys``; the page's rows are
    then read in one statement (that selector says why)."""

    django_paginator_class = _KeyPaginator


class DossierList(ListAPIView):
    """Hồ sơ của tôi (kể cả bản nháp), mới nhất trước; hoặc tạo hồ sơ nháp mới."""

    permission_classes = [IsAuthenticated]
    serializer_class = ser.DossierListOut
    pagination_class = _KeyPagination

    def get_queryset(self):
        return selectors.my_dossier_keys(self.request.user)

    def list(self, request, *args, **kwargs):
        # A page is kept under the account's stamp (selectors.my_dossiers_stamp), the
        # catalogue's generation (procedure and agency names) and the exact URL asked for
        # (page, size, the host the links are built on): a citizen coming back to the list
        # costs one aggregate over their own dossiers instead of reading and shaping a page.
        count, latest = selectors.my_dossiers_stamp(request.user)
        url = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
        key = (
            f"api:my-dossiers:{request.user.pk}:{count}:{latest.isoformat() if latest else ''}:"
            f"{catalogue_generation()}:{get_language()}:{url}"
        )
        data = cache.get(key)
        if data is None:
            response = super().list(request, *args, **kwargs)
            cache.set(key, response.data, LIST_CACHE_SECONDS)
            return response
        return Response(data)

    @extend_schema(
        tags=["dossiers"],
        summary="Hồ sơ của tôi",
        responses={200: ser.DossierListOut, **errors(401)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=["dossiers"],
        summary="Tạo hồ sơ nháp",
        description=(
            "`agency` là bắt buộc với thủ tục cấp xã (`competence_level` = `xa`) mà mọi xã, "
            "phường cùng giải quyết: thiếu, hoặc không phải UBND xã, phường đang hoạt động, thì "
            "trả 400 với `fields.agency`. "
            "Thủ tục không tồn tại: 404."
        ),
        request=inp.DossierCreateIn,
        parameters=[IDEMPOTENCY_HEADER],
        responses={201: ser.CreatedOut, **errors(400, 401, 404)},
    )
    def post(self, request, *args, **kwargs):
        return idempotent(request, "create", lambda: self._create(request))

    def _create(self, request):
        data = inp.DossierCreateIn(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        draft = services.create_draft(
            owner=request.user,
            procedure_code=v["procedure"].strip(),
            agency_code=v["agency"].strip() or None,
            applicant=_applicant(v.get("applicant"), services.Applicant()),
            delivery=_delivery(v.get("delivery"), services.Delivery()),
            note=v["note"],
            on_behalf=v.get("on_behalf"),
            submitter=_applicant(v.get("submitter"), services.Applicant()),
        )
        return Response({"id": str(draft.public_id), "status": "draft"}, status=201)


@extend_schema(
    methods=["GET"],
    tags=["dossiers"],
    summary="Chi tiết hồ sơ (theo mã số hồ sơ hoặc id bản nháp)",
    responses={200: ser.DossierDetailOut, **errors(401, 404)},
)
@extend_schema(
    methods=["PATCH"],
    tags=["dossiers"],
    summary="Sửa hồ sơ nháp",
    request=inp.DossierPatchIn,
    responses={200: ser.DossierDetailOut, **errors(400, 401, 404, 409)},
)
@extend_schema(
    methods=["DELETE"],
    tags=["dossiers"],
    summary="Hủy hồ sơ nháp",
    responses={204: None, **errors(401, 404, 409)},
)
@api_view(["GET", "PATCH", "DELETE"])
@permission_classes([IsAuthenticated])
def dossier_detail(request, code):
    if request.method == "GET":
        return detail_response(request, code)
    dossier = own(request, code)
    if request.method == "DELETE":
        services.discard_draft(dossier, actor=request.user)
        return Response(status=204)
    # partial: nested objects keep only the keys sent, so a PATCH changes only what it names.
    data = inp.DossierPatchIn(data=request.data, partial=True)
    data.is_valid(raise_exception=True)
    v = data.validated_data
    applicant, delivery, submitter = _current(dossier)
    services.update_draft(
        dossier,
        actor=request.user,
        applicant=_applicant(v.get("applicant"), applicant),
        delivery=_delivery(v.get("delivery"), delivery),
        submitter=_applicant(v.get("submitter"), submitter),
        on_behalf=v.get("on_behalf"),
        note=v.get("note"),
    )
    return detail_response(request, code)


def receipt_url(request, code: str) -> str:
    """The receipt as the API serves it, to the same bearer token: the portal's copy of it
    would answer an API client with the login page."""
    return request.build_absolute_uri(reverse("api:dossier-receipt", kwargs={"code": code}))


@extend_schema(
    tags=["dossiers"],
    summary="Nộp hồ sơ",
    description=(
        "Nộp lại một hồ sơ đã nộp trả về đúng mã số đã cấp, không tạo hồ sơ thứ hai. "
        "Thiếu thành phần bắt buộc: 400, `fields` có khóa `components.<id>`."
    ),
    request=None,
    parameters=[IDEMPOTENCY_HEADER],
    responses={200: ser.SubmitOut, **errors(400, 401, 404, 409)},
)
@api_view(["POST"])
@permission_classes([IsAuthenticated])
def submit(request, id):
    dossier = own_ref(request, id)

    def produce():
        done = services.submit(dossier, request.user)
        return Response(
            {
                "code": done.code,
                "status": done.status,
                "status_label": done.get_status_display(),
                "receipt_url": receipt_url(request, done.code),
            }
        )

    return idempotent(request, f"submit:{dossier.pk}", produce)


@extend_schema(
    tags=["dossiers"],
    summary="Đề nghị rút hồ sơ",
    description=(
        "Trạng thái chưa đổi ngay: hồ sơ chuyển sang 7 khi Bộ phận Một cửa xác nhận "
        "(thao tác confirm_withdrawal)."
    ),
    request=inp.WithdrawIn,
    responses={202: ser.WithdrawOut, **errors(400, 401, 404, 409)},
)
@api_view(["POST"])
@permission_classes([IsAuthenticated])
def withdraw(request, code):
    dossier = own(request, code)
    data = inp.WithdrawIn(data=request.data)
    data.is_valid(raise_exception=True)
    done = services.perform(
        dossier, "request_withdrawal", request.user, note=data.validated_data["reason"]
    )
    return Response({"status": done.status, "withdrawal": "requested"}, status=202)


@extend_schema(
    tags=["dossiers"],
    summary="Tải biên nhận hồ sơ (PDF)",
    description=(
        "Giấy tiếp nhận hồ sơ và hẹn trả kết quả (Mẫu 01) của hồ sơ đã nộp trực tuyến, là "
        "địa chỉ `receipt_url` trong câu trả lời khi nộp. Chủ hồ sơ hoặc cán bộ của cơ quan "
        "tiếp nhận / giải quyết; không có mã truy cập: 401; hồ sơ của người khác: 404 như hồ "
        "sơ không tồn tại."
    ),
    responses={
        (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY),
        **errors(401, 404),
    },
)
@api_view(["GET"])
@permission_classes([IsAuthenticated])
def receipt(request, code):
    dossier = documents.submitted_online(code)
    if dossier is None or not selectors.can_view(request.user, dossier):
        raise DossierError("not_found", "Không tìm thấy hồ sơ.", 404)
    response = HttpResponse(submission_receipt_pdf(dossier), content_type="application/pdf")
    # Codes are [A-Z0-9.-] (docs/domain.md): safe in a quoted filename as they are.
    response["Content-Disposition"] = f'inline; filename="bien-nhan-{dossier.code}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
