"""Per-address limits: on actions that send e-mail (register, resend, password reset), shared
by the portal and the API so that both faces draw on one budget per address; and a plain
fixed-window counter for hot public reads, where DRF's sliding window (a list of every
request's time, read and rewritten whole on each request) costs more than the read itself."""

import math
import time

from django.conf import settings
from django.core.cache import cache
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle, SimpleRateThrottle

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def client_address(request) -> str:
    """The client's address. DRF's default believes a client-sent X-Forwarded-For whole
    unless NUM_PROXIES is set, so a made-up header per request would escape every limit."""
    if api_settings.NUM_PROXIES is not None:
        return BaseThrottle().get_ident(request)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    # SECURE_PROXY_SSL_HEADER is set only with MOTCUA_BEHIND_PROXY: then trust just the
    # address our proxy appended last, never what the client wrote before it.
    if settings.SECURE_PROXY_SSL_HEADER and forwarded:
        return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def parse_rate(rate: str) -> tuple[int, int]:
    """``"120/minute"`` → (120, 60), the notation of DRF's throttle rates."""
    number, period = rate.split("/")
    return int(number), _PERIODS[period.strip()[0]]


def retry_after(scope: str, ident: str, rate: str) -> int:
    """Count one request of ``ident`` in the current window of ``rate``: 0 while within the
    limit, else the seconds until the window ends. A fixed window lets a client spend up to
    twice the limit across a boundary, which is harmless against guessing a 12-digit number
    and needs one small counter instead of a history."""
    limit, period = parse_rate(rate)
    now = time.time()
    window = int(now // period)
    key = f"throttle:{scope}:{ident}:{window}"
    # incr first: within a window the counter exists, so the usual case is one cache call.
    try:
        count = cache.incr(key)
    except ValueError:  # the first request of this window (or two racing to start it)
        count = 1 if cache.add(key, 1, period + 1) else cache.incr(key)
    if count <= limit:
        return 0
    return max(1, math.ceil((window + 1) * period - now))


class MailThrottle(SimpleRateThrottle):
    """Per-address limit on the endpoints that send e-mail, so they cannot be used to spam."""

    scope = "register"

    def __init__(self):
        # DRF copies the rates into a class attribute once, at import, so a later change of
        # REST_FRAMEWORK (override_settings) was silently ignored; read the current value.
        self.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
        super().__init__()

    def get_ident(self, request):
        return client_address(request)

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def allow_mail(request) -> bool:
    """For plain Django views: True while this address may still send."""
    return MailThrottle().allow_request(request, None)
