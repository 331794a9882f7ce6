"""Documents printed from a dossier: HTML templates rendered to PDF by WeasyPrint.

The fonts are Debian's Noto Serif and Noto Sans (package fonts-noto-core), named by family
in the templates' CSS and found through fontconfig; both carry every Vietnamese glyph, so
the stacked diacritics of "Ủy", "Quảng Ngãi" or "Độc lập" come out right.

Every value the template shows is prepared here (dates in Asia/Ho_Chi_Minh, decimals with
the Vietnamese comma, labels of codes): the template only places them on the page.
"""

from __future__ import annotations

import base64
import io
import zoneinfo
from decimal import Decimal
from urllib.parse import quote

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from motcua.catalog.models import Agency, DeliveryMethod, TimeUnit
from motcua.dossiers.models import Channel, Dossier, DossierFile

# Fixed here, not read from TIME_ZONE: a receipt states the legal (Vietnamese) time even if a
# deployment runs its servers on UTC.
VIETNAM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def tracking_url(code: str) -> str:
    """The public lookup page of a dossier: what the receipt's QR code opens."""
    return f"{settings.BASE_URL}/tra-cuu/{quote(code, safe='')}"


def qr_svg_data_uri(text: str) -> str:
    """A QR code as an SVG data URI: vector, so it stays sharp when printed at any size."""
    import qrcode
    from qrcode.image.svg import SvgPathImage

    # Level M survives a fold or a smudge on a printed page and keeps the code small.
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2)
    qr.add_data(text)
    qr.make(fit=True)
    out = io.BytesIO()
    qr.make_image(image_factory=SvgPathImage).save(out)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode("ascii")


def _governing_body(agency: Agency) -> str:
    """The upper line of the header (ĐƠN VỊ CHỦ QUẢN of the official forms): the nearest real parent
    of the receiving agency. A level group ("UBND cấp xã") is a catalogue device, not a body,
    so it is skipped; an agency without a parent falls back to the site's name."""
    return _governing_body_name(agency).upper()


def _governing_body_name(agency: Agency) -> str:
    parent = agency.parent
    while parent is not None and parent.kind == Agency.Kind.LEVEL_GROUP:
        parent = parent.parent
    return parent.name if parent is not None else settings.SITE_NAME


def place_name(agency: Agency) -> str:
    """The place written before the date (địa danh, Decree 30/2020): the province the
    receiving agency belongs to, read from the administrative unit of the nearest agency
    up the tree that has one, else from the name of the top agency ("Ủy ban nhân dân tỉnh
    Quảng Ngãi" → "Quảng Ngãi")."""
    node, top = agency, agency
    while node is not None:
        unit = node.admin_unit
        if unit is not None:
            province = unit if unit.parent_id is None else unit.parent
            return province.name
        top, node = node, node.parent
    for kind in ("thành phố ", "tỉnh "):
        if kind in top.name:
            return top.name.split(kind, 1)[1].strip()
    return ""


def keep_together(text: str) -> str:
    """Join the words of a proper name ("Quảng Ngãi", "Đường Lê Lợi") and a number to the
    word before it ("Mẫu số 01") with no-break spaces, so that a line never ends inside a
    name on the printed receipt."""
    tokens = (text or "").split(" ")
    out = tokens[:1]
    for before, word in zip(tokens, tokens[1:], strict=False):
        glue = before[:1].isupper() and word[:1].isupper() and before[-1:].isalnum()
        glue = glue or (word[:1].isdigit() and before[-1:].isalpha())
        out.append(("\u00a0" if glue else " ") + word)
    return "".join(out)


def _number(value) -> str:
    """5.0 → "5", 2.5 → "2,5"."""
    return f"{Decimal(value).normalize():f}".replace(".", ",")


def _time_limit(dossier: Dossier) -> str:
    version = dossier.version
    value = version.time_limit_value
    online = dossier.channel in (Channel.ONLINE, Channel.ASSISTED)
    if online and version.time_limit_online is not None:
        value = version.time_limit_online
    try:
        unit = TimeUnit(version.time_limit_unit).label
    except ValueError:
        unit = version.time_limit_unit
    return f"{_number(value)} {unit}"


def _delivery(dossier: Dossier) -> tuple[str, str]:
    try:
        label = DeliveryMethod(dossier.delivery_method).label
    except ValueError:
        label = dossier.delivery_method or "Chưa chọn"
    address = ""
    if dossier.delivery_method == DeliveryMethod.POST:
        parts = [dossier.delivery_address]
        commune = dossier.delivery_commune
        if commune is not None:
            parts.append(commune.name)
            if commune.parent is not None:
                parts.append(commune.parent.name)
        address = ", ".join(p for p in parts if p)
    return label, address


def _components(dossier: Dossier) -> list[dict]:
    """Every component of the procedure version with the names of the files attached to it,
    in the catalogue's order; then the authorisation document when submitted on behalf."""
    files = list(dossier.files.all())
    by_component: dict[int | None, list[str]] = {}
    for f in files:
        if f.purpose == DossierFile.Purpose.INITIAL:
            by_component.setdefault(f.component_id, []).append(f.name)
    rows = [
        {
            "name": keep_together(c.name),
            "required": c.required,
            "shown_only": c.shown_only,
            "files": [keep_together(n) for n in by_component.get(c.pk, [])],
        }
        for c in sorted(dossier.version.components.all(), key=lambda c: (c.position, c.pk))
    ]
    authorisation = [f.name for f in files if f.purpose == DossierFile.Purpose.AUTHORISATION]
    if authorisation:
        rows.append(
            {
                "name": "Văn bản ủy quyền",
                "required": True,
                "files": [keep_together(n) for n in authorisation],
            }
        )
    return rows


def submission_receipt_context(dossier: Dossier) -> dict:
    submitted = dossier.submitted_at.astimezone(VIETNAM)
    url = tracking_url(dossier.code)
    delivery, delivery_address = _delivery(dossier)
    return {
        "site_name": settings.SITE_NAME,
        "hotline": settings.SITE_HOTLINE,
        "governing_body": _governing_body(dossier.receiving_agency),
        "agency_name": dossier.receiving_agency.name.upper(),
        "place": keep_together(place_name(dossier.receiving_agency)),
        "date_line": f"ngày {submitted:%d} tháng {submitted:%m} năm {submitted:%Y}",
        "code": dossier.code,
        "procedure_name": keep_together(dossier.version.name),
        "procedure_code": dossier.version.procedure.code,
        "receiving_agency": keep_together(dossier.receiving_agency.name),
        "channel": dossier.get_channel_display(),
        "applicant_name": keep_together(dossier.applicant_name),
        "applicant_address": keep_together(dossier.applicant_address),
        "on_behalf": dossier.on_behalf,
        "submitter_name": keep_together(dossier.submitter_name),
        "submitted_at": f"{submitted:%H:%M} {submitted:%d/%m/%Y}",
        "components": _components(dossier),
        "delivery": delivery,
        "delivery_address": keep_together(delivery_address),
        "time_limit": _time_limit(dossier),
        "no_appointment": dossier.version.no_appointment,
        "tracking_url": url,
        "qr": qr_svg_data_uri(url),
    }


def render_pdf(template: str, context: dict) -> bytes:
    return render_pdf_html(render_to_string(template, context))


def render_pdf_html(html: str) -> bytes:
    # Imported on use: WeasyPrint pulls in Pango and its font machinery, which web requests
    # that never print anything should not pay for at start-up.
    from weasyprint import HTML

    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def submission_receipt_pdf(dossier: Dossier) -> bytes:
    """The confirmation that an online submission was stored ("Giấy biên nhận hồ sơ nộp
    trực tuyến"), A4. Not the official reception receipt (Mẫu 01): that one is issued when
    an officer receives the dossier, and the time limit only starts then."""
    if dossier.code is None or dossier.submitted_at is None:
        raise ValueError("Chỉ hồ sơ đã nộp mới có giấy biên nhận.")
    return render_pdf("documents/submission_receipt.html", submission_receipt_context(dossier))


# ---- Official forms (docs/domain.md §6) ------------------------------------------------


def form_context(spec, dossier: Dossier, extra: dict, *, number: str, issued_at) -> dict:
    """Header, dossier and applicant facts common to every form, then the form's own."""
    from motcua.documents.official import local

    agency = extra.get("agency") or dossier.receiving_agency
    when = local(issued_at)
    url = tracking_url(dossier.code) if dossier.code else ""
    context = {
        "form": spec,
        "title": spec.title,
        "site_name": settings.SITE_NAME,
        "hotline": settings.SITE_HOTLINE,
        "governing_body": keep_together(_governing_body_name(agency)).upper(),
        "agency_name": keep_together(agency.name).upper(),
        "agency": keep_together(agency.name),
        "number": number,
        "place": keep_together(place_name(agency)),
        "date_line": f"ngày {when:%d} tháng {when:%m} năm {when:%Y}",
        "code": dossier.code or "",
        "procedure_name": keep_together(dossier.version.name),
        "procedure_code": dossier.version.procedure.code,
        "channel": dossier.get_channel_display(),
        "applicant_name": keep_together(dossier.applicant_name),
        "applicant_id_number": dossier.applicant_id_number,
        "applicant_address": keep_together(dossier.applicant_address),
        "applicant_phone": dossier.applicant_phone,
        "applicant_email": dossier.applicant_email,
        "on_behalf": dossier.on_behalf,
        "submitter_name": keep_together(dossier.submitter_name),
        "submitter_id_number": dossier.submitter_id_number,
        "submitter_phone": dossier.submitter_phone,
        "signer": keep_together(str(extra.get("signer_name") or "")),
        "tracking_url": url,
        "qr": qr_svg_data_uri(url) if url else "",
    }
    context.update(spec.build(dossier, extra))
    return context


def render_form(form_code: str, dossier: Dossier, **extra) -> bytes:
    """A preview of a form, unnumbered and not stored ("Số: …")."""
    from motcua.documents.official import FORMS

    spec = FORMS[form_code]
    context = form_context(spec, dossier, extra, number="…", issued_at=timezone.now())
    return render_pdf(spec.template, context)


def _json_safe(extra: dict) -> dict:
    out = {}
    for key, value in extra.items():
        if key == "agency":
            out["agency_code"] = value.code
        elif hasattr(value, "isoformat"):
            out[key] = value.isoformat()
        else:
            out[key] = value
    return out


def issue_form(form_code: str, dossier: Dossier, *, issued_by, **extra):
    """Number, render and store one official form for a dossier; returns the IssuedForm.

    ``form_code`` is "01"–"05" or "stop" (``official.FORMS``). ``extra`` is what the
    officer stated: ``items`` (list of {"item", "reason"}) and ``reason`` for 02, ``reason``
    for 03, ``reason`` and ``new_due_at`` for 04, ``requested_at``/``reason``/``by_authority``
    for the stop notice, ``agency`` to issue in another agency's name, ``signer_name``.
    Raises ``official.FormError`` (with the field to blame) when something is missing.

    Call it inside the transition's transaction: the number is taken there, so a rolled
    back transition gives back its number too.
    """
    from motcua.documents.models import IssuedForm
    from motcua.documents.numbering import next_number
    from motcua.documents.official import FORMS, FormError, local

    spec = FORMS.get(form_code)
    if spec is None:
        raise FormError("form_code", f"Không có biểu mẫu “{form_code}”.")
    if dossier.code is None:
        raise FormError("dossier", "Hồ sơ chưa có mã số, chưa thể lập biểu mẫu.")
    agency = extra.get("agency") or dossier.receiving_agency
    issued_at = timezone.now()
    year = local(issued_at).year
    # Validate (and render once) before taking a number, so a refused form burns none.
    spec.build(dossier, extra)
    with transaction.atomic():
        number = next_number(agency.pk, spec.code, year)
        reference = f"{number:02d}/{spec.symbol}"
        context = form_context(spec, dossier, extra, number=reference, issued_at=issued_at)
        return IssuedForm.objects.create(
            form_code=spec.code,
            template_version=spec.version,
            dossier=dossier,
            agency=agency,
            year=year,
            number=number,
            reference=reference,
            issued_at=issued_at,
            issued_by=issued_by,
            context=_json_safe(extra),
            pdf=render_pdf(spec.template, context),
        )
