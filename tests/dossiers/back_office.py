"""Shared set-up for the back-office tests: a procedure with its standard process in force,
a submitted dossier, and one officer per role in the handling agency."""

from functools import cache

from cryptography.hazmat.primitives import serialization

from motcua.accounts.models import Role
from motcua.dossiers import services
from motcua.workflow.services import build_standard
from tests.dossiers.test_submission_core import _ready_draft
from tests.factories import MembershipFactory

ROLES = (Role.RECEIVER, Role.DEPT_HEAD, Role.HANDLER, Role.APPROVER)


def office(time_limit=5):
    """A submitted dossier bound to the standard process, and {role: officer}."""
    owner, draft = _ready_draft()
    version = draft.version
    version.time_limit_value = time_limit
    version.save()
    build_standard(version)
    dossier = services.submit(draft, owner)
    staff = {role: MembershipFactory(agency=version.agency, role=role).user for role in ROLES}
    give_certificate(staff[Role.APPROVER])
    return dossier, staff


@cache
def _test_ca():
    """One CA and one signing key for the session: keys are slow to make."""
    from motcua.signing import authority

    ca_key = authority.new_key()
    return authority.make_ca("Tổ chức chứng thực thử nghiệm", ca_key), ca_key, authority.new_key()


def give_certificate(user):
    """A certificate for ``user`` (the approver signs the result), from a trusted test CA."""
    from motcua.signing import authority
    from motcua.signing import services as signing

    ca, ca_key, key = _test_ca()
    signing.add_trusted_authority(ca.public_bytes(serialization.Encoding.PEM).decode())
    cert = authority.issue(ca, ca_key, key, user.full_name, "Sở thử nghiệm")
    return signing.store_certificate(cert, key, [ca], user=user)


def to_examination(dossier, staff):
    """Accept and assign: the dossier lands on the handler's desk."""
    d = services.perform(dossier, "accept", staff[Role.RECEIVER])
    return services.perform(d, "assign", staff[Role.DEPT_HEAD], assignee=staff[Role.HANDLER].pk)
