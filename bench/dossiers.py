"""Stored dossiers for the dossier scenarios: a million submitted dossiers, written with COPY.

The ORM would take the better part of an hour for a million dossiers and three million history
events; binary ``COPY … FROM STDIN`` through psycopg 3 (``cursor.copy`` and ``write_row``) takes
about a minute on a 2-core machine. Everything happens in one transaction on a fresh database:
the tables are truncated first so that ``COPY … FREEZE`` may write the rows already frozen (no
hint-bit writes when the first benchmark reads them), secondary indexes are dropped and built
again after the load (one sort instead of a million random insertions each), and foreign-key
triggers are switched off for the session (``session_replication_role = replica``): the rows are
consistent by construction and checking four million deferred references one by one would
double the time.

What is generated (deterministic, its own random seed):

* Dossiers from 2023-03-01 to ``LAST_DAY``, day by day, each bound to the procedure version in
  force that day: popular procedures far more often than rare ones (Zipf by rank), fewer on
  weekends. Commune-level procedures are received by one of the communes. Channels follow the
  procedure's level (only online-capable procedures come in online).
* Owners: ``HEAVY_CITIZENS`` citizens with exactly ``HEAVY_DOSSIERS`` dossiers each (the
  personal-list scenario reads them), the rest spread over the other citizens with a Zipf-like
  tail (a few hundred for the busiest, three or four for most). ``SUBMITTERS`` citizens own
  none: the submission scenario submits as them.
* Applicant: usually the owner; about one in seven a relative the owner submits for.
* Status 1–10 from the dossier's age against its procedure's time limit, with the matching
  timestamps (received, due, finished, returned), and one to three history events whose hash
  chain is exactly what ``dossiers.services._record`` computes, so ``verify-audit`` accepts it.
* Codes ``<agency code>-<YYMMDD>-<NNNN>`` numbered per agency and local day in submission
  order, and ``dossiers_codecounter`` set to each agency-day's last number, so a dossier
  submitted during a benchmark continues the sequence instead of colliding.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import accumulate
from operator import itemgetter

from bench import pg, vocab
from motcua.core.text import fold

DEFAULT_DOSSIERS = 1_000_000
HEAVY_CITIZENS = 20
HEAVY_DOSSIERS = 200
SUBMITTERS = 8
FIRST_DAY = dt.date(2023, 3, 1)
# Fixed, not "today": the same rows on every machine and every day. Statuses are worked out
# as of the end of this day.
LAST_DAY = dt.date(2026, 10, 31)
LOCAL = dt.timezone(dt.timedelta(hours=7), "Asia/Ho_Chi_Minh")
ACCOUNTS_TABLE = "bench_accounts"
TOKEN_USER_AGENT = "motcua-bench"
# Share of each weekday in a week's submissions (Monday first): online services stay open at
# weekends, counters do not.
WEEKDAY_WEIGHT = [1.0, 1.0, 1.0, 1.0, 0.95, 0.25, 0.1]
STAFF_NAME = "Bộ phận Một cửa"
THIRD_EVENT = {
    4: "assign",
    5: "request_supplement",
    6: "request_payment",
    7: "confirm_withdrawal",
    8: "stop",
    9: "approve",
    10: "return_result",
}


@dataclass
class DossierSeed:
    dossiers: int
    events: int
    counters: int
    seconds: float


@dataclass(frozen=True)
class Account:
    role: str  # "heavy" (owns HEAVY_DOSSIERS dossiers) or "submitter" (owns none when seeded)
    user_id: int
    secret: str

    @property
    def authorization(self) -> str:
        return f"Bearer {self.secret}"


# --- what the catalogue and the population give us ------------------------------------------


@dataclass(frozen=True)
class _Version:
    id: int
    procedure: str
    valid_from: dt.date
    valid_to: dt.date | None
    agency_id: int
    agency_code: str
    group: bool  # decided by every commune: the dossier goes to one of them
    online: bool  # toan_trinh / mot_phan: may be submitted online
    delivery_online: bool
    limit: dt.timedelta
    name: str  # the version's name, as the tracking card shows it


def _versions(cur) -> list[_Version]:
    rows = cur.execute(
        "SELECT v.id, p.code, v.valid_from, v.valid_to, a.id, a.code, a.kind, v.level, "
        "v.time_limit_value, v.time_limit_unit, v.delivery_methods, v.name "
        "FROM catalog_procedureversion v "
        "JOIN catalog_procedure p ON p.id = v.procedure_id "
        "JOIN catalog_agency a ON a.id = v.agency_id ORDER BY p.code, v.valid_from"
    ).fetchall()
    result = []
    for vid, code, start, end, aid, acode, kind, level, value, unit, delivery, name in rows:
        value = float(value)
        # Working days are about 7/5 calendar days; the clock of a dossier is calendar time here.
        days = {"working_days": value * 1.4, "days": value, "hours": value / 24}.get(unit, value)
        result.append(
            _Version(
                vid,
                code,
                start,
                end,
                aid,
                acode,
                kind == "level_group",
                level in ("toan_trinh", "mot_phan"),
                "online" in (delivery or []),
                dt.timedelta(days=max(days, 0.2)),
                name,
            )
        )
    return result


def _communes(cur) -> list[tuple[int, str]]:
    return cur.execute(
        "SELECT c.id, c.code FROM catalog_agency c JOIN catalog_agency g ON g.id = c.parent_id "
        "WHERE g.kind = 'level_group' AND c.valid_to IS NULL ORDER BY c.code"
    ).fetchall()


def _citizens(cur) -> list[tuple]:
    return cur.execute(
        "SELECT id, full_name, id_number, phone, email, address FROM accounts_user "
        "WHERE kind = 'citizen' AND is_active ORDER BY id"
    ).fetchall()


# --- the hash chain of the history ------------------------------------------------------------


def _fast_chain_hash(prev: str, dossier: int, at: str, action: str, status: int, actor, data):
    """``core.audit.chain_hash`` for the payload ``_record`` builds, without json.dumps: the
    canonical form written out by hand (keys sorted, no spaces). Three times faster, which is
    ten seconds over three million events; checked against the real function before use."""
    data_json = f'{{"channel":"{data["channel"]}","code":"{data["code"]}"}}' if data else "{}"
    actor_json = "null" if actor is None else str(actor)
    canonical = (
        f'{{"action":"{action}","actor":{actor_json},"at":"{at}","data":{data_json},'
        f'"dossier":{dossier},"note":"","status":{status}}}'
    )
    return hashlib.sha256(f"{prev}\n{canonical}".encode()).hexdigest()


def _real_chain_hash(prev: str, dossier: int, at: str, action: str, status: int, actor, data):
    from motcua.core.audit import chain_hash

    payload = {
        "dossier": dossier,
        "at": at,
        "action": action,
        "status": status,
        "actor": actor,
        "note": "",
        "data": data,
    }
    return chain_hash(prev, payload)


def _chain_hasher() -> Callable:
    """The fast hash when it reproduces the application's exactly, else the application's."""
    samples = [
        (
            "",
            1,
            "2025-07-01T01:02:03.456789+00:00",
            "submit",
            1,
            42,
            {"code": "H48.10-250701-0001", "channel": "online"},
        ),
        ("ab" * 32, 1_000_000, "2026-10-31T09:00:00+00:00", "return_result", 10, None, {}),
    ]
    if all(_fast_chain_hash(*s) == _real_chain_hash(*s) for s in samples):
        return _fast_chain_hash
    return _real_chain_hash


# --- one dossier's life -------------------------------------------------------------------------


def _timeline(rng: random.Random, submitted: dt.datetime, end: dt.datetime, limit: dt.timedelta):
    """(status, received, due, finished, returned, events) as of ``end``; events are
    (at, action, status), at most three (submit, reception or refusal, the latest step)."""
    events = [(submitted, "submit", 1)]
    reception = submitted + dt.timedelta(hours=rng.uniform(0.2, 30))
    if reception > end:
        return 1, None, None, None, None, events
    if rng.random() < 0.04:
        events.append((reception, "refuse", 3))
        return 3, None, None, None, None, events
    events.append((reception, "accept", 2))
    due = reception + limit
    # Most finish within the time limit; the tail past 1.0 are the late ones.
    finish = reception + limit * rng.triangular(0.15, 1.3, 0.6)
    roll = rng.random()
    if roll < 0.025:
        # Withdrawn at the citizen's request, or stopped, somewhere along the way.
        stop_at = reception + (finish - reception) * rng.random()
        if stop_at <= end:
            status = 7 if roll < 0.015 else 8
            events.append((stop_at, THIRD_EVENT[status], status))
            return status, reception, due, stop_at, None, events
    if finish > end:
        elapsed = end - reception
        roll = rng.random()
        if elapsed < dt.timedelta(days=1) and roll < 0.5:
            return 2, reception, due, None, None, events
        status = 5 if roll < 0.08 else 6 if roll < 0.14 else 4
        events.append((reception + elapsed * rng.uniform(0.05, 0.9), THIRD_EVENT[status], status))
        return status, reception, due, None, None, events
    returned = finish + dt.timedelta(hours=rng.uniform(1, 120))
    if returned > end:
        events.append((finish, "approve", 9))
        return 9, reception, due, finish, None, events
    events.append((returned, "return_result", 10))
    return 10, reception, due, finish, returned, events


def _local_time(rng: random.Random, day: dt.date, online: bool) -> dt.datetime:
    # Counters are open 7:30–17:00; online submissions come at any hour, mostly in the day.
    if online:
        seconds = int(rng.triangular(5.5, 23.5, 10) * 3600)
    else:
        seconds = int(rng.uniform(7.5, 17) * 3600)
    local = dt.datetime(day.year, day.month, day.day, tzinfo=LOCAL) + dt.timedelta(
        seconds=seconds, microseconds=rng.randrange(1_000_000)
    )
    return local.astimezone(dt.UTC)


def _other_person(rng: random.Random) -> tuple[str, str, str, str]:
    """A relative the owner submits for: name, 12-digit personal number, phone, e-mail."""
    female = rng.random() < 0.5
    surname = rng.choice(vocab.SURNAMES)[0]
    middle = rng.choice(vocab.MIDDLE_FEMALE if female else vocab.MIDDLE_MALE)
    given = rng.choice(vocab.GIVEN_FEMALE if female else vocab.GIVEN_MALE)
    born = int(rng.triangular(1945, 2024, 1990))
    province = rng.choice(vocab.ID_PROVINCES)[0]
    century = (0 if born < 2000 else 2) + (1 if female else 0)
    number = f"{province}{century}{born % 100:02d}{rng.randrange(1_000_000):06d}"
    phone = f"{rng.choice(vocab.MOBILE_PREFIXES)}{rng.randrange(10_000_000):07d}"
    return f"{surname} {middle} {given}", number, phone, ""


# --- COPY plumbing -------------------------------------------------------------------------------


def _columns(cur, table: str, skip: tuple[str, ...] = ()) -> list[tuple[str, int]]:
    return [
        (name, oid)
        for name, oid in cur.execute(
            "SELECT attname, atttypid FROM pg_attribute WHERE attrelid = %s::regclass "
            "AND attnum > 0 AND NOT attisdropped ORDER BY attnum",
            [table],
        ).fetchall()
        if name not in skip
    ]


def _defaults(model, columns: list[tuple[str, int]], known: set[str]) -> dict:
    """Values for columns this module does not generate (added by a later migration): the
    model field's default, NULL, or the empty text of an optional text field. A NOT NULL column without a default stops the seed with
    a message, rather than loading rows the application could not have written."""
    from django.db import connection

    fields = {f.column: f for f in model._meta.concrete_fields}
    values = {}
    for name, _oid in columns:
        if name in known:
            continue
        field = fields.get(name)
        if field is not None and field.has_default():
            values[name] = field.get_db_prep_save(field.get_default(), connection)
        elif field is not None and field.null:
            values[name] = None
        elif field is not None and field.blank and field.empty_strings_allowed:
            # A text column the application leaves empty until used (``result_type``).
            values[name] = ""
        else:
            raise RuntimeError(
                f"bench/dossiers.py does not know how to fill {model._meta.db_table}.{name}; "
                "give it a value there."
            )
    return values


def _rebuildable_indexes(cur, table: str) -> list[tuple[str, str, str | None]]:
    """(name, CREATE/ADD statement, constraint name or None) of every index of ``table`` that
    may be dropped during the load: all but the primary key and any index a foreign key
    depends on."""
    rows = cur.execute(
        "SELECT ic.relname, pg_get_indexdef(i.indexrelid), c.conname, pg_get_constraintdef(c.oid) "
        "FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid "
        "LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.conrelid = i.indrelid "
        "AND c.contype IN ('u', 'x') "
        "WHERE i.indrelid = %s::regclass AND NOT i.indisprimary AND NOT EXISTS "
        "(SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.conindid = i.indexrelid)",
        [table],
    ).fetchall()
    result = []
    for index, index_def, constraint, constraint_def in rows:
        if constraint:
            result.append(
                (
                    index,
                    f"ALTER TABLE {table} ADD CONSTRAINT {constraint} {constraint_def}",
                    constraint,
                )
            )
        else:
            result.append((index, index_def, None))
    return result


def _drop_indexes(cur, table: str) -> list[str]:
    statements = []
    for index, create, constraint in _rebuildable_indexes(cur, table):
        if constraint:
            cur.execute(f"ALTER TABLE {table} DROP CONSTRAINT {constraint}")
        else:
            cur.execute(f"DROP INDEX {index}")
        statements.append(create)
    return statements


# --- the seed ------------------------------------------------------------------------------------


def _owners(rng: random.Random, citizens: list[tuple], count: int):
    """(owner index per dossier in generation order, heavy indexes, submitter indexes)."""
    order = list(range(len(citizens)))
    rng.shuffle(order)
    heavy = order[:HEAVY_CITIZENS]
    submitters = order[HEAVY_CITIZENS : HEAVY_CITIZENS + SUBMITTERS]
    rest = order[HEAVY_CITIZENS + SUBMITTERS :]
    heavy_total = min(count, HEAVY_CITIZENS * HEAVY_DOSSIERS)
    # Zipf-like: the citizen of rank r gets a share proportional to (r + 200) ** -0.8, i.e.
    # about 400 dossiers for the busiest (service agents, businesses), 3–5 for most people.
    weights = list(accumulate((rank + 200) ** -0.8 for rank in range(len(rest))))
    owners = [heavy[i // HEAVY_DOSSIERS] for i in range(heavy_total)]
    owners += rng.choices(rest, cum_weights=weights, k=count - heavy_total)
    rng.shuffle(owners)
    return owners, heavy, submitters


def _daily_counts(count: int, epochs, rng: random.Random) -> list[tuple[dt.date, int, int]]:
    """(day, number of dossiers, epoch index) for every day, summing exactly to ``count``.
    A procedure's daily rate is the same in every epoch; only which procedures exist changes."""
    days = []
    day = FIRST_DAY
    while day <= LAST_DAY:
        index = next(i for i, e in enumerate(epochs) if e[0] <= day < e[1])
        days.append((day, WEEKDAY_WEIGHT[day.weekday()] * epochs[index][3], index))
        day += dt.timedelta(days=1)
    total = sum(w for _, w, _ in days)
    result, done, cumulative = [], 0, 0.0
    for day, weight, index in days:
        cumulative += weight
        upto = round(count * cumulative / total)
        result.append((day, upto - done, index))
        done = upto
    return result


def _epochs(versions: list[_Version], rng: random.Random):
    """Periods in which the set of versions in force does not change:
    (first day, day after the last, versions with their weights' running sums, weight sum)."""
    procedures = sorted({v.procedure for v in versions})
    rng.shuffle(procedures)
    # Popularity by rank: birth registration and certified copies dwarf most procedures.
    weight = {code: 1 / (rank + 2) for rank, code in enumerate(procedures)}
    cuts = {FIRST_DAY, LAST_DAY + dt.timedelta(days=1)}
    for v in versions:
        for edge in (v.valid_from, v.valid_to and v.valid_to + dt.timedelta(days=1)):
            if edge and FIRST_DAY < edge <= LAST_DAY:
                cuts.add(edge)
    cuts = sorted(cuts)
    epochs = []
    for start, stop in zip(cuts, cuts[1:], strict=False):
        alive = [
            v
            for v in versions
            if v.valid_from <= start
            and (v.valid_to is None or v.valid_to >= stop - dt.timedelta(days=1))
        ]
        if alive:
            running = list(accumulate(weight[v.procedure] for v in alive))
            epochs.append((start, stop, (alive, running), running[-1]))
        else:
            epochs.append((start, stop, ([], []), 0.0))
    return epochs


DOSSIER_COLUMNS = {
    "id", "public_id", "code", "channel", "status", "sub_state", "wizard_step",
    "applicant_name", "applicant_name_folded", "applicant_id_number", "applicant_phone", "applicant_email",
    "applicant_address", "on_behalf", "submitter_name", "submitter_id_number",
    "submitter_phone", "submitter_email", "delivery_method", "delivery_address", "note",
    "created_at", "updated_at", "submitted_at", "received_at", "due_at", "finished_at",
    "returned_at", "lock_version", "delivery_commune_id", "owner_id", "receiving_agency_id",
    "version_id",
}  # fmt: skip
EVENT_COLUMNS = {
    "dossier_id", "at", "action", "status", "actor_id", "actor_name", "note", "data",
    "prev_hash", "hash",
}  # fmt: skip
CARD_COLUMNS = {"code", "dossier_id", "id_number", "body"}


@dataclass
class _Table:
    """One table's COPY: the columns in table order, their type oids for binary COPY, and
    the values of the columns this module does not generate."""

    name: str
    columns: list[tuple[str, int]]
    fixed: dict

    @property
    def copy_statement(self) -> str:
        names = ", ".join(name for name, _ in self.columns)
        return f"COPY {self.name} ({names}) FROM STDIN (FORMAT BINARY, FREEZE)"

    @property
    def types(self) -> list[int]:
        return [oid for _, oid in self.columns]

    def __post_init__(self):
        self._pick = itemgetter(*(name for name, _ in self.columns))

    def row(self, values: dict) -> tuple:
        # A million rows: itemgetter, and a merge only when a later migration added columns.
        return self._pick({**self.fixed, **values} if self.fixed else values)


@dataclass
class _World:
    """What the generator draws from, and its running state."""

    rng: random.Random
    citizens: list[tuple]
    owners: list[int]
    communes: list[tuple[int, str]]
    commune_weights: list[float]
    epochs: list
    end: dt.datetime
    agency_names: dict[int, str] = field(default_factory=dict)
    counters: dict = field(default_factory=dict)
    next_id: int = 1
    position: int = 0


def _day(world: _World, day: dt.date, number: int, epoch: int):
    """The dossiers of one day in submission order: (row values, owner, events) each."""
    rng = world.rng
    alive, running = world.epochs[epoch][2]
    picked = rng.choices(alive, cum_weights=running, k=number) if number else []
    arrivals = []
    for version in picked:
        if version.online:
            roll = rng.random()
            channel = "online" if roll < 0.7 else "counter" if roll < 0.97 else "post"
        else:
            channel = "counter" if rng.random() < 0.88 else "post"
        arrivals.append((_local_time(rng, day, channel == "online"), version, channel))
    arrivals.sort(key=itemgetter(0))
    for submitted, version, channel in arrivals:
        if version.group:
            agency_id, agency_code = rng.choices(world.communes, cum_weights=world.commune_weights)[
                0
            ]
        else:
            agency_id, agency_code = version.agency_id, version.agency_code
        key = (agency_code, day)
        world.counters[key] = sequence = world.counters.get(key, 0) + 1
        owner = world.citizens[world.owners[world.position]]
        world.position += 1
        status, received, due, finished, returned, events = _timeline(
            rng, submitted, world.end, version.limit
        )
        if rng.random() < 0.85:
            applicant, on_behalf, submitter = owner[1:5], False, ("", "", "", "")
        else:
            applicant, on_behalf, submitter = _other_person(rng), True, owner[1:5]
        values = {
            "id": world.next_id,
            "public_id": uuid.UUID(int=rng.getrandbits(128), version=4),
            "code": f"{agency_code}-{day:%y%m%d}-{sequence:04d}",
            "channel": channel,
            "status": status,
            "sub_state": "waiting_reception" if status == 1 else "",
            "wizard_step": "",
            "applicant_name": applicant[0],
            "applicant_name_folded": fold(applicant[0])[:150],
            "applicant_id_number": applicant[1],
            "applicant_phone": applicant[2],
            "applicant_email": applicant[3],
            "applicant_address": owner[5],
            "on_behalf": on_behalf,
            "submitter_name": submitter[0],
            "submitter_id_number": submitter[1],
            "submitter_phone": submitter[2],
            "submitter_email": submitter[3],
            "delivery_method": "online"
            if channel == "online" and version.delivery_online
            else "counter",
            "delivery_address": "",
            "note": "",
            "created_at": submitted - dt.timedelta(minutes=rng.uniform(2, 60)),
            "updated_at": events[-1][0],
            "submitted_at": submitted,
            "received_at": received,
            "due_at": due,
            "finished_at": finished,
            "returned_at": returned,
            "lock_version": len(events),
            "delivery_commune_id": None,
            "owner_id": owner[0],
            "receiving_agency_id": agency_id,
            "version_id": version.id,
        }
        world.next_id += 1
        yield values, owner, events, version


def _history(values: dict, owner: tuple, events: list, chain: Callable):
    """The dossier's event rows, each hash chained to the previous one as ``_record`` does:
    the citizen submits, the one-stop office (no named officer) does the rest."""
    prev = ""
    for at, action, status in events:
        submit = action == "submit"
        actor = owner[0] if submit else None
        data = {"code": values["code"], "channel": values["channel"]} if submit else {}
        digest = chain(prev, values["id"], at.isoformat(), action, status, actor, data)
        yield {
            "dossier_id": values["id"],
            "at": at,
            "action": action,
            "status": status,
            "actor_id": actor,
            "actor_name": owner[1] if submit else STAFF_NAME,
            "note": "",
            "data": data,
            "prev_hash": prev,
            "hash": digest,
        }
        prev = digest


def _card(world: _World, values: dict, version: _Version, events: list) -> dict:
    """The dossier's public tracking card, rendered by the application's own function as
    ``services.perform`` would have left it after the last event."""
    from motcua.dossiers import tracking

    body = tracking.render(
        tracking.CardData(
            code=values["code"],
            procedure_code=version.procedure,
            procedure_name=version.name,
            agency_code=values["code"].rsplit("-", 2)[0],
            agency_name=world.agency_names[values["receiving_agency_id"]],
            status=values["status"],
            submitted_at=values["submitted_at"],
            received_at=values["received_at"],
            due_at=values["due_at"],
            finished_at=values["finished_at"],
            returned_at=values["returned_at"],
            events=tuple(events),
        )
    )
    return {
        "code": values["code"],
        "dossier_id": values["id"],
        "id_number": values["applicant_id_number"],
        "body": body,
    }


def seed_dossiers(count: int = DEFAULT_DOSSIERS, log=print) -> DossierSeed:
    """Load ``count`` dossiers into a freshly migrated bench database (see the module doc)."""
    import time

    from motcua.dossiers.models import Dossier, DossierEvent, TrackingCard

    started = time.perf_counter()
    rng = random.Random(20250702)
    chain = _chain_hasher()
    with pg.connect() as conn, conn.cursor() as cur:
        versions, communes, citizens = _versions(cur), _communes(cur), _citizens(cur)
        if not versions or not communes or len(citizens) < HEAVY_CITIZENS + SUBMITTERS + 1:
            raise RuntimeError("seed the catalogue and the citizens before the dossiers")
        epochs = _epochs(versions, rng)
        owners, heavy, submitters = _owners(rng, citizens, count)
        world = _World(
            rng,
            citizens,
            owners,
            communes,
            list(accumulate(1 / (n + 3) for n in range(len(communes)))),
            epochs,
            dt.datetime(LAST_DAY.year, LAST_DAY.month, LAST_DAY.day, 23, 59, tzinfo=LOCAL),
            dict(cur.execute("SELECT id, name FROM catalog_agency").fetchall()),
        )

        cur.execute("SET session_replication_role = replica")
        cur.execute("SET maintenance_work_mem = '512MB'")
        # In this transaction, so that COPY may FREEZE; the tables are empty anyway.
        cur.execute(
            "TRUNCATE dossiers_dossier, dossiers_dossierevent, dossiers_trackingcard, "
            "dossiers_codecounter CASCADE"
        )
        columns = _columns(cur, "dossiers_dossier")
        dossiers = _Table("dossiers_dossier", columns, _defaults(Dossier, columns, DOSSIER_COLUMNS))
        columns = _columns(cur, "dossiers_dossierevent", skip=("id",))
        events = _Table(
            "dossiers_dossierevent", columns, _defaults(DossierEvent, columns, EVENT_COLUMNS)
        )
        columns = _columns(cur, "dossiers_trackingcard")
        cards = _Table(
            "dossiers_trackingcard", columns, _defaults(TrackingCard, columns, CARD_COLUMNS)
        )
        rebuild = (
            _drop_indexes(cur, dossiers.name)
            + _drop_indexes(cur, events.name)
            + _drop_indexes(cur, cards.name)
        )

        days = _daily_counts(count, epochs, rng)
        events_total = 0
        # A month at a time: one COPY of its dossiers, then one of their events, so that
        # memory holds a month of history, not four years.
        for first in range(0, len(days), 31):
            month = days[first : first + 31]
            pending = []
            with cur.copy(dossiers.copy_statement) as copy:
                copy.set_types(dossiers.types)
                for day, number, epoch in month:
                    for values, owner, history, version in _day(world, day, number, epoch):
                        copy.write_row(dossiers.row(values))
                        pending.append((values, owner, history, version))
            with cur.copy(events.copy_statement) as copy:
                copy.set_types(events.types)
                for values, owner, history, _version in pending:
                    for event in _history(values, owner, history, chain):
                        copy.write_row(events.row(event))
                        events_total += 1
            with cur.copy(cards.copy_statement) as copy:
                copy.set_types(cards.types)
                for values, _owner, history, version in pending:
                    copy.write_row(cards.row(_card(world, values, version, history)))
            last_day = month[-1][0]
            if last_day.month == 12 or last_day == LAST_DAY:
                log(f"    up to {last_day:%Y-%m}: {world.next_id - 1:,} dossiers", flush=True)
        log(
            f"    loaded {world.next_id - 1:,} dossiers and {events_total:,} events in "
            f"{time.perf_counter() - started:.0f} s; building indexes",
            flush=True,
        )

        with cur.copy("COPY dossiers_codecounter (agency_code, day, last) FROM STDIN") as copy:
            for (agency_code, day), last in sorted(world.counters.items()):
                copy.write_row((agency_code, day, last))
        for statement in rebuild:
            cur.execute(statement)
        for table in ("dossiers_dossier", "dossiers_dossierevent", "dossiers_codecounter"):
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"GREATEST((SELECT max(id) FROM {table}), 1))"
            )
        _store_accounts(cur, [citizens[i][0] for i in heavy], [citizens[i][0] for i in submitters])
        cur.execute("RESET session_replication_role")
        conn.commit()
    return DossierSeed(
        world.next_id - 1, events_total, len(world.counters), time.perf_counter() - started
    )


def _store_accounts(cur, heavy: list[int], submitters: list[int]) -> None:
    cur.execute(f"DROP TABLE IF EXISTS {ACCOUNTS_TABLE}")
    cur.execute(
        f"CREATE TABLE {ACCOUNTS_TABLE} (role text NOT NULL, user_id bigint NOT NULL, "
        "secret text NOT NULL)"
    )
    for role, users in (("heavy", heavy), ("submitter", submitters)):
        for user_id in users:
            cur.execute(
                f"INSERT INTO {ACCOUNTS_TABLE} (role, user_id, secret) VALUES (%s, %s, %s)",
                [role, user_id, _secret(user_id)],
            )


def _secret(user_id: int) -> str:
    # Known to the harness only: a bench database holds nothing worth protecting, and a fixed
    # secret lets a person repeat a request by hand (``python -m bench.dossiers --tokens``).
    return hashlib.sha256(f"motcua-bench-token:{user_id}".encode()).hexdigest()[:43]


# --- every run ----------------------------------------------------------------------------------


def accounts(role: str | None = None) -> list[Account]:
    rows = pg.query(
        pg.BENCH_DB, f"SELECT role, user_id, secret FROM {ACCOUNTS_TABLE} ORDER BY role, user_id"
    )
    return [Account(*row) for row in rows or [] if role is None or row[0] == role]


def issue_tokens() -> int:
    """(Re)issue the bench accounts' API tokens, valid for the token lifetime from now, so that
    a database seeded weeks ago still authenticates. Stored as the application stores them:
    the SHA-256 digest of the secret; checked through the application's own lookup."""
    from django.conf import settings
    from django.utils import timezone

    from motcua.accounts.models import ApiToken
    from motcua.accounts.services import user_for_api_token

    found = accounts()
    digests = {a.secret: hashlib.sha256(a.secret.encode()).hexdigest() for a in found}
    ApiToken.objects.filter(digest__in=digests.values()).delete()
    now = timezone.now()
    ApiToken.objects.bulk_create(
        ApiToken(
            user_id=a.user_id,
            digest=digests[a.secret],
            created_at=now,
            expires_at=now + settings.API_TOKEN_TTL,
            user_agent=TOKEN_USER_AGENT,
        )
        for a in found
    )
    if found:
        user = user_for_api_token(found[0].secret)
        if user is None or user.pk != found[0].user_id:
            raise RuntimeError(
                "the application does not accept the bench's API tokens: has the token digest "
                "changed? (bench/dossiers.py stores sha256(secret))"
            )
    return len(found)


def _referencing(cur, table: str) -> list[tuple[str, str]]:
    """(table, column) of every foreign key that points at ``table``'s id."""
    return cur.execute(
        "SELECT c.conrelid::regclass::text, a.attname FROM pg_constraint c "
        "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] "
        "WHERE c.contype = 'f' AND c.confrelid = %s::regclass AND c.conrelid <> c.confrelid",
        [table],
    ).fetchall()


def _delete_where(cur, table: str, where: str, params: list, depth: int = 0) -> int:
    if depth < 4:
        for child, column in _referencing(cur, table):
            _delete_where(
                cur, child, f"{column} IN (SELECT id FROM {table} WHERE {where})", params, depth + 1
            )
    cur.execute(f"DELETE FROM {table} WHERE {where}", params)
    return cur.rowcount


def remove_leftovers(seeded: int) -> int:
    """Delete what earlier runs' submissions added (dossiers past the seeded ids and every row
    pointing at them), so each run starts from the same million. Their code numbers stay
    used: codes are never given twice, gaps are allowed."""
    with pg.connect() as conn, conn.cursor() as cur:
        removed = _delete_where(cur, "dossiers_dossier", "id > %s", [seeded])
        conn.commit()
    return removed


def main(argv: list[str] | None = None) -> int:
    """``python -m bench.dossiers --tokens``: print the bench accounts and their tokens."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m bench.dossiers", description=main.__doc__)
    parser.add_argument("--tokens", action="store_true")
    parser.parse_args(argv)
    for a in accounts():
        print(f"{a.role:10} user {a.user_id:>7}  Authorization: {a.authorization}")
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(main())
