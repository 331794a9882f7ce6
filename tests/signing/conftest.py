"""Keys are slow to make: one CA, one signer and one stranger CA for the whole session."""

from types import SimpleNamespace

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12

from motcua.signing import authority

KEY_BITS = 2048


@pytest.fixture(scope="session")
def pki():
    ca_key = authority.new_key(KEY_BITS)
    ca = authority.make_ca("Tổ chức chứng thực thử nghiệm", ca_key)
    signer_key = authority.new_key(KEY_BITS)
    signer = authority.issue(
        ca, ca_key, signer_key, "Đặng Quốc Việt", "Sở Văn hóa, Thể thao và Du lịch"
    )
    rogue_key = authority.new_key(KEY_BITS)
    rogue_ca = authority.make_ca("Tổ chức chứng thực lạ", rogue_key)
    rogue_signer = authority.issue(rogue_ca, rogue_key, signer_key, "Đặng Quốc Việt")
    return SimpleNamespace(
        ca=ca,
        ca_key=ca_key,
        ca_pem=ca.public_bytes(serialization.Encoding.PEM).decode(),
        signer=signer,
        signer_key=signer_key,
        rogue_ca=rogue_ca,
        rogue_signer=rogue_signer,
    )


def p12(cert, key, chain, password: bytes = b"mat-khau-123") -> bytes:
    return pkcs12.serialize_key_and_certificates(
        b"ky-so",
        key,
        cert,
        chain,
        serialization.BestAvailableEncryption(password),
    )


@pytest.fixture(scope="session")
def result_pdf():
    from motcua.documents.services import render_pdf_html

    return render_pdf_html(
        '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><style>'
        '@page { size: A4; margin: 20mm; } html { font: 12pt "Noto Serif", serif; }'
        "</style></head><body><p style='text-align:center'><b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT"
        " NAM</b><br>Độc lập - Tự do - Hạnh phúc</p><h1 style='text-align:center'>GIẤY PHÉP"
        " XÂY DỰNG</h1><p>Cấp cho: ông Nguyễn Văn An, thôn Hòa Bình, xã Sơn Tịnh.</p>"
        "</body></html>"
    )


@pytest.fixture
def trusted(db, pki):
    from motcua.signing import services

    return services.add_trusted_authority(pki.ca_pem)


@pytest.fixture
def certificate(db, pki, staff):
    from motcua.signing import services

    return services.store_certificate(pki.signer, pki.signer_key, [pki.ca], user=staff)
