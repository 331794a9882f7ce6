"""``Idempotency-Key`` for the dossier API: a client that retries after a timeout gets the
first answer again instead of a second draft or a second submission."""

import hashlib

from django.core.cache import cache
from drf_spectacular.utils import OpenApiParameter
from rest_framework.response import Response

from motcua.dossiers.services import DossierError

IDEMPOTENCY_SECONDS = 24 * 3600

IDEMPOTENCY_HEADER = OpenApiParameter(
    "Idempotency-Key",
    str,
    location=OpenApiParameter.HEADER,
    required=False,
    description="Gửi lại cùng khóa (trong 24 giờ) nhận lại đúng câu trả lời lần đầu.",
)


def idempotent(request, scope: str, produce) -> Response:
    """Answer a retried request (same ``Idempotency-Key``) with the stored first answer.

    Only successes are kept: after an error the client fixes the draft and tries again.
    A second request arriving while the first is still running gets 409 rather than
    doing the work twice.
    """
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key:
        return produce()
    digest = hashlib.sha256(key.encode()).hexdigest()
    slot = f"idem:{scope}:{request.user.pk}:{digest}"
    stored = cache.get(slot)
    if stored is not None:
        return Response(stored[1], status=stored[0])
    if not cache.add(f"{slot}:running", 1, 60):
        raise DossierError(
            "request_in_progress", "Yêu cầu trùng khóa đang được xử lý, vui lòng chờ.", 409
        )
    try:
        response = produce()
        if 200 <= response.status_code < 300:
            cache.set(slot, (response.status_code, response.data), IDEMPOTENCY_SECONDS)
        return response
    finally:
        cache.delete(f"{slot}:running")
