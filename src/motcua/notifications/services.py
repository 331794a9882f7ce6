"""Writing to and draining the outbox."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from motcua.notifications.models import OutboundMessage

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 8


def queue_email(*, to: str, template: str, context: dict) -> OutboundMessage:
    """Render ``notifications/email/<template>.{subject,txt,html}`` into an outbox row and
    hand it to the worker once the surrounding transaction commits."""
    context = {
        "site_name": settings.SITE_NAME,
        "base_url": settings.BASE_URL,
        "hotline": settings.SITE_HOTLINE,
        **context,
    }
    subject = render_to_string(f"notifications/email/{template}.subject.txt", context).strip()
    message = OutboundMessage.objects.create(
        template=template,
        recipient=to,
        subject=" ".join(subject.split()),
        body_text=render_to_string(f"notifications/email/{template}.txt", context),
        body_html=render_to_string(f"notifications/email/{template}.html", context),
    )
    from motcua.notifications.tasks import send_message

    transaction.on_commit(lambda: send_message.enqueue(message.pk))
    return message


def _backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(30 * 2 ** (attempts - 1), 6 * 3600))


def deliver(message_id: int) -> bool:
    """Send one pending message; safe to call twice (the row lock and status make it once)."""
    with transaction.atomic():
        message = (
            OutboundMessage.objects.select_for_update()
            .filter(pk=message_id, status=OutboundMessage.Status.PENDING)
            .first()
        )
        if message is None:
            return False
        message.attempts += 1
        try:
            email = EmailMultiAlternatives(
                subject=message.subject,
                body=message.body_text,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[message.recipient],
            )
            if message.body_html:
                email.attach_alternative(message.body_html, "text/html")
            email.send()
        except Exception as exc:  # any provider failure is retried, never lost
            logger.warning("Gửi thư %s thất bại: %s", message.pk, exc)
            message.last_error = f"{exc.__class__.__name__}: {exc}"[:2000]
            if message.attempts >= MAX_ATTEMPTS:
                message.status = OutboundMessage.Status.FAILED
            else:
                message.next_attempt_at = timezone.now() + _backoff(message.attempts)
            message.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
            return False
        message.status = OutboundMessage.Status.SENT
        message.sent_at = timezone.now()
        message.last_error = ""
        message.save(update_fields=["attempts", "status", "sent_at", "last_error"])
        return True


def deliver_due(limit: int = 200) -> int:
    """Send what is pending and due: messages whose first enqueue was lost, and retries."""
    ids = list(
        OutboundMessage.objects.filter(
            status=OutboundMessage.Status.PENDING, next_attempt_at__lte=timezone.now()
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(deliver(pk) for pk in ids)
