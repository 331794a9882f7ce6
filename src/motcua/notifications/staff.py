"""What officers are told by e-mail: a partner agency asked for its opinion (T6).

Called by ``dossiers.consultations`` inside ``perform``'s transaction, as ``citizen`` is: the
messages are outbox rows of that transaction, so a request that rolls back tells nobody. The
e-mail names the dossier and the deadline only; the question stays on the staff page.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from motcua.notifications.services import queue_email


def consultation_requested(dossier, consultation, *, to: list[str], asked_by: str) -> int:
    """One e-mail to each address ``to`` (the consulted agency's partner officers, found by
    ``dossiers.consultations``); the count queued."""
    context = {
        "dossier": dossier,
        "agency": consultation.agency,
        "asked_by": asked_by,
        "due_at": timezone.localtime(consultation.due_at),
        "days": consultation.days,
        "dossier_url": settings.BASE_URL
        + reverse("backoffice:dossier", kwargs={"code": dossier.code}),
    }
    for address in to:
        queue_email(to=address, template="consultation_requested", context=context)
    return len(to)
