"""The folded applicant name the staff search reads: filled for the dossiers that existed
before migration 0007 in batches (row by row took many minutes on a million dossiers), and
kept with the name by perform's one-statement write."""

import importlib

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from tests.dossiers.test_submission_core import _ready_draft

pytestmark = pytest.mark.django_db

migration = importlib.import_module("motcua.dossiers.migrations.0007_staff_queues")


def test_existing_names_are_folded_a_batch_at_a_time(monkeypatch):
    owner, first = _ready_draft()
    drafts = [first] + [
        services.create_draft(owner=owner, procedure_code="1.004650") for _ in range(4)
    ]
    names = ["Nguyễn Văn An", "Đặng Thị Bích", "Trần Đức", "Lê Ánh", ""]
    for d, name in zip(drafts, names, strict=True):
        Dossier.objects.filter(pk=d.pk).update(applicant_name=name, applicant_name_folded="")
    monkeypatch.setattr(migration, "BATCH", 2)
    with CaptureQueriesContext(connection) as queries:
        migration.fold_names(apps, None)
    folded = dict(Dossier.objects.values_list("applicant_name", "applicant_name_folded"))
    assert folded == {
        "Nguyễn Văn An": "nguyen van an",
        "Đặng Thị Bích": "dang thi bich",
        "Trần Đức": "tran duc",
        "Lê Ánh": "le anh",
        "": "",
    }
    updates = [q for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
    assert len(updates) == 2  # three batches of two, the last one's only name empty


def test_perform_write_keeps_the_folded_name_with_the_name():
    """``perform`` writes with one UPDATE, past ``Dossier.save``: the folded name the staff
    search reads must follow the name all the same."""
    owner, draft = _ready_draft()
    d = services.submit(draft, owner)
    read = services._columns(d)
    d.applicant_name = "Đỗ Văn Hùng"
    services._write(d, read, d.lock_version)
    assert Dossier.objects.get(pk=d.pk).applicant_name_folded == "do van hung"
