"""The working-time calendar as configured by the province administrator
(docs/domain.md, "Working-time calendar").

Working periods per weekday, province-wide (no agency) or for one agency; day overrides per
date: a day off (holiday, bridge day) or a working day (make-up Saturday). Statutory public
holidays come from the ``holidays`` package and are not stored; an override on the same
date wins over them. ``selectors.calendar_for`` puts it all together.
"""

from django.core.exceptions import ValidationError
from django.db import models


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Thứ Hai"
    TUESDAY = 1, "Thứ Ba"
    WEDNESDAY = 2, "Thứ Tư"
    THURSDAY = 3, "Thứ Năm"
    FRIDAY = 4, "Thứ Sáu"
    SATURDAY = 5, "Thứ Bảy"
    SUNDAY = 6, "Chủ nhật"


class WorkingPeriod(models.Model):
    """One working period of a weekday (e.g. Monday 07:00–11:30). An agency with no
    periods of its own works the province-wide ones; with none at all, the built-in week
    (Monday–Friday, 07:00–11:30 and 13:30–17:00) applies."""

    agency = models.ForeignKey(
        "catalog.Agency",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="working_periods",
        verbose_name="cơ quan",
        help_text="Để trống: áp dụng cho toàn tỉnh.",
    )
    weekday = models.PositiveSmallIntegerField("thứ", choices=Weekday.choices)
    start = models.TimeField("từ giờ")
    end = models.TimeField("đến giờ")
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)

    class Meta:
        verbose_name = "khoảng giờ làm việc"
        verbose_name_plural = "giờ làm việc"
        ordering = ["agency_id", "weekday", "start"]
        indexes = [models.Index(fields=["agency", "weekday"], name="period_agency_weekday")]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.start:%H:%M}–{self.end:%H:%M}"

    def clean(self):
        if self.start is not None and self.end is not None and self.start >= self.end:
            raise ValidationError({"end": "Giờ kết thúc phải sau giờ bắt đầu."})
        if self.start is None or self.end is None:
            return
        overlapping = WorkingPeriod.objects.filter(
            agency=self.agency, weekday=self.weekday, start__lt=self.end, end__gt=self.start
        ).exclude(pk=self.pk)
        if overlapping.exists():
            raise ValidationError({"start": "Khoảng giờ này chồng lên một khoảng đã có."})


class DayOverride(models.Model):
    """A date that departs from the weekly schedule: a day off (public holiday the package
    does not know, a bridge day) or a working day (a make-up Saturday). The Government
    announces these every year, so they are data, never code."""

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", "Ngày nghỉ"
        WORKING_DAY = "working_day", "Ngày làm việc (làm bù)"

    agency = models.ForeignKey(
        "catalog.Agency",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="day_overrides",
        verbose_name="cơ quan",
        help_text="Để trống: áp dụng cho toàn tỉnh.",
    )
    date = models.DateField("ngày")
    kind = models.CharField("loại", max_length=12, choices=Kind.choices)
    name = models.CharField("tên", max_length=200, help_text="Ví dụ: Nghỉ bù Quốc khánh.")
    legal_basis = models.CharField(
        "căn cứ", max_length=255, blank=True, help_text="Văn bản công bố ngày nghỉ, làm bù."
    )
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)

    class Meta:
        verbose_name = "ngày nghỉ, ngày làm bù"
        verbose_name_plural = "ngày nghỉ, ngày làm bù"
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "date"],
                name="override_agency_date",
                violation_error_message="Cơ quan này đã có một dòng cho ngày này.",
            ),
            models.UniqueConstraint(
                fields=["date"],
                condition=models.Q(agency__isnull=True),
                name="override_province_date",
                violation_error_message="Ngày này đã có một dòng áp dụng cho toàn tỉnh.",
            ),
        ]
        indexes = [models.Index(fields=["date"], name="override_date")]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} — {self.name}"
