"""Processes as data (quy trình nội bộ, quy trình điện tử — DOMAIN §3.1).

A process belongs to a procedure (and optionally one of its cases) and is versioned: a
draft is edited freely, publishing checks it (``workflow.validation``) and retires the
previous published version, and a published version is never edited again. A dossier
points at the version it started with, so a later change never moves its steps.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from motcua.accounts.models import Role
from motcua.workflow.vocabulary import ActionCode, Clock, FormCode, NationalStatus


class Process(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", "Bản nháp"
        PUBLISHED = "published", "Đang áp dụng"
        RETIRED = "retired", "Đã thay thế"

    procedure = models.ForeignKey(
        "catalog.Procedure",
        on_delete=models.PROTECT,
        related_name="processes",
        verbose_name="thủ tục",
    )
    case = models.CharField(
        "trường hợp",
        max_length=120,
        blank=True,
        help_text="Để trống nếu quy trình áp dụng cho mọi trường hợp của thủ tục.",
    )
    number = models.PositiveIntegerField("phiên bản số", default=1)
    name = models.CharField("tên quy trình", max_length=255)
    decision = models.CharField(
        "quyết định phê duyệt", max_length=120, blank=True, help_text="Ví dụ: 3857/QĐ-UBND."
    )
    state = models.CharField(
        "tình trạng", max_length=10, choices=State.choices, default=State.DRAFT
    )
    published_at = models.DateTimeField("công bố lúc", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="người công bố",
    )
    created_at = models.DateTimeField("tạo lúc", default=timezone.now)

    class Meta:
        verbose_name = "quy trình giải quyết"
        verbose_name_plural = "quy trình giải quyết"
        ordering = ["procedure__code", "case", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["procedure", "case", "number"], name="uniq_process_number"
            ),
            # At most one version of a procedure's case applies at a time.
            models.UniqueConstraint(
                fields=["procedure", "case"],
                condition=Q(state="published"),
                name="uniq_process_published",
            ),
        ]
        indexes = [models.Index(fields=["procedure", "state"], name="process_procedure_state")]

    def __str__(self):
        case = f" – {self.case}" if self.case else ""
        return f"{self.name}{case} (phiên bản {self.number})"

    @property
    def editable(self) -> bool:
        return self.state == self.State.DRAFT

    def start_step(self):
        return self.steps.filter(is_start=True).first()

    def counted_hours(self):
        return sum(s.hours for s in self.steps.all() if s.counts_toward_deadline)


class Step(models.Model):
    process = models.ForeignKey(
        Process, on_delete=models.CASCADE, related_name="steps", verbose_name="quy trình"
    )
    position = models.PositiveSmallIntegerField("thứ tự", default=0)
    code = models.SlugField("mã bước", max_length=40)
    name = models.CharField("tên bước", max_length=200)
    role = models.CharField("vai trò thực hiện", max_length=24, choices=Role.choices)
    agency = models.ForeignKey(
        "catalog.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="cơ quan thực hiện",
        help_text="Để trống: cơ quan giải quyết thủ tục của hồ sơ.",
    )
    department = models.CharField("phòng, bộ phận", max_length=150, blank=True)
    hours = models.DecimalField(
        "thời gian (giờ làm việc)",
        max_digits=6,
        decimal_places=1,
        default=0,
        help_text="8 giờ làm việc = 1 ngày làm việc.",
    )
    counts_toward_deadline = models.BooleanField("tính vào thời hạn giải quyết", default=True)
    is_start = models.BooleanField("bước bắt đầu", default=False)
    is_end = models.BooleanField("bước kết thúc", default=False)

    class Meta:
        verbose_name = "bước xử lý"
        verbose_name_plural = "các bước xử lý"
        ordering = ["process", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["process", "code"], name="uniq_step_code"),
        ]

    def __str__(self):
        return self.name


class Action(models.Model):
    process = models.ForeignKey(
        Process, on_delete=models.CASCADE, related_name="actions", verbose_name="quy trình"
    )
    code = models.CharField("thao tác", max_length=24, choices=ActionCode.choices)
    name = models.CharField("tên hiển thị", max_length=200, blank=True)
    from_step = models.ForeignKey(
        Step,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="outgoing",
        verbose_name="từ bước",
        help_text="Để trống: thực hiện được ở mọi bước chưa kết thúc.",
    )
    to_step = models.ForeignKey(
        Step,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="incoming",
        verbose_name="đến bước",
        help_text="Để trống: hồ sơ ở lại bước hiện tại.",
    )
    roles = models.JSONField("vai trò được thực hiện", default=list, blank=True)
    requires_paid = models.BooleanField("chỉ khi đã nộp phí, lệ phí", default=False)
    once_per_dossier = models.BooleanField("tối đa một lần cho mỗi hồ sơ", default=False)
    clock = models.CharField(
        "tác động đến thời hạn", max_length=8, choices=Clock.choices, blank=True, default=""
    )
    form = models.CharField(
        "biểu mẫu phát hành", max_length=20, choices=FormCode.choices, blank=True, default=""
    )
    sets_status = models.PositiveSmallIntegerField(
        "trạng thái hồ sơ sau thao tác", choices=NationalStatus.choices, null=True, blank=True
    )

    class Meta:
        verbose_name = "thao tác chuyển bước"
        verbose_name_plural = "các thao tác chuyển bước"
        ordering = ["process", "from_step__position", "id"]

    def __str__(self):
        return self.name or self.get_code_display()

    @property
    def label(self) -> str:
        return self.name or self.get_code_display()
