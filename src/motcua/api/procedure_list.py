"""``GET /api/v1/procedures`` (``views.ProcedureList``) for the plain anonymous request.

A search's results come from the in-memory snapshot of the catalogue (``catalog.search``)
and each procedure's JSON is kept on its version, so what was left of a long-tail search
(a query not in the response cache) was mostly the layers around it: the middleware for
sessions, CSRF, authentication, OTP, messages and lockout, then DRF's request wrapping,
authentication, content negotiation and rendering, together more than the search itself
(profiled). ``ProcedureListMiddleware`` answers the request that needs none of them, with
the same bytes and headers: a GET without credentials, asking for JSON plainly (no
``Accept`` parameters, no ``format``), whose level and page are valid. Anything else (a
token, a bad level or page, a page past the end, HEAD, OPTIONS) goes through the whole stack
and DRF as before, so every error keeps its one implementation.

It sits below the security headers, the NUL check, the host check (``CommonMiddleware``)
and the language middleware, which every answer still passes; X-Frame-Options, which a
middleware below would add, is set here; the CSRF cookie is handled as
``CsrfViewMiddleware`` would for a GET. The response cache (``api.cache``) is the same one
the view uses.
"""

from django.conf import settings
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from rest_framework.exceptions import APIException
from rest_framework.renderers import JSONRenderer

from motcua.api import cache as answers
from motcua.api import serializers as ser
from motcua.api.pagination import PageNumberPagination
from motcua.catalog import selectors as catalog

LEVELS = {"toan_trinh", "mot_phan", "truc_tiep"}
ALLOW = "GET, HEAD, OPTIONS"
JSON = "application/json"
_PLAIN_ACCEPT = {None, "*/*", JSON}
_RENDERER = JSONRenderer()


def search(params):
    """The view's search for the query parameters ``params`` (level already checked)."""
    return catalog.search_procedures(
        q=params.get("q", "")[:200],
        agency=params.get("agency", ""),
        field=params.get("field", ""),
        level=params.get("level", ""),
    )


def rows(versions) -> list[dict]:
    """Procedures of the list as JSON, kept on each version: search answers with the objects
    of its in-memory snapshot, which live until the catalogue changes, so each is serialised
    once per generation rather than on every request (most of an answer's time, profiled).
    Those not serialised yet go through one serializer together: a serializer builds its
    fields from the model each time it is made, which cost more than the rows themselves."""
    missing = [v for v in versions if "_api_row" not in v.__dict__]
    if missing:
        for version, row in zip(missing, ser.ProcedureOut(missing, many=True).data, strict=True):
            version._api_row = row
    return [v._api_row for v in versions]


def encoded_rows(versions) -> list[bytes]:
    """``rows`` as DRF's JSON renderer writes them, kept on each version likewise."""
    missing = [v for v in versions if "_api_json" not in v.__dict__]
    for version, row in zip(missing, rows(missing), strict=True):
        version._api_json = _RENDERER.render(row)
    return [v._api_json for v in versions]


class _Request:
    """What ``PageNumberPagination`` reads of a DRF request."""

    def __init__(self, request):
        self.query_params = request.GET
        self._request = request

    def build_absolute_uri(self):
        return self._request.build_absolute_uri()


def _plain(request) -> bool:
    return (
        request.method == "GET"
        and "HTTP_AUTHORIZATION" not in request.META
        and request.META.get("HTTP_ACCEPT") in _PLAIN_ACCEPT
        and "format" not in request.GET
        and request.GET.get("level", "") in LEVELS | {""}
    )


def body(request) -> bytes | None:
    """The list's JSON for ``request``, or None when DRF must answer (bad page)."""
    paginator = PageNumberPagination()
    try:
        page = paginator.paginate_queryset(search(request.GET), _Request(request))
    except APIException:
        return None
    envelope = paginator.get_paginated_response([]).data
    head = _RENDERER.render(envelope)
    # The envelope ends with its empty "results" list: the rows go in there, as rendering
    # the whole would have put them.
    if not head.endswith(b"[]}"):
        return None
    return b"".join((head[:-3], b"[", b",".join(encoded_rows(list(page))), b"]}"))


class ProcedureListMiddleware:
    """Placed after ``CommonMiddleware`` and the language middleware, before the CSRF one."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.csrf = CsrfViewMiddleware(get_response)

    def __call__(self, request):
        if request.path_info != "/api/v1/procedures" or not _plain(request):
            return self.get_response(request)
        response = answers.cached(request)
        if response is None:
            content = body(request)
            if content is None:
                return self.get_response(request)
            answers.keep(request, content, JSON)
            response = HttpResponse(content, content_type=JSON)
            response["Allow"] = ALLOW
        self.csrf.process_request(request)
        response.headers["X-Frame-Options"] = settings.X_FRAME_OPTIONS
        return self.csrf.process_response(request, response)
