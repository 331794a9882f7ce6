"""The officer's dossier page (/can-bo/ho-so/<code>/) and counter intake.

What an officer may see and fire comes from ``dossiers.queues`` (the same answer as the staff
API); each action is one call to ``dossiers.services.perform``. After success the page
redirects to itself with a confirmation (PRG); a refusal keeps what the officer typed.
"""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from motcua.accounts.models import Role, StaffMembership, User
from motcua.accounts.services import staff_needs_second_factor
from motcua.backoffice import desk_forms
from motcua.catalog.models import Agency, ProcedureVersion
from motcua.catalog.selectors import effective
from motcua.dossiers import consultations, lifecycle, queues, services, transitions
from motcua.dossiers.errors import DossierError
from motcua.dossiers.models import (
    Channel,
    ConsultationFile,
    Dossier,
    DossierEvent,
    DossierFile,
)
from motcua.dossiers.uploads import ascii_name
from motcua.workcalendar.calc import timeliness
from motcua.workcalendar.selectors import calendar_for

INLINE_TYPES = ("application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp")


def _officer(request) -> User:
    """Staff only, and those who owe a second factor must have given it."""
    user = request.user
    if user.kind != User.Kind.STAFF:
        raise PermissionDenied
    # Verified first: asking whether the user owes a factor reads their devices again.
    if not getattr(user, "is_verified", lambda: False)() and staff_needs_second_factor(user):
        raise PermissionDenied
    return user


def _dossier(user: User, code: str) -> Dossier:
    d = (
        Dossier.objects.select_related(
            "version",
            "version__procedure",
            "version__agency",
            "receiving_agency",
            "current_step",
            "assignee",
            "owner",
        )
        .filter(code=code)
        .first()
    )
    seen = queues.seen_as(user, d) if d is not None else None
    if seen is None:
        raise Http404
    d.seen_as_partner = seen == queues.PARTNER
    return d


def _forms(user: User, d: Dossier, bound: str = "", data=None, files=None) -> dict:
    """One form per action the officer may fire now; ``bound`` gets ``data`` and ``files``."""
    targets = {a.code: a.to_step for a in transitions.available(d, user) if a.to_step_id}
    found = {}
    for code in queues.actions_for(user, d):
        cls = desk_forms.form_class(code)
        kwargs = {"code": code, "initial": {"lock_version": d.lock_version}}
        if code == bound and code == "request_supplement" and data and "more" in data:
            # "Thêm dòng": the same rows again plus an empty one, nothing sent yet.
            rows = desk_forms._int(data.get(f"{code}-rows"), 3) + 1
            prefix = f"{code}-"
            kwargs["initial"] = {
                k.removeprefix(prefix): v for k, v in data.items() if k.startswith(prefix)
            }
            kwargs["initial"]["lock_version"] = data.get(f"{code}-lock_version")
            found[code] = cls(rows=rows, **kwargs)
            found[code].opened = True
            continue
        if cls is desk_forms.AssignForm:
            step = targets.get(code)
            if step is not None and not step.is_end:
                kwargs["people"] = transitions.eligible(d, step).order_by("full_name", "id")
                kwargs["step_name"] = step.name
        if cls is desk_forms.TransferForm:
            kwargs["agencies"] = _competent_units(d)
            if not kwargs["agencies"]:
                continue  # nowhere else competent: the action cannot be fired here
        if cls is desk_forms.ConsultForm:
            now = timezone.now()
            kwargs["agencies"] = consultations.partners(d)
            kwargs["default_days"] = consultations.DEFAULT_DAYS
            kwargs["due"] = lambda n, now=now: timezone.localtime(consultations.due_for(d, now, n))
        if cls is desk_forms.AnswerForm:
            kwargs["asked"] = consultations.open_for(user, d).select_related("agency")
        if code == bound:
            found[code] = cls(data, files, **kwargs)
        else:
            found[code] = cls(**kwargs)
    return found


def _competent_units(d: Dossier) -> list[Agency]:
    """Where a dossier may be transferred: the version's agency, or for commune-level
    procedures one of its communes; never the unit deciding it now."""
    version_agency = d.version.agency
    units = Agency.objects.filter(valid_to__isnull=True).filter(
        Q(parent_id=version_agency.pk)
        if version_agency.kind == Agency.Kind.LEVEL_GROUP
        else Q(pk=version_agency.pk)
    )
    return list(units.exclude(pk=transitions.deciding_agency_id(d)).order_by("name_sort", "id"))


def clock(d: Dossier) -> dict:
    """The deadline clock: appointment, step deadline and timeliness, in Vietnamese."""
    now = timezone.now()
    calendar = calendar_for(d.receiving_agency)
    state = step_state = None
    supplements = 1 if hasattr(d, "supplement") else 0
    if d.due_at:
        state = timeliness(
            d.original_due_at or d.due_at,
            finished_at=d.finished_at,
            now=now,
            calendar=calendar,
            supplement_requests=supplements,
        )
    if d.step_due_at and not d.finished_at:
        step_state = timeliness(d.step_due_at, now=now, calendar=calendar)
    return {
        "due_at": d.due_at,
        "original_due_at": d.original_due_at if d.original_due_at != d.due_at else None,
        "step_due_at": d.step_due_at,
        "paused": d.paused_at is not None,
        "paused_for_partner": consultations.waiting_pause(d),
        "state": state,
        "step_state": step_state,
    }


def _history(d: Dossier) -> list[dict]:
    """Every event with its full note; a consulted partner reads the notes the citizen reads
    (the office's notes to each other, other partners' questions and answers stay inside)."""
    partner = getattr(d, "seen_as_partner", False)
    rows = []
    for e in DossierEvent.objects.filter(dossier_id=d.pk).order_by("at", "id"):
        rows.append(
            {
                "at": e.at,
                "label": desk_forms.action_label(e.action),
                "actor": e.actor_name,
                "status": e.get_status_display(),
                "note": e.public_note if partner else e.note,
            }
        )
    return rows


def _page(request, d: Dossier, forms: dict, status: int = 200, problem: str = "", typed=""):
    files = list(
        DossierFile.objects.filter(dossier_id=d.pk)
        .select_related("component")
        .order_by("component__position", "uploaded_at", "id")
    )
    return render(
        request,
        "backoffice/dossier.html",
        {
            "d": d,
            "forms": list(forms.values()),
            "failed": next((f for f in forms.values() if f.is_bound), None),
            "problem": problem,
            "typed": typed,
            "files": files,
            "inline_types": INLINE_TYPES,
            "history": _history(d),
            "clock": clock(d),
            # The stored PDFs stay in the database until one is downloaded.
            "issued_forms": list(
                d.issued_forms.defer("pdf", "context").order_by("issued_at", "id")
            ),
            "results": list(d.signed_results.all()),
            "supplement": getattr(d, "supplement", None),
            "consultations": consultations.of_dossier(
                d, partner=request.user if d.seen_as_partner else None
            ),
            "consulted_only": d.seen_as_partner,
            "now": timezone.now(),
        },
        status=status,
    )


def _put_errors(form, exc: DossierError) -> str:
    """Field errors of the service next to their fields; the rest as the page's message."""
    placed = False
    for field, problems in (exc.fields or {}).items():
        name = desk_forms.SERVICE_FIELDS.get(field, field)
        if form.code == "request_supplement" and name == "items":
            name = "item_0"
        if name in form.fields:
            for message in problems:
                form.add_error(name, message)
            placed = True
    return "" if placed else exc.message


@never_cache
@login_required
def dossier(request, code):
    user = _officer(request)
    d = _dossier(user, code)
    if request.method != "POST":
        return _page(request, d, _forms(user, d))
    action = request.POST.get("action", "")
    forms = _forms(user, d, bound=action, data=request.POST, files=request.FILES)
    form = forms.get(action)
    if form is None:
        # Not open to this officer now (another role, another step, or already done):
        # ``perform`` would refuse it too; say so without touching the dossier.
        message = (
            "Thao tác này không thực hiện được: hồ sơ đã chuyển sang bước khác"
            " hoặc không thuộc vai trò của bạn."
        )
        known = lifecycle.transition(action) is not None
        status = 403 if known else 400
        if known and request.POST.get(f"{action}-lock_version") != str(d.lock_version):
            # The page was stale: someone acted since, which is why the action is gone.
            message, status = services._conflict().message, 409
        typed = (request.POST.get(f"{action}-note") or "").strip()
        return _page(request, d, forms, status=status, problem=message, typed=typed)
    if getattr(form, "opened", False):
        return _page(request, d, forms)
    if not form.is_valid():
        return _page(request, d, forms, status=400)
    try:
        done = services.perform(
            d,
            action,
            user,
            note=form.cleaned_data.get("note", ""),
            expected_version=form.cleaned_data["lock_version"],
            **form.params(),
        )
    except DossierError as exc:
        problem = _put_errors(form, exc)
        return _page(request, d, forms, status=exc.status, problem=problem)
    messages.success(request, f"Đã thực hiện «{form.label}» cho hồ sơ {d.code}.")
    if not queues.may_see(user, done):
        # A partner who has answered no longer sees the dossier: back to their work page.
        return redirect("backoffice:queues")
    return redirect("backoffice:dossier", code=d.code)


def _inline(handle, content_type: str, name: str) -> FileResponse:
    response = FileResponse(handle, content_type=content_type)
    kind = "inline" if content_type in INLINE_TYPES else "attachment"
    response["Content-Disposition"] = (
        f"{kind}; filename=\"{ascii_name(name)}\"; filename*=UTF-8''{quote(name)}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    # A scan shown in the browser runs nothing: no script, no form, no plugin.
    response["Content-Security-Policy"] = (
        "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    )
    return response


@never_cache
@login_required
def dossier_file(request, code, file_id):
    """A file of the dossier, shown in the browser; 404 to anyone who may not see it."""
    user = _officer(request)
    d = _dossier(user, code)
    record = DossierFile.objects.filter(dossier_id=d.pk, public_id=file_id).first()
    if record is None:
        raise Http404
    try:
        handle = record.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return _inline(handle, record.content_type, record.name)


@never_cache
@login_required
def consultation_file(request, code, file_id):
    """A file of a consultation, to those the dossier page shows that consultation to."""
    user = _officer(request)
    d = _dossier(user, code)
    shown = [c.pk for c in consultations.of_dossier(d, partner=user if d.seen_as_partner else None)]
    record = ConsultationFile.objects.filter(consultation_id__in=shown, public_id=file_id).first()
    if record is None:
        raise Http404
    try:
        handle = record.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return _inline(handle, record.content_type, record.name)


@never_cache
@login_required
def issued_form(request, code, form_id):
    user = _officer(request)
    d = _dossier(user, code)
    form = d.issued_forms.filter(public_id=form_id).first()
    if form is None:
        raise Http404
    name = f"mau-{form.form_code}-{d.code}.pdf"
    response = HttpResponse(bytes(form.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@never_cache
@login_required
def signed_result(request, code, result_id):
    user = _officer(request)
    d = _dossier(user, code)
    result = d.signed_results.filter(public_id=result_id).first()
    if result is None:
        raise Http404
    try:
        handle = result.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return _inline(handle, "application/pdf", result.name)


# --- counter intake -------------------------------------------------------------------------


def _desks(user: User) -> list[int]:
    return list(
        StaffMembership.objects.filter(user=user, role=Role.RECEIVER).values_list(
            "agency_id", flat=True
        )
    )


def intake_versions(desks: list[int]):
    """Procedures these one-stop desks receive: their own, and commune-level ones of the
    group their commune belongs to."""
    parents = Agency.objects.filter(pk__in=desks, parent__isnull=False).values("parent_id")
    return (
        ProcedureVersion.objects.filter(effective())
        .filter(Q(agency_id__in=desks) | Q(agency_id__in=parents))
        .select_related("procedure", "agency")
        .order_by("name_sort", "id")
    )


@never_cache
@login_required
def intake(request):
    user = _officer(request)
    desks = _desks(user)
    if not desks:
        raise PermissionDenied
    versions = intake_versions(desks)
    picked = desk_forms.IntakeProcedureForm(
        request.GET if "procedure" in request.GET else None, versions=versions
    )
    version = None
    if picked.is_bound and picked.is_valid():
        version = versions.get(procedure__code=picked.cleaned_data["procedure"])
    if version is None:
        return render(
            request,
            "backoffice/intake.html",
            {"picked": picked, "form": None},
            status=400 if picked.is_bound else 200,
        )
    agencies = []
    if version.agency.kind == Agency.Kind.LEVEL_GROUP:
        agencies = list(
            Agency.objects.filter(pk__in=desks, parent=version.agency).order_by("name_sort", "id")
        )
    components = list(version.components.order_by("position", "id"))
    form = desk_forms.IntakeForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        components=components,
        agencies=agencies,
    )
    problem = ""
    if request.method == "POST" and form.is_valid():
        try:
            done = _record_intake(user, version, form, agencies)
        except DossierError as exc:
            problem = _intake_errors(form, exc)
        else:
            messages.success(
                request,
                f"Đã tiếp nhận hồ sơ {done.code}. Ngày hẹn trả: "
                f"{timezone.localtime(done.due_at):%H:%M ngày %d/%m/%Y}."
                if done.due_at
                else f"Đã tiếp nhận hồ sơ {done.code}.",
            )
            return redirect("backoffice:dossier", code=done.code)
    status = 400 if form.is_bound and (form.errors or problem) else 200
    return render(
        request,
        "backoffice/intake.html",
        {"picked": picked, "form": form, "version": version, "problem": problem},
        status=status,
    )


def _record_intake(user, version, form, agencies) -> Dossier:
    """One transaction: the draft, its scans and the reception (``receive_at_counter``), so a
    refusal leaves nothing behind — the same service calls as the staff API's counter intake."""
    data = form.cleaned_data
    with transaction.atomic():
        draft = services.create_draft(
            owner=user,
            procedure_code=version.procedure.code,
            agency_code=data.get("agency") or (agencies[0].code if len(agencies) == 1 else None),
            applicant=services.Applicant(
                full_name=data["full_name"],
                id_number=data["id_number"],
                phone=data.get("phone", ""),
                email=data.get("email", ""),
                address=data.get("address", ""),
            ),
            delivery=services.Delivery(method=data["delivery"], address=data.get("address", "")),
            note=data.get("note", ""),
            channel=Channel.COUNTER,
        )
        for component, bound in form.components:
            upload = data.get(bound.name)
            if not upload:
                continue
            try:
                services.add_file(
                    draft,
                    actor=user,
                    component_id=component.pk,
                    name=upload.name,
                    content=upload.read(),
                )
            except DossierError as exc:
                # The upload's complaint belongs next to the component it concerns.
                raise DossierError(
                    exc.code, exc.message, exc.status, {bound.name: [exc.message]}
                ) from None
        return services.perform(draft, "receive_at_counter", user)


def _intake_errors(form, exc: DossierError) -> str:
    mapping = {"applicant.full_name": "full_name", "applicant.id_number": "id_number"}
    mapping.update({"applicant.phone": "phone", "applicant.email": "email", "agency": "agency"})
    mapping.update({"delivery.method": "delivery", "delivery.address": "address"})
    placed = False
    for field, problems in (exc.fields or {}).items():
        name = mapping.get(field, field)
        if name.startswith("components."):
            name = "component_" + name.split(".", 1)[1]
        if name in form.fields:
            for message in problems:
                form.add_error(name, message)
            placed = True
    return "" if placed else exc.message
