"""Where the private key lives: a registry of signer plugins.

A plugin only ever sees a digest and answers with the raw signature ("hash out, signature
back"), so a USB token (PKCS#11 on the officer's machine) or a remote signing service
(ký số từ xa) fits the same hole as the built-in software signer, which decrypts the key
stored with the certificate. Register one with ``@register``; ``SignerCertificate.plugin``
names the plugin that holds a certificate's key.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed

from motcua.signing import keys

HASHES = {"sha256": hashes.SHA256, "sha384": hashes.SHA384, "sha512": hashes.SHA512}


class SignerPlugin(ABC):
    """Interface of a signing back-end."""

    code: str = ""
    label: str = ""

    @abstractmethod
    def sign_digest(self, certificate, digest: bytes, digest_algorithm: str) -> bytes:
        """The raw signature over ``digest`` (already hashed with ``digest_algorithm``),
        by the key of ``certificate``: PKCS#1 v1.5 for RSA, DER ECDSA for EC keys."""


_registry: dict[str, SignerPlugin] = {}


def register(cls: type[SignerPlugin]) -> type[SignerPlugin]:
    if not cls.code:
        raise ValueError("A signer plugin needs a code.")
    _registry[cls.code] = cls()
    return cls


def get(code: str) -> SignerPlugin:
    try:
        return _registry[code]
    except KeyError:
        raise LookupError(f"Không có cách ký «{code}».") from None


def choices() -> list[tuple[str, str]]:
    return [(code, plugin.label) for code, plugin in sorted(_registry.items())]


def load_private_key(certificate):
    return serialization.load_der_private_key(keys.decrypt(certificate.encrypted_key), None)


@register
class SoftwareSigner(SignerPlugin):
    """The key travels in a PKCS#12 file, is stored encrypted and is decrypted only for
    the moment of signing."""

    code = "software"
    label = "Khóa lưu trên máy chủ (PKCS#12, đã mã hóa)"

    def sign_digest(self, certificate, digest, digest_algorithm):
        key = load_private_key(certificate)
        algorithm = Prehashed(HASHES[digest_algorithm]())
        if isinstance(key, rsa.RSAPrivateKey):
            return key.sign(digest, padding.PKCS1v15(), algorithm)
        if isinstance(key, ec.EllipticCurvePrivateKey):
            return key.sign(digest, ec.ECDSA(algorithm))
        raise ValueError("Loại khóa không được hỗ trợ (chỉ RSA hoặc EC).")
