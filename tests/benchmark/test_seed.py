"""The benchmark's seeder loads rows with COPY, bypassing the models: a column added by a
later migration must not stop it (a fresh bench database once could not be seeded because
``result_type`` was unknown to it). Seeds a small database of its own and drops it."""

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the benchmark seeds PostgreSQL only"
)


def _server_url() -> str:
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit((parts.scheme, parts.netloc, "", "", ""))


def test_a_fresh_small_bench_database_is_seeded_and_consistent():
    name = f"motcua_bench_test_{os.getpid()}"
    server = _server_url()
    env = {
        **os.environ,
        "BENCH_POSTGRES_URL": server,
        "BENCH_DATABASE": name,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DATABASE_URL", None)
    args = ["--procedures", "40", "--citizens", "300", "--dossiers", "6000", "--fresh"]
    try:
        done = subprocess.run(
            [sys.executable, "-m", "bench.seed", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        url = f"{server}/{name}".replace("postgres://", "postgresql://", 1)
        with psycopg.connect(url) as conn:
            dossiers, owners, events = conn.execute(
                "SELECT count(*), count(DISTINCT owner_id), "
                "(SELECT count(*) FROM dossiers_dossierevent) FROM dossiers_dossier"
            ).fetchone()
            blank = conn.execute(
                "SELECT count(*) FROM dossiers_dossier WHERE result_type IS NULL"
            ).fetchone()[0]
        assert dossiers == 6000
        assert owners > 20
        assert events >= dossiers
        assert blank == 0
        # Seeding again with the same sizes reuses the database instead of rebuilding it.
        again = subprocess.run(
            [sys.executable, "-m", "bench.seed", *args[:-1]],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert again.returncode == 0, again.stdout + again.stderr
        assert "reusing the seeded data" in again.stdout
    finally:
        admin = f"{server}/postgres".replace("postgres://", "postgresql://", 1)
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
