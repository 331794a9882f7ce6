"""One fixed, very frequent read as a prepared statement sent straight through libpq.

Public tracking is the busiest read: one primary-key lookup of text. Through the ORM, or even
a plain cursor, the client-side work (building the statement, binding, Django's cursor
wrapper, psycopg's cursor machinery) and PostgreSQL's planning of the same statement again
and again cost several times the lookup itself. ``fetch_text_row`` prepares the statement
once per connection and then sends only the parameters, through psycopg's documented libpq
layer (``psycopg.pq``), which releases the GIL while it waits.

It does so only where nothing can go subtly wrong: on PostgreSQL, outside any transaction
(Django's autocommit, the connection idle), when no one is recording statements (DEBUG, the
tests' counts), with text parameters free of NUL characters. Everywhere else, and whenever PostgreSQL answers with an
error, the statement goes through Django's ordinary cursor, which gives the usual answer or
raises the usual exception.

A transaction-mode connection pooler older than PgBouncer 1.21 loses prepared statements
between transactions: set ``MOTCUA_DB_PREPARED_READS=0`` there (settings.DB_PREPARED_READS).
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Sequence

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from psycopg import pq

_MISSING_STATEMENT = b"26000"  # invalid_sql_statement_name: new connection, or DISCARD ALL


def fetch_text_row(sql: str, params: Sequence[str]) -> tuple[str | None, ...] | None:
    """The first row of ``sql`` (parameters as ``%s``), whose columns are all text, or None.

    Text, because the prepared path returns what PostgreSQL sends, undecoded but for the
    character set: only text columns come back the same on both paths."""
    # Once: every attribute read through django.db.connection is a thread-local lookup.
    db = connections[DEFAULT_DB_ALIAS]
    if (
        db.vendor == "postgresql"
        and settings.DB_PREPARED_READS
        and not db.queries_logged
        # libpq reads text parameters up to a NUL, so "CODE\x00…" would silently look up
        # "CODE"; the ordinary cursor refuses such a parameter with an error instead.
        and all(type(p) is str and "\x00" not in p for p in params)
    ):
        db.close_if_health_check_failed()
        db.ensure_connection()
        db.validate_thread_sharing()
        if db.get_autocommit() and not db.in_atomic_block:
            raw = db.connection
            if raw.pgconn.transaction_status == pq.TransactionStatus.IDLE:
                with db.wrap_database_errors:
                    result = _execute(raw.pgconn, sql, params)
                if result is not None:
                    return _first_row(result, raw.info.encoding)
    with db.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def _execute(pgconn, sql: str, params: Sequence[str]):
    """The successful result, or None to let the ordinary cursor run it (and report the
    error the usual way)."""
    name, text = _statement(sql)
    values = [p.encode() for p in params]
    result = pgconn.exec_prepared(name, values)
    if (
        result.status == pq.ExecStatus.FATAL_ERROR
        and result.error_field(pq.DiagnosticField.SQLSTATE) == _MISSING_STATEMENT
    ):
        if pgconn.prepare(name, text).status != pq.ExecStatus.COMMAND_OK:
            return None
        result = pgconn.exec_prepared(name, values)
    return result if result.status == pq.ExecStatus.TUPLES_OK else None


def _first_row(result, encoding: str) -> tuple[str | None, ...] | None:
    if not result.ntuples:
        return None
    values = (result.get_value(0, column) for column in range(result.nfields))
    return tuple(None if v is None else v.decode(encoding) for v in values)


@functools.lru_cache(maxsize=32)
def _statement(sql: str) -> tuple[bytes, bytes]:
    """A name unique to the statement's text, and the text with libpq's ``$n`` markers."""
    parts = sql.split("%s")
    text = parts[0] + "".join(f"${n}{part}" for n, part in enumerate(parts[1:], start=1))
    digest = hashlib.sha256(sql.encode()).hexdigest()[:16]
    return f"motcua_{digest}".encode(), text.encode()
