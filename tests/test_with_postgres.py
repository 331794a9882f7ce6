"""``make test`` brings its own PostgreSQL when none answers: ``tools/with-postgres`` starts
a throwaway cluster, runs the command against it and removes it whatever happens."""

import contextlib
import importlib.machinery
import importlib.util
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "tools" / "with-postgres"


def _load_script():
    loader = importlib.machinery.SourceFileLoader("with_postgres", str(SCRIPT))
    spec = importlib.util.spec_from_loader("with_postgres", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


with_postgres = _load_script()

if os.environ.get("DATABASE_URL", "").startswith("postgres"):
    pytest.skip(
        "the same on both halves of the suite: run in the SQLite half", allow_module_level=True
    )

if with_postgres.find_bindir() is None and not (os.geteuid() == 0 and shutil.which("apt-get")):
    # CI installs PostgreSQL (the script does, as root): there this must run, not skip.
    if os.environ.get("CI"):
        raise RuntimeError("CI: PostgreSQL's initdb is missing and cannot be installed")
    pytest.skip("PostgreSQL (initdb) is not installed here", allow_module_level=True)

# What the command sees: its DATABASE_URL, and the server's data directory and postmaster.
PROBE = """
import json, os, sys, time, psycopg
url = os.environ["DATABASE_URL"]
with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres") as conn:
    data = conn.execute("select current_setting('data_directory')").fetchone()[0]
with open(os.path.join(data, "postmaster.pid")) as f:
    pid = int(f.readline())
print(json.dumps({"url": url, "data": data, "pid": pid}), flush=True)
time.sleep(float(sys.argv[1]))
sys.exit(int(sys.argv[2]))
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _run(url, *command, **kwargs):
    return subprocess.Popen(
        [sys.executable, str(SCRIPT), url, "--", *command],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kwargs,
    )


def _probe(url, sleep=0.0, status=0, **kwargs):
    return _run(url, sys.executable, "-c", PROBE, str(sleep), str(status), **kwargs)


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(") ", 1)[1][0] != "Z"
    except (FileNotFoundError, IndexError):
        return False


def _answers(url) -> bool:
    return with_postgres.answers(url)


def _assert_removed(seen, within=15.0):
    deadline = time.monotonic() + within
    while _running(seen["pid"]) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _running(seen["pid"]), "the throwaway PostgreSQL outlived the script"
    assert not _answers(seen["url"])


@pytest.fixture
def nothing_listens():
    port = _free_port()
    return f"postgres://postgres@127.0.0.1:{port}/motcua_probe"


def test_a_throwaway_cluster_is_used_and_removed_and_the_status_passed_on(nothing_listens):
    process = _probe(nothing_listens, 0, 3)
    out, err = process.communicate(timeout=180)
    assert process.returncode == 3, err
    seen = json.loads(out)
    # Its own port, the database name asked for, a cluster in a temporary directory.
    assert seen["url"].endswith("/motcua_probe") and seen["url"] != nothing_listens
    assert "motcua-pg-" in seen["data"]
    _assert_removed(seen)
    assert not Path(seen["data"]).parent.exists(), err


def test_a_server_that_answers_is_used_as_it_is(nothing_listens):
    # A throwaway cluster plays the server that answers; the inner run must use its URL.
    inner = f'{sys.executable} {SCRIPT} "$DATABASE_URL" -- {sys.executable} -c \'import os; print(os.environ["DATABASE_URL"])\''
    process = _run(nothing_listens, "sh", "-c", f'echo "$DATABASE_URL"; {inner}')
    out, err = process.communicate(timeout=180)
    assert process.returncode == 0, err
    given, used = out.split()
    assert used == given, err
    assert "dựng một cụm tạm thời" in err and err.count("dựng một cụm tạm thời") == 1, err


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
def test_the_cluster_is_removed_when_the_run_is_interrupted(nothing_listens, sig):
    # Its own process group, as under make in a terminal: Ctrl-C reaches the whole group.
    process = _probe(nothing_listens, 120, 0, start_new_session=True)
    seen = json.loads(process.stdout.readline())
    if sig == signal.SIGINT:
        os.killpg(process.pid, sig)
    else:
        process.send_signal(sig)
    process.communicate(timeout=60)
    assert process.returncode != 0
    _assert_removed(seen)
    assert not Path(seen["data"]).parent.exists()


def test_the_server_stops_even_when_the_script_is_killed(nothing_listens):
    process = _probe(nothing_listens, 120, 0, start_new_session=True)
    seen = json.loads(process.stdout.readline())
    try:
        process.kill()
        process.wait()
        _assert_removed(seen)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # the command it ran
        shutil.rmtree(Path(seen["data"]).parent, ignore_errors=True)
