"""Administration of signing certificates and trusted authorities (registered by
``backoffice.admin_site``).

A certificate is added by uploading the PKCS#12 file (.p12/.pfx) the certificate authority
issued, with its password; the key is stored encrypted (``signing.keys``) and never shown.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils import timezone

from motcua.signing import plugins, services
from motcua.signing.models import SignerCertificate, TrustedAuthority

MAX_P12_BYTES = 256 * 1024


class CertificateUploadForm(forms.ModelForm):
    p12_file = forms.FileField(
        label="Tệp chứng thư số (PKCS#12: .p12, .pfx)",
        help_text="Tệp do tổ chức chứng thực cấp, chứa chứng thư số và khóa bí mật.",
        widget=forms.ClearableFileInput(attrs={"accept": ".p12,.pfx"}),
    )
    p12_password = forms.CharField(
        label="Mật khẩu của tệp",
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=False),
    )

    class Meta:
        model = SignerCertificate
        fields = ("user", "agency", "active")

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("user") and not cleaned.get("agency"):
            raise ValidationError("Chọn cán bộ hoặc cơ quan sở hữu chứng thư số.")
        upload = cleaned.get("p12_file")
        if upload is None:
            return cleaned
        if upload.size > MAX_P12_BYTES:
            self.add_error("p12_file", "Tệp PKCS#12 quá lớn (tối đa 256 KB).")
            return cleaned
        try:
            key, cert, chain = services.read_pkcs12(
                upload.read(), cleaned.get("p12_password") or ""
            )
        except ValidationError as exc:
            self.add_error("p12_file", exc.message_dict["file"])
            return cleaned
        if SignerCertificate.objects.filter(fingerprint=services.fingerprint(cert)).exists():
            self.add_error("p12_file", "Chứng thư số này đã có trên hệ thống.")
            return cleaned
        services.fill_certificate(self.instance, cert, key, chain)
        return cleaned


class CertificateChangeForm(forms.ModelForm):
    plugin = forms.ChoiceField(label="cách ký", choices=plugins.choices)

    class Meta:
        model = SignerCertificate
        fields = ("user", "agency", "plugin", "active")


class SignerCertificateAdmin(admin.ModelAdmin):
    list_display = ("subject_name", "user", "agency", "issuer_name", "valid_from", "valid_to")
    list_display_links = ("subject_name",)
    list_filter = ("active", "plugin")
    list_select_related = ("user", "agency")
    list_per_page = 50
    search_fields = ("subject_name", "user__email", "agency__name", "serial_number")
    search_help_text = "Tìm theo tên chủ thể, thư điện tử cán bộ, tên cơ quan hoặc số hiệu."
    autocomplete_fields = ("user", "agency")
    readonly_fields = (
        "subject_name",
        "issuer_name",
        "serial_number",
        "fingerprint",
        "valid_from",
        "valid_to",
        "still_valid",
        "certificate_pem",
        "created_at",
    )

    @admin.display(description="còn hiệu lực", boolean=True)
    def still_valid(self, obj):
        return bool(obj.pk) and obj.valid_from <= timezone.now() < obj.valid_to

    def get_form(self, request, obj=None, **kwargs):
        kwargs["form"] = CertificateChangeForm if obj else CertificateUploadForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("user", "agency", "p12_file", "p12_password", "active")
        return ("user", "agency", "plugin", "active", *self.readonly_fields)

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj else ()


class TrustedAuthorityForm(forms.ModelForm):
    class Meta:
        model = TrustedAuthority
        fields = ("name", "certificate_pem", "active")
        help_texts = {
            "certificate_pem": "Chứng thư số gốc hoặc trung gian của tổ chức chứng thực, dạng PEM "
            "(-----BEGIN CERTIFICATE-----).",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].required = False
        self.fields["name"].help_text = "Để trống: lấy tên trong chứng thư số."

    def clean_certificate_pem(self):
        from cryptography import x509

        pem = self.cleaned_data["certificate_pem"].strip()
        try:
            cert = x509.load_pem_x509_certificate(pem.encode())
        except ValueError as exc:
            raise ValidationError("Chứng thư số không đúng định dạng PEM.") from exc
        self.fields_from_cert = values = services.certificate_fields(cert)
        # The instance is validated before save_model: give it what the certificate says.
        self.instance.fingerprint = values["fingerprint"]
        self.instance.valid_from, self.instance.valid_to = values["valid_from"], values["valid_to"]
        return pem + "\n"

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("name") and hasattr(self, "fields_from_cert"):
            cleaned["name"] = self.fields_from_cert["subject_name"]
        return cleaned


class TrustedAuthorityAdmin(admin.ModelAdmin):
    form = TrustedAuthorityForm
    list_display = ("name", "valid_from", "valid_to", "active", "is_demo")
    list_filter = ("active", "is_demo")
    list_per_page = 50
    search_fields = ("name",)
    readonly_fields = ("fingerprint", "valid_from", "valid_to", "is_demo", "created_at")


class SignedResultAdmin(admin.ModelAdmin):
    list_display = ("name", "dossier", "signer_name", "signed_at")
    list_select_related = ("dossier",)
    list_per_page = 50
    search_fields = ("=dossier__code", "=sha256")
    search_help_text = "Nhập đúng mã số hồ sơ hoặc mã băm SHA-256."
    readonly_fields = (
        "dossier",
        "name",
        "size",
        "sha256",
        "signer",
        "signer_name",
        "certificate",
        "signed_at",
    )
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
