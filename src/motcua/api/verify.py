"""``GET /verify/{code}`` (docs/api.md): is the dossier's signed result still valid, and
who signed it. Public: the answer names the document and its signers, never the applicant."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.response import Response

from motcua.api.errors import error_response
from motcua.core.throttling import client_address, retry_after
from motcua.signing import selectors, services

RATE = "60/minute"


class SignatureOut(serializers.Serializer):
    signer = serializers.CharField()
    organisation = serializers.CharField()
    issuer = serializers.CharField()
    serial_number = serializers.CharField()
    signed_at = serializers.DateTimeField(allow_null=True)
    reason = serializers.CharField()
    location = serializers.CharField()
    valid = serializers.BooleanField()
    problem = serializers.CharField()


class DocumentOut(serializers.Serializer):
    name = serializers.CharField()
    sha256 = serializers.CharField()
    size = serializers.IntegerField()


class VerificationOut(serializers.Serializer):
    code = serializers.CharField()
    procedure = serializers.CharField()
    document = DocumentOut()
    valid = serializers.BooleanField(help_text="Mọi chữ ký hợp lệ và tệp không bị thay đổi.")
    message = serializers.CharField()
    signer = serializers.CharField()
    signed_at = serializers.DateTimeField()
    signatures = SignatureOut(many=True)


@extend_schema(
    responses={200: VerificationOut}, tags=["results"], summary="Xác thực kết quả đã ký số"
)
@api_view(["GET"])
def verify(request, code):
    # Each call checks a signature again: cheap for a person, not for a script in a loop.
    wait = retry_after("verify", client_address(request), RATE)
    if wait:
        return error_response(
            "throttled",
            "Bạn đã kiểm tra quá nhiều lần, vui lòng thử lại sau.",
            429,
            headers={"Retry-After": str(wait)},
        )
    result = selectors.latest_signed_result(code.strip().upper())
    if result is None:
        return error_response(
            "not_found", "Không tìm thấy kết quả đã ký số của hồ sơ có mã này.", 404
        )
    return Response(VerificationOut(services.verification_report(result)).data)
