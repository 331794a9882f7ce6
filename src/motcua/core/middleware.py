"""Security headers Django 5.2 does not set itself."""

from django.conf import settings

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

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        request.LANGUAGE_CODE = language
        # For this request only: activate() alone would leave an English visitor's language
        # on the thread for whatever it runs next outside this middleware.
        with translation.override(language):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
