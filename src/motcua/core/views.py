"""Health probes and error pages shared by every face.

Under ``/api/`` errors are JSON in the shape of docs/api.md, never HTML; elsewhere they are pages.
"""

from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render

_MESSAGES = {
    400: ("bad_request", "Yêu cầu không hợp lệ."),
    403: ("permission_denied", "Bạn không có quyền thực hiện thao tác này."),
    404: ("not_found", "Không tìm thấy nội dung yêu cầu."),
    500: ("server_error", "Hệ thống gặp sự cố. Vui lòng thử lại sau ít phút."),
}


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


def readyz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ready", content_type="text/plain")


# PostgreSQL cannot hold NUL in text; core.middleware.RejectNulMiddleware refuses it.
INVALID_CHARACTER = (
    "invalid_character",
    "Yêu cầu chứa ký tự không hợp lệ (ký tự NUL). Vui lòng bỏ ký tự này rồi gửi lại.",
)


def _error(request, status, code_message=None):
    code, message = code_message or _MESSAGES[status]
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"error": {"code": code, "message": message}},
            status=status,
            json_dumps_params={"ensure_ascii": False},
        )
    return render(
        request, "errors/error.html", {"status": status, "message": message}, status=status
    )


def not_found(request, exception=None):
    return _error(request, 404)


def forbidden(request, exception=None):
    return _error(request, 403)


def bad_request(request, exception=None):
    from motcua.core.middleware import NulCharacterError

    if isinstance(exception, NulCharacterError):
        return invalid_character(request)
    return _error(request, 400)


def invalid_character(request):
    return _error(request, 400, INVALID_CHARACTER)


def server_error(request):
    return _error(request, 500)
