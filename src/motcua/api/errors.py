"""Every API error in one shape: ``{"error": {"code", "message", "fields"?}}`` (docs/api.md)."""

import json

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_handler

from motcua.accounts.services import AccountError
from motcua.core.views import INVALID_CHARACTER
from motcua.dossiers.services import DossierError


class InvalidCharacter(exceptions.ParseError):
    """Text in the body holds a NUL character (``api.parsers``)."""


_CODES = {
    InvalidCharacter: INVALID_CHARACTER,
    exceptions.NotAuthenticated: ("unauthenticated", "Vui lòng đăng nhập (thiếu mã truy cập)."),
    exceptions.AuthenticationFailed: ("unauthenticated", None),
    exceptions.PermissionDenied: (
        "permission_denied",
        "Bạn không có quyền thực hiện thao tác này.",
    ),
    exceptions.NotFound: ("not_found", "Không tìm thấy nội dung yêu cầu."),
    exceptions.MethodNotAllowed: ("method_not_allowed", "Phương thức không được hỗ trợ."),
    exceptions.NotAcceptable: ("not_acceptable", "Định dạng phản hồi yêu cầu không được hỗ trợ."),
    exceptions.UnsupportedMediaType: (
        "unsupported_media_type",
        "Định dạng dữ liệu gửi lên không được hỗ trợ.",
    ),
    exceptions.Throttled: ("throttled", "Bạn thao tác quá nhiều lần. Vui lòng thử lại sau."),
    exceptions.ParseError: ("parse_error", "Dữ liệu gửi lên không đọc được (JSON không hợp lệ)."),
}


def error_response(
    code: str, message: str, http_status: int, fields=None, headers=None
) -> Response:
    body = {"code": code, "message": message}
    if fields:
        body["fields"] = fields
    return Response({"error": body}, status=http_status, headers=headers)


def plain_error(code: str, http_status: int, message: str | None = None, **headers) -> HttpResponse:
    """The same body as ``error_response`` for a plain Django view (no DRF renderer); the
    message defaults to the one DRF's exception of that code gets here."""
    if message is None:
        message = next(m for c, m in _CODES.values() if c == code and m)
    body = json.dumps({"error": {"code": code, "message": message}}, ensure_ascii=False)
    return HttpResponse(body, status=http_status, content_type="application/json", headers=headers)


def _flatten(detail) -> dict[str, list[str]]:
    if isinstance(detail, dict):
        out = {}
        for key, value in detail.items():
            if isinstance(value, dict):
                for sub, msgs in _flatten(value).items():
                    out[f"{key}.{sub}"] = msgs
            elif isinstance(value, list):
                out[key] = [str(v) for v in value if not isinstance(v, dict)] or [
                    str(m)
                    for v in value
                    if isinstance(v, dict)
                    for ms in _flatten(v).values()
                    for m in ms
                ]
            else:
                out[key] = [str(value)]
        return out
    if isinstance(detail, list):
        return {"non_field_errors": [str(d) for d in detail]}
    return {"non_field_errors": [str(detail)]}


def exception_handler(exc, context):
    if isinstance(exc, AccountError):
        return error_response(exc.code, exc.message, exc.status)
    if isinstance(exc, DossierError):
        return error_response(exc.code, exc.message, exc.status, exc.fields or None)
    if isinstance(exc, DjangoValidationError):
        fields = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        return error_response(
            "validation_error",
            "Dữ liệu chưa hợp lệ. Vui lòng kiểm tra các trường được nêu.",
            400,
            fields,
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    if isinstance(exc, exceptions.ValidationError):
        return error_response(
            "validation_error",
            "Dữ liệu chưa hợp lệ. Vui lòng kiểm tra các trường được nêu.",
            400,
            _flatten(exc.detail),
        )
    response = drf_handler(exc, context)
    if response is None:
        return None
    code, message = "error", str(getattr(exc, "detail", "Có lỗi xảy ra."))
    for klass, (c, m) in _CODES.items():
        if isinstance(exc, klass):
            code, message = c, m or message
            break
    if response.status_code == status.HTTP_401_UNAUTHORIZED and code == "error":
        code = "unauthenticated"
    headers = {
        k: v
        for k, v in response.headers.items()
        if k in ("WWW-Authenticate", "Retry-After", "Allow")
    }
    return error_response(code, message, response.status_code, headers=headers)
