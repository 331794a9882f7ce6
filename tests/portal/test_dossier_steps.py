"""The citizen follows every step (issue 9, item 8): the personal page and the public tracking
list each event of the dossier with its Vietnamese label, and never an officer's internal note."""

import pytest

from motcua.dossiers.lifecycle import TRANSITIONS
from motcua.dossiers.models import DossierEvent
from tests.accounts.helpers import is_vietnamese
from tests.api.access_scene import INTERNAL, build_scene
from tests.api.dossier_helpers import private_dir  # noqa: F401 (fixture)
from tests.signing.conftest import pki, result_pdf  # noqa: F401 (session fixtures)

pytestmark = pytest.mark.django_db

STEPS = ["submit", "accept", "assign", "forward", "approve", "sign_result"]


def test_every_action_has_a_vietnamese_label():
    for action, t in TRANSITIONS.items():
        assert is_vietnamese(t.label), action


def test_the_personal_page_and_tracking_show_every_step_in_order(
    client,
    private_dir,  # noqa: F811
    pki,  # noqa: F811
    result_pdf,  # noqa: F811
):
    scene = build_scene(pki, result_pdf)
    code, number = scene.code, scene.dossier.applicant_id_number
    actions = list(
        DossierEvent.objects.filter(dossier=scene.dossier)
        .order_by("at", "id")
        .values_list("action", flat=True)
    )
    assert actions == STEPS
    labels = [TRANSITIONS[a].label for a in STEPS]

    tracked = client.get(f"/api/v1/tracking/{code}?id_number={number}").json()
    assert [step["action_label"] for step in tracked["history"]] == labels

    client.force_login(scene.dossier.owner)
    page = client.get(f"/ho-so/{code}/").content.decode()
    positions = [page.index(label) for label in labels]
    assert positions == sorted(positions)
    assert INTERNAL not in page
    answer = client.post("/tra-cuu/", {"code": code, "id_number": number})
    public = answer.content.decode()
    assert "card" in answer.context
    for label in labels:
        assert label in public, label
    assert INTERNAL not in public
