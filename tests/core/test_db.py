"""motcua.core.db.fetch_text_row: the tracking read, prepared and sent through libpq."""

import pytest
from django.db import ProgrammingError, connection, transaction
from django.test.utils import CaptureQueriesContext

from motcua.core.db import fetch_text_row
from tests.factories import UserFactory

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's"
)
# The prepared path runs only outside transactions, which the usual test wrapper opens.
outside_transactions = pytest.mark.django_db(transaction=True)

SQL = "SELECT email, full_name FROM accounts_user WHERE email = %s"
PREPARED_TEXT = "SELECT email, full_name FROM accounts_user WHERE email = $1"


def _prepared() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, statement FROM pg_prepared_statements")
        return [statement for name, statement in cursor.fetchall() if name.startswith("motcua_")]


@pytest.mark.django_db
def test_the_row_or_none_inside_a_transaction():
    user = UserFactory(email="an@example.vn", full_name="Nguyễn Văn An")
    assert fetch_text_row(SQL, [user.email]) == ("an@example.vn", "Nguyễn Văn An")
    assert fetch_text_row(SQL, ["khong-co@example.vn"]) is None


@outside_transactions
def test_the_row_or_none_outside_transactions():
    user = UserFactory(email="binh@example.vn", full_name="Trần Thị Bình")
    assert fetch_text_row(SQL, [user.email]) == ("binh@example.vn", "Trần Thị Bình")
    assert fetch_text_row(SQL, ["khong-co@example.vn"]) is None


@outside_transactions
def test_counted_and_shown_where_statements_are_recorded():
    user = UserFactory()
    with CaptureQueriesContext(connection) as captured:
        assert fetch_text_row(SQL, [user.email]) == (user.email, user.full_name)
    [query] = captured.captured_queries
    assert "accounts_user" in query["sql"] and user.email in query["sql"]


@postgres_only
@outside_transactions
def test_prepared_once_per_connection():
    first, second = UserFactory(), UserFactory()
    assert fetch_text_row(SQL, [first.email]) == (first.email, first.full_name)
    assert fetch_text_row(SQL, [second.email]) == (second.email, second.full_name)
    assert _prepared() == [PREPARED_TEXT]


@postgres_only
@outside_transactions
def test_prepared_again_after_discard_all():
    """A pooler or an administrator may DISCARD ALL: the statement is prepared again."""
    user = UserFactory()
    assert fetch_text_row(SQL, [user.email]) == (user.email, user.full_name)
    with connection.cursor() as cursor:
        cursor.execute("DISCARD ALL")
    assert _prepared() == []
    assert fetch_text_row(SQL, [user.email]) == (user.email, user.full_name)
    assert _prepared() == [PREPARED_TEXT]


@postgres_only
@outside_transactions
def test_inside_a_transaction_nothing_is_prepared():
    user = UserFactory()
    with transaction.atomic():
        assert fetch_text_row(SQL, [user.email]) == (user.email, user.full_name)
    assert _prepared() == []


@postgres_only
@outside_transactions
def test_switched_off_nothing_is_prepared(settings):
    settings.DB_PREPARED_READS = False
    user = UserFactory()
    assert fetch_text_row(SQL, [user.email]) == (user.email, user.full_name)
    assert _prepared() == []


@postgres_only
@outside_transactions
def test_errors_are_djangos_and_the_connection_goes_on():
    with pytest.raises(ProgrammingError):
        fetch_text_row("SELECT no_such_column FROM accounts_user WHERE email = %s", ["x"])
    user = UserFactory()
    assert fetch_text_row(SQL, [user.email]) == (user.email, user.full_name)


@pytest.mark.django_db
def test_a_parameter_that_is_not_text_takes_the_ordinary_path():
    user = UserFactory()
    row = fetch_text_row("SELECT email FROM accounts_user WHERE id = %s", [user.pk])
    assert row == (user.email,)


@postgres_only
@outside_transactions
def test_a_nul_in_a_parameter_is_refused_not_cut_short():
    """libpq would read "email\\x00…" as "email" and find the row; PostgreSQL text cannot
    hold a NUL, so the answer is the database's usual error."""
    from django.db import DataError

    user = UserFactory()
    with pytest.raises(DataError):
        fetch_text_row(SQL, [f"{user.email}\x00khac"])
