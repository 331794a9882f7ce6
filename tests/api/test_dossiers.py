"""/api/v1/dossiers: drafts (create, edit, discard), my dossiers, the detail, who sees what."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from motcua.catalog.models import Agency
from motcua.dossiers import services
from motcua.dossiers.models import Dossier, DossierFile, Status
from tests.api.dossier_helpers import (  # noqa: F401 (private_dir is a fixture)
    DOSSIERS,
    PDF,
    client_for,
    create,
    new_citizen_api,
    private_dir,
    ready_draft,
    receiver_of,
    required_component,
    stored_files,
    submitted,
    upload,
    version,
)
from tests.api.helpers import assert_error
from tests.factories import AgencyFactory, ProcedureVersionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_dir")]

APPLICANT = {
    "full_name": "Trần Thị Bình",
    "id_number": "051190654321",
    "phone": "0912345678",
    "email": "binh@example.vn",
    "address": "12 Phan Đình Phùng, phường Nghĩa Lộ",
}


# --- create ------------------------------------------------------------------------------------


def test_create_draft_with_the_applicant_from_the_account(citizen_api, citizen):
    version()
    r = create(citizen_api)
    assert r.status_code == 201, r.content
    body = r.json()
    assert set(body) == {"id", "status"} and body["status"] == "draft"
    draft = Dossier.objects.get(public_id=body["id"])
    assert draft.owner == citizen and draft.status == Status.DRAFT and draft.code is None
    assert draft.applicant_name == citizen.full_name
    assert draft.applicant_id_number == citizen.id_number
    assert draft.applicant_phone == citizen.phone


def test_create_draft_with_everything(citizen_api):
    version()
    r = create(
        citizen_api,
        applicant=APPLICANT,
        delivery={"method": "post", "address": "12 Phan Đình Phùng"},
        note="Xin nhận kết quả sớm.",
        on_behalf=True,
        submitter={"full_name": "Lê Văn Cường", "id_number": "051090111222"},
    )
    assert r.status_code == 201, r.content
    d = Dossier.objects.get(public_id=r.json()["id"])
    assert (d.applicant_name, d.applicant_id_number) == ("Trần Thị Bình", "051190654321")
    assert d.delivery_method == "post" and d.note == "Xin nhận kết quả sớm."
    assert d.on_behalf and d.submitter_name == "Lê Văn Cường"


def test_create_unknown_procedure_is_404(citizen_api):
    assert_error(create(citizen_api, "9.999999"), 404, "not_found")
    assert not Dossier.objects.exists()


def test_create_counter_only_procedure_is_refused(citizen_api):
    version(level="truc_tiep")
    assert_error(create(citizen_api), 400, "not_online")
    assert not Dossier.objects.exists()


def test_commune_level_procedure_needs_the_commune(citizen_api):
    group = AgencyFactory(code="H48.X", kind=Agency.Kind.LEVEL_GROUP, name="UBND cấp xã")
    commune = AgencyFactory(
        code="H48.X.01", kind=Agency.Kind.COMMUNE_COMMITTEE, parent=group, name="UBND xã A"
    )
    ProcedureVersionFactory(procedure__code="2.000001", agency=group)
    assert_error(create(citizen_api, "2.000001"), 400, "validation_error", fields=["agency"])
    assert_error(
        create(citizen_api, "2.000001", agency="H48.99"), 400, "validation_error", ["agency"]
    )
    r = create(citizen_api, "2.000001", agency=commune.code)
    assert r.status_code == 201, r.content
    assert Dossier.objects.get().receiving_agency == commune


def test_create_checks_types(citizen_api):
    version()
    assert_error(
        citizen_api.post(DOSSIERS, {}, format="json"), 400, "validation_error", ["procedure"]
    )
    r = create(citizen_api, delivery={"method": "bo-cau"})
    assert_error(r, 400, "validation_error", ["delivery.method"])
    assert not Dossier.objects.exists()


def test_create_with_the_same_idempotency_key_makes_one_draft(citizen_api):
    version()
    first = citizen_api.post(
        DOSSIERS, {"procedure": "1.004650"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1"
    )
    again = citizen_api.post(
        DOSSIERS, {"procedure": "1.004650"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1"
    )
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert Dossier.objects.count() == 1


# --- patch and discard -----------------------------------------------------------------------


def test_patch_changes_only_what_it_names(citizen_api, citizen):
    version()
    draft_id = create(citizen_api, applicant=APPLICANT).json()["id"]
    r = citizen_api.patch(
        f"{DOSSIERS}/{draft_id}",
        {"applicant": {"phone": "0987654321"}, "delivery": {"method": "online"}, "note": "Ghi chú"},
        format="json",
    )
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["applicant"]["phone"] == "0987654321"
    assert body["applicant"]["full_name"] == "Trần Thị Bình"
    assert body["delivery"]["method"] == "online" and body["note"] == "Ghi chú"
    r = citizen_api.patch(
        f"{DOSSIERS}/{draft_id}",
        {"on_behalf": True, "submitter": {"full_name": "Lê Văn Cường"}},
        format="json",
    )
    assert r.json()["on_behalf"] is True
    assert r.json()["submitter"]["full_name"] == "Lê Văn Cường"
    assert r.json()["note"] == "Ghi chú"


def test_patch_a_submitted_dossier_is_409(citizen_api):
    d = submitted(citizen_api, version())
    r = citizen_api.patch(f"{DOSSIERS}/{d.code}", {"note": "muộn"}, format="json")
    assert_error(r, 409, "not_draft")


def test_delete_discards_the_draft_and_its_files(citizen_api, django_capture_on_commit_callbacks):
    draft_id = ready_draft(citizen_api, version())
    assert len(stored_files()) == 1
    with django_capture_on_commit_callbacks(execute=True):
        r = citizen_api.delete(f"{DOSSIERS}/{draft_id}")
    assert r.status_code == 204
    assert not Dossier.objects.exists() and not DossierFile.objects.exists()
    assert stored_files() == []
    assert_error(citizen_api.get(f"{DOSSIERS}/{draft_id}"), 404, "not_found")


def test_a_submitted_dossier_cannot_be_deleted(citizen_api):
    d = submitted(citizen_api, version())
    assert_error(citizen_api.delete(f"{DOSSIERS}/{d.code}"), 409, "not_draft")
    assert Dossier.objects.filter(pk=d.pk).exists()


# --- list ------------------------------------------------------------------------------------


def test_list_is_mine_only_newest_first_drafts_included(citizen_api):
    v = version()
    d = submitted(citizen_api, v)
    draft_id = create(citizen_api).json()["id"]
    Dossier.objects.filter(pk=d.pk).update(created_at=timezone.now() - dt.timedelta(days=1))
    other = new_citizen_api()
    create(other)
    r = citizen_api.get(DOSSIERS)
    assert r.status_code == 200
    body = r.json()
    assert body["count"] == 2 and body["next"] is None and body["previous"] is None
    first, second = body["results"]
    assert first["id"] == draft_id and first["status"] == "draft" and first["code"] is None
    assert first["status_label"] == "Bản nháp" and first["next_actions"] == ["continue", "discard"]
    assert second["code"] == d.code and second["status"] == 1
    assert second["status_label"] == "Mới đăng ký"
    assert second["procedure"] == {"code": "1.004650", "name": v.name}
    assert second["receiving_agency"] == {"code": v.agency.code, "name": v.agency.name}
    assert second["next_actions"] == ["request_withdrawal"]
    assert set(second) == {
        "id",
        "code",
        "procedure",
        "status",
        "status_label",
        "submitted_at",
        "created_at",
        "receiving_agency",
        "next_actions",
    }
    assert second["submitted_at"].endswith("+07:00")


def test_list_is_paginated(citizen_api):
    version()
    for _ in range(3):
        create(citizen_api)
    r = citizen_api.get(DOSSIERS, {"page_size": 2})
    assert r.json()["count"] == 3 and len(r.json()["results"]) == 2
    assert r.json()["next"].endswith("page=2&page_size=2")
    r2 = citizen_api.get(DOSSIERS, {"page_size": 2, "page": 2})
    assert len(r2.json()["results"]) == 1
    ids = [x["id"] for x in r.json()["results"] + r2.json()["results"]]
    assert len(set(ids)) == 3
    assert_error(citizen_api.get(DOSSIERS, {"page": 9}), 404, "not_found")


def test_list_queries_do_not_grow_with_the_page(citizen_api):
    """The list reads only some columns; one it forgot would be loaded row by row."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    v = version()
    d = submitted(citizen_api, v)
    services.perform(d, "request_withdrawal", d.owner, note="Không cần nữa")
    with CaptureQueriesContext(connection) as one:
        assert citizen_api.get(DOSSIERS).json()["count"] == 1
    for _ in range(4):
        submitted(citizen_api, v)
        create(citizen_api)
    with CaptureQueriesContext(connection) as nine:
        body = citizen_api.get(DOSSIERS).json()
    assert body["count"] == 9
    assert len(nine) == len(one)
    withdrawn = next(x for x in body["results"] if x["code"] == d.code)
    assert withdrawn["next_actions"] == []


# --- detail ----------------------------------------------------------------------------------

API_MD_KEYS = {
    "code",
    "procedure",
    "status",
    "status_label",
    "submitted_at",
    "received_at",
    "due_at",
    "finished_at",
    "returned_at",
    "timeliness",
    "files",
    "history",
    "payments",
    "result",
}


def test_detail_has_every_key_of_api_md(citizen_api, citizen):
    v = version()
    d = submitted(citizen_api, v)
    r = citizen_api.get(f"{DOSSIERS}/{d.code}")
    assert r.status_code == 200
    body = r.json()
    assert API_MD_KEYS | {"applicant", "delivery", "receiving_agency", "next_actions"} <= set(body)
    assert "supplement" in body and body["supplement"] is None
    assert body["code"] == d.code and body["status"] == 1 and body["status_label"] == "Mới đăng ký"
    assert re.fullmatch(r".+T.+\+07:00", body["submitted_at"])
    assert body["received_at"] is None and body["timeliness"] is None
    assert body["payments"] == [] and body["result"] is None
    assert body["applicant"]["id_number"] == citizen.id_number
    assert body["delivery"]["method"] == "counter"
    [event] = body["history"]
    assert {"at", "action", "status", "actor", "note"} <= set(event)
    assert event["action"] == "submit" and event["status"] == 1
    assert event["actor"] == citizen.full_name
    [f] = body["files"]
    assert f["name"] == "don.pdf" and f["size"] == len(PDF)
    assert f["component"] == required_component(v).pk
    assert f["url"].endswith(f"/api/v1/dossiers/{d.code}/files/{f['id']}")


def test_detail_of_a_draft_by_its_id(citizen_api):
    version()
    draft_id = create(citizen_api).json()["id"]
    body = citizen_api.get(f"{DOSSIERS}/{draft_id}").json()
    assert body["id"] == draft_id and body["code"] is None and body["status"] == "draft"
    assert body["history"] == [] and body["files"] == []


def test_detail_shows_the_supplement_request(citizen_api):
    d = submitted(citizen_api, version())
    services.perform(d, "request_supplement", receiver_of(d), note="Thiếu bản vẽ", items=["Bản vẽ"])
    body = citizen_api.get(f"{DOSSIERS}/{d.code}").json()
    assert body["status"] == 5
    assert body["supplement"]["reason"] == "Thiếu bản vẽ"
    assert body["supplement"]["items"] == ["Bản vẽ"]
    assert body["next_actions"] == ["submit_supplement", "request_withdrawal"]


# --- another citizen, no token ---------------------------------------------------------------


def _object_requests(ref: str, file_id: str, component_id: int):
    files = {"file": ("don.pdf", PDF), "component": component_id}
    return [
        ("get", f"{DOSSIERS}/{ref}", None, None),
        ("patch", f"{DOSSIERS}/{ref}", {"note": "x"}, "json"),
        ("delete", f"{DOSSIERS}/{ref}", None, None),
        ("post", f"{DOSSIERS}/{ref}/submit", None, None),
        ("post", f"{DOSSIERS}/{ref}/files", files, "multipart"),
        ("get", f"{DOSSIERS}/{ref}/files/{file_id}", None, None),
        ("delete", f"{DOSSIERS}/{ref}/files/{file_id}", None, None),
        ("post", f"{DOSSIERS}/{ref}/supplement", {"files": [], "component": component_id}, None),
        ("post", f"{DOSSIERS}/{ref}/withdraw", {"reason": "Không cần nữa"}, "json"),
    ]


def _send(client, method, url, data, fmt):
    from django.core.files.uploadedfile import SimpleUploadedFile

    if data and "file" in data:
        data = {**data, "file": SimpleUploadedFile(*data["file"])}
    kwargs = {"format": fmt} if fmt else {}
    return getattr(client, method)(url, data, **kwargs) if data else getattr(client, method)(url)


@pytest.mark.parametrize("state", ["draft", "submitted"])
def test_another_citizens_token_gets_404_and_changes_nothing(citizen_api, state):
    v = version()
    draft_id = ready_draft(citizen_api, v)
    ref = draft_id
    if state == "submitted":
        ref = citizen_api.post(f"{DOSSIERS}/{draft_id}/submit").json()["code"]
    d = Dossier.objects.get(public_id=draft_id)
    before = (d.status, d.note, d.lock_version, d.updated_at, d.files.count(), d.events.count())
    file_id = str(d.files.get().public_id)
    stranger = new_citizen_api()
    for method, url, data, fmt in _object_requests(ref, file_id, required_component(v).pk):
        r = _send(stranger, method, url, data, fmt)
        assert_error(r, 404, "not_found")
    d.refresh_from_db()
    after = (d.status, d.note, d.lock_version, d.updated_at, d.files.count(), d.events.count())
    assert after == before
    assert not hasattr(d, "withdrawal")


def test_without_a_token_every_dossier_endpoint_is_401(citizen_api):
    anonymous = APIClient()
    v = version()
    d = submitted(citizen_api, v)
    file_id = str(d.files.get().public_id)
    requests = [("get", DOSSIERS, None, None), ("post", DOSSIERS, {"procedure": "1"}, "json")]
    requests += _object_requests(d.code, file_id, required_component(v).pk)
    for method, url, data, fmt in requests:
        r = _send(anonymous, method, url, data, fmt)
        assert_error(r, 401, "unauthenticated")
        assert r["WWW-Authenticate"] == "Bearer"


def test_staff_of_the_agency_do_not_see_it_among_their_own(citizen_api):
    d = submitted(citizen_api, version())
    officer = client_for(receiver_of(d))
    assert officer.get(DOSSIERS).json()["count"] == 0
    assert_error(officer.get(f"{DOSSIERS}/{d.code}"), 404, "not_found")


def test_list_page_is_cut_on_the_dossier_table_before_any_join(citizen_api):
    """A busy citizen's page must not join and sort every one of their dossiers: the page
    is found on the dossier table (index dossier_owner_recent) in a sub-select that joins
    nothing, and only its rows are joined to the procedure and agency."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    v = version()
    for _ in range(3):
        create(citizen_api)
    with CaptureQueriesContext(connection) as captured:
        assert len(citizen_api.get(DOSSIERS, {"page_size": 2}).json()["results"]) == 2
    paged = [
        q["sql"]
        for q in captured.captured_queries
        if "LIMIT" in q["sql"].upper() and '"dossiers_dossier"' in q["sql"]
    ]
    assert len(paged) == 1, paged
    inner = re.search(r"\(SELECT [^()]* LIMIT [^()]*\)", paged[0], re.IGNORECASE)
    assert inner is not None, paged[0]
    assert "JOIN" not in inner.group(0).upper()
    assert v.agency.name and "JOIN" in paged[0].upper()


def test_list_answer_is_the_declared_fields_answer(citizen_api):
    """The list builds its rows directly; they must equal the generic serialisation of the
    declared fields (what the schema describes), for every kind of row."""
    from rest_framework import serializers

    from motcua.api.dossier_serializers import DossierListOut
    from motcua.dossiers import selectors

    v = version()
    create(citizen_api)
    d = submitted(citizen_api, v)
    services.perform(d, "request_withdrawal", d.owner, note="Không cần nữa")
    submitted(citizen_api, v)
    rows = selectors.my_dossiers_page(selectors.my_dossier_keys(d.owner))
    assert len(rows) == 3
    out = DossierListOut()
    for row in rows:
        assert out.to_representation(row) == serializers.Serializer.to_representation(out, row)


def test_list_repeat_is_served_from_the_cache_after_one_aggregate(citizen_api):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    v = version()
    submitted(citizen_api, v)
    create(citizen_api)
    first = citizen_api.get(DOSSIERS).json()
    with CaptureQueriesContext(connection) as captured:
        again = citizen_api.get(DOSSIERS).json()
    assert again == first
    tables = [q["sql"] for q in captured.captured_queries if '"dossiers_dossier"' in q["sql"]]
    # The stamp only: no page read.
    assert len(tables) == 1 and "COUNT" in tables[0].upper(), tables


def test_list_is_never_stale_after_a_change(citizen_api, django_capture_on_commit_callbacks):
    from motcua.catalog import services as catalog

    v = version()
    d = submitted(citizen_api, v)
    assert citizen_api.get(DOSSIERS).json()["results"][0]["next_actions"] == ["request_withdrawal"]
    services.perform(d, "request_withdrawal", d.owner, note="Không cần nữa")
    assert citizen_api.get(DOSSIERS).json()["results"][0]["next_actions"] == []
    draft_id = create(citizen_api).json()["id"]
    body = citizen_api.get(DOSSIERS).json()
    assert body["count"] == 2 and body["results"][0]["id"] == draft_id
    assert citizen_api.delete(f"{DOSSIERS}/{draft_id}").status_code == 204
    assert citizen_api.get(DOSSIERS).json()["count"] == 1
    v.name = "Tên thủ tục đã sửa"
    with django_capture_on_commit_callbacks(execute=True):
        catalog.save_version(v)
    assert citizen_api.get(DOSSIERS).json()["results"][0]["procedure"]["name"] == v.name


def test_list_pages_and_citizens_do_not_share_an_answer(citizen_api):
    v = version()
    for _ in range(3):
        submitted(citizen_api, v)
    one = citizen_api.get(DOSSIERS, {"page_size": 2}).json()
    two = citizen_api.get(DOSSIERS, {"page_size": 2, "page": 2}).json()
    assert {x["id"] for x in one["results"]}.isdisjoint({x["id"] for x in two["results"]})
    other = new_citizen_api()
    assert other.get(DOSSIERS, {"page_size": 2}).json()["count"] == 0
