"""A certificate authority of our own, for the demo and the tests only.

Real certificates come from the Government Cipher Committee or a licensed public CA and are
uploaded as PKCS#12; the demo issues its approvers and agencies certificates from a CA it
creates once (its key kept encrypted like any signing key) and trusts it.
"""

from __future__ import annotations

import datetime as dt

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.db import transaction
from django.utils import timezone

from motcua.signing import keys, services
from motcua.signing.models import SignerCertificate, TrustedAuthority

DEMO_CA_NAME = "MotCua Demo CA (chỉ dùng cho bản trình diễn)"
CA_YEARS, CERT_YEARS = 10, 3


def new_key(bits: int = 2048) -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


def _name(common: str, org: str = "") -> x509.Name:
    attrs = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]
    if org:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, org))
    attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, common))
    return x509.Name(attrs)


def make_ca(common: str, key, *, years: int = CA_YEARS) -> x509.Certificate:
    now = timezone.now() - dt.timedelta(days=1)
    name = _name(common)
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=365 * years))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )


def issue(
    ca_cert, ca_key, key, common: str, org: str = "", *, years: int = CERT_YEARS
) -> x509.Certificate:
    now = timezone.now() - dt.timedelta(days=1)
    return (
        x509.CertificateBuilder()
        .subject_name(_name(common, org))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(min(now + dt.timedelta(days=365 * years), ca_cert.not_valid_after_utc))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )


@transaction.atomic
def ensure_demo_authority() -> tuple[TrustedAuthority, x509.Certificate, object]:
    """The demo CA, created on first use, trusted, with its key."""
    ca = TrustedAuthority.objects.filter(is_demo=True, valid_to__gt=timezone.now()).first()
    if ca is not None and ca.encrypted_key:
        try:
            key = serialization.load_der_private_key(keys.decrypt(ca.encrypted_key), None)
            return ca, x509.load_pem_x509_certificate(ca.certificate_pem.encode()), key
        except keys.KeyUnavailable:
            ca.delete()  # the secret changed: start a new demo CA
    key = new_key()
    cert = make_ca(DEMO_CA_NAME, key)
    ca = services.add_trusted_authority(
        cert.public_bytes(serialization.Encoding.PEM).decode(), name=DEMO_CA_NAME
    )
    ca.is_demo = True
    ca.encrypted_key = keys.encrypt(services._private_der(key))
    ca.save(update_fields=["is_demo", "encrypted_key"])
    return ca, cert, key


def ensure_demo_certificate(ca_cert, ca_key, *, user=None, agency=None) -> SignerCertificate:
    """A certificate from the demo CA for ``user`` (an officer) or ``agency`` (its seal),
    unless one from that CA is still valid."""
    owner = {"user": user} if user is not None else {"agency": agency}
    existing = services.usable_certificate(**owner)
    issuer = services.pdf.common_name(ca_cert.subject)
    if existing is not None and existing.issuer_name == issuer:
        return existing
    key = new_key()
    if user is not None:
        agency_name = next(
            (
                m.agency.name
                for m in user.memberships.select_related("agency").order_by("agency__code")
            ),
            "",
        )
        cert = issue(ca_cert, ca_key, key, user.full_name, agency_name)
    else:
        cert = issue(ca_cert, ca_key, key, agency.name, agency.name)
    return services.store_certificate(cert, key, [ca_cert], user=user, agency=agency)


SIGNING_ROLES = ("approver", "dept_head")


def seed_demo_certificates(users, agencies) -> list[SignerCertificate]:
    """The demo CA, and a certificate for every demo leader who signs (approver, department
    head) and for every demo agency (its seal)."""
    _, ca_cert, ca_key = ensure_demo_authority()
    signers = [u for u in users if u.memberships.filter(role__in=SIGNING_ROLES).exists()]
    made = [ensure_demo_certificate(ca_cert, ca_key, user=u) for u in signers]
    made += [ensure_demo_certificate(ca_cert, ca_key, agency=a) for a in agencies]
    return made
