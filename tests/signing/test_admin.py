"""The administrator uploads a PKCS#12 file; the list shows whose it is and until when."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.signing.models import SignerCertificate, TrustedAuthority
from tests.factories import StaffFactory
from tests.signing.conftest import p12

ADD = "/quan-tri/signing/signercertificate/add/"


@pytest.fixture
def admin_client(client, db, settings):
    settings.STAFF_2FA_REQUIRED = False
    client.force_login(StaffFactory(is_superuser=True, email="quantri@quangngai.gov.vn"))
    return client


def _upload(admin_client, data, password, user):
    return admin_client.post(
        ADD,
        {
            "user": user.pk,
            "p12_file": SimpleUploadedFile("ky-so.p12", data, "application/x-pkcs12"),
            "p12_password": password,
            "active": "on",
        },
    )


def test_upload_stores_the_certificate_and_lists_its_validity(admin_client, pki, staff):
    response = _upload(
        admin_client, p12(pki.signer, pki.signer_key, [pki.ca]), "mat-khau-123", staff
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    stored = SignerCertificate.objects.get()
    assert stored.user == staff and stored.subject_name == "Đặng Quốc Việt"
    assert stored.encrypted_key and stored.plugin == "software"
    listing = admin_client.get("/quan-tri/signing/signercertificate/").content.decode()
    assert "Đặng Quốc Việt" in listing
    assert (
        f"{stored.valid_to.astimezone():%d/%m/%Y}" in listing
        or str(stored.valid_to.year) in listing
    )
    page = admin_client.get(f"/quan-tri/signing/signercertificate/{stored.pk}/change/")
    html = page.content.decode()
    assert page.status_code == 200 and "hiệu lực đến" in html.lower()
    assert stored.encrypted_key not in html


def test_wrong_password_is_said_next_to_the_file(admin_client, pki, staff):
    response = _upload(admin_client, p12(pki.signer, pki.signer_key, [pki.ca]), "sai", staff)
    assert response.status_code == 200
    assert "sai mật khẩu" in response.content.decode()
    assert not SignerCertificate.objects.exists()


def test_the_same_certificate_twice_is_refused(admin_client, pki, staff):
    data = p12(pki.signer, pki.signer_key, [pki.ca])
    assert _upload(admin_client, data, "mat-khau-123", staff).status_code == 302
    response = _upload(admin_client, data, "mat-khau-123", staff)
    assert "đã có trên hệ thống" in response.content.decode()
    assert SignerCertificate.objects.count() == 1


def test_an_owner_is_required(admin_client, pki):
    response = admin_client.post(
        ADD,
        {
            "p12_file": SimpleUploadedFile("ky-so.p12", p12(pki.signer, pki.signer_key, []), ""),
            "p12_password": "mat-khau-123",
        },
    )
    assert "Chọn cán bộ hoặc cơ quan" in response.content.decode()


def test_trusted_authority_from_pem(admin_client, pki):
    response = admin_client.post(
        "/quan-tri/signing/trustedauthority/add/",
        {"name": "", "certificate_pem": pki.ca_pem, "active": "on"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    ca = TrustedAuthority.objects.get()
    assert ca.name == "Tổ chức chứng thực thử nghiệm"
    assert ca.valid_to == pki.ca.not_valid_after_utc
    bad = admin_client.post(
        "/quan-tri/signing/trustedauthority/add/",
        {"name": "X", "certificate_pem": "khong phai PEM", "active": "on"},
    )
    assert "không đúng định dạng PEM" in bad.content.decode()
