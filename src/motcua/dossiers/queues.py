"""What an officer may act on: the staff work list and the actions open to them now."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone

from motcua.accounts.models import Role, StaffMembership, User
from motcua.catalog.models import ProcedureVersion
from motcua.dossiers import lifecycle, transitions
from motcua.dossiers.models import Dossier, DossierEvent, Status
from motcua.workflow.models import Step

WITHDRAWAL_REQUESTED = "withdrawal_requested"
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
    # Every branch is a condition on the dossier's own columns, each served by an index
    # (assignee; current step; receiving agency and status; withdrawal requests), so
    # PostgreSQL ORs their bitmaps and reads only the matching rows. Conditions on joined
    # tables (the step's role, the version's agency) made it read and join the whole million
    # for the count instead: 1 s for one officer's first page (EXPLAIN ANALYZE, bench data).
    where = Q(assignee=user)
    steps = _steps_by_role(by_role) if by_role else {}
    for role, agencies in by_role.items():
        if steps.get(role):
            where |= Q(assignee__isnull=True, current_step_id__in=steps[role]) & (
                Q(receiving_agency_id__in=agencies)
                | Q(version_id__in=ProcedureVersion.objects.filter(agency_id__in=agencies))
                | Q(competent_agency_id__in=agencies)
            )
    desks = by_role.get(Role.RECEIVER)
    if desks:
        where |= Q(receiving_agency_id__in=desks, status__in=(Status.SUBMITTED, Status.FINISHED))
        where |= Q(receiving_agency_id__in=desks, sub_state=WITHDRAWAL_REQUESTED)
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


def in_order(queryset: QuerySet[Dossier], ids: list[int]) -> list[Dossier]:
    """The dossiers of ``ids`` (one page of ``queryset``'s), in that order, with what
    ``queryset`` selects alongside them."""
    found = queryset.order_by().filter(pk__in=ids).in_bulk()
    return [found[pk] for pk in ids if pk in found]


def _steps_by_role(by_role: dict[str, list[int]]) -> dict[str, list[int]]:
    """The process steps each of these roles works at (a few hundred at most)."""
    found: dict[str, list[int]] = {}
    for pk, role in Step.objects.filter(role__in=by_role).values_list("pk", "role"):
        found.setdefault(role, []).append(pk)
    return found


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
    open_now = transitions.available(d, user)
    # Actions allowed once per dossier (apology, supplement…) and already done are not open.
    once = {a.code for a in open_now if a.once_per_dossier}
    done = (
        set(
            DossierEvent.objects.filter(dossier_id=d.pk, action__in=once).values_list(
                "action", flat=True
            )
        )
        if once
        else set()
    )
    for a in open_now:
        t = lifecycle.transition(a.code)
        if t is None or d.status not in t.sources or a.code in found or a.code in done:
            continue
        if a.from_step_id and handler_step and d.assignee_id not in (None, user.pk):
            continue
        if a.code == "confirm_withdrawal" and d.sub_state != "withdrawal_requested":
            continue
        if a.code == "recall" and not _may_recall(user, d):
            continue
        found.append(a.code)
    return found


def _may_recall(user: User, d: Dossier) -> bool:
    """T19: only the officer who just handed the dossier on, before anyone acted on it
    (the same test ``transitions`` applies when the recall is fired)."""
    last = (
        DossierEvent.objects.filter(dossier_id=d.pk)
        .order_by("-at", "-id")
        .values("actor_id", "action", "data")
        .first()
    )
    return bool(
        last
        and last["actor_id"] == user.pk
        and last["action"] in transitions.ROUTING
        and "from_step_id" in (last["data"] or {})
    )
