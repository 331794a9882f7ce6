"""Inter-agency consultation (liên thông, DOMAIN §5.4 T6): the handler asks one or more
partner agencies for an opinion, each partner answers; a sub-task with its own deadline.

Both halves are actions of ``services.perform`` (``consult`` by the handler, a process action;
``answer_consultation`` by the partner's officer, outside the process), so each is one
transaction and one hash-chained history event, and the dossier's clock moves with them:
it pauses when the process action's clock says so (the procedure's legal text excludes the
consultation time, DOMAIN §7.5) and resumes when the last consultation that paused it is
answered. This module holds the two effects and the reads around them.
"""

from __future__ import annotations

import uuid

from django.core.files.base import ContentFile
from django.db.models import QuerySet
from django.utils import timezone

from motcua.accounts.models import Role, StaffMembership, User
from motcua.catalog.models import Agency
from motcua.core.text import nfc
from motcua.dossiers import deadlines, transitions
from motcua.dossiers.errors import DossierError
from motcua.dossiers.models import Consultation, ConsultationFile, Dossier, Status
from motcua.dossiers.uploads import UploadError, check_upload
from motcua.notifications import staff as staff_notices
from motcua.workflow.vocabulary import Clock

DEFAULT_DAYS = 5
MAX_DAYS = 30
FILE_TYPES = ["pdf", "jpg", "png", "docx"]
FILE_MAX_SIZE = 10 * 1024 * 1024
MAX_FILES = 10
# While consulted a partner sees the dossier; once it is decided or closed, no longer.
SEEN_WHILE = (
    Status.RECEIVED,
    Status.PROCESSING,
    Status.SUPPLEMENT_REQUESTED,
    Status.PAYMENT_REQUESTED,
)


# --- reads --------------------------------------------------------------------------------


def partner_agencies(user: User) -> QuerySet:
    """The agencies for which ``user`` holds the partner role today."""
    today = timezone.localdate()
    return (
        StaffMembership.objects.filter(user=user, role=Role.PARTNER_AGENCY, valid_from__lte=today)
        .exclude(valid_to__lt=today)
        .values("agency_id")
    )


def open_for(user: User, d: Dossier) -> QuerySet[Consultation]:
    """The open consultations of ``d`` addressed to an agency ``user`` answers for."""
    return Consultation.objects.filter(
        dossier_id=d.pk, answered_at__isnull=True, agency_id__in=partner_agencies(user)
    )


def consulted(user: User, d: Dossier) -> bool:
    """The partner's window on the dossier: an open consultation, the dossier still in hand."""
    return d.status in SEEN_WHILE and open_for(user, d).exists()


def of_dossier(d: Dossier, *, partner: User | None = None) -> list[Consultation]:
    """What the dossier page shows: every consultation to the office that holds the dossier;
    to ``partner``, an officer seeing it only because consulted (``queues.seen_as``), only
    their own agency's open ones (nothing of the other partners)."""
    qs = Consultation.objects.filter(dossier_id=d.pk).select_related(
        "agency", "asked_by", "answered_by"
    )
    if partner is not None:
        qs = qs.filter(answered_at__isnull=True, agency_id__in=partner_agencies(partner))
    found = list(qs.prefetch_related("files").order_by("asked_at", "id"))
    for c in found:
        c.question_files = [f for f in c.files.all() if f.side == ConsultationFile.Side.QUESTION]
        c.answer_files = [f for f in c.files.all() if f.side == ConsultationFile.Side.ANSWER]
    return found


def inbox(user: User, *, before: int | None = None, size: int = 25) -> list[Consultation]:
    """The partner officer's open consultations, newest first, one page by keyset on the id
    (index ``consultation_open_agency``); ``size + 1`` rows say whether there is a next page."""
    qs = Consultation.objects.filter(
        answered_at__isnull=True,
        agency_id__in=partner_agencies(user),
        dossier__status__in=SEEN_WHILE,
    )
    if before is not None:
        qs = qs.filter(id__lt=before)
    return list(
        qs.select_related("agency", "dossier", "dossier__version").order_by("-id")[: size + 1]
    )


def open_count(user: User) -> int:
    return Consultation.objects.filter(
        answered_at__isnull=True,
        agency_id__in=partner_agencies(user),
        dossier__status__in=SEEN_WHILE,
    ).count()


def partners(d: Dossier) -> list[Agency]:
    """Agencies the dossier may be sent to for an opinion: any agency in force with a partner
    officer, except the one deciding it, in Vietnamese alphabetical order."""
    staffed = StaffMembership.objects.filter(role=Role.PARTNER_AGENCY).values("agency_id")
    return list(
        Agency.objects.filter(valid_to__isnull=True, pk__in=staffed)
        .exclude(pk=transitions.deciding_agency_id(d))
        .exclude(kind=Agency.Kind.LEVEL_GROUP)
        .order_by("name_sort", "id")
    )


def due_for(d: Dossier, start, days: int):
    """The answer's deadline: ``days`` working days on the dossier's calendar (the one its
    appointment and step deadlines are counted on)."""
    return deadlines.add_working_hours(d.receiving_agency, start, days * 8)


# --- the two effects (run by ``services.perform``) -----------------------------------------


def _text(note: str, what: str) -> str:
    text = nfc(note or "").strip()
    if len(text) < 5:
        message = f"Vui lòng nhập {what}."
        raise DossierError("validation_error", message, 400, {"note": [message]})
    return text[:4000]


def _days(value) -> int:
    if value in (None, ""):
        return DEFAULT_DAYS
    try:
        days = int(value)
    except (TypeError, ValueError):
        days = 0
    if not 1 <= days <= MAX_DAYS:
        message = f"Thời hạn trả lời từ 1 đến {MAX_DAYS} ngày làm việc."
        raise DossierError("validation_error", message, 400, {"days": [message]})
    return days


def _checked_files(files) -> list:
    files = list(files or [])
    if len(files) > MAX_FILES:
        message = f"Đính kèm tối đa {MAX_FILES} tệp."
        raise DossierError("validation_error", message, 400, {"files": [message]})
    checked = []
    for upload in files:
        content = upload.read() if hasattr(upload, "read") else bytes(upload)
        try:
            checked.append(
                check_upload(
                    getattr(upload, "name", "tep-dinh-kem.pdf"),
                    content,
                    allowed_types=FILE_TYPES,
                    max_size=FILE_MAX_SIZE,
                )
            )
        except UploadError as exc:
            raise DossierError(
                "file_too_large" if exc.status == 413 else "invalid_file",
                exc.message,
                exc.status,
                fields={"files": [exc.message]},
            ) from None
    return checked


def _store(c: Consultation, checked: list, side: str) -> None:
    for item in checked:
        record = ConsultationFile(
            consultation=c,
            side=side,
            name=item.name,
            size=item.size,
            sha256=item.sha256,
            content_type=item.content_type,
        )
        # Written before the row commits: a crash in between leaves an orphan file, never
        # a row pointing at nothing.
        record.file.save("upload", ContentFile(item.content), save=False)
        record.save()


def _answerers(agency: Agency) -> list[str]:
    """The e-mail addresses of the agency's active partner officers (Notify: partner, T6)."""
    today = timezone.localdate()
    found = (
        StaffMembership.objects.filter(
            agency=agency, role=Role.PARTNER_AGENCY, valid_from__lte=today, user__is_active=True
        )
        .exclude(valid_to__lt=today)
        .values_list("user__email", flat=True)
    )
    return sorted(set(found) - {""})


def _agencies(d: Dossier, agencies, agency) -> list[Agency]:
    codes = [str(c).strip() for c in (agencies or []) if str(c).strip()]
    if agency and str(agency).strip():
        codes.append(str(agency).strip())
    codes = list(dict.fromkeys(codes))
    if not codes:
        message = "Vui lòng chọn ít nhất một cơ quan phối hợp."
        raise DossierError("validation_error", message, 400, {"agencies": [message]})
    allowed = {a.code: a for a in partners(d)}
    unknown = [c for c in codes if c not in allowed]
    if unknown:
        message = "Cơ quan này không nhận xin ý kiến về hồ sơ (chưa có cán bộ phối hợp)."
        raise DossierError("validation_error", message, 400, {"agencies": [message]})
    chosen = [allowed[c] for c in codes]
    waiting = set(
        Consultation.objects.filter(
            dossier_id=d.pk, answered_at__isnull=True, agency__in=chosen
        ).values_list("agency__name", flat=True)
    )
    if waiting:
        message = f"Đang chờ ý kiến của {', '.join(sorted(waiting))}; chưa gửi lại được."
        raise DossierError("validation_error", message, 400, {"agencies": [message]})
    return chosen


def consult(
    d: Dossier,
    actor: User,
    *,
    note: str = "",
    agencies=None,
    agency="",
    days=None,
    files=None,
    step_action=None,
    **_,
) -> dict:
    question = _text(note, "nội dung xin ý kiến")
    chosen = _agencies(d, agencies, agency)
    days = _days(days)
    checked = _checked_files(files)
    now = timezone.now()
    due = due_for(d, now, days)
    # The process action's clock decides (``transitions.move`` applies it right after).
    pauses = step_action is not None and step_action.clock == Clock.PAUSE
    made = []
    for partner in chosen:
        c = Consultation.objects.create(
            dossier=d,
            agency=partner,
            question=question,
            asked_at=now,
            asked_by=actor,
            days=days,
            due_at=due,
            pauses_clock=pauses,
        )
        _store(c, checked, ConsultationFile.Side.QUESTION)
        staff_notices.consultation_requested(
            d, c, to=_answerers(partner), asked_by=actor.display_name
        )
        made.append(c)
    return {
        "consultations": [str(c.public_id) for c in made],
        "agencies": [a.code for a in chosen],
        "days": days,
        "due_at": due.isoformat(),
        "pauses_clock": pauses,
        "files": [f.name for f in checked],
    }


def answer(d: Dossier, actor: User, *, note: str = "", consultation="", files=None, **_) -> dict:
    text = _text(note, "ý kiến trả lời")
    candidates = open_for(actor, d).select_related("agency")
    if consultation:
        candidates = candidates.filter(public_id=_uuid(consultation))
    found = list(candidates.order_by("id")[:2])
    if len(found) != 1:
        message = (
            "Không tìm thấy đề nghị xin ý kiến đang chờ cơ quan bạn trả lời."
            if not found
            else "Hồ sơ có nhiều đề nghị xin ý kiến: vui lòng chọn đề nghị cần trả lời."
        )
        raise DossierError("validation_error", message, 400, {"consultation": [message]})
    c = found[0]
    checked = _checked_files(files)
    c.answered_at = timezone.now()
    c.answered_by = actor
    c.answer = text
    c.save(update_fields=["answered_at", "answered_by", "answer"])
    _store(c, checked, ConsultationFile.Side.ANSWER)
    resumed = False
    # Back to counting once no paused consultation is left (``resume`` checks), unless the
    # dossier waits on the citizen now: a supplement or a payment keeps its own pause.
    if c.pauses_clock and d.paused_at is not None and d.status == Status.PROCESSING:
        transitions.resume(d)
        resumed = d.paused_at is None
    return {
        "consultation": str(c.public_id),
        "agency": c.agency.code,
        "files": [f.name for f in checked],
        "resumed": resumed,
    }


def _uuid(value) -> str:
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        return "00000000-0000-0000-0000-000000000000"


def waiting_pause(d: Dossier) -> bool:
    """The dossier's clock stands still for an open consultation (not for the citizen)."""
    return (
        d.paused_at is not None
        and d.status == Status.PROCESSING
        and Consultation.objects.filter(
            dossier_id=d.pk, answered_at__isnull=True, pauses_clock=True
        ).exists()
    )
