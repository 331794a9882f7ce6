"""What the officer's work list costs the database: a fixed number of statements whatever
the page holds (the bench measures it on the million dossiers: bench/backoffice.py)."""

import uuid

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.accounts.models import Role
from motcua.dossiers import services
from tests.api.test_staff import STAFF, client_for
from tests.dossiers.back_office import office
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def _copies(dossier, count: int) -> None:
    base = dossier.code
    for n in range(count):
        dossier.pk = None
        dossier.public_id = uuid.uuid4()
        dossier.code = f"{base}-c{n}"
        dossier.save()


def _statements(api, kept: bool = False, **params) -> tuple[int, dict]:
    if not kept:
        cache.clear()
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
    # The same page asked again is the kept answer: the officer, their roles, the list's
    # stamp and nothing else.
    again, kept = _statements(api, kept=True)
    assert kept == body and again < twenty


def test_a_kept_page_is_never_stale():
    dossier, staff = office()
    receiver = client_for(staff[Role.RECEIVER])
    head = client_for(staff[Role.DEPT_HEAD])
    cache.clear()
    assert [row["code"] for row in receiver.get(STAFF).json()["results"]] == [dossier.code]
    assert head.get(STAFF).json()["count"] == 0
    # Accepting moves it from the desk's list to the head's: both answers change at once.
    accepted = services.perform(dossier, "accept", staff[Role.RECEIVER])
    assert receiver.get(STAFF).json()["count"] == 0
    listed = head.get(STAFF).json()["results"]
    assert [(row["code"], row["status"]) for row in listed] == [(dossier.code, 2)]
    # A change that keeps it in the list shows too (assigning it to the head's handler
    # takes it out of the head's list, and the handler's shows it).
    services.perform(accepted, "assign", staff[Role.DEPT_HEAD], assignee=staff[Role.HANDLER].pk)
    assert head.get(STAFF).json()["count"] == 0
    handler = client_for(staff[Role.HANDLER]).get(STAFF).json()["results"]
    assert handler[0]["assignee"]["id"] == staff[Role.HANDLER].pk
    # Another officer's list is another answer, even with the same URL.
    other = MembershipFactory(agency=accepted.receiving_agency, role=Role.RECEIVER).user
    assert client_for(other).get(STAFF).json()["count"] == 0


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


def test_a_kept_page_costs_the_token_and_one_statement():
    dossier, staff = office()
    api = client_for(staff[Role.RECEIVER])
    _statements(api)  # the token's first use is written once a minute
    _, first = _statements(api)
    kept, again = _statements(api, kept=True)
    # The token, then the officer's memberships with their desks' clock: no aggregate over
    # the list, however long it is.
    assert again == first and kept == 2


def test_a_kept_page_follows_writes_made_outside_the_api():
    # Nothing empties the cache: the page's key holds the desk clock, which the database
    # moves in the transaction of each write, so a page kept by another server process is
    # just as fresh.
    dossier, staff = office()
    receiver = client_for(staff[Role.RECEIVER])
    head = client_for(staff[Role.DEPT_HEAD])
    row = receiver.get(STAFF).json()["results"][0]
    assert head.get(STAFF).json()["count"] == 0
    services.perform(dossier, "request_withdrawal", dossier.owner, note="Không còn nhu cầu")
    after = receiver.get(STAFF).json()["results"][0]
    assert after["lock_version"] == row["lock_version"] + 1
    type(dossier).objects.filter(pk=dossier.pk).update(applicant_name="Trần Thị Sửa")
    assert receiver.get(STAFF).json()["results"][0]["applicant_name"] == "Trần Thị Sửa"
    # A new membership puts the agency's new dossiers in the head's list at once.
    MembershipFactory(
        user=staff[Role.DEPT_HEAD], agency=dossier.receiving_agency, role=Role.RECEIVER
    )
    assert head.get(STAFF).json()["count"] == 1


def test_a_kept_page_answers_as_the_view_does_and_only_to_its_officer(monkeypatch):
    from motcua.api import staff_queue

    dossier, staff = office()
    receiver = client_for(staff[Role.RECEIVER])
    cache.clear()
    drawn = receiver.get(STAFF, {"status": 1})
    served = []
    kept_page = staff_queue.kept_page
    monkeypatch.setattr(
        staff_queue, "kept_page", lambda request: served.append(kept_page(request)) or served[-1]
    )
    kept = receiver.get(STAFF, {"status": 1})
    assert served[-1] is not None  # the middleware answered, not the view
    assert kept.content == drawn.content
    assert dict(kept.headers) == dict(drawn.headers)
    # Another officer of the same desk asking the same URL gets their own answer; a citizen,
    # a bad token and a bad filter get what the view says.
    other = MembershipFactory(agency=dossier.receiving_agency, role=Role.RECEIVER).user
    assert client_for(other).get(STAFF, {"status": 1}).json()["results"][0]["code"] == dossier.code
    assert served[-1] is None
    assert client_for(dossier.owner).get(STAFF).status_code == 403
    bad = client_for(staff[Role.RECEIVER])
    bad.credentials(HTTP_AUTHORIZATION="Bearer nope")
    assert bad.get(STAFF).status_code == 401
    assert receiver.get(STAFF, {"status": "x"}).status_code == 400
    assert receiver.get(STAFF, {"status": "x"}).status_code == 400
