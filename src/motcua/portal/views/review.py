"""The last step, "Kiểm tra và nộp hồ sơ": every answer with a "Sửa" link to its step, what is
still missing linked to where it is fixed, the captcha, and "Nộp hồ sơ" (one dossier
however many times it is pressed).
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from motcua.catalog.selectors import fees_due
from motcua.dossiers import services
from motcua.dossiers.models import DossierFile
from motcua.dossiers.services import DossierError
from motcua.portal import wizard
from motcua.portal.dossier_forms import ApplicantForm, ReviewForm
from motcua.portal.forms import refreshing_captcha
from motcua.portal.views.delivery import place
from motcua.portal.views.drafts import (
    GET_POST,
    draft_view,
    mark_step,
    reload,
    render_step,
)


def _review_page(request, dossier, form, errors, status=200):
    files = list(dossier.files.all())
    rows = []
    for number, page in enumerate(wizard.component_pages(dossier), start=1):
        for component in page:
            attached = [
                f
                for f in files
                if f.component_id == component.pk and f.purpose == DossierFile.Purpose.INITIAL
            ]
            rows.append({"component": component, "files": attached, "page": number})
    province, commune = place(dossier)
    return render_step(
        request,
        dossier,
        "review",
        "portal/dossiers/review.html",
        {
            "form": form,
            "error_links": wizard.error_links(dossier, errors),
            "rows": rows,
            "letters": [f for f in files if f.purpose == DossierFile.Purpose.AUTHORISATION],
            "urls": {s.key: s.url for s in wizard.steps(dossier)},
            "province": province,
            "commune": commune,
            "fees": fees_due(dossier.version),
        },
        status,
    )


def _review_errors(dossier) -> dict[str, list[str]]:
    """The services' reasons plus the shapes they do not check (the e-mail addresses)."""
    errors = services.submission_errors(dossier)
    shapes = ApplicantForm.from_dossier(dossier)
    if not shapes.is_valid():
        if "email" in shapes.errors:
            errors["applicant.email"] = shapes.errors["email"]
        if dossier.on_behalf and "submitter_email" in shapes.errors:
            errors["submitter.email"] = shapes.errors["submitter_email"]
    return errors


@login_required
@require_http_methods(GET_POST)
@draft_view(done="portal:dossier-submitted")
def review(request, dossier):
    if request.method == "GET":
        mark_step(request, dossier, "review")
        return _review_page(request, dossier, ReviewForm(), _review_errors(dossier))
    if refreshing_captcha(request):
        # Only a new captcha: the page as on arrival, nothing marked wrong.
        return _review_page(request, dossier, ReviewForm(), _review_errors(dossier))
    form = ReviewForm(request.POST)
    errors = _review_errors(dossier)
    if form.is_valid() and not errors:
        try:
            submitted = services.submit(dossier, request.user)
        except DossierError as exc:
            current = reload(request, dossier)
            if current is not None and not current.is_draft:
                # The first click of a double click won the race: same dossier, same code.
                return redirect("portal:dossier-submitted", code=current.code)
            errors = exc.fields
            if not errors:
                form.add_error(None, _(exc.message))
        else:
            return redirect("portal:dossier-submitted", code=submitted.code)
    # A bound captcha renders a new picture with an empty answer: the old one is used up.
    return _review_page(request, dossier, form, errors, 400)
