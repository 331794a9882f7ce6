"""The portal's search box: suggestions as the citizen types (htmx), "did you mean", the
filters rendered in Python exactly as Django's widget would; the API ranks the same way."""

import pytest
from django import forms
from django.test.html import parse_html

from motcua.catalog import services
from motcua.portal.widgets import FastSelect
from tests.factories import AgencyFactory, FieldFactory, ProcedureFactory, ProcedureVersionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shipped_synonyms")]


@pytest.fixture
def permits():
    agency, field = AgencyFactory(code="H48.16"), FieldFactory(code="XD")
    for code, name in (
        ("1.000002", "Cấp lại giấy phép xây dựng"),
        ("1.000001", "Cấp giấy phép xây dựng nhà ở riêng lẻ"),
        ("1.000006", "Chứng thực chữ ký"),
    ):
        ProcedureVersionFactory(
            procedure=ProcedureFactory(code=code), name=name, agency=agency, field=field
        )


def test_suggestions_fragment_lists_links(client, permits):
    response = client.get("/thu-tuc/goi-y/", {"q": "giay phep xay d"}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 200
    assert page.index("/thu-tuc/1.000001/") < page.index("/thu-tuc/1.000002/")
    assert "2 thủ tục gợi ý" in page and "<html" not in page
    empty = client.get("/thu-tuc/goi-y/", {"q": "zqxw"}, HTTP_HX_REQUEST="true")
    assert empty.content.decode().strip() == ""


def test_suggestions_without_htmx_is_the_search_page(client, permits):
    response = client.get("/thu-tuc/goi-y/", {"q": "chữ ký"})
    assert response.status_code == 302
    assert response["Location"] == "/thu-tuc/?q=ch%E1%BB%AF+k%C3%BD"


def test_search_box_asks_for_suggestions_and_has_a_live_region(client, permits):
    page = client.get("/thu-tuc/").content.decode()
    assert 'hx-get="/thu-tuc/goi-y/"' in page and 'aria-controls="search-suggestions"' in page
    assert 'id="search-suggestions"' in page and 'aria-live="polite"' in page
    assert "portal/js/htmx.min" in page


def test_did_you_mean(client, permits):
    page = client.get("/thu-tuc/", {"q": "chung thuwxx"}).content.decode()
    assert "Có phải bạn muốn tìm:" not in page  # "chung" alone matches: results, no line
    page = client.get("/thu-tuc/", {"q": "thuwxx"}).content.decode()
    assert "Không tìm thấy thủ tục phù hợp" in page
    assert 'Có phải bạn muốn tìm: <a href="?q=th%E1%BB%B1c">thực</a>' in page
    page = client.get("/thu-tuc/", {"q": "giay phep xay dugn"}).content.decode()
    assert "Có phải bạn muốn tìm: <a" in page and "giấy phép xây dựng</a>" in page


@pytest.mark.parametrize("value", ["b", "", None])
def test_fast_select_renders_what_django_select_does(value):
    choices = [("", "Tất cả"), ("Nhóm <a>", [("a", "A & b"), ("b", "B")]), ("c", "C")]
    attrs = {"id": "id_agency", "aria-describedby": "id_agency_helptext"}
    ours = FastSelect(choices=choices).render("agency", value, attrs)
    django = forms.Select(choices=choices).render("agency", value, attrs)
    assert parse_html(ours) == parse_html(django)


def test_api_ranks_like_the_portal_and_follows_catalogue_changes(
    api, permits, settings, django_capture_on_commit_callbacks
):
    settings.CATALOGUE_CACHE_SECONDS = 0
    found = api.get("/api/v1/procedures", {"q": "GPXD"}).json()["results"]
    assert [r["code"] for r in found][:2] == ["1.000001", "1.000002"]
    from motcua.catalog.models import ProcedureVersion

    ProcedureVersion.objects.filter(procedure__code="1.000001").update(name="Cấp GPXD mới")
    with django_capture_on_commit_callbacks(execute=True):
        services.bump_generation()
    found = api.get("/api/v1/procedures", {"q": "gpxd moi"}).json()["results"]
    assert found[0]["name"] == "Cấp GPXD mới"
