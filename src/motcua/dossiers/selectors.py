"""Dossier reads. Every query a face makes about dossiers lives here, with its access rule."""

from __future__ import annotations

import datetime as dt
import hmac
import json
import uuid

from django.db import connection
from django.db.models import Prefetch, QuerySet

from motcua.accounts.models import StaffMembership, User
from motcua.catalog.models import AdministrativeUnit, Agency, Component, ProcedureVersion
from motcua.core.codes import is_dossier_code
from motcua.core.db import fetch_text_row
from motcua.core.orm import Reusable
from motcua.dossiers import consultations, lifecycle
from motcua.dossiers.models import Dossier, DossierEvent, DossierFile, Status
from motcua.dossiers.tracking import ACTION_LABELS  # noqa: F401 (the faces read it here)

# The personal page's filter: drafts, dossiers still being dealt with, and the rest (refused,
# withdrawn, stopped, finished, returned).
STATUS_GROUPS = ("draft", "open", "closed")


def my_dossiers(user: User, group: str | None = None) -> QuerySet[Dossier]:
    """The account's dossiers, drafts included, newest first (index dossier_owner_recent);
    ``group`` narrows them to one of ``STATUS_GROUPS``."""
    qs = (
        Dossier.objects.filter(owner=user)
        .select_related("version", "version__procedure", "receiving_agency", "withdrawal")
        .order_by("-created_at", "-id")
    )
    if group == "draft":
        qs = qs.filter(status=Status.DRAFT)
    elif group == "open":
        qs = qs.filter(status__in=lifecycle.OPEN)
    elif group == "closed":
        qs = qs.exclude(status__in={Status.DRAFT, *lifecycle.OPEN})
    return qs


# What a row of the personal list shows, and nothing more: a procedure version row carries its
# whole text (requirements, legal basis, search text), and decoding it twenty times per page
# was most of the request.
LIST_COLUMNS = (
    "public_id",
    "code",
    "status",
    "sub_state",
    "submitted_at",
    "created_at",
    "version__name",
    "version__procedure__code",
    "receiving_agency__code",
    "receiving_agency__name",
    "withdrawal__id",
)


def my_dossier_keys(user: User) -> QuerySet[Dossier]:
    """The account's dossiers newest first, as bare keys: what a page of the personal list is
    counted and cut on. With no join, PostgreSQL walks index dossier_owner_recent and stops
    after the page; joined to the procedure and agency, it misjudged how many dossiers a busy
    citizen has and joined and sorted every one of them for each page."""
    return Dossier.objects.filter(owner=user).order_by("-created_at", "-id").values("pk")


def my_dossiers_stamp(user: User) -> tuple[int, dt.datetime | None]:
    """How many dossiers the account has and when the latest of them last changed: every
    change the personal list can show (a new draft, a status, a withdrawal request) saves
    the dossier, and a removal changes the count, so an answer kept under this stamp is
    never stale, in any process, whatever cache holds it."""
    # COUNT(*), not COUNT(id): the index on (owner, updated_at) then answers alone. Every
    # request of the list pays for it, so it is written once, not compiled each time.
    sql, converters = _stamp_read()
    with connection.cursor() as cursor:
        cursor.execute(sql, [user.pk])
        count, latest = cursor.fetchone()
    for convert, expression in converters:
        latest = convert(latest, expression, connection)
    return count, latest


_STAMP_READS: dict[str, tuple] = {}


def _stamp_read():
    """The statement of ``my_dossiers_stamp`` and the converters of its MAX, per backend."""
    held = _STAMP_READS.get(connection.vendor)
    if held is not None:
        return held
    quote = connection.ops.quote_name
    table = quote(Dossier._meta.db_table)
    field = Dossier._meta.get_field("updated_at")
    # Only identifiers from the models' metadata go into the text; the owner is a parameter.
    sql = " ".join(
        [
            f"SELECT COUNT(*), MAX({table}.{quote(field.column)})",
            f"FROM {table} WHERE {table}.{quote('owner_id')} = %s",
        ]
    )
    col = field.get_col(Dossier._meta.db_table)
    converters = [
        (f, col) for f in connection.ops.get_db_converters(col) + col.get_db_converters(connection)
    ]
    held = _STAMP_READS[connection.vendor] = (sql, converters)
    return held


def my_dossiers_stamp_sql() -> str:
    """``my_dossiers_stamp`` as one SQL expression giving text, for a statement that reads it
    beside something else (``accounts.services.api_token_owner``); ``{user_id}`` stands for
    the account's id column. The same aggregate over the same index, so just as cheap."""
    quote = connection.ops.quote_name
    table = quote(Dossier._meta.db_table)
    updated = f"{table}.{quote(Dossier._meta.get_field('updated_at').column)}"
    return " ".join(
        [
            f"(SELECT CAST(COUNT(*) AS TEXT) || ' ' || COALESCE(CAST(MAX({updated}) AS TEXT), '')",
            f"FROM {table} WHERE {table}.{quote('owner_id')} = {{user_id}})",
        ]
    )


def my_dossiers_page(keys: QuerySet[Dossier]) -> list[Dossier]:
    """The rows of one page of ``my_dossier_keys`` (a slice of it), with what the list
    shows: one statement, the page found by the sub-select before anything is joined."""
    return list(
        Dossier.objects.filter(pk__in=keys)
        .select_related("version", "version__procedure", "receiving_agency", "withdrawal")
        .only(*LIST_COLUMNS)
        .order_by("-created_at", "-id")
    )


def latest_draft(user: User, procedure_code: str) -> Dossier | None:
    """The account's newest draft of a procedure, so starting again offers to resume it."""
    return my_dossiers(user, "draft").filter(version__procedure__code=procedure_code).first()


def receiving_agencies(version: ProcedureVersion) -> QuerySet[Agency]:
    """Where a dossier of ``version`` can be lodged when the citizen must choose: the
    communes under a commune-level group (what ``services.create_draft`` accepts); none
    otherwise."""
    if version.agency.kind != Agency.Kind.LEVEL_GROUP:
        return Agency.objects.none()
    return Agency.objects.filter(parent=version.agency, valid_to__isnull=True).order_by(
        "name_sort", "code"
    )


def delivery_provinces() -> QuerySet[AdministrativeUnit]:
    """Provinces a result can be posted to (the 34 of the two-tier system)."""
    return AdministrativeUnit.objects.filter(
        level=AdministrativeUnit.Level.PROVINCE, valid_to__isnull=True
    ).order_by("name_sort", "code")


def delivery_communes(province_code: str) -> QuerySet[AdministrativeUnit]:
    """The communes, wards and special zones of one province, in Vietnamese alphabetical
    order (index adminunit_parent_sort)."""
    return (
        AdministrativeUnit.objects.filter(parent__code=province_code, valid_to__isnull=True)
        .exclude(level=AdministrativeUnit.Level.PROVINCE)
        .order_by("name_sort", "code")
    )


def _by_reference(qs: QuerySet[Dossier], reference: str) -> Dossier | None:
    reference = (reference or "").strip()
    try:
        return qs.filter(public_id=uuid.UUID(reference)).first()
    except ValueError:
        pass
    # Anything not shaped like a code (a NUL byte, say, which PostgreSQL refuses outright)
    # is simply not found, like any unknown code.
    if not is_dossier_code(reference):
        return None
    return qs.filter(code=reference).first()


def own_dossier(user: User, reference: str) -> Dossier | None:
    """The user's dossier by code (or draft id); None for anyone else's, so that another
    citizen's dossier looks exactly like one that does not exist."""
    qs = (
        Dossier.objects.filter(owner=user)
        .select_related(
            "version",
            "version__procedure",
            "version__agency",
            "receiving_agency",
            "delivery_commune",
        )
        .prefetch_related(
            Prefetch(
                "files",
                queryset=DossierFile.objects.select_related("component").order_by(
                    "uploaded_at", "id"
                ),
            ),
            Prefetch("events", queryset=DossierEvent.objects.order_by("at", "id")),
            "version__components",
        )
    )
    return _by_reference(qs, reference)


def _ref(owner_id, key: str, value):
    return Dossier.objects.filter(owner_id=owner_id, **{key: value}).only(
        "id", "public_id", "code", "owner_id", "status", "version_id"
    )[:1]


# Every write a citizen makes starts here (core.orm: compiled once).
_REF_BY_ID = Reusable(
    lambda owner_id, value: _ref(owner_id, "public_id", value), -7_300_031, uuid.UUID(int=7_300_032)
)
_REF_BY_CODE = Reusable(
    lambda owner_id, value: _ref(owner_id, "code", value), -7_300_033, "\x01code"
)


def own_dossier_ref(user: User, reference: str) -> Dossier | None:
    """The user's dossier with just what a write needs to find it: the services re-read
    and lock the row themselves, so the detail's joins and prefetches would be wasted."""
    reference = (reference or "").strip()
    try:
        found = _REF_BY_ID(user.pk, uuid.UUID(reference))
    except ValueError:
        # Anything not shaped like a code (a NUL byte, say) is simply not found.
        if not is_dossier_code(reference):
            return None
        found = _REF_BY_CODE(user.pk, reference)
    return found[0] if found else None


# In the model's field order, as ``Model.from_db`` takes them.
_UPLOAD_COLUMNS = tuple(
    f.attname
    for f in Dossier._meta.concrete_fields
    if f.attname in {"id", "public_id", "code", "owner_id", "status", "version_id"}
)
_UPLOAD_READS: dict[tuple[str, str], tuple] = {}


def _upload_read(key: str):
    """The statement of ``own_dossier_for_upload`` looking the dossier up by ``key``
    (public_id or code), with each column's converters, worked out once per process."""
    held = _UPLOAD_READS.get((connection.vendor, key))
    if held is not None:
        return held
    quote = connection.ops.quote_name
    table, components = quote(Dossier._meta.db_table), quote(Component._meta.db_table)
    fields = [f for f in Dossier._meta.concrete_fields if f.attname in _UPLOAD_COLUMNS]
    columns = ", ".join(f"{table}.{quote(f.column)}" for f in fields)
    lookup = quote(Dossier._meta.get_field(key).column)
    # Only identifiers from the models' metadata go into the text; the values are parameters.
    sql = " ".join(
        [
            f"SELECT {columns}, (SELECT MAX({components}.{quote('max_size')})",
            f"FROM {components} WHERE {components}.{quote('version_id')} =",
            f"{table}.{quote('version_id')})",
            f"FROM {table} WHERE {table}.{quote('owner_id')} = %s",
            f"AND {table}.{lookup} = %s ORDER BY {table}.{quote('id')} LIMIT 1",
        ]
    )
    cols = [f.get_col(Dossier._meta.db_table) for f in fields]
    converters = [
        [(f, c) for f in connection.ops.get_db_converters(c) + c.get_db_converters(connection)]
        for c in cols
    ]
    held = _UPLOAD_READS[(connection.vendor, key)] = (sql, converters)
    return held


def own_dossier_for_upload(user: User, reference: str) -> Dossier | None:
    """``own_dossier_ref`` plus ``upload_limit``, the largest size any component of its
    procedure version accepts: ownership and the request body's limit in one read, before
    the body is read. Every upload pays for it, so it is one hand-written statement rather
    than a queryset with a sub-select compiled anew each time (profiled)."""
    reference = (reference or "").strip()
    try:
        key, value = "public_id", uuid.UUID(reference)
    except ValueError:
        # Anything not shaped like a code (a NUL byte, say) is simply not found.
        if not is_dossier_code(reference):
            return None
        key, value = "code", reference
    sql, converters = _upload_read(key)
    value = Dossier._meta.get_field(key).get_db_prep_value(value, connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, [user.pk, value])
        row = cursor.fetchone()
    if row is None:
        return None
    *values, upload_limit = row
    for i, these in enumerate(converters):
        for convert, column in these:
            values[i] = convert(values[i], column, connection)
    dossier = Dossier.from_db(connection.alias, list(_UPLOAD_COLUMNS), values)
    dossier.upload_limit = upload_limit
    return dossier


def component_sizes(dossier: Dossier) -> list[int]:
    """The size limit of each component of the dossier's procedure version."""
    return list(
        Component.objects.filter(version_id=dossier.version_id)
        .order_by()  # the model's ordering would join the version and procedure for nothing
        .values_list("max_size", flat=True)
    )


def staff_agencies(user: User) -> set[int]:
    return set(StaffMembership.objects.filter(user=user).values_list("agency_id", flat=True))


def can_view(user: User, dossier: Dossier) -> bool:
    """Owner, or (once submitted) the officer it is assigned to and the staff of the agencies
    that receive, handle or — after a transfer — decide it, and a consulted partner's officer:
    the same people the staff API shows it to (``queues.may_see``), so every URL of its answer
    opens for them."""
    if not user.is_authenticated:
        return False
    if dossier.owner_id == user.pk:
        return True
    if dossier.is_draft:
        return False
    if dossier.assignee_id is not None and dossier.assignee_id == user.pk:
        return True
    agencies = {dossier.receiving_agency_id, dossier.version.agency_id, dossier.competent_agency_id}
    if staff_agencies(user) & (agencies - {None}):
        return True
    # A partner agency's officer while it is consulted (T6), as ``queues.may_see``.
    return user.is_staff and consultations.consulted(user, dossier)


def visible_dossier(user: User, code: str) -> Dossier | None:
    """A submitted dossier by code, for someone allowed to see it (``can_view``); None for
    anyone else, exactly as for a code that does not exist."""
    code = (code or "").strip()
    if not is_dossier_code(code):
        return None
    dossier = (
        Dossier.objects.select_related("version", "version__procedure", "receiving_agency")
        .filter(code=code)
        .first()
    )
    if dossier is None or not can_view(user, dossier):
        return None
    return dossier


def file_for(user: User, file_id) -> DossierFile | None:
    """A stored file, only for someone allowed to see its dossier."""
    try:
        record = (
            DossierFile.objects.select_related("dossier", "dossier__version")
            .filter(public_id=uuid.UUID(str(file_id)))
            .first()
        )
    except ValueError:
        return None
    if record is None or not can_view(user, record.dossier):
        return None
    return record


def owner_actions(dossier: Dossier) -> list[str]:
    """What the owner can do next, for the personal page and the API."""
    if dossier.is_draft:
        return ["continue", "discard"]
    actions = []
    for action in lifecycle.actions_from(dossier.status):
        t = lifecycle.transition(action)
        if lifecycle.OWNER in t.actors:
            actions.append(action)
    if dossier.sub_state == "withdrawal_requested" or hasattr(dossier, "withdrawal"):
        actions = [a for a in actions if a != "request_withdrawal"]
    return actions


def tracking_card(code: str, id_number: str) -> str | None:
    """The public tracking answer (JSON text) for a code plus the applicant's number: one
    primary-key read of ``TrackingCard``, a prepared statement rather than the ORM because
    this is the busiest anonymous read and building and planning the query cost more than
    running it. A wrong number and an unknown code give the same None, compared in constant
    time."""
    row = fetch_text_row(_CARD_SQL, [(code or "").strip()])
    expected = row[0] if row else "x" * 12
    supplied = "".join((id_number or "").split())
    if not hmac.compare_digest(expected.encode(), supplied.encode()) or row is None:
        return None
    return row[1]


_CARD_SQL = "SELECT id_number, body FROM dossiers_trackingcard WHERE code = %s"

_CARD_TIMES = ("submitted_at", "received_at", "due_at", "finished_at", "returned_at")


def public_tracking(code: str, id_number: str) -> dict | None:
    """The same public answer as ``tracking_card``, as values for a page: times as aware
    datetimes. The portal's "Tra cứu hồ sơ" shows exactly what the API sends."""
    body = tracking_card(code, id_number)
    if body is None:
        return None
    card = json.loads(body)
    for key in _CARD_TIMES:
        card[key] = dt.datetime.fromisoformat(card[key]) if card[key] else None
    for step in card["history"]:
        step["at"] = dt.datetime.fromisoformat(step["at"])
    return card


def may_supplement(dossier: Dossier) -> bool:
    """Whether the owner may send a supplement now: read from the lifecycle table, so the
    faces can refuse early (before reading an upload) without restating the rule."""
    return "submit_supplement" in owner_actions(dossier)
