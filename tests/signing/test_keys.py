"""Private keys never rest in clear: not in the row, not decryptable with another secret."""

import pytest
from cryptography.hazmat.primitives import serialization
from django.core.exceptions import ValidationError

from motcua.signing import keys, plugins, services
from motcua.signing.models import SignerCertificate
from tests.signing.conftest import p12


def _der(key) -> bytes:
    return key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def test_pkcs12_import_stores_the_key_encrypted(db, pki, staff):
    cert = services.import_pkcs12(
        p12(pki.signer, pki.signer_key, [pki.ca]), "mat-khau-123", user=staff
    )
    row = SignerCertificate.objects.values().get(pk=cert.pk)
    blob = " ".join(str(v) for v in row.values()).encode()
    der = _der(pki.signer_key)
    numbers = pki.signer_key.private_numbers()
    for secret in (der, der.hex().encode(), str(numbers.d).encode(), format(numbers.d, "x")):
        assert (secret.encode() if isinstance(secret, str) else secret) not in blob
    assert b"PRIVATE KEY" not in blob
    # ... yet the software signer gets it back, and the dates are those of the certificate.
    assert _der(plugins.load_private_key(cert)) == der
    assert cert.valid_to == pki.signer.not_valid_after_utc
    assert cert.subject_name == "Đặng Quốc Việt"
    assert "BEGIN CERTIFICATE" in cert.chain_pem


def test_another_secret_cannot_read_the_key(db, pki, staff, settings):
    cert = services.store_certificate(pki.signer, pki.signer_key, user=staff)
    settings.SIGNING_KEY = "mot-bi-mat-khac-hoan-toan-" * 3
    with pytest.raises(keys.KeyUnavailable):
        plugins.load_private_key(cert)


def test_the_dedicated_setting_wins_over_secret_key(settings):
    settings.SIGNING_KEY = ""
    token = keys.encrypt(b"khoa")
    settings.SIGNING_KEY = "bi-mat-rieng-cho-khoa-ky-so"
    with pytest.raises(keys.KeyUnavailable):
        keys.decrypt(token)


@pytest.mark.parametrize(
    ("password", "message"),
    [("sai-mat-khau", "sai mật khẩu"), ("", "sai mật khẩu")],
)
def test_wrong_password_is_a_clear_error(db, pki, staff, password, message):
    with pytest.raises(ValidationError) as exc:
        services.import_pkcs12(p12(pki.signer, pki.signer_key, [pki.ca]), password, user=staff)
    assert message in exc.value.message_dict["file"][0]


def test_a_pkcs12_without_its_key_is_refused(db, pki, staff):
    data = p12(pki.signer, None, [pki.ca])
    with pytest.raises(ValidationError) as exc:
        services.import_pkcs12(data, "mat-khau-123", user=staff)
    assert "khóa bí mật" in exc.value.message_dict["file"][0]
    assert not SignerCertificate.objects.exists()
