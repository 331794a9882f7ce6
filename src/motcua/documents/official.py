"""The official forms of the one-stop mechanism (docs/domain.md §6): what each one prints.

Each form is a template under ``documents/forms/`` plus a function that prepares every
value it shows from the dossier and from what the officer typed (``extra``). A form that
needs something the officer must state (a reason, the items to supplement, a new date)
refuses to be issued without it, with a Vietnamese message.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.dateparse import parse_datetime

from motcua.dossiers.models import Dossier, DossierEvent, Status
from motcua.dossiers.tracking import ACTION_LABELS

VIETNAM = dt.timezone(dt.timedelta(hours=7))  # Vietnam keeps no summer time


class FormError(ValueError):
    """What the officer must add before the form can be issued; ``field`` names the input."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class FormSpec:
    code: str
    title: str
    template: str
    symbol: str  # the part after the number: "Số: 12/TNHS"
    version: str  # which wording the template follows (stored with each issued form)
    build: Callable[[Dossier, dict], dict]


def local(value: dt.datetime | None) -> dt.datetime | None:
    if value is None:
        return None
    if timezone.is_naive(value):
        value = timezone.make_aware(value, dt.UTC)
    return value.astimezone(VIETNAM)


def long_time(value: dt.datetime | None) -> str:
    """ "08 giờ 30 phút, ngày 05 tháng 12 năm 2026", as the forms word it."""
    v = local(value)
    if v is None:
        return "…"
    return f"{v:%H} giờ {v:%M} phút, ngày {v:%d} tháng {v:%m} năm {v:%Y}"


def short_time(value: dt.datetime | None) -> str:
    v = local(value)
    return f"{v:%H:%M} {v:%d/%m/%Y}" if v is not None else ""


def _when(value, field: str, label: str) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time(17, 0), VIETNAM)
    parsed = parse_datetime(str(value or ""))
    if parsed is None:
        raise FormError(field, f"Cần nhập {label} đúng định dạng ngày giờ.")
    return parsed


def _text(extra: dict, field: str, message: str) -> str:
    value = str(extra.get(field) or "").strip()
    if not value:
        raise FormError(field, message)
    return value


def _receipt(dossier: Dossier, extra: dict) -> dict:
    from motcua.documents.services import _components, _delivery, _time_limit

    delivery, address = _delivery(dossier)
    return {
        "received_at": long_time(dossier.received_at or timezone.now()),
        "due_at": long_time(dossier.due_at) if dossier.due_at else "",
        "time_limit": _time_limit(dossier),
        "components": _components(dossier),
        "copies": extra.get("copies") or 1,
        "delivery": delivery,
        "delivery_address": address,
        "book_number": extra.get("book_number", ""),
    }


def _supplement(dossier: Dossier, extra: dict) -> dict:
    """Items are ``{"item": …, "reason": …}`` (or plain text); by default those of the
    dossier's one supplement request."""
    items = extra.get("items")
    reason = str(extra.get("reason") or "").strip()
    request = getattr(dossier, "supplement", None) if not items else None
    if request is not None:
        items, reason = request.items, reason or request.reason
    rows = []
    for raw in items or []:
        if isinstance(raw, dict):
            item, why = str(raw.get("item") or "").strip(), str(raw.get("reason") or "").strip()
        else:
            item, why = str(raw).strip(), ""
        if item:
            rows.append({"item": item, "reason": why})
    if not rows:
        raise FormError("items", "Cần nêu từng nội dung phải bổ sung, hoàn thiện.")
    if not reason and not all(r["reason"] for r in rows):
        raise FormError("reason", "Cần nêu lý do yêu cầu bổ sung.")
    agency = dossier.receiving_agency
    return {
        "items": rows,
        "reason": reason,
        "contact": extra.get("contact") or agency.name,
        "contact_phone": extra.get("contact_phone") or agency.phone or agency.hotline,
    }


def _refusal(dossier: Dossier, extra: dict) -> dict:
    return {"reason": _text(extra, "reason", "Cần nêu rõ lý do từ chối tiếp nhận hồ sơ.")}


def _apology(dossier: Dossier, extra: dict) -> dict:
    reason = _text(extra, "reason", "Cần nêu lý do chậm trả kết quả.")
    if not extra.get("new_due_at"):
        raise FormError("new_due_at", "Cần nhập ngày hẹn trả kết quả mới.")
    new_due = _when(extra["new_due_at"], "new_due_at", "ngày hẹn trả mới")
    old_due = extra.get("old_due_at") or dossier.due_at
    old = _when(old_due, "old_due_at", "ngày hẹn trả cũ") if old_due else None
    if old is not None and new_due <= old:
        raise FormError("new_due_at", "Ngày hẹn trả mới phải sau ngày hẹn trả cũ.")
    return {
        "reason": reason,
        "received_at": long_time(dossier.received_at or dossier.submitted_at),
        "old_due_at": long_time(old),
        "new_due_at": long_time(new_due),
    }


# The officer-facing effect of each event on the slip; unknown actions fall back to the
# life-cycle label, then to the raw code.
def _slip_rows(dossier: Dossier) -> list[dict]:
    events = DossierEvent.objects.filter(dossier=dossier).order_by("at", "id")
    due = local(dossier.due_at)
    rows = []
    for e in events:
        data = e.data or {}
        at = local(e.at)
        verdict = ""
        step_due = local(parse_datetime(data["step_due_at"])) if data.get("step_due_at") else due
        if step_due is not None and e.status not in (Status.DRAFT, Status.SUBMITTED):
            verdict = (
                "Trước hạn"
                if at.date() < step_due.date()
                else ("Đúng hạn" if at <= step_due else "Quá hạn")
            )
        rows.append(
            {
                "unit": data.get("unit") or data.get("department") or "",
                "action": ACTION_LABELS.get(e.action, e.action),
                "at": short_time(e.at),
                "giver": data.get("from_name") or e.actor_name or "",
                "receiver": data.get("to_name") or "",
                "status": Status(e.status).label if e.status in Status.values else "",
                "verdict": verdict,
                "note": e.note,
            }
        )
    return rows


def _control_slip(dossier: Dossier, extra: dict) -> dict:
    return {
        "received_at": long_time(dossier.received_at or dossier.submitted_at),
        "due_at": long_time(dossier.due_at) if dossier.due_at else "Chưa có",
        "partner": extra.get("partner", ""),
        "rows": _slip_rows(dossier),
    }


def _stop(dossier: Dossier, extra: dict) -> dict:
    request = getattr(dossier, "withdrawal", None)
    requested = extra.get("requested_at") or (request.requested_at if request else None)
    by_authority = bool(extra.get("by_authority"))
    reason = str(extra.get("reason") or (request.reason if request else "")).strip()
    if by_authority and not reason:
        raise FormError("reason", "Cần nêu căn cứ, lý do dừng giải quyết hồ sơ.")
    return {
        "by_authority": by_authority,
        "requested_at": long_time(_when(requested, "requested_at", "ngày đề nghị"))
        if requested
        else "",
        "reason": reason,
        "fees": extra.get("fees", ""),
        "originals": extra.get("originals", ""),
    }


FORMS: dict[str, FormSpec] = {
    s.code: s
    for s in (
        FormSpec(
            "01",
            "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
            "documents/forms/receipt.html",
            "GTN",
            "TT01/2018-TT03/2025 Mẫu 01",
            _receipt,
        ),
        FormSpec(
            "02",
            "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
            "documents/forms/supplement.html",
            "PBS",
            "TT01/2018-TT03/2025 Mẫu 02",
            _supplement,
        ),
        FormSpec(
            "03",
            "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
            "documents/forms/refusal.html",
            "PTC",
            "TT01/2018-TT03/2025 Mẫu 03",
            _refusal,
        ),
        FormSpec(
            "04",
            "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
            "documents/forms/apology.html",
            "PXL",
            "TT01/2018 Mẫu 04",
            _apology,
        ),
        FormSpec(
            "05",
            "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
            "documents/forms/control_slip.html",
            "PKS",
            "TT01/2018 Mẫu 05",
            _control_slip,
        ),
        FormSpec(
            "stop",
            "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ",
            "documents/forms/stop.html",
            "TB-DGQ",
            "TT03/2025 Điều 7",
            _stop,
        ),
    )
}
