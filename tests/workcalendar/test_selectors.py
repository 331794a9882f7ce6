"""``calendar_for``: the configuration in the database, merged with the public holidays, and
a cache that follows every change."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from motcua.workcalendar.calc import TZ
from motcua.workcalendar.models import DayOverride, WorkingPeriod
from motcua.workcalendar.selectors import calendar_for, clear_cache, special_days
from tests.factories import AgencyFactory
from tests.workcalendar.test_calc import VECTOR_IDS, VECTORS

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    clear_cache()
    yield
    clear_cache()


def at(*parts) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=TZ)


def week(agency=None, periods=((dt.time(7, 30), dt.time(11, 30)), (dt.time(13), dt.time(17)))):
    for weekday in range(5):
        for start, end in periods:
            WorkingPeriod.objects.create(agency=agency, weekday=weekday, start=start, end=end)


@pytest.mark.parametrize(("received", "days", "due"), VECTORS, ids=VECTOR_IDS)
def test_the_default_calendar_meets_the_domain_vectors(received, days, due):
    assert calendar_for().add_working_days(received, days) == due


def test_province_periods_replace_the_built_in_week():
    assert calendar_for().is_working_time(at(2025, 3, 10, 7, 15))
    week()
    calendar = calendar_for()
    assert not calendar.is_working_time(at(2025, 3, 10, 7, 15))
    assert calendar.is_working_time(at(2025, 3, 10, 13, 15))


def test_an_agency_uses_its_own_periods_else_the_provinces():
    own, other = AgencyFactory(), AgencyFactory()
    week()
    week(own, periods=((dt.time(8), dt.time(12)), (dt.time(14), dt.time(18))))
    assert calendar_for(own).is_working_time(at(2025, 3, 10, 17, 30))
    assert not calendar_for(other).is_working_time(at(2025, 3, 10, 17, 30))
    assert calendar_for(other.pk).is_working_time(at(2025, 3, 10, 7, 45))


def test_a_day_off_override_moves_the_due_date():
    DayOverride.objects.create(date=dt.date(2025, 5, 5), kind="day_off", name="Nghỉ bù")
    assert calendar_for().add_working_days(at(2025, 4, 29, 9), 3) == at(2025, 5, 8, 9)


def test_a_make_up_saturday_override_is_worked():
    DayOverride.objects.create(date=dt.date(2025, 3, 8), kind="working_day", name="Làm bù")
    assert calendar_for().add_working_hours(at(2025, 3, 7, 16), 2) == at(2025, 3, 8, 8)


def test_overrides_correct_the_package():
    # The package's make-up Saturday of 2025 and its Giỗ Tổ of 2025 both corrected.
    DayOverride.objects.create(date=dt.date(2025, 4, 26), kind="day_off", name="Không làm bù")
    DayOverride.objects.create(date=dt.date(2025, 4, 7), kind="working_day", name="Đi làm")
    calendar = calendar_for()
    assert not calendar.is_working_day(dt.date(2025, 4, 26))
    assert calendar.is_working_day(dt.date(2025, 4, 7))


def test_an_agencys_override_beats_the_provinces_on_the_same_date():
    agency = AgencyFactory()
    day = dt.date(2025, 3, 12)
    DayOverride.objects.create(date=day, kind="day_off", name="Nghỉ toàn tỉnh")
    DayOverride.objects.create(agency=agency, date=day, kind="working_day", name="Trực")
    assert not calendar_for().is_working_day(day)
    assert calendar_for(agency).is_working_day(day)


def test_a_second_call_reads_only_the_version(django_assert_num_queries):
    agency = AgencyFactory()
    first = calendar_for(agency)
    with django_assert_num_queries(2):
        assert calendar_for(agency) is first


def test_the_cache_follows_every_change():
    day = dt.date(2025, 3, 12)
    assert calendar_for().is_working_day(day)
    override = DayOverride.objects.create(date=day, kind="day_off", name="Nghỉ")
    assert not calendar_for().is_working_day(day)
    override.kind = "working_day"
    override.save()
    assert calendar_for().is_working_day(day)
    override.kind = "day_off"
    override.save()
    assert not calendar_for().is_working_day(day)
    override.delete()
    assert calendar_for().is_working_day(day)

    period = WorkingPeriod.objects.create(weekday=0, start=dt.time(8), end=dt.time(12))
    assert not calendar_for().is_working_time(at(2025, 3, 10, 7, 30))
    period.start = dt.time(7)
    period.save()
    assert calendar_for().is_working_time(at(2025, 3, 10, 7, 30))
    period.delete()
    assert calendar_for().is_working_time(at(2025, 3, 10, 16))


def test_periods_are_validated_in_vietnamese():
    WorkingPeriod.objects.create(weekday=0, start=dt.time(7), end=dt.time(11, 30))
    with pytest.raises(ValidationError) as reversed_:
        WorkingPeriod(weekday=1, start=dt.time(12), end=dt.time(8)).full_clean()
    assert "Giờ kết thúc phải sau giờ bắt đầu." in reversed_.value.message_dict["end"]
    with pytest.raises(ValidationError) as overlapping:
        WorkingPeriod(weekday=0, start=dt.time(11), end=dt.time(12)).full_clean()
    assert "chồng lên" in overlapping.value.message_dict["start"][0]
    WorkingPeriod(weekday=0, start=dt.time(13, 30), end=dt.time(17)).full_clean()


def test_one_province_override_per_date():
    DayOverride.objects.create(date=dt.date(2025, 3, 12), kind="day_off", name="Nghỉ")
    with pytest.raises(ValidationError) as error:
        DayOverride(date=dt.date(2025, 3, 12), kind="working_day", name="Làm").full_clean()
    assert "toàn tỉnh" in str(error.value)
    agency = AgencyFactory()
    DayOverride(
        agency=agency, date=dt.date(2025, 3, 12), kind="working_day", name="Trực"
    ).full_clean()


def test_the_administrator_enters_a_make_up_day(client, settings):
    from tests.factories import StaffFactory

    settings.STAFF_2FA_REQUIRED = False
    client.force_login(StaffFactory(is_superuser=True))
    url = reverse("admin:workcalendar_dayoverride_add")
    assert "Ngày làm việc (làm bù)" in client.get(url).content.decode()
    assert not calendar_for().is_working_day(dt.date(2026, 3, 14))
    response = client.post(
        url,
        {"date": "2026-03-14", "kind": "working_day", "name": "Làm bù thử", "legal_basis": ""},
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert calendar_for().is_working_day(dt.date(2026, 3, 14))
    listing = client.get(reverse("admin:workcalendar_dayoverride_changelist")).content.decode()
    assert "Làm bù thử" in listing and "Toàn tỉnh" in listing


def test_special_days_merge_the_package_and_the_overrides():
    agency = AgencyFactory()
    DayOverride.objects.create(date=dt.date(2026, 1, 2), kind="day_off", name="Nghỉ bù Tết")
    DayOverride.objects.create(
        agency=agency, date=dt.date(2026, 1, 2), kind="working_day", name="Trực"
    )
    DayOverride.objects.create(date=dt.date(2025, 1, 2), kind="day_off", name="Năm khác")
    days = {d.date: d for d in special_days(2026)}
    assert days[dt.date(2026, 1, 2)].name == "Nghỉ bù Tết"
    assert days[dt.date(2026, 1, 2)].source == "override"
    assert days[dt.date(2026, 2, 17)].source == "package" and not days[dt.date(2026, 2, 17)].working
    assert days[dt.date(2026, 8, 22)].working and dt.date(2025, 1, 2) not in days
    assert list(days) == sorted(days)
    own = {d.date: d for d in special_days(2026, agency)}
    assert own[dt.date(2026, 1, 2)].working and own[dt.date(2026, 1, 2)].name == "Trực"


def test_the_admin_list_shows_the_years_package_days(client, settings):
    from tests.factories import StaffFactory

    settings.STAFF_2FA_REQUIRED = False
    client.force_login(StaffFactory(is_superuser=True))
    DayOverride.objects.create(date=dt.date(2026, 1, 2), kind="day_off", name="Nghỉ bù Tết")
    url = reverse("admin:workcalendar_dayoverride_changelist")
    page = client.get(url, {"nam": "2026"}).content.decode()
    assert "năm 2026" in page and "Tết Nguyên Đán" in page and "Nghỉ bù Tết" in page
    assert "22/08/2026" in page and "Làm bù cho ngày 31/08/2026" in page
    assert client.get(url, {"nam": "abc"}).status_code == 200
