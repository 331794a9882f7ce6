"""``motcua demo``: one command from a fresh clone to a working portal.

Migrates, seeds (idempotent), then runs the task worker and the web server in child
processes until Ctrl-C, so the confirmation e-mail of a new registration reaches the demo
mailbox within seconds.
"""

import os
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from motcua.demo.services import ACCOUNTS


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
        # Both in child processes started with this environment: the web server's workers
        # would otherwise inherit settings this process loaded before MOTCUA_BASE_URL was set.
        worker = subprocess.Popen(
            [sys.executable, "-m", "motcua", "worker", "--verbosity", "0"], env=env
        )
        server = subprocess.Popen(  # noqa: S603 (our own command; port is an int, host a name)
            [
                sys.executable,
                "-m",
                "motcua",
                "serve",
                "--host",
                opts["host"],
                "--port",
                str(opts["port"]),
                "--workers",
                str(opts["workers"]),
            ],
            env=env,
        )
        try:
            server.wait()
        except KeyboardInterrupt:
            pass
        finally:
            for child in (server, worker):
                if child.poll() is None:
                    child.send_signal(signal.SIGTERM)
            for child in (server, worker):
                try:
                    child.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    child.kill()
