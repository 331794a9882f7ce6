"""Public dossier tracking (API.md: ``GET /tracking/{code}?id_number=``), no login.

The code is printed on the receipt, so the applicant's identity number is what keeps a
stranger out: a wrong number and an unknown code get the same 404 body, the lookup is
throttled per client address, and the answer carries no personal data at all.

Receipts' QR codes make a few dossiers very popular for a while, so an answer is cached for
``CACHE_SECONDS`` together with a keyed digest of the right number (never the number
itself); ``services.perform`` drops the entry when the status changes.
"""

import hmac
import re

from django.core.cache import cache
from django.utils.crypto import salted_hmac
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.decorators import (
    api_view,
    authentication_classes,
    permission_classes,
    throttle_classes,
)
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from motcua.api import dossier_serializers as ser
from motcua.api.dossiers import errors
from motcua.api.errors import error_response
from motcua.core.throttling import MailThrottle
from motcua.dossiers import selectors

CACHE_SECONDS = 30
DEFAULT_RATE = "120/minute"
# DOMAIN.md §4.1: validate loosely, both agency-id notations and 6–8 digit dates.
CODE = re.compile(r"^[A-Z0-9.]{1,35}-\d{6,8}-\d{4,}$")


class TrackingEventOut(serializers.Serializer):
    at = serializers.DateTimeField()
    action = serializers.CharField()
    action_label = serializers.SerializerMethodField()
    status = serializers.IntegerField()
    status_label = serializers.CharField(source="get_status_display")

    def get_action_label(self, event) -> str:
        return selectors.ACTION_LABELS.get(event.action, event.action)


class TrackingOut(serializers.Serializer):
    """Deliberately without names, numbers, addresses, notes or officers: anyone holding the
    receipt may read it."""

    code = serializers.CharField()
    procedure = ser.ProcedureRef(source="version")
    receiving_agency = ser.Ref()
    status = serializers.IntegerField()
    status_label = serializers.CharField(source="get_status_display")
    submitted_at = serializers.DateTimeField(allow_null=True)
    received_at = serializers.DateTimeField(allow_null=True)
    due_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    returned_at = serializers.DateTimeField(allow_null=True)
    history = serializers.SerializerMethodField()

    @extend_schema_field(TrackingEventOut(many=True))
    def get_history(self, dossier):
        return TrackingEventOut(selectors.public_history(dossier), many=True).data


class TrackingThrottle(MailThrottle):
    """Per client address (the same trusted-proxy rule as the mail throttle), so that the
    12-digit number cannot be guessed by brute force."""

    scope = "tracking"

    def get_rate(self):
        return self.THROTTLE_RATES.get(self.scope, DEFAULT_RATE)


def cache_key(code: str) -> str:
    return f"tracking:{code}"


def _digest(id_number: str) -> str:
    return salted_hmac("motcua.tracking", id_number, algorithm="sha256").hexdigest()


def _not_found():
    return error_response(
        "not_found",
        "Không tìm thấy hồ sơ có mã số và số giấy tờ tùy thân này.",
        404,
    )


@extend_schema(
    tags=["tracking"],
    summary="Tra cứu tình trạng hồ sơ (công khai)",
    description=(
        "Không cần đăng nhập. Cần đúng mã số hồ sơ và số định danh (hoặc mã số thuế) của chủ "
        "hồ sơ; sai số cũng nhận đúng câu trả lời 404 như mã không tồn tại. Không trả về dữ "
        "liệu cá nhân. Giới hạn số lần tra cứu theo địa chỉ máy khách (429)."
    ),
    parameters=[
        OpenApiParameter("id_number", str, required=True, description="Số định danh của chủ hồ sơ")
    ],
    responses={200: TrackingOut, **errors(404, 429)},
)
@api_view(["GET"])
@authentication_classes([])
@permission_classes([AllowAny])
@throttle_classes([TrackingThrottle])
def tracking(request, code):
    code = code.strip().upper()
    supplied = "".join(request.query_params.get("id_number", "").split())
    if not CODE.match(code):
        return _not_found()
    digest = _digest(supplied)
    hit = cache.get(cache_key(code))
    if hit is not None:
        expected, payload = hit
        return Response(payload) if hmac.compare_digest(expected, digest) else _not_found()
    payload = selectors.tracking_payload(code, supplied)
    if payload is None:
        return _not_found()
    cache.set(cache_key(code), (digest, payload), CACHE_SECONDS)
    return Response(payload)
