"""Dossier writes. ``perform`` is the only function that changes a dossier's status.

Drafts are edited freely by their owner (nothing typed is lost: every step saves), files are
checked by ``uploads.check_upload`` and written to private storage before the transaction
commits, and submission is one transaction that either stores the whole dossier with its
code and history or nothing at all.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from motcua.accounts.models import StaffMembership, User
from motcua.catalog.models import AdministrativeUnit, Agency, Component, ProcedureVersion
from motcua.catalog.selectors import effective
from motcua.core import validators
from motcua.core.audit import chain_hash
from motcua.core.orm import Reusable
from motcua.core.text import fold, nfc
from motcua.dossiers import consultations, lifecycle, tracking, transitions
from motcua.dossiers.codes import next_code
from motcua.dossiers.errors import DossierError
from motcua.dossiers.models import (
    Channel,
    Dossier,
    DossierEvent,
    DossierFile,
    Status,
    SupplementRequest,
    TrackingCard,
    WithdrawalRequest,
)
from motcua.dossiers.storage import private_storage
from motcua.dossiers.uploads import UploadError, check_upload
from motcua.notifications import citizen as citizen_notices
from motcua.workflow.selectors import start_in_force


@dataclass
class Applicant:
    full_name: str = ""
    id_number: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""


@dataclass
class Delivery:
    method: str = ""
    commune: str = ""  # administrative-unit code, for delivery by post
    address: str = ""


# --- drafts --------------------------------------------------------------------------------


def _receiving_agency(version: ProcedureVersion, agency_code: str | None) -> Agency:
    """Commune-level procedures are decided by every commune: the citizen names one."""
    if version.agency.kind != Agency.Kind.LEVEL_GROUP:
        return version.agency
    agency = Agency.objects.filter(
        code=agency_code or "", parent=version.agency, valid_to__isnull=True
    ).first()
    if agency is None:
        raise DossierError(
            "validation_error",
            "Vui lòng chọn Ủy ban nhân dân xã, phường nơi nộp hồ sơ.",
            fields={"agency": ["Vui lòng chọn Ủy ban nhân dân xã, phường nơi nộp hồ sơ."]},
        )
    return agency


# The version in force of a procedure, by code, latest first as the model orders it: every new
# draft reads it (core.orm).
_IN_FORCE = Reusable(
    lambda day, code: (
        ProcedureVersion.objects.filter(effective(day), procedure__code=code)
        .select_related("agency")
        .order_by("-valid_from")[:1]
    ),
    dt.date(1901, 2, 3),
    "\x01procedure",
)


def create_draft(
    *,
    owner: User,
    procedure_code: str,
    agency_code: str | None = None,
    applicant: Applicant | None = None,
    delivery: Delivery | None = None,
    note: str = "",
    channel: str = Channel.ONLINE,
    on_behalf: bool | None = None,
    submitter: Applicant | None = None,
) -> Dossier:
    """Start a dossier. The applicant is prefilled from the account when not given.

    Everything is set before the one INSERT: a draft born complete needs no transaction and
    no second write."""
    found = _IN_FORCE(timezone.localdate(), procedure_code)
    version = found[0] if found else None
    if version is None:
        raise DossierError("not_found", "Không tìm thấy thủ tục có mã này.", 404)
    if version.level == "truc_tiep" and channel == Channel.ONLINE:
        raise DossierError(
            "not_online", "Thủ tục này chỉ nộp trực tiếp tại Bộ phận Một cửa, không nộp trực tuyến."
        )
    agency = _receiving_agency(version, agency_code)
    applicant = applicant or Applicant(
        full_name=owner.display_name,
        id_number=owner.id_number or owner.tax_code,
        phone=owner.phone,
        email=owner.email,
        address=owner.address,
    )
    dossier = Dossier(version=version, receiving_agency=agency, owner=owner, channel=channel)
    _set_applicant(dossier, applicant)
    if delivery is not None:
        _set_delivery(dossier, delivery)
    if on_behalf is not None:
        dossier.on_behalf = on_behalf
    if submitter is not None:
        _set_submitter(dossier, submitter)
    dossier.note = nfc(note)[:2000]
    dossier.save()
    return dossier


def _set_applicant(dossier: Dossier, a: Applicant) -> None:
    dossier.applicant_name = nfc(a.full_name)[:150]
    dossier.applicant_id_number = (a.id_number or "").strip()[:14]
    dossier.applicant_phone = (a.phone or "").strip()[:15]
    dossier.applicant_email = (a.email or "").strip().lower()[:254]
    dossier.applicant_address = nfc(a.address)[:255]


def _set_submitter(dossier: Dossier, s: Applicant) -> None:
    dossier.submitter_name = nfc(s.full_name)[:150]
    dossier.submitter_id_number = (s.id_number or "").strip()[:14]
    dossier.submitter_phone = (s.phone or "").strip()[:15]
    dossier.submitter_email = (s.email or "").strip().lower()[:254]


def _set_delivery(dossier: Dossier, d: Delivery) -> None:
    dossier.delivery_method = d.method or ""
    dossier.delivery_commune = (
        AdministrativeUnit.objects.filter(code=d.commune).first() if d.commune else None
    )
    dossier.delivery_address = nfc(d.address)[:255]


def _own_draft(dossier: Dossier, actor: User) -> Dossier:
    locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
    if locked.owner_id != actor.pk:
        raise DossierError("not_found", "Không tìm thấy hồ sơ.", 404)
    if locked.status != Status.DRAFT:
        raise DossierError("not_draft", "Hồ sơ đã nộp, không sửa được nữa.", 409)
    return locked


def update_draft(
    dossier: Dossier,
    *,
    actor: User,
    applicant: Applicant | None = None,
    on_behalf: bool | None = None,
    submitter: Applicant | None = None,
    delivery: Delivery | None = None,
    note: str | None = None,
    wizard_step: str | None = None,
) -> Dossier:
    """Save whatever the citizen typed, valid or not yet: checks happen at submission, so a
    half-filled step is never lost."""
    with transaction.atomic():
        d = _own_draft(dossier, actor)
        if applicant is not None:
            _set_applicant(d, applicant)
        if on_behalf is not None:
            d.on_behalf = on_behalf
        if submitter is not None:
            _set_submitter(d, submitter)
        if delivery is not None:
            _set_delivery(d, delivery)
        if note is not None:
            d.note = nfc(note)[:2000]
        if wizard_step is not None:
            d.wizard_step = wizard_step[:32]
        d.save()
        return d


def discard_draft(dossier: Dossier, *, actor: User) -> None:
    with transaction.atomic():
        d = _own_draft(dossier, actor)
        names = list(d.files.values_list("file", flat=True))
        d.delete()
        transaction.on_commit(lambda: [private_storage().delete(n) for n in names])


def _store(dossier: Dossier, checked, *, component, purpose: str, actor) -> DossierFile:
    record = DossierFile(
        dossier=dossier,
        component=component,
        purpose=purpose,
        name=checked.name,
        size=checked.size,
        sha256=checked.sha256,
        content_type=checked.content_type,
        converted_from=checked.converted_from,
        uploaded_by=actor,
    )
    # Written before the row commits: a crash in between leaves an orphan file (swept),
    # never a row pointing at nothing.
    record.file.save("upload", ContentFile(checked.content), save=False)
    record.save()
    return record


_COMPONENT = Reusable(
    lambda version_id, pk: Component.objects.filter(version_id=version_id, pk=pk)[:1],
    -7_300_011,
    -7_300_012,
)
_COMPONENT_REPLACING = Reusable(
    lambda version_id, pk, dossier_id, purpose: Component.objects.filter(
        version_id=version_id, pk=pk
    ).annotate(
        replaces=Exists(
            DossierFile.objects.filter(
                dossier_id=dossier_id, component_id=OuterRef("pk"), purpose=purpose
            )
        )
    )[:1],
    -7_300_013,
    -7_300_014,
    -7_300_015,
    "\x01purpose",
)


def _component(dossier: Dossier, component_id, *, replacing: str | None = None) -> Component:
    """The component of the dossier's procedure version. With ``replacing`` (a purpose),
    ``component.replaces`` tells whether the dossier already holds a file of that purpose for
    it, so the usual first upload needs no second look for a file to replace."""
    try:
        pk = int(component_id)
    except (TypeError, ValueError):
        pk = None
    # Outside the column's range the database would refuse the parameter (the queryset
    # answered "no match" there): no such component.
    found = []
    if pk is not None and -(2**63) <= pk < 2**63:
        if replacing is None:
            found = _COMPONENT(dossier.version_id, pk)
        else:
            found = _COMPONENT_REPLACING(dossier.version_id, pk, dossier.pk, replacing)
    if not found:
        raise DossierError(
            "validation_error",
            "Thành phần hồ sơ không thuộc thủ tục này.",
            fields={"component": ["Thành phần hồ sơ không thuộc thủ tục này."]},
        )
    return found[0]


# The authorisation letter belongs to no component of the procedure.
AUTHORISATION_TYPES = ["pdf", "jpg", "png"]
AUTHORISATION_MAX_SIZE = 10 * 1024 * 1024


_LOCKED_FOR_FILES = Reusable(
    lambda pk: (
        Dossier.objects.select_for_update()
        .only("id", "owner_id", "status", "version_id")
        .filter(pk=pk)[:1]
    ),
    -7_300_041,
)


def add_file(
    dossier: Dossier,
    *,
    actor: User,
    component_id,
    name: str,
    content: bytes,
    purpose: str = DossierFile.Purpose.INITIAL,
) -> DossierFile:
    """Attach one file to a draft (or, for ``supplement``, to a dossier awaiting one)."""
    with transaction.atomic():
        # Only what the checks read: a join here would also lock the procedure version's row,
        # which every upload to the same procedure would then queue on.
        found = _LOCKED_FOR_FILES(dossier.pk)
        if not found:
            raise Dossier.DoesNotExist("Dossier matching query does not exist.")
        d = found[0]
        if d.owner_id != actor.pk:
            raise DossierError("not_found", "Không tìm thấy hồ sơ.", 404)
        if purpose == DossierFile.Purpose.SUPPLEMENT:
            if d.status != Status.SUPPLEMENT_REQUESTED:
                raise DossierError("not_allowed", "Hồ sơ không ở trạng thái chờ bổ sung.", 409)
        elif d.status != Status.DRAFT:
            raise DossierError("not_draft", "Hồ sơ đã nộp, không thêm tệp được nữa.", 409)
        if purpose == DossierFile.Purpose.AUTHORISATION:
            component, allowed, max_size = None, AUTHORISATION_TYPES, AUTHORISATION_MAX_SIZE
        else:
            replacing = purpose if purpose == DossierFile.Purpose.INITIAL else None
            component = _component(d, component_id, replacing=replacing)
            allowed, max_size = component.allowed_types, component.max_size
        try:
            checked = check_upload(name, content, allowed_types=allowed, max_size=max_size)
        except UploadError as exc:
            raise DossierError(
                "file_too_large" if exc.status == 413 else "invalid_file",
                exc.message,
                exc.status,
                fields={"file": [exc.message]},
            ) from None
        if (
            component is not None
            and not component.multiple
            and purpose == DossierFile.Purpose.INITIAL
            and component.replaces
        ):
            # One file per component unless the component allows several: a new upload
            # replaces the old one instead of piling up. ``replaces`` was read under the
            # dossier's row lock, which every change to its files takes first.
            for old in d.files.filter(component=component, purpose=purpose):
                _remove(old)
        return _store(d, checked, component=component, purpose=purpose, actor=actor)


def _remove(record: DossierFile) -> None:
    name = record.file.name
    record.delete()
    transaction.on_commit(lambda: private_storage().delete(name))


def remove_file(dossier: Dossier, *, actor: User, file_id) -> None:
    """Remove a file from a draft, or a supplement file not yet sent: a citizen who picked
    the wrong scan must be able to take it back before the officer sees it."""
    with transaction.atomic():
        d = Dossier.objects.select_for_update().get(pk=dossier.pk)
        if d.owner_id != actor.pk:
            raise DossierError("not_found", "Không tìm thấy hồ sơ.", 404)
        if d.status == Status.SUPPLEMENT_REQUESTED:
            files = d.files.filter(
                purpose=DossierFile.Purpose.SUPPLEMENT, uploaded_at__gte=d.supplement.requested_at
            )
        elif d.status == Status.DRAFT:
            files = d.files.all()
        else:
            raise DossierError("not_draft", "Hồ sơ đã nộp, không sửa được nữa.", 409)
        try:
            record = files.filter(public_id=file_id).first()
        except ValidationError:
            record = None  # not a UUID: the same answer as an unknown file
        if record is None:
            raise DossierError("not_found", "Không tìm thấy tệp.", 404)
        _remove(record)


# --- status changes ------------------------------------------------------------------------


def _may_act(dossier: Dossier, t: lifecycle.Transition, actor: User) -> bool:
    if lifecycle.OWNER in t.actors and dossier.owner_id == actor.pk:
        return True
    if lifecycle.CONSULTED in t.actors:
        return consultations.open_for(actor, dossier).exists()
    roles = [r for r in t.actors if r not in (lifecycle.OWNER, lifecycle.CONSULTED)]
    if not roles:
        return False
    agencies = transitions.agencies_of(dossier)
    return StaffMembership.objects.filter(
        user=actor, role__in=roles, agency_id__in=agencies
    ).exists()


# of=self: without it PostgreSQL also locks the joined version, procedure, agency and owner
# rows, so every dossier of a procedure queued behind the others and deadlocked against the
# key-share locks that inserting a new draft takes on those rows. Compiled once (core.orm):
# every status change runs it.
_LOCKED = Reusable(
    lambda pk: (
        Dossier.objects.select_for_update(of=("self",))
        .select_related(
            "version", "version__procedure", "receiving_agency", "owner", "current_step"
        )
        .filter(pk=pk)[:1]
    ),
    -7_300_001,
)


def perform(
    dossier: Dossier,
    action: str,
    actor: User,
    *,
    note: str = "",
    expected_version: int | None = None,
    **params,
) -> Dossier:
    """Fire ``action`` on ``dossier``: one call, one transaction, one history event.

    ``expected_version`` is the ``lock_version`` the officer's page or API answer showed:
    when someone acted on the dossier since, nothing changes and the caller is told so. The
    write itself is conditional on the version read under the row lock, so two officers
    acting at once can never both succeed, whatever the database's locking."""
    t = lifecycle.transition(action)
    if t is None:
        raise DossierError("unknown_action", "Thao tác không tồn tại.", 400)
    with transaction.atomic():
        found = _LOCKED(dossier.pk)
        if not found:
            raise Dossier.DoesNotExist("Dossier matching query does not exist.")
        d = found[0]
        seen = d.lock_version
        read = _columns(d)
        if expected_version is not None and str(expected_version) != str(seen):
            raise _conflict()
        if not _may_act(d, t, actor):
            if d.owner_id != actor.pk and not actor.is_staff:
                raise DossierError("not_found", "Không tìm thấy hồ sơ.", 404)
            raise DossierError(
                "permission_denied", "Bạn không có quyền thực hiện thao tác này.", 403
            )
        if d.status not in t.sources:
            raise DossierError(
                "action_not_allowed",
                f"Không thể «{t.label.lower()}» khi hồ sơ đang ở trạng thái «{d.get_status_display()}».",
                409,
            )
        step_action = transitions.step_action(d, action, actor)
        before = d.status
        data = _EFFECTS[action](d, actor, note=note, step_action=step_action, **params) or {}
        if t.target is not None:
            d.status = t.target
        if action == "receive_at_counter":
            step_action = _intake_action(d)
        data.update(
            transitions.move(
                d,
                step_action,
                actor,
                action=action,
                status_before=before,
                assignee=params.get("assignee"),
            )
        )
        for _, answer in transitions.performed.send(
            sender=Dossier,
            dossier=d,
            action=action,
            step_action=step_action,
            actor=actor,
            note=note or data.get("_note", ""),
            data=data,
            params=params,
        ):
            data.update(answer or {})
        _write(d, read, seen)
        note = note or data.pop("_note", "")
        history = _record(
            d,
            action,
            actor,
            note,
            data,
            first=before == Status.DRAFT and lifecycle.DRAFT_HAS_NO_HISTORY,
        )
        if d.code:
            _refresh_tracking_card(d, history)
        # The applicant's e-mail for this step, in this transaction's outbox (one place).
        citizen_notices.dossier_changed(d, action, note=note, data=data)
    return d


_COLUMNS = tuple(
    f.attname for f in Dossier._meta.concrete_fields if not f.primary_key and f.name != "updated_at"
)


def _columns(d: Dossier) -> tuple:
    # Every column is an immutable value (no JSON on the dossier), so a tuple is a snapshot.
    return tuple(getattr(d, name) for name in _COLUMNS)


def _write(d: Dossier, read: tuple, seen: int) -> None:
    """One UPDATE of the columns the action changed, conditional on the version read under
    the lock: the optimistic check and the write are the same statement, and a submission
    does not rewrite the forty columns it left alone. It bypasses ``Dossier.save``, so what
    save derives (the folded name the staff search reads) is derived here too."""
    d.applicant_name_folded = fold(d.applicant_name)[:150]
    changed = {
        name: value
        for name, before, value in zip(_COLUMNS, read, _columns(d), strict=True)
        if value != before
    }
    d.lock_version = changed["lock_version"] = seen + 1
    d.updated_at = changed["updated_at"] = timezone.now()
    if not Dossier.objects.filter(pk=d.pk, lock_version=seen).update(**changed):
        raise _conflict()


def _conflict() -> DossierError:
    return DossierError(
        "conflict",
        "Hồ sơ vừa được cán bộ khác xử lý. Vui lòng tải lại trang để xem trạng thái mới nhất"
        " trước khi thao tác.",
        409,
    )


def _bind_process(d: Dossier) -> None:
    """The dossier keeps the process version in force when it enters the office."""
    start = start_in_force(d.version.procedure_id)
    if start is not None:
        d.process = start.process
        d.current_step = start


def _intake_action(d: Dossier):
    """At the counter reception and acceptance are one: the process goes on from where its
    acceptance leads."""
    if d.process_id is None:
        return None
    return next((a for a in transitions.available(d) if a.code == "accept"), None)


def _record(
    d: Dossier, action: str, actor: User | None, note: str, data: dict, *, first: bool = False
) -> list[tuple]:
    """Append the event, chained to the previous one; the dossier's whole public history
    (at, action, status), oldest first, read in the same query as the previous hash.

    ``first``: the dossier was a draft, and a draft has no history (events are written only
    here, and every transition out of a draft leaves it: ``lifecycle.DRAFT_HAS_NO_HISTORY``),
    so there is nothing to read."""
    earlier = (
        []
        if first
        else list(
            DossierEvent.objects.filter(dossier_id=d.pk)
            .order_by("at", "id")
            .values_list("at", "action", "status", "hash")
        )
    )
    previous = earlier[-1][3] if earlier else ""
    event = DossierEvent(
        dossier=d,
        at=timezone.now(),
        action=action,
        status=d.status,
        actor=actor,
        actor_name=actor.display_name if actor else "Hệ thống",
        note=note,
        data=data,
        prev_hash=previous,
    )
    event.hash = chain_hash(
        previous,
        {
            "dossier": d.pk,
            "at": event.at.isoformat(),
            "action": action,
            "status": d.status,
            "actor": actor.pk if actor else None,
            "note": note,
            "data": data,
        },
    )
    event.save()
    # Sorted as the history page orders it (at, then id: the new event has the largest id).
    history = [row[:3] for row in earlier] + [(event.at, action, d.status)]
    return sorted(history, key=lambda row: row[0])


def _refresh_tracking_card(d: Dossier, history: list[tuple]) -> None:
    """Rewrite the public tracking answer in the transaction of the event that changed it, so
    a lookup never shows a state the dossier is not in (``dossiers.tracking``)."""
    body = tracking.render(tracking.card_data(d, history))
    card = TrackingCard(code=d.code, dossier_id=d.pk, id_number=d.applicant_id_number, body=body)
    TrackingCard.objects.bulk_create(
        [card], update_conflicts=True, unique_fields=["code"], update_fields=["id_number", "body"]
    )


def rebuild_tracking_cards() -> int:
    """Rewrite every submitted dossier's card from its rows (``motcua rebuild-tracking-cards``):
    after a release that changes the labels or the shape, or data restored from elsewhere."""
    return tracking.rebuild(Dossier, DossierEvent, TrackingCard, replace=True)


def _applicant_errors(d: Dossier) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if len(d.applicant_name) < 2:
        errors["applicant.full_name"] = ["Vui lòng nhập họ và tên chủ hồ sơ."]
    try:
        validators.validate_id_number(d.applicant_id_number)
    except ValueError as exc:
        try:
            validators.validate_tax_code(d.applicant_id_number)
        except ValueError:
            errors["applicant.id_number"] = [str(exc)]
    try:
        validators.validate_mobile(d.applicant_phone)
    except ValueError as exc:
        errors["applicant.phone"] = [str(exc)]
    if d.on_behalf:
        if len(d.submitter_name) < 2:
            errors["submitter.full_name"] = ["Vui lòng nhập họ và tên người nộp thay."]
        try:
            validators.validate_id_number(d.submitter_id_number)
        except ValueError as exc:
            errors["submitter.id_number"] = [str(exc)]
        if not d.files.filter(purpose=DossierFile.Purpose.AUTHORISATION).exists():
            errors["authorisation"] = ["Vui lòng đính kèm văn bản ủy quyền."]
    return errors


def _delivery_errors(d: Dossier) -> dict[str, list[str]]:
    allowed = d.version.delivery_methods or ["counter"]
    if d.delivery_method not in allowed:
        return {"delivery.method": ["Vui lòng chọn hình thức nhận kết quả."]}
    if d.delivery_method == "post":
        errors = {}
        if d.delivery_commune is None or d.delivery_commune.level == "province":
            errors["delivery.commune"] = ["Vui lòng chọn xã, phường nhận kết quả qua bưu chính."]
        if len(d.delivery_address) < 5:
            errors["delivery.address"] = ["Vui lòng nhập số nhà, đường, thôn, tổ dân phố."]
        return errors
    return {}


def _missing(version_id, dossier_id):
    attached = DossierFile.objects.filter(
        dossier_id=dossier_id, component_id=OuterRef("pk"), purpose=DossierFile.Purpose.INITIAL
    )
    # Within one version the model's ordering is (position, id); naming it spares two joins.
    return (
        Component.objects.filter(version_id=version_id, required=True)
        .exclude(copy_type=Component.CopyType.SHOW_ONLY)
        .filter(~Exists(attached))
        .order_by("position", "id")
    )


_MISSING = Reusable(_missing, -7_300_021, -7_300_022)


def missing_components(d: Dossier) -> list[Component]:
    return _MISSING(d.version_id, d.pk)


def submission_errors(d: Dossier) -> dict[str, list[str]]:
    """Everything that stops a draft from being submitted, keyed like the API's fields."""
    errors = _applicant_errors(d)
    errors.update(_delivery_errors(d))
    for component in missing_components(d):
        errors[f"components.{component.pk}"] = [f"Chưa đính kèm «{component.name}»."]
    return errors


def _submit(d: Dossier, actor: User, **params) -> dict:
    today = timezone.localdate()
    if not (
        d.version.valid_from <= today
        and (d.version.valid_to is None or today <= d.version.valid_to)
    ):
        raise DossierError(
            "procedure_changed",
            "Thủ tục đã được sửa đổi từ khi bạn bắt đầu khai; vui lòng tạo hồ sơ mới theo quy định hiện hành.",
            409,
        )
    errors = submission_errors(d)
    if errors:
        raise DossierError(
            "validation_error", "Hồ sơ chưa đủ thông tin hoặc thành phần bắt buộc.", 400, errors
        )
    d.code = next_code(d.receiving_agency.code, today)
    d.submitted_at = timezone.now()
    d.sub_state = "waiting_reception"
    _bind_process(d)
    d.wizard_step = ""
    return {"code": d.code, "channel": d.channel}


def _supplement_items(items) -> list[str]:
    """Each item as one line: a text, or ``{"name", "reason"}`` (what is missing and why,
    Decree 118 Art. 11), both of which must then be given."""
    lines = []
    for item in items or []:
        if isinstance(item, dict):
            name = nfc(str(item.get("name") or "")).strip()
            reason = nfc(str(item.get("reason") or "")).strip()
            if not name or not reason:
                message = "Mỗi nội dung cần bổ sung phải có tên giấy tờ và lý do."
                raise DossierError("validation_error", message, 400, {"items": [message]})
            lines.append(f"{name}: {reason}"[:500])
        elif str(item).strip():
            lines.append(nfc(str(item)).strip()[:500])
    return lines


def _request_supplement(
    d: Dossier, actor: User, *, note: str = "", items=None, deadline=None, **_
) -> dict:
    if SupplementRequest.objects.filter(dossier=d).exists():
        raise DossierError(
            "supplement_once",
            "Hồ sơ đã được yêu cầu bổ sung một lần; theo quy định chỉ được yêu cầu bổ sung một lần.",
            409,
        )
    items = _supplement_items(items)
    if not note.strip() or not items:
        raise DossierError(
            "validation_error",
            "Cần nêu lý do và từng nội dung phải bổ sung.",
            fields={
                "items": ["Cần ít nhất một nội dung phải bổ sung."],
                "note": ["Cần nêu lý do."],
            },
        )
    SupplementRequest.objects.create(
        dossier=d,
        requested_by=actor,
        status_before=d.status,
        reason=note,
        items=items,
        deadline=deadline,
    )
    d.sub_state = "supplement_requested"
    return {"items": items}


def _submit_supplement(d: Dossier, actor: User, *, note: str = "", **_) -> dict:
    request = d.supplement
    new_files = d.files.filter(
        purpose=DossierFile.Purpose.SUPPLEMENT, uploaded_at__gte=request.requested_at
    )
    if not new_files.exists():
        raise DossierError(
            "validation_error",
            "Vui lòng đính kèm giấy tờ bổ sung trước khi gửi.",
            fields={"files": ["Chưa có tệp bổ sung nào."]},
        )
    request.answered_at = timezone.now()
    request.answer_note = note
    request.save(update_fields=["answered_at", "answer_note"])
    d.status = request.status_before
    d.sub_state = "supplement_submitted"
    transitions.resume(d)
    return {"files": [str(f.public_id) for f in new_files]}


def _request_withdrawal(d: Dossier, actor: User, *, note: str = "", **_) -> dict:
    reason = nfc(note)
    if len(reason) < 5:
        raise DossierError(
            "validation_error",
            "Vui lòng nêu lý do rút hồ sơ.",
            fields={"reason": ["Vui lòng nêu lý do rút hồ sơ."]},
        )
    if WithdrawalRequest.objects.filter(dossier=d).exists():
        raise DossierError(
            "already_requested", "Đề nghị rút hồ sơ đã được gửi, đang chờ xác nhận.", 409
        )
    WithdrawalRequest.objects.create(dossier=d, reason=reason[:2000])
    d.sub_state = "withdrawal_requested"
    return {}


def _confirm_withdrawal(d: Dossier, actor: User, **_) -> dict:
    request = WithdrawalRequest.objects.filter(dossier=d, confirmed_at__isnull=True).first()
    if request is None:
        raise DossierError("no_request", "Công dân chưa đề nghị rút hồ sơ này.", 409)
    request.confirmed_at = timezone.now()
    request.confirmed_by = actor
    request.save(update_fields=["confirmed_at", "confirmed_by"])
    d.sub_state = ""
    d.finished_at = request.confirmed_at
    return {"_note": request.reason}


def _receive_at_counter(d: Dossier, actor: User, **_) -> dict:
    """A walk-in citizen's dossier recorded by the officer: received at once (status 2)."""
    if d.channel not in (Channel.COUNTER, Channel.POST):
        raise DossierError("not_counter", "Hồ sơ này không phải hồ sơ nộp trực tiếp.", 409)
    errors = submission_errors(d)
    if errors:
        raise DossierError(
            "validation_error", "Hồ sơ chưa đủ thông tin hoặc thành phần bắt buộc.", 400, errors
        )
    today = timezone.localdate()
    d.code = next_code(d.receiving_agency.code, today)
    d.submitted_at = timezone.now()
    d.sub_state = "received"
    d.wizard_step = ""
    _bind_process(d)
    return {"code": d.code, "channel": d.channel}


_EFFECTS = {
    **transitions.EFFECTS,
    "receive_at_counter": _receive_at_counter,
    "submit": _submit,
    "request_supplement": _request_supplement,
    "submit_supplement": _submit_supplement,
    "request_withdrawal": _request_withdrawal,
    "confirm_withdrawal": _confirm_withdrawal,
    "consult": consultations.consult,
    "answer_consultation": consultations.answer,
}


def submit(dossier: Dossier, actor: User) -> Dossier:
    """Submit a draft. Pressing twice, or a retried request, yields one dossier: the second
    call finds it already submitted and returns it unchanged.

    The caller's instance says whether it is still a draft (the API has just read it), so
    the usual first call reads nothing more before ``perform``. An instance that is stale
    (submitted since it was read) is no risk: ``perform`` locks the row, sees it is no longer
    a draft, and the answer below is the one submission there is."""
    if dossier.status != Status.DRAFT and dossier.owner_id == actor.pk:
        return Dossier.objects.get(pk=dossier.pk)
    try:
        return perform(dossier, "submit", actor)
    except DossierError as exc:
        # Already submitted, by an earlier call on a stale instance or by a concurrent
        # identical request that took the row lock first: answer with that submission.
        if exc.code != "action_not_allowed":
            raise
        done = (
            Dossier.objects.filter(pk=dossier.pk, owner=actor).exclude(status=Status.DRAFT).first()
        )
        if done is None:
            raise
        return done


def purge_abandoned_drafts(*, older_than: dt.timedelta | None = None) -> int:
    """Delete drafts untouched for ``settings.DRAFT_RETENTION`` and their files."""
    cutoff = timezone.now() - (older_than or settings.DRAFT_RETENTION)
    count = 0
    for pk in Dossier.objects.filter(status=Status.DRAFT, updated_at__lt=cutoff).values_list(
        "pk", flat=True
    )[:1000]:
        with transaction.atomic():
            d = (
                Dossier.objects.select_for_update()
                .filter(pk=pk, status=Status.DRAFT, updated_at__lt=cutoff)
                .first()
            )
            if d is None:
                continue
            names = list(d.files.values_list("file", flat=True))
            d.delete()
            transaction.on_commit(lambda names=names: [private_storage().delete(n) for n in names])
            count += 1
    return count


def purge_orphan_files(*, older_than: dt.timedelta = dt.timedelta(hours=6)) -> int:
    """Delete stored files that no row points at: the upload of a transaction that rolled
    back or a process that died between writing the file and committing its row."""
    storage = private_storage()
    cutoff = timezone.now() - older_than
    removed = 0
    for year in _listdir(storage, "dossiers")[0]:
        for month in _listdir(storage, f"dossiers/{year}")[0]:
            folder = f"dossiers/{year}/{month}"
            names = [f"{folder}/{n}" for n in _listdir(storage, folder)[1]]
            known = set(DossierFile.objects.filter(file__in=names).values_list("file", flat=True))
            for name in names:
                if name in known:
                    continue
                try:
                    stale = storage.get_modified_time(name) < cutoff
                except FileNotFoundError:  # another worker's sweep got there first
                    continue
                if stale:
                    storage.delete(name)
                    removed += 1
    return removed


def _listdir(storage, path):
    try:
        return storage.listdir(path)
    except FileNotFoundError:
        return [], []
