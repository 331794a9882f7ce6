"""``motcua demo``: one command from a fresh clone to a working portal.

Migrates, seeds (idempotent), then runs the task worker in a child process and the web
server in the foreground, so the confirmation e-mail of a new registration reaches the demo
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
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "motcua.settings"),
        }
        worker = subprocess.Popen(
            [sys.executable, "-m", "motcua", "worker", "--verbosity", "0"], env=env
        )
        try:
            call_command("serve", host=opts["host"], port=opts["port"], workers=opts["workers"])
        finally:
            worker.send_signal(signal.SIGTERM)
            try:
                worker.wait(timeout=10)
            except subprocess.TimeoutExpired:
                worker.kill()
