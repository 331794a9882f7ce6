from datetime import timedelta

import pytest
from django.utils import timezone

from motcua.accounts.models import OneTimeToken
from tests.factories import UserFactory
from tests.portal.conftest import html, mail_count, mailed_link

pytestmark = pytest.mark.django_db


@pytest.fixture
def link(client, user):
    r = client.post("/quen-mat-khau/", {"email": user.email})
    assert r["Location"] == "/quen-mat-khau/da-gui/"
    return mailed_link(user.email, "/dat-lai-mat-khau/")


def test_request_gives_the_same_answer_whether_or_not_the_account_exists(client, user):
    for email in (user.email, "khong.co@example.vn"):
        r = client.post("/quen-mat-khau/", {"email": email}, follow=True)
        assert "Nếu địa chỉ này có tài khoản đã xác nhận" in html(r)
    assert mail_count(user.email) == 1 and mail_count("khong.co@example.vn") == 0


def test_request_needs_an_address(client, db):
    assert "Vui lòng nhập địa chỉ thư điện tử." in html(
        client.post("/quen-mat-khau/", {"email": ""})
    )


def test_link_shows_the_form_without_using_the_token(client, link):
    for url in (link, link + "/"):
        r = client.get(url)
        assert r.status_code == 200 and 'name="password_confirm"' in html(r)
    assert OneTimeToken.objects.get(purpose="reset").used_at is None


def test_weak_or_mismatched_password_keeps_the_link_usable(client, link):
    assert 'href="#id_password"' in html(
        client.post(link, {"password": "12345678", "password_confirm": "12345678"})
    )
    assert "không khớp" in html(
        client.post(link, {"password": "MatKhauMoi9", "password_confirm": "MatKhauMoi8"})
    )
    assert OneTimeToken.objects.get(purpose="reset").used_at is None


def test_reset_then_log_in_with_the_new_password(client, link, user, password):
    r = client.post(link, {"password": "MatKhauMoi9", "password_confirm": "MatKhauMoi9"})
    assert r.status_code == 302 and r["Location"] == "/dang-nhap/"
    assert "Mật khẩu đã được đặt lại" in html(client.get("/dang-nhap/"))
    assert "không đúng" in html(
        client.post("/dang-nhap/", {"email": user.email, "password": password})
    )
    assert (
        client.post("/dang-nhap/", {"email": user.email, "password": "MatKhauMoi9"}).status_code
        == 302
    )


def test_used_link_is_refused(client, link):
    client.post(link, {"password": "MatKhauMoi9", "password_confirm": "MatKhauMoi9"})
    for r in (
        client.get(link),
        client.post(link, {"password": "MatKhauMoi8", "password_confirm": "MatKhauMoi8"}),
    ):
        assert r.status_code == 400
        assert "Đường dẫn không hợp lệ hoặc đã được sử dụng." in html(r)
        assert 'href="/quen-mat-khau/"' in html(r)


def test_expired_link_is_refused(client, link):
    OneTimeToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    r = client.get(link)
    assert r.status_code == 400 and "Đường dẫn đã hết hạn" in html(r)


def test_unconfirmed_account_gets_no_reset_mail(client):
    user = UserFactory(email_confirmed_at=None)
    client.post("/quen-mat-khau/", {"email": user.email})
    assert mail_count(user.email) == 0
