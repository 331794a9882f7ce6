"""A status change locks the dossier's row and nothing else: locking the joined catalogue
rows made every dossier of a procedure wait for the others, and deadlocked against the
key-share locks that inserting drafts takes on them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.dossiers import services
from tests.dossiers.test_submission_core import _ready_draft

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no row locks")
def test_perform_locks_only_the_dossier_row():
    owner, draft = _ready_draft()
    with CaptureQueriesContext(connection) as queries:
        services.submit(draft, owner)
    [lock] = [q["sql"] for q in queries.captured_queries if "FOR UPDATE" in q["sql"]]
    assert lock.rstrip().endswith('FOR UPDATE OF "dossiers_dossier"')


def _event_reads(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith('SELECT "dossiers_dossierevent"')
    ]


def test_the_history_read_with_the_previous_hash_feeds_the_card():
    """One read of the events serves both the hash chain and the tracking card; submitting a
    draft reads none, since a draft has no history."""
    from motcua.core.audit import chain_hash
    from motcua.dossiers import lifecycle
    from motcua.dossiers.models import DossierEvent

    assert lifecycle.DRAFT_HAS_NO_HISTORY
    owner, draft = _ready_draft()
    with CaptureQueriesContext(connection) as queries:
        dossier = services.submit(draft, owner)
    assert _event_reads(queries) == []
    assert dossier.tracking_card.body.count('"action":"submit"') == 1
    with CaptureQueriesContext(connection) as queries:
        services.perform(dossier, "request_withdrawal", owner, note="Tôi nộp nhầm thủ tục")
    assert len(_event_reads(queries)) == 1
    dossier.tracking_card.refresh_from_db()
    body = dossier.tracking_card.body
    assert body.index('"action":"submit"') < body.index('"action":"request_withdrawal"')
    first, second = DossierEvent.objects.filter(dossier=dossier).order_by("at", "id")
    assert first.prev_hash == "" and second.prev_hash == first.hash
    assert first.hash == chain_hash(
        "",
        {
            "dossier": dossier.pk,
            "at": first.at.isoformat(),
            "action": "submit",
            "status": first.status,
            "actor": owner.pk,
            "note": first.note,
            "data": first.data,
        },
    )


def test_a_status_change_writes_only_what_it_changed():
    """One conditional UPDATE: the optimistic check and the write together, naming the
    columns the action changed, the version and the time of the change."""
    owner, draft = _ready_draft()
    before = type(draft).objects.get(pk=draft.pk)
    with CaptureQueriesContext(connection) as queries:
        dossier = services.submit(draft, owner)
    [update] = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
    assert '"lock_version" = 1' in update and '"updated_at"' in update
    for written in ("code", "status", "sub_state", "submitted_at"):
        assert f'"{written}" =' in update
    for untouched in ("applicant_name", "note", "public_id", "created_at", "owner_id"):
        assert f'"{untouched}" =' not in update
    stored = type(draft).objects.get(pk=draft.pk)
    assert stored.lock_version == before.lock_version + 1 == dossier.lock_version
    assert stored.updated_at == dossier.updated_at > before.updated_at
    assert (stored.code, stored.status, stored.submitted_at) == (
        dossier.code,
        dossier.status,
        dossier.submitted_at,
    )
    assert stored.applicant_name == before.applicant_name
