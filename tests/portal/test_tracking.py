""" "Tra cứu hồ sơ": code plus the applicant's number, no personal data, the same answer for
a wrong number and an unknown code, a limit per address."""

import re

import pytest

from motcua.core.codes import is_dossier_code
from motcua.portal.views import tracking
from tests.factories import UserFactory
from tests.portal.conftest import assert_no_inline_code, html
from tests.portal.dossiers_support import (
    private_dir,  # noqa: F401 (fixture)
    same_page,
    submitted,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_dir")]

NOT_FOUND = "Không tìm thấy hồ sơ với mã số và số định danh đã nhập"


@pytest.fixture
def dossier(db):
    owner = UserFactory(full_name="Phạm Thị Hoa", phone="0935111222", email="hoa@example.vn")
    return submitted(owner)


def test_form_is_in_the_header_and_the_qr_address_prefills_the_code(client, dossier):
    r = client.get("/tra-cuu/")
    assert r.status_code == 200 and 'href="/tra-cuu/"' in html(r)
    assert_no_inline_code(r)
    page = html(client.get(f"/tra-cuu/{dossier.code}"))
    assert f'value="{dossier.code}"' in page and "Mới đăng ký" not in page


def test_right_number_shows_progress_without_personal_data(client, dossier):
    r = client.post(
        f"/tra-cuu/{dossier.code}", {"code": dossier.code, "id_number": dossier.applicant_id_number}
    )
    page = html(r)
    assert r.status_code == 200 and "Mới đăng ký" in page and "Nộp hồ sơ trực tuyến" in page
    assert dossier.submitted_at.astimezone().strftime("%d/%m/%Y") in page
    for personal in ("Phạm Thị Hoa", "0935111222", "hoa@example.vn"):
        assert personal not in page
    # The number is in the form the visitor typed it into, never anywhere else.
    assert page.count(dossier.applicant_id_number) <= 1
    assert_no_inline_code(r)


def test_wrong_number_and_unknown_code_look_the_same(client, dossier):
    wrong = client.post("/tra-cuu/", {"code": dossier.code, "id_number": "051090999999"})
    unknown = client.post("/tra-cuu/", {"code": "H48.31-990101-0001", "id_number": "051090999999"})
    assert wrong.status_code == unknown.status_code == 200
    assert NOT_FOUND in html(wrong) and NOT_FOUND in html(unknown)
    a, b = same_page(html(wrong), html(unknown))
    assert a.replace(dossier.code, "CODE") == b.replace("H48.31-990101-0001", "CODE")


def test_missing_fields_are_errors(client, db):
    r = client.post("/tra-cuu/", {"code": "", "id_number": ""})
    page = html(r)
    assert "Vui lòng nhập mã số hồ sơ." in page
    assert "Vui lòng nhập số định danh cá nhân của chủ hồ sơ." in page


def test_lookups_are_limited_per_address(client, dossier, monkeypatch):
    monkeypatch.setattr(tracking, "PORTAL_RATE", "3/minute")
    for _ in range(3):
        assert client.post("/tra-cuu/", {"code": "X", "id_number": "1"}).status_code == 200
    r = client.post("/tra-cuu/", {"code": dossier.code, "id_number": dossier.applicant_id_number})
    assert r.status_code == 429 and "Bạn đã tra cứu quá nhiều lần" in html(r)
    other = client.post("/tra-cuu/", {"code": "X", "id_number": "1"}, REMOTE_ADDR="203.0.113.9")
    assert other.status_code == 200


def test_the_page_shows_the_public_card_in_one_read(client, dossier):
    """The page and the API show the same answer: the dossier's tracking card, one read."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    data = {"code": dossier.code, "id_number": dossier.applicant_id_number}
    with CaptureQueriesContext(connection) as queries:
        r = client.post(f"/tra-cuu/{dossier.code}", data)
    dossier_reads = [q["sql"] for q in queries.captured_queries if "dossiers_" in q["sql"]]
    assert len(dossier_reads) == 1 and "dossiers_trackingcard" in dossier_reads[0]
    assert dossier.receiving_agency.name in html(r)


def test_labels_follow_the_page_language(client, dossier):
    client.cookies["django_language"] = "en"
    page = html(
        client.post("/tra-cuu/", {"code": dossier.code, "id_number": dossier.applicant_id_number})
    )
    assert "Newly submitted" in page and "Mới đăng ký" not in page


def test_the_example_code_has_the_shape_the_system_issues(client, dossier):

    page = html(client.get("/tra-cuu/"))
    example = re.search(r"ví dụ (?:<span[^>]*>)?([A-Z0-9.\-]+)(?:</span>)?\.", page).group(1)
    assert is_dossier_code(example)
    # Same three parts as a real one: agency id, YYMMDD, a four-digit number.
    assert [len(p) for p in example.split("-")[1:]] == [len(p) for p in dossier.code.split("-")[1:]]


def test_an_empty_due_date_is_explained(client, dossier):
    page = html(
        client.post(
            f"/tra-cuu/{dossier.code}",
            {"code": dossier.code, "id_number": dossier.applicant_id_number},
        )
    )
    assert "Chưa có: ngày hẹn trả được ghi khi hồ sơ được tiếp nhận." in page
