"""The back office's side of ``perform`` (DOMAIN §5.4): which step action of the dossier's
process an officer may fire now, and what it does to the step, the assignee and the clock.

``perform`` stays the only entry: it locks the row, calls ``step_action`` to find (or refuse)
the action, runs the action's own effect from ``_EFFECTS``, then ``move`` — all in its one
transaction, written as one history event.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.dispatch import Signal
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from motcua.accounts.models import Role, StaffMembership, User
from motcua.core.text import nfc
from motcua.dossiers import deadlines
from motcua.dossiers.errors import DossierError
from motcua.dossiers.models import Consultation, Dossier, DossierEvent, Status
from motcua.workflow.selectors import actions_at
from motcua.workflow.vocabulary import Clock

# Actions of the citizen or of the intake itself: no step action governs them.
OUTSIDE_PROCESS = frozenset(
    {
        "submit",
        "submit_supplement",
        "request_withdrawal",
        "receive_at_counter",
        "answer_consultation",
    }
)
OPEN = (
    Status.SUBMITTED,
    Status.RECEIVED,
    Status.PROCESSING,
    Status.SUPPLEMENT_REQUESTED,
    Status.PAYMENT_REQUESTED,
)
# The clock of dossiers without a process (started before processes existed).
DEFAULT_CLOCK = {
    "accept": Clock.START,
    "receive_at_counter": Clock.START,
    "request_supplement": Clock.PAUSE,
    "request_payment": Clock.PAUSE,
    "refuse": Clock.STOP,
    "sign_result": Clock.STOP,
    "reject_result": Clock.STOP,
    "stop": Clock.STOP,
    "confirm_withdrawal": Clock.STOP,
}
ROUTING = frozenset({"assign", "forward", "approve", "reject_draft"})

# Sent by ``perform`` inside its transaction, once the action's effect, the step and the
# clock are applied and before the row is written: the apps built on ``dossiers`` (documents
# draws and numbers the official form the process action names, signing signs the result)
# answer with a dict kept in the event's data; a DossierError they raise refuses the whole
# transition. Keyword arguments: dossier, action, step_action, actor, note, data, params.
performed = Signal()


def agencies_of(d: Dossier) -> set:
    return {d.receiving_agency_id, d.version.agency_id, d.competent_agency_id} - {None}


def deciding_agency_id(d: Dossier) -> int:
    """Who examines and decides: the agency the dossier was transferred to, else the
    version's agency, else (commune-level procedures) the commune that received it."""
    if d.competent_agency_id:
        return d.competent_agency_id
    if d.version.agency.kind == "level_group":
        return d.receiving_agency_id
    return d.version.agency_id


def roles_of(actor: User, d: Dossier) -> set[str]:
    return set(
        StaffMembership.objects.filter(user=actor, agency_id__in=agencies_of(d)).values_list(
            "role", flat=True
        )
    )


def available(d: Dossier, actor: User | None = None):
    """The process actions open at the dossier's step, those of ``actor``'s roles if given."""
    if d.process_id is None:
        return []
    found = actions_at(d.process_id, d.current_step)
    if actor is not None:
        roles = roles_of(actor, d)
        found = [a for a in found if roles & set(a.roles)]
    return found


def step_action(d: Dossier, action: str, actor: User):
    """The process action to fire, or a refusal: 409 when the step does not offer it now,
    403 when it does but not to this officer's roles."""
    if d.process_id is None or action in OUTSIDE_PROCESS:
        return None
    candidates = [a for a in available(d) if a.code == action]
    if not candidates:
        step = d.current_step.name if d.current_step else "chưa xác định"
        raise DossierError(
            "action_not_allowed",
            f"Thao tác này không thực hiện được ở bước «{step}» của hồ sơ.",
            409,
        )
    roles = roles_of(actor, d)
    allowed = [a for a in candidates if roles & set(a.roles)]
    if not allowed:
        raise DossierError(
            "permission_denied",
            "Vai trò của bạn không được thực hiện thao tác này ở bước này.",
            403,
        )
    a = allowed[0]
    if a.from_step_id and d.assignee_id and d.assignee_id != actor.pk:
        if d.current_step.role == "handler":
            raise DossierError(
                "permission_denied", "Hồ sơ đang được phân công cho cán bộ khác thụ lý.", 403
            )
    if a.once_per_dossier and DossierEvent.objects.filter(dossier_id=d.pk, action=action).exists():
        raise DossierError(
            "only_once", f"«{a.label}» chỉ được thực hiện một lần cho mỗi hồ sơ.", 409
        )
    if a.requires_paid and not is_paid(d):
        raise DossierError("not_paid", "Công dân chưa hoàn thành nghĩa vụ tài chính.", 409)
    return a


def is_paid(d: Dossier) -> bool:
    if d.version.fee_total <= 0:
        return True
    return DossierEvent.objects.filter(dossier_id=d.pk, action="paid").exists()


def eligible(d: Dossier, step):
    if step.agency_id:
        agencies = [step.agency_id]
    elif step.role == Role.RECEIVER:
        agencies = [d.receiving_agency_id]
    else:
        agencies = [deciding_agency_id(d)]
    ids = StaffMembership.objects.filter(role=step.role, agency_id__in=agencies).values("user_id")
    return User.objects.filter(pk__in=ids, is_active=True)


def choose_assignee(d: Dossier, step, wanted) -> User | None:
    """The officer named, if eligible for ``step``; otherwise the least-loaded eligible one."""
    people = eligible(d, step)
    if wanted not in (None, ""):
        where = Q(email__iexact=str(wanted))
        if str(wanted).isdigit():
            where |= Q(pk=int(wanted))
        chosen = people.filter(where).first()
        if chosen is None:
            message = f"Cán bộ này không đảm nhận bước «{step.name}»."
            raise DossierError("validation_error", message, 400, {"assignee": [message]})
        return chosen
    return (
        people.annotate(
            load=Count("assigned_dossiers", filter=Q(assigned_dossiers__status__in=OPEN))
        )
        .order_by("load", "id")
        .first()
    )


def move(d: Dossier, a, actor: User, *, action: str, status_before: int, assignee=None) -> dict:
    """Advance the dossier along ``a`` (a process action, or None) and apply its clock."""
    now = timezone.now()
    data: dict = {}
    if a is not None:
        if a.form:
            data["form"] = a.form
        if a.to_step_id and a.to_step_id != d.current_step_id:
            data.update(
                from_step_id=d.current_step_id,
                to_step_id=a.to_step_id,
                previous_assignee_id=d.assignee_id,
                status_before=status_before,
            )
            step = a.to_step
            d.current_step = step
            d.step_started_at = now
            if step.is_end:
                d.assignee, d.step_due_at = None, None
            else:
                d.assignee = choose_assignee(d, step, assignee)
                d.step_due_at = (
                    deadlines.add_working_hours(d.receiving_agency, now, step.hours)
                    if step.hours
                    else None
                )
            data["assignee_id"] = d.assignee_id
    apply_clock(d, a.clock if a is not None else DEFAULT_CLOCK.get(action, ""))
    return data


def apply_clock(d: Dossier, clock: str) -> None:
    now = timezone.now()
    if clock == Clock.START:
        d.received_at = d.received_at or now
        d.due_at = deadlines.appointment(d, d.received_at)
        d.original_due_at = d.due_at
    elif clock == Clock.PAUSE:
        d.paused_at = d.paused_at or now
    elif clock == Clock.RESUME:
        resume(d)
    elif clock == Clock.RESTART:
        d.paused_at = None
        d.due_at = deadlines.appointment(d, now)
    elif clock == Clock.STOP:
        d.finished_at = d.finished_at or now
        d.paused_at = None


def resume(d: Dossier) -> None:
    """After a pause the remaining working time runs again from now (DOMAIN §7.5), unless a
    partner agency's opinion whose time the process does not count is still awaited (T6):
    the clock then stays stopped until that answer."""
    if d.paused_at is None:
        return
    if Consultation.objects.filter(
        dossier_id=d.pk, answered_at__isnull=True, pauses_clock=True
    ).exists():
        return
    if d.due_at is not None:
        left = deadlines.working_hours_between(d.receiving_agency, d.paused_at, d.due_at)
        d.due_at = deadlines.add_working_hours(d.receiving_agency, timezone.now(), left)
    d.paused_at = None


# --- the effects of the back-office actions ------------------------------------------------


def _reason(note: str, what: str) -> str:
    text = nfc(note or "").strip()
    if len(text) < 5:
        message = f"Vui lòng nêu rõ {what}."
        raise DossierError("validation_error", message, 400, {"note": [message]})
    return text


def _accept(d, actor, **_):
    d.sub_state = "received"
    return {}


def _refuse(d, actor, *, note="", **_):
    _reason(note, "lý do từ chối tiếp nhận")
    d.sub_state = ""
    return {}


def _route(d, actor, **_):
    d.sub_state = "processing"
    return {}


def _reject_draft(d, actor, *, note="", **_):
    _reason(note, "lý do trả lại dự thảo")
    d.sub_state = "draft_rejected"
    return {}


def _request_payment(d, actor, **_):
    d.sub_state = "payment_requested"
    return {"amount": d.version.fee_total}


def _sign_result(d, actor, *, files=None, **_):
    # The signing itself is the ``signing`` app's answer to ``performed`` (same transaction).
    d.result_type = "result"
    d.sub_state = "result_ready"
    return {"files": [getattr(f, "name", str(f)) for f in (files or [])]}


def _reject_result(d, actor, *, note="", **_):
    _reason(note, "lý do không giải quyết")
    d.result_type = "negative"
    d.sub_state = "result_ready"
    return {}


def _return_result(d, actor, *, method="", recipient_name="", recipient_id_number="", **_):
    method = method or d.delivery_method or "counter"
    if method not in ("counter", "post", "online"):
        message = "Hình thức trả kết quả không hợp lệ."
        raise DossierError("validation_error", message, 400, {"method": [message]})
    name = nfc(recipient_name or "").strip()
    if method == "counter" and len(name) < 2:
        message = "Vui lòng nhập họ tên người nhận kết quả."
        raise DossierError("validation_error", message, 400, {"recipient_name": [message]})
    d.returned_at = timezone.now()
    d.sub_state = ""
    return {
        "method": method,
        "recipient_name": name[:150],
        "recipient_id_number": str(recipient_id_number or "")[:14],
    }


def _as_datetime(value) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time(17, 0), tzinfo=timezone.get_current_timezone())
    text = str(value or "")
    parsed = parse_datetime(text)
    if parsed is None and parse_date(text):
        return _as_datetime(parse_date(text))
    if parsed is not None and timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def _apologize(d, actor, *, note="", new_due=None, **_):
    reason = _reason(note, "lý do chậm trả kết quả")
    if DossierEvent.objects.filter(dossier_id=d.pk, action="apologize").exists():
        raise DossierError("only_once", "Chỉ được hẹn lại ngày trả kết quả một lần.", 409)
    when = _as_datetime(new_due)
    if when is None or d.due_at is None or when <= d.due_at:
        message = "Ngày hẹn mới phải sau ngày hẹn trả hiện tại."
        raise DossierError("validation_error", message, 400, {"new_due": [message]})
    old = d.due_at
    d.original_due_at = d.original_due_at or old
    d.due_at = when
    return {"old_due_at": old.isoformat(), "new_due_at": when.isoformat(), "_note": reason}


def _stop(d, actor, *, note="", **_):
    _reason(note, "căn cứ dừng xử lý hồ sơ")
    d.sub_state = ""
    return {}


def _transfer(d, actor, *, agency="", **_):
    """Send the dossier to the unit competent to decide it (boundary-free reception, §5.8):
    the version's agency, or for commune-level procedures one of its communes."""
    from motcua.catalog.models import Agency

    target = Agency.objects.filter(code=str(agency or "").strip(), valid_to__isnull=True).first()
    version_agency = d.version.agency
    competent = target is not None and (
        target.pk == version_agency.pk
        or (
            version_agency.kind == Agency.Kind.LEVEL_GROUP and target.parent_id == version_agency.pk
        )
    )
    if not competent or target.pk == deciding_agency_id(d):
        message = "Chọn cơ quan có thẩm quyền giải quyết thủ tục này (khác cơ quan hiện tại)."
        raise DossierError("validation_error", message, 400, {"agency": [message]})
    previous = deciding_agency_id(d)
    d.competent_agency = target
    if d.current_step is not None and not d.current_step.is_end:
        d.assignee = choose_assignee(d, d.current_step, None)
    return {"from_agency": previous, "to_agency": target.code, "assignee_id": d.assignee_id}


def _recall(d, actor, **_):
    """Take back the last hand-over if its receiver has not acted on it yet (T19)."""
    last = DossierEvent.objects.filter(dossier_id=d.pk).order_by("-at", "-id").first()
    if (
        last is None
        or last.actor_id != actor.pk
        or last.action not in ROUTING
        or "from_step_id" not in last.data
    ):
        raise DossierError(
            "action_not_allowed",
            "Chỉ thu hồi được bước do chính bạn vừa chuyển, khi người nhận chưa xử lý.",
            409,
        )
    d.current_step_id = last.data["from_step_id"]
    d.assignee_id = last.data.get("previous_assignee_id")
    d.status = last.data.get("status_before", d.status)
    d.step_started_at = timezone.now()
    return {"recalled": last.action}


EFFECTS = {
    "accept": _accept,
    "refuse": _refuse,
    "assign": _route,
    "forward": _route,
    "transfer": _transfer,
    "approve": _route,
    "reject_draft": _reject_draft,
    "request_payment": _request_payment,
    "sign_result": _sign_result,
    "reject_result": _reject_result,
    "return_result": _return_result,
    "apologize": _apologize,
    "stop": _stop,
    "recall": _recall,
}
