"""Answers of the citizen dossier API (docs/api.md); inputs are in ``dossier_inputs``."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from motcua.documents import selectors as documents
from motcua.documents.official import FORMS
from motcua.dossiers import selectors
from motcua.dossiers.models import Status
from motcua.dossiers.tracking import STATUS_LABELS
from motcua.signing.selectors import dossier_result


@extend_schema_field(
    {
        "oneOf": [
            {"type": "integer", "minimum": 1, "maximum": 10},
            {"type": "string", "enum": ["draft"]},
        ],
        "description": 'Mã trạng thái quốc gia 1–10 (docs/domain.md), hoặc "draft" khi chưa nộp',
    }
)
class StatusField(serializers.Field):
    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        return "draft" if value == Status.DRAFT else int(value)


class Ref(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class ProcedureRef(serializers.Serializer):
    code = serializers.CharField(source="procedure.code")
    name = serializers.CharField()


class CreatedOut(serializers.Serializer):
    id = serializers.UUIDField()
    status = serializers.CharField()


class FileOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    name = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    component = serializers.IntegerField(source="component_id", allow_null=True)
    purpose = serializers.CharField()
    content_type = serializers.CharField()
    uploaded_at = serializers.DateTimeField()


class DossierFileOut(FileOut):
    url = serializers.SerializerMethodField()

    def get_url(self, record) -> str:
        path = reverse(
            "api:dossier-file",
            kwargs={"code": record.dossier.reference, "file_id": record.public_id},
        )
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class ApplicantOut(serializers.Serializer):
    full_name = serializers.CharField(source="applicant_name")
    id_number = serializers.CharField(source="applicant_id_number")
    phone = serializers.CharField(source="applicant_phone")
    email = serializers.CharField(source="applicant_email")
    address = serializers.CharField(source="applicant_address")


class SubmitterOut(serializers.Serializer):
    full_name = serializers.CharField(source="submitter_name")
    id_number = serializers.CharField(source="submitter_id_number")
    phone = serializers.CharField(source="submitter_phone")
    email = serializers.CharField(source="submitter_email")


class DeliveryOut(serializers.Serializer):
    method = serializers.CharField(source="delivery_method")
    address = serializers.CharField(source="delivery_address")
    commune = serializers.CharField(source="delivery_commune.code", allow_null=True)


class HistoryOut(serializers.Serializer):
    at = serializers.DateTimeField()
    action = serializers.CharField()
    action_label = serializers.SerializerMethodField()
    status = serializers.IntegerField()
    actor = serializers.CharField(source="actor_name")
    note = serializers.CharField(source="public_note")

    def get_action_label(self, event) -> str:
        return selectors.ACTION_LABELS.get(event.action, event.action)


class SupplementOut(serializers.Serializer):
    reason = serializers.CharField()
    items = serializers.ListField(child=serializers.CharField())
    deadline = serializers.DateTimeField(allow_null=True)
    requested_at = serializers.DateTimeField()


class WithdrawalOut(serializers.Serializer):
    reason = serializers.CharField()
    requested_at = serializers.DateTimeField()
    confirmed_at = serializers.DateTimeField(allow_null=True)


def _absolute(serializer, name: str, **kwargs) -> str:
    path = reverse(name, kwargs=kwargs)
    request = serializer.context.get("request")
    return request.build_absolute_uri(path) if request else path


class ResultOut(serializers.Serializer):
    url = serializers.URLField(help_text="Tệp PDF đã ký số, cùng mã truy cập (application/pdf).")
    name = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    signed_at = serializers.DateTimeField()
    signer = serializers.CharField(help_text="Người ký")
    verify_url = serializers.URLField(help_text="Kiểm tra chữ ký số (công khai).")


class FormOut(serializers.Serializer):
    id = serializers.UUIDField()
    code = serializers.CharField(help_text='Mẫu: "01"–"05" hoặc "stop" (thông báo dừng giải quyết)')
    title = serializers.CharField()
    reference = serializers.CharField(help_text="Số, ký hiệu")
    issued_at = serializers.DateTimeField()
    url = serializers.URLField(help_text="Tệp PDF, cùng mã truy cập (application/pdf).")


class PaymentOut(serializers.Serializer):
    id = serializers.CharField()
    amount = serializers.IntegerField()
    status = serializers.CharField()


class DossierListOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    code = serializers.CharField(allow_null=True)
    procedure = ProcedureRef(source="version")
    status = StatusField()
    # A method field, not source="get_status_display": DRF inspects the signature of a
    # callable source on every row, and that of a partialmethod is slow to read.
    status_label = serializers.SerializerMethodField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()
    receiving_agency = Ref()
    next_actions = serializers.SerializerMethodField()

    def get_status_label(self, dossier) -> str:
        return STATUS_LABELS[dossier.status]

    def get_next_actions(self, dossier) -> list[str]:
        return selectors.owner_actions(dossier)

    def to_representation(self, dossier):
        # The same answer as the generic walk over the declared fields (which the schema and
        # the detail still use), built directly: for a page of twenty rows that walk (bound
        # fields, source paths, nested serializers) cost more than reading the page.
        when = self._datetime
        version, agency = dossier.version, dossier.receiving_agency
        submitted = dossier.submitted_at
        return {
            "id": str(dossier.public_id),
            "code": dossier.code,
            "procedure": {"code": version.procedure.code, "name": version.name},
            "status": "draft" if dossier.status == Status.DRAFT else int(dossier.status),
            "status_label": STATUS_LABELS[dossier.status],
            "submitted_at": None if submitted is None else when.to_representation(submitted),
            "created_at": when.to_representation(dossier.created_at),
            "receiving_agency": {"code": agency.code, "name": agency.name},
            "next_actions": selectors.owner_actions(dossier),
        }

    @property
    def _datetime(self) -> serializers.DateTimeField:
        return self.fields["created_at"]


class DossierDetailOut(DossierListOut):
    to_representation = serializers.Serializer.to_representation
    received_at = serializers.DateTimeField(allow_null=True)
    due_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    returned_at = serializers.DateTimeField(allow_null=True)
    timeliness = serializers.SerializerMethodField(
        help_text=(
            "Phân loại đúng hạn/quá hạn (docs/domain.md). Luôn null trước khi hồ sơ được tiếp "
            "nhận; việc tính hạn xử lý theo giờ làm việc thuộc một phiên bản sau, đến lúc đó "
            "trường này vẫn là null."
        )
    )
    files = DossierFileOut(many=True)
    history = HistoryOut(source="events", many=True)
    payments = serializers.SerializerMethodField(
        help_text="Các lần thanh toán trực tuyến của hồ sơ; rỗng khi chưa có."
    )
    result = serializers.SerializerMethodField(
        help_text="Kết quả giải quyết đã ký số; null khi chưa có kết quả."
    )
    forms = serializers.SerializerMethodField(
        help_text=(
            "Các biểu mẫu đã ban hành cho hồ sơ: với chủ hồ sơ là các mẫu gửi công dân (01–04, "
            "thông báo dừng giải quyết); cán bộ thấy thêm Mẫu 05."
        )
    )
    applicant = ApplicantOut(source="*")
    on_behalf = serializers.BooleanField()
    submitter = SubmitterOut(source="*")
    delivery = DeliveryOut(source="*")
    note = serializers.CharField()
    supplement = serializers.SerializerMethodField(
        help_text="Yêu cầu bổ sung đang chờ công dân (chỉ khi trạng thái là 5)."
    )
    withdrawal = serializers.SerializerMethodField(help_text="Đề nghị rút hồ sơ, nếu đã gửi.")

    def get_timeliness(self, dossier) -> str | None:
        return None

    @extend_schema_field(PaymentOut(many=True))
    def get_payments(self, dossier):
        return []

    @extend_schema_field(ResultOut(allow_null=True))
    def get_result(self, dossier):
        result = dossier_result(dossier) if dossier.code else None
        if result is None:
            return None
        code = dossier.code
        return ResultOut(
            {
                "url": _absolute(self, "api:dossier-result", code=code),
                "name": result.name,
                "size": result.size,
                "sha256": result.sha256,
                "signed_at": result.signed_at,
                "signer": result.signer_name,
                "verify_url": _absolute(self, "api:verify", code=code),
            }
        ).data

    @extend_schema_field(FormOut(many=True))
    def get_forms(self, dossier):
        if not dossier.code:
            return []
        request = self.context.get("request")
        for_owner = request is None or request.user.pk == dossier.owner_id
        return FormOut(
            [
                {
                    "id": form.public_id,
                    "code": form.form_code,
                    "title": FORMS[form.form_code].title if form.form_code in FORMS else "",
                    "reference": form.reference,
                    "issued_at": form.issued_at,
                    "url": _absolute(
                        self, "api:dossier-form", code=dossier.code, form_id=form.public_id
                    ),
                }
                for form in documents.issued_forms(dossier, for_owner=for_owner)
            ],
            many=True,
        ).data

    @extend_schema_field(SupplementOut(allow_null=True))
    def get_supplement(self, dossier):
        if dossier.status != Status.SUPPLEMENT_REQUESTED or not hasattr(dossier, "supplement"):
            return None
        return SupplementOut(dossier.supplement).data

    @extend_schema_field(WithdrawalOut(allow_null=True))
    def get_withdrawal(self, dossier):
        if not hasattr(dossier, "withdrawal"):
            return None
        return WithdrawalOut(dossier.withdrawal).data


class SubmitOut(serializers.Serializer):
    code = serializers.CharField()
    status = serializers.IntegerField()
    status_label = serializers.CharField()
    receipt_url = serializers.URLField()


class WithdrawOut(serializers.Serializer):
    status = serializers.IntegerField(help_text="Trạng thái hiện tại, chưa đổi")
    withdrawal = serializers.ChoiceField(choices=["requested"])


class ErrorBody(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()), required=False
    )


class ErrorOut(serializers.Serializer):
    error = ErrorBody()
