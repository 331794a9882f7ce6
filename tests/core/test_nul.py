"""No text holding a NUL character reaches the database, whatever face it comes through.

PostgreSQL refuses text containing U+0000 (a server error wherever it reached a query);
SQLite quietly cuts it short. Both must answer the same: 404 for a path, 400 for a parameter,
cookie or form field, as JSON under /api/ and as an error page elsewhere.
"""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.api.helpers import assert_error
from tests.factories import ProcedureVersionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def procedure():
    return ProcedureVersionFactory(procedure__code="1.004650")


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/procedures?agency=a%00b",
        "/api/v1/procedures?field=a%00b",
        "/api/v1/procedures?q=gi%00y",
        "/api/v1/procedures?level=mot_phan&x%00=1",
        "/api/v1/agencies?page=1%00",
        "/api/v1/tracking/H01-261205-0001?id_number=0%00",
    ],
)
def test_a_query_parameter_holding_nul_is_a_bad_request(api, procedure, url):
    assert_error(api.get(url), 400, "invalid_character")


def test_an_api_path_holding_nul_is_not_found(api, citizen_api, procedure):
    assert_error(api.get("/api/v1/procedures/a%00b"), 404, "not_found")
    assert_error(citizen_api.get("/api/v1/dossiers/H01-261205-0001%00"), 404, "not_found")
    assert_error(citizen_api.post("/api/v1/dossiers/a%00/submit"), 404, "not_found")


def test_a_portal_path_holding_nul_is_the_not_found_page(client, procedure):
    r = client.get("/thu-tuc/a%00b/")
    assert r.status_code == 404
    assert r["Content-Type"].startswith("text/html")
    assert "Không tìm thấy trang" in r.content.decode()


def test_portal_query_and_form_fields_holding_nul_are_refused(client, procedure):
    r = client.get("/thu-tuc/?q=x%00&linh-vuc=a")
    assert r.status_code == 400
    assert "Yêu cầu không hợp lệ" in r.content.decode()
    r = client.post("/dang-nhap/", {"username": "a\x00@b.vn", "password": "x"})
    assert r.status_code == 400
    r = client.post("/tra-cuu/", {"code": "H01-261205-0001", "id_number": "0\x00"})
    assert r.status_code == 400


def test_a_multipart_field_holding_nul_is_refused_on_the_portal(client, procedure):
    r = client.post(
        "/dang-nhap/",
        {"username": "a@b.vn", "password": "x\x00", "f": SimpleUploadedFile("a.pdf", b"%PDF")},
    )
    assert r.status_code == 400
    assert "Yêu cầu không hợp lệ" in r.content.decode()


def test_a_cookie_holding_nul_is_refused(procedure):
    client = Client()
    client.cookies["sessionid"] = "abcdefgh\x00ijkl"
    assert client.get("/thu-tuc/").status_code == 400
    assert_error(client.get("/api/v1/fields"), 400, "invalid_character")


def test_json_and_multipart_bodies_holding_nul_are_refused(api, citizen_api, procedure):
    r = api.post(
        "/api/v1/auth/token",
        json.dumps({"email": "a\u0000@b.vn", "password": "x"}),
        content_type="application/json",
    )
    assert_error(r, 400, "invalid_character")
    r = citizen_api.post("/api/v1/dossiers", {"procedure": "1.004650"}, format="json")
    draft = r.json()["id"]
    r = citizen_api.patch(f"/api/v1/dossiers/{draft}", {"note": "a\x00"}, format="json")
    assert_error(r, 400, "invalid_character")
    r = citizen_api.post(
        f"/api/v1/dossiers/{draft}/files",
        {"component": "1\x00", "file": SimpleUploadedFile("don.pdf", b"%PDF-1.4\n")},
        format="multipart",
    )
    assert_error(r, 400, "invalid_character")
    r = api.post("/api/v1/auth/token", {"email": "a@b.vn", "password": "x\x00"})
    assert_error(r, 400, "invalid_character")
