"""The server under test: ``motcua serve`` (granian, WSGI) as a child process on 127.0.0.1.

It runs in its own session so a Ctrl-C in the terminal reaches only the harness, which then
stops the server in order (SIGTERM, a grace period, then SIGKILL to the server's own process
group, i.e. its granian workers and nothing else).
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def get(
    port: int,
    path: str,
    timeout: float = 10.0,
    headers: dict[str, str] | None = None,
    method: str = "GET",
    body: bytes | None = None,
) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


class BenchServer:
    def __init__(self, *, env: dict[str, str], log_path: Path, workers: int = 2, threads: int = 2):
        self.env = {**os.environ, **env}
        self.log_path = log_path
        self.workers = workers
        self.threads = threads
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        self._log = None

    @property
    def pgid(self) -> int:
        """The server's process group (it leads a session of its own): it and its workers."""
        assert self.process is not None
        return self.process.pid

    @property
    def base(self) -> str:
        return f"http://{HOST}:{self.port}"

    def __enter__(self) -> BenchServer:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self, ready_timeout: float = 60.0) -> None:
        self._log = open(self.log_path, "wb")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "motcua",
                "serve",
                "--host",
                HOST,
                "--port",
                str(self.port),
                "--workers",
                str(self.workers),
                "--threads",
                str(self.threads),
            ],
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + ready_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"motcua serve exited with code {self.process.returncode}:\n{self.log_tail()}"
                )
            try:
                status, _ = get(self.port, "/readyz", timeout=2)
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(
            f"motcua serve was not ready within {ready_timeout:.0f} s:\n{self.log_tail()}"
        )

    def stop(self, grace: float = 10.0) -> None:
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(grace)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                process.wait(5)
        if self._log is not None:
            self._log.close()
            self._log = None

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no server log)"
