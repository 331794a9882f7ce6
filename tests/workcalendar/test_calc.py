"""The working-time arithmetic of docs/domain.md ("Working-time calendar"), on a calendar
built without the database."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from motcua.workcalendar import statutory
from motcua.workcalendar.calc import (
    TZ,
    Clock,
    ClockMode,
    Timeliness,
    WorkingCalendar,
    step_deadline,
    timeliness,
)


def at(*parts) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=TZ)


CALENDAR = WorkingCalendar(
    public_holidays=statutory.days_off, extra_working_days=statutory.make_up_days()
)

# The due-date vectors of the domain notes (§7.4): periods 07:00–11:30 and 13:30–17:00, the 2025/2026 holidays.
VECTORS = [
    (at(2025, 4, 29, 9), 3, at(2025, 5, 7, 9)),
    (at(2025, 4, 25, 16), 1, at(2025, 4, 26, 16)),
    (at(2025, 4, 25, 16), 5, at(2025, 5, 6, 16)),
    (at(2025, 8, 29, 15, 30), 1, at(2025, 9, 3, 15, 30)),
    (at(2026, 2, 13, 10), 2, at(2026, 2, 24, 10)),
]
VECTOR_IDS = ["30-4+swap", "make-up-saturday", "five-days-over-30-4", "quoc-khanh", "tet-2026"]


@pytest.mark.parametrize(("received", "days", "due"), VECTORS, ids=VECTOR_IDS)
def test_domain_vectors_in_working_days(received, days, due):
    assert CALENDAR.add_working_days(received, days) == due


@pytest.mark.parametrize(("received", "days", "due"), VECTORS, ids=VECTOR_IDS)
def test_domain_vectors_in_hours_and_back(received, days, due):
    assert CALENDAR.add_working_hours(received, days * 8) == due
    assert CALENDAR.working_hours_between(received, due) == days * 8


def test_a_result_in_another_timezone_is_the_same_moment():
    received = at(2025, 4, 29, 9).astimezone(dt.UTC)
    due = CALENDAR.add_working_days(received, 3)
    assert due == at(2025, 5, 7, 9) and due.utcoffset() == dt.timedelta(hours=7)


def test_working_time_includes_the_ends_of_a_period_and_not_lunch():
    assert CALENDAR.is_working_time(at(2025, 3, 10, 7))
    assert CALENDAR.is_working_time(at(2025, 3, 10, 11, 30))
    assert not CALENDAR.is_working_time(at(2025, 3, 10, 12))
    assert not CALENDAR.is_working_time(at(2025, 3, 10, 17, 1))
    assert not CALENDAR.is_working_time(at(2025, 3, 8, 9))  # Saturday
    assert CALENDAR.is_working_time(at(2025, 4, 26, 9))  # make-up Saturday
    assert not CALENDAR.is_working_time(at(2025, 5, 2, 9))  # the day swapped for it
    assert not CALENDAR.is_working_time(at(2026, 11, 24, 9))  # Ngày Văn hóa Việt Nam


def test_zero_hours_moves_only_a_start_outside_working_time():
    assert CALENDAR.add_working_hours(at(2025, 3, 10, 11, 30), 0) == at(2025, 3, 10, 11, 30)
    assert CALENDAR.add_working_hours(at(2025, 3, 10, 12), 0) == at(2025, 3, 10, 13, 30)
    assert CALENDAR.add_working_hours(at(2025, 3, 8, 12), 0) == at(2025, 3, 10, 7)
    # From the end of the morning, the next hour is the afternoon's first.
    assert CALENDAR.add_working_hours(at(2025, 3, 10, 11, 30), 1) == at(2025, 3, 10, 14, 30)


def test_fractions_of_an_hour_and_half_days():
    assert CALENDAR.add_working_hours(at(2025, 3, 10, 11), Decimal("0.75")) == at(
        2025, 3, 10, 13, 45
    )
    assert CALENDAR.add_working_days(at(2025, 3, 10, 7), Decimal("0.5")) == at(2025, 3, 10, 11)
    assert CALENDAR.working_hours_between(at(2025, 3, 10, 11), at(2025, 3, 10, 14)) == 1


def test_between_is_signed():
    assert CALENDAR.working_hours_between(at(2025, 3, 11, 9), at(2025, 3, 10, 9)) == -8


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        # An ordinary working day: the same time of day.
        (at(2026, 1, 5, 10), 15, at(2026, 1, 20, 10)),
        # Ends on Sunday 26/4/2026 (Giỗ Tổ, observed on Monday 27/4): end of Tuesday.
        (at(2026, 4, 16, 10), 10, at(2026, 4, 28, 17)),
        # Ends on a plain Saturday: end of Monday.
        (at(2025, 3, 3, 9), 5, at(2025, 3, 10, 17)),
    ],
)
def test_calendar_days_roll_off_days_off(start, days, due):
    assert CALENDAR.add_calendar_days(start, days) == due


def test_months_keep_the_day_or_take_the_last_of_a_short_month():
    assert CALENDAR.add_months(at(2025, 1, 31, 10), 1) == at(2025, 2, 28, 10)
    assert CALENDAR.add_months(at(2025, 11, 14, 10), 2) == at(2026, 1, 14, 10)


def test_clock_start_moves_to_working_time_and_honours_cutoffs():
    assert CALENDAR.clock_start(at(2025, 3, 8, 10)) == at(2025, 3, 10, 7)
    assert CALENDAR.clock_start(at(2025, 3, 10, 12)) == at(2025, 3, 10, 13, 30)
    assert CALENDAR.clock_start(at(2025, 3, 10, 15, 30)) == at(2025, 3, 10, 15, 30)
    cutoff = dt.time(15)
    assert CALENDAR.clock_start(at(2025, 3, 10, 15, 30), cutoff=cutoff) == at(2025, 3, 11, 7)
    assert CALENDAR.clock_start(at(2025, 3, 10, 14, 59), cutoff=cutoff) == at(2025, 3, 10, 14, 59)
    hour = dt.timedelta(hours=1)
    assert CALENDAR.clock_start(at(2025, 3, 10, 16, 10), cutoff_before_close=hour) == at(
        2025, 3, 11, 7
    )
    assert CALENDAR.clock_start(at(2025, 3, 10, 15, 50), cutoff_before_close=hour) == at(
        2025, 3, 10, 15, 50
    )
    # Tuesday after the cut-off, before the 30/4 holidays of 2025: Monday 5/5.
    assert CALENDAR.clock_start(at(2025, 4, 29, 16), cutoff=cutoff) == at(2025, 5, 5, 7)


def test_custom_periods_and_extra_days():
    summer = WorkingCalendar(
        weekly={
            d: [(dt.time(7), dt.time(11)), (dt.time(13, 30), dt.time(17, 30))] for d in range(6)
        },
        days_off=[dt.date(2025, 3, 11)],
    )
    assert summer.is_working_time(at(2025, 3, 8, 9))  # Saturdays worked
    assert not summer.is_working_time(at(2025, 3, 11, 9))
    assert summer.add_working_hours(at(2025, 3, 10, 17), 1) == at(2025, 3, 12, 7, 30)


@pytest.mark.parametrize(
    "weekly",
    [
        {0: [(dt.time(9), dt.time(8))]},
        {0: [(dt.time(7), dt.time(12)), (dt.time(11), dt.time(17))]},
        {},
    ],
    ids=["reversed", "overlapping", "no-work"],
)
def test_bad_configuration_is_refused(weekly):
    with pytest.raises(ValueError):
        WorkingCalendar(weekly=weekly)


def test_naive_datetimes_floats_and_negative_hours_are_refused():
    with pytest.raises(ValueError):
        CALENDAR.add_working_hours(dt.datetime(2025, 3, 10, 9), 1)
    with pytest.raises(TypeError):
        CALENDAR.add_working_hours(at(2025, 3, 10, 9), 0.1)
    with pytest.raises(ValueError):
        CALENDAR.add_working_hours(at(2025, 3, 10, 9), -1)


def test_statutory_make_up_days_come_from_the_package():
    make_up = statutory.make_up_days()
    assert dt.date(2025, 4, 26) in make_up and dt.date(2026, 8, 22) in make_up
    assert "02/05/2025" in make_up[dt.date(2025, 4, 26)]
    assert dt.date(2026, 2, 17) in statutory.days_off(2026)  # Tết
    assert dt.date(2025, 4, 7) in statutory.days_off(2025)  # Giỗ Tổ Hùng Vương


# The clock (§7.5) -------------------------------------------------------------------------


def test_clock_resume_adds_the_working_hours_spent_paused():
    clock = Clock.start(CALENDAR, at(2025, 3, 10, 8), 16)
    assert clock.due_at == at(2025, 3, 12, 8)
    paused = clock.pause(at(2025, 3, 10, 14))
    # A paused clock does not run: 12 h left on Tuesday as when it stopped on Monday.
    assert paused.remaining_hours(CALENDAR, at(2025, 3, 11, 16)) == 12
    resumed = paused.resume(CALENDAR, at(2025, 3, 12, 9))
    # Paused 3 h on Monday, 8 h on Tuesday, 2 h on Wednesday: 13 h later than before.
    assert resumed.due_at == at(2025, 3, 13, 15)
    assert resumed.paused_hours == 13 and not resumed.is_paused
    assert resumed.remaining_hours(CALENDAR, at(2025, 3, 12, 9)) == 12
    # Used: Monday 08:00–14:00, 4 h; the pause is not counted.
    assert resumed.elapsed_hours(CALENDAR, at(2025, 3, 12, 9)) == 4
    assert paused.elapsed_hours(CALENDAR, at(2025, 3, 11, 16)) == 4


def test_clock_restart_counts_the_whole_limit_again():
    clock = Clock.start(CALENDAR, at(2025, 3, 10, 8), 16).pause(at(2025, 3, 10, 14))
    restarted = clock.resume(CALENDAR, at(2025, 3, 12, 9), ClockMode.RESTART)
    assert restarted.started_at == at(2025, 3, 12, 9)
    assert restarted.due_at == at(2025, 3, 14, 9)


def test_a_pause_over_a_weekend_costs_nothing():
    clock = Clock.start(CALENDAR, at(2025, 3, 6, 9), 24)
    resumed = clock.pause(at(2025, 3, 7, 17)).resume(CALENDAR, at(2025, 3, 10, 7))
    assert resumed.due_at == clock.due_at


def test_clock_refuses_double_pause_and_resume_without_pause():
    clock = Clock.start(CALENDAR, at(2025, 3, 10, 8), 8)
    with pytest.raises(ValueError):
        clock.resume(CALENDAR, at(2025, 3, 10, 9))
    with pytest.raises(ValueError):
        clock.pause(at(2025, 3, 10, 9)).pause(at(2025, 3, 10, 10))


def test_step_deadline_uses_the_step_budget():
    assert step_deadline(CALENDAR, at(2025, 4, 29, 16), 4) == at(2025, 5, 5, 10)


# Timeliness (§7.6) -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("finished", "supplements", "expected"),
    [
        (at(2025, 5, 6, 16), 0, Timeliness.EARLY),
        (at(2025, 5, 7, 16, 30), 0, Timeliness.ON_TIME),
        (at(2025, 5, 7, 8), 0, Timeliness.ON_TIME),
        (at(2025, 5, 8, 7), 0, Timeliness.LATE),
        (at(2025, 5, 6, 16), 2, Timeliness.LATE),
    ],
)
def test_finished_dossiers_are_compared_by_date(finished, supplements, expected):
    due = at(2025, 5, 7, 9)
    assert timeliness(due, finished_at=finished, supplement_requests=supplements) == expected


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (at(2025, 5, 5, 9), Timeliness.IN_TIME),
        (at(2025, 5, 6, 9, 30), Timeliness.DUE_SOON),
        (at(2025, 5, 7, 9), Timeliness.DUE_SOON),
        (at(2025, 5, 7, 9, 1), Timeliness.OVERDUE),
    ],
)
def test_open_dossiers_against_now(now, expected):
    due = at(2025, 5, 7, 9)
    assert timeliness(due, now=now, calendar=CALENDAR) == expected


def test_due_soon_counts_working_hours_not_clock_hours():
    # Due on Monday 5/5/2025: the holidays from 30/4 to 4/5 do not count.
    due = at(2025, 5, 5, 9)
    assert timeliness(due, now=at(2025, 4, 29, 16), calendar=CALENDAR) == Timeliness.DUE_SOON
    assert timeliness(due, now=at(2025, 4, 29, 8), calendar=CALENDAR) == Timeliness.IN_TIME
    assert Timeliness.DUE_SOON.label == "Sắp đến hạn"
    assert Timeliness.OVERDUE.label == "Đang xử lý quá hạn"


def test_the_horizon_reaches_past_lunch_and_nights():
    assert CALENDAR.horizon(at(2025, 3, 10, 9), 2) == at(2025, 3, 10, 11)
    assert CALENDAR.horizon(at(2025, 3, 10, 9), Decimal("2.5")) == at(2025, 3, 10, 13, 30)
    assert CALENDAR.horizon(at(2025, 3, 7, 9), 6) == at(2025, 3, 10, 7)


# Properties --------------------------------------------------------------------------------

# Half-hour grids reach the ends of periods (11:30, 17:00) often, where off-by-one slips hide.
grid_starts = st.builds(
    lambda day, slot: dt.datetime.combine(day, dt.time(slot // 2, 30 * (slot % 2)), tzinfo=TZ),
    st.dates(min_value=dt.date(2024, 12, 1), max_value=dt.date(2027, 6, 30)),
    st.integers(min_value=0, max_value=47),
)
any_starts = st.datetimes(
    min_value=dt.datetime(2024, 12, 1), max_value=dt.datetime(2027, 6, 30)
).map(lambda moment: moment.replace(microsecond=0, tzinfo=TZ))
starts = st.one_of(grid_starts, any_starts)
hours = st.one_of(
    st.integers(min_value=0, max_value=80).map(lambda halves: Decimal(halves) / 2),
    st.decimals(min_value=0, max_value=200, places=2),
)


@settings(max_examples=150, deadline=None)
@given(starts, hours)
def test_a_due_date_is_always_working_time(start, amount):
    assert CALENDAR.is_working_time(CALENDAR.add_working_hours(start, amount))


@settings(max_examples=150, deadline=None)
@given(starts, hours, hours)
@example(at(2025, 3, 10, 7), Decimal("4.5"), Decimal(0))
@example(at(2025, 3, 7, 13, 30), Decimal("3.5"), Decimal(0))
def test_adding_a_then_b_is_adding_a_plus_b(start, a, b):
    assert CALENDAR.add_working_hours(
        CALENDAR.add_working_hours(start, a), b
    ) == CALENDAR.add_working_hours(start, a + b)


@settings(max_examples=150, deadline=None)
@given(starts, hours)
def test_between_inverts_add(start, amount):
    assert (
        CALENDAR.working_hours_between(start, CALENDAR.add_working_hours(start, amount)) == amount
    )


@settings(max_examples=150, deadline=None)
@given(starts, hours, starts)
def test_a_pause_of_zero_changes_nothing(start, amount, pause_at):
    clock = Clock.start(CALENDAR, start, amount)
    assert clock.pause(pause_at).resume(CALENDAR, pause_at).due_at == clock.due_at


@settings(max_examples=100, deadline=None)
@given(starts, hours, hours)
def test_more_hours_never_end_earlier(start, a, b):
    low, high = sorted((a, b))
    assert CALENDAR.add_working_hours(start, low) <= CALENDAR.add_working_hours(start, high)


@settings(max_examples=150, deadline=None)
@given(starts, hours, starts)
def test_due_soon_is_exactly_up_to_the_horizon(now, warning, some_start):
    due = CALENDAR.add_working_hours(some_start, 0)
    if due < now:
        return
    soon = timeliness(due, now=now, calendar=CALENDAR, warning_hours=warning)
    assert (soon == Timeliness.DUE_SOON) == (due <= CALENDAR.horizon(now, warning))


@settings(max_examples=100, deadline=None)
@given(starts, st.integers(min_value=0, max_value=400))
def test_calendar_days_end_on_a_working_day(start, days):
    assert CALENDAR.is_working_day(CALENDAR.add_calendar_days(start, days).date())
