"""Where a rendered page of the officer's work list (``GET /api/v1/staff/dossiers``) is
kept, and the middleware that answers a kept page without the rest of the stack.

The key holds the officer's scope (roles, agencies, the steps of those roles), the desk clock
of their agencies and themselves (``dossiers.desk_clock``: the database moves it in the
transaction of every write that can change the list, so a page kept by any server process
is never stale), the catalogue's generation (names), the language, the exact URL (filters,
page) and the minute (shifted per page), so that "sắp đến hạn / quá hạn", which move with
the clock alone, are at most a minute behind.

An officer refreshing the queue is the common case; for it the sessions, CSRF, messages,
OTP and lockout middleware and DRF's request wrapping, negotiation and pagination cost
several times the two statements the answer needs (the token, then the memberships with the
clock). ``StaffQueueMiddleware`` answers such a request right after the security headers
when the page is kept, exactly as the view would; anything else (no or a bad token, not an
officer, a page not kept, another method) goes on to the view, which keeps the page.
"""

from __future__ import annotations

import hashlib
import zlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone

from motcua.accounts.services import user_for_api_token
from motcua.catalog.selectors import catalogue_generation
from motcua.core.middleware import chosen_language
from motcua.dossiers import desk_clock, queues

PATH = "/api/v1/staff/dossiers"
# A kept page lives a minute at most (its key changes with the minute anyway).
KEPT_SECONDS = 60
ALLOW = "GET, POST, HEAD, OPTIONS"


def page_key(request, user_id: int) -> tuple[str, queues.Scope]:
    """The cache key of the page ``request`` asks for, and the officer's scope. Reads the
    clock, so call it BEFORE reading the page: a write committed in between then leaves a
    newer page under the older key, never an older page under the newer one."""
    memberships, stamp, steps_clock = desk_clock.memberships_and_stamp(user_id)
    scope = queues.scope_of(user_id, memberships, steps_clock)
    parts = "|".join(
        [
            repr(scope),
            stamp,
            str(catalogue_generation()),
            chosen_language(request),
            request.build_absolute_uri(),
        ]
    ).encode()
    # The minute, shifted by a few seconds proper to the page: every kept page expiring at
    # the same second made each process draw all its pages again at once, a burst that set
    # the p99 (bench). Still at most a minute behind the clock.
    shift = zlib.crc32(parts) % KEPT_SECONDS
    minute = int((timezone.now().timestamp() + shift) // KEPT_SECONDS)
    return f"api:staff-queue:{hashlib.sha256(parts).hexdigest()}:{minute}", scope


def kept_page(request) -> bytes | None:
    """The kept page for this request's bearer token, or None (the view decides then)."""
    parts = request.META.get("HTTP_AUTHORIZATION", "").split()
    if len(parts) != 2 or parts[0].lower() != "bearer":
        return None
    user = user_for_api_token(parts[1])
    if user is None or not user.is_staff:
        return None
    return cache.get(page_key(request, user.pk)[0])


def answer(body: bytes) -> HttpResponse:
    response = HttpResponse(body, content_type="application/json")
    response.headers["Allow"] = ALLOW
    return response


class StaffQueueMiddleware:
    """Placed after the security headers middleware, so a kept page carries the same security
    headers as every other answer; the ones the skipped middleware add are set here."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info != PATH or request.method != "GET":
            return self.get_response(request)
        body = kept_page(request)
        if body is None:
            return self.get_response(request)
        response = answer(body)
        response.headers["X-Frame-Options"] = settings.X_FRAME_OPTIONS
        response.headers["Content-Language"] = chosen_language(request)
        response.headers["Content-Length"] = str(len(body))
        return response
