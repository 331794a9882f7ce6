"""The home and procedure pages keep their catalogue part as rendered: served without a
database read on a repeat, never stale after a catalogue write, and never showing one
visitor's state (signed in or not, language) to another."""

import re

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from motcua.catalog import services
from tests.factories import FieldFactory, ProcedureVersionFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def cached(settings):
    settings.CATALOGUE_CACHE_SECONDS = 60


def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    # The form token is masked afresh for every answer, as it must be.
    return re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "", response.content.decode())


def test_repeated_procedure_page_reads_nothing(client, cached):
    version = ProcedureVersionFactory(name="Cấp giấy phép thử trang lưu sẵn")
    url = f"/thu-tuc/{version.procedure.code}/"
    first = _page(client, url)
    with CaptureQueriesContext(connection) as captured:
        second = _page(client, url)
    assert captured.captured_queries == []
    assert second == first and "Cấp giấy phép thử trang lưu sẵn" in second


def test_repeated_home_page_reads_nothing(client, cached):
    version = ProcedureVersionFactory()
    first = _page(client, "/")
    with CaptureQueriesContext(connection) as captured:
        second = _page(client, "/")
    assert captured.captured_queries == []
    assert second == first and version.field.name in second


def test_catalogue_write_shows_at_once_on_both_pages(client, cached):
    version = ProcedureVersionFactory(name="Cấp giấy phép tên cũ")
    url = f"/thu-tuc/{version.procedure.code}/"
    assert "tên cũ" in _page(client, url)
    assert "Lĩnh vực mới thêm" not in _page(client, "/")
    version.name = "Cấp giấy phép tên mới"
    version.field = FieldFactory(name="Lĩnh vực mới thêm")
    with transaction.atomic():
        services.save_version(version)
    page = _page(client, url)
    assert "tên mới" in page and "tên cũ" not in page
    assert "Lĩnh vực mới thêm" in _page(client, "/")


def test_signed_in_and_anonymous_do_not_share_a_page(client, cached, django_user_model):
    version = ProcedureVersionFactory(level="toan_trinh")
    url = f"/thu-tuc/{version.procedure.code}/"
    anonymous = _page(client, url)
    assert "Đăng nhập để nộp hồ sơ" in anonymous
    user = django_user_model.objects.create_user(email="a@example.vn", password="x")
    client.force_login(user)
    signed_in = _page(client, url)
    assert "Đăng nhập để nộp hồ sơ" not in signed_in
    assert f"/thu-tuc/{version.procedure.code}/nop-ho-so/" in signed_in
    assert "Đăng ký tài khoản" not in _page(client, "/")
    client.logout()
    assert "Đăng ký tài khoản" in _page(client, "/")


def test_each_language_has_its_own_page(client, cached):
    version = ProcedureVersionFactory()
    url = f"/thu-tuc/{version.procedure.code}/"
    vietnamese = _page(client, url)
    client.cookies["django_language"] = "en"
    english = _page(client, url)
    assert "Cơ quan thực hiện" in vietnamese and "Cơ quan thực hiện" not in english


def test_repeated_search_page_reads_and_ranks_nothing(client, cached, monkeypatch):
    from motcua.catalog import search
    from motcua.catalog import selectors as catalog_selectors

    ProcedureVersionFactory(name="Cấp giấy phép thử tìm lưu sẵn")
    url = "/thu-tuc/?q=giay+phep+thu+tim"
    first = _page(client, url)
    assert "Cấp giấy phép thử tìm lưu sẵn" in first

    def fail(*args, **kwargs):
        raise AssertionError("searched again")

    monkeypatch.setattr(search, "search", fail)
    # Nor is the form built again: its lists of agencies and fields come with the page.
    monkeypatch.setattr(catalog_selectors, "search_filter_choices", fail)
    with CaptureQueriesContext(connection) as captured:
        second = _page(client, url)
    assert captured.captured_queries == []
    assert second == first
    # Another query, filter or page is another answer, not this one.
    with pytest.raises(AssertionError, match="searched again"):
        client.get(url + "&page=2")


def test_catalogue_write_shows_at_once_on_the_search_page(client, cached):
    version = ProcedureVersionFactory(name="Cấp giấy phép tên cũ thử tìm")
    url = "/thu-tuc/?q=giay+phep+thu+tim"
    assert "tên cũ" in _page(client, url)
    version.name = "Cấp giấy phép tên mới thử tìm"
    version.field = FieldFactory(name="Lĩnh vực mới để lọc")
    with transaction.atomic():
        services.save_version(version)
    page = _page(client, url)
    assert "tên mới" in page and "tên cũ" not in page
    # The filter's choices follow the catalogue too.
    assert "Lĩnh vực mới để lọc" in page


def test_each_language_has_its_own_search_page(client, cached):
    ProcedureVersionFactory(name="Cấp giấy phép thử ngôn ngữ")
    url = "/thu-tuc/?q=giay+phep"
    vietnamese = _page(client, url)
    client.cookies["django_language"] = "en"
    english = _page(client, url)
    assert "Tìm thấy" in vietnamese and "Tìm thấy" not in english
