"""Signing services: certificates in, signed PDFs out, and their verification.

``sign_pdf`` and ``verify_pdf`` work on bytes; ``sign_result`` stores a dossier's signed
result (the workflow's ``sign_result`` action calls it; the status change itself stays
with ``dossiers.services.perform``); ``verify_result`` checks a stored result again.
"""

from __future__ import annotations

import hashlib

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from motcua.signing import keys, pdf, plugins
from motcua.signing.models import SignedResult, SignerCertificate, TrustedAuthority
from motcua.signing.pdf import SigningError, Verification  # noqa: F401 (re-exported)

DEFAULT_REASON = "Ký duyệt kết quả giải quyết thủ tục hành chính"


def fingerprint(cert: x509.Certificate) -> str:
    return cert.fingerprint(hashes.SHA256()).hex()


def certificate_fields(cert: x509.Certificate) -> dict:
    return {
        "subject_name": pdf.common_name(cert.subject)[:255],
        "issuer_name": pdf.common_name(cert.issuer)[:255],
        "serial_number": format(cert.serial_number, "X")[:80],
        "fingerprint": fingerprint(cert),
        "valid_from": cert.not_valid_before_utc,
        "valid_to": cert.not_valid_after_utc,
        "certificate_pem": cert.public_bytes(serialization.Encoding.PEM).decode(),
    }


def _pem(certs) -> str:
    return "".join(c.public_bytes(serialization.Encoding.PEM).decode() for c in certs)


def _private_der(key) -> bytes:
    return key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def fill_certificate(
    obj: SignerCertificate, cert: x509.Certificate, key, chain=()
) -> SignerCertificate:
    """Set ``obj``'s certificate fields and encrypted key for the software signer (unsaved)."""
    for name, value in certificate_fields(cert).items():
        setattr(obj, name, value)
    obj.plugin = plugins.SoftwareSigner.code
    obj.chain_pem = _pem(chain)
    obj.encrypted_key = keys.encrypt(_private_der(key))
    return obj


def store_certificate(
    cert: x509.Certificate, key, chain=(), *, user=None, agency=None
) -> SignerCertificate:
    """Keep a certificate and its key; the same certificate again updates its owner
    instead of adding a copy."""
    if user is None and agency is None:
        raise ValidationError("Chọn cán bộ hoặc cơ quan sở hữu chứng thư số.")
    obj = SignerCertificate.objects.filter(fingerprint=fingerprint(cert)).first()
    obj = fill_certificate(obj or SignerCertificate(), cert, key, chain)
    obj.user, obj.agency, obj.active = user, agency, True
    obj.save()
    return obj


def read_pkcs12(data: bytes, password: str):
    """The key, certificate and chain of a PKCS#12 file (.p12/.pfx) as exported by the
    certificate authority; ``ValidationError`` on the ``file`` field otherwise."""
    try:
        key, cert, extra = pkcs12.load_key_and_certificates(
            data, password.encode() if password else None
        )
    except ValueError as exc:
        raise ValidationError(
            {"file": "Không mở được tệp PKCS#12: sai mật khẩu hoặc tệp không đúng định dạng."}
        ) from exc
    if key is None or cert is None:
        raise ValidationError({"file": "Tệp PKCS#12 phải chứa cả chứng thư số và khóa bí mật."})
    if key.public_key().public_numbers() != cert.public_key().public_numbers():
        raise ValidationError({"file": "Khóa bí mật không khớp với chứng thư số."})
    if cert.not_valid_after_utc < timezone.now():
        raise ValidationError({"file": "Chứng thư số đã hết hiệu lực."})
    return key, cert, list(extra or ())


def import_pkcs12(data: bytes, password: str, *, user=None, agency=None) -> SignerCertificate:
    key, cert, chain = read_pkcs12(data, password)
    return store_certificate(cert, key, chain, user=user, agency=agency)


def add_trusted_authority(cert_pem: str, *, name: str = "") -> TrustedAuthority:
    try:
        cert = x509.load_pem_x509_certificate(cert_pem.encode())
    except ValueError as exc:
        raise ValidationError(
            {"certificate_pem": "Chứng thư số không đúng định dạng PEM."}
        ) from exc
    values = certificate_fields(cert)
    obj, _ = TrustedAuthority.objects.update_or_create(
        fingerprint=values["fingerprint"],
        defaults={
            "name": name or values["subject_name"],
            "certificate_pem": values["certificate_pem"],
            "valid_from": values["valid_from"],
            "valid_to": values["valid_to"],
            "active": True,
        },
    )
    return obj


def trust_roots() -> list[x509.Certificate]:
    """The province's configured certificate authorities."""
    pems = TrustedAuthority.objects.filter(active=True).values_list("certificate_pem", flat=True)
    return [cert for pem in pems for cert in pdf.pem_certificates(pem)]


def usable_certificate(*, user=None, agency=None) -> SignerCertificate | None:
    """The valid, active certificate of ``user`` (else of ``agency``) that lasts longest."""
    if user is None and agency is None:
        return None
    now = timezone.now()
    owner = {"user": user} if user is not None else {"agency": agency}
    return (
        SignerCertificate.objects.filter(
            active=True, valid_from__lte=now, valid_to__gt=now, **owner
        )
        .order_by("-valid_to")
        .first()
    )


def sign_pdf(pdf_bytes: bytes, *, certificate: SignerCertificate, reason: str, location: str):
    now = timezone.now()
    if not certificate.active or not certificate.valid_from <= now < certificate.valid_to:
        raise SigningError("Chứng thư số không còn hiệu lực.")
    try:
        plugin = plugins.get(certificate.plugin)
    except LookupError as exc:
        raise SigningError(str(exc)) from exc
    try:
        return pdf.sign(
            pdf_bytes,
            plugin=plugin,
            certificate=certificate,
            certificate_pem=certificate.certificate_pem,
            chain_pem=certificate.chain_pem,
            reason=reason,
            location=location,
        )
    except keys.KeyUnavailable as exc:
        raise SigningError(str(exc)) from exc


def sign_for_agency(pdf_bytes: bytes, *, agency, reason: str, location: str = "") -> bytes:
    """Sign with the agency's own certificate (its seal): electronic forms such as the
    receipt (Mẫu 01) carry the receiving body's signature instead of a wet one."""
    certificate = usable_certificate(agency=agency)
    if certificate is None:
        raise SigningError(f"{agency.name} chưa có chứng thư số còn hiệu lực để ký.")
    return sign_pdf(
        pdf_bytes, certificate=certificate, reason=reason, location=location or agency.name
    )


def verify_pdf(pdf_bytes: bytes) -> Verification:
    return pdf.verify(pdf_bytes, trust_roots())


@transaction.atomic
def sign_result(
    dossier,
    pdf_bytes: bytes,
    *,
    signer_user,
    certificate: SignerCertificate | None = None,
    reason: str = DEFAULT_REASON,
    location: str = "",
    name: str = "",
) -> SignedResult:
    """Sign ``pdf_bytes`` as the result of ``dossier`` with ``signer_user``'s certificate
    and keep it. Raises ``SigningError`` (a Vietnamese message) when that is impossible."""
    certificate = certificate or usable_certificate(user=signer_user)
    if certificate is None:
        raise SigningError("Cán bộ chưa có chứng thư số còn hiệu lực để ký.")
    if certificate.user_id is not None and certificate.user_id != signer_user.pk:
        raise SigningError("Chứng thư số này không phải của người ký.")
    location = location or (dossier.receiving_agency.name if dossier.receiving_agency_id else "")
    signed = sign_pdf(pdf_bytes, certificate=certificate, reason=reason, location=location)
    result = SignedResult(
        dossier=dossier,
        name=name or f"ket-qua-{dossier.code or dossier.public_id}.pdf",
        size=len(signed),
        sha256=hashlib.sha256(signed).hexdigest(),
        signer=signer_user,
        signer_name=getattr(signer_user, "full_name", "") or certificate.subject_name,
        certificate=certificate,
        signed_at=timezone.now(),
    )
    result.file.save(result.name, ContentFile(signed), save=False)
    result.save()
    return result


def verify_result(result: SignedResult) -> Verification:
    """The stored bytes against the digest taken at signing, then the signatures."""
    try:
        with result.file.open("rb") as handle:
            data = handle.read()
    except OSError:
        return Verification(False, message="Không đọc được tệp kết quả đã lưu.")
    check = verify_pdf(data)
    if hashlib.sha256(data).hexdigest() != result.sha256:
        check.valid = False
        check.message = "Nội dung tệp đã bị thay đổi sau khi ký."
    return check


def verification_report(result: SignedResult) -> dict:
    """What the public verification page and API say about a stored result: no personal
    data of the applicant, only the document, its signatures and whether they hold."""
    check = verify_result(result)
    signatures = [
        {
            "signer": s.signer_name,
            "organisation": s.organisation,
            "issuer": s.issuer,
            "serial_number": s.serial_number,
            "signed_at": timezone.localtime(s.signed_at) if s.signed_at else None,
            "reason": s.reason,
            "location": s.location,
            "valid": s.valid and check.valid,
            "problem": s.problem or ("" if check.valid else check.message),
        }
        for s in check.signatures
    ]
    dossier = result.dossier
    return {
        "code": dossier.code,
        "procedure": dossier.version.name if dossier.version_id else "",
        "document": {"name": result.name, "sha256": result.sha256, "size": result.size},
        "valid": check.valid,
        "message": check.message,
        "signer": check.signer_name or result.signer_name,
        "signed_at": timezone.localtime(check.signed_at or result.signed_at),
        "signatures": signatures,
    }
