"""One fixed, very frequent read as a server-side prepared statement on PostgreSQL.

Django's PostgreSQL backend sends every statement as text for the server to parse and plan
again, which is right for the ORM's endless variety of statements. For the busiest anonymous
read (public tracking: a primary-key lookup) planning cost PostgreSQL more than executing,
so ``fetch_one`` prepares that statement once per connection and then only sends the
parameter.

Only cursors made here prepare: Django's own cursors bind on the client and never do, so the
rest of the application is unchanged. A transaction-mode connection pooler older than
PgBouncer 1.21 loses prepared statements between transactions: set
``MOTCUA_DB_PREPARED_READS=0`` there (settings.DB_PREPARED_READS), and these reads go through
Django's ordinary cursor.
"""

from __future__ import annotations

from collections.abc import Sequence

import psycopg
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections


def fetch_one(sql: str, params: Sequence) -> tuple | None:
    """The first row of ``sql`` (parameters as ``%s``) or None."""
    # Once: each attribute read through django.db.connection is a thread-local lookup.
    db = connections[DEFAULT_DB_ALIAS]
    if (
        db.vendor != "postgresql"
        or not settings.DB_PREPARED_READS
        # DEBUG and the tests' statement counts need Django's recording cursor, which
        # cannot show a prepared statement's text; the answer is the same either way.
        or db.queries_logged
    ):
        with db.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()
    # The checks of BaseDatabaseWrapper.cursor() and CursorWrapper.execute(); the wrapper
    # itself would cost as much as the statement's own client-side work.
    db.close_if_health_check_failed()
    db.ensure_connection()
    db.validate_thread_sharing()
    db.validate_no_broken_transaction()
    raw = db.connection
    if raw.prepare_threshold is None:
        # Django sets None (automatic preparing off), which also refuses an explicit
        # prepare=True. A threshold no statement reaches keeps automatic preparing off for
        # Django's own cursors (they bind on the client and never prepare anyway).
        raw.prepare_threshold = 2**31 - 1
    with db.wrap_database_errors, psycopg.Cursor(raw) as cursor:
        # Server-side binding; psycopg prepares once per connection and statement text.
        cursor.execute(sql, params, prepare=True)
        return cursor.fetchone()
