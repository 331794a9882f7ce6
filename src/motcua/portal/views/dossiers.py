"""A citizen's dossiers: "Danh sách giao dịch", one dossier's page, the confirmation after
"Nộp hồ sơ", file downloads, supplements and withdrawal.

Every page loads the dossier through ``selectors.own_dossier`` (or ``file_for``), so another
citizen's dossier is a 404 exactly like one that does not exist.
"""

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from motcua.catalog.selectors import fees_due
from motcua.documents.official import FORMS
from motcua.documents.selectors import issued_forms
from motcua.dossiers import selectors
from motcua.dossiers.models import DossierFile
from motcua.dossiers.uploads import ascii_name
from motcua.portal import wizard
from motcua.signing.selectors import dossier_result

PER_PAGE = 20
# The filter's words in the address bar → selectors.STATUS_GROUPS.
GROUPS = {"ban-nhap": "draft", "dang-giai-quyet": "open", "da-ket-thuc": "closed"}


def own(request, code):
    dossier = selectors.own_dossier(request.user, code)
    if dossier is None:
        raise Http404
    return dossier


def withdrawal_pending(dossier) -> bool:
    request = getattr(dossier, "withdrawal", None)
    return request is not None and request.confirmed_at is None


def action_links(dossier) -> list[dict]:
    """What the owner can do next (``selectors.owner_actions``), as links."""
    ref = dossier.reference
    urls = {
        "continue": (_("Tiếp tục khai"), reverse("portal:dossier", kwargs={"code": ref})),
        "discard": (
            _("Xóa bản nháp"),
            reverse("portal:draft-discard", kwargs={"public_id": dossier.public_id}),
        ),
        "submit_supplement": (
            _("Bổ sung hồ sơ"),
            reverse("portal:dossier-supplement", kwargs={"code": ref}),
        ),
        "request_withdrawal": (
            _("Rút hồ sơ"),
            reverse("portal:dossier-withdraw", kwargs={"code": ref}),
        ),
    }
    return [
        {"action": a, "label": urls[a][0], "url": urls[a][1]}
        for a in selectors.owner_actions(dossier)
        if a in urls
    ]


def _row(dossier) -> dict:
    return {
        "dossier": dossier,
        "actions": action_links(dossier),
        "withdrawal_pending": withdrawal_pending(dossier),
    }


def recent_dossiers(user, count: int = 3) -> dict:
    """For "Danh sách giao dịch" on the personal page: the newest few, and how many."""
    qs = selectors.my_dossiers(user)
    rows = [_row(d) for d in qs[:count]]
    return {"recent_dossiers": rows, "dossier_count": qs.count() if rows else 0}


@login_required
@require_GET
def my_dossiers(request):
    group = request.GET.get("nhom", "")
    group = group if group in GROUPS else ""
    paginator = Paginator(selectors.my_dossiers(request.user, GROUPS.get(group)), PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    rows = [_row(d) for d in page.object_list]
    return render(
        request,
        "portal/dossiers/list.html",
        {
            "rows": rows,
            "page": page,
            "page_range": paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1),
            "group": group,
            "groups": [
                ("", _("Tất cả")),
                ("ban-nhap", _("Bản nháp")),
                ("dang-giai-quyet", _("Đang giải quyết")),
                ("da-ket-thuc", _("Đã kết thúc")),
            ],
        },
    )


def _files_by_kind(dossier):
    files = list(dossier.files.all())
    components = list(dossier.version.components.all())
    initial = [
        {
            "component": c,
            "files": [
                f
                for f in files
                if f.component_id == c.pk and f.purpose == DossierFile.Purpose.INITIAL
            ],
        }
        for c in components
    ]
    return {
        "initial": initial,
        "letters": [f for f in files if f.purpose == DossierFile.Purpose.AUTHORISATION],
        "supplements": [f for f in files if f.purpose == DossierFile.Purpose.SUPPLEMENT],
    }


def receipt_url(dossier) -> str | None:
    """The receipt PDF (Mẫu 01), once the release that renders it is installed."""
    try:
        return reverse("portal:dossier-receipt", kwargs={"code": dossier.code})
    except NoReverseMatch:
        return None


@login_required
@require_GET
def detail(request, code):
    dossier = own(request, code)
    if dossier.is_draft:
        # "Tiếp tục khai": back to the step the citizen was on.
        return redirect(wizard.find(dossier, dossier.wizard_step)[0].url)
    return render(
        request,
        "portal/dossiers/detail.html",
        {
            "dossier": dossier,
            "files": _files_by_kind(dossier),
            "events": list(dossier.events.all()),
            "actions": action_links(dossier),
            "withdrawal_pending": withdrawal_pending(dossier),
            "supplement": getattr(dossier, "supplement", None),
            "receipt_url": receipt_url(dossier),
            "fees": fees_due(dossier.version),
            "result": dossier_result(dossier),
            "forms": [
                {"form": f, "title": FORMS[f.form_code].title if f.form_code in FORMS else ""}
                for f in issued_forms(dossier, for_owner=True)
            ],
        },
    )


@login_required
@require_GET
def submitted(request, code):
    dossier = own(request, code)
    if dossier.is_draft:
        return redirect("portal:dossier", code=dossier.reference)
    return render(
        request,
        "portal/dossiers/submitted.html",
        {
            "dossier": dossier,
            "receipt_url": receipt_url(dossier),
            "fees": fees_due(dossier.version),
        },
    )


@login_required
@require_GET
def download(request, code, file_id):
    """A stored file, to its owner or the staff of the agencies handling it; anyone else
    gets the same 404 as for a file that does not exist."""
    record = selectors.file_for(request.user, file_id)
    if record is None or code not in (record.dossier.code, str(record.dossier.public_id)):
        raise Http404
    try:
        handle = record.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=record.content_type)
    # RFC 6266 / 5987: an ASCII fallback for old clients, the real Vietnamese name for others.
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name(record.name)}\"; filename*=UTF-8''{quote(record.name)}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
