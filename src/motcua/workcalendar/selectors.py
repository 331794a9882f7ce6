"""The calendar of an agency, built from the configuration and cached.

Interface for the other apps (the workflow computes every due date through it)::

    from motcua.workcalendar.selectors import calendar_for

    from motcua.workcalendar.calc import Clock, ClockMode, Timeliness, step_deadline, timeliness

    calendar = calendar_for(agency)          # or calendar_for() for the province default
    start = calendar.clock_start(accepted_at)               # next working period if outside
    due = calendar.add_working_days(start, 5)               # or add_working_hours / add_calendar_days
    clock = Clock.start(calendar, start, hours)             # .pause(at) .resume(calendar, at, mode)
    step_due = step_deadline(calendar, step_started_at, budget_hours)
    state = timeliness(due, finished_at=..., supplement_requests=n)      # finished
    state = timeliness(due, now=now, calendar=calendar)                  # open
    queue = due_at between now and calendar.horizon(now, 8)              # "sắp đến hạn"

``calendar_for(agency=None) -> WorkingCalendar`` (``agency`` a ``catalog.Agency``, its
primary key, or ``None``):

- periods: the agency's own working periods if it has any, else the province-wide ones
  (no agency), else Monday–Friday 07:00–11:30 and 13:30–17:00;
- days off: public holidays and bridge days from the ``holidays`` package, plus every
  ``DayOverride`` of kind day off (province-wide, then the agency's);
- extra working days: make-up Saturdays the package records, plus overrides of kind working
  day. On one date an agency's override beats the province's, and any override beats the
  package.

The result is kept in this process, keyed by a version of the two configuration tables
(row count and latest ``updated_at``), so a change made in the admin — in this process or
another — is seen by the next call. Bulk ``QuerySet.update()`` does not touch
``updated_at``: change the configuration through ``save()`` (the admin does) or call
``clear_cache()``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, F, Max, Q

from motcua.workcalendar import statutory
from motcua.workcalendar.calc import WorkingCalendar
from motcua.workcalendar.models import DayOverride, WorkingPeriod

# (version, {agency id: calendar}); replaced whole when the version changes, so that threads
# reading it never see a dictionary being emptied under them.
_cache: tuple[tuple | None, dict] = (None, {})


def clear_cache() -> None:
    global _cache
    _cache = (None, {})


def configuration_version() -> tuple:
    """Changes whenever a working period or a day override is added, changed or removed."""
    periods = WorkingPeriod.objects.aggregate(n=Count("id"), at=Max("updated_at"))
    overrides = DayOverride.objects.aggregate(n=Count("id"), at=Max("updated_at"))
    return (periods["n"], periods["at"], overrides["n"], overrides["at"])


def calendar_for(agency=None) -> WorkingCalendar:
    global _cache
    agency_id = getattr(agency, "pk", agency)
    version = configuration_version()
    cached_version, calendars = _cache
    if cached_version != version:
        calendars = {}
        _cache = (version, calendars)
    calendar = calendars.get(agency_id)
    if calendar is None:
        calendar = calendars[agency_id] = _build(agency_id)
    return calendar


def _build(agency_id) -> WorkingCalendar:
    weekly = _weekly(agency_id)
    overrides: dict[dt.date, str] = {}
    # The province's first, so that the agency's own overrides replace them.
    rows = DayOverride.objects.filter(agency__isnull=True).values_list("date", "kind")
    overrides.update(rows)
    if agency_id is not None:
        overrides.update(
            DayOverride.objects.filter(agency_id=agency_id).values_list("date", "kind")
        )
    days_off = {d for d, kind in overrides.items() if kind == DayOverride.Kind.DAY_OFF}
    extra = {d for d, kind in overrides.items() if kind == DayOverride.Kind.WORKING_DAY}
    extra |= {d for d in statutory.make_up_days() if d not in overrides}

    # Extra working days win over the package's holidays inside the calendar itself.
    return WorkingCalendar(
        weekly=weekly,
        days_off=days_off,
        extra_working_days=extra,
        public_holidays=statutory.days_off,
    )


def _weekly(agency_id):
    """The agency's periods, else the province's; ``None`` means the built-in week."""
    owners = [WorkingPeriod.objects.filter(agency__isnull=True)]
    if agency_id is not None:
        owners.insert(0, WorkingPeriod.objects.filter(agency_id=agency_id))
    for rows in owners:
        periods = list(rows.values_list("weekday", "start", "end"))
        if periods:
            weekly = defaultdict(list)
            for weekday, start, end in periods:
                weekly[weekday].append((start, end))
            return dict(weekly)
    return None


@dataclass(frozen=True)
class SpecialDay:
    """A date that departs from the weekly schedule, and why."""

    date: dt.date
    working: bool
    name: str
    source: str  # "package" or "override"


def special_days(year: int, agency=None) -> list[SpecialDay]:
    """The year's days off and extra working days as ``calendar_for`` sees them, in date
    order: what the administrator checks against the Government's announcement."""
    agency_id = getattr(agency, "pk", agency)
    days: dict[dt.date, SpecialDay] = {}
    for day, name in statutory.days_off(year).items():
        days[day] = SpecialDay(day, False, name, "package")
    for day, name in statutory.make_up_days().items():
        if day.year == year:
            days[day] = SpecialDay(day, True, name, "package")
    owners = Q(agency__isnull=True)
    if agency_id is not None:
        owners |= Q(agency_id=agency_id)
    rows = DayOverride.objects.filter(owners, date__year=year).order_by(
        F("agency_id").asc(nulls_first=True)
    )
    for row in rows.only("date", "kind", "name"):
        working = row.kind == DayOverride.Kind.WORKING_DAY
        days[row.date] = SpecialDay(row.date, working, row.name, "override")
    return sorted(days.values(), key=lambda special: special.date)
