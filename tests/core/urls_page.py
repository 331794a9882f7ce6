"""A plain HTML page behind the project's full middleware stack, independent of the
portal's templates (which other work changes)."""

from django.http import HttpResponse
from django.urls import path


def page(request):
    return HttpResponse(
        "<!doctype html><html lang=vi><title>Trang thử</title><p>Xin chào</p></html>"
    )


urlpatterns = [path("trang-thu/", page)]
