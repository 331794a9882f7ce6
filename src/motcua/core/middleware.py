"""Security headers Django 5.2 does not set itself, and the door closed to NUL characters."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation

# No inline scripts or styles anywhere: every page works with only our own static files.
CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(f"{settings.STATIC_URL}"):
            return response
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"
        )
        return response


class VietnameseFirstLocaleMiddleware:
    """Vietnamese unless the visitor chose otherwise with the language switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language, so a citizen whose
    phone happens to be set to English would get English pages they never asked for; here
    only the language cookie (set by the switch) changes the language.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.utils import translation

        language = chosen_language(request)
        request.LANGUAGE_CODE = language
        # For this request only: activate() alone would leave an English visitor's language
        # on the thread for whatever it runs next outside this middleware.
        with translation.override(language):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


def chosen_language(request) -> str:
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    return chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


NUL = "\x00"


def holds_nul(value) -> bool:
    """Whether ``value`` (text, or lists and mappings of it, keys included) contains NUL."""
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return any(holds_nul(k) or holds_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(holds_nul(v) for v in value)
    return False


class NulCharacterError(SuspiciousOperation):
    """Text from the client holding a NUL character: answered 400 (``core.views``)."""


class RejectNulMiddleware:
    """No text holding a NUL character goes past the door.

    PostgreSQL cannot store or even compare text containing U+0000: psycopg refuses such a
    parameter, so a NUL in any path, query parameter, cookie or form field that reached a
    query was a server error (SQLite, on the other hand, quietly cuts the text short). No
    genuine input contains one, so rather than guard every query, the request is refused
    here, once for every face: a path holding NUL names no page (404), a parameter, header,
    cookie or form field holding one is a bad request (400). Headers count: the User-Agent is
    kept with bearer tokens and with django-axes' records of failed logins. Under ``/api/`` both answers are the
    API's JSON error; elsewhere they are the usual error pages.

    A URL-encoded body is checked here as it is small and would be parsed by the CSRF check
    anyway. A multipart body may not be read before the view has set its upload limit
    (``core.upload_limits``), so its fields are checked as soon as it is parsed. The API
    parses JSON and multipart bodies itself, with the parsers of ``api.parsers``, which
    apply the same rule.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from motcua.core import views

        if NUL in request.path_info:
            return views.not_found(request)
        # "%00" is the only way to write NUL in a URL-encoded string.
        query = request.META.get("QUERY_STRING", "")
        if (
            "%00" in query
            or NUL in query
            or _header_holds_nul(request.META)
            or holds_nul(request.COOKIES)
        ):
            return views.invalid_character(request)
        content_type = request.META.get("CONTENT_TYPE", "")
        if content_type.startswith("application/x-www-form-urlencoded"):
            try:
                body = request.body
            except RequestDataTooBig:
                return views.bad_request(request)
            if b"%00" in body or b"\x00" in body:
                return views.invalid_character(request)
        elif content_type.startswith("multipart/form-data"):
            request._load_post_and_files = _checked_after(request._load_post_and_files, request)
        return self.get_response(request)


def _header_holds_nul(meta) -> bool:
    # A cookie may also carry NUL escaped ("\\000" in a quoted value): checked once parsed.
    return any(
        NUL in value
        for key, value in meta.items()
        if key.startswith("HTTP_") and type(value) is str
    )


def _checked_after(load, request):
    def load_then_check():
        load()
        # File names need no check: Django drops their unprintable characters.
        if holds_nul(list(request._post.lists())):
            raise NulCharacterError("A form field holds a NUL character.")

    return load_then_check
