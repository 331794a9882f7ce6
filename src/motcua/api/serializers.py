"""API shapes. Serializers check types only; rules are in the services they call."""

from rest_framework import serializers

from motcua.accounts.models import User
from motcua.catalog.models import Agency, Field, ProcedureVersion


class RegisterIn(serializers.Serializer):
    email = serializers.CharField(max_length=254)
    password = serializers.CharField(max_length=128, trim_whitespace=False)
    full_name = serializers.CharField(max_length=150)
    phone = serializers.CharField(max_length=20)
    id_number = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    kind = serializers.ChoiceField(
        choices=["citizen", "organisation"], required=False, default="citizen"
    )
    tax_code = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    organisation_name = serializers.CharField(
        max_length=255, required=False, allow_blank=True, default=""
    )


class RegisterOut(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    status = serializers.CharField()


class ConfirmIn(serializers.Serializer):
    token = serializers.CharField(max_length=200)


class StatusOut(serializers.Serializer):
    status = serializers.CharField()
    message = serializers.CharField()


class ResendIn(serializers.Serializer):
    email = serializers.CharField(max_length=254)


class TokenIn(serializers.Serializer):
    email = serializers.CharField(max_length=254)
    password = serializers.CharField(max_length=128, trim_whitespace=False)
    otp = serializers.CharField(
        max_length=12,
        required=False,
        allow_blank=True,
        default="",
        help_text="Mã xác thực hai bước (TOTP) của cán bộ.",
    )


class TokenOut(serializers.Serializer):
    token = serializers.CharField()
    expires_at = serializers.DateTimeField()


class PasswordResetIn(serializers.Serializer):
    email = serializers.CharField(max_length=254)


class PasswordResetConfirmIn(serializers.Serializer):
    token = serializers.CharField(max_length=200)
    password = serializers.CharField(max_length=128, trim_whitespace=False)


class MembershipOut(serializers.Serializer):
    agency = serializers.CharField(source="agency.code")
    agency_name = serializers.CharField(source="agency.name")
    role = serializers.CharField()


class MeOut(serializers.ModelSerializer):
    kind = serializers.CharField()
    confirmed = serializers.BooleanField(source="is_confirmed")
    roles = MembershipOut(source="memberships", many=True)

    class Meta:
        model = User
        fields = [
            "id",
            "email",
            "full_name",
            "kind",
            "phone",
            "id_number",
            "tax_code",
            "organisation_name",
            "address",
            "confirmed",
            "date_joined",
            "roles",
        ]


class MeUpdateIn(serializers.Serializer):
    full_name = serializers.CharField(max_length=150)
    phone = serializers.CharField(max_length=20)
    address = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    organisation_name = serializers.CharField(
        max_length=255, required=False, allow_blank=True, default=""
    )


class AgencyRef(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class AgencyOut(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    predecessors = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Agency
        fields = [
            "code",
            "code_qcvn102",
            "name",
            "short_name",
            "kind",
            "parent",
            "address",
            "phone",
            "email",
            "hotline",
            "valid_from",
            "valid_to",
            "predecessors",
        ]


class FieldOut(serializers.ModelSerializer):
    class Meta:
        model = Field
        fields = ["code", "name"]


class TimeLimitOut(serializers.Serializer):
    value = serializers.FloatField()
    unit = serializers.CharField()
    unit_label = serializers.CharField()
    online_value = serializers.FloatField(allow_null=True)


def _number(value):
    if value is None:
        return None
    value = float(value)
    return int(value) if value.is_integer() else value


class ProcedureOut(serializers.ModelSerializer):
    code = serializers.CharField(source="procedure.code")
    agency = AgencyRef()
    field = FieldOut()
    processing_time = serializers.SerializerMethodField()
    fee = serializers.IntegerField(source="fee_total")

    class Meta:
        model = ProcedureVersion
        fields = [
            "code",
            "name",
            "agency",
            "field",
            "level",
            "competence_level",
            "processing_time",
            "fee",
        ]

    def get_processing_time(self, v) -> TimeLimitOut:
        return {
            "value": _number(v.time_limit_value),
            "unit": v.time_limit_unit,
            "unit_label": v.get_time_limit_unit_display(),
            "online_value": _number(v.time_limit_online),
        }


class ComponentOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    description = serializers.CharField()
    required = serializers.BooleanField()
    multiple = serializers.BooleanField()
    originals = serializers.IntegerField()
    copies = serializers.IntegerField()
    copy_type = serializers.CharField()
    allowed_types = serializers.ListField(child=serializers.CharField())
    max_size = serializers.IntegerField()
    template_name = serializers.CharField()


class FeeOut(serializers.Serializer):
    kind = serializers.CharField()
    name = serializers.CharField()
    amount = serializers.IntegerField()
    unit = serializers.CharField()
    legal_basis = serializers.CharField()


class LegalBasisOut(serializers.Serializer):
    number = serializers.CharField()
    title = serializers.CharField()
    date = serializers.CharField(allow_blank=True)


class ProcedureDetailOut(ProcedureOut):
    components = ComponentOut(many=True)
    fees = FeeOut(many=True)
    delivery_methods = serializers.ListField(child=serializers.CharField())
    legal_basis = LegalBasisOut(many=True)
    result = serializers.SerializerMethodField()
    version = serializers.SerializerMethodField()

    class Meta(ProcedureOut.Meta):
        fields = ProcedureOut.Meta.fields + [
            "components",
            "fees",
            "delivery_methods",
            "legal_basis",
            "requirements",
            "applicants",
            "sequence",
            "methods",
            "result",
            "no_appointment",
            "boundary_free",
            "version",
        ]

    def get_result(self, v) -> dict:
        return {"name": v.result_name, "code": v.result_code}

    def get_version(self, v) -> dict:
        return {
            "valid_from": v.valid_from.isoformat(),
            "valid_to": v.valid_to.isoformat() if v.valid_to else None,
            "publication_decision": v.publication_decision,
            "publication_date": v.publication_date.isoformat() if v.publication_date else None,
        }
