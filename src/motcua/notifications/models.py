"""The outbox: every message is a row written in the transaction that caused it.

Nothing is sent from a request thread. The worker sends pending rows with retries and
backoff and records what the provider answered; a crash between commit and send loses
nothing because the sweeper picks up whatever is still pending.
"""

from django.db import models
from django.utils import timezone

# What each template under notifications/email/ is, in the words the mail log shows.
TEMPLATE_NAMES = {
    "account_exists": "Báo địa chỉ thư đã có tài khoản",
    "confirm_registration": "Xác nhận đăng ký tài khoản",
    "dossier_submitted": "Nộp hồ sơ thành công",
    "password_reset": "Đặt lại mật khẩu",
    "supplement_requested": "Yêu cầu bổ sung hồ sơ",
    "withdrawal_confirmed": "Dừng giải quyết hồ sơ",
    "dossier_accepted": "Tiếp nhận hồ sơ và hẹn trả kết quả",
    "dossier_refused": "Từ chối tiếp nhận hồ sơ",
    "result_ready": "Có kết quả giải quyết hồ sơ",
    "dossier_delayed": "Xin lỗi và hẹn lại ngày trả kết quả",
    "dossier_stopped": "Dừng giải quyết hồ sơ theo quyết định của cơ quan",
    "consultation_requested": "Xin ý kiến cơ quan phối hợp (gửi cán bộ)",
}


class OutboundMessage(models.Model):
    class Channel(models.TextChoices):
        EMAIL = "email", "Thư điện tử"
        SMS = "sms", "Tin nhắn SMS"

    class Status(models.TextChoices):
        PENDING = "pending", "Chờ gửi"
        SENT = "sent", "Đã gửi"
        FAILED = "failed", "Gửi không thành công"

    channel = models.CharField("kênh", max_length=8, choices=Channel.choices, default=Channel.EMAIL)
    template = models.CharField("mẫu", max_length=60)
    recipient = models.CharField("người nhận", max_length=254)
    subject = models.CharField("tiêu đề", max_length=255)
    body_text = models.TextField("nội dung")
    body_html = models.TextField("nội dung HTML", blank=True)
    status = models.CharField(
        "trạng thái", max_length=8, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField("số lần thử", default=0)
    next_attempt_at = models.DateTimeField("lần thử tới", default=timezone.now)
    last_error = models.TextField("lỗi gần nhất", blank=True)
    created_at = models.DateTimeField("tạo lúc", default=timezone.now)
    sent_at = models.DateTimeField("gửi lúc", null=True, blank=True)

    class Meta:
        verbose_name = "thông báo gửi đi"
        verbose_name_plural = "thông báo gửi đi"
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outbox_due"),
            models.Index(fields=["recipient", "-created_at"], name="outbox_recipient"),
        ]

    def __str__(self):
        return f"{self.subject} → {self.recipient}"

    @property
    def template_name(self) -> str:
        return TEMPLATE_NAMES.get(self.template, self.template)


class MailboxMessage(models.Model):
    """Demo mode's delivered mail: what an SMTP server would have put in a mailbox."""

    to = models.CharField("người nhận", max_length=254)
    from_email = models.CharField("người gửi", max_length=254)
    subject = models.CharField("tiêu đề", max_length=255)
    body_text = models.TextField("nội dung")
    body_html = models.TextField("nội dung HTML", blank=True)
    received_at = models.DateTimeField("nhận lúc", default=timezone.now)

    class Meta:
        verbose_name = "thư trong hộp thư thử nghiệm"
        verbose_name_plural = "hộp thư thử nghiệm"
        indexes = [models.Index(fields=["-received_at"], name="mailbox_recent")]

    def __str__(self):
        return f"{self.subject} → {self.to}"
