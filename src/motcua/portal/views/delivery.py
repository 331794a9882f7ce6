"""The step "Hình thức nhận kết quả": at the counter, by post to a structured address, or
online.

Without JavaScript the commune list follows the province through the "Cập nhật danh sách
xã, phường" button (the step is saved and shown again); portal.js fetches ``communes``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from motcua.catalog.models import DeliveryMethod
from motcua.dossiers import selectors, services
from motcua.dossiers.services import Delivery
from motcua.portal import wizard
from motcua.portal.dossier_forms import DeliveryForm
from motcua.portal.views.drafts import (
    GET_POST,
    draft_view,
    mark_step,
    reload,
    render_step,
    saved_message,
)


def place(dossier):
    """(province, commune) of the saved delivery address; a province alone is kept while
    the citizen has not picked the commune yet."""
    unit = dossier.delivery_commune
    if unit is None:
        return None, None
    if unit.level == "province":
        return unit, None
    return unit.parent, unit


def _delivery_form(dossier, data=None):
    if data is not None:
        province_code = data.get("province", "")
    else:
        province, _commune = place(dossier)
        province_code = province.code if province else ""
    communes = selectors.delivery_communes(province_code) if province_code else []
    province, commune = place(dossier)
    return DeliveryForm(
        data,
        methods=dossier.version.delivery_methods or ["counter"],
        provinces=selectors.delivery_provinces(),
        communes=communes,
        initial={
            "method": dossier.delivery_method,
            "province": province.code if province else "",
            "commune": commune.code if commune else "",
            "address": dossier.delivery_address,
        },
    )


def _delivery_page(request, dossier, form, status=200):
    return render_step(
        request,
        dossier,
        "delivery",
        "portal/dossiers/delivery.html",
        {"form": form, "agency": dossier.receiving_agency},
        status,
    )


@login_required
@require_http_methods(GET_POST)
@draft_view()
def delivery(request, dossier):
    if request.method == "GET":
        mark_step(request, dossier, "delivery")
        return _delivery_page(request, dossier, _delivery_form(dossier))
    data = request.POST
    method = data.get("method", "")
    method = method if method in DeliveryMethod.values else ""
    province, commune = data.get("province", "")[:5], data.get("commune", "")[:5]
    if commune and not selectors.delivery_communes(province).filter(code=commune).exists():
        commune = ""  # the province changed: its old commune no longer applies
    place = Delivery(method=method, commune=commune or province, address=data.get("address", ""))
    if method and method != "post":
        place = Delivery(method=method)  # an address for the post only, never left behind
    dossier = services.update_draft(
        dossier, actor=request.user, delivery=place, wizard_step="delivery"
    )
    action = data.get("action")
    if action == "refresh":
        return redirect(f"{wizard.find(dossier, 'delivery')[0].url}#id_commune")
    if action != "continue":
        messages.success(request, saved_message())
        return redirect("portal:draft-delivery", public_id=dossier.public_id)
    dossier = reload(request, dossier)
    form = _delivery_form(dossier, data)
    form.is_valid()
    errors = wizard.step_errors(services.submission_errors(dossier), "delivery")
    for key, texts in errors.items():
        for text in texts:
            form.add_error(wizard.field_of(key), _(text))
    if form.errors:
        return _delivery_page(request, dossier, form, 400)
    return redirect("portal:draft-review", public_id=dossier.public_id)


@require_GET
def communes(request, province):
    """The communes of a province for the delivery page's script (without it, the page's
    "Cập nhật danh sách xã, phường" button reloads the list)."""
    units = selectors.delivery_communes(province[:5]).only("code", "name")
    response = JsonResponse(
        {"communes": [{"code": u.code, "name": u.name} for u in units]},
        json_dumps_params={"ensure_ascii": False},
    )
    response["Cache-Control"] = "public, max-age=3600"
    return response
