"""Back-office API (docs/api.md, "Back office"): the officer's work list, a dossier with the
actions open to this officer now, firing an action, and counter intake.

Every rule is in ``dossiers`` (``queues`` says what an officer sees and may do, ``services.
perform`` does it); a refusal there (403 wrong role, 409 not now or someone acted first)
reaches the client as the standard error body and nothing has changed.
"""

import json

from django.core.cache import cache
from django.db import transaction
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers
from rest_framework.decorators import api_view, permission_classes
from rest_framework.generics import ListAPIView
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from motcua.api import dossier_serializers as ser
from motcua.api import staff_queue
from motcua.api.pagination import PageNumberPagination
from motcua.dossiers import consultations, deadlines, queues, services
from motcua.dossiers.models import Channel, Dossier
from motcua.dossiers.services import DossierError
from motcua.dossiers.tracking import STATUS_LABELS


class IsStaff(BasePermission):
    message = "Chức năng này chỉ dành cho cán bộ."

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.is_staff)


def errors(*codes: int) -> dict:
    return {code: OpenApiResponse(ser.ErrorOut) for code in codes}


TIMELINESS_HELP = (
    "early | on_time | late khi đã xử lý xong; in_time | due_soon | overdue khi đang xử lý; "
    "null trước khi tiếp nhận. So với ngày hẹn trả ban đầu."
)


class StepOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    role = serializers.CharField()


class PersonOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="display_name")


class StaffDossierOut(serializers.Serializer):
    code = serializers.CharField()
    procedure = ser.ProcedureRef(source="version")
    status = serializers.IntegerField()
    status_label = serializers.SerializerMethodField()
    channel = serializers.CharField()
    applicant_name = serializers.CharField()
    receiving_agency = ser.Ref()
    submitted_at = serializers.DateTimeField(allow_null=True)
    received_at = serializers.DateTimeField(allow_null=True)
    due_at = serializers.DateTimeField(allow_null=True)
    step = StepOut(source="current_step", allow_null=True)
    step_due_at = serializers.DateTimeField(allow_null=True)
    assignee = PersonOut(allow_null=True)
    lock_version = serializers.IntegerField(
        help_text="Gửi lại trong `lock_version` của thao tác để không ghi đè việc của người khác."
    )
    timeliness = serializers.SerializerMethodField(help_text=TIMELINESS_HELP)

    def get_status_label(self, d) -> str:
        return STATUS_LABELS[d.status]

    def get_timeliness(self, d) -> str | None:
        # One calendar look-up per agency for the whole page, not two statements a dossier.
        return deadlines.timeliness_of(d, calendars=self.context.setdefault("calendars", {}))


class StaffHistoryOut(ser.HistoryOut):
    note = serializers.CharField(help_text="Ghi chú đầy đủ, kể cả ghi chú nội bộ giữa cán bộ.")

    def to_representation(self, event):
        data = super().to_representation(event)
        if self.context.get("partner_view"):
            # A consulted partner reads the notes the citizen reads (``queues.seen_as``).
            data["note"] = event.public_note
        return data


class ConsultationFileOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    name = serializers.CharField()
    size = serializers.IntegerField()
    side = serializers.ChoiceField(choices=["question", "answer"])


class ConsultationOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    agency = ser.Ref()
    question = serializers.CharField()
    asked_at = serializers.DateTimeField()
    asked_by = serializers.CharField(source="asked_by.display_name", allow_null=True)
    days = serializers.IntegerField(help_text="Thời hạn trả lời, ngày làm việc.")
    due_at = serializers.DateTimeField()
    pauses_clock = serializers.BooleanField(
        help_text="true: thời gian chờ ý kiến không tính vào thời hạn giải quyết."
    )
    answered_at = serializers.DateTimeField(allow_null=True)
    answered_by = serializers.CharField(
        source="answered_by.display_name", allow_null=True, default=None
    )
    answer = serializers.CharField()
    files = ConsultationFileOut(many=True)


class StaffDossierDetailOut(ser.DossierDetailOut):
    history = StaffHistoryOut(source="events", many=True)
    channel = serializers.CharField()
    original_due_at = serializers.DateTimeField(allow_null=True)
    step = StepOut(source="current_step", allow_null=True)
    step_due_at = serializers.DateTimeField(allow_null=True)
    assignee = PersonOut(allow_null=True)
    lock_version = serializers.IntegerField()
    timeliness = serializers.SerializerMethodField(help_text=TIMELINESS_HELP)
    actions = serializers.SerializerMethodField(
        help_text="Các thao tác cán bộ này được thực hiện ngay bây giờ."
    )
    consultations = serializers.SerializerMethodField(
        help_text=(
            "Lấy ý kiến cơ quan phối hợp (nội bộ, công dân không xem được): mọi đề nghị với cán "
            "bộ giải quyết hồ sơ; với cán bộ cơ quan phối hợp chỉ đề nghị đang chờ cơ quan đó."
        )
    )

    def get_timeliness(self, d) -> str | None:
        return deadlines.timeliness_of(d)

    @extend_schema_field(ConsultationOut(many=True))
    def get_consultations(self, d):
        partner = self.context["request"].user if self.context.get("partner_view") else None
        found = consultations.of_dossier(d, partner=partner)
        return ConsultationOut(found, many=True).data

    def get_actions(self, d) -> list[str]:
        return queues.actions_for(self.context["request"].user, d)


class ActionIn(serializers.Serializer):
    action = serializers.CharField(max_length=32)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)
    assignee = serializers.CharField(required=False, allow_blank=True, max_length=254)
    items = serializers.ListField(
        child=serializers.JSONField(),
        required=False,
        max_length=50,
        help_text='request_supplement: mỗi mục là một chuỗi hoặc {"name", "reason"}.',
    )
    files = serializers.ListField(child=serializers.FileField(), required=False, max_length=20)
    new_due = serializers.DateTimeField(required=False, help_text="Ngày hẹn mới (apologize).")
    method = serializers.ChoiceField(
        choices=["counter", "post", "online"], required=False, help_text="return_result"
    )
    recipient_name = serializers.CharField(required=False, allow_blank=True, max_length=150)
    recipient_id_number = serializers.CharField(required=False, allow_blank=True, max_length=14)
    agency = serializers.CharField(
        required=False, allow_blank=True, max_length=35, help_text="transfer: mã cơ quan nhận"
    )
    agencies = serializers.ListField(
        child=serializers.CharField(max_length=35),
        required=False,
        max_length=20,
        help_text="consult: mã các cơ quan phối hợp được xin ý kiến.",
    )
    days = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=30,
        help_text="consult: thời hạn trả lời, ngày làm việc (mặc định 5).",
    )
    consultation = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=36,
        help_text="answer_consultation: mã đề nghị cần trả lời (khi cơ quan có nhiều đề nghị).",
    )
    lock_version = serializers.IntegerField(required=False, min_value=0)


def _yes_no(value: str | None) -> bool | None:
    if value in (None, ""):
        return None
    if value.lower() in ("1", "true", "yes"):
        return True
    if value.lower() in ("0", "false", "no"):
        return False
    raise DossierError(
        "validation_error",
        "Giá trị overdue phải là true hoặc false.",
        400,
        {"overdue": ["Giá trị overdue phải là true hoặc false."]},
    )


class StaffDossierList(ListAPIView):
    permission_classes = [IsStaff]
    serializer_class = StaffDossierOut
    pagination_class = PageNumberPagination

    def list(self, request, *args, **kwargs):
        # The page is kept rendered (api.staff_queue: what the key holds and why it is never
        # stale); a kept page is mostly answered by StaffQueueMiddleware before this view.
        key, self.scope = staff_queue.page_key(request, request.user.pk)
        body = cache.get(key)
        if body is None:
            queryset = self.filter_queryset(self.get_queryset())
            page = self.paginate_queryset(queryset)
            data = self.get_paginated_response(self.get_serializer(page, many=True).data).data
            body = JSONRenderer().render(data)
            cache.set(key, body, staff_queue.KEPT_SECONDS)
        return staff_queue.answer(body)

    def paginate_queryset(self, queryset):
        # The page's ids first, from the dossier rows alone (indexes, a top-N sort), then
        # those twenty rows with what they show: joining first made PostgreSQL join every
        # matching dossier of a busy desk before sorting (36 ms for 2,700 rows, bench data).
        ids = super().paginate_queryset(queryset.values_list("pk", flat=True))
        return None if ids is None else queues.in_order(ids)

    def get_queryset(self):
        params = self.request.query_params
        status = params.get("status") or None
        if status is not None and not (status.isdigit() and 1 <= int(status) <= 10):
            message = "Trạng thái là một số từ 1 đến 10."
            raise DossierError("validation_error", message, 400, {"status": [message]})
        return queues.staff_queue(
            self.request.user,
            status=int(status) if status else None,
            procedure=(params.get("procedure") or "").strip(),
            overdue=_yes_no(params.get("overdue")),
            scope=getattr(self, "scope", None),
        )

    @extend_schema(
        tags=["staff"],
        summary="Hồ sơ cán bộ được xử lý",
        parameters=[
            OpenApiParameter("status", int, description="Mã trạng thái 1–10"),
            OpenApiParameter("procedure", str, description="Mã thủ tục"),
            OpenApiParameter("overdue", bool, description="Chỉ hồ sơ quá hạn (true) hoặc không"),
        ],
        responses={200: StaffDossierOut(many=True), **errors(400, 401, 403)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=["staff"],
        summary="Tiếp nhận hồ sơ trực tiếp tại Bộ phận Một cửa",
        description=(
            "multipart: `procedure`, `agency?`, `applicant` và `delivery` (JSON), `note?`, "
            "tệp quét theo thành phần `component_<id>`. Hồ sơ được tiếp nhận ngay (trạng "
            "thái 2), kênh `counter`."
        ),
        request={
            "multipart/form-data": OpenApiTypes.OBJECT,
            "application/json": OpenApiTypes.OBJECT,
        },
        responses={201: StaffDossierDetailOut, **errors(400, 401, 403, 404, 409)},
    )
    def post(self, request, *args, **kwargs):
        data = request.data
        if not hasattr(data, "get"):  # a JSON array or scalar, not an object
            message = "Nội dung yêu cầu phải là một đối tượng JSON."
            raise DossierError("validation_error", message, 400, {"non_field_errors": [message]})

        def nested(name):
            value = data.get(name) or {}
            if isinstance(value, str):
                try:
                    value = json.loads(value)
                except ValueError:
                    value = None
            if not isinstance(value, dict):
                message = f"«{name}» phải là một đối tượng JSON."
                raise DossierError("validation_error", message, 400, {name: [message]})
            return value

        applicant, delivery = nested("applicant"), nested("delivery")
        fields = set(services.Applicant.__dataclass_fields__)
        with transaction.atomic():
            draft = services.create_draft(
                owner=request.user,
                procedure_code=str(data.get("procedure") or "").strip(),
                agency_code=str(data.get("agency") or "").strip() or None,
                applicant=services.Applicant(
                    **{k: str(v) for k, v in applicant.items() if k in fields}
                ),
                delivery=services.Delivery(
                    method=str(delivery.get("method") or "counter"),
                    commune=str(delivery.get("commune") or ""),
                    address=str(delivery.get("address") or ""),
                ),
                note=str(data.get("note") or ""),
                channel=Channel.COUNTER,
            )
            for key, upload in request.FILES.items():
                if key.startswith("component_"):
                    services.add_file(
                        draft,
                        actor=request.user,
                        component_id=key.removeprefix("component_"),
                        name=upload.name,
                        content=upload.read(),
                    )
            done = services.perform(draft, "receive_at_counter", request.user)
        return detail(request, done.code, 201)


def _visible(request, code: str) -> Dossier:
    d = (
        # The version's agency too: who decides it (``transitions.deciding_agency_id``) is
        # read for the partners the handler may consult.
        Dossier.objects.select_related(
            "version",
            "version__procedure",
            "version__agency",
            "receiving_agency",
            "current_step",
            "assignee",
        )
        .filter(code=code)
        .first()
    )
    seen = queues.seen_as(request.user, d) if d is not None else None
    if seen is None:
        raise DossierError("not_found", "Không tìm thấy hồ sơ.", 404)
    d.seen_as_partner = seen == queues.PARTNER
    return d


def detail(request, code: str, status: int = 200) -> Response:
    d = _visible(request, code)
    context = {"request": request, "partner_view": d.seen_as_partner}
    return Response(StaffDossierDetailOut(d, context=context).data, status)


@extend_schema(
    tags=["staff"],
    summary="Chi tiết hồ sơ và các thao tác được phép",
    responses={200: StaffDossierDetailOut, **errors(401, 403, 404)},
)
@api_view(["GET"])
@permission_classes([IsAuthenticated, IsStaff])
def staff_dossier(request, code):
    return detail(request, code)


@extend_schema(
    tags=["staff"],
    summary="Thực hiện một thao tác trên hồ sơ",
    description=(
        "Thao tác không được phép lúc này: 409; không đúng vai trò: 403; người khác vừa xử "
        "lý (`lock_version` đã cũ): 409 mã `conflict`. Khi bị từ chối, hồ sơ không thay đổi."
    ),
    request=ActionIn,
    responses={200: StaffDossierDetailOut, **errors(400, 401, 403, 404, 409)},
)
@api_view(["POST"])
@permission_classes([IsAuthenticated, IsStaff])
def staff_action(request, code):
    d = _visible(request, code)
    body = ActionIn(data=request.data)
    body.is_valid(raise_exception=True)
    v = dict(body.validated_data)
    action = v.pop("action")
    note = v.pop("note", "")
    expected = v.pop("lock_version", None)
    services.perform(d, action, request.user, note=note, expected_version=expected, **v)
    return detail(request, code)
