"""The tracking book (Sổ theo dõi hồ sơ, Mẫu 06; docs/domain.md §6.2): the electronic book
that replaces the paper one, as a filtered report with Excel and PDF exports.

One row per dossier received by the agency, in the order it came in. The columns are the
form's: code, procedure, applicant, address and phone, competent agency, received,
appointment, returned, how the result is delivered, signature of receipt (blank, for the
printed copy), plus the status as a note.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from motcua.catalog.models import Agency, DeliveryMethod, Field
from motcua.documents.official import VIETNAM, short_time
from motcua.dossiers.models import Dossier, Status

# An export is a document somebody prints or files: beyond this it is a data dump, which
# the statistics module (not a form) is for. The page says so next to the buttons.
EXPORT_LIMIT = 5000
PDF_LIMIT = 1000

COLUMNS = [
    "STT",
    "Mã hồ sơ",
    "Tên thủ tục hành chính",
    "Tên tổ chức, cá nhân",
    "Địa chỉ, số điện thoại",
    "Cơ quan chủ trì giải quyết",
    "Nhận hồ sơ",
    "Hẹn trả kết quả",
    "Trả kết quả",
    "Phương thức nhận kết quả",
    "Ký nhận",
    "Ghi chú",
]


@dataclass(frozen=True)
class BookFilter:
    agencies: list[Agency] | None  # what the reader may see; None: every agency
    agency: Agency | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    status: int | None = None
    field: Field | None = None

    def describe(self) -> str:
        parts = []
        if self.agency is not None:
            parts.append(f"Cơ quan: {self.agency.name}")
        if self.date_from or self.date_to:
            start = f"{self.date_from:%d/%m/%Y}" if self.date_from else "…"
            end = f"{self.date_to:%d/%m/%Y}" if self.date_to else "…"
            parts.append(f"Nhận hồ sơ từ {start} đến {end}")
        if self.status is not None:
            parts.append(f"Trạng thái: {Status(self.status).label}")
        if self.field is not None:
            parts.append(f"Lĩnh vực: {self.field.name}")
        return "; ".join(parts) or "Tất cả hồ sơ"


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, VIETNAM)


def entries(f: BookFilter) -> QuerySet[Dossier]:
    """The dossiers of the book, oldest first. The day a dossier entered the book is the day
    it was received (counter) or else submitted online; days are Vietnamese days."""
    qs = Dossier.objects.exclude(status=Status.DRAFT).filter(submitted_at__isnull=False)
    if f.agencies is not None:
        qs = qs.filter(receiving_agency__in=f.agencies)
    if f.agency is not None:
        qs = qs.filter(receiving_agency=f.agency)
    if f.status is not None:
        qs = qs.filter(status=f.status)
    if f.field is not None:
        qs = qs.filter(version__field=f.field)
    if f.date_from is not None:
        qs = qs.filter(submitted_at__gte=_day_start(f.date_from))
    if f.date_to is not None:
        qs = qs.filter(submitted_at__lt=_day_start(f.date_to + dt.timedelta(days=1)))
    return qs.select_related("version", "version__agency", "receiving_agency").order_by(
        "submitted_at", "id"
    )


def _delivery(d: Dossier) -> str:
    try:
        return DeliveryMethod(d.delivery_method).label
    except ValueError:
        return d.delivery_method or ""


def rows(dossiers, *, start: int = 1) -> list[dict]:
    out = []
    for number, d in enumerate(dossiers, start=start):
        contact = ", ".join(x for x in (d.applicant_address, d.applicant_phone) if x)
        out.append(
            {
                "no": number,
                "code": d.code or "",
                "procedure": d.version.name,
                "applicant": d.applicant_name,
                "contact": contact,
                "competent": d.version.agency.name,
                "received": short_time(d.received_at or d.submitted_at),
                "due": short_time(d.due_at) if d.due_at else "",
                "returned": short_time(d.returned_at) if d.returned_at else "",
                "delivery": _delivery(d),
                "signature": "",
                "note": d.get_status_display(),
            }
        )
    return out


def to_xlsx(f: BookFilter) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    wb = Workbook()
    ws = wb.active
    ws.title = "Sổ theo dõi hồ sơ"
    ws.append(["SỔ THEO DÕI HỒ SƠ"])
    ws.append([f.describe()])
    ws.append([f"Lập lúc {short_time(timezone.now())}"])
    ws.append(COLUMNS)
    ws["A1"].font = Font(bold=True, size=14)
    thin = Side(style="thin")
    for cell in ws[4]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
        cell.border = Border(top=thin, bottom=thin, left=thin, right=thin)
    for row in rows(entries(f)[:EXPORT_LIMIT].iterator(chunk_size=500)):
        ws.append(list(row.values()))
    for letter, width in zip(
        "ABCDEFGHIJKL", (6, 24, 50, 26, 36, 36, 17, 17, 17, 24, 12, 22), strict=True
    ):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A5"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def to_pdf(f: BookFilter, *, agency_name: str = "") -> bytes:
    from motcua.documents.services import keep_together, render_pdf

    qs = entries(f)
    total = qs.count()
    printed = rows(qs[:PDF_LIMIT])
    for row in printed:  # a person's name never ends a line halfway on paper
        row["applicant"] = keep_together(row["applicant"])
    now = timezone.now().astimezone(VIETNAM)
    return render_pdf(
        "documents/forms/tracking_book.html",
        {
            "rows": printed,
            "total": total,
            "truncated": total > PDF_LIMIT,
            "limit": PDF_LIMIT,
            "columns": COLUMNS,
            "filters": f.describe(),
            "agency_name": (agency_name or (f.agency.name if f.agency else "")).upper(),
            "printed_at": short_time(now),
        },
    )
