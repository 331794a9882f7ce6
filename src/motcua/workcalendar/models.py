"""The working-time calendar as configured by the province administrator
(docs/domain.md, "Working-time calendar").

Working periods per weekday, province-wide (no agency) or for one agency; day overrides per
date: a day off (holiday, bridge day) or a working day (make-up Saturday). Statutory public
holidays come from the ``holidays`` package and are not stored; an override on the same
date wins over them. ``selectors.calendar_for`` puts it all together.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models


def parse_day_month(text: str) -> tuple[int, int] | None:
    """ "dd/mm" as (month, day), or None when it is not a day of the year."""
    day, _, month = text.strip().partition("/")
    if not (day.isdigit() and month.isdigit()):
        return None
    try:
        dt.date(2024, int(month), int(day))  # a leap year: 29/02 is a day of some years
    except ValueError:
        return None
    return int(month), int(day)


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
    season_start = models.CharField(
        "áp dụng từ ngày",
        max_length=5,
        blank=True,
        help_text="Giờ theo mùa: ngày/tháng, ví dụ 15/10. Để trống: áp dụng cả năm.",
    )
    season_end = models.CharField(
        "đến hết ngày",
        max_length=5,
        blank=True,
        help_text="Ngày/tháng, ví dụ 14/04 (có thể sang năm sau).",
    )
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)

    class Meta:
        verbose_name = "khoảng giờ làm việc"
        verbose_name_plural = "giờ làm việc"
        ordering = ["agency_id", "weekday", "start"]
        indexes = [models.Index(fields=["agency", "weekday"], name="period_agency_weekday")]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.start:%H:%M}–{self.end:%H:%M}"

    def clean(self):
        errors = {}
        for name in ("season_start", "season_end"):
            value = getattr(self, name).strip()
            setattr(self, name, value)
            if value and parse_day_month(value) is None:
                errors[name] = "Nhập ngày/tháng, ví dụ 15/10."
        if bool(self.season_start) != bool(self.season_end):
            errors.setdefault("season_end", "Nhập cả ngày bắt đầu và ngày kết thúc của mùa.")
        if self.start is not None and self.end is not None and self.start >= self.end:
            errors["end"] = "Giờ kết thúc phải sau giờ bắt đầu."
        if errors:
            raise ValidationError(errors)
        if self.start is None or self.end is None:
            return
        overlapping = WorkingPeriod.objects.filter(
            agency=self.agency,
            weekday=self.weekday,
            season_start=self.season_start,
            season_end=self.season_end,
            start__lt=self.end,
            end__gt=self.start,
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
