"""The step "Thành phần hồ sơ": the file pages of the wizard, and the upload handling that the
supplement page shares with them.

The size limit is installed before Django reads the body (``core.upload_limits``), which is
why these views are CSRF-exempt on the outside and check the token themselves once the
limit is in place. A refused upload never touches the files already attached.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from motcua.core.upload_limits import UploadTooLarge, limit_uploads
from motcua.dossiers import services
from motcua.dossiers.models import DossierFile
from motcua.dossiers.services import DossierError
from motcua.portal import wizard
from motcua.portal.templatetags.portal import megabytes
from motcua.portal.views.drafts import (
    draft_view,
    mark_step,
    next_url,
    reload,
    render_step,
    wants_json,
)

MAX_REQUEST = 60 * 1024 * 1024


def request_limit(components) -> int:
    """The largest file a page allows, once per input on it, and never more than 60 MB."""
    largest = max((c.max_size for c in components), default=0)
    return min(largest * max(len(components), 1), MAX_REQUEST)


def too_large_message(components) -> str:
    largest = max((c.max_size for c in components), default=0)
    return _(
        "Tệp gửi lên quá lớn (mỗi tệp tối đa %(size)s MB). Vui lòng chọn tệp nhỏ hơn hoặc "
        "gửi từng tệp một. Các tệp đã đính kèm trước đó vẫn được giữ nguyên."
    ) % {"size": megabytes(largest)}


def blamed(request, components) -> int | None:
    """Which component an over-size body was meant for, without reading the body: the
    script names it in the URL; a page with one component can only mean that one."""
    wanted = request.GET.get("component", "")
    for c in components:
        if str(c.pk) == wanted:
            return c.pk
    return components[0].pk if len(components) == 1 else None


def save_uploads(request, dossier, components, purpose) -> tuple[dict, int]:
    """Every chosen file through ``services.add_file``; (errors by component, HTTP status)."""
    errors: dict[int, list[str]] = {}
    status = 200
    for component in components:
        for upload in request.FILES.getlist(f"file-{component.pk}"):
            try:
                services.add_file(
                    dossier,
                    actor=request.user,
                    component_id=component.pk,
                    name=upload.name,
                    content=upload.read(),
                    purpose=purpose,
                )
            except DossierError as exc:
                # The latest problem of a component replaces the one before: the citizen
                # reads one sentence per component, about the file they just chose.
                errors[component.pk] = (exc.fields.get("file") or [exc.message])[-1:]
                status = max(status, exc.status)
    return errors, status


def remove_chosen(request, dossier) -> bool:
    """The "Xóa" button beside an attached file; True when a file went."""
    file_id = request.POST.get("remove")
    if not file_id:
        return False
    try:
        services.remove_file(dossier, actor=request.user, file_id=file_id)
    except DossierError:
        return False  # already gone (another tab): nothing to say
    messages.success(request, _("Đã xóa tệp."))
    return True


def blocks(dossier, components, purpose, errors=None, since=None) -> list[dict]:
    """What the page shows per component: its rules, its files, its errors."""
    errors = errors or {}
    files = [f for f in dossier.files.all() if f.purpose == purpose]
    if since is not None:
        files = [f for f in files if f.uploaded_at >= since]
    result = []
    for c in components:
        types = [t.lower() for t in c.allowed_types]
        photo_as_pdf = "pdf" in types and not {"jpg", "jpeg", "png"} & set(types)
        accept = {f".{t}" for t in types} | ({".jpg", ".jpeg", ".png"} if photo_as_pdf else set())
        if "jpg" in types:
            accept.add(".jpeg")
        result.append(
            {
                "component": c,
                "name": f"file-{c.pk}",
                "id": f"id_file-{c.pk}",
                "types": ", ".join(t.upper() for t in types),
                "accept": ",".join(sorted(accept)),
                "photo_as_pdf": photo_as_pdf,
                "files": [f for f in files if f.component_id == c.pk],
                "errors": errors.get(c.pk, []),
            }
        )
    return result


def json_answer(request, dossier, components, purpose, errors, status, since=None):
    """For the background upload: each component's block rendered again, to swap in."""
    html = {
        str(b["component"].pk): render_to_string(
            "portal/dossiers/includes/component.html",
            {"block": b, "dossier": dossier},
            request=request,
        )
        for b in blocks(dossier, components, purpose, errors, since)
    }
    messages_ = [m for texts in errors.values() for m in texts]
    return JsonResponse(
        {"ok": not errors, "errors": messages_, "blocks": html},
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )


def _page_or_404(dossier, page):
    pages = wizard.component_pages(dossier)
    if not 1 <= page <= len(pages):
        raise Http404
    return pages[page - 1]


def error_links(page_blocks, page_error="") -> list[tuple[str, str]]:
    """The error summary of a file page: each message links to its component's input."""
    links = [("#loi-tai-len", page_error)] if page_error else []
    return links + [(f"#{b['id']}", m) for b in page_blocks for m in b["errors"]]


def _render(request, dossier, page, components, errors=None, page_error="", status=200):
    page_blocks = blocks(dossier, components, DossierFile.Purpose.INITIAL, errors)
    return render_step(
        request,
        dossier,
        f"components-{page}",
        "portal/dossiers/components.html",
        {
            "blocks": page_blocks,
            "error_links": error_links(page_blocks, page_error),
            "page_number": page,
            "page_count": len(wizard.component_pages(dossier)),
            "page_error": page_error,
        },
        status,
    )


def _too_large(request, dossier, page, components):
    message = too_large_message(components)
    target = blamed(request, components)
    if wants_json(request):
        return JsonResponse({"ok": False, "errors": [message]}, status=413)
    errors = {target: [message]} if target else {}
    return _render(request, dossier, page, components, errors, "" if target else message, 413)


@csrf_exempt  # checked by _post, once the upload limit is in place
@login_required
@require_http_methods(["GET", "POST"])
@draft_view()
def components(request, dossier, page):
    chunk = _page_or_404(dossier, page)
    if request.method == "POST":
        try:
            limit_uploads(request, request_limit(chunk))
        except UploadTooLarge:
            return _too_large(request, dossier, page, chunk)
        return _post(request, dossier, page, chunk)
    mark_step(request, dossier, f"components-{page}")
    return _render(request, dossier, page, chunk)


def cut_off(request) -> bool:
    """True when the body turned out larger than the limit while it streamed in. Reading
    ``request.FILES`` parses it (the CSRF check usually has already)."""
    request.FILES  # noqa: B018 (parse now, so that the flag is set)
    return request.upload_too_large


@csrf_protect
def _post(request, dossier, page, chunk):
    if cut_off(request):
        return _too_large(request, dossier, page, chunk)
    errors, status = save_uploads(request, dossier, chunk, DossierFile.Purpose.INITIAL)
    removed = remove_chosen(request, dossier)
    dossier = reload(request, dossier)
    if wants_json(request):
        return json_answer(request, dossier, chunk, DossierFile.Purpose.INITIAL, errors, status)
    if errors:
        return _render(request, dossier, page, chunk, errors, status=status)
    here = wizard.find(dossier, f"components-{page}")[0].url
    action = request.POST.get("action")
    if removed or action == "upload":
        return redirect(here)
    if action != "continue":
        messages.success(request, _("Đã lưu bản nháp."))
        return redirect(here)
    attached = {
        f.component_id for f in dossier.files.all() if f.purpose == DossierFile.Purpose.INITIAL
    }
    missing = {
        c.pk: [_("Vui lòng đính kèm «%(name)s».") % {"name": c.name}]
        for c in chunk
        if c.required and c.pk not in attached
    }
    if missing:
        return _render(request, dossier, page, chunk, missing, status=400)
    return redirect(next_url(dossier, f"components-{page}"))
