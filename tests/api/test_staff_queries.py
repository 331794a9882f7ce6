"""What the officer's work list costs the database: a fixed number of statements whatever
the page holds (the bench measures it on the million dossiers: bench/backoffice.py)."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.accounts.models import Role
from motcua.dossiers import services
from tests.api.test_staff import STAFF, client_for
from tests.dossiers.back_office import office

pytestmark = pytest.mark.django_db


def _copies(dossier, count: int) -> None:
    base = dossier.code
    for n in range(count):
        dossier.pk = None
        dossier.public_id = uuid.uuid4()
        dossier.code = f"{base}-c{n}"
        dossier.save()


def _statements(api, **params) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as captured:
        response = api.get(STAFF, params)
    assert response.status_code == 200, response.content
    return len(captured), response.json()


def test_the_work_list_runs_as_many_statements_for_twenty_dossiers_as_for_one():
    dossier, staff = office()
    accepted = services.perform(dossier, "accept", staff[Role.RECEIVER])
    api = client_for(staff[Role.DEPT_HEAD])
    _statements(api)  # the token's first use and the calendar are read once per process
    one, body = _statements(api)
    assert body["count"] == 1
    assert body["results"][0]["timeliness"] in ("in_time", "due_soon")
    _copies(accepted, 24)
    twenty, body = _statements(api)
    assert body["count"] == 25 and len(body["results"]) == 20
    assert {row["timeliness"] for row in body["results"]} <= {"in_time", "due_soon"}
    # Every dossier's timeliness on its agency's calendar, checked once for the page: before,
    # two statements a dossier asked whether the calendar had changed.
    assert twenty == one


def test_the_page_lists_the_newest_first_with_the_desk_branches():
    dossier, staff = office()
    api = client_for(staff[Role.RECEIVER])
    _copies(dossier, 3)
    withdrawn = type(dossier).objects.order_by("pk").first()
    services.perform(withdrawn, "accept", staff[Role.RECEIVER])
    type(dossier).objects.filter(pk=withdrawn.pk).update(sub_state="withdrawal_requested")
    body = api.get(STAFF).json()
    ids = list(type(dossier).objects.order_by("-pk").values_list("code", flat=True))
    assert [row["code"] for row in body["results"]] == ids
    assert body["count"] == 4
