"""``Idempotency-Key`` for the dossier API: a client that retries after a timeout gets the
first answer again instead of a second draft or a second submission.

The answers live in the database, not in the cache: with several server processes and the
default per-process cache, a retry reaching another process would have done the work
again. A unique row per (user, scope, key) also settles two copies arriving at once: the
second cannot insert and is told the first is still running.
"""

import datetime as dt
import hashlib

from django.db import IntegrityError, transaction
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter
from rest_framework.response import Response

from motcua.api.models import IdempotencyRecord
from motcua.dossiers.services import DossierError

KEEP = dt.timedelta(hours=24)
# A first request still "running" after this long died with its process: let a retry in.
RUNNING_AT_MOST = dt.timedelta(seconds=60)

IDEMPOTENCY_HEADER = OpenApiParameter(
    "Idempotency-Key",
    str,
    location=OpenApiParameter.HEADER,
    required=False,
    description="Gửi lại cùng khóa (trong 24 giờ) nhận lại đúng câu trả lời lần đầu.",
)


def _in_progress() -> DossierError:
    return DossierError(
        "request_in_progress", "Yêu cầu trùng khóa đang được xử lý, vui lòng chờ.", 409
    )


def _claim(user, scope: str, digest: str) -> tuple[IdempotencyRecord, Response | None]:
    """The record this request owns, or the stored answer to give instead."""
    now = timezone.now()
    lookup = {"user": user, "scope": scope, "key_digest": digest}
    record = IdempotencyRecord.objects.filter(**lookup).first()
    if record is not None:
        if record.status is not None and now - record.created_at < KEEP:
            return record, Response(record.body, status=record.status)
        if record.status is None and now - record.created_at < RUNNING_AT_MOST:
            raise _in_progress()
        # Expired, or abandoned by a dead process: start afresh under the same row, unless
        # another retry took it over in the meantime.
        taken = IdempotencyRecord.objects.filter(pk=record.pk, created_at=record.created_at).update(
            status=None, body=None, created_at=now
        )
        if not taken:
            raise _in_progress()
        record.status, record.body, record.created_at = None, None, now
        return record, None
    try:
        with transaction.atomic():
            return IdempotencyRecord.objects.create(**lookup, created_at=now), None
    except IntegrityError:
        raise _in_progress() from None


def idempotent(request, scope: str, produce) -> Response:
    """Answer a retried request (same ``Idempotency-Key``) with the stored first answer.

    Only successes are kept: after an error the client fixes the draft and tries again.
    """
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key:
        return produce()
    digest = hashlib.sha256(key.encode()).hexdigest()
    record, stored = _claim(request.user, scope[:80], digest)
    if stored is not None:
        return stored
    try:
        response = produce()
    except BaseException:
        record.delete()
        raise
    if 200 <= response.status_code < 300:
        record.status, record.body = response.status_code, response.data
        record.save(update_fields=["status", "body"])
    else:
        record.delete()
    return response


def purge_expired(now: dt.datetime | None = None) -> int:
    """Forget answers older than ``KEEP`` (run hourly by the worker)."""
    cutoff = (now or timezone.now()) - KEEP
    return IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()[0]
