"""The appointment date is counted on the agency's working calendar."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from motcua.dossiers.deadlines import appointment
from motcua.dossiers.models import Dossier
from tests.factories import ProcedureVersionFactory

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")


def dossier(**version):
    v = ProcedureVersionFactory(**version)
    return Dossier(version=v, receiving_agency=v.agency)


def test_working_days_skip_the_weekend_and_the_national_day():
    # Friday 28 August 2026, 9:00; 2 September (Wednesday) and 1 September (bridge day
    # or not) are days off; five working days land no earlier than Monday 7 September.
    due = appointment(dossier(time_limit_value=5), dt.datetime(2026, 8, 28, 9, tzinfo=VN))
    assert due.astimezone(VN).date() >= dt.date(2026, 9, 7)
    assert due.astimezone(VN).weekday() < 5


def test_a_friday_evening_reception_counts_from_monday_morning():
    due = appointment(dossier(time_limit_value=1), dt.datetime(2026, 12, 4, 20, tzinfo=VN))
    local = due.astimezone(VN)
    assert local.date() == dt.date(2026, 12, 7)


def test_calendar_days_end_on_a_working_day():
    due = appointment(
        dossier(time_limit_value=15, time_limit_unit="days"),
        dt.datetime(2026, 12, 4, 9, tzinfo=VN),
    )
    assert due.astimezone(VN).weekday() < 5
    assert due.astimezone(VN).date() >= dt.date(2026, 12, 19)


def test_timeliness_follows_the_original_appointment():
    from motcua.dossiers.deadlines import timeliness_of

    d = dossier()
    assert timeliness_of(d) is None  # not yet received
    d.original_due_at = d.due_at = dt.datetime(2026, 12, 10, 17, tzinfo=VN)
    assert timeliness_of(d, now=dt.datetime(2026, 12, 1, 9, tzinfo=VN)) == "in_time"
    assert timeliness_of(d, now=dt.datetime(2026, 12, 10, 9, tzinfo=VN)) == "due_soon"
    assert timeliness_of(d, now=dt.datetime(2026, 12, 11, 9, tzinfo=VN)) == "overdue"
    d.due_at = dt.datetime(2026, 12, 20, 17, tzinfo=VN)  # an apology moved the date
    assert timeliness_of(d, now=dt.datetime(2026, 12, 11, 9, tzinfo=VN)) == "overdue"
    d.finished_at = dt.datetime(2026, 12, 9, 10, tzinfo=VN)
    assert timeliness_of(d) == "early"
