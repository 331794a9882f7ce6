"""A citizen's list of dossiers (``GET /api/v1/dossiers``) answered again, past the middleware
stack and DRF, while nothing it shows has changed.

A mobile app opens on this list and comes back to it all day, so ``MyDossiersMiddleware``
keeps each whole answer (status, headers, body) the ordinary path gave, and gives it again
as long as the account's stamp (``dossiers.selectors.my_dossiers_stamp``: how many dossiers,
when the latest changed) is the same. Every request still checks its token and reads that
stamp from the database, in one prepared statement (``accounts.services.api_token_owner``),
so a revoked token is refused at once and a write (a draft, a submission, a withdrawal, an
officer's step through ``dossiers.services.perform``) shows at once in every process, whatever
cache each holds. The key holds everything else the answer depends on: the account, the
catalogue's generation (procedure and agency names), the absolute URL (page, size, host and
scheme the links are built on) and the ``Accept`` header DRF negotiates on.

Taken only by a GET carrying a bearer token and no cookie at all. For such a request the
middleware it skips has nothing to do: no session, CSRF token, messages or language choice
travel without cookies, OTP and lockouts concern sign-in with a password, and the view has
no throttle (a test pins the view's policy). It sits after the security headers and the NUL
check, which therefore apply as everywhere. Anything else, a token that does not pass
included, goes the ordinary way and gets the ordinary answer (401, 404 past the last page).
"""

import functools
import hashlib

from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.http import HttpResponse

from motcua.accounts.services import api_token_owner
from motcua.api.dossiers import LIST_CACHE_SECONDS
from motcua.catalog.selectors import catalogue_generation
from motcua.dossiers.selectors import my_dossiers_stamp_sql

# The route api:dossiers (a test checks they agree).
PATH = "/api/v1/dossiers"


def _bearer(request) -> str | None:
    # As BearerTokenAuthentication splits the header; anything else is left to it.
    parts = request.META.get("HTTP_AUTHORIZATION", "").split()
    if len(parts) != 2 or parts[0].lower() != "bearer":
        return None
    return parts[1]


@functools.cache
def _stamp_sql() -> str:
    return my_dossiers_stamp_sql()


def _key(request, url: str, user_id: int, stamp: str) -> str:
    accept = request.META.get("HTTP_ACCEPT", "")
    asked = f"{stamp}\n{catalogue_generation()}\n{url}\n{accept}"
    return f"api:my-dossiers-answer:{user_id}:{hashlib.sha256(asked.encode()).hexdigest()}"


class MyDossiersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.path_info != PATH
            or request.method != "GET"
            or request.META.get("HTTP_COOKIE")
            or (secret := _bearer(request)) is None
        ):
            return self.get_response(request)
        try:
            url = request.build_absolute_uri()
        except DisallowedHost:
            # Refused further in, by the middleware that would have refused it anyway.
            return self.get_response(request)
        found = api_token_owner(secret, _stamp_sql())
        if found is None:
            return self.get_response(request)
        key = _key(request, url, *found)
        held = cache.get(key)
        if held is not None:
            status, headers, content = held
            return HttpResponse(content, status=status, headers=headers)
        response = self.get_response(request)
        # An answer that sets a cookie or varies on a header outside the key is not kept.
        if (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not response.has_header("Vary")
        ):
            held = (response.status_code, list(response.items()), response.content)
            cache.set(key, held, LIST_CACHE_SECONDS)
        return response
