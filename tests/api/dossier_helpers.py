"""Shared set-up for the dossier API tests: procedures, drafts made through the API, files."""

import io
import uuid
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from motcua.accounts.models import Role
from motcua.accounts.services import issue_api_token
from motcua.dossiers.models import Dossier, DossierFile
from tests.factories import MembershipFactory, ProcedureVersionFactory, UserFactory

DOSSIERS = "/api/v1/dossiers"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def unique_pdf() -> bytes:
    """A PDF whose bytes no other test writes, to look for it in storage afterwards."""
    return PDF + f"% {uuid.uuid4()}\n".encode()


def jpeg() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(out, "JPEG")
    return out.getvalue()


def zip_bytes(marker: bytes = b"") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("a.txt", b"not a pdf " + marker)
    return out.getvalue()


@pytest.fixture
def private_dir(tmp_path, settings):
    """Each test writes its uploads to its own folder, so "nothing stored" can be checked
    by listing it. The model field's storage was built once at import; point it here."""
    storage = DossierFile._meta.get_field("file").storage
    old_location = storage._location
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    storage._location = str(tmp_path)
    for cached in ("base_location", "location"):
        storage.__dict__.pop(cached, None)
    yield tmp_path
    storage._location = old_location
    for cached in ("base_location", "location"):
        storage.__dict__.pop(cached, None)


def stored_files() -> list[Path]:
    return [p for p in Path(settings.PRIVATE_MEDIA_ROOT).rglob("*") if p.is_file()]


def client_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {issue_api_token(user)}")
    client.user = user
    return client


def new_citizen_api() -> APIClient:
    return client_for(UserFactory())


def version(code: str = "1.004650", **kwargs):
    return ProcedureVersionFactory(procedure__code=code, **kwargs)


def required_component(v):
    return v.components.get(required=True)


def create(api, procedure: str = "1.004650", **body):
    return api.post(DOSSIERS, {"procedure": procedure, **body}, format="json")


def upload(api, draft_id: str, component, content: bytes, name: str = "don.pdf", **extra):
    data = {"file": _named(content, name)}
    if component is not None:
        data["component"] = getattr(component, "pk", component)
    data.update(extra)
    return api.post(f"{DOSSIERS}/{draft_id}/files", data, format="multipart")


def _named(content: bytes, name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def ready_draft(api, v, **body) -> str:
    """A draft of ``v`` that can be submitted: applicant from the account, counter delivery,
    the required component attached."""
    r = create(api, v.procedure.code, delivery={"method": "counter"}, **body)
    assert r.status_code == 201, r.content
    draft_id = r.json()["id"]
    r = upload(api, draft_id, required_component(v), PDF)
    assert r.status_code == 201, r.content
    return draft_id


def submitted(api, v, **body) -> Dossier:
    draft_id = ready_draft(api, v, **body)
    r = api.post(f"{DOSSIERS}/{draft_id}/submit")
    assert r.status_code == 200, r.content
    return Dossier.objects.get(code=r.json()["code"])


def receiver_of(dossier: Dossier):
    return MembershipFactory(agency=dossier.receiving_agency, role=Role.RECEIVER).user
