"""The real URLs plus, if the back office does not provide it yet, a ``backoffice:otp-verify``
stand-in, so the login test can follow the redirect contract either way."""

from django.http import HttpResponse
from django.urls import NoReverseMatch, include, path, reverse

from motcua.urls import urlpatterns as real_patterns


def _has_otp_verify() -> bool:
    try:
        reverse("backoffice:otp-verify", urlconf="motcua.urls")
    except NoReverseMatch:
        return False
    return True


if _has_otp_verify():
    urlpatterns = real_patterns
else:

    def _otp_verify(request):
        return HttpResponse("otp")

    urlpatterns = [
        path(
            "can-bo/xac-thuc/", include(([path("", _otp_verify, name="otp-verify")], "backoffice"))
        ),
        *[p for p in real_patterns if getattr(p, "namespace", None) != "backoffice"],
    ]

handler404 = "motcua.core.views.not_found"
handler500 = "motcua.core.views.server_error"
