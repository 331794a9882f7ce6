"""The plain anonymous ``GET /api/v1/procedures`` is answered below the middleware that has
nothing to do for it (api.procedure_list): the same bytes and headers as the whole stack and
DRF give, every other request still answered by them, never stale after a catalogue write."""

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client

from motcua.api import views
from motcua.catalog import services
from tests.factories import AgencyFactory, FieldFactory, ProcedureVersionFactory

pytestmark = pytest.mark.django_db(transaction=True)

MIDDLEWARE = "motcua.api.procedure_list.ProcedureListMiddleware"
HEADERS = [
    "Content-Type",
    "Content-Length",
    "Content-Language",
    "Allow",
    "X-Frame-Options",
    "X-Cache",
    "Vary",
    "Content-Security-Policy",
    "X-Content-Type-Options",
    "Referrer-Policy",
]
URLS = [
    "/api/v1/procedures",
    "/api/v1/procedures?q=giay+phep",
    "/api/v1/procedures?q=gi%E1%BA%A5y+ph%C3%A9p&page=2",
    "/api/v1/procedures?q=giay+phep&page_size=3&page=2",
    "/api/v1/procedures?q=giay+phep&page_size=3&page=last",
    "/api/v1/procedures?page_size=abc",
    "/api/v1/procedures?page_size=1000",
    "/api/v1/procedures?level=mot_phan&q=cap",
    "/api/v1/procedures?field=THU-DUONG&agency=H99.01",
    "/api/v1/procedures?q=khong+co+gi+ca+xyzw",
    "/api/v1/procedures?q=1.00&other=ignored",
    # Answered by DRF in both cases: errors, other media types, credentials.
    "/api/v1/procedures?level=sai",
    "/api/v1/procedures?page=0",
    "/api/v1/procedures?page=99",
    "/api/v1/procedures?format=json",
]


@pytest.fixture
def catalogue():
    agency = AgencyFactory(code="H99.01", name="Sở Thử")
    field = FieldFactory(code="THU-DUONG", name="Lĩnh vực thử")
    for n in range(8):
        ProcedureVersionFactory(
            name=f"Cấp giấy phép thử số {n}\u2028",
            agency=agency,
            field=field,
            level="mot_phan" if n % 2 else "toan_trinh",
        )


def _both(settings, url, **extra):
    """Two answers with the short path, then two without it, each pair from a cold cache
    (the second may come from the response cache)."""
    cache.clear()
    short = [Client(**extra).get(url) for _ in range(2)]
    cache.clear()
    everything = settings.MIDDLEWARE
    settings.MIDDLEWARE = [m for m in everything if m != MIDDLEWARE]
    whole = [Client(**extra).get(url) for _ in range(2)]
    settings.MIDDLEWARE = everything
    return short, whole


def _same(shorts, wholes):
    for short, whole in zip(shorts, wholes, strict=True):
        assert short.status_code == whole.status_code
        assert short.content == whole.content
        for header in HEADERS:
            assert short.get(header) == whole.get(header), header
        assert sorted(short.cookies) == sorted(whole.cookies)


@pytest.mark.parametrize("seconds", [0, 60])
@pytest.mark.parametrize("url", URLS)
def test_same_answer_as_the_whole_stack(settings, catalogue, url, seconds):
    settings.CATALOGUE_CACHE_SECONDS = seconds
    _same(*_both(settings, url))


@pytest.mark.parametrize(
    "extra",
    [
        {"HTTP_AUTHORIZATION": "Bearer khong-hop-le"},
        {"HTTP_ACCEPT": "application/json; indent=4"},
        {"HTTP_ACCEPT": "text/html"},
        {"HTTP_ACCEPT": "*/*"},
        {"HTTP_COOKIE": "django_language=en"},
        {"HTTP_COOKIE": "csrftoken=hong"},
    ],
)
def test_same_answer_whatever_the_request_carries(settings, catalogue, extra):
    _same(*_both(settings, "/api/v1/procedures?q=giay+phep", **extra))


def test_plain_request_never_reaches_drf(catalogue, monkeypatch):
    def fail(*args, **kwargs):
        raise AssertionError("answered by DRF")

    monkeypatch.setattr(views.ProcedureList, "list", fail)
    response = Client().get("/api/v1/procedures?q=giay+phep&page_size=2")
    assert response.status_code == 200
    assert response.json()["count"] == 8 and len(response.json()["results"]) == 2
    with pytest.raises(AssertionError, match="answered by DRF"):
        Client().get("/api/v1/procedures?q=giay+phep", HTTP_ACCEPT="application/json; indent=2")


def test_catalogue_write_shows_at_once(settings, catalogue):
    settings.CATALOGUE_CACHE_SECONDS = 60
    version = ProcedureVersionFactory(name="Cấp giấy phép tên cũ thử lối tắt")
    url = "/api/v1/procedures?q=giay+phep+thu+loi+tat"
    assert Client().get(url).json()["results"][0]["name"] == "Cấp giấy phép tên cũ thử lối tắt"
    assert Client().get(url)["X-Cache"] == "hit"
    version.name = "Cấp giấy phép tên mới thử lối tắt"
    with transaction.atomic():
        services.save_version(version)
    response = Client().get(url)
    assert "X-Cache" not in response
    assert response.json()["results"][0]["name"] == "Cấp giấy phép tên mới thử lối tắt"
