"""A processing time says which kind of day it counts, and English says "1 working day"."""

import pytest

from tests.factories import ProcedureVersionFactory
from tests.portal.conftest import html

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("value", "unit", "vietnamese", "english"),
    [
        (1, "working_days", "1 ngày làm việc", "1 working day"),
        (5, "working_days", "5 ngày làm việc", "5 working days"),
        (15, "days", "15 ngày (theo lịch)", "15 calendar days"),
        (1, "days", "1 ngày (theo lịch)", "1 calendar day"),
        ("2.5", "working_days", "2,5 ngày làm việc", "2,5 working days"),
        (8, "hours", "8 giờ làm việc", "8 working hours"),
    ],
)
def test_procedure_and_search_pages(client, value, unit, vietnamese, english):
    version = ProcedureVersionFactory(
        name="Đăng ký khai sinh thử nghiệm", time_limit_value=value, time_limit_unit=unit
    )
    for url in (f"/thu-tuc/{version.procedure.code}/", "/thu-tuc/?q=khai+sinh+thu+nghiem"):
        client.cookies.pop("django_language", None)
        assert vietnamese in html(client.get(url)), url
        client.cookies["django_language"] = "en"
        page = html(client.get(url))
        assert english in page, url
        if value == 1:
            assert f"{english}s" not in page


def test_online_time_limit_has_its_unit(client):
    version = ProcedureVersionFactory(time_limit_value=15, time_limit_unit="days")
    version.time_limit_online = 10
    version.save()
    page = html(client.get(f"/thu-tuc/{version.procedure.code}/"))
    assert "Nộp trực tuyến: 10 ngày (theo lịch)" in page
