"""Appointment and step deadlines of a dossier (DOMAIN §7), on its agency's working calendar
(``motcua.workcalendar``: working periods, weekends, holidays, bridge days, make-up
Saturdays, admin overrides)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from motcua.workcalendar.calc import timeliness
from motcua.workcalendar.selectors import calendar_for


def add_working_hours(agency, start: dt.datetime, hours) -> dt.datetime:
    """The moment ``hours`` working hours after ``start`` (never outside working time)."""
    return calendar_for(agency).add_working_hours(start, Decimal(hours))


def working_hours_between(agency, start: dt.datetime, end: dt.datetime) -> Decimal:
    return calendar_for(agency).working_hours_between(start, end)


def legal_hours(version) -> Decimal:
    """The procedure's time limit in working hours (8 h a working day)."""
    value = Decimal(version.time_limit_value or 0)
    return value if version.time_limit_unit == "hours" else value * 8


def appointment(dossier, start: dt.datetime) -> dt.datetime:
    """The appointment date (ngày hẹn trả) of a dossier received at ``start``: counted from
    the next working moment, in working hours, calendar days or months as the procedure
    states its time limit (§7.1, §7.3)."""
    version = dossier.version
    calendar = calendar_for(dossier.receiving_agency)
    begin = calendar.clock_start(start)
    if version.no_appointment:
        return begin
    value = Decimal(version.time_limit_value or 0)
    if version.time_limit_unit == "days":
        return calendar.add_calendar_days(begin, int(value))
    if version.time_limit_unit == "months":
        return calendar.add_months(begin, int(value))
    return calendar.add_working_hours(begin, legal_hours(version))


def timeliness_of(
    dossier, now: dt.datetime | None = None, calendars: dict | None = None
) -> str | None:
    """Trước hạn / đúng hạn / quá hạn once finished, đang xử lý trong hạn / sắp đến hạn /
    quá hạn while open (§7.6); measured against the original appointment, which an apology
    does not move for the statistics. None before the clock starts. A paused clock is read
    at the moment it stopped.

    ``calendars`` (agency id → calendar), shared by the dossiers of one list, saves checking
    the calendar configuration's version again for each of them."""
    due = dossier.original_due_at or dossier.due_at
    if due is None:
        return None
    if dossier.finished_at is not None:
        return timeliness(due, finished_at=dossier.finished_at)
    agency = dossier.receiving_agency_id
    if calendars is None:
        calendar = calendar_for(agency)
    elif agency in calendars:
        calendar = calendars[agency]
    else:
        calendar = calendars[agency] = calendar_for(agency)
    moment = dossier.paused_at or now or timezone.now()
    return timeliness(due, now=moment, calendar=calendar)
