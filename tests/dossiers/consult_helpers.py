"""Shared set-up of the consultation tests (T6): a dossier on the handler's desk, a partner
agency with its officer, and uploads written to the test's own folder."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.accounts.models import Role
from motcua.dossiers.models import ConsultationFile, DossierFile
from motcua.workflow.models import Action
from motcua.workflow.vocabulary import Clock
from tests.dossiers.back_office import office, to_examination
from tests.factories import AgencyFactory, MembershipFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="cong-van.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def partner(name="Công an tỉnh thử nghiệm"):
    """A partner agency and the officer who answers for it."""
    agency = AgencyFactory(name=name)
    return agency, MembershipFactory(agency=agency, role=Role.PARTNER_AGENCY).user


def consulting_desk(*, pauses: bool = False):
    """A dossier in examination with the handler; the process's consult action pauses the
    clock when ``pauses`` (as a procedure whose law excludes consultation time is set up)."""
    dossier, staff = office()
    if pauses:
        Action.objects.filter(process=dossier.process, code="consult").update(clock=Clock.PAUSE)
    return to_examination(dossier, staff), staff


@pytest.fixture
def private_dir(tmp_path, settings):
    """Uploads of the test in its own folder (the models' storages were built at import)."""
    storages = [
        DossierFile._meta.get_field("file").storage,
        ConsultationFile._meta.get_field("file").storage,
    ]
    old = [s._location for s in storages]
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    for s in storages:
        s._location = str(tmp_path)
        for cached in ("base_location", "location"):
            s.__dict__.pop(cached, None)
    yield tmp_path
    for s, location in zip(storages, old, strict=True):
        s._location = location
        for cached in ("base_location", "location"):
            s.__dict__.pop(cached, None)
