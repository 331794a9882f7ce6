"""Whole pages kept for anonymous visitors (portal.page_cache): served without the view, each
with the visitor's own CSRF token, never to or from a signed-in visitor, a visitor with a
message or a session, and never stale after a catalogue write."""

import re

import pytest
from django.conf import settings
from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client, RequestFactory
from django.urls import reverse

from motcua.catalog import services
from tests.factories import ProcedureVersionFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="(\w+)"')
PAGES = ["/", "/thu-tuc/?q=giay+phep", "/thu-tuc/{code}/"]


@pytest.fixture
def cached(settings):
    settings.CATALOGUE_CACHE_SECONDS = 60


@pytest.fixture
def version(cached):
    return ProcedureVersionFactory(name="Cấp giấy phép trang để sẵn", level="toan_trinh")


def _get(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response


def _served_from_store(response) -> bool:
    # The test client records every template rendered for the answer: none when stored.
    return response.templates == []


def _without_tokens(response) -> str:
    return TOKEN.sub("", response.content.decode())


@pytest.mark.parametrize("page", PAGES)
def test_second_visitor_gets_the_same_page_and_headers_without_the_view(version, page):
    url = page.format(code=version.procedure.code)
    first = _get(Client(), url)
    assert not _served_from_store(first)
    second = _get(Client(), url)
    assert _served_from_store(second)
    assert _without_tokens(second) == _without_tokens(first)
    assert "Cấp giấy phép trang để sẵn" in _without_tokens(second) or url == "/"
    for header in (
        "Content-Type",
        "Content-Language",
        "Content-Length",
        "X-Frame-Options",
        "Vary",
        "Content-Security-Policy",
        "X-Content-Type-Options",
        "Referrer-Policy",
    ):
        assert second[header] == first[header], header
    assert int(second["Content-Length"]) == len(second.content)


def test_each_visitor_gets_a_token_of_their_own_that_the_form_accepts(version):
    first = Client(enforce_csrf_checks=True)
    _get(first, "/")
    visitor = Client(enforce_csrf_checks=True)
    page = _get(visitor, "/")
    assert _served_from_store(page)
    secret = visitor.cookies[settings.CSRF_COOKIE_NAME].value
    assert secret != first.cookies[settings.CSRF_COOKIE_NAME].value
    tokens = TOKEN.findall(page.content.decode())
    assert tokens and all(_unmask_cipher_token(t) == secret for t in tokens)
    switched = visitor.post(
        reverse("portal:set_language"),
        {"language": "en", "next": "/", "csrfmiddlewaretoken": tokens[0]},
    )
    assert switched.status_code == 302
    assert visitor.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_a_returning_visitor_keeps_their_csrf_secret(version):
    _get(Client(), "/")
    visitor = Client()
    _get(visitor, "/thu-tuc/")  # another page: sets the cookie
    secret = visitor.cookies[settings.CSRF_COOKIE_NAME].value
    page = _get(visitor, "/")
    assert _served_from_store(page)
    assert page.cookies[settings.CSRF_COOKIE_NAME].value == secret
    assert _unmask_cipher_token(TOKEN.search(page.content.decode())[1]) == secret


@pytest.mark.parametrize("page", PAGES)
def test_signed_in_visitor_never_gets_the_anonymous_page(version, page):
    url = page.format(code=version.procedure.code)
    _get(Client(), url)
    signed_in = Client()
    signed_in.force_login(UserFactory())
    answer = _get(signed_in, url)
    assert not _served_from_store(answer)
    assert "Đăng xuất" in answer.content.decode()
    assert "Đăng nhập" not in answer.content.decode().split("<main")[0]


@pytest.mark.parametrize("page", PAGES)
def test_signed_in_page_is_never_kept_for_anyone(version, page):
    url = page.format(code=version.procedure.code)
    signed_in = Client()
    signed_in.force_login(UserFactory())
    _get(signed_in, url)
    _get(signed_in, url)
    anonymous = _get(Client(), url)
    assert not _served_from_store(anonymous)
    assert "Đăng xuất" not in anonymous.content.decode()
    assert _served_from_store(_get(Client(), url))


def test_visitor_with_a_session_goes_through_the_whole_stack(version):
    _get(Client(), "/")
    visitor = Client()
    visitor.cookies[settings.SESSION_COOKIE_NAME] = "no-such-session"
    assert not _served_from_store(_get(visitor, "/"))


def _messages_cookie(text: str) -> str:
    request = RequestFactory().get("/")
    storage = CookieStorage(request)
    storage.add(constants.SUCCESS, text)
    response = HttpResponse()
    storage.update(response)
    return response.cookies[CookieStorage.cookie_name].value


def test_a_message_is_shown_to_its_visitor_only(version):
    _get(Client(), "/")
    visitor = Client()
    visitor.cookies[CookieStorage.cookie_name] = _messages_cookie("Thông báo riêng của tôi")
    mine = _get(visitor, "/")
    assert not _served_from_store(mine)
    assert "Thông báo riêng của tôi" in mine.content.decode()
    other = _get(Client(), "/")
    assert "Thông báo riêng của tôi" not in other.content.decode()


def test_signing_out_shows_its_message_on_the_home_page(version):
    _get(Client(), "/")
    visitor = Client()
    visitor.force_login(UserFactory())
    home = visitor.post(reverse("portal:logout"), follow=True)
    assert "Bạn đã đăng xuất." in home.content.decode()
    assert "Đăng xuất<" not in home.content.decode()


def test_each_language_has_its_own_page(version):
    url = f"/thu-tuc/{version.procedure.code}/"
    _get(Client(), url)
    english = Client()
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    first = _get(english, url)
    assert not _served_from_store(first)
    assert first["Content-Language"] == "en"
    assert "Cơ quan thực hiện" not in first.content.decode()
    again = Client()
    again.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    second = _get(again, url)
    assert _served_from_store(second)
    assert second["Content-Language"] == "en"
    assert _without_tokens(second) == _without_tokens(first)
    assert 'lang="en"' in second.content.decode()


def test_catalogue_write_shows_at_once(version):
    url = f"/thu-tuc/{version.procedure.code}/"
    search = "/thu-tuc/?q=giay+phep+trang"
    for target in (url, search):
        _get(Client(), target)
        assert _served_from_store(_get(Client(), target))
    version.name = "Cấp giấy phép trang đã đổi tên"
    with transaction.atomic():
        services.save_version(version)
    for target in (url, search):
        page = _get(Client(), target).content.decode()
        assert "trang đã đổi tên" in page and "trang để sẵn" not in page


def test_query_string_is_part_of_the_page(version):
    _get(Client(), "/thu-tuc/?q=giay+phep")
    other = _get(Client(), "/thu-tuc/?q=giay+phep&page=2")
    assert not _served_from_store(other)
    # The language switch sends the visitor back to exactly where they were.
    assert 'value="/thu-tuc/?q=giay+phep&amp;page=2"' in other.content.decode()


def test_htmx_requests_and_not_found_pages_are_not_kept(version):
    _get(Client(), "/")
    assert not _served_from_store(Client().get("/", HTTP_HX_REQUEST="true"))
    for _ in range(2):
        missing = Client().get("/thu-tuc/9.999999/")
        assert missing.status_code == 404
        assert not _served_from_store(missing)


def test_nothing_is_kept_when_the_cache_is_off(version, settings):
    settings.CATALOGUE_CACHE_SECONDS = 0
    _get(Client(), "/")
    assert not _served_from_store(_get(Client(), "/"))


def test_checks_above_it_still_answer(version):
    _get(Client(), "/")
    assert Client().get("/?q=%00").status_code == 400
    assert Client(HTTP_HOST="evil.example").get("/").status_code == 400


def test_pages_of_unmarked_views_are_not_kept(version):
    for _ in range(2):
        login = _get(Client(), reverse("portal:login"))
        assert not _served_from_store(login)
