"""GET /api/v1/tracking/{code}?id_number= : public, no personal data, not guessable."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from motcua.dossiers import services
from tests.api.dossier_helpers import (  # noqa: F401 (private_dir is a fixture)
    create,
    private_dir,
    receiver_of,
    submitted,
    version,
)
from tests.api.helpers import assert_error

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_dir")]

APPLICANT = {
    "full_name": "Phạm Thị Dung",
    "id_number": "051185246813",
    "phone": "0935246813",
    "email": "dung@example.vn",
    "address": "45 Quang Trung, phường Cẩm Thành",
}


@pytest.fixture
def dossier(citizen_api):
    return submitted(citizen_api, version(), applicant=APPLICANT, note="Ghi chú riêng tư")


def _track(code, id_number=APPLICANT["id_number"], **extra):
    return APIClient().get(f"/api/v1/tracking/{code}", {"id_number": id_number}, **extra)


def test_the_right_number_shows_status_and_history_without_personal_data(dossier, citizen):
    r = _track(dossier.code)
    assert r.status_code == 200, r.content
    body = r.json()
    assert set(body) == {
        "code",
        "procedure",
        "receiving_agency",
        "status",
        "status_label",
        "submitted_at",
        "received_at",
        "due_at",
        "finished_at",
        "returned_at",
        "history",
    }
    assert body["code"] == dossier.code and body["status"] == 1
    assert body["procedure"]["code"] == "1.004650"
    assert body["receiving_agency"]["name"] == dossier.receiving_agency.name
    [event] = body["history"]
    assert set(event) == {"at", "action", "action_label", "status", "status_label"}
    assert event["action"] == "submit" and event["status_label"] == "Mới đăng ký"
    text = r.content.decode()
    for secret in [*APPLICANT.values(), citizen.full_name, citizen.email, "Ghi chú riêng tư"]:
        assert secret not in text, secret


def test_spaces_in_the_number_are_forgiven(dossier):
    assert _track(dossier.code, "0511 8524 6813").status_code == 200


def test_a_wrong_number_looks_exactly_like_an_unknown_code(dossier):
    wrong = _track(dossier.code, "051185246814")
    unknown = _track("H48.99-990101-0001")
    missing = APIClient().get(f"/api/v1/tracking/{dossier.code}")
    malformed = _track("khong phai ma")
    assert_error(wrong, 404, "not_found")
    for other in (unknown, missing, malformed):
        assert other.status_code == 404 and other.content == wrong.content


def test_drafts_are_never_found(citizen_api):
    version()
    draft_id = create(citizen_api, applicant=APPLICANT).json()["id"]
    assert_error(_track(draft_id), 404, "not_found")


def test_no_login_needed_and_a_bad_token_does_not_matter(dossier):
    r = _track(dossier.code, HTTP_AUTHORIZATION="Bearer khong-hop-le")
    assert r.status_code == 200


def test_a_status_change_shows_at_once(dossier):
    assert _track(dossier.code).json()["status"] == 1
    services.perform(
        dossier, "request_supplement", receiver_of(dossier), note="Thiếu", items=["Đơn"]
    )
    body = _track(dossier.code).json()
    assert body["status"] == 5
    assert [e["action"] for e in body["history"]] == ["submit", "request_supplement"]
    assert "Thiếu" not in str(body)


def test_one_primary_key_read_whatever_the_history(dossier):
    receiver = receiver_of(dossier)
    services.perform(dossier, "request_supplement", receiver, note="Thiếu", items=["Đơn"])
    services.perform(dossier, "request_withdrawal", dossier.owner, note="Không cần nữa")
    with CaptureQueriesContext(connection) as first:
        r = _track(dossier.code)
    assert r.status_code == 200 and len(r.json()["history"]) == 3
    [lookup] = first.captured_queries
    assert "dossiers_trackingcard" in lookup["sql"] and "JOIN" not in lookup["sql"]


def test_guessing_is_throttled_per_address(dossier, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"register": "10/hour", "tracking": "3/minute"},
    }
    codes = [_track(dossier.code, f"05118524681{i}", REMOTE_ADDR="192.0.2.5") for i in range(3)]
    assert all(r.status_code in (200, 404) for r in codes)
    r = _track(dossier.code, REMOTE_ADDR="192.0.2.5")
    assert_error(r, 429, "throttled")
    assert int(r["Retry-After"]) > 0
    assert _track(dossier.code, REMOTE_ADDR="192.0.2.6").status_code == 200


def test_a_missing_rate_falls_back_to_the_default(dossier, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"register": "10/hour"},
    }
    assert _track(dossier.code).status_code == 200


def test_other_methods_get_the_api_error_shape(dossier):
    r = APIClient().post(f"/api/v1/tracking/{dossier.code}", {"id_number": "x"})
    assert_error(r, 405, "method_not_allowed")
    assert r["Allow"] == "GET, HEAD"


def test_the_answer_is_json_in_vietnamese(dossier):
    r = _track(dossier.code)
    assert r["Content-Type"] == "application/json"
    assert "Mới đăng ký" in r.content.decode()  # not \u-escaped


# --- the short path past the middleware stack (TrackingMiddleware) ---------------------

HEADERS_OF_EVERY_ANSWER = (
    "Content-Security-Policy",
    "Permissions-Policy",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
    "X-Frame-Options",
    "Content-Language",
)


def test_the_short_path_keeps_every_security_header(dossier):
    ordinary = APIClient().get("/api/v1/procedures/KHONG-CO-MA-NAY")
    assert ordinary.status_code == 404
    assert all(ordinary.get(name) for name in HEADERS_OF_EVERY_ANSWER)
    for r in (_track(dossier.code), _track("H48.99-990101-0001")):
        for name in HEADERS_OF_EVERY_ANSWER:
            assert r.get(name) == ordinary.get(name), name


def test_the_short_path_opens_no_session(dossier):
    r = _track(dossier.code)
    assert not r.cookies and "Cookie" not in r.get("Vary", "")


def test_the_route_and_the_short_path_agree(dossier, settings):
    from django.urls import reverse

    from motcua.api.tracking import PATH

    assert PATH.match(reverse("api:tracking", args=[dossier.code]))
    short = _track(dossier.code)
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if not m.endswith("TrackingMiddleware")]
    routed = _track(dossier.code)
    assert routed.status_code == short.status_code == 200
    assert routed.content == short.content


def test_other_paths_under_tracking_are_not_taken(dossier):
    r = APIClient().get(f"/api/v1/tracking/{dossier.code}/", {"id_number": APPLICANT["id_number"]})
    assert_error(r, 404, "not_found")


@pytest.mark.django_db(transaction=True)
def test_outside_a_test_transaction_the_prepared_read_answers(citizen_api):
    """As in production (autocommit): on PostgreSQL the card comes through the prepared
    statement (motcua.core.db), and the answer is the same as everywhere else."""
    dossier = submitted(citizen_api, version(), applicant=APPLICANT)
    first, again = _track(dossier.code), _track(dossier.code)
    assert first.status_code == again.status_code == 200
    assert first.json()["code"] == dossier.code and first.content == again.content
    assert _track(dossier.code, "051185246814").status_code == 404
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements")
            statements = [row[0] for row in cursor.fetchall()]
        assert any("dossiers_trackingcard" in s and "$1" in s for s in statements)
