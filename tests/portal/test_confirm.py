from datetime import timedelta

import pytest
from django.utils import timezone

from motcua.accounts.models import OneTimeToken, User
from tests.portal.conftest import html, mailed_link, registration

pytestmark = pytest.mark.django_db


@pytest.fixture
def link(client):
    client.post("/dang-ky/", registration())
    return mailed_link("an.nguyen@example.vn", "/xac-nhan/")


def _user():
    return User.objects.get(email="an.nguyen@example.vn")


def test_get_only_shows_a_button_and_uses_nothing(client, link):
    for url in (link, link + "/"):
        r = client.get(url)
        assert r.status_code == 200
        page = html(r)
        assert "Xác nhận tài khoản</button>" in page and 'method="post"' in page
    assert not _user().is_confirmed
    assert OneTimeToken.objects.get(used_at__isnull=True)


def test_post_confirms_and_sends_to_login(client, link):
    r = client.post(link)
    assert r.status_code == 302 and r["Location"] == "/dang-nhap/"
    assert _user().is_confirmed
    assert "Tài khoản đã được xác nhận" in html(client.get(r["Location"]))


def test_post_with_trailing_slash_works_too(client, link):
    assert client.post(link + "/").status_code == 302
    assert _user().is_confirmed


def test_used_link_is_refused_with_a_way_to_get_a_new_one(client, link):
    client.post(link)
    r = client.post(link)
    page = html(r)
    assert r.status_code == 400
    assert "Đường dẫn không hợp lệ hoặc đã được sử dụng." in page
    assert 'action="/dang-ky/da-gui/"' in page and "Gửi lại thư xác nhận" in page


def test_expired_link_is_refused(client, link):
    OneTimeToken.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    r = client.post(link)
    assert r.status_code == 400 and "Đường dẫn đã hết hạn" in html(r)
    assert not _user().is_confirmed


def test_unknown_link_is_refused(client, db):
    r = client.post("/xac-nhan/khong-phai-ma-that")
    assert r.status_code == 400 and "không hợp lệ" in html(r)


def test_id_number_confirmed_meanwhile_by_someone_else(client, link):
    from tests.factories import UserFactory

    UserFactory(id_number="051090123456")
    r = client.post(link)
    page = html(r)
    assert r.status_code == 400 and "đã gắn với một tài khoản khác" in page
    assert "Gửi lại thư xác nhận" not in page


def test_a_used_link_says_so_at_once_without_a_button(client, link):
    client.post(link)
    r = client.get(link)
    page = html(r)
    assert "Đường dẫn này đã được dùng: tài khoản đã được xác nhận." in page
    assert "Xác nhận tài khoản</button>" not in page and 'href="/dang-nhap/"' in page


def test_an_expired_or_unknown_link_says_so_at_once(client, link):
    OneTimeToken.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    r = client.get(link)
    assert r.status_code == 400 and "Đường dẫn đã hết hạn" in html(r)
    assert "Xác nhận tài khoản</button>" not in html(r)
    r = client.get("/xac-nhan/khong-phai-ma-that")
    assert r.status_code == 400 and "không hợp lệ" in html(r)
    assert "Gửi lại thư xác nhận" in html(r)
