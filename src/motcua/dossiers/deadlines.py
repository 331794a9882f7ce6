"""Appointment and step deadlines in working hours (DOMAIN §7.4).

``add_working_hours`` and ``working_hours_between`` are the only places that know the
calendar; they stand on Monday–Friday 07:30–11:30 and 13:30–17:30 until the agency calendar
of ``motcua.workcalendar`` is merged, when they delegate to it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

PERIODS = ((dt.time(7, 30), dt.time(11, 30)), (dt.time(13, 30), dt.time(17, 30)))


def _periods(day: dt.date, tz):
    if day.weekday() >= 5:
        return []
    return [
        (dt.datetime.combine(day, a, tzinfo=tz), dt.datetime.combine(day, b, tzinfo=tz))
        for a, b in PERIODS
    ]


def add_working_hours(agency, start: dt.datetime, hours) -> dt.datetime:
    """The moment ``hours`` working hours after ``start`` (never outside working time)."""
    tz = timezone.get_current_timezone()
    at = timezone.localtime(start, tz)
    left = dt.timedelta(hours=float(Decimal(hours)))
    day = at.date()
    while True:
        for a, b in _periods(day, tz):
            begin = max(a, at)
            if begin >= b:
                continue
            if begin + left <= b and left > dt.timedelta(0):
                return begin + left
            if left <= dt.timedelta(0):
                return begin
            left -= b - begin
        day += dt.timedelta(days=1)
        at = dt.datetime.combine(day, dt.time(0), tzinfo=tz)


def working_hours_between(agency, start: dt.datetime, end: dt.datetime) -> Decimal:
    tz = timezone.get_current_timezone()
    start, end = timezone.localtime(start, tz), timezone.localtime(end, tz)
    total = dt.timedelta(0)
    day = start.date()
    while day <= end.date():
        for a, b in _periods(day, tz):
            lo, hi = max(a, start), min(b, end)
            if hi > lo:
                total += hi - lo
        day += dt.timedelta(days=1)
    return Decimal(total.total_seconds()) / 3600


def legal_hours(version) -> Decimal:
    """The procedure's time limit in working hours (8 h a working day)."""
    value = Decimal(version.time_limit_value or 0)
    unit = version.time_limit_unit
    if unit == "hours":
        return value
    if unit == "months":
        return value * 22 * 8
    return value * 8


def appointment(dossier, start: dt.datetime) -> dt.datetime:
    """The appointment date (ngày hẹn trả) of a dossier received at ``start``."""
    version = dossier.version
    if version.no_appointment:
        return start
    if version.time_limit_unit == "days":  # calendar days (DOMAIN §7.1)
        return start + dt.timedelta(days=float(version.time_limit_value))
    return add_working_hours(dossier.receiving_agency, start, legal_hours(version))
