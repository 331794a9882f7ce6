"""Random sequences of actions by random actors against ``services.perform``: whatever is
asked, a dossier only moves along the transition table, a refused action changes nothing,
every accepted one writes exactly one event, and the public tracking card and the hash
chain agree with the history after every step."""

import json

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from motcua.accounts.models import Role
from motcua.dossiers import lifecycle, services
from motcua.dossiers.management.commands.verify_audit import history_problems
from motcua.dossiers.models import DossierEvent, DossierFile, Status, TrackingCard
from tests.dossiers.test_submission_core import PDF, _ready_draft
from tests.dossiers.test_tracking_card import _expected
from tests.factories import AgencyFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

ACTORS = ("owner", "receiver", "stranger", "other_agency")
PARAMS = {
    "request_supplement": {"note": "Thiếu bản sao", "items": ["Bản sao CCCD"]},
    "submit_supplement": {"note": "Đã bổ sung"},
    "request_withdrawal": {"note": "Không còn nhu cầu"},
    "confirm_withdrawal": {},
    "submit": {},
}
# "right": whoever the table allows, so that long sequences get somewhere; the others test
# refusals.
steps = st.lists(
    st.tuples(
        st.sampled_from(sorted(PARAMS)),
        st.sampled_from(("right", "right", "right", *ACTORS)),
        st.booleans(),
    ),
    min_size=1,
    max_size=8,
)


def _snapshot(dossier):
    dossier.refresh_from_db()
    card = TrackingCard.objects.filter(dossier=dossier).values_list("body", flat=True).first()
    return dossier.status, DossierEvent.objects.filter(dossier=dossier).count(), card


def _may(action: str, actor: str) -> bool:
    allowed = lifecycle.transition(action).actors
    return (actor == "owner" and lifecycle.OWNER in allowed) or (
        actor == "receiver" and Role.RECEIVER in allowed
    )


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=steps)
def test_any_sequence_keeps_the_dossier_consistent(steps):
    # Examples share the test's transaction: each one runs in a savepoint rolled back after.
    savepoint = transaction.savepoint()
    try:
        _walk(steps)
    finally:
        transaction.savepoint_rollback(savepoint)


def _walk(steps):
    owner, draft = _ready_draft()
    dossier = services.submit(draft, owner)
    people = {
        "owner": owner,
        "receiver": MembershipFactory(agency=dossier.receiving_agency, role=Role.RECEIVER).user,
        "stranger": UserFactory(),
        "other_agency": MembershipFactory(agency=AgencyFactory(), role=Role.RECEIVER).user,
    }
    component = dossier.version.components.get(required=True)
    for action, who, attach in steps:
        if who == "right":
            who = "owner" if lifecycle.OWNER in lifecycle.transition(action).actors else "receiver"
        if attach and dossier.status == Status.SUPPLEMENT_REQUESTED:
            services.add_file(
                dossier,
                actor=owner,
                component_id=component.pk,
                name="bo-sung.pdf",
                content=PDF,
                purpose=DossierFile.Purpose.SUPPLEMENT,
            )
        before = _snapshot(dossier)
        status_before = before[0]
        try:
            services.perform(dossier, action, people[who], **PARAMS[action])
        except services.DossierError as exc:
            assert _snapshot(dossier) == before, (
                f"{action} by {who} refused ({exc.code}) but changed"
            )
            if not _may(action, who):
                assert exc.status in (403, 404)
            elif status_before not in lifecycle.transition(action).sources:
                assert exc.status == 409
        else:
            assert _may(action, who), f"{action} by {who} was accepted"
            assert status_before in lifecycle.transition(action).sources
            status, events, _ = _snapshot(dossier)
            assert events == before[1] + 1
            target = lifecycle.transition(action).target
            if target is not None:
                assert status == target
            elif action == "request_withdrawal":
                assert status == status_before
            else:  # submit_supplement goes back to where the request came from
                assert status == dossier.supplement.status_before
        dossier.refresh_from_db()
        card = json.loads(TrackingCard.objects.get(dossier=dossier).body)
        assert card == _expected(dossier)
        history = list(DossierEvent.objects.filter(dossier=dossier).order_by("at", "id"))
        steps_on_card = [(e["action"], e["status"]) for e in card["history"]]
        assert history_problems(dossier.status, history, steps_on_card) == []
