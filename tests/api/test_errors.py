"""What every /api/ path answers when something is wrong: JSON in one shape, never HTML."""

import json
import re
from unittest import mock

import pytest
import yaml
from django.urls import URLPattern, get_resolver

from tests.api.helpers import assert_error

pytestmark = pytest.mark.django_db

REGISTER = "/api/v1/auth/register"
GOOD = {
    "email": "an@example.vn",
    "password": "Matkhau2026",
    "full_name": "Nguyễn Văn An",
    "phone": "0988123113",
    "id_number": "051090123456",
}


def api_paths() -> list[str]:
    """Every route of api/urls.py, as the OpenAPI document should name it."""
    resolver = get_resolver().url_patterns
    api = next(p for p in resolver if str(p.pattern) == "api/v1/")
    return [
        "/api/v1/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", str(p.pattern))
        for p in api.url_patterns
        if isinstance(p, URLPattern) and str(p.pattern) != "schema"
    ]


def test_schema_is_openapi_and_lists_every_endpoint(api):
    r = api.get("/api/v1/schema")
    assert r.status_code == 200
    document = yaml.safe_load(r.content)
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] == "MotCua API"
    paths = api_paths()
    # the dossier receipt (issue 8, item 4) is the 21st, verify (issue 9, item 5) the 22nd;
    # the staff list, dossier and actions (issue 9, item 6) make 25; the signed result and
    # the issued forms of a dossier (issue 9, item 8) 27
    assert len(paths) == 27
    assert set(paths) <= set(document["paths"])
    as_json = api.get("/api/v1/schema?format=json")
    assert as_json.status_code == 200
    assert json.loads(as_json.content)["paths"].keys() == document["paths"].keys()


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/khong-co"),
        ("post", "/api/v1/khong-co"),
        ("get", "/api/v2/procedures"),
        ("get", "/api/"),
        ("get", "/api/v1/procedures/1.004650/thua"),
        ("delete", "/api/v1/dossiers/123/khong-co"),
    ],
)
def test_unknown_api_path_is_json_404(api, method, path):
    r = getattr(api, method)(path)
    assert_error(r, 404, "not_found")
    assert b"<html" not in r.content.lower()


def test_malformed_json_body(api):
    r = api.post(REGISTER, data='{"email": "an@example.vn",', content_type="application/json")
    assert_error(r, 400, "parse_error")


def test_body_over_the_upload_limit_is_a_json_400(api, settings):
    body = json.dumps({**GOOD, "full_name": "A" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)})
    r = api.post(REGISTER, data=body, content_type="application/json")
    assert_error(r, 400, "bad_request")


def test_unsupported_content_type(api):
    r = api.post(REGISTER, data="email=an@example.vn", content_type="text/plain")
    assert_error(r, 415, "unsupported_media_type")


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("get", REGISTER, "POST"),
        ("put", "/api/v1/auth/token", "POST"),
        ("get", "/api/v1/auth/logout", "POST"),
        ("post", "/api/v1/procedures", "GET"),
        ("delete", "/api/v1/procedures/1.004650", "GET"),
        ("put", "/api/v1/me", "GET, PATCH"),
        ("post", "/api/v1/agencies", "GET"),
        ("patch", "/api/v1/fields", "GET"),
    ],
)
def test_wrong_method_is_json_405(citizen_api, method, path, allowed):
    # Signed in: endpoints that need a token check it before the method.
    r = getattr(citizen_api, method)(path, {}, format="json")
    assert_error(r, 405, "method_not_allowed")
    assert set(r["Allow"].replace(" ", "").split(",")) >= set(allowed.replace(" ", "").split(","))


def test_server_error_is_json_without_a_trace(api):
    api.raise_request_exception = False
    with mock.patch(
        "motcua.catalog.selectors.search_procedures", side_effect=RuntimeError("bí mật nội bộ")
    ):
        r = api.get("/api/v1/procedures")
    assert_error(r, 500, "server_error")
    assert b"RuntimeError" not in r.content and "bí mật".encode() not in r.content


def test_form_encoded_bodies_are_accepted_too(api):
    assert api.post(REGISTER, GOOD).status_code == 201  # multipart, as a plain HTML form sends


# --- throttling of the endpoints that send e-mail ---------------------------------------------


@pytest.fixture
def tight_rate(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"register": "3/hour"},
    }


@pytest.mark.parametrize(
    ("path", "body"),
    [
        (REGISTER, None),
        ("/api/v1/auth/resend-confirmation", {"email": "an@example.vn"}),
        ("/api/v1/auth/password-reset", {"email": "an@example.vn"}),
    ],
)
def test_mail_endpoints_are_throttled(api, tight_rate, path, body):
    for i in range(3):
        data = body or {**GOOD, "email": f"an{i}@example.vn", "id_number": f"05109012345{i}"}
        assert api.post(path, data, format="json").status_code in (201, 202)
    r = api.post(path, body or GOOD, format="json")
    assert_error(r, 429, "throttled")
    assert int(r["Retry-After"]) > 0


def test_one_budget_for_all_mail_endpoints(api, tight_rate):
    api.post("/api/v1/auth/resend-confirmation", {"email": "a@example.vn"}, format="json")
    api.post("/api/v1/auth/password-reset", {"email": "a@example.vn"}, format="json")
    api.post(REGISTER, GOOD, format="json")
    assert_error(
        api.post("/api/v1/auth/password-reset", {"email": "b@example.vn"}, format="json"),
        429,
        "throttled",
    )


def test_throttle_is_per_client_address(api, tight_rate):
    for _ in range(3):
        api.post(
            "/api/v1/auth/password-reset",
            {"email": "a@example.vn"},
            format="json",
            REMOTE_ADDR="192.0.2.1",
        )
    r = api.post(
        "/api/v1/auth/password-reset",
        {"email": "a@example.vn"},
        format="json",
        REMOTE_ADDR="192.0.2.2",
    )
    assert r.status_code == 202


def test_a_forged_forwarded_header_does_not_reset_the_budget(api, tight_rate):
    def ask(i):
        return api.post(
            "/api/v1/auth/password-reset",
            {"email": "a@example.vn"},
            format="json",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{i}",
        )

    assert [ask(i).status_code for i in range(3)] == [202, 202, 202]
    assert_error(ask(99), 429, "throttled")


def test_behind_the_proxy_the_address_it_adds_counts(api, tight_rate, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

    def ask(forwarded):
        return api.post(
            "/api/v1/auth/password-reset",
            {"email": "a@example.vn"},
            format="json",
            REMOTE_ADDR="10.0.0.2",  # the proxy
            HTTP_X_FORWARDED_FOR=forwarded,
        )

    # The client may write anything before the address the proxy appends last.
    assert [ask(f"198.51.100.{i}, 192.0.2.10").status_code for i in range(3)] == [202, 202, 202]
    assert_error(ask("198.51.100.77, 192.0.2.10"), 429, "throttled")
    assert ask("192.0.2.11").status_code == 202  # another citizen behind the same proxy
