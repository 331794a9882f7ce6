"""What an officer may act on: the staff work list and the actions open to them now."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.utils import timezone

from motcua.accounts.models import Role, StaffMembership, User
from motcua.catalog.models import ProcedureVersion
from motcua.dossiers import consultations, lifecycle, transitions
from motcua.dossiers.models import Consultation, Dossier, DossierEvent, Status
from motcua.workflow.models import Step

WITHDRAWAL_REQUESTED = "withdrawal_requested"
# What a row of the work list shows beside the dossier.
LISTED_WITH = ("version", "version__procedure", "receiving_agency", "current_step", "assignee")
IN_PROGRESS = (
    Status.RECEIVED,
    Status.PROCESSING,
    Status.SUPPLEMENT_REQUESTED,
    Status.PAYMENT_REQUESTED,
)
# A safety net only: the key holds the desk clock's counter (a restored database could
# bring an old value back).
STEPS_CACHE_SECONDS = 300


@dataclass(frozen=True)
class Scope:
    """Whose work list: the officer, their agencies per role, and the process steps of those
    roles. Everything that decides which dossiers the list holds besides its filters."""

    user_id: int
    by_role: tuple[tuple[str, tuple[int, ...]], ...]
    steps: tuple[tuple[str, tuple[int, ...]], ...]


def queue_scope(user: User) -> Scope:
    memberships = StaffMembership.objects.filter(user=user).values_list("role", "agency_id")
    return scope_of(user.pk, memberships)


def scope_of(
    user_id: int, memberships: Iterable[tuple[str, int]], steps_clock: int | None = None
) -> Scope:
    """The scope of an officer with these (role, agency id) memberships. With the desk
    clock's ``steps`` counter (``desk_clock.memberships_and_stamp``), the steps of their
    roles are kept in the cache under it: shared by every officer of those roles, and never
    stale, since any change to a step moves the counter in the database."""
    by_role: dict[str, list[int]] = {}
    for role, agency_id in memberships:
        by_role.setdefault(role, []).append(agency_id)
    roles = tuple(sorted(by_role))
    if not roles:
        steps = {}
    elif steps_clock is None:
        steps = _steps_by_role(roles)
    else:
        key = f"queues:steps:{steps_clock}:{','.join(roles)}"
        steps = cache.get_or_set(key, lambda: _steps_by_role(roles), STEPS_CACHE_SECONDS)
    return Scope(
        user_id,
        tuple(sorted((role, tuple(sorted(ids))) for role, ids in by_role.items())),
        tuple(sorted((role, tuple(sorted(ids))) for role, ids in steps.items())),
    )


def staff_queue(
    user: User,
    *,
    status: int | None = None,
    procedure: str = "",
    overdue: bool | None = None,
    scope: Scope | None = None,
) -> QuerySet[Dossier]:
    """Dossiers this officer may act on, newest first: those assigned to them, those waiting
    at a step of one of their roles in their agency with nobody assigned, and for the one-stop
    desk the new, finished (to return) and withdrawal-requested dossiers of its agencies."""
    scope = scope or queue_scope(user)
    by_role = {role: list(ids) for role, ids in scope.by_role}
    steps = {role: list(ids) for role, ids in scope.steps}
    # Every branch is a condition on the dossier's own columns, each served by an index
    # (assignee; current step; receiving agency and status; withdrawal requests), so
    # PostgreSQL ORs their bitmaps and reads only the matching rows. Conditions on joined
    # tables (the step's role, the version's agency) made it read and join the whole million
    # for the count instead: 1 s for one officer's first page (EXPLAIN ANALYZE, bench data).
    where = Q(assignee=user)
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
    partner_of = by_role.get(Role.PARTNER_AGENCY)
    if partner_of:
        # Consulted (T6): the open consultations of the partner's agencies (a small index).
        where |= Q(
            pk__in=Consultation.objects.filter(
                agency_id__in=partner_of, answered_at__isnull=True
            ).values("dossier_id"),
            status__in=consultations.SEEN_WHILE,
        )
    qs = (
        Dossier.objects.filter(where)
        .exclude(status=Status.DRAFT)
        .select_related(*LISTED_WITH)
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


def in_order(ids: list[int]) -> list[Dossier]:
    """The dossiers of ``ids`` (one page of the work list), in that order, with what the
    list shows alongside them."""
    # By primary key alone: the list's conditions again made PostgreSQL plan the whole
    # filter a second time for twenty known rows.
    found = Dossier.objects.select_related(*LISTED_WITH).in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


def _steps_by_role(roles: Iterable[str]) -> dict[str, list[int]]:
    """The process steps each of these roles works at (a few hundred at most)."""
    found: dict[str, list[int]] = {}
    for pk, role in Step.objects.filter(role__in=roles).order_by().values_list("pk", "role"):
        found.setdefault(role, []).append(pk)
    return found


def may_see(user: User, d: Dossier) -> bool:
    """Staff of the receiving or competent agency, whoever holds it, and a partner agency's
    officer while the dossier waits for that agency's opinion (T6), not before nor after."""
    return seen_as(user, d) is not None


OFFICE, PARTNER = "office", "partner"


def seen_as(user: User, d: Dossier) -> str | None:
    """Why ``user`` may see the dossier: ``OFFICE`` (its agencies' staff, its assignee: the
    whole file, internal notes included), ``PARTNER`` (consulted: the file, but the office's
    notes to each other stay inside the office) or None."""
    if d.assignee_id == user.pk:
        return OFFICE
    if StaffMembership.objects.filter(user=user, agency_id__in=transitions.agencies_of(d)).exists():
        return OFFICE
    return PARTNER if consultations.consulted(user, d) else None


def actions_for(user: User, d: Dossier) -> list[str]:
    """The action codes this officer may fire on the dossier now (what ``perform`` would not
    refuse for want of a step, a status or a role)."""
    roles = transitions.roles_of(user, d)
    # The office's own staff answer nothing; only then is the partner's window looked up, so
    # the usual officer's page reads nothing more.
    answers = [] if roles or not consultations.consulted(user, d) else ["answer_consultation"]
    if not roles:
        return answers
    if d.process_id is None:
        return [
            code
            for code in lifecycle.actions_from(d.status)
            if roles & set(lifecycle.transition(code).actors)
        ] + answers
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
        if a.code == "consult" and not consultations.partners(d):
            continue
        found.append(a.code)
    return found + answers


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
