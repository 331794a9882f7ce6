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


def test_the_stamp_reads_only_what_an_index_holds():
    # COUNT(*) and MAX(updated_at) of one owner's rows: an index on (owner, updated_at) answers
    # alone (an index-only scan on PostgreSQL, 10 ms → 0.1 ms for 200 dossiers on the bench
    # database), where COUNT(id) or another column would read a table page per dossier.
    owner = UserFactory()
    _drafts(owner, 3)
    with CaptureQueriesContext(connection) as captured:
        selectors.my_dossiers_stamp(owner)
    (statement,) = captured.captured_queries
    sql = statement["sql"]
    assert "COUNT(*)" in sql and 'MAX("dossiers_dossier"."updated_at")' in sql, sql
    assert sql.count('"dossiers_dossier".') == 2, sql  # updated_at read, owner_id filtered
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "dossiers_dossier")
    assert constraints["dossier_owner_updated"]["columns"] == ["owner_id", "updated_at"]
