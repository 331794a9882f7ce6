"""The public tracking card is rewritten with every event and always says what the dossier,
read the long way through the ORM, says."""

import importlib
import io
import json

import pytest
from django.apps import apps
from django.utils import timezone

from motcua.accounts.models import Role
from motcua.dossiers import selectors, services
from motcua.dossiers.models import DossierEvent, Status, TrackingCard
from tests.dossiers.test_submission_core import _ready_draft
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def _iso(value):
    return timezone.localtime(value).isoformat() if value else None


def _expected(dossier) -> dict:
    """The answer assembled independently of ``dossiers.tracking``."""
    dossier.refresh_from_db()
    events = DossierEvent.objects.filter(dossier=dossier).order_by("at", "id")
    return {
        "code": dossier.code,
        "procedure": {"code": dossier.version.procedure.code, "name": dossier.version.name},
        "receiving_agency": {
            "code": dossier.receiving_agency.code,
            "name": dossier.receiving_agency.name,
        },
        "status": dossier.status,
        "status_label": dossier.get_status_display(),
        "submitted_at": _iso(dossier.submitted_at),
        "received_at": _iso(dossier.received_at),
        "due_at": _iso(dossier.due_at),
        "finished_at": _iso(dossier.finished_at),
        "returned_at": _iso(dossier.returned_at),
        "history": [
            {
                "at": _iso(e.at),
                "action": e.action,
                "action_label": selectors.ACTION_LABELS[e.action],
                "status": e.status,
                "status_label": e.get_status_display(),
            }
            for e in events
        ],
    }


def _card(dossier) -> dict:
    return json.loads(selectors.tracking_card(dossier.code, dossier.applicant_id_number))


@pytest.fixture
def walk():
    """Submit, ask for a supplement, ask to withdraw, confirm: the card after each step."""
    owner, draft = _ready_draft()
    seen = []
    assert not TrackingCard.objects.filter(dossier=draft).exists()  # drafts have none
    dossier = services.submit(draft, owner)
    seen.append((_card(dossier), _expected(dossier)))
    officer = MembershipFactory(agency=dossier.receiving_agency, role=Role.RECEIVER).user
    steps = [
        ("request_supplement", officer, {"note": "Thiếu bản sao", "items": ["Bản sao CCCD"]}),
        ("request_withdrawal", owner, {"note": "Không cần nữa"}),
        ("confirm_withdrawal", officer, {}),
    ]
    for action, actor, params in steps:
        dossier = services.perform(dossier, action, actor, **params)
        seen.append((_card(dossier), _expected(dossier)))
    return dossier, seen


def test_the_card_follows_every_event(walk):
    dossier, seen = walk
    for card, expected in seen:
        assert card == expected
    assert [card["status"] for card, _ in seen] == [1, 5, 5, Status.WITHDRAWN]
    assert len(seen[-1][0]["history"]) == 4
    assert seen[-1][0]["finished_at"] is not None


def test_the_card_holds_nothing_personal(walk):
    dossier, _ = walk
    body = TrackingCard.objects.get(code=dossier.code).body
    for secret in (
        dossier.applicant_id_number,
        dossier.applicant_name,
        dossier.applicant_phone,
        dossier.owner.email,
        "Thiếu bản sao",
        "Không cần nữa",
    ):
        assert secret not in body


def test_a_wrong_number_and_an_unknown_code_are_alike(walk):
    dossier, _ = walk
    assert selectors.tracking_card(dossier.code, "051090999999") is None
    assert selectors.tracking_card("H48.13-990101-0001", dossier.applicant_id_number) is None
    spaced = " ".join(dossier.applicant_id_number[i : i + 4] for i in range(0, 12, 4))
    assert selectors.tracking_card(dossier.code, spaced) is not None


def test_the_migration_rebuilds_the_same_cards(walk):
    """Dossiers stored before cards existed get exactly the card the service would write."""
    dossier, _ = walk
    written = TrackingCard.objects.get(code=dossier.code).body
    TrackingCard.objects.all().delete()
    migration = importlib.import_module("motcua.dossiers.migrations.0002_tracking_card")
    migration.fill_cards(apps, None)
    assert TrackingCard.objects.get(code=dossier.code).body == written


def test_the_command_rewrites_stale_cards(walk):
    from django.core.management import call_command

    dossier, _ = walk
    written = TrackingCard.objects.get(code=dossier.code).body
    TrackingCard.objects.filter(code=dossier.code).update(body='{"status": 1}')
    call_command("rebuild_tracking_cards", stdout=io.StringIO())
    assert TrackingCard.objects.get(code=dossier.code).body == written
