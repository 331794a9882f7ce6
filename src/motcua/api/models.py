"""What the API keeps of its own: the first answers to requests sent with an
``Idempotency-Key`` (``api.idempotency``)."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone


class IdempotencyRecord(models.Model):  # noqa: DJ008 (internal, never displayed)
    """One key of one user for one kind of request. ``status`` is empty while the first
    request is still running; only successful answers are kept."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="tài khoản",
    )
    scope = models.CharField("loại yêu cầu", max_length=80)
    key_digest = models.CharField("mã băm khóa", max_length=64)
    status = models.PositiveSmallIntegerField("mã trạng thái HTTP", null=True)
    body = models.JSONField("nội dung trả lời", null=True, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField("tạo lúc", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "khóa chống gửi trùng"
        verbose_name_plural = "khóa chống gửi trùng"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "scope", "key_digest"], name="uniq_idempotency_key"
            )
        ]
