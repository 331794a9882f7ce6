"""What the citizen dossier API accepts (docs/api.md).

Types and lengths only: whether a draft may be submitted is decided by ``dossiers.services``
at submission, so a half-filled draft can always be saved.
"""

from rest_framework import serializers

DELIVERY_METHODS = ["counter", "post", "online"]


def _text(max_length: int, **kwargs):
    return serializers.CharField(
        max_length=max_length, required=False, allow_blank=True, default="", **kwargs
    )


class ApplicantIn(serializers.Serializer):
    full_name = _text(150)
    id_number = _text(14, help_text="Số định danh cá nhân 12 chữ số, hoặc mã số thuế")
    phone = _text(15)
    email = _text(254)
    address = _text(255)


class SubmitterIn(serializers.Serializer):
    full_name = _text(150)
    id_number = _text(14)
    phone = _text(15)
    email = _text(254)


class DeliveryIn(serializers.Serializer):
    method = serializers.ChoiceField(
        choices=DELIVERY_METHODS, required=False, allow_blank=True, default=""
    )
    address = _text(255)
    commune = _text(10, help_text="Mã đơn vị hành chính cấp xã, khi nhận qua bưu chính")


class DossierCreateIn(serializers.Serializer):
    procedure = serializers.CharField(max_length=40, help_text="Mã thủ tục, ví dụ 1.004650")
    agency = _text(
        35,
        help_text=(
            "Mã định danh UBND xã, phường nhận hồ sơ (một mã của GET /agencies): bắt buộc với "
            "thủ tục cấp xã (`competence_level` = `xa`) mà mọi xã, phường cùng giải quyết; "
            "bỏ qua với thủ tục có một cơ quan giải quyết"
        ),
    )
    applicant = ApplicantIn(
        required=False, help_text="Bỏ trống: lấy theo thông tin tài khoản đang đăng nhập"
    )
    delivery = DeliveryIn(required=False)
    note = _text(2000)
    on_behalf = serializers.BooleanField(required=False)
    submitter = SubmitterIn(required=False, help_text="Người nộp thay, khi on_behalf")


class DossierPatchIn(serializers.Serializer):
    """Every key is optional; a nested object changes only the keys it names."""

    applicant = ApplicantIn(required=False)
    delivery = DeliveryIn(required=False)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    on_behalf = serializers.BooleanField(required=False)
    submitter = SubmitterIn(required=False)


class FileUploadIn(serializers.Serializer):
    component = serializers.IntegerField(
        required=False,
        help_text=(
            "id một thành phần hồ sơ của thủ tục: bắt buộc khi purpose=initial (mặc định), "
            "bỏ qua khi purpose=authorisation"
        ),
    )
    file = serializers.FileField()
    purpose = serializers.ChoiceField(
        choices=["initial", "authorisation"], required=False, default="initial"
    )


class SupplementIn(serializers.Serializer):
    files = serializers.ListField(child=serializers.FileField())
    component = serializers.ListField(
        child=serializers.IntegerField(),
        help_text="Một id thành phần cho mọi tệp, hoặc một id cho từng tệp theo đúng thứ tự",
    )
    note = _text(2000)


class WithdrawIn(serializers.Serializer):
    # The service refuses a withdrawal without a reason of at least 5 characters; the schema
    # says so rather than letting a client discover it.
    reason = serializers.CharField(
        min_length=5, max_length=2000, help_text="Lý do rút hồ sơ, ít nhất 5 ký tự"
    )
