"""Numbers of issued forms: one sequence per agency, form and year (docs/domain.md §6.1)."""

from django.db import connection

from motcua.documents.models import FormCounter

_TABLE = FormCounter._meta.db_table


def next_number(agency_id: int, form_code: str, year: int) -> int:
    """Take the next number. One statement, so two officers issuing at the same instant
    get two numbers: PostgreSQL serialises the upsert on the unique row, SQLite on its
    write lock. Call inside the transaction that stores the form."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_TABLE} (agency_id, form_code, year, last) "  # noqa: S608
            "VALUES (%s, %s, %s, 1) "
            "ON CONFLICT (agency_id, form_code, year) DO UPDATE SET last = "
            f"{_TABLE}.last + 1 RETURNING last",
            [agency_id, form_code, year],
        )
        (number,) = cursor.fetchone()
    return number
