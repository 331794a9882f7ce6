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


def test_the_history_read_with_the_previous_hash_feeds_the_card():
    """One read of the events serves both the hash chain and the tracking card."""
    owner, draft = _ready_draft()
    with CaptureQueriesContext(connection) as queries:
        dossier = services.submit(draft, owner)
    events_reads = [
        q for q in queries.captured_queries if q["sql"].startswith('SELECT "dossiers_dossierevent"')
    ]
    assert len(events_reads) == 1
    assert dossier.tracking_card.body.count('"action":"submit"') == 1
