"""Working time, deadlines and timeliness as pure functions of a calendar
(docs/domain.md, "Working-time calendar").

Nothing here reads the database: ``selectors.calendar_for`` builds a ``WorkingCalendar`` from
the configured periods, the day overrides and the public holidays, and everything below is
arithmetic on it. All datetimes must be timezone-aware; results are in Asia/Ho_Chi_Minh.

A limit in working days is counted in working hours, 8 h a day (§7.1): the clock walks
through the working periods (07:00–11:30 and 13:30–17:00 unless configured), skipping rest
days and days off and counting extra working days (make-up Saturdays). The instant a period
ends belongs to it, so a deadline may be 11:30 or 17:00 exactly.
"""

from __future__ import annotations

import calendar as stdcalendar
import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.db.models import TextChoices

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
HOURS_PER_DAY = 8
MICROSECONDS_PER_HOUR = 3_600_000_000
# A calendar with this many days off in a row is a configuration error, not a deadline.
MAX_DAYS_WITHOUT_WORK = 366

Period = tuple[dt.time, dt.time]
MORNING: Period = (dt.time(7, 0), dt.time(11, 30))
AFTERNOON: Period = (dt.time(13, 30), dt.time(17, 0))
# Monday to Friday; the weekly rest days of civil servants are Saturday and Sunday (§7.2).
DEFAULT_WEEK: dict[int, tuple[Period, ...]] = {day: (MORNING, AFTERNOON) for day in range(5)}

Hours = Decimal | int


def hours_to_delta(hours: Hours) -> dt.timedelta:
    """Hours as a timedelta, exact to the microsecond (floats are refused: 0.1 h is not)."""
    if isinstance(hours, float):
        raise TypeError("Số giờ phải là Decimal hoặc số nguyên, không dùng float.")
    micro = (Decimal(hours) * MICROSECONDS_PER_HOUR).to_integral_value(ROUND_HALF_UP)
    return dt.timedelta(microseconds=int(micro))


def delta_to_hours(delta: dt.timedelta) -> Decimal:
    micro = (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
    return Decimal(micro) / MICROSECONDS_PER_HOUR


def local(moment: dt.datetime) -> dt.datetime:
    """The moment in Vietnamese time; a naive datetime is a bug upstream, so it is refused."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("Cần thời điểm có múi giờ (timezone-aware).")
    return moment.astimezone(TZ)


def _at(day: dt.date, clock: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, clock, tzinfo=TZ)


def _checked(periods: Iterable[Period]) -> tuple[Period, ...]:
    ordered = tuple(sorted(periods))
    for start, end in ordered:
        if not start < end:
            raise ValueError(f"Khoảng giờ làm việc {start}–{end} không hợp lệ.")
    for (_, end), (start, _) in zip(ordered, ordered[1:], strict=False):
        if start < end:
            raise ValueError("Các khoảng giờ làm việc trong một ngày không được chồng nhau.")
    return ordered


class WorkingCalendar:
    """Working periods per weekday, days off and extra working days.

    ``weekly`` maps a weekday (0 = Monday) to its periods; a weekday without periods is a
    rest day. ``days_off`` are holidays and bridge days; ``extra_working_days`` (make-up
    Saturdays) are worked with ``extra_day_periods`` (by default Monday's) and win over any
    day off. ``public_holidays`` gives a year's statutory holidays on demand, so a calendar
    covers every year without listing them all.
    """

    def __init__(
        self,
        weekly: Mapping[int, Iterable[Period]] | None = None,
        days_off: Iterable[dt.date] = (),
        extra_working_days: Iterable[dt.date] = (),
        public_holidays: Callable[[int], Iterable[dt.date]] | None = None,
        extra_day_periods: Iterable[Period] | None = None,
    ):
        week = DEFAULT_WEEK if weekly is None else weekly
        self.weekly = {day: _checked(week.get(day, ())) for day in range(7)}
        self.days_off = frozenset(days_off)
        self.extra_working_days = frozenset(extra_working_days)
        self._public_holidays = public_holidays
        self._holidays_by_year: dict[int, frozenset[dt.date]] = {}
        if extra_day_periods is None:
            extra_day_periods = next((p for p in self.weekly.values() if p), ())
        self.extra_day_periods = _checked(extra_day_periods)
        if not any(self.weekly.values()) and not (
            self.extra_working_days and self.extra_day_periods
        ):
            raise ValueError("Lịch không có giờ làm việc nào.")

    # Days -------------------------------------------------------------------------------

    def holidays_of(self, year: int) -> frozenset[dt.date]:
        if year not in self._holidays_by_year:
            found = self._public_holidays(year) if self._public_holidays else ()
            self._holidays_by_year[year] = frozenset(found)
        return self._holidays_by_year[year]

    def periods(self, day: dt.date) -> tuple[Period, ...]:
        """The working periods of a date: none on a rest day or a day off."""
        if day in self.extra_working_days:
            return self.extra_day_periods
        if day in self.days_off or day in self.holidays_of(day.year):
            return ()
        return self.weekly[day.weekday()]

    def is_working_day(self, day: dt.date) -> bool:
        return bool(self.periods(day))

    def next_working_day(self, day: dt.date) -> dt.date:
        """The first working day strictly after ``day``."""
        for offset in range(1, MAX_DAYS_WITHOUT_WORK + 1):
            candidate = day + dt.timedelta(days=offset)
            if self.is_working_day(candidate):
                return candidate
        raise ValueError("Lịch không có ngày làm việc nào trong một năm.")

    def is_working_time(self, moment: dt.datetime) -> bool:
        """Within a working period, its start and end included."""
        moment = local(moment)
        clock = moment.time()
        return any(a <= clock <= b for a, b in self.periods(moment.date()))

    def day_start(self, day: dt.date) -> dt.datetime:
        return _at(day, self.periods(day)[0][0])

    def day_end(self, day: dt.date) -> dt.datetime:
        return _at(day, self.periods(day)[-1][1])

    # Working hours ----------------------------------------------------------------------

    def add_working_hours(self, start: dt.datetime, hours: Hours) -> dt.datetime:
        """The moment ``hours`` working hours after ``start`` (§7.4).

        Zero hours moves a start outside working time to the next working period and
        leaves one inside it alone; the result is always working time.
        """
        remaining = hours_to_delta(hours)
        if remaining < dt.timedelta(0):
            raise ValueError("Số giờ không được âm.")
        current = local(start)
        day = current.date()
        idle_days = 0
        while True:
            periods = self.periods(day)
            for a, b in periods:
                begin, end = _at(day, a), _at(day, b)
                current = max(current, begin)
                if current > end:
                    continue
                if remaining <= end - current:
                    return current + remaining
                remaining -= end - current
                current = end
            idle_days = 0 if periods else idle_days + 1
            if idle_days > MAX_DAYS_WITHOUT_WORK:
                raise ValueError("Lịch không có ngày làm việc nào trong một năm.")
            day += dt.timedelta(days=1)
            current = _at(day, dt.time(0))

    def horizon(self, now: dt.datetime, hours: Hours) -> dt.datetime:
        """The latest due moment with at most ``hours`` working hours left from ``now``: a
        queue of dossiers "sắp đến hạn" is ``now <= due_at <= horizon`` in the database.

        Hours run out at the end of a period, but the time until the next one starts costs
        nothing, so a due date at that next start still qualifies.
        """
        reached = self.add_working_hours(now, hours)
        clock = reached.time()
        if any(end == clock for _, end in self.periods(reached.date())):
            return self.add_working_hours(reached + dt.timedelta(microseconds=1), 0)
        return reached

    def add_working_days(self, start: dt.datetime, days: Hours) -> dt.datetime:
        return self.add_working_hours(start, Decimal(days) * HOURS_PER_DAY)

    def working_hours_between(self, start: dt.datetime, end: dt.datetime) -> Decimal:
        """Working hours from ``start`` to ``end`` (negative when ``end`` is earlier)."""
        start, end = local(start), local(end)
        if end < start:
            return -self.working_hours_between(end, start)
        total = dt.timedelta(0)
        day = start.date()
        while day <= end.date():
            for a, b in self.periods(day):
                begin, finish = max(start, _at(day, a)), min(end, _at(day, b))
                if finish > begin:
                    total += finish - begin
            day += dt.timedelta(days=1)
        return delta_to_hours(total)

    # Calendar days and months -----------------------------------------------------------

    def roll_off_day_off(self, due: dt.datetime) -> dt.datetime:
        """A deadline in calendar days that ends on a rest day or a day off moves to the end
        of the next working day (Civil Code 2015 Art. 148)."""
        due = local(due)
        if self.is_working_day(due.date()):
            return due
        return self.day_end(self.next_working_day(due.date()))

    def add_calendar_days(self, start: dt.datetime, days: int) -> dt.datetime:
        return self.roll_off_day_off(local(start) + dt.timedelta(days=days))

    def add_months(self, start: dt.datetime, months: int) -> dt.datetime:
        """Calendar months; the 31st plus one month is the last day of the shorter month."""
        start = local(start)
        index = start.year * 12 + start.month - 1 + months
        year, month = divmod(index, 12)
        last = stdcalendar.monthrange(year, month + 1)[1]
        return self.roll_off_day_off(
            start.replace(year=year, month=month + 1, day=min(start.day, last))
        )

    # Start of the clock -----------------------------------------------------------------

    def clock_start(
        self,
        received_at: dt.datetime,
        *,
        cutoff: dt.time | None = None,
        cutoff_before_close: dt.timedelta | None = None,
    ) -> dt.datetime:
        """When counting starts for a dossier received at ``received_at`` (§7.3).

        Outside working time it starts at the next working period. A procedure may also move
        a reception after ``cutoff`` (e.g. 15:00) or within ``cutoff_before_close`` of the
        day's end (e.g. 1 h) to the start of the next working day; by default neither.
        """
        start = self.add_working_hours(received_at, 0)
        day = start.date()
        late = cutoff is not None and start.time() > cutoff
        if cutoff_before_close is not None and self.day_end(day) - start < cutoff_before_close:
            late = True
        return self.day_start(self.next_working_day(day)) if late else start


# The clock of a dossier (§7.5) -----------------------------------------------------------


class ClockMode(TextChoices):
    """What a resumed clock does after a pause (supplement, payment, consultation)."""

    RESUME = "resume", "Tiếp tục, cộng thêm thời gian tạm dừng"
    RESTART = "restart", "Tính lại từ đầu thời hạn"


@dataclass(frozen=True)
class Clock:
    """A time limit running against a calendar: started, paused, resumed or restarted.

    ``due_at`` is the current appointment; a paused clock keeps it until it resumes, when
    the working hours spent paused are added (resume) or the whole limit runs again from
    the resumption (restart).
    """

    limit_hours: Decimal
    started_at: dt.datetime
    due_at: dt.datetime
    paused_at: dt.datetime | None = None
    paused_hours: Decimal = Decimal(0)

    @classmethod
    def start(cls, calendar: WorkingCalendar, at: dt.datetime, hours: Hours) -> Clock:
        started = calendar.add_working_hours(at, 0)
        return cls(Decimal(hours), started, calendar.add_working_hours(started, hours))

    @property
    def is_paused(self) -> bool:
        return self.paused_at is not None

    def pause(self, at: dt.datetime) -> Clock:
        if self.is_paused:
            raise ValueError("Thời hạn đang tạm dừng.")
        return replace(self, paused_at=local(at))

    def resume(
        self, calendar: WorkingCalendar, at: dt.datetime, mode: ClockMode = ClockMode.RESUME
    ) -> Clock:
        if self.paused_at is None:
            raise ValueError("Thời hạn không tạm dừng.")
        if mode == ClockMode.RESTART:
            return Clock.start(calendar, at, self.limit_hours)
        paused = max(calendar.working_hours_between(self.paused_at, at), Decimal(0))
        return replace(
            self,
            due_at=calendar.add_working_hours(self.due_at, paused),
            paused_at=None,
            paused_hours=self.paused_hours + paused,
        )

    def elapsed_hours(self, calendar: WorkingCalendar, now: dt.datetime) -> Decimal:
        """Working hours used since the start, the time spent paused left out."""
        used = calendar.working_hours_between(self.started_at, self.paused_at or now)
        return used - self.paused_hours

    def remaining_hours(self, calendar: WorkingCalendar, now: dt.datetime) -> Decimal:
        """Working hours left (negative once overdue); a paused clock does not run."""
        return calendar.working_hours_between(self.paused_at or now, self.due_at)


def step_deadline(calendar: WorkingCalendar, started_at: dt.datetime, budget_hours: Hours):
    """The deadline of a process step (NgayHetHanBuocXuLy), from its hour budget (§7.4)."""
    return calendar.add_working_hours(started_at, budget_hours)


# Timeliness (§7.6) ------------------------------------------------------------------------


class Timeliness(TextChoices):
    EARLY = "early", "Trước hạn"
    ON_TIME = "on_time", "Đúng hạn"
    LATE = "late", "Quá hạn"
    IN_TIME = "in_time", "Đang xử lý trong hạn"
    DUE_SOON = "due_soon", "Sắp đến hạn"
    OVERDUE = "overdue", "Đang xử lý quá hạn"


DEFAULT_WARNING_HOURS = HOURS_PER_DAY


def timeliness(
    due_at: dt.datetime,
    *,
    finished_at: dt.datetime | None = None,
    now: dt.datetime | None = None,
    calendar: WorkingCalendar | None = None,
    warning_hours: Hours = DEFAULT_WARNING_HOURS,
    supplement_requests: int = 0,
) -> Timeliness:
    """How a dossier (or a step) stands against its due date.

    Finished: compared by date, as the national statistics do — before the due date is
    early, on it on time, after it late; more than one supplement request is late whatever
    the dates. Open: overdue once ``now`` passes the due moment, due soon when at most
    ``warning_hours`` working hours remain (a local setting, not a legal one; it needs the
    ``calendar``), otherwise in time.
    """
    if finished_at is not None:
        if supplement_requests > 1:
            return Timeliness.LATE
        end, due = local(finished_at).date(), local(due_at).date()
        if end < due:
            return Timeliness.EARLY
        return Timeliness.ON_TIME if end == due else Timeliness.LATE
    if now is None:
        raise ValueError("Cần thời điểm hiện tại (now) cho hồ sơ chưa xử lý xong.")
    if local(now) > local(due_at) or supplement_requests > 1:
        return Timeliness.OVERDUE
    if calendar is not None:
        left = calendar.working_hours_between(now, due_at)
        if left <= Decimal(warning_hours):
            return Timeliness.DUE_SOON
    return Timeliness.IN_TIME
