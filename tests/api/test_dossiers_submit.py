"""Submitting a draft over the API, and asking to withdraw a submitted dossier."""

import re
import threading
import time

import pytest
from django.db import connection, transaction
from django.utils import timezone

from motcua.dossiers import services
from motcua.dossiers.models import Dossier, DossierEvent, Status
from tests.api.dossier_helpers import (  # noqa: F401 (private_dir is a fixture)
    DOSSIERS,
    PDF,
    client_for,
    create,
    private_dir,
    ready_draft,
    receiver_of,
    required_component,
    submitted,
    upload,
    version,
)
from tests.api.helpers import assert_error
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_dir")]


def _submit(api, ref, **headers):
    return api.post(f"{DOSSIERS}/{ref}/submit", **headers)


def test_submit_gives_the_code_and_the_receipt(citizen_api, settings):
    v = version()
    draft_id = ready_draft(citizen_api, v)
    r = _submit(citizen_api, draft_id)
    assert r.status_code == 200, r.content
    body = r.json()
    assert set(body) == {"code", "status", "status_label", "receipt_url"}
    agency = re.escape(v.agency.code)
    assert re.fullmatch(rf"{agency}-\d{{6}}-\d{{4,}}", body["code"])
    assert body["code"] == f"{v.agency.code}-{timezone.localdate():%y%m%d}-0001"
    assert body["status"] == 1 and body["status_label"] == "Mới đăng ký"
    # The API's own copy of the receipt, which the same bearer token may fetch.
    assert body["receipt_url"] == f"http://testserver/api/v1/dossiers/{body['code']}/receipt"
    d = Dossier.objects.get(public_id=draft_id)
    assert d.code == body["code"] and d.status == Status.SUBMITTED


def test_codes_count_up_per_agency_and_day(citizen_api):
    v = version()
    codes = [submitted(citizen_api, v).code for _ in range(3)]
    assert [c.rsplit("-", 1)[1] for c in codes] == ["0001", "0002", "0003"]


def test_missing_required_component_is_named(citizen_api):
    v = version()
    draft_id = create(citizen_api, delivery={"method": "counter"}).json()["id"]
    r = _submit(citizen_api, draft_id)
    assert_error(r, 400, "validation_error", fields=[f"components.{required_component(v).pk}"])
    d = Dossier.objects.get(public_id=draft_id)
    assert d.status == Status.DRAFT and d.code is None


def test_incomplete_applicant_and_delivery_are_named(citizen_api):
    version()
    draft_id = create(
        citizen_api, applicant={"full_name": "A", "id_number": "123", "phone": "12"}
    ).json()["id"]
    error = assert_error(
        _submit(citizen_api, draft_id),
        400,
        "validation_error",
        fields=[
            "applicant.full_name",
            "applicant.id_number",
            "applicant.phone",
            "delivery.method",
            f"components.{required_component(Dossier.objects.get().version).pk}",
        ],
    )
    assert error["fields"]["delivery.method"]


def test_submitting_twice_returns_the_same_code(citizen_api):
    draft_id = ready_draft(citizen_api, version())
    first = _submit(citizen_api, draft_id).json()
    second = _submit(citizen_api, draft_id)
    assert second.status_code == 200 and second.json() == first
    by_code = _submit(citizen_api, first["code"])
    assert by_code.json() == first
    assert Dossier.objects.count() == 1
    assert DossierEvent.objects.filter(action="submit").count() == 1


def test_the_same_idempotency_key_returns_the_same_answer(citizen_api):
    v = version()
    draft_id = ready_draft(citizen_api, v)
    first = _submit(citizen_api, draft_id, HTTP_IDEMPOTENCY_KEY="nop-1")
    d = Dossier.objects.get(public_id=draft_id)
    services.perform(d, "request_supplement", receiver_of(d), note="Thiếu", items=["Đơn"])
    again = _submit(citizen_api, draft_id, HTTP_IDEMPOTENCY_KEY="nop-1")
    assert again.status_code == 200 and again.json() == first.json()
    assert again.json()["status"] == 1
    # Without the key the answer tells the truth of now, with the same code.
    now = _submit(citizen_api, draft_id).json()
    assert now["code"] == first.json()["code"] and now["status"] == 5


def test_an_idempotency_key_does_not_keep_errors(citizen_api):
    v = version()
    draft_id = create(citizen_api, delivery={"method": "counter"}).json()["id"]
    assert _submit(citizen_api, draft_id, HTTP_IDEMPOTENCY_KEY="k").status_code == 400
    upload(citizen_api, draft_id, required_component(v), PDF)
    assert _submit(citizen_api, draft_id, HTTP_IDEMPOTENCY_KEY="k").status_code == 200


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs concurrent writers (PostgreSQL row locks)"
)
def test_a_concurrent_double_submit_makes_one_dossier(citizen, citizen_api):
    """The second request passes the "already submitted?" check while the first holds the
    row lock; when the lock is released it must answer with the first one's code."""
    draft_id = ready_draft(citizen_api, version())
    draft = Dossier.objects.get(public_id=draft_id)
    outcome = {}

    def second():
        try:
            outcome["dossier"] = services.submit(draft, citizen)
        except Exception as exc:  # noqa: BLE001 (reported below)
            outcome["error"] = exc
        finally:
            connection.close()

    with transaction.atomic():
        Dossier.objects.select_for_update().get(pk=draft.pk)
        thread = threading.Thread(target=second)
        thread.start()
        time.sleep(0.5)  # the second request is now waiting for the lock
        first = services.perform(draft, "submit", citizen)
    thread.join(10)
    assert "error" not in outcome, outcome
    assert outcome["dossier"].code == first.code
    assert Dossier.objects.count() == 1


def test_submit_of_someone_elses_or_an_unknown_draft_is_404(citizen_api):
    draft_id = ready_draft(citizen_api, version())
    other = UserFactory()
    assert_error(_submit(client_for(other), draft_id), 404, "not_found")
    assert_error(_submit(citizen_api, "khong-co"), 404, "not_found")
    assert Dossier.objects.get().status == Status.DRAFT


# --- withdrawal ------------------------------------------------------------------------------


def _withdraw(api, code, reason="Tôi không còn nhu cầu nữa"):
    return api.post(f"{DOSSIERS}/{code}/withdraw", {"reason": reason}, format="json")


def test_withdrawal_is_requested_then_confirmed(citizen_api):
    d = submitted(citizen_api, version())
    r = _withdraw(citizen_api, d.code)
    assert r.status_code == 202, r.content
    assert r.json() == {"status": 1, "withdrawal": "requested"}
    d.refresh_from_db()
    assert d.status == Status.SUBMITTED and d.withdrawal.reason == "Tôi không còn nhu cầu nữa"
    detail = citizen_api.get(f"{DOSSIERS}/{d.code}").json()
    assert detail["withdrawal"]["confirmed_at"] is None
    assert "request_withdrawal" not in detail["next_actions"]
    services.perform(d, "confirm_withdrawal", receiver_of(d))
    detail = citizen_api.get(f"{DOSSIERS}/{d.code}").json()
    assert detail["status"] == 7 and detail["status_label"] == "Công dân yêu cầu rút hồ sơ"
    assert detail["finished_at"] is not None and detail["next_actions"] == []
    assert [e["action"] for e in detail["history"]] == [
        "submit",
        "request_withdrawal",
        "confirm_withdrawal",
    ]


def test_withdrawal_needs_a_reason(citizen_api):
    d = submitted(citizen_api, version())
    assert_error(_withdraw(citizen_api, d.code, ""), 400, "validation_error", ["reason"])
    r = citizen_api.post(f"{DOSSIERS}/{d.code}/withdraw", {}, format="json")
    assert_error(r, 400, "validation_error", ["reason"])
    assert not hasattr(Dossier.objects.get(pk=d.pk), "withdrawal")


def test_withdrawal_requested_twice_is_409(citizen_api):
    d = submitted(citizen_api, version())
    _withdraw(citizen_api, d.code)
    assert_error(_withdraw(citizen_api, d.code), 409, "already_requested")


def test_a_draft_or_a_closed_dossier_cannot_be_withdrawn(citizen_api):
    v = version()
    draft_id = ready_draft(citizen_api, v)
    assert_error(_withdraw(citizen_api, draft_id), 409, "action_not_allowed")
    d = submitted(citizen_api, v)
    _withdraw(citizen_api, d.code)
    services.perform(d, "confirm_withdrawal", receiver_of(d))
    assert_error(_withdraw(citizen_api, d.code), 409, "action_not_allowed")
