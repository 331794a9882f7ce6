"""``motcua serve``: the production web server, granian in WSGI mode.

WSGI, not ASGI: Django under ASGI measured 3–5× slower here. One worker process
per core, a few blocking threads each, so a slow database call does not stall the core.
"""

import os
import signal

from django.core.management.base import BaseCommand

from motcua.core.processes import die_with_parent, exit_promptly


class Command(BaseCommand):
    help = "Chạy máy chủ web (granian, WSGI)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("MOTCUA_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("MOTCUA_PORT", "8000")))
        parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
        parser.add_argument(
            "--threads", type=int, default=int(os.environ.get("MOTCUA_THREADS", "2"))
        )

    def handle(self, *args, **opts):
        from granian.constants import Interfaces
        from granian.server import Server

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
        self.stdout.write(
            f"MotCua đang chạy tại http://{opts['host']}:{opts['port']}/ ({opts['workers']} tiến trình)"
        )
        # A worker whose main process died (SIGKILL, a crash) would hold the port and serve
        # on unsupervised: it stops with its parent instead.
        parent = os.getpid()
        os.register_at_fork(after_in_child=lambda: die_with_parent(signal.SIGTERM, parent))
        server = Server(
            "motcua.wsgi:application",
            address=opts["host"],
            port=opts["port"],
            interface=Interfaces.WSGI,
            workers=max(1, opts["workers"]),
            blocking_threads=max(1, opts["threads"]),
            backpressure=max(2, opts["threads"]) * 8,
            log_access=False,
            respawn_failed_workers=True,
        )
        try:
            server.serve()
        except SystemExit as stopped:
            exit_promptly(stopped.code)
        # Its workers are stopped and reaped: skip the interpreter's slow finalisation.
        exit_promptly(0)
