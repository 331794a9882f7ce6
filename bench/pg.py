"""The PostgreSQL server the benchmark seeds: reachability check, create and drop of its database.

Only psycopg is used here, so these checks run before Django is configured: Django reads
``DATABASE_URL`` once, at set-up, and must be pointed at a database that already exists.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

# BENCH_DATABASE names another database, e.g. for the test that seeds a small one.
BENCH_DB = os.environ.get("BENCH_DATABASE", "motcua_bench")
DEFAULT_SERVER_URL = "postgres://postgres@127.0.0.1:5432"


class PostgresUnavailable(RuntimeError):
    pass


def server_url() -> str:
    return os.environ.get("BENCH_POSTGRES_URL", DEFAULT_SERVER_URL).rstrip("/")


def database_url(name: str = BENCH_DB) -> str:
    parts = urlsplit(server_url())
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))


def _connect(name: str, **kwargs) -> psycopg.Connection:
    # psycopg wants the "postgresql" scheme; django-environ accepts both spellings.
    url = database_url(name).replace("postgres://", "postgresql://", 1)
    return psycopg.connect(url, connect_timeout=5, **kwargs)


def connect(name: str = BENCH_DB, **kwargs) -> psycopg.Connection:
    """A psycopg connection of its own, outside Django's (COPY, clean-ups)."""
    return _connect(name, **kwargs)


def check_server() -> str:
    """Return the server version, or raise with a message that says what to do."""
    try:
        with _connect("postgres") as conn:
            version = conn.execute("SHOW server_version").fetchone()[0]
            superuser = conn.execute(
                "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"
            ).fetchone()[0]
    except psycopg.OperationalError as exc:
        where = urlsplit(server_url()).netloc
        raise PostgresUnavailable(
            f"PostgreSQL does not answer at {where} ({str(exc).strip().splitlines()[0]}).\n"
            "The benchmark needs a PostgreSQL server on 127.0.0.1:5432 that lets user 'postgres' in "
            "without a password (trust authentication), e.g. on Debian:\n"
            "    apt-get install -y postgresql && service postgresql start\n"
            "    (and 'host all all 127.0.0.1/32 trust' in pg_hba.conf)\n"
            "or set BENCH_POSTGRES_URL=postgres://user:password@host:port to use another server."
        ) from None
    if not superuser:
        raise PostgresUnavailable(
            "The benchmark's PostgreSQL role must be a superuser: migrations create the pg_trgm "
            "extension and the seeder creates and drops its own database."
        )
    return version


def database_exists(name: str = BENCH_DB) -> bool:
    with _connect("postgres") as conn:
        return (
            conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            is not None
        )


def create_database(name: str = BENCH_DB) -> None:
    # template0 with an explicit UTF8 encoding: template1 may have been created as SQL_ASCII.
    with _connect("postgres", autocommit=True) as conn:
        conn.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8'").format(
                sql.Identifier(name)
            )
        )


def drop_database(name: str = BENCH_DB) -> None:
    # FORCE ends sessions left behind by an interrupted run (PostgreSQL 13+).
    with _connect("postgres", autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def query(name: str, statement: str, params=None):
    """Rows of one read-only statement, or None when a table or column it names does not exist
    (yet, or any more: a marker table written by an older version of the harness)."""
    with _connect(name) as conn:
        try:
            return conn.execute(statement, params).fetchall()
        except (psycopg.errors.UndefinedTable, psycopg.errors.UndefinedColumn):
            return None


def prewarm(tables: tuple[str, ...], name: str = BENCH_DB) -> float | str:
    """Read ``tables`` and their indexes into the operating system's file cache: the seconds
    it took, or why it could not (the scenario then runs on whatever is cached).

    A database server sized for its working set keeps these in memory, and a scenario should
    measure the application, not the disk. It matters on these virtual machines: their file
    cache is paged out after about a minute untouched (the kernel's DAMON reclaim), so a
    table the previous scenarios did not read is back on disk when its scenario starts.
    ``pg_prewarm`` ships with PostgreSQL (contrib); mode ``read`` fills the file cache, not
    ``shared_buffers``, which is far smaller than these tables."""
    import time

    started = time.monotonic()
    try:
        with _connect(name, autocommit=True) as conn:
            conn.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
            for table in tables:
                conn.execute("SELECT pg_prewarm(%s::regclass, 'read')", [table])
                for (index,) in conn.execute(
                    "SELECT indexrelid::regclass::text FROM pg_index WHERE indrelid = %s::regclass",
                    [table],
                ).fetchall():
                    conn.execute("SELECT pg_prewarm(%s::regclass, 'read')", [index])
    except psycopg.Error as exc:
        return f"{type(exc).__name__}: {str(exc).strip()}"
    return time.monotonic() - started
