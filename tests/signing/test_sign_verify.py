import datetime as dt

import pytest

from motcua.signing import services
from motcua.signing.models import SignerCertificate


@pytest.fixture
def signed(trusted, certificate, result_pdf):
    return services.sign_pdf(
        result_pdf, certificate=certificate, reason="Ký duyệt kết quả", location="Quảng Ngãi"
    )


def test_round_trip_names_the_signer_time_and_reason(signed):
    check = services.verify_pdf(signed)
    assert check.valid, check.message
    assert check.signer_name == "Đặng Quốc Việt"
    assert check.reason == "Ký duyệt kết quả"
    assert check.last.location == "Quảng Ngãi"
    assert check.last.organisation == "Sở Văn hóa, Thể thao và Du lịch"
    assert abs(check.signed_at - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=5)


def test_every_single_changed_byte_makes_it_invalid(signed):
    # A spread of positions: the page content, the signature dictionary, the hex of the
    # signature container (including its zero padding) and the very end of the file.
    start = signed.index(b"/Contents <") + len(b"/Contents <")
    positions = [len(signed) // 3, len(signed) // 2, start + 10, start + 4000, len(signed) - 3]
    for pos in positions:
        tampered = bytearray(signed)
        # Inside the hex string a digit stays a digit, so the file still parses.
        is_hex = chr(tampered[pos]) in "0123456789ABCDEF"
        tampered[pos] = (
            (b"1"[0] if tampered[pos] == b"0"[0] else b"0"[0]) if is_hex else (tampered[pos] ^ 0x01)
        )
        check = services.verify_pdf(bytes(tampered))
        assert not check.valid, f"byte {pos} changed yet valid"


def test_letter_case_of_one_hex_digit_in_the_container_counts_as_a_change(signed):
    # The same bytes once decoded: only our own check of the container notices.
    start = signed.index(b"/Contents <") + len(b"/Contents <")
    pos = next(i for i in range(start, start + 200) if signed[i : i + 1] in b"ABCDEF")
    tampered = signed[:pos] + signed[pos : pos + 1].lower() + signed[pos + 1 :]
    assert not services.verify_pdf(tampered).valid


def test_a_pdf_without_signature_or_not_a_pdf_is_invalid(db, result_pdf):
    assert services.verify_pdf(result_pdf).message == "Tệp không có chữ ký số."
    assert not services.verify_pdf(b"not a pdf at all").valid


def test_a_ca_the_province_does_not_trust_is_invalid(db, pki, staff, result_pdf, trusted):
    cert = services.store_certificate(pki.rogue_signer, pki.signer_key, [pki.rogue_ca], user=staff)
    signed = services.sign_pdf(result_pdf, certificate=cert, reason="Ký", location="Nơi ký")
    check = services.verify_pdf(signed)
    assert not check.valid
    assert "tin cậy" in check.message
    assert check.signer_name == "Đặng Quốc Việt"


def test_nothing_trusted_means_nothing_valid(db, certificate, result_pdf):
    signed = services.sign_pdf(result_pdf, certificate=certificate, reason="Ký", location="")
    assert not services.verify_pdf(signed).valid


def test_expired_or_inactive_certificate_refuses_to_sign(certificate, result_pdf):
    SignerCertificate.objects.filter(pk=certificate.pk).update(active=False)
    certificate.refresh_from_db()
    with pytest.raises(services.SigningError):
        services.sign_pdf(result_pdf, certificate=certificate, reason="Ký", location="")


def test_a_second_signature_keeps_both_valid(signed, certificate):
    twice = services.sign_pdf(signed, certificate=certificate, reason="Đóng dấu", location="")
    check = services.verify_pdf(twice)
    assert check.valid, check.message
    assert [s.reason for s in check.signatures] == ["Ký duyệt kết quả", "Đóng dấu"]


def test_the_visible_stamp_says_who_signed_in_vietnamese(signed, tmp_path):
    import subprocess

    path = tmp_path / "ky.pdf"
    path.write_bytes(signed)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    assert "VĂN BẢN ĐÃ ĐƯỢC KÝ SỐ" in text
    assert "Ký số bởi: Đặng Quốc Việt" in text
    assert "Cơ quan: Sở Văn hóa, Thể thao và Du lịch" in text
    assert "Lý do: Ký duyệt kết quả" in text and "Nơi ký: Quảng Ngãi" in text


def test_long_stamp_lines_wrap_and_stay_whole():
    from motcua.signing.pdf import STAMP_CHARS, stamp_text

    text = stamp_text(
        name="Đặng Quốc Việt",
        organisation="Sở Văn hóa, Thể thao và Du lịch tỉnh Quảng Ngãi",
        when="10:00:00 ngày 06/12/2026 (GMT+7)",
        reason="Ký duyệt kết quả giải quyết thủ tục hành chính cấp giấy phép xây dựng nhà ở",
        location="Quảng Ngãi",
    )
    lines = text.split("\n")
    assert max(map(len, lines)) <= STAMP_CHARS
    reason = " ".join(line.strip() for line in lines[4:6])
    assert reason.startswith("Lý do: Ký duyệt") and reason.endswith("giấy phép xây dựng nhà ở")
    assert lines[6] == "Nơi ký: Quảng Ngãi"


def test_no_owner_means_no_certificate(certificate):
    assert services.usable_certificate() is None
    assert services.usable_certificate(user=certificate.user) == certificate


def test_an_agency_signs_forms_with_its_seal(db, pki, trusted, result_pdf):
    from tests.factories import AgencyFactory

    agency = AgencyFactory(name="Trung tâm Phục vụ hành chính công tỉnh Quảng Ngãi")
    with pytest.raises(services.SigningError, match="chưa có chứng thư số"):
        services.sign_for_agency(result_pdf, agency=agency, reason="Biên nhận hồ sơ")
    services.store_certificate(pki.signer, pki.signer_key, [pki.ca], agency=agency)
    signed = services.sign_for_agency(result_pdf, agency=agency, reason="Biên nhận hồ sơ")
    check = services.verify_pdf(signed)
    assert check.valid and check.last.location == agency.name
