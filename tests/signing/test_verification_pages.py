"""``GET /api/v1/verify/{code}`` and ``/tra-cuu/xac-thuc/{code}`` (docs/api.md)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.signing import services
from motcua.signing.models import SignedResult
from tests.documents.helpers import submitted_dossier


@pytest.fixture
def result(trusted, certificate, result_pdf, staff):
    dossier = submitted_dossier()
    return services.sign_result(dossier, result_pdf, signer_user=staff)


def _tamper(result):
    with result.file.open("rb") as handle:
        data = bytearray(handle.read())
    data[len(data) // 2] ^= 0x01
    with open(result.file.path, "wb") as handle:
        handle.write(bytes(data))


def test_sign_result_keeps_the_signed_bytes_and_who_signed(result, staff):
    assert result.signer == staff and result.signer_name == staff.full_name
    with result.file.open("rb") as handle:
        data = handle.read()
    assert len(data) == result.size
    check = services.verify_pdf(data)
    assert check.valid and check.signer_name == "Đặng Quốc Việt"
    assert check.last.location == result.dossier.receiving_agency.name


def test_sign_result_without_a_certificate_is_refused(db, result_pdf, citizen):
    dossier = submitted_dossier()
    with pytest.raises(services.SigningError, match="chứng thư số"):
        services.sign_result(dossier, result_pdf, signer_user=citizen)
    assert not SignedResult.objects.exists()


def test_api_says_valid_and_who_signed(api, result):
    r = api.get(f"/api/v1/verify/{result.dossier.code}")
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["valid"] is True
    assert body["code"] == result.dossier.code
    assert body["signer"] == "Đặng Quốc Việt"
    assert body["signed_at"].endswith("+07:00")
    assert body["document"]["sha256"] == result.sha256
    [signature] = body["signatures"]
    assert signature["valid"] and signature["issuer"] == "Tổ chức chứng thực thử nghiệm"
    assert signature["reason"] == services.DEFAULT_REASON
    # Nothing about the applicant.
    assert "Tuyết" not in r.content.decode() and "051190012345" not in r.content.decode()


def test_api_one_changed_byte_in_the_stored_file_is_invalid(api, result):
    _tamper(result)
    body = api.get(f"/api/v1/verify/{result.dossier.code}").json()
    assert body["valid"] is False
    assert body["message"] == "Nội dung tệp đã bị thay đổi sau khi ký."


def test_api_unknown_code_or_unsigned_dossier_is_404(api, db):
    r = api.get("/api/v1/verify/H48.13-260101-9999")
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "not_found"
    unsigned = submitted_dossier()
    assert api.get(f"/api/v1/verify/{unsigned.code}").status_code == 404


def test_page_shows_valid_signer_and_time(client, result):
    r = client.get(f"/tra-cuu/xac-thuc/{result.dossier.code}")
    assert r.status_code == 200
    html = r.content.decode()
    assert "Chữ ký số hợp lệ." in html
    assert "Đặng Quốc Việt" in html
    assert result.signed_at.astimezone().strftime("%Y") in html
    assert result.dossier.version.name in html


def test_page_says_invalid_after_a_changed_byte(client, result):
    _tamper(result)
    html = client.get(f"/tra-cuu/xac-thuc/{result.dossier.code}/").content.decode()
    assert "Chữ ký số không hợp lệ." in html
    assert "Nội dung tệp đã bị thay đổi sau khi ký." in html


def test_page_unknown_code_is_404_in_vietnamese(client, db):
    r = client.get("/tra-cuu/xac-thuc/H48.13-260101-9999")
    assert r.status_code == 404
    assert "Không tìm thấy kết quả đã ký số" in r.content.decode()


def test_uploading_the_genuine_copy_matches_the_original(client, result):
    with result.file.open("rb") as handle:
        data = handle.read()
    r = client.post(
        f"/tra-cuu/xac-thuc/{result.dossier.code}",
        {"file": SimpleUploadedFile("ket-qua.pdf", data, "application/pdf")},
    )
    html = r.content.decode()
    assert r.status_code == 200
    assert "Tệp «ket-qua.pdf»: chữ ký số hợp lệ." in html
    assert "Tệp trùng khớp với bản gốc lưu trên hệ thống." in html


def test_uploading_a_changed_copy_is_invalid(client, result):
    with result.file.open("rb") as handle:
        data = bytearray(handle.read())
    data[len(data) // 3] ^= 0x01
    r = client.post(
        "/tra-cuu/xac-thuc/",
        {"file": SimpleUploadedFile("sua.pdf", bytes(data), "application/pdf")},
    )
    html = r.content.decode()
    assert "Tệp «sua.pdf»: chữ ký số không hợp lệ." in html


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (None, "Vui lòng chọn tệp PDF cần kiểm tra."),
        (SimpleUploadedFile("anh.png", b"\x89PNG....", "image/png"), "không phải là tệp PDF"),
    ],
)
def test_bad_upload_gets_a_message_next_to_the_field(client, db, upload, message):
    r = client.post("/tra-cuu/xac-thuc/", {"file": upload} if upload else {})
    assert r.status_code == 200
    html = r.content.decode()
    assert 'id="id_file_error"' in html and message in html


def test_upload_needs_the_csrf_token_and_a_size_within_the_limit(db, result, settings):
    from django.test import Client

    from motcua.portal.views import verification

    strict = Client(enforce_csrf_checks=True)
    url = f"/tra-cuu/xac-thuc/{result.dossier.code}"
    pdf = SimpleUploadedFile("a.pdf", b"%PDF-1.7\n", "application/pdf")
    assert strict.post(url, {"file": pdf}).status_code == 403
    strict.get(url)
    token = strict.cookies["csrftoken"].value
    big = SimpleUploadedFile("lon.pdf", b"%PDF-" + b"0" * 2048, "application/pdf")
    verification.MAX_BYTES, old = 1024, verification.MAX_BYTES
    try:
        # The token comes first, as in the page's form; the file is cut off after it.
        r = strict.post(url, {"csrfmiddlewaretoken": token, "file": big})
    finally:
        verification.MAX_BYTES = old
    assert r.status_code == 413
    assert "Tệp vượt quá 20 MB." in r.content.decode()


def test_api_is_throttled_per_address(api, result, monkeypatch):
    from motcua.api import verify

    monkeypatch.setattr(verify, "RATE", "2/minute")
    url = f"/api/v1/verify/{result.dossier.code}"
    assert [api.get(url).status_code for _ in range(3)] == [200, 200, 429]


def test_the_page_without_a_code_offers_the_upload(client, db):
    for url in ("/tra-cuu/xac-thuc", "/tra-cuu/xac-thuc/"):
        html = client.get(url).content.decode()
        assert "Kiểm tra tệp PDF" in html and 'type="file"' in html
