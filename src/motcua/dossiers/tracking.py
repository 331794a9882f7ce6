"""The public tracking card: the whole answer of "Tra cứu hồ sơ", written when the dossier
changes instead of assembled when somebody looks.

Tracking is the busiest anonymous endpoint (every receipt carries its QR code) and almost
every lookup is for a different dossier, so a cache in front helps little. Building the
answer from the dossier, its procedure version, its agency and its events cost two joined
queries and most of a request's time; reading one row by its primary key and sending its
text as it is costs a fraction of that. The card is rewritten in the same transaction as
every event (``services.perform``), so it can never show a state the dossier is not in.

``render`` is a pure function of plain values: the same one serves the service, the data
migration and the benchmark's seeder, so the three cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings

from motcua.dossiers import lifecycle
from motcua.dossiers.models import Status

STATUS_LABELS = dict(Status.choices)
ACTION_LABELS = {t.action: t.label for t in lifecycle.TRANSITIONS.values()}


@dataclass(frozen=True)
class CardData:
    """What a card shows: nothing personal, only the dossier's progress."""

    code: str
    procedure_code: str
    procedure_name: str
    agency_code: str
    agency_name: str
    status: int
    submitted_at: dt.datetime | None
    received_at: dt.datetime | None
    due_at: dt.datetime | None
    finished_at: dt.datetime | None
    returned_at: dt.datetime | None
    # (at, action, status) of each event, oldest first
    events: tuple[tuple[dt.datetime, str, int], ...]


def _iso(value: dt.datetime | None, zone: ZoneInfo) -> str | None:
    return value.astimezone(zone).isoformat() if value else None


def render(card: CardData, *, time_zone: str | None = None) -> str:
    """The card as the JSON text the API sends (``GET /tracking/{code}``, docs/api.md): times in
    the province's zone, labels in Vietnamese, exactly as the serializers would write them."""
    zone = ZoneInfo(time_zone or settings.TIME_ZONE)
    body = {
        "code": card.code,
        "procedure": {"code": card.procedure_code, "name": card.procedure_name},
        "receiving_agency": {"code": card.agency_code, "name": card.agency_name},
        "status": card.status,
        "status_label": STATUS_LABELS[card.status],
        "submitted_at": _iso(card.submitted_at, zone),
        "received_at": _iso(card.received_at, zone),
        "due_at": _iso(card.due_at, zone),
        "finished_at": _iso(card.finished_at, zone),
        "returned_at": _iso(card.returned_at, zone),
        "history": [
            {
                "at": _iso(at, zone),
                "action": action,
                "action_label": ACTION_LABELS.get(action, action),
                "status": status,
                "status_label": STATUS_LABELS[status],
            }
            for at, action, status in card.events
        ],
    }
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


def rebuild(dossier_model, event_model, card_model, *, replace: bool, batch: int = 2000) -> int:
    """Write the card of every submitted dossier, a batch at a time; the number written.

    It takes the model classes so that the data migration can pass its historical models
    and ``motcua rebuild-tracking-cards`` the live ones. ``replace`` rewrites existing cards,
    for a release that changes the labels or the shape; without it only missing ones are
    added."""
    written, last = 0, 0
    while True:
        dossiers = list(
            dossier_model.objects.filter(id__gt=last, code__isnull=False)
            .exclude(status=0)
            .select_related("version__procedure", "receiving_agency")
            .order_by("id")[:batch]
        )
        if not dossiers:
            return written
        history: dict[int, list] = {}
        for dossier_id, at, action, status in (
            event_model.objects.filter(dossier_id__in=[d.id for d in dossiers])
            .order_by("dossier_id", "at", "id")
            .values_list("dossier_id", "at", "action", "status")
        ):
            history.setdefault(dossier_id, []).append((at, action, status))
        cards = [
            card_model(
                code=d.code,
                dossier_id=d.id,
                id_number=d.applicant_id_number,
                body=render(card_data(d, history.get(d.id, ()))),
            )
            for d in dossiers
        ]
        if replace:
            card_model.objects.bulk_create(
                cards,
                update_conflicts=True,
                unique_fields=["code"],
                update_fields=["id_number", "body"],
            )
        else:
            card_model.objects.bulk_create(cards, ignore_conflicts=True)
        written += len(cards)
        last = dossiers[-1].id


def card_data(dossier, events) -> CardData:
    """A dossier row (its version, procedure and agency loaded) and its (at, action, status)
    events, oldest first."""
    return CardData(
        code=dossier.code,
        procedure_code=dossier.version.procedure.code,
        procedure_name=dossier.version.name,
        agency_code=dossier.receiving_agency.code,
        agency_name=dossier.receiving_agency.name,
        status=dossier.status,
        submitted_at=dossier.submitted_at,
        received_at=dossier.received_at,
        due_at=dossier.due_at,
        finished_at=dossier.finished_at,
        returned_at=dossier.returned_at,
        events=tuple(events),
    )
