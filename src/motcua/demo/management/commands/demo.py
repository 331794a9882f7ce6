"""``motcua demo``: one command from a fresh clone to a working portal.

Migrates, seeds (idempotent), then runs the task worker and the web server in child
processes until stopped (Ctrl-C, SIGTERM, SIGHUP, its terminal closing), so the confirmation
e-mail of a new registration reaches the demo mailbox within seconds. However it is stopped,
its children stop with it, within seconds (``motcua.core.processes``).
"""

import os
import signal
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connections

from motcua.core.processes import exit_promptly, start_child, stop_children
from motcua.demo.services import ACCOUNTS

# Ctrl-C, kill, the terminal closing, and Ctrl-\ all stop the demo and everything it started.
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT)
# Long enough for the children's own orderly stop (well under a second when idle), short
# enough that a stop never takes more than a few seconds; then SIGKILL.
STOP_GRACE_SECONDS = 3.0


class Command(BaseCommand):
    help = "Chạy bản trình diễn: tạo cơ sở dữ liệu, nạp dữ liệu mẫu, chạy máy chủ web và tiến trình nền."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=1)

    def handle(self, *args, **opts):
        call_command("migrate", interactive=False, verbosity=0)
        call_command("seed_demo")
        url = f"http://{opts['host']}:{opts['port']}/"
        self.stdout.write(self.style.SUCCESS(f"\nCổng dịch vụ công (bản trình diễn): {url}"))
        self.stdout.write(f"Hộp thư thử nghiệm: {url}hop-thu-demo/   Quản trị: {url}quan-tri/")
        self.stdout.write(f"Tài khoản trình diễn (mật khẩu «{settings.DEMO_PASSWORD}»):")
        for acc in ACCOUNTS:
            self.stdout.write(f"  {acc.email:<32} {acc.full_name}")
        if "MOTCUA_BASE_URL" not in os.environ:
            # Links in the demo's e-mails and receipts must lead back to this server, also on
            # another port; the web workers and the task worker read it from the environment.
            wildcard = opts["host"] in ("0.0.0.0", "::")  # noqa: S104 (a comparison, not a bind)
            link_host = "127.0.0.1" if wildcard else opts["host"]
            os.environ["MOTCUA_BASE_URL"] = f"http://{link_host}:{opts['port']}"
            if link_host != opts["host"]:
                os.environ.setdefault("MOTCUA_ALLOWED_HOSTS", "*")
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "motcua.settings"),
        }
        # The children open their own; this process only waits from here on.
        connections.close_all()
        stop = _StopRequest()
        for sig in STOP_SIGNALS:
            signal.signal(sig, stop.handle)
        children = []
        code = 0
        try:
            # Both in child processes started with this environment: the web server's workers
            # would otherwise inherit settings this process loaded before MOTCUA_BASE_URL was set.
            python = [sys.executable, "-m", "motcua"]
            if not stop.signals:
                children.append(start_child([*python, "worker", "--verbosity", "0"], env))
            if not stop.signals:
                children.append(
                    start_child(
                        [
                            *python,
                            "serve",
                            "--host",
                            opts["host"],
                            "--port",
                            str(opts["port"]),
                            "--workers",
                            str(opts["workers"]),
                        ],
                        env,
                    )
                )
            while not stop.signals:
                ended = [child for child in children if child.poll() is not None]
                if ended:
                    code = ended[0].returncode or 1
                    self._say(self.style.ERROR("Một tiến trình con đã dừng; dừng bản trình diễn."))
                    break
                time.sleep(0.2)
        finally:
            stop_children(children, STOP_GRACE_SECONDS, hurry=lambda: len(stop.signals) > 1)
        self._say("Đã dừng bản trình diễn.")
        # Nothing is left to clean up: skip the seconds of interpreter finalisation.
        exit_promptly(code)

    def _say(self, message):
        try:
            self.stdout.write(message)
        except OSError:  # the terminal has gone away
            pass


class _StopRequest:
    """The stop signals received, in order; a handler that only records them, so that the
    command always reaches its own clean-up whatever it was doing when one arrived."""

    def __init__(self):
        self.signals = []

    def handle(self, signum, frame):
        self.signals.append(signum)
