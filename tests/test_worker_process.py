"""The confirmation e-mail must leave within a minute: a real ``motcua worker`` process picks
up a message queued through the database task backend and delivers it."""

import os
import subprocess
import sys
import time

import pytest
from django.db import connection

from motcua.notifications.models import MailboxMessage, OutboundMessage
from motcua.notifications.tasks import send_message

pytestmark = pytest.mark.django_db(transaction=True)


def _worker_env():
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        url = f"sqlite:///{db['NAME']}"
    else:
        url = f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(DJANGO_SETTINGS_MODULE="motcua.settings", DATABASE_URL=url, MOTCUA_MODE="demo")
    env.pop("EMAIL_URL", None)
    return env


def test_worker_delivers_queued_message_within_a_minute(tmp_path):
    message = OutboundMessage.objects.create(
        template="confirm_registration",
        recipient="an@example.vn",
        subject="Xác nhận đăng ký tài khoản sử dụng dịch vụ công trực tuyến",
        body_text="Nội dung thử",
    )
    send_message.using(backend="db").enqueue(message.pk)
    env = _worker_env()
    env["MOTCUA_DATA_DIR"] = str(tmp_path)
    started = time.monotonic()
    worker = subprocess.Popen(
        [sys.executable, "-m", "motcua", "worker", "--verbosity", "0"], env=env
    )
    try:
        while time.monotonic() - started < 60:
            message.refresh_from_db()
            if message.status == OutboundMessage.Status.SENT:
                break
            time.sleep(0.5)
    finally:
        worker.terminate()
        worker.wait(timeout=20)
    assert message.status == OutboundMessage.Status.SENT, "thư chưa được gửi sau 60 giây"
    assert MailboxMessage.objects.filter(to="an@example.vn").count() == 1
