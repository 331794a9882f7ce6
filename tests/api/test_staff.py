"""The back-office API of docs/api.md: the work list, a dossier with the actions this officer may
fire now, firing them (403 wrong role, 409 not now, nothing changes) and counter intake."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from motcua.accounts.models import Role
from motcua.accounts.services import issue_api_token
from motcua.dossiers import services
from motcua.dossiers.models import Dossier, DossierEvent, Status
from tests.api.helpers import assert_error
from tests.dossiers.back_office import office
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

STAFF = "/api/v1/staff/dossiers"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def client_for(user) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {issue_api_token(user)}")
    return api


def act(user, code, **body):
    return client_for(user).post(f"{STAFF}/{code}/actions", body, format="json")


def test_the_receiver_sees_the_new_dossier_and_may_accept_or_refuse_it():
    dossier, staff = office()
    api = client_for(staff[Role.RECEIVER])
    listed = api.get(STAFF).json()
    assert [row["code"] for row in listed["results"]] == [dossier.code]
    assert listed["results"][0]["step"]["code"] == "tiep_nhan"
    body = api.get(f"{STAFF}/{dossier.code}").json()
    assert set(body["actions"]) == {"accept", "refuse", "request_supplement"}
    assert body["lock_version"] == 1
    # The handler has nothing to do with it yet.
    assert client_for(staff[Role.HANDLER]).get(STAFF).json()["count"] == 0
    assert client_for(staff[Role.HANDLER]).get(f"{STAFF}/{dossier.code}").json()["actions"] == []


def test_the_journey_through_the_api():
    dossier, staff = office()
    code = dossier.code
    r = act(staff[Role.RECEIVER], code, action="accept", lock_version=1)
    assert r.status_code == 200, r.content
    assert r.json()["status"] == Status.RECEIVED and r.json()["due_at"]
    assert r.json()["timeliness"] in ("in_time", "due_soon")
    head = client_for(staff[Role.DEPT_HEAD])
    assert [d["code"] for d in head.get(STAFF).json()["results"]] == [code]
    assert set(head.get(f"{STAFF}/{code}").json()["actions"]) == {"assign", "transfer", "apologize"}
    r = act(staff[Role.DEPT_HEAD], code, action="assign")  # the least-loaded handler
    assert r.json()["assignee"]["id"] == staff[Role.HANDLER].pk
    assert act(staff[Role.HANDLER], code, action="forward").status_code == 200
    assert act(staff[Role.DEPT_HEAD], code, action="approve").status_code == 200
    assert act(staff[Role.APPROVER], code, action="sign_result").status_code == 200
    r = act(
        staff[Role.RECEIVER],
        code,
        action="return_result",
        method="counter",
        recipient_name="Nguyễn Văn An",
    )
    assert r.json()["status"] == Status.RETURNED and r.json()["actions"] == []


@pytest.mark.parametrize(
    ("role", "action", "status", "error"),
    [
        (Role.HANDLER, "accept", 403, "permission_denied"),
        (Role.DEPT_HEAD, "refuse", 403, "permission_denied"),
        (Role.APPROVER, "request_supplement", 403, "permission_denied"),
        (Role.RECEIVER, "approve", 403, "permission_denied"),
        (Role.RECEIVER, "sign_result", 403, "permission_denied"),
        (Role.DEPT_HEAD, "assign", 409, "action_not_allowed"),
        (Role.HANDLER, "forward", 409, "action_not_allowed"),
        (Role.DEPT_HEAD, "approve", 409, "action_not_allowed"),
        (Role.APPROVER, "reject_draft", 409, "action_not_allowed"),
        (Role.APPROVER, "stop", 409, "action_not_allowed"),
        (Role.APPROVER, "apologize", 409, "action_not_allowed"),
        (Role.RECEIVER, "return_result", 409, "action_not_allowed"),
        (Role.RECEIVER, "confirm_withdrawal", 409, "no_request"),
        (Role.HANDLER, "recall", 409, "action_not_allowed"),
    ],
)
def test_every_forbidden_action_on_a_new_dossier(role, action, status, error):
    dossier, staff = office()
    r = act(staff[role], dossier.code, action=action, note="Lý do đủ dài để thử.")
    assert_error(r, status, error)
    d = Dossier.objects.get(pk=dossier.pk)
    assert (d.status, d.lock_version) == (Status.SUBMITTED, 1)
    assert DossierEvent.objects.filter(dossier=d).count() == 1


def test_a_stale_lock_version_is_a_conflict():
    dossier, staff = office()
    assert (
        act(staff[Role.RECEIVER], dossier.code, action="accept", lock_version=1).status_code == 200
    )
    r = act(staff[Role.RECEIVER], dossier.code, action="refuse", note="Quá muộn.", lock_version=1)
    error = assert_error(r, 409, "conflict")
    assert "cán bộ khác" in error["message"]


def test_outsiders_get_nothing():
    dossier, staff = office()
    citizen = client_for(dossier.owner)
    assert_error(citizen.get(STAFF), 403, "permission_denied")
    assert_error(
        citizen.post(f"{STAFF}/{dossier.code}/actions", {"action": "accept"}),
        403,
        "permission_denied",
    )
    stranger = MembershipFactory(role=Role.RECEIVER).user  # another agency's desk
    assert client_for(stranger).get(STAFF).json()["count"] == 0
    assert_error(client_for(stranger).get(f"{STAFF}/{dossier.code}"), 404, "not_found")
    assert_error(act(stranger, dossier.code, action="accept"), 404, "not_found")
    assert_error(APIClient().get(STAFF), 401, "unauthenticated")


def test_filters_and_pagination():
    dossier, staff = office()
    api = client_for(staff[Role.RECEIVER])
    assert api.get(STAFF, {"status": 1}).json()["count"] == 1
    assert api.get(STAFF, {"status": 2}).json()["count"] == 0
    assert api.get(STAFF, {"procedure": dossier.version.procedure.code}).json()["count"] == 1
    assert api.get(STAFF, {"procedure": "1.000000"}).json()["count"] == 0
    assert api.get(STAFF, {"overdue": "true"}).json()["count"] == 0
    assert_error(api.get(STAFF, {"status": "x"}), 400, "validation_error", ["status"])
    assert set(api.get(STAFF, {"page_size": 1}).json()) == {"count", "next", "previous", "results"}


def test_counter_intake_is_received_at_once():
    dossier, staff = office()
    version = dossier.version
    required = version.components.get(required=True)
    r = client_for(staff[Role.RECEIVER]).post(
        STAFF,
        {
            "procedure": version.procedure.code,
            "applicant": json.dumps(
                {"full_name": "Trần Văn Bảy", "id_number": "051090012345", "phone": "0905123456"}
            ),
            "delivery": json.dumps({"method": "counter"}),
            f"component_{required.pk}": SimpleUploadedFile("scan.pdf", PDF, "application/pdf"),
        },
        format="multipart",
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["status"] == Status.RECEIVED and body["channel"] == "counter"
    assert body["received_at"] and body["due_at"] and body["step"]["code"] == "phan_cong"


def test_counter_intake_without_the_scans_stores_nothing():
    dossier, staff = office()
    before = Dossier.objects.count()
    r = client_for(staff[Role.RECEIVER]).post(
        STAFF,
        {
            "procedure": dossier.version.procedure.code,
            "applicant": {
                "full_name": "Trần Văn Bảy",
                "id_number": "051090012345",
                "phone": "0905123456",
            },
            "delivery": {"method": "counter"},
        },
        format="json",
    )
    assert r.status_code == 400
    assert Dossier.objects.count() == before


@pytest.mark.parametrize("body", [[None, None], ["procedure"], "x", 5])
def test_counter_intake_of_a_body_that_is_not_an_object_is_refused_in_words(body):
    """Found by schemathesis with an officer's token: a JSON array body answered 500."""
    dossier, staff = office()
    before = Dossier.objects.count()
    r = client_for(staff[Role.RECEIVER]).post(STAFF, body, format="json")
    assert_error(r, 400, "validation_error", fields=["non_field_errors"])
    assert Dossier.objects.count() == before


def test_counter_intake_is_for_the_one_stop_desk_only():
    dossier, staff = office()
    r = client_for(staff[Role.HANDLER]).post(
        STAFF,
        {
            "procedure": dossier.version.procedure.code,
            "applicant": {
                "full_name": "Trần Văn Bảy",
                "id_number": "051090012345",
                "phone": "0905123456",
            },
            "delivery": {"method": "counter"},
        },
        format="json",
    )
    assert r.status_code in (400, 403)
    assert not Dossier.objects.filter(channel="counter").exists()


def test_a_supplement_request_lists_each_item_with_its_reason():
    dossier, staff = office()
    r = act(
        staff[Role.RECEIVER],
        dossier.code,
        action="request_supplement",
        note="Hồ sơ chưa đầy đủ.",
        items=[{"name": "Bản vẽ mặt bằng", "reason": "Thiếu chữ ký của người thiết kế"}],
    )
    assert r.status_code == 200, r.content
    assert r.json()["supplement"]["items"] == ["Bản vẽ mặt bằng: Thiếu chữ ký của người thiết kế"]
    assert r.json()["status"] == Status.SUPPLEMENT_REQUESTED
    again = act(
        staff[Role.RECEIVER],
        dossier.code,
        action="request_supplement",
        note="Lần hai.",
        items=["Ảnh"],
    )
    assert_error(again, 409, "action_not_allowed")


def test_an_item_without_its_reason_is_refused():
    dossier, staff = office()
    r = act(
        staff[Role.RECEIVER],
        dossier.code,
        action="request_supplement",
        note="Hồ sơ chưa đầy đủ.",
        items=[{"name": "Bản vẽ mặt bằng"}],
    )
    assert_error(r, 400, "validation_error", ["items"])
    assert Dossier.objects.get(pk=dossier.pk).status == Status.SUBMITTED


def test_the_citizen_never_reads_the_officers_notes_to_each_other():
    dossier, staff = office()
    d = services.perform(dossier, "accept", staff[Role.RECEIVER])
    d = services.perform(d, "assign", staff[Role.DEPT_HEAD], note="Ưu tiên, người quen của sếp.")
    d = services.perform(d, "forward", staff[Role.HANDLER])
    d = services.perform(d, "reject_draft", staff[Role.DEPT_HEAD], note="Dự thảo viết ẩu quá.")
    owner = client_for(d.owner)
    history = owner.get(f"/api/v1/dossiers/{d.code}").json()["history"]
    assert [h["note"] for h in history if h["action"] in ("assign", "reject_draft")] == ["", ""]
    staff_view = client_for(staff[Role.HANDLER]).get(f"{STAFF}/{d.code}").json()["history"]
    assert "Dự thảo viết ẩu quá." in [h["note"] for h in staff_view]
