"""The per-address limit on actions that send e-mail (register, resend, password reset), shared
by the portal and the API so that both faces draw on one budget per address."""

from django.conf import settings
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle


class MailThrottle(SimpleRateThrottle):
    """Per-address limit on the endpoints that send e-mail, so they cannot be used to spam."""

    scope = "register"

    def __init__(self):
        # DRF copies the rates into a class attribute once, at import, so a later change of
        # REST_FRAMEWORK (override_settings) was silently ignored; read the current value.
        self.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
        super().__init__()

    def get_ident(self, request):
        """The client's address. DRF's default believes a client-sent X-Forwarded-For whole
        unless NUM_PROXIES is set, so a made-up header per request escaped the limit."""
        if api_settings.NUM_PROXIES is not None:
            return super().get_ident(request)
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        # SECURE_PROXY_SSL_HEADER is set only with MOTCUA_BEHIND_PROXY: then trust just the
        # address our proxy appended last, never what the client wrote before it.
        if settings.SECURE_PROXY_SSL_HEADER and forwarded:
            return forwarded.split(",")[-1].strip()
        return request.META.get("REMOTE_ADDR", "")

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def allow_mail(request) -> bool:
    """For plain Django views: True while this address may still send."""
    return MailThrottle().allow_request(request, None)
