"""motcua.core.db.fetch_one: the tracking read's prepared statement on PostgreSQL."""

import pytest
from django.db import ProgrammingError, connection, transaction
from django.test.utils import CaptureQueriesContext

from motcua.core.db import fetch_one
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's"
)

SQL = "SELECT email FROM accounts_user WHERE id = %s"


def _prepared() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def test_the_row_or_none():
    user = UserFactory(email="an@example.vn")
    assert fetch_one(SQL, [user.pk]) == ("an@example.vn",)
    assert fetch_one(SQL, [user.pk + 1000]) is None


def test_counted_and_shown_where_statements_are_recorded():
    user = UserFactory()
    with CaptureQueriesContext(connection) as captured:
        assert fetch_one(SQL, [user.pk]) == (user.email,)
    [query] = captured.captured_queries
    assert "accounts_user" in query["sql"] and str(user.pk) in query["sql"]


@postgres_only
def test_prepared_once_per_connection():
    first, second = UserFactory(), UserFactory()
    assert fetch_one(SQL, [first.pk]) == (first.email,)
    assert fetch_one(SQL, [second.pk]) == (second.email,)
    assert _prepared().count("SELECT email FROM accounts_user WHERE id = $1") == 1


@postgres_only
def test_django_cursors_still_prepare_nothing():
    user = UserFactory()
    fetch_one(SQL, [user.pk])  # sets the connection's threshold
    for _ in range(10):
        with connection.cursor() as cursor:
            cursor.execute("SELECT id FROM accounts_user WHERE email = %s", [user.email])
    assert not [s for s in _prepared() if "WHERE email" in s]


@postgres_only
def test_switched_off_nothing_is_prepared(settings):
    settings.DB_PREPARED_READS = False
    user = UserFactory()
    assert fetch_one(SQL, [user.pk]) == (user.email,)
    assert not [s for s in _prepared() if "accounts_user" in s]


@postgres_only
def test_errors_are_djangos_and_the_transaction_rule_holds():
    with pytest.raises(ProgrammingError), transaction.atomic():
        fetch_one("SELECT no_such_column FROM accounts_user WHERE id = %s", [1])
    user = UserFactory()
    assert fetch_one(SQL, [user.pk]) == (user.email,)


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_survives_discard_all():
    """A pooler or an administrator may DISCARD ALL: the statement is prepared again."""
    user = UserFactory()
    assert fetch_one(SQL, [user.pk]) == (user.email,)
    with connection.cursor() as cursor:
        cursor.execute("DISCARD ALL")
    assert fetch_one(SQL, [user.pk]) == (user.email,)
