"""What every page of the submission wizard shares: loading the citizen's own draft,
remembering the step they are on, and the caption, back link and heading of a step."""

from functools import wraps

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from motcua.dossiers import selectors, services
from motcua.portal import wizard

GET_POST = ["GET", "POST"]


def saved_message() -> str:
    return _(
        "Đã lưu bản nháp. Bạn có thể tiếp tục khai sau tại Trang cá nhân → Danh sách giao dịch."
    )


def draft_view(done: str = "portal:dossier"):
    """Pass the requester's own draft to the view. Anyone else's draft, or an unknown id,
    is a 404; a draft submitted meanwhile (another tab, a double click) goes to ``done``."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, public_id, **kwargs):
            dossier = selectors.own_dossier(request.user, str(public_id))
            if dossier is None:
                raise Http404
            if not dossier.is_draft:
                return redirect(done, code=dossier.code)
            return view(request, dossier, **kwargs)

        return wrapper

    return decorate


def reload(request, dossier):
    """The draft again, with its files, after a service changed it."""
    return selectors.own_dossier(request.user, str(dossier.public_id))


def mark_step(request, dossier, key: str) -> None:
    """Record where the citizen is, so "Tiếp tục khai" brings them back here."""
    if dossier.wizard_step != key:
        services.update_draft(dossier, actor=request.user, wizard_step=key)
        dossier.wizard_step = key


def wants_json(request) -> bool:
    """portal.js uploads files in the background and asks for JSON; a plain form post
    (no JavaScript) gets the page."""
    return "application/json" in request.headers.get("Accept", "")


def render_step(request, dossier, key: str, template: str, context: dict, status: int = 200):
    step, before, after = wizard.find(dossier, key)
    return render(
        request,
        template,
        {
            "dossier": dossier,
            "version": dossier.version,
            "step": step,
            "back_url": before.url if before else None,
            "next_step": after,
            "progress": wizard.progress(dossier, key),
            "has_errors": status >= 400,
            **context,
        },
        status=status,
    )


def next_url(dossier, key: str) -> str:
    _, _, after = wizard.find(dossier, key)
    return after.url if after else wizard.find(dossier, "review")[0].url
