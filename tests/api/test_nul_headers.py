"""A NUL character in a request header is refused at the door like one anywhere else.

Headers reach the database too: the User-Agent is kept with each bearer token and with
django-axes' records of failed logins, and PostgreSQL cannot hold NUL in text (a 500 there,
a silently shortened value on SQLite). ``core.middleware.RejectNulMiddleware`` answers 400.
"""

import pytest

from motcua.accounts.models import ApiToken
from tests.api.helpers import assert_error
from tests.factories import ProcedureVersionFactory

pytestmark = pytest.mark.django_db

DOSSIERS = "/api/v1/dossiers"


def test_a_user_agent_holding_nul_gets_no_token(api, citizen, password):
    response = api.post(
        "/api/v1/auth/token",
        {"email": citizen.email, "password": password},
        format="json",
        HTTP_USER_AGENT="curl\x00/8",
    )
    assert_error(response, 400, "invalid_character")
    assert not ApiToken.objects.exists()


def test_a_failed_login_with_nul_in_the_user_agent_is_refused(api, citizen):
    response = api.post(
        "/api/v1/auth/token",
        {"email": citizen.email, "password": "sai-mat-khau"},
        format="json",
        HTTP_USER_AGENT="a\x00b",
    )
    assert_error(response, 400, "invalid_character")


def test_an_idempotency_key_holding_nul_is_refused(citizen_api):
    version = ProcedureVersionFactory(procedure__code="1.004650")
    response = citizen_api.post(
        DOSSIERS,
        {"procedure": version.procedure.code},
        format="json",
        HTTP_IDEMPOTENCY_KEY="k\x00ey",
    )
    assert_error(response, 400, "invalid_character")
    assert not citizen_api.user.dossiers.exists()


@pytest.mark.parametrize("header", ["HTTP_AUTHORIZATION", "HTTP_X_FORWARDED_FOR", "HTTP_REFERER"])
def test_any_header_holding_nul_is_refused(api, header):
    assert_error(api.get("/api/v1/me", **{header: "x\x00y"}), 400, "invalid_character")
