"""Public dossier tracking (``GET /tracking/{code}?id_number=``, docs/api.md), no login.

The code is printed on the receipt, so the applicant's identity number is what keeps a
stranger out: a wrong number and an unknown code get the same 404 body, the lookup is
throttled per client address, and the answer carries no personal data at all.

This is the busiest anonymous endpoint and nearly every lookup is for a different dossier,
so it is a plain Django view around one primary-key read of the ready-made answer
(``dossiers.tracking``), without DRF's request wrapping, content negotiation and sliding
throttle, which together cost more than the read. ``TrackingView`` carries the OpenAPI
description and answers the same way if routed.

``TrackingMiddleware`` answers it straight after the security headers: the sessions,
language, CSRF, authentication, messages and lockout middleware between them and the view
have nothing to do for an anonymous JSON read, yet cost as much as the read itself.

There is no answer cache in front of it: the read is about as cheap as a cache lookup, and
a per-process cache could not be emptied in the other processes when the status changes, so
a citizen could see the old status after an officer acted.
"""

import re

from django.conf import settings
from django.http import HttpResponse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from motcua.api import dossier_serializers as ser
from motcua.api.dossiers import errors
from motcua.api.errors import plain_error
from motcua.core.throttling import client_address, retry_after
from motcua.dossiers import selectors

DEFAULT_RATE = "120/minute"
# docs/domain.md, dossier codes: validate loosely, both agency-id notations and 6–8 digit dates.
CODE = re.compile(r"^[A-Z0-9.]{1,35}-\d{6,8}-\d{4,}$")
JSON = "application/json"


class TrackingEventOut(serializers.Serializer):
    at = serializers.DateTimeField()
    action = serializers.CharField()
    action_label = serializers.CharField()
    status = serializers.IntegerField()
    status_label = serializers.CharField()


# Documentation only: the answer is the text ``dossiers.tracking.render`` wrote.
class TrackingOut(serializers.Serializer):
    """Deliberately without names, numbers, addresses, notes or officers: anyone holding the
    receipt may read it."""

    code = serializers.CharField()
    procedure = ser.Ref()
    receiving_agency = ser.Ref()
    status = serializers.IntegerField()
    status_label = serializers.CharField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    received_at = serializers.DateTimeField(allow_null=True)
    due_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    returned_at = serializers.DateTimeField(allow_null=True)
    history = TrackingEventOut(many=True)


def _not_found() -> HttpResponse:
    return plain_error(
        "not_found", 404, "Không tìm thấy hồ sơ có mã số và số giấy tờ tùy thân này."
    )


def tracking(request, code):
    if request.method not in ("GET", "HEAD"):
        return plain_error("method_not_allowed", 405, Allow="GET, HEAD")
    rate = api_settings.DEFAULT_THROTTLE_RATES.get("tracking") or DEFAULT_RATE
    wait = retry_after("tracking", client_address(request), rate)
    if wait:
        return plain_error("throttled", 429, **{"Retry-After": str(wait)})
    code = code.strip().upper()
    supplied = "".join(request.GET.get("id_number", "").split())
    if not CODE.match(code):
        return _not_found()
    body = selectors.tracking_card(code, supplied)
    if body is None:
        return _not_found()
    return HttpResponse(body, content_type=JSON)


# The route in api/urls.py, which stays for reverse() and the OpenAPI document.
PATH = re.compile(r"^/api/v1/tracking/([^/]+)$")


class TrackingMiddleware:
    """Answers ``GET /api/v1/tracking/<code>`` without the rest of the middleware stack.

    Placed after SecurityMiddleware and SecurityHeadersMiddleware, so the answer carries the
    same security headers as every other response; the two the skipped middleware would
    add (X-Frame-Options, Content-Language) are set here. Any other path goes on as usual."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        match = PATH.match(request.path_info)
        if match is None:
            return self.get_response(request)
        response = tracking(request, match[1])
        response.headers["X-Frame-Options"] = settings.X_FRAME_OPTIONS
        response.headers["Content-Language"] = settings.LANGUAGE_CODE
        return response


class TrackingView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes: list = []

    @extend_schema(
        tags=["tracking"],
        summary="Tra cứu tình trạng hồ sơ (công khai)",
        description=(
            "Không cần đăng nhập. Cần đúng mã số hồ sơ và số định danh (hoặc mã số thuế) của "
            "chủ hồ sơ; sai số cũng nhận đúng câu trả lời 404 như mã không tồn tại. Không trả "
            "về dữ liệu cá nhân. Giới hạn số lần tra cứu theo địa chỉ máy khách (429)."
        ),
        parameters=[
            OpenApiParameter(
                "id_number", str, required=True, description="Số định danh của chủ hồ sơ"
            )
        ],
        responses={200: TrackingOut, **errors(404, 429)},
    )
    def get(self, request, code):
        return tracking(request._request, code)


# drf-spectacular lists only DRF views: the plain view borrows TrackingView's description.
tracking.cls = TrackingView
tracking.initkwargs = {}
