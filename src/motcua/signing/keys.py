"""Private keys at rest: encrypted with Fernet (AES-128-CBC + HMAC-SHA256).

The Fernet key is derived (HKDF-SHA256) from the ``MOTCUA_SIGNING_KEY`` environment
variable, read into ``settings.SIGNING_KEY``; when it is empty, from ``SECRET_KEY``. A
province should set its own ``MOTCUA_SIGNING_KEY`` so that the signing keys do not fall
with the session secret; changing it makes the stored keys unreadable (re-upload them).
"""

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


class KeyUnavailable(Exception):
    """The stored key cannot be decrypted with this installation's secret."""


def _fernet() -> Fernet:
    secret = getattr(settings, "SIGNING_KEY", "") or settings.SECRET_KEY
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=b"motcua.signing", info=b"private-keys"
    ).derive(secret.encode())
    return Fernet(base64.urlsafe_b64encode(derived))


def encrypt(secret_bytes: bytes) -> str:
    return _fernet().encrypt(secret_bytes).decode("ascii")


def decrypt(token: str) -> bytes:
    try:
        return _fernet().decrypt(token.encode("ascii"))
    except InvalidToken as exc:
        raise KeyUnavailable("Không giải mã được khóa bí mật (khóa mã hóa đã thay đổi?).") from exc
