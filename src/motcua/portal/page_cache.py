"""Whole portal pages, as an anonymous visitor sees them, kept in the cache.

The home page, the catalogue search and a procedure's page are read all day by visitors who
are not signed in, and their catalogue part is already kept as rendered (``views.catalogue``,
``home.html``). What remained was the page around it (layout, header, language switch,
footer) and the middleware behind the session, CSRF, authentication, OTP, messages, htmx and
lockout: together about four times the cost of ``/healthz`` (profiled), for bytes that are
the same for every anonymous visitor of the same page, in the same language, on the same
day and catalogue generation. ``AnonymousPageMiddleware`` answers those from the cache.

What keeps it right:
- only a visitor who cannot be signed in and has nothing of their own to see is served, or
  stored: a GET without a session cookie (no session, so no login and no messages kept in
  it), without a messages cookie, and not an htmx request; anyone else goes through the
  whole stack as before. A page is stored only from such a request, by a view marked with
  ``anonymous_page``, when the answer is a 200 HTML page whose only cookie is the CSRF one;
- the CSRF token is the visitor's own: the stored page holds a placeholder where the token
  was, and each answer puts in a token freshly masked from the visitor's own secret, set in
  the CSRF cookie exactly as ``CsrfViewMiddleware`` does (a new secret for a new visitor);
- the key holds the catalogue generation (every catalogue write bumps it, so a write shows
  at once wherever the cache is shared; a per-process cache may lag by
  ``CATALOGUE_CACHE_SECONDS``, as the other catalogue caches do), the day, the language
  and the exact path and query string (the language switch sends the visitor back to it);
- it sits below the security headers, the NUL check, the host check (``CommonMiddleware``)
  and the language choice, which every answer still passes; the headers of the skipped
  middleware (X-Frame-Options, Vary) are stored with the page.
"""

import functools
import hashlib
import re

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware, _unmask_cipher_token, get_token
from django.utils import timezone

from motcua.catalog.selectors import catalogue_generation

# NUL never reaches a page (core.middleware.RejectNulMiddleware, PostgreSQL text), so this
# cannot be part of what was rendered.
PLACEHOLDER = "\x00csrf-token\x00"
# A masked CSRF token: 64 characters of Django's alphabet (letters and digits).
_TOKEN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9])")
_FORM_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]*)"')
# Headers that belong to one answer, not to the page.
_NOT_STORED = {"content-length", "set-cookie", "date"}
LARGEST = 512 * 1024
# Paths a marked view has answered with a page: only these are looked up, so that every
# other request (``/healthz`` among them) pays nothing for this. Bounded by the catalogue: a
# procedure code that does not exist answers 404 and is not kept.
_PATHS: set[str] = set()


def anonymous_page(view):
    """Marks ``view``'s answers to anonymous visitors as the same for all of them (see the
    module's docstring for what that requires of the view: no per-visitor content but the
    CSRF token, no side effects)."""

    @functools.wraps(view)
    def marked(request, *args, **kwargs):
        # Read before the page is: a catalogue write while it renders then keeps it under
        # the older generation, which no later request asks for.
        request.anonymous_page_generation = catalogue_generation()
        return view(request, *args, **kwargs)

    return marked


def _servable(request) -> bool:
    cookies = request.COOKIES
    return (
        request.method == "GET"
        and bool(settings.CATALOGUE_CACHE_SECONDS)
        and settings.SESSION_COOKIE_NAME not in cookies
        and CookieStorage.cookie_name not in cookies
        and "HTTP_HX_REQUEST" not in request.META
    )


def _key(request, generation: int) -> str:
    target = f"{request.path}?{request.META.get('QUERY_STRING', '')}"
    digest = hashlib.sha256(target.encode("utf-8", "surrogateescape")).hexdigest()
    return f"portal:page:{generation}:{timezone.localdate()}:{request.LANGUAGE_CODE}:{digest}"


class AnonymousPageMiddleware:
    """Placed after ``CommonMiddleware`` and the language middleware, before the CSRF one."""

    def __init__(self, get_response):
        self.get_response = get_response
        # Its cookie handling only: the request and response halves, never the view check
        # (a GET needs none).
        self.csrf = CsrfViewMiddleware(get_response)

    def __call__(self, request):
        if not _servable(request):
            return self.get_response(request)
        if request.path in _PATHS:
            held = cache.get(_key(request, catalogue_generation()))
            if held is not None:
                return self._answer(request, *held)
        response = self.get_response(request)
        generation = getattr(request, "anonymous_page_generation", None)
        stored = None if generation is None else _storable(request, response)
        if stored is not None:
            cache.set(_key(request, generation), stored, settings.CATALOGUE_CACHE_SECONDS)
            _PATHS.add(request.path)
        return response

    def _answer(self, request, body: str, headers: dict) -> HttpResponse:
        self.csrf.process_request(request)
        if PLACEHOLDER in body:
            body = body.replace(PLACEHOLDER, get_token(request))
        response = HttpResponse(body, headers=headers)
        return self.csrf.process_response(request, response)


def _storable(request, response) -> tuple[str, dict] | None:
    """(the page with the visitor's CSRF token taken out, its headers), or None when the
    answer is not one every anonymous visitor may get."""
    user = getattr(request, "user", None)
    if (
        response.status_code != 200
        or response.streaming
        or not response.get("Content-Type", "").startswith("text/html")
        or user is None
        or user.is_authenticated
        or set(response.cookies) - {settings.CSRF_COOKIE_NAME}
        or len(response.content) > LARGEST
    ):
        return None
    body = response.content.decode(response.charset)
    secret = request.META.get("CSRF_COOKIE")
    if secret:
        body = _TOKEN.sub(
            lambda m: PLACEHOLDER if _unmask_cipher_token(m[0]) == secret else m[0], body
        )
    # Every form token must now be the placeholder: a token of anyone else is not stored.
    if any(value != PLACEHOLDER for value in _FORM_TOKEN.findall(body)):
        return None
    headers = {k: v for k, v in response.headers.items() if k.lower() not in _NOT_STORED}
    return body, headers
