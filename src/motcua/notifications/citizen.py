"""What the applicant is told when their dossier moves (docs/domain.md, notifications).

``dossier_changed`` is called once by ``dossiers.services.perform``, inside its transaction,
after the event is recorded: the messages are outbox rows of that transaction, so a transition
that rolls back tells nobody anything, and they are handed to the worker only after commit
(``queue_email``). The table below is the only place that decides which step sends what.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from motcua.notifications.services import queue_email

# action → template under notifications/email/
TEMPLATES = {
    "submit": "dossier_submitted",
    "accept": "dossier_accepted",
    "receive_at_counter": "dossier_accepted",
    "request_supplement": "supplement_requested",
    "refuse": "dossier_refused",
    "sign_result": "result_ready",
    "reject_result": "result_ready",
    "confirm_withdrawal": "withdrawal_confirmed",
    "apologize": "dossier_delayed",
    "stop": "dossier_stopped",
}

# How the citizen gets the result, per the delivery method they chose.
HOW_TO_GET = {
    "counter": (
        "Vui lòng mang theo Giấy tiếp nhận hồ sơ và hẹn trả kết quả cùng giấy tờ tùy thân đến "
        "Bộ phận Một cửa của cơ quan tiếp nhận để nhận kết quả."
    ),
    "post": (
        "Kết quả sẽ được gửi qua dịch vụ bưu chính công ích đến địa chỉ bạn đã đăng ký; "
        "nhân viên bưu điện sẽ liên hệ trước khi giao."
    ),
    "online": (
        "Bạn có thể tải bản điện tử của kết quả, đã ký số, tại trang hồ sơ trên Cổng dịch vụ "
        "công; bản điện tử có giá trị pháp lý như bản giấy."
    ),
}


def recipients(dossier) -> list[str]:
    """The account that submitted it and the applicant's own address, once each. A dossier
    an officer recorded at the counter belongs to the officer's account: only the applicant
    is told."""
    owner = dossier.owner.email if dossier.owner_id and not dossier.owner.is_staff else ""
    return sorted({owner, dossier.applicant_email or ""} - {""})


def _url(name: str, **kwargs) -> str:
    return f"{settings.BASE_URL}{reverse(name, kwargs=kwargs)}"


def _context(dossier, action: str, note: str, data: dict) -> dict:
    code = dossier.code
    context = {
        "dossier": dossier,
        "tracking_url": f"{settings.BASE_URL}/tra-cuu/{code}",
        "dossier_url": _url("portal:dossier", code=code),
        # The walk-in citizen has no account page for it, only the paper receipt and tracking.
        "at_counter": action == "receive_at_counter",
    }
    if action == "request_supplement":
        context.update(
            items=data.get("items", []),
            reason=note,
            supplement_url=_url("portal:dossier-supplement", code=code),
        )
    elif action in ("refuse", "apologize", "stop"):
        context["reason"] = note
    elif action in ("sign_result", "reject_result"):
        method = dossier.delivery_method or "counter"
        context.update(
            negative=action == "reject_result",
            how_to_get=HOW_TO_GET.get(method, HOW_TO_GET["counter"]),
            online=method == "online",
            verify_url=f"{settings.BASE_URL}/tra-cuu/xac-thuc/{code}",
        )
    return context


def dossier_changed(dossier, action: str, *, note: str = "", data: dict | None = None) -> int:
    """Queue the applicant's e-mail for ``action``, if that step sends one; the count queued."""
    template = TEMPLATES.get(action)
    if template is None or not dossier.code:
        return 0
    context = _context(dossier, action, note, data or {})
    to = recipients(dossier)
    for address in to:
        queue_email(to=address, template=template, context=context)
    return len(to)
