"""Public tracking, "Tra cứu hồ sơ": anyone with a dossier code and the applicant's
identification number sees its progress, without any personal data: the dossier's public
tracking card, the very answer the API gives.

The number travels in a POST body, never in the address (addresses end up in logs and
browser history). A wrong number and an unknown code get the very same answer, and each
address gets a limited number of attempts a minute, so codes cannot be enumerated.
"""

from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from motcua.core.throttling import client_address, retry_after
from motcua.dossiers import selectors
from motcua.portal.dossier_forms import TrackingForm

# A family checking a few dossiers never meets it; a script does at once.
PORTAL_RATE = "30/minute"


def _allowed(request) -> bool:
    return not retry_after("portal-tracking", client_address(request), PORTAL_RATE)


@require_http_methods(["GET", "POST"])
def lookup(request, code=""):
    if request.method == "POST" and not _allowed(request):
        return render(request, "portal/tracking/throttled.html", status=429)
    form = TrackingForm(
        request.POST if request.method == "POST" else None, initial={"code": code[:60]}
    )
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        card = selectors.public_tracking(form.cleaned_data["code"], form.cleaned_data["id_number"])
        if card is None:
            context["not_found"] = True
        else:
            context["card"] = card
            # The next visitor of a shared computer should not find the number on screen.
            context["form"] = TrackingForm(initial={"code": card["code"]})
    return render(request, "portal/tracking/lookup.html", context)
