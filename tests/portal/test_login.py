from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from motcua.accounts.models import User
from tests.factories import PASSWORD, StaffFactory, UserFactory
from tests.portal.conftest import html, mailed_link, registration

pytestmark = pytest.mark.django_db


def _login(client, email, password=PASSWORD, **extra):
    return client.post("/dang-nhap/", {"email": email, "password": password, **extra})


def test_login_then_profile(client, user):
    r = _login(client, user.email.upper())
    assert r.status_code == 302 and r["Location"] == "/trang-ca-nhan/"
    assert client.session[SESSION_KEY] == str(user.pk)


def test_login_goes_back_to_a_safe_next(client, user):
    r = _login(client, user.email, next="/thu-tuc/1.000001/")
    assert r["Location"] == "/thu-tuc/1.000001/"


@pytest.mark.parametrize(
    "unsafe", ["https://evil.example/", "//evil.example/", "javascript:alert(1)"]
)
def test_login_ignores_an_unsafe_next(client, user, unsafe):
    assert _login(client, user.email, next=unsafe)["Location"] == "/trang-ca-nhan/"


def test_next_from_the_query_string_reaches_the_form(client):
    page = html(client.get("/dang-nhap/?next=/thu-tuc/1.000001/"))
    assert 'name="next" value="/thu-tuc/1.000001/"' in page
    page = html(client.get("/dang-nhap/?next=https://evil.example/"))
    assert 'name="next" value="https://evil.example/"' not in page
    assert '<input type="hidden" name="next" id="id_next">' in page


def test_wrong_password(client, user):
    r = _login(client, user.email, "SaiMatKhau1")
    page = html(r)
    assert r.status_code == 200
    assert "Thư điện tử hoặc mật khẩu không đúng." in page and 'href="#id_email"' in page
    assert SESSION_KEY not in client.session


def test_empty_form(client, db):
    page = html(client.post("/dang-nhap/", {}))
    assert "Vui lòng nhập địa chỉ thư điện tử." in page and "Vui lòng nhập mật khẩu." in page


def test_unconfirmed_account_is_offered_a_new_link(client):
    client.post("/dang-ky/", registration())
    first = mailed_link("an.nguyen@example.vn", "/xac-nhan/")
    r = _login(client, "an.nguyen@example.vn", "Matkhau2026")
    page = html(r)
    assert "Tài khoản chưa được xác nhận" in page
    assert 'action="/dang-ky/da-gui/"' in page and 'value="an.nguyen@example.vn"' in page
    assert SESSION_KEY not in client.session
    client.post("/dang-ky/da-gui/", {"email": "an.nguyen@example.vn"})
    assert mailed_link("an.nguyen@example.vn", "/xac-nhan/") != first


def test_inactive_account(client):
    user = UserFactory(is_active=False)
    assert "Tài khoản đã bị khóa" in html(_login(client, user.email))


def test_lockout_shows_the_locked_page_and_refuses_the_right_password(client, user, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(client, user.email, "SaiMatKhau1").status_code == 200
    r = _login(client, user.email, "SaiMatKhau1")
    assert r.status_code == 403 and "Tài khoản tạm khóa" in html(r)
    assert "15 phút" in html(r)
    r = _login(client, user.email)
    assert r.status_code == 403 and "Tài khoản tạm khóa" in html(r)
    assert SESSION_KEY not in client.session


@pytest.mark.urls("tests.portal.urls_with_otp")
def test_staff_needing_a_second_factor_go_to_the_code_page(client, settings):
    settings.STAFF_2FA_REQUIRED = True
    staff = StaffFactory()
    r = _login(client, staff.email, next="/quan-tri/")
    assert r.status_code == 302 and r["Location"] == reverse("backoffice:otp-verify")
    assert SESSION_KEY not in client.session
    assert client.session["pending_2fa_user_id"] == staff.pk
    assert client.session["pending_2fa_next"] == "/quan-tri/"


def test_staff_without_a_second_factor_in_demo_log_in(client, settings):
    settings.STAFF_2FA_REQUIRED = False
    staff = StaffFactory()
    assert _login(client, staff.email).status_code == 302
    assert client.session[SESSION_KEY] == str(staff.pk)


def test_logged_in_user_opening_login_goes_to_profile(logged_in):
    assert logged_in.get("/dang-nhap/")["Location"] == "/trang-ca-nhan/"


def test_logout_is_post_only(logged_in, user):
    assert logged_in.get("/dang-xuat/").status_code == 405
    assert logged_in.session[SESSION_KEY] == str(user.pk)
    r = logged_in.post("/dang-xuat/")
    assert r.status_code == 302 and r["Location"] == "/"
    assert SESSION_KEY not in logged_in.session
    assert "Bạn đã đăng xuất." in html(logged_in.get("/"))


def test_header_shows_the_right_links(client, user):
    page = html(client.get("/"))
    assert 'href="/dang-ky/"' in page and 'href="/dang-nhap/"' in page and "Đăng xuất" not in page
    client.force_login(user)
    page = html(client.get("/"))
    assert (
        'href="/trang-ca-nhan/"' in page
        and 'action="/dang-xuat/"' in page
        and 'href="/dang-nhap/"' not in page
    )


def test_logout_requires_csrf(user):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(user)
    assert strict.post("/dang-xuat/").status_code == 403
    assert User.objects.filter(pk=user.pk).exists()


def test_login_lands_staff_on_a_staff_page_and_citizens_on_theirs(client, settings, citizen):
    settings.STAFF_2FA_REQUIRED = False
    assert _login(client, citizen.email)["Location"] == "/trang-ca-nhan/"
    client.logout()
    admin = StaffFactory(is_staff=True, is_superuser=True)
    assert _login(client, admin.email)["Location"] == "/quan-tri/"
    assert client.get("/dang-nhap/")["Location"] == "/quan-tri/"
    client.logout()
    # Officers, with admin rights or not, land on their work queues.
    for officer in (StaffFactory(is_staff=True), StaffFactory(is_staff=False)):
        assert _login(client, officer.email)["Location"] == "/can-bo/"
        client.logout()


def test_warned_before_the_last_tries_how_long_the_lock_lasts(client, user, settings):
    settings.AXES_FAILURE_LIMIT = 4
    settings.AXES_COOLOFF_TIME = timedelta(minutes=30)
    first = html(_login(client, user.email, "SaiMatKhau1"))
    assert "lần thử" not in first  # three tries left: no alarm yet
    second = html(_login(client, user.email, "SaiMatKhau1"))
    assert "Còn 2 lần thử" in second and "tạm khóa 30 phút" in second
    third = html(_login(client, user.email, "SaiMatKhau1"))
    assert "Còn 1 lần thử" in third and "tạm khóa 30 phút" in third
    assert _login(client, user.email, "SaiMatKhau1").status_code == 403


def test_the_warning_is_the_same_for_an_address_without_account(client, db):
    for _ in range(4):
        page = html(_login(client, "khong-co@example.vn", "SaiMatKhau1"))
    assert "Còn 1 lần thử" in page and "tạm khóa 15 phút" in page
