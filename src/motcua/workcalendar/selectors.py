"""The calendar of an agency, built from the configuration and cached.

Interface for the other apps (the workflow computes every due date through it)::

    from motcua.workcalendar.selectors import calendar_for

    from motcua.workcalendar.calc import Clock, ClockMode, Timeliness, step_deadline, timeliness

    calendar = calendar_for(agency)          # or calendar_for() for the province default
    start = calendar.clock_start(accepted_at)               # next working period if outside
    due = calendar.add_limit(start, version.time_limit_value, version.time_limit_unit)
    due = calendar.add_working_days(start, 5)    # or add_working_hours / add_calendar_days
    clock = Clock.start(calendar, start, hours)             # .pause(at) .resume(calendar, at, mode)
    step_due = step_deadline(calendar, step_started_at, budget_hours)
    state = timeliness(due, finished_at=..., supplement_requests=n)      # finished
    state = timeliness(due, now=now, calendar=calendar)                  # open
    queue = due_at between now and calendar.horizon(now, 8)              # "sắp đến hạn"

``calendar_for(agency=None) -> WorkingCalendar`` (``agency`` a ``catalog.Agency``, its
primary key, or ``None``):

- periods: the agency's own working periods if it has any, else the province-wide ones
  (no agency), else Monday–Friday 07:00–11:30 and 13:30–17:00; periods with a season
  (from dd/mm to dd/mm) replace the usual week on the dates it covers;
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
from motcua.workcalendar.calc import Season, WorkingCalendar
from motcua.workcalendar.models import DayOverride, WorkingPeriod, parse_day_month

# (version, {agency id: calendar}); replaced whole when the version changes, so that threads
# reading it never see a dictionary being emptied under them.
_cache: tuple[tuple | None, dict] = (None, {})


def clear_cache() -> None:
    global _cache
    _cache = (None, {})


def drop_cache(**kwargs) -> None:
    """``clear_cache`` as a signal receiver (``apps.WorkCalendarConfig.ready``)."""
    clear_cache()


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
    weekly, seasons = _weeks(agency_id)
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
        seasons=seasons,
    )


def _weeks(agency_id):
    """The agency's periods, else the province's, as the usual week (``None``: the
    built-in one) and the seasons with their own weeks."""
    owners = [WorkingPeriod.objects.filter(agency__isnull=True)]
    if agency_id is not None:
        owners.insert(0, WorkingPeriod.objects.filter(agency_id=agency_id))
    for rows in owners:
        fields = ("season_start", "season_end", "weekday", "start", "end")
        periods = list(rows.order_by("season_start", "weekday", "start").values_list(*fields))
        if not periods:
            continue
        weeks: dict[tuple[str, str], dict] = defaultdict(lambda: defaultdict(list))
        for season_start, season_end, weekday, start, end in periods:
            weeks[(season_start, season_end)][weekday].append((start, end))
        usual = weeks.pop(("", ""), None)
        seasons = []
        for (season_start, season_end), week in weeks.items():
            first, last = parse_day_month(season_start), parse_day_month(season_end)
            if first and last:
                seasons.append(Season(first, last, dict(week)))
        # Only seasons configured: outside them the built-in week applies.
        return (dict(usual) if usual is not None else None), seasons
    return None, []


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
