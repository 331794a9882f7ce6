"""The documents a dossier answer links to: its signed result and its issued forms (PDF).

Served to the same bearer token as the answer: the owner, or the staff who may see the
dossier (``dossiers.selectors.can_view``); the owner gets only the forms addressed to the
applicant. Anyone else gets the 404 of a dossier that does not exist.
"""

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import IsAuthenticated

from motcua.api.schema import errors
from motcua.documents import selectors as documents
from motcua.dossiers import selectors
from motcua.dossiers.services import DossierError
from motcua.signing.selectors import dossier_result

PDF = {(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY), **errors(401, 404)}


def _not_found() -> DossierError:
    return DossierError("not_found", "Không tìm thấy tài liệu.", 404)


def pdf_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(bytes(data), content_type="application/pdf")
    # Names are built from codes and form codes ([A-Za-z0-9.-]): safe quoted as they are.
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def result_bytes(user, code: str) -> tuple[bytes, str] | None:
    """The newest signed result of a dossier this user may see, with its file name."""
    dossier = selectors.visible_dossier(user, code)
    result = dossier_result(dossier) if dossier is not None else None
    if result is None:
        return None
    try:
        with result.file.open("rb") as handle:
            return handle.read(), f"ket-qua-{dossier.code}.pdf"
    except OSError:
        return None


def form_bytes(user, code: str, form_id) -> tuple[bytes, str] | None:
    """An issued form of a dossier this user may see (the owner: only the applicant's)."""
    dossier = selectors.visible_dossier(user, code)
    if dossier is None:
        return None
    form = documents.issued_form(dossier, form_id, for_owner=dossier.owner_id == user.pk)
    if form is None:
        return None
    return form.pdf, f"mau-{form.form_code}-{dossier.code}.pdf"


@extend_schema(
    tags=["dossiers"],
    summary="Tải kết quả giải quyết đã ký số (PDF)",
    description=(
        "Địa chỉ `result.url` của chi tiết hồ sơ. Chủ hồ sơ hoặc cán bộ được xem hồ sơ; "
        "không có mã truy cập: 401; người khác, hoặc hồ sơ chưa có kết quả: 404."
    ),
    responses=PDF,
)
@api_view(["GET"])
@permission_classes([IsAuthenticated])
def result(request, code):
    found = result_bytes(request.user, code)
    if found is None:
        raise _not_found()
    return pdf_response(*found)


@extend_schema(
    tags=["dossiers"],
    summary="Tải biểu mẫu đã ban hành cho hồ sơ (PDF)",
    description=(
        "Địa chỉ `forms[].url` của chi tiết hồ sơ. Chủ hồ sơ (các mẫu gửi công dân) hoặc cán "
        "bộ được xem hồ sơ; không có mã truy cập: 401; người khác: 404."
    ),
    responses=PDF,
)
@api_view(["GET"])
@permission_classes([IsAuthenticated])
def form(request, code, form_id):
    found = form_bytes(request.user, code, form_id)
    if found is None:
        raise _not_found()
    return pdf_response(*found)
