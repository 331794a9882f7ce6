"""Security headers and health probes (docs/architecture.md, "Processes")."""

from unittest import mock

import pytest
from django.db import OperationalError

from motcua.core.middleware import CSP


@pytest.fixture
def page(client, settings):
    settings.ROOT_URLCONF = "tests.core.urls_page"
    response = client.get("/trang-thu/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    return response


def test_content_security_policy_forbids_inline_code_and_framing(page):
    policy = dict(part.strip().split(" ", 1) for part in page["Content-Security-Policy"].split(";"))
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert "unsafe-inline" not in page["Content-Security-Policy"]
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
    assert page["Content-Security-Policy"] == CSP


def test_clickjacking_sniffing_and_referrer_headers(page):
    assert page["X-Frame-Options"] == "DENY"
    assert page["X-Content-Type-Options"] == "nosniff"
    assert page["Referrer-Policy"] == "same-origin"
    assert page["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in page["Permissions-Policy"]


def test_api_responses_carry_the_headers_too(client, db):
    response = client.get("/api/v1/fields")
    assert response["Content-Security-Policy"] == CSP
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_view_may_set_its_own_policy(rf):
    from django.http import HttpResponse

    from motcua.core.middleware import SecurityHeadersMiddleware

    def view(request):
        response = HttpResponse()
        response["Content-Security-Policy"] = "default-src 'none'"
        return response

    response = SecurityHeadersMiddleware(view)(rf.get("/xem-truoc"))
    assert response["Content-Security-Policy"] == "default-src 'none'"


def test_healthz_answers_without_the_database(client):
    with mock.patch("django.db.backends.base.base.BaseDatabaseWrapper.cursor") as cursor:
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    cursor.assert_not_called()


@pytest.mark.django_db
def test_readyz_ok_when_database_answers(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.content == b"ready"


@pytest.mark.django_db
def test_readyz_503_when_database_fails(client):
    with mock.patch(
        "django.db.backends.base.base.BaseDatabaseWrapper.cursor",
        side_effect=OperationalError("connection refused"),
    ):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert b"connection refused" not in response.content


def test_a_visitors_language_ends_with_their_request(client, db, settings):
    """The English switch applies to that visitor's request only: nothing the same thread runs
    afterwards (an e-mail, a task, the next anonymous API answer) comes out in English."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    r = client.get("/healthz")
    assert r["Content-Language"] == "en"
    assert translation.get_language() == settings.LANGUAGE_CODE
