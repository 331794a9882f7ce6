"""The home page, the demo mailbox and the site icon."""

from functools import cache
from pathlib import Path

from captcha.models import CaptchaStore
from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from motcua.catalog import selectors as catalog
from motcua.notifications.selectors import mailbox_messages
from motcua.portal.captcha import new_question, question_text
from motcua.portal.forms import agencies_by_kind
from motcua.portal.page_cache import anonymous_page


@anonymous_page
def home(request):
    # The lists by field and by agency are cached as rendered for the catalogue's generation
    # (portal/home.html): read only when the cache misses, hence functions, not lists.
    return render(
        request,
        "portal/home.html",
        {
            "catalogue_generation": catalog.catalogue_generation(),
            "cache_seconds": settings.CATALOGUE_CACHE_SECONDS,
            "fields": catalog.fields_with_procedures,
            "agencies": lambda: agencies_by_kind(catalog.agencies_with_procedures()),
        },
    )


def _mailbox_enabled():
    # Production delivers through a real mail server; this page would leak every message.
    if not settings.MAILBOX_ENABLED:
        raise Http404


def mailbox(request):
    _mailbox_enabled()
    to = request.GET.get("to", "").strip()[:254]
    paginator = Paginator(mailbox_messages(to=to), 20)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "portal/mailbox.html",
        {
            "to": to,
            "page": page,
            "page_range": paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1),
        },
    )


def mailbox_message(request, pk):
    _mailbox_enabled()
    return render(
        request,
        "portal/mailbox_message.html",
        {"message": get_object_or_404(mailbox_messages(), pk=pk)},
    )


@require_GET
def captcha_refresh(request):
    """A new captcha for the "Đổi hình khác" button, so an unreadable image does not cost
    the person what they have typed."""
    key = CaptchaStore.generate_key()
    question = new_question()
    return JsonResponse(
        {
            "key": key,
            "image_url": reverse("portal:captcha-image", kwargs={"key": key}),
            "question_key": question,
            "question": question_text(question),
        },
        json_dumps_params={"ensure_ascii": False},
    )


@cache
def _favicon() -> bytes:
    return (Path(__file__).resolve().parents[1] / "static/portal/img/favicon.ico").read_bytes()


@require_GET
@cache_control(public=True, max_age=7 * 24 * 3600)
def favicon(request):
    """``/favicon.ico``, which browsers, bookmarks and feed readers ask for whatever the
    page's ``<link rel="icon">`` says."""
    return HttpResponse(_favicon(), content_type="image/x-icon")
