"""Dossier codes ``<agency id>-<YYMMDD>-<NNNN>`` (docs/domain.md), never random, never reused.

The per-(agency, day) counter is bumped with one ``INSERT … ON CONFLICT DO UPDATE …
RETURNING`` inside the caller's transaction: PostgreSQL locks the counter row until commit
and SQLite serialises writers, so concurrent submissions get consecutive numbers and a
rolled-back submission returns its number.
"""

import datetime as dt

from django.db import connection

from motcua.dossiers.models import CodeCounter

_TABLE = CodeCounter._meta.db_table


def next_code(agency_code: str, day: dt.date) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_TABLE} (agency_code, day, last) VALUES (%s, %s, 1) "  # noqa: S608
            "ON CONFLICT (agency_code, day) DO UPDATE SET last = "
            f"{_TABLE}.last + 1 RETURNING last",
            [agency_code, day],
        )
        (number,) = cursor.fetchone()
    return f"{agency_code}-{day:%y%m%d}-{number:04d}"
