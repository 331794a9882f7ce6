"""Consultation (T6) through the staff API: new action codes on the existing actions endpoint,
the consultations in the detail, the partner's window, and nothing of it for the citizen."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.accounts.models import Role
from motcua.dossiers.models import Consultation, Dossier, DossierEvent
from tests.api.dossier_helpers import client_for
from tests.api.helpers import assert_error
from tests.dossiers.consult_helpers import PDF, consulting_desk, partner, private_dir  # noqa: F401

pytestmark = pytest.mark.django_db

STAFF = "/api/v1/staff/dossiers"
QUESTION = "Đề nghị cho ý kiến về điều kiện phòng cháy của công trình."
ANSWER = "Công trình đủ điều kiện phòng cháy, chữa cháy."


def test_consult_and_answer_through_the_actions_endpoint(private_dir):  # noqa: F811
    d, staff = consulting_desk(pauses=True)
    fire, fire_officer = partner()
    handler = client_for(staff[Role.HANDLER])
    detail = handler.get(f"{STAFF}/{d.code}").json()
    assert "consult" in detail["actions"] and detail["consultations"] == []
    r = handler.post(
        f"{STAFF}/{d.code}/actions",
        {
            "action": "consult",
            "note": QUESTION,
            "agencies": [fire.code],
            "days": 2,
            "lock_version": detail["lock_version"],
        },
        format="json",
    )
    assert r.status_code == 200, r.content
    asked = r.json()["consultations"]
    assert len(asked) == 1
    assert asked[0]["agency"] == {"code": fire.code, "name": fire.name}
    assert asked[0]["question"] == QUESTION and asked[0]["days"] == 2
    assert asked[0]["pauses_clock"] is True and asked[0]["answered_at"] is None
    assert Dossier.objects.get(pk=d.pk).paused_at is not None

    api = client_for(fire_officer)
    mine = api.get(f"{STAFF}/{d.code}")
    assert mine.status_code == 200
    assert mine.json()["actions"] == ["answer_consultation"]
    assert [row["code"] for row in api.get(STAFF).json()["results"]] == [d.code]
    r = api.post(
        f"{STAFF}/{d.code}/actions",
        {
            "action": "answer_consultation",
            "note": ANSWER,
            "files": [SimpleUploadedFile("tra-loi.pdf", PDF)],
        },
        format="multipart",
    )
    assert r.status_code == 404  # answered: the partner's window closed with its answer
    c = Consultation.objects.get(dossier=d)
    assert c.answer == ANSWER and [f.name for f in c.files.all()] == ["tra-loi.pdf"]
    assert Dossier.objects.get(pk=d.pk).paused_at is None
    answered = handler.get(f"{STAFF}/{d.code}").json()["consultations"][0]
    assert answered["answer"] == ANSWER and answered["answered_by"] == fire_officer.display_name
    assert answered["files"][0]["side"] == "answer"
    assert api.get(f"{STAFF}/{d.code}").status_code == 404


def test_refusals_are_the_usual_errors_and_change_nothing():
    d, staff = consulting_desk()
    fire, fire_officer = partner()
    receiver = client_for(staff[Role.RECEIVER])
    r = receiver.post(
        f"{STAFF}/{d.code}/actions",
        {"action": "consult", "note": QUESTION, "agencies": [fire.code]},
        format="json",
    )
    assert_error(r, 403, "permission_denied")
    handler = client_for(staff[Role.HANDLER])
    r = handler.post(
        f"{STAFF}/{d.code}/actions", {"action": "consult", "note": QUESTION}, format="json"
    )
    assert_error(r, 400, "validation_error", ["agencies"])
    r = handler.post(
        f"{STAFF}/{d.code}/actions",
        {"action": "consult", "note": QUESTION, "agencies": [fire.code], "days": 99},
        format="json",
    )
    assert_error(r, 400, "validation_error", ["days"])
    # Not consulted yet: the partner may not even see the dossier.
    r = client_for(fire_officer).post(
        f"{STAFF}/{d.code}/actions", {"action": "answer_consultation", "note": ANSWER}
    )
    assert r.status_code == 404
    assert not Consultation.objects.exists()
    assert not DossierEvent.objects.filter(dossier=d, action="consult").exists()


def test_the_citizen_reads_neither_question_nor_answer():
    d, staff = consulting_desk()
    fire, fire_officer = partner()
    handler = client_for(staff[Role.HANDLER])
    handler.post(
        f"{STAFF}/{d.code}/actions",
        {"action": "consult", "note": QUESTION, "agencies": [fire.code]},
        format="json",
    )
    client_for(fire_officer).post(
        f"{STAFF}/{d.code}/actions",
        {"action": "answer_consultation", "note": ANSWER},
        format="json",
    )
    owner = client_for(d.owner).get(f"/api/v1/dossiers/{d.code}").json()
    text = json.dumps(owner, ensure_ascii=False)
    assert QUESTION not in text and ANSWER not in text and "consultations" not in owner
    labels = [row["action_label"] for row in owner["history"]]
    assert "Lấy ý kiến cơ quan phối hợp" in labels
    tracking = client_for(d.owner).get(
        f"/api/v1/tracking/{d.code}?id_number={d.applicant_id_number}"
    )
    assert QUESTION not in tracking.content.decode() and ANSWER not in tracking.content.decode()


def test_a_partner_reads_neither_another_partners_exchange_nor_the_office_notes():
    from motcua.dossiers import services

    d, staff = consulting_desk()
    fire, fire_officer = partner("Công an tỉnh thử nghiệm")
    land, _ = partner("Sở Nông nghiệp thử nghiệm")
    secret = "Câu hỏi riêng cho Sở Nông nghiệp về đất đai."
    d = services.perform(d, "consult", staff[Role.HANDLER], note=QUESTION, agencies=[fire.code])
    d = services.perform(d, "consult", staff[Role.HANDLER], note=secret, agencies=[land.code])
    seen = client_for(fire_officer).get(f"{STAFF}/{d.code}").json()
    text = json.dumps(seen, ensure_ascii=False)
    assert secret not in text
    assert [c["agency"]["code"] for c in seen["consultations"]] == [fire.code]
    assert seen["consultations"][0]["question"] == QUESTION
    assert {e["action"] for e in seen["history"]} >= {"consult"}
    office = client_for(staff[Role.HANDLER]).get(f"{STAFF}/{d.code}").json()
    assert secret in [e["note"] for e in office["history"]]
