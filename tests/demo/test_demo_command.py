"""``make demo`` runs ``motcua demo``: it must come up on a fresh data folder, serve links
that lead back to its own port, start again on a folder already used (with a submitted
dossier in it), and leave no process behind on Ctrl-C."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

pytestmark = pytest.mark.e2e


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _env(data_dir) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "MOTCUA_"))}
    env.pop("DATABASE_URL", None)  # the demo's own SQLite file in its data folder
    env.update(DJANGO_SETTINGS_MODULE="motcua.settings", MOTCUA_DATA_DIR=str(data_dir))
    return env


def _start(data_dir, port):
    process = subprocess.Popen(
        [sys.executable, "-m", "motcua", "demo", "--port", str(port)],
        env=_env(data_dir),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                if r.status == 200:
                    return process
        except OSError:
            time.sleep(0.5)
        if process.poll() is not None:
            break
    out = process.stdout.read().decode() if process.poll() is not None else ""
    _stop(process)
    pytest.fail(f"motcua demo did not answer on port {port}:\n{out[-3000:]}")


def _stop(process):
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            pytest.fail("motcua demo did not stop on Ctrl-C")


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def _submit_through_the_api(port: int) -> dict:
    import json

    base = f"http://127.0.0.1:{port}/api/v1"

    def call(method, path, body=None, token=None, raw=None, ctype="application/json"):
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        request = urllib.request.Request(base + path, data=data, method=method)
        if data is not None:
            request.add_header("Content-Type", ctype)
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())

    token = call(
        "POST", "/auth/token", {"email": "congdan@demo.motcua.vn", "password": "demo12345"}
    )["token"]
    procedure = call("GET", "/procedures/1.004650")
    draft = call(
        "POST", "/dossiers", {"procedure": "1.004650", "delivery": {"method": "counter"}}, token
    )
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    for component in (c for c in procedure["components"] if c["required"]):
        body = (
            (
                f'--b\r\nContent-Disposition: form-data; name="component"\r\n\r\n{component["id"]}\r\n'
                '--b\r\nContent-Disposition: form-data; name="file"; filename="don.pdf"\r\n'
                "Content-Type: application/pdf\r\n\r\n"
            ).encode()
            + pdf
            + b"\r\n--b--\r\n"
        )
        call("POST", f"/dossiers/{draft['id']}/files", raw=body, token=token,
             ctype="multipart/form-data; boundary=b")  # fmt: skip
    return call("POST", f"/dossiers/{draft['id']}/submit", {}, token)


def test_demo_starts_links_home_restarts_and_stops(tmp_path):
    port = _free_port()
    process = _start(tmp_path, port)
    try:
        submitted = _submit_through_the_api(port)
        assert submitted["receipt_url"].startswith(f"http://127.0.0.1:{port}/ho-so/")
    finally:
        _stop(process)
    assert not _group_alive(process.pid), "a child of motcua demo outlived Ctrl-C"

    # Again on the same folder: seeding is idempotent even with a dossier holding files.
    port = _free_port()
    process = _start(tmp_path, port)
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/hop-thu-demo/", timeout=10) as r:
            assert r.status == 200
    finally:
        _stop(process)
