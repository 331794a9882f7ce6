"""Official forms issued for a dossier (Mẫu 01–05, the stop notice) and their numbering.

An issued form is kept as the exact PDF handed out, with the number it carries and the
template version that drew it (docs/domain.md §6.1), so reprinting never changes a paper
the citizen already holds.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class FormCounter(models.Model):  # noqa: DJ008 (internal counter, never displayed)
    """Last number an agency gave to one kind of form in a year. Bumped with one
    ``INSERT … ON CONFLICT DO UPDATE … RETURNING`` in the issuing transaction: atomic on
    PostgreSQL and SQLite alike, and a rolled-back issue leaves no gap."""

    agency = models.ForeignKey(
        "catalog.Agency", on_delete=models.PROTECT, related_name="+", verbose_name="cơ quan"
    )
    form_code = models.CharField("mẫu", max_length=8)
    year = models.PositiveSmallIntegerField("năm")
    last = models.PositiveIntegerField("số cuối", default=0)

    class Meta:
        verbose_name = "bộ đếm số biểu mẫu"
        verbose_name_plural = "bộ đếm số biểu mẫu"
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "form_code", "year"], name="uniq_form_counter"
            )
        ]


class IssuedForm(models.Model):
    public_id = models.UUIDField("mã nội bộ", default=uuid.uuid4, unique=True, editable=False)
    form_code = models.CharField("mẫu", max_length=8)
    template_version = models.CharField("phiên bản mẫu", max_length=40)
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        on_delete=models.CASCADE,
        related_name="issued_forms",
        verbose_name="hồ sơ",
    )
    agency = models.ForeignKey(
        "catalog.Agency",
        on_delete=models.PROTECT,
        related_name="issued_forms",
        verbose_name="cơ quan ban hành",
    )
    year = models.PositiveSmallIntegerField("năm")
    number = models.PositiveIntegerField("số")
    reference = models.CharField("số, ký hiệu", max_length=60)
    issued_at = models.DateTimeField("ban hành lúc", default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="người lập",
    )
    context = models.JSONField("nội dung nhập thêm", default=dict, blank=True)
    pdf = models.BinaryField("tệp PDF")

    class Meta:
        verbose_name = "biểu mẫu đã ban hành"
        verbose_name_plural = "biểu mẫu đã ban hành"
        ordering = ["dossier", "issued_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "form_code", "year", "number"], name="uniq_issued_form_number"
            )
        ]
        indexes = [models.Index(fields=["dossier", "issued_at"], name="issued_form_dossier")]

    def __str__(self):
        return f"Mẫu {self.form_code} số {self.reference}"
