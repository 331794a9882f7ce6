"""Nothing acknowledged is ever lost (docs/architecture.md): a real server is SIGKILLed in
the middle of a burst of submissions, restarted, and the database must hold every dossier
whose code a client was given, whole, and no dossier half-submitted.

The server is ``motcua serve`` in its own process group (granian's worker is a child
process; killing the group kills both, as a power cut would), on the pytest test database.
It must see the same private storage as this process: both use ``<tmp>/private``, the server
through ``MOTCUA_DATA_DIR`` and this process by pointing the file field's storage there.
"""

import hashlib
import http.client
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import connection
from django.utils import timezone

from motcua.accounts.services import issue_api_token
from motcua.dossiers import services
from motcua.dossiers.management.commands.verify_audit import verify
from motcua.dossiers.models import Dossier, DossierEvent, DossierFile, Status
from motcua.notifications.models import OutboundMessage
from tests.factories import ProcedureVersionFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

CITIZENS = 40
KILL_AFTER = CITIZENS // 4  # answered submissions before the power cut
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    user = db["USER"] or "postgres"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    host = db["HOST"] or "127.0.0.1"
    return f"postgres://{user}{password}@{host}:{db['PORT'] or 5432}/{db['NAME']}"


class Server:
    def __init__(self, data_dir, log):
        self.port = _free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
        env.pop("EMAIL_URL", None)
        env.update(
            DJANGO_SETTINGS_MODULE="motcua.settings",
            DATABASE_URL=_database_url(),
            MOTCUA_MODE="demo",
            MOTCUA_DATA_DIR=str(data_dir),
            SECRET_KEY=settings.SECRET_KEY,
        )
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "motcua",
                "serve",
                "--workers",
                "1",
                "--threads",
                "4",
                "--port",
                str(self.port),
            ],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: SIGKILL reaches the worker too
        )
        self._wait_ready()

    def _wait_ready(self):
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            assert self.process.poll() is None, "máy chủ dừng ngay khi khởi động"
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise AssertionError("máy chủ không sẵn sàng sau 30 giây")

    def kill(self):
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(10)

    def submit(self, public_id, token):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request(
                "POST",
                f"/api/v1/dossiers/{public_id}/submit",
                headers={"Authorization": f"Bearer {token}", "Content-Length": "0"},
            )
            response = conn.getresponse()
            return response.status, json.loads(response.read() or b"{}")
        finally:
            conn.close()


@pytest.fixture
def storage(tmp_path, settings, monkeypatch):
    """This process writes and reads dossier files where the server does."""
    private = tmp_path / "private"
    settings.PRIVATE_MEDIA_ROOT = private
    monkeypatch.setattr(
        DossierFile._meta.get_field("file"), "storage", FileSystemStorage(location=private)
    )
    return private


def _ready_drafts():
    version = ProcedureVersionFactory(procedure__code="1.004650")
    required = version.components.get(required=True)
    drafts = []
    for n in range(CITIZENS):
        owner = UserFactory()
        draft = services.create_draft(owner=owner, procedure_code=version.procedure.code)
        services.update_draft(draft, actor=owner, delivery=services.Delivery(method="counter"))
        # Each file different, so a file swapped between dossiers would not pass the check.
        content = PDF + f"% {n}\n".encode()
        services.add_file(
            draft, actor=owner, component_id=required.pk, name="don.pdf", content=content
        )
        drafts.append((draft, issue_api_token(owner), hashlib.sha256(content).hexdigest()))
    return version, drafts


def _burst(server, drafts):
    """All submissions at once; the server is killed once KILL_AFTER of them are answered.
    Returns {index: code} for the answered ones and the indexes that got no answer."""
    answered, lost = {}, []
    lock = threading.Lock()
    start = threading.Barrier(len(drafts))

    def one(index):
        draft, token, _ = drafts[index]
        start.wait()
        try:
            status, body = server.submit(draft.public_id, token)
        except (OSError, http.client.HTTPException):  # refused, reset or cut by the kill
            with lock:
                lost.append(index)
            return
        assert status == 200, body
        with lock:
            answered[index] = body["code"]
            if len(answered) == KILL_AFTER:
                # A little later than the answer, at a random moment: over many runs the
                # kill lands before, inside and just after the commits of the submissions
                # in flight, including committed ones whose answer never left the server.
                threading.Timer(random.uniform(0, 0.03), server.kill).start()

    with ThreadPoolExecutor(len(drafts)) as pool:
        list(pool.map(one, range(len(drafts))))
    return answered, lost


def _assert_whole(index_code, drafts, data_dir):
    """Each acknowledged code: its own dossier, submitted, with its event and its file."""
    for index, code in index_code.items():
        draft, _, sha = drafts[index]
        dossier = Dossier.objects.get(code=code)
        assert dossier.pk == draft.pk
        assert dossier.status == Status.SUBMITTED and dossier.submitted_at is not None
        assert DossierEvent.objects.filter(dossier=dossier, action="submit").count() == 1
        (record,) = dossier.files.all()
        stored = (data_dir / "private" / record.file.name).read_bytes()
        assert record.sha256 == sha == hashlib.sha256(stored).hexdigest()


def _assert_nothing_half_done():
    assert not Dossier.objects.filter(status__gte=Status.SUBMITTED, code__isnull=True).exists()
    assert not Dossier.objects.filter(status=Status.DRAFT, code__isnull=False).exists()
    assert not Dossier.objects.filter(status=Status.DRAFT, submitted_at__isnull=False).exists()
    assert not Dossier.objects.filter(code__isnull=False, events__isnull=True).exists()
    assert not DossierEvent.objects.filter(dossier__status=Status.DRAFT).exists()


def test_killed_server_loses_no_acknowledged_submission(storage, tmp_path):
    version, drafts = _ready_drafts()
    day = timezone.localdate()
    with open(tmp_path / "server.log", "wb") as log:
        server = Server(tmp_path, log)
        try:
            answered, lost = _burst(server, drafts)
        finally:
            server.kill()
        assert len(answered) >= KILL_AFTER
        assert lost, "máy chủ bị tắt khi mọi yêu cầu đã xong: không kiểm tra được gì"

        _assert_whole(answered, drafts, tmp_path)
        _assert_nothing_half_done()

        # The clients that got no answer try again on the restarted server: a submission
        # that committed before the kill returns its code, the others are submitted now.
        server = Server(tmp_path, log)
        try:
            retried = {i: server.submit(drafts[i][0].public_id, drafts[i][1]) for i in lost}
        finally:
            server.kill()

    assert all(status == 200 for status, _ in retried.values()), retried
    everything = {**answered, **{i: body["code"] for i, (_, body) in retried.items()}}
    _assert_whole(everything, drafts, tmp_path)
    _assert_nothing_half_done()
    # A submission killed before its commit gave its number back: no gap, no duplicate.
    agency = version.agency.code
    if timezone.localdate() == day:
        assert sorted(everything.values()) == [
            f"{agency}-{day:%y%m%d}-{n:04d}" for n in range(1, CITIZENS + 1)
        ]
    # One confirmation e-mail in the outbox per dossier, neither lost nor doubled by the retry.
    for draft, _, _ in drafts:
        owner_email = Dossier.objects.get(pk=draft.pk).owner.email
        assert (
            OutboundMessage.objects.filter(
                template="dossier_submitted", recipient=owner_email
            ).count()
            == 1
        )
    # And the history chains the killed server wrote are intact.
    assert [ref for ref, problems, _ in verify() if problems] == []
