"""Signer certificates, the trusted certificate authorities and the signed results."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from motcua.dossiers.storage import private_storage


class TrustedAuthority(models.Model):
    """A certificate authority whose signatures the province accepts (its root or
    intermediate certificate). The demo authority also keeps its key, encrypted, to issue
    the demo certificates; a real authority never has one here."""

    name = models.CharField("tên tổ chức chứng thực", max_length=255)
    certificate_pem = models.TextField("chứng thư số (PEM)")
    fingerprint = models.CharField("dấu vân tay SHA-256", max_length=64, unique=True)
    valid_from = models.DateTimeField("hiệu lực từ")
    valid_to = models.DateTimeField("hiệu lực đến")
    encrypted_key = models.TextField("khóa bí mật (đã mã hóa)", blank=True, editable=False)
    is_demo = models.BooleanField("của bản trình diễn", default=False)
    active = models.BooleanField("đang tin cậy", default=True)
    created_at = models.DateTimeField("thêm lúc", default=timezone.now)

    class Meta:
        verbose_name = "tổ chức chứng thực tin cậy"
        verbose_name_plural = "tổ chức chứng thực tin cậy"
        ordering = ("name",)

    def __str__(self):
        return self.name


class SignerCertificate(models.Model):
    """A signing certificate of an officer (``user``) or of an agency (``agency``, the
    organisation's seal). ``plugin`` names the signer that holds the private key: the
    built-in software signer keeps it here, encrypted (``signing.keys``)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="cán bộ",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="signer_certificates",
    )
    agency = models.ForeignKey(
        "catalog.Agency",
        verbose_name="cơ quan",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="signer_certificates",
    )
    plugin = models.CharField("cách ký", max_length=40, default="software")
    subject_name = models.CharField("chủ thể", max_length=255)
    issuer_name = models.CharField("tổ chức cấp", max_length=255)
    serial_number = models.CharField("số hiệu", max_length=80)
    fingerprint = models.CharField("dấu vân tay SHA-256", max_length=64, unique=True)
    valid_from = models.DateTimeField("hiệu lực từ")
    valid_to = models.DateTimeField("hiệu lực đến")
    certificate_pem = models.TextField("chứng thư số (PEM)")
    chain_pem = models.TextField("chuỗi chứng thư (PEM)", blank=True)
    encrypted_key = models.TextField("khóa bí mật (đã mã hóa)", blank=True, editable=False)
    active = models.BooleanField("đang dùng", default=True)
    created_at = models.DateTimeField("thêm lúc", default=timezone.now)

    class Meta:
        verbose_name = "chứng thư số ký"
        verbose_name_plural = "chứng thư số ký"
        ordering = ("-valid_to",)
        indexes = [
            models.Index(fields=["user", "active", "valid_to"], name="signcert_user"),
            models.Index(fields=["agency", "active", "valid_to"], name="signcert_agency"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(user__isnull=False) | models.Q(agency__isnull=False),
                name="signcert_has_owner",
            )
        ]

    def __str__(self):
        return f"{self.subject_name} ({self.valid_from:%d/%m/%Y}–{self.valid_to:%d/%m/%Y})"


def _result_name(instance, filename):
    return f"ket-qua/{instance.public_id}.pdf"


class SignedResult(models.Model):
    """A result document of a dossier as signed: the very bytes, their digest and who
    signed. ``/tra-cuu/xac-thuc/<code>`` checks the newest one again on every visit."""

    public_id = models.UUIDField("mã nội bộ", default=uuid.uuid4, unique=True, editable=False)
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        verbose_name="hồ sơ",
        on_delete=models.CASCADE,
        related_name="signed_results",
    )
    name = models.CharField("tên tệp", max_length=255)
    file = models.FileField("tệp", upload_to=_result_name, storage=private_storage, max_length=255)
    size = models.PositiveBigIntegerField("dung lượng")
    sha256 = models.CharField("mã băm SHA-256", max_length=64, db_index=True)
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người ký",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    signer_name = models.CharField("tên người ký", max_length=255)
    certificate = models.ForeignKey(
        SignerCertificate,
        verbose_name="chứng thư số",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    signed_at = models.DateTimeField("ký lúc", default=timezone.now)

    class Meta:
        verbose_name = "kết quả đã ký số"
        verbose_name_plural = "kết quả đã ký số"
        ordering = ("-signed_at", "-id")
        indexes = [models.Index(fields=["dossier", "-signed_at"], name="signedresult_dossier")]

    def __str__(self):
        return self.name
