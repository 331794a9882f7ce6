"""What one online submission costs in SQL: every statement here is paid by every citizen, so
a redundant read that comes back (a second ownership check, a re-read of the dossier, a count
before a get) should fail a test rather than slip into the benchmark unnoticed."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.dossiers.models import Dossier, DossierEvent, DossierFile
from tests.api.dossier_helpers import (  # noqa: F401 (private_dir is a fixture)
    DOSSIERS,
    PDF,
    create,
    private_dir,
    required_component,
    upload,
    version,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_dir")]

# Transaction control differs between backends and between a test (savepoints) and a
# request (BEGIN/COMMIT); the statements that read or write data do not.
CONTROL = re.compile(r"^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)\b", re.IGNORECASE)


def _statements(captured) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if not CONTROL.match(q["sql"])]


def _touching(statements: list[str], table: str) -> list[str]:
    return [s for s in statements if f'"{table}"' in s or f" {table} " in s]


def test_create_is_one_read_and_one_insert(citizen_api):
    version()
    create(citizen_api)  # writes the token's last use; the next minute's requests do not
    with CaptureQueriesContext(connection) as captured:
        r = create(
            citizen_api,
            delivery={"method": "counter"},
            on_behalf=True,
            submitter={"full_name": "Lê Văn Cường", "id_number": "051090111222"},
        )
    assert r.status_code == 201, r.content
    statements = _statements(captured)
    # The token, the procedure version in force, the draft born complete: no second write
    # for the person submitting on someone's behalf.
    assert len(statements) == 3, statements
    assert len(_touching(statements, "dossiers_dossier")) == 1
    d = Dossier.objects.get(public_id=r.json()["id"])
    assert d.on_behalf and d.submitter_name == "Lê Văn Cường"


def test_upload_checks_ownership_once_before_and_once_under_the_lock(citizen_api):
    v = version()
    draft_id = create(citizen_api).json()["id"]
    component = required_component(v)
    with CaptureQueriesContext(connection) as captured:
        r = upload(citizen_api, draft_id, component, PDF)
    assert r.status_code == 201, r.content
    statements = _statements(captured)
    # The token; the draft with its upload limit; the draft again, locked; the component
    # with whether a file is to be replaced; the new row.
    assert len(statements) == 5, statements
    assert len(_touching(statements, "dossiers_dossier")) == 2
    assert len(_touching(statements, "catalog_component")) == 2
    assert len(_touching(statements, "dossiers_dossierfile")) == 2


def test_replacing_a_file_still_removes_the_old_one(citizen_api):
    v = version()
    draft_id = create(citizen_api).json()["id"]
    first = upload(citizen_api, draft_id, required_component(v), PDF).json()["id"]
    second = upload(citizen_api, draft_id, required_component(v), PDF + b"%2\n").json()["id"]
    assert first != second
    assert [str(p) for p in DossierFile.objects.values_list("public_id", flat=True)] == [second]


def test_submit_reads_the_draft_once_before_locking_it(citizen_api):
    v = version()
    draft_id = create(citizen_api, delivery={"method": "counter"}).json()["id"]
    assert upload(citizen_api, draft_id, required_component(v), PDF).status_code == 201
    with CaptureQueriesContext(connection) as captured:
        r = citizen_api.post(f"{DOSSIERS}/{draft_id}/submit")
    assert r.status_code == 200, r.content
    statements = _statements(captured)
    dossier_reads = [
        s for s in _touching(statements, "dossiers_dossier") if s.lstrip().startswith("SELECT")
    ]
    # The view's lookup among the caller's dossiers and the lock taken to submit: no
    # pre-check in between (the row lock decides a repeated submit).
    assert len(dossier_reads) == 2, dossier_reads
    # What is missing is one question: required components without a file.
    assert len(_touching(statements, "catalog_component")) == 1
    # One conditional UPDATE (the version check and the changed columns); no read of the
    # history a draft does not have; the process in force with its first step in one read.
    assert len([s for s in statements if s.lstrip().startswith("UPDATE")]) == 1
    assert not [s for s in _touching(statements, "dossiers_dossierevent") if "SELECT" in s]
    assert len(_touching(statements, "workflow_process")) == 1
    # The token, the lookup, the lock, the missing components, the code counter, the
    # process, the e-mail, the UPDATE, the event, the tracking card.
    assert len(statements) == 10, statements
    assert DossierEvent.objects.filter(action="submit").count() == 1


def test_a_repeated_submit_on_a_stale_draft_answers_with_the_one_submission(citizen_api):
    from motcua.dossiers import services

    v = version()
    draft_id = create(citizen_api, delivery={"method": "counter"}).json()["id"]
    upload(citizen_api, draft_id, required_component(v), PDF)
    stale = Dossier.objects.get(public_id=draft_id)
    first = services.submit(stale, stale.owner)
    again = services.submit(stale, stale.owner)  # still says "draft"
    assert again.pk == first.pk and again.code == first.code
    assert Dossier.objects.count() == 1
    assert DossierEvent.objects.filter(action="submit").count() == 1


def test_the_upload_read_finds_the_owners_dossier_by_id_or_code_and_nobody_elses(
    citizen_api, django_assert_num_queries
):
    from django.db.models import Max

    from motcua.dossiers import selectors
    from tests.factories import UserFactory

    v = version()
    draft_id = create(citizen_api, delivery={"method": "counter"}).json()["id"]
    upload(citizen_api, draft_id, required_component(v), PDF)
    owner = citizen_api.user
    largest = v.components.aggregate(m=Max("max_size"))["m"]
    # One statement: ownership and the body's limit together, before the body is read.
    with django_assert_num_queries(1):
        found = selectors.own_dossier_for_upload(owner, f"  {draft_id} ")
    stored = Dossier.objects.get(public_id=draft_id)
    assert (found.pk, found.public_id, found.status, found.version_id, found.owner_id) == (
        stored.pk,
        stored.public_id,
        stored.status,
        stored.version_id,
        stored.owner_id,
    )
    assert found.upload_limit == largest and found.is_draft and not found._state.adding
    code = citizen_api.post(f"{DOSSIERS}/{draft_id}/submit").json()["code"]
    by_code = selectors.own_dossier_for_upload(owner, code)
    assert by_code.pk == stored.pk and by_code.code == code and not by_code.is_draft
    stranger = UserFactory()
    assert selectors.own_dossier_for_upload(stranger, draft_id) is None
    assert selectors.own_dossier_for_upload(stranger, code) is None
    assert selectors.own_dossier_for_upload(owner, "khong-phai-ma\x00") is None


def test_the_write_lookup_finds_the_owners_dossier_by_id_or_code_and_nobody_elses(
    citizen_api, django_assert_num_queries
):
    from motcua.dossiers import selectors
    from tests.factories import UserFactory

    version()
    draft_id = create(citizen_api, delivery={"method": "counter"}).json()["id"]
    owner = citizen_api.user
    with django_assert_num_queries(1):
        found = selectors.own_dossier_ref(owner, f" {draft_id}  ")
    assert str(found.public_id) == draft_id and found.is_draft and not found._state.adding
    stored = Dossier.objects.get(public_id=draft_id)
    assert (found.pk, found.owner_id, found.version_id, found.code) == (
        stored.pk,
        stored.owner_id,
        stored.version_id,
        stored.code,
    )
    stranger = UserFactory()
    assert selectors.own_dossier_ref(stranger, draft_id) is None
    assert selectors.own_dossier_ref(owner, "khong-phai-ma\x00") is None
    assert selectors.own_dossier_ref(owner, "") is None
