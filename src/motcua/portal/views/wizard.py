"""The submission wizard's first page and its own details: starting a draft, "Thông tin
người nộp", discarding. The other steps are ``views.components`` ("Thành phần hồ sơ"),
``views.delivery`` ("Hình thức nhận kết quả") and ``views.review`` ("Kiểm tra và nộp hồ sơ").

Every POST saves what was typed through ``services.update_draft`` before anything is
checked, so "Lưu nháp", a wrong value or an expired session never loses a saved step; and
what was typed on the page when the session had expired is put back after logging in again
by portal.js (``data-keep-typed``), since the server cannot accept it without a login.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from motcua.catalog.models import OnlineLevel
from motcua.catalog.selectors import get_procedure_version
from motcua.core.upload_limits import UploadTooLarge, limit_uploads
from motcua.dossiers import selectors, services
from motcua.dossiers.models import DossierFile
from motcua.dossiers.services import Applicant, DossierError
from motcua.portal import wizard
from motcua.portal.dossier_forms import ApplicantForm, StartForm
from motcua.portal.views.components import cut_off, remove_chosen
from motcua.portal.views.drafts import (
    GET_POST,
    draft_view,
    mark_step,
    next_url,
    reload,
    render_step,
    saved_message,
)

AUTHORISATION_MAX = services.AUTHORISATION_MAX_SIZE


@login_required
@require_http_methods(GET_POST)
def start(request, code):
    version = get_procedure_version(code)
    if version is None or version.level == OnlineLevel.IN_PERSON:
        raise Http404
    agencies = list(selectors.receiving_agencies(version))
    form = StartForm(request.POST if request.method == "POST" else None, agencies=agencies)
    if request.method == "POST" and (not agencies or form.is_valid()):
        try:
            dossier = services.create_draft(
                owner=request.user,
                procedure_code=code,
                agency_code=form.cleaned_data.get("agency") if agencies else None,
            )
        except DossierError as exc:
            form.add_error("agency" if agencies else None, _(exc.message))
        else:
            return redirect("portal:draft-applicant", public_id=dossier.public_id)
    return render(
        request,
        "portal/dossiers/start.html",
        {
            "version": version,
            "form": form if agencies else None,
            "components": list(version.components.all()),
            "draft": selectors.latest_draft(request.user, code),
        },
        status=400 if form.errors else 200,
    )


# --- Thông tin người nộp ---------------------------------------------------------------------


def _applicant_page(request, dossier, form, status=200):
    letters = [f for f in dossier.files.all() if f.purpose == DossierFile.Purpose.AUTHORISATION]
    return render_step(
        request,
        dossier,
        "applicant",
        "portal/dossiers/applicant.html",
        {"form": form, "letters": letters},
        status,
    )


@csrf_exempt  # checked by _applicant_post, once the upload limit is in place
@login_required
@require_http_methods(GET_POST)
@draft_view()
def applicant(request, dossier):
    if request.method == "POST":
        try:
            limit_uploads(request, AUTHORISATION_MAX)
        except UploadTooLarge:
            form = ApplicantForm(initial=ApplicantForm.initial_from(dossier, request.user))
            form.add_error("authorisation", _("Tệp quá lớn: văn bản ủy quyền tối đa 10 MB."))
            return _applicant_page(request, dossier, form, 413)
        return _applicant_post(request, dossier)
    mark_step(request, dossier, "applicant")
    form = ApplicantForm(initial=ApplicantForm.initial_from(dossier, request.user))
    return _applicant_page(request, dossier, form)


def _owner(data) -> Applicant:
    return Applicant(
        full_name=data.get("full_name", ""),
        id_number=data.get("id_number", ""),
        phone=data.get("phone", ""),
        email=data.get("email", ""),
        address=data.get("address", ""),
    )


def _submitter(data) -> Applicant:
    return Applicant(
        full_name=data.get("submitter_name", ""),
        id_number=data.get("submitter_id_number", ""),
        phone=data.get("submitter_phone", ""),
        email=data.get("submitter_email", ""),
    )


@csrf_protect
def _applicant_post(request, dossier):
    data = request.POST
    form = ApplicantForm(data)
    form.is_valid()
    dossier = services.update_draft(
        dossier,
        actor=request.user,
        applicant=_owner(data),
        on_behalf=bool(data.get("on_behalf")),
        submitter=_submitter(data),
        wizard_step="applicant",
    )
    status = 200
    too_large = cut_off(request)
    letter = None if too_large else request.FILES.get("authorisation")
    if too_large:
        form.add_error("authorisation", _("Tệp quá lớn: văn bản ủy quyền tối đa 10 MB."))
        status = 413
    elif letter is not None:
        try:
            services.add_file(
                dossier,
                actor=request.user,
                component_id=None,
                name=letter.name,
                content=letter.read(),
                purpose=DossierFile.Purpose.AUTHORISATION,
            )
        except DossierError as exc:
            for message in exc.fields.get("file") or [exc.message]:
                form.add_error("authorisation", message)
            status = exc.status
    removed = remove_chosen(request, dossier)
    dossier = reload(request, dossier)
    if status != 200:
        return _applicant_page(request, dossier, form, status)
    action = data.get("action")
    if action != "continue":
        if not removed:
            messages.success(request, saved_message())
        return redirect("portal:draft-applicant", public_id=dossier.public_id)
    errors = wizard.step_errors(services.submission_errors(dossier), "applicant")
    for key, texts in errors.items():
        field = wizard.field_of(key)
        if field not in form.errors:
            for text in texts:
                form.add_error(field, _(text))
    if form.errors:
        return _applicant_page(request, dossier, form, 400)
    return redirect(next_url(dossier, "applicant"))


# --- Xóa bản nháp ----------------------------------------------------------------------------


@login_required
@require_http_methods(GET_POST)
@draft_view()
def discard(request, dossier):
    if request.method == "POST":
        services.discard_draft(dossier, actor=request.user)
        messages.success(request, _("Đã xóa bản nháp."))
        return redirect("portal:my-dossiers")
    return render(request, "portal/dossiers/discard.html", {"dossier": dossier})
