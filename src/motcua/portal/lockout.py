"""What django-axes answers when an account is locked: JSON under /api/, a page elsewhere."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render


def lockout_response(request, response=None, credentials=None, *args, **kwargs):
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    message = (
        f"Tài khoản tạm khóa do nhập sai mật khẩu nhiều lần. Vui lòng thử lại sau {minutes} phút "
        "hoặc dùng chức năng Quên mật khẩu."
    )
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"error": {"code": "locked", "message": message}},
            status=403,
            json_dumps_params={"ensure_ascii": False},
        )
    return render(
        request, "portal/locked.html", {"message": message, "minutes": minutes}, status=403
    )
