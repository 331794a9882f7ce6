"""One dossier taken to a signed result, with every kind of person who may or may not see it:
the scene of the who-sees-what tests (issue 9, item 7)."""

from types import SimpleNamespace

from rest_framework.test import APIClient

from motcua.accounts.models import Role
from motcua.documents.models import IssuedForm
from motcua.documents.services import issue_form
from motcua.dossiers import services
from motcua.signing import services as signing
from tests.api.dossier_helpers import client_for
from tests.dossiers.back_office import office, to_examination
from tests.factories import AgencyFactory, MembershipFactory, UserFactory

INTERNAL = "Nội bộ: anh Bình kiểm tra kỹ bản vẽ giúp em."

ROLE_NAMES = {
    Role.RECEIVER: "receiver",
    Role.DEPT_HEAD: "head",
    Role.HANDLER: "handler",
    Role.APPROVER: "leader",
}


def build_scene(pki, result_pdf) -> SimpleNamespace:
    """A dossier with its owner's file, Mẫu 01 (issued at acceptance) and 05, an internal note
    and a result signed again with the leader's certificate of ``pki`` (the newest result is
    the one served); and a client for each person."""
    dossier, staff = office()
    receiver, approver = staff[Role.RECEIVER], staff[Role.APPROVER]
    d = to_examination(dossier, staff)  # accepted, then assigned to the handler
    # Acceptance issued the receipt (Mẫu 01) in its own transaction.
    receipt = IssuedForm.objects.get(dossier=d, form_code="01")
    d = services.perform(d, "forward", staff[Role.HANDLER], note=INTERNAL)
    d = services.perform(d, "approve", staff[Role.DEPT_HEAD])
    d = services.perform(d, "sign_result", approver)
    signing.add_trusted_authority(pki.ca_pem)
    certificate = signing.store_certificate(pki.signer, pki.signer_key, [pki.ca], user=approver)
    result = signing.sign_result(d, result_pdf, signer_user=approver, certificate=certificate)
    slip = issue_form("05", d, issued_by=receiver)
    stranger_agency = AgencyFactory(name="Sở Y tế thử nghiệm")
    clients = {"owner": client_for(dossier.owner), "citizen": client_for(UserFactory())}
    for role, name in ROLE_NAMES.items():
        clients[name] = client_for(staff[role])
    clients["outsider"] = client_for(
        MembershipFactory(agency=stranger_agency, role=Role.RECEIVER).user
    )
    clients["anonymous"] = APIClient()
    return SimpleNamespace(
        dossier=d,
        code=d.code,
        staff=staff,
        receipt=receipt,
        slip=slip,
        result=result,
        clients=clients,
    )


STAFF_OF_AGENCY = ("receiver", "head", "handler", "leader")
EVERYONE = ("owner", "citizen", *STAFF_OF_AGENCY, "outsider", "anonymous")
