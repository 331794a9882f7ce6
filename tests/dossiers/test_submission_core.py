"""The heart of issue 3: a draft becomes a submitted dossier with a code, atomically."""

import re

import pytest
from django.utils import timezone

from motcua.dossiers import selectors, services
from motcua.dossiers.models import DossierEvent, Status
from tests.factories import ProcedureVersionFactory, UserFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _ready_draft(owner=None):
    owner = owner or UserFactory()
    version = ProcedureVersionFactory(procedure__code="1.004650")
    draft = services.create_draft(owner=owner, procedure_code="1.004650")
    services.update_draft(draft, actor=owner, delivery=services.Delivery(method="counter"))
    required = version.components.get(required=True)
    services.add_file(draft, actor=owner, component_id=required.pk, name="don.pdf", content=PDF)
    return owner, draft


def test_submit_assigns_code_and_history(mailoutbox, django_capture_on_commit_callbacks):
    owner, draft = _ready_draft()
    with django_capture_on_commit_callbacks(execute=True):
        dossier = services.submit(draft, owner)
    agency = dossier.receiving_agency.code
    assert re.fullmatch(rf"{re.escape(agency)}-{timezone.localdate():%y%m%d}-0001", dossier.code)
    assert dossier.status == Status.SUBMITTED and dossier.submitted_at
    assert DossierEvent.objects.filter(dossier=dossier, action="submit").count() == 1
    assert any(dossier.code in m.subject for m in mailoutbox)


def test_submit_twice_makes_one_dossier():
    owner, draft = _ready_draft()
    first = services.submit(draft, owner)
    second = services.submit(draft, owner)
    assert first.code == second.code
    assert DossierEvent.objects.filter(dossier=first).count() == 1


def test_missing_required_component_is_named():
    owner = UserFactory()
    version = ProcedureVersionFactory(procedure__code="1.004650")
    draft = services.create_draft(owner=owner, procedure_code="1.004650")
    services.update_draft(draft, actor=owner, delivery=services.Delivery(method="counter"))
    with pytest.raises(services.DossierError) as exc:
        services.submit(draft, owner)
    required = version.components.get(required=True)
    assert f"components.{required.pk}" in exc.value.fields
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT and draft.code is None


def test_another_citizen_sees_nothing_and_tracking_needs_the_number():
    owner, draft = _ready_draft()
    dossier = services.submit(draft, owner)
    assert selectors.own_dossier(UserFactory(), dossier.code) is None
    card = selectors.public_tracking(dossier.code, owner.id_number)
    assert card["code"] == dossier.code and card["submitted_at"] == dossier.submitted_at
    assert card["history"][0]["at"] == DossierEvent.objects.get(dossier=dossier).at
    assert selectors.public_tracking(dossier.code, "051090999999") is None
    assert selectors.public_tracking("H48.13-990101-0001", owner.id_number) is None


def test_lying_file_is_refused_and_nothing_is_stored():
    owner = UserFactory()
    version = ProcedureVersionFactory(procedure__code="1.004650")
    draft = services.create_draft(owner=owner, procedure_code="1.004650")
    required = version.components.get(required=True)
    with pytest.raises(services.DossierError) as exc:
        services.add_file(
            draft,
            actor=owner,
            component_id=required.pk,
            name="don.pdf",
            content=b"MZ\x90\x00 not a pdf",
        )
    assert exc.value.code == "invalid_file"
    assert draft.files.count() == 0
