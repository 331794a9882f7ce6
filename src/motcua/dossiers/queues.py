"""What an officer may act on: the staff work list and the actions open to them now."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone

from motcua.accounts.models import Role, StaffMembership, User
from motcua.dossiers import lifecycle, transitions
from motcua.dossiers.models import Dossier, Status

IN_PROGRESS = (
    Status.RECEIVED,
    Status.PROCESSING,
    Status.SUPPLEMENT_REQUESTED,
    Status.PAYMENT_REQUESTED,
)


def staff_queue(
    user: User, *, status: int | None = None, procedure: str = "", overdue: bool | None = None
) -> QuerySet[Dossier]:
    """Dossiers this officer may act on, newest first: those assigned to them, those waiting
    at a step of one of their roles in their agency with nobody assigned, and for the one-stop
    desk the new, finished (to return) and withdrawal-requested dossiers of its agencies."""
    by_role: dict[str, list[int]] = {}
    for agency_id, role in StaffMembership.objects.filter(user=user).values_list(
        "agency_id", "role"
    ):
        by_role.setdefault(role, []).append(agency_id)
    where = Q(assignee=user)
    for role, agencies in by_role.items():
        where |= Q(assignee__isnull=True, current_step__role=role) & (
            Q(receiving_agency_id__in=agencies)
            | Q(version__agency_id__in=agencies)
            | Q(competent_agency_id__in=agencies)
        )
    desks = by_role.get(Role.RECEIVER)
    if desks:
        where |= Q(receiving_agency_id__in=desks) & (
            Q(status__in=(Status.SUBMITTED, Status.FINISHED)) | Q(sub_state="withdrawal_requested")
        )
    qs = (
        Dossier.objects.filter(where)
        .exclude(status=Status.DRAFT)
        .select_related(
            "version", "version__procedure", "receiving_agency", "current_step", "assignee"
        )
        .order_by("-id")
    )
    if status is not None:
        qs = qs.filter(status=status)
    if procedure:
        qs = qs.filter(version__procedure__code=procedure)
    if overdue is True:
        qs = qs.filter(status__in=IN_PROGRESS, due_at__lt=timezone.now())
    elif overdue is False:
        qs = qs.exclude(status__in=IN_PROGRESS, due_at__lt=timezone.now())
    return qs


def may_see(user: User, d: Dossier) -> bool:
    """Staff of the receiving or competent agency, and whoever holds it."""
    if d.assignee_id == user.pk:
        return True
    return StaffMembership.objects.filter(
        user=user, agency_id__in=transitions.agencies_of(d)
    ).exists()


def actions_for(user: User, d: Dossier) -> list[str]:
    """The action codes this officer may fire on the dossier now (what ``perform`` would not
    refuse for want of a step, a status or a role)."""
    roles = transitions.roles_of(user, d)
    if not roles:
        return []
    if d.process_id is None:
        return [
            code
            for code in lifecycle.actions_from(d.status)
            if roles & set(lifecycle.transition(code).actors)
        ]
    found = []
    handler_step = d.current_step is not None and d.current_step.role == Role.HANDLER
    for a in transitions.available(d, user):
        t = lifecycle.transition(a.code)
        if t is None or d.status not in t.sources or a.code in found:
            continue
        if a.from_step_id and handler_step and d.assignee_id not in (None, user.pk):
            continue
        if a.code == "confirm_withdrawal" and d.sub_state != "withdrawal_requested":
            continue
        found.append(a.code)
    return found
