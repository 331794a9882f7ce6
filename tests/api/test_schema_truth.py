"""openapi.yaml states the rules the server applies (issue 8, item 10)."""

from pathlib import Path

import pytest
import yaml

from motcua.dossiers.uploads import MIME
from tests.api.dossier_helpers import private_dir, submitted, version  # noqa: F401
from tests.api.helpers import assert_error

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = yaml.safe_load((ROOT / "openapi.yaml").read_text(encoding="utf-8"))
OPERATIONS = [
    (path, method, operation)
    for path, methods in SCHEMA["paths"].items()
    for method, operation in methods.items()
]
ERROR = {"$ref": "#/components/schemas/ErrorOut"}


def _component(name):
    return SCHEMA["components"]["schemas"][name]


@pytest.mark.parametrize("path,method,operation", OPERATIONS, ids=lambda x: str(x)[:40])
def test_every_error_status_has_the_error_body(path, method, operation):
    errors = {code: r for code, r in operation["responses"].items() if code.startswith("4")}
    assert "400" in errors, (method, path)
    for code, response in errors.items():
        assert response["content"]["application/json"]["schema"] == ERROR, (method, path, code)
    if any("bearerAuth" in s for s in operation.get("security", [])):
        assert "401" in errors, (method, path)
    if "{" in path or any(p["name"] == "page" for p in operation.get("parameters", [])):
        assert "404" in errors, (method, path)


@pytest.mark.usefixtures("private_dir")
def test_withdraw_reason_is_required_in_the_schema_and_by_the_server(citizen_api):
    body = _component("WithdrawInRequest")
    assert body["required"] == ["reason"] and body["properties"]["reason"]["minLength"] == 5
    dossier = submitted(citizen_api, version())
    r = citizen_api.post(f"/api/v1/dossiers/{dossier.code}/withdraw", {}, format="json")
    assert_error(r, 400, "validation_error", fields=["reason"])


def test_downloads_are_described_with_the_types_they_are_served_as():
    download = SCHEMA["paths"]["/api/v1/dossiers/{code}/files/{file_id}"]["get"]
    assert set(download["responses"]["200"]["content"]) == set(MIME.values())
    receipt = SCHEMA["paths"]["/api/v1/dossiers/{code}/receipt"]["get"]
    assert list(receipt["responses"]["200"]["content"]) == ["application/pdf"]


def test_page_starts_at_one_in_the_schema():
    listing = SCHEMA["paths"]["/api/v1/procedures"]["get"]
    page = next(p for p in listing["parameters"] if p["name"] == "page")
    assert page["schema"]["minimum"] == 1


def test_the_agency_and_component_rules_are_stated():
    create = SCHEMA["paths"]["/api/v1/dossiers"]["post"]
    assert "`agency`" in create["description"] and "`xa`" in create["description"]
    upload = SCHEMA["paths"]["/api/v1/dossiers/{id}/files"]["post"]
    assert "`component`" in upload["description"] and "purpose=initial" in upload["description"]
