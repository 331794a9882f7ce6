"""The submission receipt PDF of a dossier, for its owner and the staff who handle it."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET

from motcua.documents import selectors as documents
from motcua.documents.services import submission_receipt_pdf
from motcua.dossiers.selectors import can_view


@login_required
@require_GET
def dossier_receipt(request, code):
    dossier = documents.submitted_online(code)
    # Someone else's dossier answers exactly like one that does not exist.
    if dossier is None or not can_view(request.user, dossier):
        raise Http404
    response = HttpResponse(submission_receipt_pdf(dossier), content_type="application/pdf")
    # Codes are [A-Z0-9.-] (docs/domain.md): safe in a quoted filename as they are.
    response["Content-Disposition"] = f'inline; filename="bien-nhan-{dossier.code}.pdf"'
    # Personal data: never kept by a shared proxy or in the browser's cache.
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def dossier_result(request, code):
    """The signed result (PDF), under the same rule as the API's ``result.url``."""
    from motcua.api.dossier_documents import pdf_response, result_bytes

    found = result_bytes(request.user, code)
    if found is None:
        raise Http404
    return pdf_response(*found)


@login_required
@require_GET
def dossier_form(request, code, form_id):
    """An issued form (PDF): the owner gets the forms addressed to the applicant."""
    from motcua.api.dossier_documents import form_bytes, pdf_response

    found = form_bytes(request.user, code, form_id)
    if found is None:
        raise Http404
    return pdf_response(*found)
