"""``make demo`` runs ``motcua demo``: it must come up on a fresh data folder, serve links
that lead back to its own port, start again on a folder already used (with a submitted
dossier in it), and leave no process behind, within seconds, however it is stopped."""

import contextlib
import fcntl
import http.client
import os
import select
import signal
import socket
import subprocess
import sys
import termios
import threading
import time
import urllib.request

import pytest

pytestmark = pytest.mark.e2e

# Ctrl-C, SIGTERM and the rest must stop the demo, its server and its worker within this,
# also on a loaded machine.
STOP_WITHIN = 5.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _env(data_dir) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "MOTCUA_"))}
    env.pop("DATABASE_URL", None)  # the demo's own SQLite file in its data folder
    env.update(DJANGO_SETTINGS_MODULE="motcua.settings", MOTCUA_DATA_DIR=str(data_dir))
    return env


def _take_terminal():
    """In the child, after setsid: make the pty on stdin its controlling terminal, as a
    terminal emulator does for the shell it starts."""
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class _Demo:
    """``motcua demo`` in its own session, its output collected; ``terminal=True`` runs it
    on a pseudo-terminal it controls, which ``hang_up`` closes like a terminal window."""

    def __init__(self, data_dir, port, terminal=False):
        self.port = port
        self.output = bytearray()
        self._master = None
        self._reading = threading.Event()
        command = [sys.executable, "-m", "motcua", "demo", "--port", str(port)]
        if terminal:
            self._master, slave = os.openpty()
            streams = {"stdin": slave, "stdout": slave, "stderr": slave}
            self.process = subprocess.Popen(
                command, env=_env(data_dir), start_new_session=True,
                preexec_fn=_take_terminal, **streams,
            )  # fmt: skip
            os.close(slave)
            source = self._master
        else:
            self.process = subprocess.Popen(
                command, env=_env(data_dir), stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
            source = self.process.stdout.fileno()
        self._reading.set()
        self._reader = threading.Thread(target=self._read, args=(source,), daemon=True)
        self._reader.start()

    def _read(self, fd):
        # Drained all along, so the demo never blocks writing to a full pipe or terminal.
        while self._reading.is_set():
            ready, _, _ = select.select([fd], [], [], 0.1)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # EIO: the pty's other side has gone
                return
            if not chunk:
                return
            self.output.extend(chunk)

    def wait_ready(self):
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{self.port}/healthz", timeout=2
                ) as response:
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.5)
        self.kill_everything()
        pytest.fail(f"motcua demo did not answer on port {self.port}:\n{self.tail()}")

    def hang_up(self):
        self._reading.clear()
        self._reader.join()
        os.close(self._master)
        self._master = None

    def tail(self) -> str:
        return self.output.decode(errors="replace")[-3000:]

    def kill_everything(self):
        for pid in _descendants(self.process.pid):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        self._reading.clear()
        if self._master is not None:
            os.close(self._master)


def _descendants(pid: int) -> set[int]:
    """Every process below ``pid`` (Linux's /proc)."""
    found = set()
    try:
        threads = os.listdir(f"/proc/{pid}/task")
    except FileNotFoundError:
        return found
    for thread in threads:
        try:
            with open(f"/proc/{pid}/task/{thread}/children") as f:
                children = [int(c) for c in f.read().split()]
        except FileNotFoundError:
            continue
        for child in children:
            found |= {child} | _descendants(child)
    return found


def _running(pid: int) -> bool:
    """Alive and not a zombie (a dead child nobody has reaped yet serves nothing)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(") ", 1)[1][0] != "Z"
    except (FileNotFoundError, IndexError):
        return False


def _serves(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True


def _start(data_dir, port, terminal=False) -> _Demo:
    return _Demo(data_dir, port, terminal).wait_ready()


def _stop(demo: _Demo, how: str = "SIGINT") -> float:
    """Stop the demo ``how`` (a signal for its pid, "terminal" closing its terminal,
    "SIGKILL" killing it outright), with a browser's keep-alive connection open; answer
    how long until it, its server and its worker were all gone and the port closed."""
    process = demo.process
    children = _descendants(process.pid)
    # A worker and a server with at least one granian worker: otherwise nothing is checked.
    assert len(children) >= 3, f"children of motcua demo: {children}"
    browser = http.client.HTTPConnection("127.0.0.1", demo.port, timeout=10)
    browser.request("GET", "/healthz")
    assert browser.getresponse().read()
    started = time.monotonic()
    if how == "terminal":
        demo.hang_up()
    else:
        process.send_signal(getattr(signal, how))
    try:
        while time.monotonic() - started < STOP_WITHIN:
            gone = process.poll() is not None and not any(_running(c) for c in children)
            if gone and not _serves(demo.port):
                elapsed = time.monotonic() - started
                print(f"motcua demo stopped by {how} in {elapsed:.2f} s")  # shown by -rP
                return elapsed
            time.sleep(0.05)
        left = sorted(c for c in children if _running(c))
        demo.kill_everything()
        pytest.fail(
            f"{how}: after {STOP_WITHIN} s motcua demo is {'gone' if process.returncode is not None else 'running'}, "
            f"children still running: {left}, port serving: {_serves(demo.port)}\n{demo.tail()}"
        )
    finally:
        browser.close()
        for child in children:
            if _running(child):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(child, signal.SIGKILL)


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
    demo = _start(tmp_path, port)
    try:
        submitted = _submit_through_the_api(port)
        assert submitted["receipt_url"].startswith(f"http://127.0.0.1:{port}/api/v1/dossiers/")
    finally:
        _stop(demo, "SIGINT")  # fails unless the whole demo is gone within STOP_WITHIN
    assert demo.process.returncode == 0, demo.tail()

    # Again on the same folder: seeding is idempotent even with a dossier holding files.
    port = _free_port()
    demo = _start(tmp_path, port)
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/hop-thu-demo/", timeout=10) as r:
            assert r.status == 200
    finally:
        _stop(demo, "SIGINT")


@pytest.mark.parametrize("how", ["SIGTERM", "SIGHUP", "terminal", "SIGKILL"])
def test_every_way_of_stopping_the_demo_stops_its_server_and_worker(tmp_path, how):
    """``kill <pid>``, SIGHUP, the terminal closing, and even SIGKILL of the demo alone
    (its children then learn it from the kernel) leave nothing running or serving."""
    demo = _start(tmp_path, _free_port(), terminal=how == "terminal")
    _stop(demo, how)
    if how != "SIGKILL":
        assert demo.process.returncode == 0, demo.tail()
