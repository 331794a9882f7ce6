"""Shared set-up for the back-office tests: a procedure with its standard process in force,
a submitted dossier, and one officer per role in the handling agency."""

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
    return dossier, staff


def to_examination(dossier, staff):
    """Accept and assign: the dossier lands on the handler's desk."""
    d = services.perform(dossier, "accept", staff[Role.RECEIVER])
    return services.perform(d, "assign", staff[Role.DEPT_HEAD], assignee=staff[Role.HANDLER].pk)
