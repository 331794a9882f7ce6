"""The personal list's cache stamp (dossiers.selectors.my_dossiers_stamp): right, and cheap
for a citizen with hundreds of dossiers."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.dossiers import selectors, services
from motcua.dossiers.models import Dossier
from tests.factories import ProcedureVersionFactory, UserFactory

pytestmark = pytest.mark.django_db


def _drafts(owner, n):
    version = ProcedureVersionFactory()
    return [
        services.create_draft(owner=owner, procedure_code=version.procedure.code) for _ in range(n)
    ]


def test_the_stamp_counts_and_follows_the_latest_change():
    owner = UserFactory()
    assert selectors.my_dossiers_stamp(owner) == (0, None)
    first, second = _drafts(owner, 2)
    _drafts(UserFactory(), 1)  # someone else's
    count, latest = selectors.my_dossiers_stamp(owner)
    assert count == 2 and latest == max(first.updated_at, second.updated_at)
    first.save()  # any change the list can show saves the dossier
    changed = Dossier.objects.get(pk=first.pk).updated_at
    assert changed > latest and selectors.my_dossiers_stamp(owner) == (2, changed)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plan")
def test_the_stamp_is_answered_from_an_index_alone():
    owner = UserFactory()
    _drafts(owner, 3)
    with CaptureQueriesContext(connection) as captured:
        selectors.my_dossiers_stamp(owner)
    (statement,) = captured.captured_queries
    with connection.cursor() as cursor:
        # A test table is tiny: forbid the plans a table of a million would not use either.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute(f"EXPLAIN {statement['sql']}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Index Only Scan using dossier_owner_updated" in plan, plan
