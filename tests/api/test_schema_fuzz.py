"""schemathesis over the whole committed openapi.yaml, against the WSGI app, anonymous and with
a citizen's bearer token: every answer must be one the schema describes (status, content type,
body, headers) and none may be a server error. Operations added later are covered by themselves.
"""

from pathlib import Path

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from motcua.accounts.services import issue_api_token
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]

schema = schemathesis.openapi.from_path(ROOT / "openapi.yaml")
schema.app = get_wsgi_application()

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]

FUZZ = settings(
    max_examples=15,
    derandomize=True,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture(autouse=True)
def _keep_test_connection():
    """As Django's test client does: the WSGI handler must not close the test's connection."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def bearer(db):
    return {"Authorization": f"Bearer {issue_api_token(UserFactory())}"}


@schema.parametrize()
@FUZZ
def test_anonymous(case, db):
    case.call_and_validate(checks=CHECKS)


@schema.parametrize()
@FUZZ
def test_citizen(case, bearer):
    case.call_and_validate(headers=bearer, checks=CHECKS)
