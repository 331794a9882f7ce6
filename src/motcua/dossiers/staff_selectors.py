"""The officers' work queues (DOMAIN §5.2, §7.6): which dossiers a queue holds, how many
each holds, search and filters, one page of a queue, and who a dossier can be assigned to.

Visibility is the staff API's rule (``queues.may_see``): dossiers of the officer's agencies
(received there, or of a procedure that agency handles) and those assigned to them. Every
condition is on the dossier row itself (the procedure versions of the agencies are found
first, by a sub-select), so that PostgreSQL can combine the indexes of migration 0005.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from motcua.accounts.models import Role, User
from motcua.catalog.models import Field, ProcedureVersion
from motcua.core.codes import is_dossier_code
from motcua.core.text import fold, sort_key
from motcua.dossiers.consultations import SEEN_WHILE
from motcua.dossiers.models import Consultation, Dossier, Status
from motcua.dossiers.transitions import OPEN
from motcua.workcalendar.calc import DEFAULT_WARNING_HOURS
from motcua.workcalendar.selectors import calendar_for
from motcua.workflow.models import Step

PER_PAGE = 25
# The clock runs (DOMAIN §7.5): received or in processing, and not paused.
RUNNING = (Status.RECEIVED, Status.PROCESSING)
# "Đã trả" holds the last 30 days: older ones are found through "Tất cả hồ sơ".
RETURNED_WINDOW = dt.timedelta(days=30)


@dataclass(frozen=True)
class Queue:
    key: str
    label: str
    hint: str


QUEUES = (
    Queue("cho-tiep-nhan", "Chờ tiếp nhận", "Nộp trực tuyến, chưa được tiếp nhận"),
    Queue("moi-tiep-nhan", "Mới tiếp nhận", "Đã tiếp nhận, chưa phân công xử lý"),
    Queue("dang-xu-ly", "Đang xử lý", "Đang thẩm định, chờ nghĩa vụ tài chính"),
    Queue("cho-bo-sung", "Chờ bổ sung", "Đã yêu cầu công dân bổ sung"),
    Queue("cho-ky", "Chờ ký", "Chờ lãnh đạo ký duyệt kết quả"),
    Queue("cho-tra-ket-qua", "Chờ trả kết quả", "Đã có kết quả, chờ trả cho công dân"),
    Queue("sap-den-han", "Sắp đến hạn", "Còn không quá một ngày làm việc"),
    Queue("qua-han", "Quá hạn", "Đã qua ngày hẹn trả mà chưa xong"),
    Queue("da-tra", "Đã trả", "Đã trả kết quả trong 30 ngày gần nhất"),
)
ALL = Queue("tat-ca", "Tất cả hồ sơ", "Mọi hồ sơ bạn được xem")
BY_KEY = {q.key: q for q in (*QUEUES, ALL)}

# The queues each role works from, in the order of the landing page.
ROLE_QUEUES = {
    Role.RECEIVER: ("cho-tiep-nhan", "moi-tiep-nhan", "cho-bo-sung", "cho-tra-ket-qua", "da-tra"),
    Role.DEPT_HEAD: ("moi-tiep-nhan", "dang-xu-ly", "sap-den-han", "qua-han"),
    Role.HANDLER: ("dang-xu-ly", "cho-bo-sung", "sap-den-han", "qua-han"),
    Role.APPROVER: ("cho-ky", "sap-den-han", "qua-han"),
    Role.CLERK: ("cho-ky", "cho-tra-ket-qua", "da-tra"),
    Role.PARTNER_AGENCY: ("dang-xu-ly", "qua-han"),
    Role.CENTER_SUPERVISOR: tuple(q.key for q in QUEUES),
    Role.UNIT_ADMIN: tuple(q.key for q in QUEUES),
    Role.SYS_ADMIN: tuple(q.key for q in QUEUES),
}

DEADLINE_STATES = {
    "trong-han": "Trong hạn",
    "sap-den-han": "Sắp đến hạn",
    "qua-han": "Quá hạn",
}


@dataclass(frozen=True)
class Officer:
    """What the queue pages need to know about the officer, read once per request."""

    user: User
    agencies: tuple[int, ...]
    roles: tuple[str, ...]
    # Whether the header offers counter intake: any one-stop membership, valid today or not,
    # as the intake page itself decides (``backoffice.desk_views._desks``); read with the
    # memberships rather than by a query of its own.
    receiver_desk: bool = False
    # ``desk_clock.stamp`` of the officer and those agencies, read with the memberships.
    stamp: str = ""
    # The agencies for which the officer answers consultations (T6).
    partner_of: tuple[int, ...] = ()

    @property
    def role_labels(self) -> list[tuple[str, str]]:
        return [(r, Role(r).label) for r in self.roles]

    @cached_property
    def versions(self) -> tuple[int, ...]:
        """The procedure versions those agencies handle, as a list of numbers rather than a
        sub-select: PostgreSQL can then combine an index scan per part of ``visible``
        instead of filtering the whole table row by row. Read only when a query needs them
        (a queue page answered from the cache does not)."""
        if not self.agencies:
            return ()
        return tuple(
            ProcedureVersion.objects.filter(agency_id__in=self.agencies)
            .order_by("id")
            .values_list("id", flat=True)
        )


def officer(user: User) -> Officer:
    """The officer's current memberships (agencies and roles valid today) and the desk
    clock's stamp of those agencies and the officer (``desk_clock.stamp``), in one statement:
    the only one of a queue page answered from the cache besides who asks and the handlers."""
    from django.db import connection

    from motcua.dossiers import desk_clock

    today = timezone.localdate()
    own = desk_clock.keys(user.pk, ())
    sql = (
        "SELECT m.agency_id, m.role, CASE WHEN m.valid_from <= %s AND (m.valid_to IS NULL "
        "OR m.valid_to >= %s) THEN 1 ELSE 0 END, c.n FROM accounts_staffmembership m "
        "LEFT JOIN dossiers_deskclock c ON c.key = 'a:' || m.agency_id WHERE m.user_id = %s "
        "UNION ALL SELECT NULL, c.key, 0, c.n FROM dossiers_deskclock c WHERE c.key IN (%s, %s)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [today, today, user.pk, *own])
        rows = cursor.fetchall()
    agencies: dict[int, int] = {}
    roles, receiver_desk, total = [], False, 0
    partner_of: set[int] = set()
    for agency_id, role, current, n in rows:
        if agency_id is None:
            total += n or 0
            continue
        receiver_desk = receiver_desk or role == Role.RECEIVER
        if current:
            agencies[agency_id] = n or 0
            if role == Role.PARTNER_AGENCY:
                partner_of.add(agency_id)
            if role not in roles:
                roles.append(role)
    order = list(Role.values)
    return Officer(
        user,
        tuple(sorted(agencies)),
        tuple(sorted(roles, key=order.index)),
        receiver_desk,
        str(total + sum(agencies.values())),
        tuple(sorted(partner_of)),
    )


def _arms(o: Officer) -> list[Q]:
    arms = [Q(assignee=o.user)]
    if o.agencies:
        arms.append(Q(receiving_agency_id__in=o.agencies))
        # A dossier received elsewhere and transferred to the competent agency (boundary-free
        # reception, DOMAIN §5.8) is that agency's work too.
        arms.append(Q(competent_agency_id__in=o.agencies))
    if o.versions:
        arms.append(Q(version_id__in=o.versions))
    if o.partner_of:
        # A partner agency sees a dossier only while it waits for that agency's opinion (T6).
        arms.append(
            Q(
                pk__in=Consultation.objects.filter(
                    agency_id__in=o.partner_of, answered_at__isnull=True
                ).values("dossier_id"),
                status__in=SEEN_WHILE,
            )
        )
    return arms


def visible(o: Officer, *conditions: Q) -> QuerySet[Dossier]:
    """The submitted dossiers this officer may see that meet any of ``conditions`` (all of
    them when none is given). Written as (part of the scope AND condition) OR …, so that each
    part matches an index of migration 0005 (assignee, agency or version, then status)."""
    where = Q(pk__in=[])
    for arm in _arms(o):
        for cond in conditions or (Q(),):
            where |= arm & cond
    return Dossier.objects.filter(where).exclude(status=Status.DRAFT)


def warning_horizon(o: Officer, now: dt.datetime) -> dt.datetime:
    """The latest due moment still "sắp đến hạn" (DOMAIN §7.6), on the calendar of the
    officer's first agency (the province's when none)."""
    agency = o.agencies[0] if o.agencies else None
    return calendar_for(agency).horizon(now, DEFAULT_WARNING_HOURS)


def _conditions(now: dt.datetime, horizon: dt.datetime) -> dict[str, Q]:
    signing = Step.objects.filter(role=Role.APPROVER).values("id")
    running = Q(status__in=RUNNING, paused_at__isnull=True, due_at__isnull=False)
    return {
        "cho-tiep-nhan": Q(status=Status.SUBMITTED),
        "moi-tiep-nhan": Q(status=Status.RECEIVED),
        "dang-xu-ly": Q(status__in=(Status.PROCESSING, Status.PAYMENT_REQUESTED))
        & ~Q(current_step_id__in=signing),
        "cho-bo-sung": Q(status=Status.SUPPLEMENT_REQUESTED),
        "cho-ky": Q(status=Status.PROCESSING, current_step_id__in=signing),
        "cho-tra-ket-qua": Q(status=Status.FINISHED),
        "sap-den-han": running & Q(due_at__gte=now, due_at__lte=horizon),
        "qua-han": running & Q(due_at__lt=now),
        "da-tra": Q(status=Status.RETURNED, returned_at__gte=now - RETURNED_WINDOW),
        "tat-ca": Q(),
    }


def counts(o: Officer, now: dt.datetime | None = None) -> dict[str, int]:
    """How many dossiers each queue holds: one query over the open, finished and recently
    returned dossiers only, never years of returned ones."""
    now = now or timezone.now()
    cond = _conditions(now, warning_horizon(o, now))
    found = visible(o, Q(status__in=(*OPEN, Status.FINISHED)), cond["da-tra"]).aggregate(
        **{q.key.replace("-", "_"): Count("id", filter=cond[q.key]) for q in QUEUES}
    )
    return {q.key: found[q.key.replace("-", "_")] or 0 for q in QUEUES}


@dataclass
class QueueFilter:
    queue: str = "tat-ca"
    q: str = ""
    procedure: str = ""
    field: int | None = None
    status: int | None = None
    deadline: str = ""


def search(qs: QuerySet[Dossier], text: str) -> QuerySet[Dossier]:
    """By dossier code (exact), identity number (exact: 9 or 12 digits, or a tax code), or
    the applicant's name: every folded word of the query in the folded name."""
    text = " ".join((text or "").split())
    if not text:
        return qs
    if is_dossier_code(text.upper()):
        return qs.filter(code=text.upper())
    compact = text.replace(" ", "").replace("-", "")
    if compact.isdigit():
        return qs.filter(applicant_id_number=compact)
    for word in fold(text).split():
        qs = qs.filter(applicant_name_folded__contains=word)
    return qs


def filtered(
    o: Officer,
    f: QueueFilter,
    now: dt.datetime | None = None,
    horizon: dt.datetime | None = None,
) -> list[QuerySet[Dossier]]:
    """The dossiers of a queue with the page's search and filters, as one query per part of
    the officer's scope (assigned to them, received by their agencies, of their agencies'
    procedures): each reads its own index in id order and stops after a page, where one
    query joining the parts with OR makes PostgreSQL walk the whole primary key backwards
    when the queue is nearly empty."""
    now = now or timezone.now()
    horizon = horizon or warning_horizon(o, now)
    cond = _conditions(now, horizon)[f.queue]
    if f.procedure:
        cond &= Q(
            version_id__in=ProcedureVersion.objects.filter(procedure__code=f.procedure).values("id")
        )
    if f.field:
        cond &= Q(version_id__in=ProcedureVersion.objects.filter(field_id=f.field).values("id"))
    if f.status is not None:
        cond &= Q(status=f.status)
    running = Q(status__in=RUNNING, paused_at__isnull=True, due_at__isnull=False)
    if f.deadline == "qua-han":
        cond &= running & Q(due_at__lt=now)
    elif f.deadline == "sap-den-han":
        cond &= running & Q(due_at__gte=now, due_at__lte=horizon)
    elif f.deadline == "trong-han":
        cond &= running & Q(due_at__gt=horizon)
    return [
        search(Dossier.objects.filter(arm & cond).exclude(status=Status.DRAFT), f.q)
        for arm in _arms(o)
    ]


ROW_RELATED = ("version", "version__procedure", "receiving_agency", "current_step", "assignee")
ROW_COLUMNS = (
    "id",
    "code",
    "status",
    "sub_state",
    "applicant_name",
    "applicant_id_number",
    "submitted_at",
    "received_at",
    "due_at",
    "paused_at",
    "finished_at",
    "lock_version",
    "version__name",
    "version__procedure__code",
    "receiving_agency__name",
    "current_step__name",
    "current_step__role",
    "assignee__full_name",
    "assignee__email",
)


@dataclass
class Page:
    rows: list[Dossier]
    has_next: bool
    has_previous: bool
    first_id: int | None
    last_id: int | None


def page(
    parts: list[QuerySet[Dossier]], *, before: int | None = None, after: int | None = None
) -> Page:
    """One page by keyset on the id (newest first): ``before`` the last row of the page seen
    (next page) or ``after`` its first row (previous page). No count, no OFFSET: the
    thousandth page costs what the first does. The ids of each part are read in order up
    to a page and more, merged here, and the page's rows read in one more query."""
    ids: set[int] = set()
    for qs in parts:
        if after is not None:
            qs = qs.filter(id__gt=after).order_by("id")
        else:
            qs = (qs.filter(id__lt=before) if before is not None else qs).order_by("-id")
        ids.update(qs.values_list("id", flat=True)[: PER_PAGE + 1])
    if after is not None:
        chosen = sorted(ids)[: PER_PAGE + 1]
        more = len(chosen) > PER_PAGE
        chosen = chosen[:PER_PAGE]
        has_previous, has_next = more, True
    else:
        chosen = sorted(ids, reverse=True)[: PER_PAGE + 1]
        has_next = len(chosen) > PER_PAGE
        chosen = chosen[:PER_PAGE]
        has_previous = before is not None
    rows = (
        list(
            Dossier.objects.filter(pk__in=chosen)
            .select_related(*ROW_RELATED)
            .only(*ROW_COLUMNS)
            .order_by("-id")
        )
        if chosen
        else []
    )
    return Page(
        rows=rows,
        has_next=has_next and bool(rows),
        has_previous=has_previous and bool(rows),
        first_id=rows[0].id if rows else None,
        last_id=rows[-1].id if rows else None,
    )


def clock_state(d: Dossier, now: dt.datetime, horizon: dt.datetime) -> tuple[str, str]:
    """(key, Vietnamese label) of a dossier's deadline clock, for a column of the list."""
    if d.status == Status.SUBMITTED or d.due_at is None:
        return "none", "Chưa tính hạn"
    if d.status in (Status.SUPPLEMENT_REQUESTED, Status.PAYMENT_REQUESTED) or d.paused_at:
        return "paused", "Tạm dừng tính hạn"
    if d.status not in RUNNING:
        end = d.finished_at or now
        return ("late", "Quá hạn") if end > d.due_at else ("done", "Đúng hạn")
    if d.due_at < now:
        return "late", "Quá hạn"
    if d.due_at <= horizon:
        return "soon", "Sắp đến hạn"
    return "ok", "Trong hạn"


def procedure_menu(o: Officer) -> tuple[list[tuple[str, str]], str]:
    """(code, name) of the procedures the officer's agencies handle, in Vietnamese order, and
    their ``<option>`` elements (none selected, escaped), kept in the cache for the agency set
    and the catalogue's generation: a big agency's hundreds of options, built
    by Django's widgets on every request, were the largest cost of the queue page (bench,
    staff_queue_page, pyinstrument ~28%), and they change only with the catalogue."""
    from django.conf import settings
    from django.core.cache import cache

    from motcua.catalog.selectors import catalogue_generation

    if not settings.CATALOGUE_CACHE_SECONDS:
        return _procedure_menu(o.agencies)
    agencies = ",".join(map(str, o.agencies))
    key = f"staff:procedure-menu:{catalogue_generation()}:{agencies}"
    held = cache.get(key)
    if held is None:
        held = _procedure_menu(o.agencies)
        cache.set(key, held, settings.CATALOGUE_CACHE_SECONDS)
    return held


def _procedure_menu(agencies: tuple[int, ...]) -> tuple[list[tuple[str, str]], str]:
    from django.utils.html import format_html_join

    choices = _procedures(agencies)
    return choices, str(format_html_join("", '<option value="{}">{}</option>', choices))


def _procedures(agencies: tuple[int, ...]) -> list[tuple[str, str]]:
    rows = (
        ProcedureVersion.objects.filter(agency_id__in=agencies)
        .order_by("name_sort", "procedure__code", "-id")
        .values_list("procedure__code", "name", "name_sort")
    )
    seen: dict[str, tuple[str, str]] = {}
    for code, name, key in rows:
        seen.setdefault(code, (name, key))
    # By the stored key (``sort_key(name)``, kept by the version's save): computing it again
    # for every procedure of a big agency took half of the queue page's time (bench,
    # staff_queue_page, cProfile).
    return [
        (code, name)
        for code, (name, _) in sorted(seen.items(), key=lambda item: (item[1][1], item[0]))
    ]


def fields() -> QuerySet[Field]:
    return Field.objects.order_by("name_sort", "id")


def field_menu() -> str:
    """The fields' ``<option>`` elements (none selected, escaped), kept in the cache for the
    catalogue's generation as ``procedure_menu`` is: a statement of every queue page."""
    from django.conf import settings
    from django.core.cache import cache
    from django.utils.html import format_html_join

    from motcua.catalog.selectors import catalogue_generation

    def build() -> str:
        rows = fields().values_list("pk", "name")
        return str(format_html_join("", '<option value="{}">{}</option>', rows))

    if not settings.CATALOGUE_CACHE_SECONDS:
        return build()
    key = f"staff:field-menu:{catalogue_generation()}"
    held = cache.get(key)
    if held is None:
        held = build()
        cache.set(key, held, settings.CATALOGUE_CACHE_SECONDS)
    return held


def assignable(o: Officer) -> list[User]:
    """Handlers of the officer's agencies, each with ``load`` (open dossiers assigned to
    them), in Vietnamese alphabetical order of their names."""
    # Written out: the ORM's sub-select or join took a third of a queue page answered from
    # the cache just to build (cProfile, ``Query.bump_prefix``), and this runs on every one.
    if not o.agencies:
        return []
    agencies = ", ".join(["%s"] * len(o.agencies))
    states = ", ".join(["%s"] * len(OPEN))
    people = list(
        User.objects.raw(
            "SELECT u.id, u.full_name, (SELECT COUNT(*) FROM dossiers_dossier d "  # noqa: S608
            f"WHERE d.assignee_id = u.id AND d.status IN ({states})) AS load "
            "FROM accounts_user u WHERE u.is_active AND u.id IN (SELECT m.user_id FROM "
            f"accounts_staffmembership m WHERE m.role = %s AND m.agency_id IN ({agencies}))",
            [*(int(s) for s in OPEN), Role.HANDLER.value, *o.agencies],
        )
    )
    return sorted(people, key=lambda u: (sort_key(u.full_name), u.pk))


def by_codes(o: Officer, codes: list[str]) -> dict[str, Dossier]:
    """The dossiers named, among those the officer may see: one query."""
    return {d.code: d for d in visible(o).filter(code__in=codes)}
