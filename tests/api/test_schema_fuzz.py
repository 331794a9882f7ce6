"""schemathesis over the whole committed openapi.yaml, against the WSGI app, anonymous, with a
citizen's bearer token and with the receiving agency's one-stop officer's: every answer must be one the schema describes (status, content type,
body, headers) and none may be a server error. Operations added later are covered by themselves.

Generated path parameters name nothing that exists, so two cases in three are pointed at real
objects instead (chosen from the generated values, hence as deterministic as they are): the
citizen's draft and submitted dossier, their files, a procedure. The anonymous run meets the
same objects, owned by someone else; the officer's run may act on the submitted dossier.
"""

import hashlib
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from motcua.accounts.models import Role
from tests.api.dossier_helpers import (  # noqa: F401 (private_dir is a fixture)
    client_for,
    private_dir,
    ready_draft,
    submitted,
    version,
)
from tests.factories import MembershipFactory, UserFactory

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
    max_examples=10,
    derandomize=True,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)

# Cases sent per run and operation, printed at the end (pytest -s) for the record.
SENT: Counter = Counter()


@dataclass
class Ref:
    reference: str
    file_id: str


@dataclass
class World:
    token: str
    officer_token: str
    procedure: str
    draft: Ref
    dossier: Ref


@pytest.fixture
def world(db, request):
    from motcua.dossiers.models import Dossier

    request.getfixturevalue("private_dir")  # uploads in the test's own folder
    citizen = UserFactory()
    api = client_for(citizen)
    v = version()
    draft_id = ready_draft(api, v)
    dossier = submitted(api, v)
    draft = Dossier.objects.get(public_id=draft_id)
    # The one-stop officer of the receiving agency: the staff operations with a token that
    # may act, so their answers are checked past 401 and 403.
    officer = MembershipFactory(agency=dossier.receiving_agency, role=Role.RECEIVER).user
    return World(
        token=api._credentials["HTTP_AUTHORIZATION"],
        officer_token=client_for(officer)._credentials["HTTP_AUTHORIZATION"],
        procedure=v.procedure.code,
        draft=Ref(draft_id, str(draft.files.first().pk)),
        dossier=Ref(dossier.code, str(dossier.files.first().pk)),
    )


@contextmanager
def _connection_kept():
    """As Django's test client does around each request: the WSGI handler must not close the
    test's connection (the test client reconnects the handlers after each of its requests)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture(scope="module", autouse=True)
def _report():
    yield
    documented = {f"{m.upper()} {p}" for p, ms in schema.raw_schema["paths"].items() for m in ms}
    for run in ("anonymous", "citizen", "officer"):
        sent = {op: n for (r, op), n in SENT.items() if r == run}
        operations = documented & set(sent)
        print(
            f"\nschemathesis {run}: {len(operations)} operations, "
            f"{sum(sent[op] for op in operations)} cases, "
            f"{sum(n for op, n in sent.items() if op not in documented)} more with an "
            "undocumented method"
        )


def _point_at_real_objects(case, world: World) -> None:
    params = case.path_parameters
    if not params:
        return
    choice = int(hashlib.sha256(repr(sorted(params.items())).encode()).hexdigest(), 16) % 3
    if choice == 0:
        return
    if case.path.startswith("/api/v1/procedures/"):
        params["code"] = world.procedure
    elif case.path.startswith("/api/v1/tracking/"):
        params["code"] = world.dossier.reference
    else:
        target = world.draft if choice == 1 else world.dossier
        for name in ("id", "code"):
            if name in params:
                params[name] = target.reference
        if "file_id" in params:
            params["file_id"] = target.file_id


def _send(run: str, case, world: World, headers=None) -> None:
    _point_at_real_objects(case, world)
    SENT[(run, f"{case.method} {case.path}")] += 1
    with _connection_kept():
        case.call_and_validate(headers=headers, checks=CHECKS)


@schema.parametrize()
@FUZZ
def test_anonymous(case, world):
    _send("anonymous", case, world)


@schema.parametrize()
@FUZZ
def test_citizen(case, world):
    _send("citizen", case, world, headers={"Authorization": world.token})


@schema.parametrize()
@FUZZ
def test_officer(case, world):
    _send("officer", case, world, headers={"Authorization": world.officer_token})
