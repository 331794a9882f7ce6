"""The staff second factor: the login step, enrolment, and the security page."""

import base64

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.backoffice.conftest import totp_code, wrong_code
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db

VERIFY = "/can-bo/xac-thuc-hai-buoc/"
SECURITY = "/can-bo/bao-mat/"


def pending(client, user, next_url="/quan-tri/"):
    """What the portal's login page leaves after a correct password."""
    session = client.session
    session["pending_2fa_user_id"] = user.pk
    session["pending_2fa_next"] = next_url
    session.save()


def wait_out_throttling(device):
    """django-otp refuses any code for a second or more after a wrong one."""
    device.refresh_from_db()
    device.throttle_reset()


def logged_in_as(client):
    return client.session.get("_auth_user_id")


def test_urls():
    assert reverse("backoffice:otp-verify") == VERIFY
    assert reverse("backoffice:security") == SECURITY


def test_without_pending_login_goes_back_to_login(client):
    assert client.get(VERIFY)["Location"] == "/dang-nhap/"


def test_correct_code_logs_in_verified(client, device_for):
    user = StaffFactory(is_superuser=True)
    device = device_for(user)
    pending(client, user, "/quan-tri/accounts/user/")
    page = client.get(VERIFY)
    assert page.status_code == 200
    assert 'autocomplete="one-time-code"' in page.content.decode()
    assert logged_in_as(client) is None
    response = client.post(VERIFY, {"code": totp_code(device)})
    assert response["Location"] == "/quan-tri/accounts/user/"
    assert logged_in_as(client) == str(user.pk)
    assert "pending_2fa_user_id" not in client.session
    assert client.session["otp_device_id"] == device.persistent_id
    assert client.get("/quan-tri/accounts/user/").status_code == 200


def test_unsafe_next_falls_back_to_the_staff_landing(client, device_for):
    user = StaffFactory()
    device = device_for(user)
    pending(client, user, "https://evil.example/")
    assert client.post(VERIFY, {"code": totp_code(device)})["Location"] == "/can-bo/"


def test_wrong_code_is_refused_in_vietnamese(client, device_for):
    user = StaffFactory()
    device = device_for(user)
    pending(client, user)
    page = client.post(VERIFY, {"code": wrong_code(device)}).content.decode()
    assert "Mã xác thực không đúng hoặc đã hết hạn." in page
    assert "Bạn còn 4 lần thử" in page
    assert 'class="error-summary"' in page
    assert logged_in_as(client) is None


def test_malformed_code_is_explained_and_not_counted(client, device_for):
    user = StaffFactory()
    device_for(user)
    pending(client, user)
    page = client.post(VERIFY, {"code": "12ab"}).content.decode()
    assert "Mã xác thực gồm đúng 6 chữ số." in page
    assert "pending_2fa_failures" not in client.session


def test_five_wrong_codes_send_back_to_login(client, device_for):
    user = StaffFactory()
    device = device_for(user)
    pending(client, user)
    for _ in range(4):
        assert client.post(VERIFY, {"code": wrong_code(device)}).status_code == 200
    response = client.post(VERIFY, {"code": wrong_code(device)}, follow=True)
    assert response.redirect_chain[-1][0] == "/dang-nhap/"
    assert "sai mã xác thực quá nhiều lần" in response.content.decode()
    assert "pending_2fa_user_id" not in client.session
    assert logged_in_as(client) is None
    device.refresh_from_db()
    # django-otp also throttles the device itself, which outlives the session.
    assert device.throttling_failure_count >= 1


def test_setup_at_login_when_2fa_is_required(client, settings):
    settings.STAFF_2FA_REQUIRED = True
    user = StaffFactory()
    pending(client, user)
    page = client.get(VERIFY).content.decode()
    assert 'src="data:image/svg+xml;base64,' in page
    device = TOTPDevice.objects.get(user=user)
    assert device.confirmed is False
    # A reload shows the same secret rather than a new one.
    client.get(VERIFY)
    assert TOTPDevice.objects.filter(user=user).count() == 1
    assert "Thiết lập xác thực hai bước" in page
    secret = base64.b32encode(device.bin_key).decode()
    assert secret[:4] + " " + secret[4:8] in page
    assert (
        "Mã xác thực không đúng"
        in client.post(VERIFY, {"code": wrong_code(device)}).content.decode()
    )
    wait_out_throttling(device)
    response = client.post(VERIFY, {"code": totp_code(device, 1)})
    assert response["Location"] == "/quan-tri/"
    device.refresh_from_db()
    assert device.confirmed is True
    assert logged_in_as(client) == str(user.pk)


def test_security_page_needs_a_staff_login(client, citizen):
    assert client.get(SECURITY)["Location"].startswith("/dang-nhap/?next=")
    client.force_login(citizen)
    assert client.get(SECURITY).status_code == 403


def test_enable_from_the_security_page(client):
    user = StaffFactory()
    client.force_login(user)
    assert "Chưa bật" in client.get(SECURITY).content.decode()
    assert client.post(SECURITY, {"action": "start"})["Location"] == SECURITY
    page = client.get(SECURITY).content.decode()
    assert "data:image/svg+xml;base64," in page
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    page = client.post(SECURITY, {"action": "confirm", "code": wrong_code(device)}).content.decode()
    assert "Mã xác thực không đúng" in page
    wait_out_throttling(device)
    response = client.post(
        SECURITY, {"action": "confirm", "code": totp_code(device, 1)}, follow=True
    )
    assert "Đã bật xác thực hai bước" in response.content.decode()
    device.refresh_from_db()
    assert device.confirmed
    # The session that proved the code counts as verified: the admin opens without a new code.
    user.is_staff = user.is_superuser = True
    user.save()
    assert client.get("/quan-tri/").status_code == 200


def test_cancel_setup(client):
    user = StaffFactory()
    client.force_login(user)
    client.post(SECURITY, {"action": "start"})
    client.post(SECURITY, {"action": "cancel"})
    assert not TOTPDevice.objects.filter(user=user).exists()


def test_remove_device_needs_a_current_code(client, device_for):
    user = StaffFactory()
    device = device_for(user)
    client.force_login(user)
    assert "Đang bật" in client.get(SECURITY).content.decode()
    page = client.post(SECURITY, {"action": "remove", "code": wrong_code(device)}).content.decode()
    assert "Mã xác thực không đúng" in page
    assert TOTPDevice.objects.filter(user=user).exists()
    wait_out_throttling(device)
    response = client.post(SECURITY, {"action": "remove", "code": totp_code(device)}, follow=True)
    assert "Đã tắt xác thực hai bước" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=user).exists()


def test_pages_are_accessible_and_carry_no_inline_script(client, device_for):
    user = StaffFactory()
    device_for(user)
    pending(client, user)
    page = client.post(VERIFY, {"code": ""}).content.decode()
    assert '<label class="label" for="id_code">Mã xác thực</label>' in page
    assert 'href="#id_code"' in page
    assert "<script>" not in page and "style=" not in page


def test_officer_without_admin_rights_lands_on_their_staff_page(client, device_for):
    officer = StaffFactory(is_staff=False)
    device = device_for(officer)
    pending(client, officer, "")
    # Their work queues; the administration would refuse them, the citizen's page is not theirs.
    assert client.post(VERIFY, {"code": totp_code(device)})["Location"] == "/can-bo/"
