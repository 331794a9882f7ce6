"""Clean-ups: abandoned drafts go with their files, orphan files are swept, nothing that a
row points at or that was submitted is ever touched; the worker schedules both hourly."""

import datetime as dt
import os
import time

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from motcua.core.management.commands import worker
from motcua.dossiers import services, tasks
from motcua.dossiers.models import Dossier, DossierFile, Status
from motcua.dossiers.storage import private_storage
from tests.factories import ProcedureVersionFactory, UserFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def version():
    return ProcedureVersionFactory(procedure__code="1.004650")


def _draft(version, *, age: dt.timedelta = dt.timedelta(0)):
    owner = UserFactory()
    draft = services.create_draft(owner=owner, procedure_code=version.procedure.code)
    services.update_draft(draft, actor=owner, delivery=services.Delivery(method="counter"))
    required = version.components.get(required=True)
    record = services.add_file(
        draft, actor=owner, component_id=required.pk, name="don.pdf", content=PDF
    )
    # updated_at is auto_now: only a queryset update can put it in the past.
    Dossier.objects.filter(pk=draft.pk).update(updated_at=timezone.now() - age)
    return owner, draft, record.file.name


def _stored(name):
    return DossierFile._meta.get_field("file").storage.exists(name)


def test_old_drafts_and_their_files_are_deleted(version, django_capture_on_commit_callbacks):
    _, old, old_file = _draft(version, age=dt.timedelta(days=31))
    _, recent, recent_file = _draft(version, age=dt.timedelta(days=29))
    owner, submitted, submitted_file = _draft(version)
    services.submit(submitted, owner)
    Dossier.objects.filter(pk=submitted.pk).update(
        updated_at=timezone.now() - dt.timedelta(days=400)
    )
    # Files are deleted once the deleting transaction commits, never before.
    with django_capture_on_commit_callbacks(execute=True):
        assert services.purge_abandoned_drafts(older_than=dt.timedelta(days=30)) == 1
    assert not Dossier.objects.filter(pk=old.pk).exists()
    assert not DossierFile.objects.filter(file=old_file).exists()
    assert not _stored(old_file)
    assert Dossier.objects.get(pk=recent.pk).status == Status.DRAFT and _stored(recent_file)
    assert Dossier.objects.get(pk=submitted.pk).status == Status.SUBMITTED
    assert _stored(submitted_file)


def test_retention_comes_from_settings(version, settings, django_capture_on_commit_callbacks):
    settings.DRAFT_RETENTION = dt.timedelta(days=7)
    _, old, _ = _draft(version, age=dt.timedelta(days=8))
    _, kept, _ = _draft(version, age=dt.timedelta(days=6))
    with django_capture_on_commit_callbacks(execute=True):
        result = tasks.purge_abandoned_drafts.enqueue()
    assert result.return_value == 1
    assert list(Dossier.objects.values_list("pk", flat=True)) == [kept.pk]


def _write(storage, name, *, hours_old: float):
    storage.save(name, ContentFile(PDF))
    stamp = time.time() - hours_old * 3600
    os.utime(storage.path(name), (stamp, stamp))


def test_orphan_files_are_swept_and_files_with_rows_kept(version, settings, tmp_path):
    # A storage of this test's own: other test processes share the default one.
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    storage = private_storage()
    _, draft, _ = _draft(version)
    _write(storage, "dossiers/2026/01/oldorphan", hours_old=7)
    _write(storage, "dossiers/2025/12/fresh", hours_old=1)
    _write(storage, "dossiers/2026/01/withrow", hours_old=48)
    DossierFile.objects.create(
        dossier=draft,
        name="don.pdf",
        file="dossiers/2026/01/withrow",
        size=len(PDF),
        sha256="0" * 64,
        content_type="application/pdf",
    )
    assert services.purge_orphan_files(older_than=dt.timedelta(hours=6)) == 1
    assert not storage.exists("dossiers/2026/01/oldorphan")
    assert storage.exists("dossiers/2025/12/fresh")
    assert storage.exists("dossiers/2026/01/withrow")
    assert tasks.purge_orphan_files.enqueue().return_value == 0


def test_orphan_sweep_of_an_empty_storage(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "nothing-yet"
    assert services.purge_orphan_files() == 0


# --- the worker's schedule -------------------------------------------------------------------


class _Job:
    def __init__(self, name, fail=0):
        self.name = self.module_path = name
        self.calls = 0
        self.fail = fail

    def enqueue(self):
        if self.fail:
            self.fail -= 1
            raise RuntimeError("database restarting")
        self.calls += 1


def test_worker_enqueues_hourly_jobs_at_start_then_hourly():
    sweep, drafts, orphans = _Job("sweep"), _Job("drafts"), _Job("orphans")
    jobs = [(sweep, 30), (drafts, 3600), (orphans, 3600)]
    last = {}
    assert worker.enqueue_due(jobs, last, 1000.0) == ["sweep", "drafts", "orphans"]
    for tick in range(1, 120):  # one hour of ticks
        worker.enqueue_due(jobs, last, 1000.0 + 30 * tick)
    assert (sweep.calls, drafts.calls, orphans.calls) == (120, 1, 1)
    assert worker.enqueue_due(jobs, last, 1000.0 + 3600) == ["sweep", "drafts", "orphans"]


def test_a_failed_enqueue_is_retried_at_the_next_tick(capsys):
    drafts = _Job("drafts", fail=1)
    last = {}
    assert worker.enqueue_due([(drafts, 3600)], last, 0.0) == []
    assert "drafts" in capsys.readouterr().out
    assert worker.enqueue_due([(drafts, 3600)], last, 30.0) == ["drafts"]
    assert drafts.calls == 1


def test_the_worker_schedules_the_real_tasks():
    paths = {job.module_path: every for job, every in worker.periodic_jobs()}
    assert paths == {
        "motcua.notifications.tasks.sweep_outbox": 30,
        "motcua.dossiers.tasks.purge_abandoned_drafts": 3600,
        "motcua.dossiers.tasks.purge_orphan_files": 3600,
        "motcua.api.tasks.purge_idempotency_records": 3600,
        "motcua.catalog.tasks.refresh_popularity": 86400,
    }
