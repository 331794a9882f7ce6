"""Site-wide behaviour: home, headers, language, error pages, no inline code."""

import re

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from tests.factories import AgencyFactory, FieldFactory, ProcedureVersionFactory, UserFactory
from tests.portal.conftest import assert_no_inline_code, html

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(db):
    field = FieldFactory(code="XD", name="Hoạt động xây dựng")
    FieldFactory(code="HT", name="Hộ tịch")
    agency = AgencyFactory(code="H48.30", name="Sở Xây dựng")
    AgencyFactory(code="H48.99", name="Sở Không Có Thủ Tục")
    return ProcedureVersionFactory(
        procedure__code="1.013225",
        field=field,
        agency=agency,
        name="Cấp giấy phép xây dựng nhà ở riêng lẻ",
    )


def test_home(client, catalogue):
    page = html(client.get("/"))
    assert '<html lang="vi">' in page and "Cổng dịch vụ công" in page
    assert 'action="/thu-tuc/"' in page and 'name="q"' in page
    # Only fields with a procedure in force: a link to an empty search helps nobody.
    assert (
        'href="/thu-tuc/?field=XD">Hoạt động xây dựng' in page
        and 'href="/thu-tuc/?field=HT"' not in page
    )
    assert (
        'href="/thu-tuc/?agency=H48.30">Sở Xây dựng' in page and "Sở Không Có Thủ Tục" not in page
    )
    steps = ["Đăng ký", "Đăng nhập", "Tra cứu thủ tục", "Nộp hồ sơ", "Thanh toán phí/lệ phí"]
    positions = [page.index(f'<h3 class="steps__title">{s}</h3>') for s in steps]
    assert positions == sorted(positions)
    assert "0255.3822200" in page and "Hỗ trợ trong giờ hành chính từ thứ Hai đến thứ Sáu" in page


def test_skip_link_and_landmarks(client, db):
    page = html(client.get("/"))
    assert '<a class="skip-link" href="#main">' in page and '<main id="main"' in page
    assert "<header" in page and "<footer" in page and '<nav class="nav"' in page


def _pages(client, version):
    user = UserFactory()
    anonymous = [
        "/",
        "/dang-ky/",
        "/dang-ky/da-gui/?email=a@b.vn",
        "/xac-nhan/abc",
        "/dang-nhap/",
        "/quen-mat-khau/",
        "/quen-mat-khau/da-gui/",
        "/dat-lai-mat-khau/abc",
        "/thu-tuc/",
        "/thu-tuc/?q=xay+dung",
        f"/thu-tuc/{version.procedure.code}/",
        "/thu-tuc/khong-co/",
        "/hop-thu-demo/",
        "/trang-khong-ton-tai/",
    ]
    for url in anonymous:
        yield url, client.get(url)
    yield "register errors", client.post("/dang-ky/", {"kind": "citizen"})
    yield "login errors", client.post("/dang-nhap/", {"email": "x@y.vn", "password": "z"})
    client.force_login(user)
    for url in ("/trang-ca-nhan/", f"/thu-tuc/{version.procedure.code}/"):
        yield url, client.get(url)


def test_no_inline_script_or_style_anywhere(client, catalogue):
    for url, response in _pages(client, catalogue):
        assert response.status_code in (200, 400, 404), url
        assert_no_inline_code(response)


def test_security_headers(client, db):
    r = client.get("/")
    csp = r["Content-Security-Policy"]
    assert (
        "script-src 'self'" in csp and "style-src 'self'" in csp and "frame-ancestors 'none'" in csp
    )
    assert r["X-Frame-Options"] == "DENY"
    assert r["X-Content-Type-Options"] == "nosniff"
    assert r["Referrer-Policy"] == "same-origin"
    assert "camera=()" in r["Permissions-Policy"]


def test_static_assets_are_served(client, db):
    for path in (
        "/static/portal/css/portal.css",
        "/static/portal/js/portal.js",
        "/static/portal/img/favicon.svg",
    ):
        r = client.get(path)
        assert r.status_code == 200, path
        b"".join(r.streaming_content if r.streaming else [r.content])


def test_language_switch_to_english_and_back(client, db):
    page = html(client.get("/"))
    assert 'action="/i18n/setlang/"' in page and 'value="en"' in page
    r = client.post("/i18n/setlang/", {"language": "en", "next": "/thu-tuc/"})
    assert r.status_code == 302 and r["Location"] == "/thu-tuc/"
    page = html(client.get("/thu-tuc/"))
    assert '<html lang="en">' in page
    assert "Search procedures" in page and "Tra cứu thủ tục" not in page
    client.post("/i18n/setlang/", {"language": "vi", "next": "/"})
    assert "Tra cứu thủ tục" in html(client.get("/"))


def test_language_switch_ignores_an_outside_next(client, db):
    r = client.post("/i18n/setlang/", {"language": "en", "next": "https://evil.example/"})
    assert r["Location"] == "/"


@pytest.mark.parametrize(
    ("status", "title"),
    [
        (400, "Yêu cầu không hợp lệ"),
        (403, "Không có quyền truy cập"),
        (404, "Không tìm thấy trang"),
        (500, "Hệ thống gặp sự cố"),
    ],
)
def test_error_page_needs_no_database(status, title, django_assert_num_queries):
    request = RequestFactory().get("/bat-ky/")
    from motcua.portal.context_processors import site

    with django_assert_num_queries(0):
        page = render_to_string(
            "errors/error.html",
            {"status": status, "message": "x", **site(request)},
            request=request,
        )
    assert title in page and f"Mã lỗi {status}" in page


def test_unknown_url_uses_the_error_page(client, db):
    r = client.get("/khong-co-trang-nay/")
    assert (
        r.status_code == 404 and "Không tìm thấy trang" in html(r) and 'href="/thu-tuc/"' in html(r)
    )


def test_csrf_failure_is_a_page_not_a_crash(db):
    from django.test import Client

    r = Client(enforce_csrf_checks=True).post("/dang-nhap/", {"email": "a@b.vn", "password": "x"})
    assert r.status_code == 403 and "Trang đã cũ, vui lòng thử lại" in html(r)
    assert_no_inline_code(r)


def test_vietnamese_first_whatever_the_browser_says(client, db):
    page = html(client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9"))
    assert '<html lang="vi">' in page and "Tra cứu thủ tục" in page
    client.cookies["django_language"] = "en"
    assert '<html lang="en">' in html(client.get("/", HTTP_ACCEPT_LANGUAGE="vi"))


def test_favicon_answers_at_the_root_and_every_page_links_its_icons(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert b"".join(response).startswith(b"\x00\x00\x01\x00")  # an ICO file's header
    assert "max-age" in response["Cache-Control"]

    from django.contrib.staticfiles import finders

    page = html(client.get("/dang-nhap/"))
    icons = re.findall(r'<link rel="(?:icon|apple-touch-icon)" href="/static/([^"]+)"', page)
    assert sorted(icons) == [
        "portal/img/apple-touch-icon.png",
        "portal/img/favicon.ico",
        "portal/img/favicon.svg",
    ]
    for icon in icons:
        assert finders.find(icon), icon
