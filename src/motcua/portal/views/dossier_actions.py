"""What a citizen does to a submitted dossier: "Bổ sung hồ sơ" (when the agency asked for a
supplement) and "Rút hồ sơ" (a request the one-stop office confirms). Both go through
``services.perform``; nothing here changes a status itself.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from motcua.core.upload_limits import UploadTooLarge, limit_uploads
from motcua.dossiers import selectors, services
from motcua.dossiers.models import DossierFile
from motcua.dossiers.services import DossierError
from motcua.portal.dossier_forms import SupplementForm, WithdrawForm
from motcua.portal.views.components import (
    blamed,
    blocks,
    cut_off,
    error_links,
    json_answer,
    remove_chosen,
    request_limit,
    save_uploads,
    too_large_message,
)
from motcua.portal.views.dossiers import own
from motcua.portal.views.drafts import reload, wants_json


def _supplement_page(request, dossier, form, errors=None, page_error="", status=200):
    components = list(dossier.version.components.all())
    asked = dossier.supplement
    purpose = DossierFile.Purpose.SUPPLEMENT
    page_blocks = blocks(dossier, components, purpose, errors, since=asked.requested_at)
    links = error_links(page_blocks, page_error)
    links += [(f"#{form[name].id_for_label}", m) for name, ms in form.errors.items() for m in ms]
    return render(
        request,
        "portal/dossiers/supplement.html",
        {
            "dossier": dossier,
            "supplement": asked,
            "form": form,
            "blocks": page_blocks,
            "error_links": links,
            "page_error": page_error,
        },
        status=status,
    )


@csrf_exempt  # checked by _supplement_post, once the upload limit is in place
@login_required
@require_http_methods(["GET", "POST"])
def supplement(request, code):
    dossier = own(request, code)
    if not selectors.may_supplement(dossier):
        messages.info(request, _("Hồ sơ này không ở trạng thái chờ bổ sung."))
        return redirect("portal:dossier", code=dossier.reference)
    components = list(dossier.version.components.all())
    if request.method == "POST":
        try:
            limit_uploads(request, request_limit(components))
        except UploadTooLarge:
            return _supplement_too_large(request, dossier, components)
        return _supplement_post(request, dossier, components)
    return _supplement_page(request, dossier, SupplementForm())


def _supplement_too_large(request, dossier, components):
    message = too_large_message(components)
    if wants_json(request):
        return JsonResponse({"ok": False, "errors": [message]}, status=413)
    # Next to the component whose "Tải lên" was pressed, when the address names it.
    target = blamed(request, components)
    errors = {target: [message]} if target else {}
    return _supplement_page(
        request, dossier, SupplementForm(), errors, "" if target else message, status=413
    )


@csrf_protect
def _supplement_post(request, dossier, components):
    if cut_off(request):
        return _supplement_too_large(request, dossier, components)
    purpose = DossierFile.Purpose.SUPPLEMENT
    errors, status = save_uploads(request, dossier, components, purpose)
    removed = remove_chosen(request, dossier)
    dossier = reload(request, dossier)
    since = dossier.supplement.requested_at
    if wants_json(request):
        return json_answer(request, dossier, components, purpose, errors, status, since)
    form = SupplementForm(request.POST)
    if errors or not form.is_valid():
        return _supplement_page(request, dossier, form, errors, status=max(status, 400))
    here = reverse("portal:dossier-supplement", kwargs={"code": dossier.reference})
    if removed or request.POST.get("action") != "send":
        return redirect(here)
    try:
        services.perform(dossier, "submit_supplement", request.user, note=form.cleaned_data["note"])
    except DossierError as exc:
        return _supplement_page(
            request, dossier, form, page_error=_(exc.message), status=exc.status
        )
    messages.success(request, _("Đã gửi hồ sơ bổ sung. Cán bộ sẽ kiểm tra và tiếp tục giải quyết."))
    return redirect("portal:dossier", code=dossier.reference)


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request, code):
    """Reason, then a confirmation page, then the request; the one-stop office confirms."""
    dossier = own(request, code)
    if "request_withdrawal" not in selectors.owner_actions(dossier):
        messages.info(request, _("Không thể rút hồ sơ ở trạng thái hiện tại."))
        return redirect("portal:dossier", code=dossier.reference)
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    context = {"dossier": dossier, "form": form}
    if request.method == "POST" and form.is_valid():
        if not request.POST.get("confirm"):
            return render(request, "portal/dossiers/withdraw_confirm.html", context)
        try:
            services.perform(
                dossier, "request_withdrawal", request.user, note=form.cleaned_data["reason"]
            )
        except DossierError as exc:
            form.add_error("reason" if "reason" in exc.fields else None, _(exc.message))
        else:
            messages.success(
                request,
                _("Đã gửi đề nghị rút hồ sơ. Bộ phận Một cửa sẽ xác nhận và thông báo cho bạn."),
            )
            return redirect("portal:dossier", code=dossier.reference)
    status = 400 if form.errors else 200
    return render(request, "portal/dossiers/withdraw.html", context, status=status)
