"""Who may enter /quan-tri/: active staff, and with a verified second factor when required."""

import pytest
from django.urls import reverse

from motcua.backoffice.admin_site import admin_site
from tests.backoffice.conftest import totp_code
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


def test_site_is_ours_and_in_vietnamese():
    assert reverse("admin:index") == "/quan-tri/"
    assert admin_site.site_header == "Quản trị hệ thống MotCua"


def test_anonymous_is_sent_to_the_portal_login(client):
    response = client.get("/quan-tri/catalog/procedureversion/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/dang-nhap/?next=")
    assert "%2Fquan-tri%2Fcatalog%2Fprocedureversion%2F" in response.redirect_chain[-1][0]


def test_admin_login_url_redirects_to_the_portal_login(client):
    response = client.get("/quan-tri/login/?next=/quan-tri/accounts/user/")
    assert response.status_code == 302
    assert response["Location"] == "/dang-nhap/?next=%2Fquan-tri%2Faccounts%2Fuser%2F"


def test_admin_login_ignores_an_outside_next(client):
    response = client.get("/quan-tri/login/?next=https://evil.example/")
    assert response["Location"] == "/dang-nhap/?next=%2Fquan-tri%2F"


def test_citizen_is_refused(client, citizen):
    client.force_login(citizen)
    assert client.get("/quan-tri/login/").status_code == 403
    response = client.get("/quan-tri/", follow=True)
    assert response.status_code == 403


def test_staff_without_admin_flag_is_refused(client):
    officer = StaffFactory(is_staff=False)
    client.force_login(officer)
    assert client.get("/quan-tri/", follow=True).status_code == 403


def test_inactive_staff_is_refused(client):
    user = StaffFactory(is_superuser=True)
    client.force_login(user)
    user.is_active = False
    user.save()
    response = client.get("/quan-tri/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/dang-nhap/")


def test_staff_without_2fa_enters_in_demo_mode(admin_client, settings):
    settings.STAFF_2FA_REQUIRED = False
    assert admin_client.get("/quan-tri/").status_code == 200


def test_staff_must_verify_when_2fa_is_required(admin_client, superuser, settings, device_for):
    settings.STAFF_2FA_REQUIRED = True
    response = admin_client.get("/quan-tri/", follow=True)
    assert response.redirect_chain[-1][0] == reverse("backoffice:otp-verify")
    assert admin_client.session["pending_2fa_user_id"] == superuser.pk
    # No device yet: the setup step; confirming it verifies this session.
    assert "Thiết lập xác thực hai bước" in response.content.decode()
    device = superuser.totpdevice_set.get()
    response = admin_client.post(reverse("backoffice:otp-verify"), {"code": totp_code(device)})
    assert response["Location"] == "/quan-tri/"
    assert admin_client.get("/quan-tri/").status_code == 200


def test_staff_with_a_device_must_verify_even_in_demo_mode(
    admin_client, superuser, settings, device_for
):
    settings.STAFF_2FA_REQUIRED = False
    device = device_for(superuser)
    response = admin_client.get("/quan-tri/accounts/user/")
    assert response.status_code == 302
    response = admin_client.get(response["Location"])
    assert response["Location"] == reverse("backoffice:otp-verify")
    response = admin_client.post(reverse("backoffice:otp-verify"), {"code": totp_code(device)})
    assert response["Location"] == "/quan-tri/accounts/user/"
    assert admin_client.get("/quan-tri/accounts/user/").status_code == 200


def test_full_login_through_the_portal_with_2fa(client, settings, device_for, password):
    settings.STAFF_2FA_REQUIRED = True
    user = StaffFactory(is_superuser=True)
    device = device_for(user)
    response = client.post(
        "/dang-nhap/?next=/quan-tri/",
        {"email": user.email, "password": password, "next": "/quan-tri/"},
    )
    assert response["Location"] == reverse("backoffice:otp-verify")
    assert client.get("/quan-tri/").status_code == 302
    response = client.post(reverse("backoffice:otp-verify"), {"code": totp_code(device)})
    assert response["Location"] == "/quan-tri/"
    assert client.get("/quan-tri/").status_code == 200


def test_other_citizens_cannot_use_the_otp_page(client, citizen):
    session = client.session
    session["pending_2fa_user_id"] = citizen.pk
    session.save()
    response = client.get(reverse("backoffice:otp-verify"))
    assert response["Location"] == "/dang-nhap/"
