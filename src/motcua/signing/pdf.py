"""PAdES signing and verification with pyHanko: the PDF half, without the database.

``sign`` asks a signer plugin for the raw signature over the digest pyHanko computes and
draws a visible stamp in Vietnamese (Noto Sans, which has every diacritic). ``verify``
checks every signature: the signed bytes untouched, the CMS signature correct, the chain
leading to one of the given trust roots; and refuses a file whose signature container was
edited in the places a CMS parser does not read (case of the hex digits, zero padding).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import io
import re
import textwrap
import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from django.utils import timezone

# pyHanko imports cryptography's DSA module, which warns on every start; we never use DSA.
with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="DSA is deprecated")
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.sign import fields, signers
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.stamp import TextStampStyle
    from pyhanko_certvalidator import ValidationContext
    from pyhanko_certvalidator.registry import SimpleCertificateStore

FONT = "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf"
FIELD = "ChuKySo"
STAMP_LINES = (
    ("", "VĂN BẢN ĐÃ ĐƯỢC KÝ SỐ"),
    ("Ký số bởi", "name"),
    ("Cơ quan", "organisation"),
    ("Thời gian ký", "when"),
    ("Lý do", "reason"),
    ("Nơi ký", "location"),
)
# Bottom right of the last page, where a Vietnamese document's signature block sits; a
# further signature goes above the previous one. Noto Sans 8 pt: about 62 characters a line.
STAMP_WIDTH, STAMP_MARGIN, STAMP_CHARS, LEADING = 270, 36, 62, 11
HEX = re.compile(rb"^<([0-9a-f]*|[0-9A-F]*)>$")


class SigningError(Exception):
    """Signing could not be done; the message is for the officer."""


def pem_certificates(pem: str) -> list[x509.Certificate]:
    return x509.load_pem_x509_certificates(pem.encode()) if pem.strip() else []


def to_asn1(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def common_name(name: x509.Name) -> str:
    attrs = name.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
    return str(attrs[0].value) if attrs else name.rfc4514_string()


def organisation(name: x509.Name) -> str:
    attrs = name.get_attributes_for_oid(x509.NameOID.ORGANIZATION_NAME)
    return str(attrs[0].value) if attrs else ""


def _outside_event_loop(fn, *args, **kwargs):
    """pyHanko's synchronous calls start an event loop of their own (asyncio.run), which
    fails in a thread that already runs one (an async view, a test driving a browser)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return fn(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(fn, *args, **kwargs).result()


class _PluginSigner(signers.Signer):
    """pyHanko's side of the plugin interface: pyHanko hands over the signed attributes,
    we hash them and the plugin returns the signature."""

    def __init__(self, *, plugin, certificate, signing_cert, chain):
        super().__init__(
            signing_cert=signing_cert, cert_registry=SimpleCertificateStore.from_certs(chain)
        )
        self.plugin, self.certificate = plugin, certificate

    async def async_sign_raw(self, data, digest_algorithm, dry_run=False):
        if dry_run:
            # Only the size matters: pyHanko reserves room for the real signature.
            key = self.signing_cert.public_key
            return bytes(key.byte_size if key.algorithm == "rsa" else 2 * key.byte_size + 9)
        digest = hashlib.new(digest_algorithm, data).digest()
        return await asyncio.to_thread(
            self.plugin.sign_digest, self.certificate, digest, digest_algorithm
        )


def _top(field_ref) -> float:
    """Top edge of an earlier signature's stamp (0 when it has none)."""
    try:
        return float(field_ref.get_object()["/Rect"][3])
    except (KeyError, IndexError, TypeError, ValueError):
        return 0.0


def stamp_text(**values) -> str:
    """The stamp's lines, long values wrapped (pyHanko's text box does not wrap)."""
    lines = []
    for label, key in STAMP_LINES:
        line = f"{label}: {values[key]}" if label else key
        lines += textwrap.wrap(line, STAMP_CHARS, subsequent_indent="    ") or [""]
    return "\n".join(lines)


def sign(*args, **kwargs) -> bytes:
    return _outside_event_loop(_sign, *args, **kwargs)


def _sign(
    pdf_bytes: bytes,
    *,
    plugin,
    certificate,
    certificate_pem: str,
    chain_pem: str,
    reason: str,
    location: str,
) -> bytes:
    cert = pem_certificates(certificate_pem)[0]
    chain = [to_asn1(c) for c in pem_certificates(chain_pem)]
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes), strict=False)
        last_page = int(writer.root["/Pages"]["/Count"]) - 1
        page = writer.find_page_for_modification(last_page)[0].get_object()
        x0, y0, x1, _ = (float(v) for v in page["/MediaBox"])
    except Exception as exc:  # pyHanko raises many kinds on a broken file
        raise SigningError("Tệp không phải là PDF hợp lệ.") from exc
    existing = list(fields.enumerate_sig_fields(writer))
    name = f"{FIELD}{len(existing) + 1}"
    text = stamp_text(
        name=common_name(cert.subject),
        organisation=organisation(cert.subject) or "—",
        when=timezone.localtime().strftime("%H:%M:%S ngày %d/%m/%Y (GMT+7)"),
        reason=reason or "—",
        location=location or "—",
    )
    height = 24 + LEADING * (text.count("\n") + 1)
    bottom = int(max([y0 + STAMP_MARGIN, *(_top(f) + 6 for *_, f in existing)]))
    box = (
        int(x1 - STAMP_MARGIN - STAMP_WIDTH),
        bottom,
        int(x1 - STAMP_MARGIN),
        bottom + height,
    )
    style = TextStampStyle(
        stamp_text="%(text)s",
        text_box_style=TextBoxStyle(
            font=GlyphAccumulatorFactory(FONT, font_size=8), leading=LEADING
        ),
        border_width=1,
    )
    pdf_signer = signers.PdfSigner(
        signers.PdfSignatureMetadata(
            field_name=name,
            reason=reason,
            location=location,
            md_algorithm="sha256",
            subfilter=fields.SigSeedSubFilter.PADES,
        ),
        signer=_PluginSigner(
            plugin=plugin, certificate=certificate, signing_cert=to_asn1(cert), chain=chain
        ),
        stamp_style=style,
        new_field_spec=fields.SigFieldSpec(name, on_page=last_page, box=box),
    )
    out = pdf_signer.sign_pdf(writer, appearance_text_params={"text": text}, in_place=False)
    return out.getvalue()


@dataclass
class SignatureCheck:
    valid: bool
    signer_name: str = ""
    organisation: str = ""
    issuer: str = ""
    serial_number: str = ""
    signed_at: dt.datetime | None = None
    reason: str = ""
    location: str = ""
    intact: bool = False
    trusted: bool = False
    problem: str = ""


@dataclass
class Verification:
    """What the verification page and API show: valid only when there is at least one
    signature and every one of them holds."""

    valid: bool
    signatures: list[SignatureCheck] = field(default_factory=list)
    message: str = ""

    @property
    def last(self) -> SignatureCheck | None:
        return self.signatures[-1] if self.signatures else None

    @property
    def signer_name(self) -> str:
        return self.last.signer_name if self.last else ""

    @property
    def signed_at(self):
        return self.last.signed_at if self.last else None

    @property
    def reason(self) -> str:
        return self.last.reason if self.last else ""


def _container_untouched(data: bytes, sig) -> bool:
    """The /Contents hex string holds the DER signature, then only zeros, in one letter case:
    a byte changed there but not read by the CMS parser still counts as a change."""
    br = [int(v) for v in sig.sig_object["/ByteRange"]]
    raw = data[br[0] + br[1] : br[2]]
    match = HEX.match(raw.strip())
    if not match:
        return False
    blob = bytes.fromhex(match.group(1).decode())
    if len(blob) < 2 or blob[0] != 0x30:
        return False
    if blob[1] < 0x80:
        end = 2 + blob[1]
    else:
        n = blob[1] & 0x7F
        end = 2 + n + int.from_bytes(blob[2 : 2 + n], "big")
    return not any(blob[end:])


def verify(pdf_bytes: bytes, trust_roots: list[x509.Certificate]) -> Verification:
    return _outside_event_loop(_verify, pdf_bytes, trust_roots)


def _verify(pdf_bytes: bytes, trust_roots: list[x509.Certificate]) -> Verification:
    try:
        reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
        embedded = list(reader.embedded_signatures)
    except Exception:
        return Verification(False, message="Tệp không phải là PDF hợp lệ hoặc đã bị hỏng.")
    if not embedded:
        return Verification(False, message="Tệp không có chữ ký số.")
    roots = [to_asn1(c) for c in trust_roots]
    checks = []
    for sig in embedded:
        context = ValidationContext(
            trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail"
        )
        check = SignatureCheck(valid=False)
        try:
            status = validate_pdf_signature(sig, context)
        except Exception:
            check.problem = "Chữ ký số bị hỏng, không kiểm tra được."
            checks.append(check)
            continue
        cert = x509.load_der_x509_certificate(status.signing_cert.dump())
        check.signer_name = common_name(cert.subject)
        check.organisation = organisation(cert.subject)
        check.issuer = common_name(cert.issuer)
        check.serial_number = format(cert.serial_number, "X")
        check.signed_at = status.signer_reported_dt
        check.reason = str(sig.sig_object.get("/Reason", "") or "")
        check.location = str(sig.sig_object.get("/Location", "") or "")
        check.intact = bool(status.intact and status.valid)
        check.trusted = bool(status.trusted)
        if not check.intact or not _container_untouched(pdf_bytes, sig):
            check.problem = "Nội dung tệp đã bị thay đổi sau khi ký."
        elif not check.trusted:
            check.problem = "Chứng thư số không do tổ chức chứng thực được tin cậy cấp."
        elif not status.bottom_line:
            check.problem = "Tệp đã bị sửa đổi không được phép sau khi ký."
        else:
            check.valid = True
        checks.append(check)
    valid = all(c.valid for c in checks)
    message = (
        "Tệp chưa bị thay đổi kể từ khi ký; chứng thư số do tổ chức chứng thực được tin cậy cấp."
        if valid
        else next(c.problem for c in checks if not c.valid)
    )
    return Verification(valid, checks, message)
