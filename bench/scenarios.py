"""The scenarios: what each one requests and the targets it is held to.

A scenario is a named list of requests that the load generator cycles through, so one run
mixes cheap and expensive variants the way real traffic does. ``healthz`` is the baseline that
every other scenario is divided by; ``SCENARIOS`` are measured between a ``healthz`` run at the
start and one at the end, in this order. Builders run after seeding, with Django configured
against the bench database, so they can pick real codes.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from urllib.parse import urlencode

from bench import dossiers, flows, vocab
from bench.load import Request


@dataclass
class Scenario:
    name: str
    description: str
    requests: list[Request]
    # Targets from the issue; None means "measured, no target".
    min_ratio: float | None = None
    max_p99_ms: float | None = None
    # Skipped with a note, not failed, when its first request does not answer 200 (a page
    # that is still being built).
    optional: bool = False
    # A chained scenario (submission): run by bench/flows.py instead of wrk, ``requests`` empty.
    flow: list[flows.Plan] | None = None
    concurrency: int | None = None
    # Whole-machine CPU per submission (bench.cpu): server, PostgreSQL and client together.
    max_cpu_ms: float | None = None
    # Tables read into the file cache just before the scenario runs (bench.pg.prewarm).
    prewarm: tuple[str, ...] = ()


# Folded, as people type them: no diacritics. Some multi-word, one a code, one misspelt (it
# takes the trigram fallback path), a few with filters (a commune agency takes the extra
# commune-group branch of the selector), one listing without a query, one second page.
SEARCHES: list[dict[str, str]] = [
    {"q": "giay phep xay dung"},
    {"q": "xay dung nha o rieng le"},
    {"q": "khai sinh"},
    {"q": "dang ky ket hon"},
    {"q": "ly lich tu phap"},
    {"q": "chung chi hanh nghe duoc"},
    {"q": "quang cao"},
    {"q": "chuyen truong hoc sinh"},
    {"q": "cap doi"},
    {"q": "giay chung nhan"},
    {"q": "an toan thuc pham"},
    {"q": "gia han giay phep"},
    {"q": "thu hoi"},
    {"q": "dat dai"},
    {"q": "moi truong"},
    {"q": "doanh nghiep"},
    {"q": "ho chieu"},
    {"q": "cong nhan"},
    {"q": "chung thuc ban sao"},
    {"q": "kham benh chua benh"},
    {"q": "tro cap xa hoi"},
    {"q": "the bao hiem y te"},
    {"q": "dang ky thuong tru"},
    {"q": "nuoi con nuoi"},
    {"q": "karaoke"},
    {"q": "1.009994"},
    {"q": "giay phep xay dugn"},
    {"q": "giay phep", "page": "2"},
    {"q": "xay dung", "agency": "H48.10"},
    {"q": "dang ky", "agency": "H48.50.01"},
    {"field": "HOTICH"},
    {"q": "cap", "level": "toan_trinh"},
    {"q": "giay phep", "field": "KCB", "level": "mot_phan"},
]
MISSPELT = {"giay phep xay dugn"}
DETAIL_CODES = 200


def healthz() -> Scenario:
    return Scenario(
        "healthz", "GET /healthz: the bare Django stack, no database", [Request("/healthz")]
    )


def readyz() -> Scenario:
    """The same whole stack plus one database round trip (``SELECT 1``): what a single read
    costs an ordinary endpoint, so a scenario's ratio can be read against it as well as
    against /healthz. Measured only."""
    return Scenario(
        "readyz", "GET /readyz: the whole Django stack and one SELECT 1", [Request("/readyz")]
    )


def search() -> Scenario:
    return Scenario(
        "search",
        f"GET /api/v1/procedures?q=… ({len(SEARCHES)} rotating queries, some with filters)",
        [Request(f"/api/v1/procedures?{urlencode(params)}") for params in SEARCHES],
        min_ratio=0.5,
        max_p99_ms=100,
    )


# Each tail query is sent under this many distinct URLs (a parameter the API ignores), so that
# even at several thousand requests a second none repeats within a run: past about 130 a
# second, 2,000 URLs came round again and were answered by the response cache
# (api/cache.py), which measured the cache, not the search.
TAIL_COPIES = 40


def search_tail() -> Scenario:
    """The long tail: about 2,000 distinct queries built from the catalogue's own words, each
    under ``TAIL_COPIES`` URLs, so that within one run no URL repeats: the response cache never
    answers, and every request runs the search. Stays a measure of the uncached search path
    when ``search`` (a few popular queries) is served from a cache."""
    requests = [
        Request(f"/api/v1/procedures?{urlencode({**params, 'tail': copy})}")
        for copy in range(TAIL_COPIES)
        for params in TAIL_SEARCHES
    ]
    return Scenario(
        "search_tail",
        f"GET /api/v1/procedures?q=… ({len(TAIL_SEARCHES)} distinct queries × {TAIL_COPIES} "
        "URLs, none repeated in a run)",
        requests,
        min_ratio=0.3,
    )


def _tail_searches(limit: int = 2000) -> list[dict[str, str]]:
    import random

    from motcua.core.text import fold

    found: dict[str, dict[str, str]] = {}
    for field_code, (_, _, _, _, objects) in vocab.FIELDS.items():
        for verbs, obj, qualifiers in objects:
            words = fold(obj).split()
            candidates = [
                " ".join(words),
                " ".join(words[:2]),
                " ".join(words[-2:]),
                " ".join(words[:3]),
            ]
            for verb in vocab.VERBS[verbs] if isinstance(verbs, str) else verbs:
                if verb:
                    candidates.append(f"{fold(verb)} {' '.join(words[:2])}")
            candidates += [fold(q) for q in qualifiers if q]
            for text in candidates:
                found.setdefault(text, {"q": text})
                found.setdefault(f"{text}|{field_code}", {"q": text, "field": field_code})
                for level in ("toan_trinh", "mot_phan"):
                    found.setdefault(f"{text}|{level}", {"q": text, "level": level})
    queries = list(found.values())
    random.Random(7).shuffle(queries)
    return queries[:limit]


TAIL_SEARCHES = _tail_searches()


def detail() -> Scenario:
    codes = procedure_codes(DETAIL_CODES)
    return Scenario(
        "detail",
        f"GET /api/v1/procedures/<code> ({len(codes)} rotating codes)",
        [Request(f"/api/v1/procedures/{code}") for code in codes],
        max_p99_ms=100,
    )


def search_page() -> Scenario:
    return Scenario(
        "search_page",
        "GET /thu-tuc/?q=… (the portal's search page, same queries)",
        [Request(f"/thu-tuc/?{urlencode(params)}") for params in SEARCHES],
        min_ratio=0.2,
        max_p99_ms=200,
    )


def home() -> Scenario:
    """The portal's home page, as an anonymous visitor first sees it."""
    return Scenario(
        "home",
        "GET / (the portal's home page, anonymous)",
        [Request("/")],
        min_ratio=0.2,
        max_p99_ms=200,
    )


def procedure_page() -> Scenario:
    """One procedure's page in the portal, anonymous, over the same spread of codes as
    ``detail``: the page a search result or a link from elsewhere leads to."""
    codes = procedure_codes(DETAIL_CODES)
    return Scenario(
        "procedure_page",
        f"GET /thu-tuc/<code>/ (the portal's procedure page, {len(codes)} rotating codes, "
        "anonymous)",
        [Request(f"/thu-tuc/{code}/") for code in codes],
        min_ratio=0.2,
        max_p99_ms=200,
    )


# Each wrk thread takes its own half of the list, the warm-up its first quarter, the measured
# run the next: up to about 4,000 requests a second no dossier is asked twice in a run, so
# every request reads a card PostgreSQL has not just been asked for.
TRACKED_DOSSIERS = 100_000
TRACKING_CLIENTS = 5_000


def _client_address(n: int) -> str:
    # 10.0.0.0/8: private, never a real client; one per simulated citizen.
    return f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"


def tracked_dossiers(count: int, seed: int) -> list[tuple[str, str]]:
    """(code, applicant's number) of ``count`` submitted dossiers spread over the million."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT max(id) FROM dossiers_dossier WHERE code IS NOT NULL")
        (top,) = cursor.fetchone()
        if not top:
            return []
        ids = random.Random(seed).sample(range(1, top + 1), min(count, top))
        cursor.execute(
            "SELECT id, code, applicant_id_number FROM dossiers_dossier "
            "WHERE id = ANY(%s) AND status <> 0",
            [ids],
        )
        found = {row[0]: (row[1], row[2]) for row in cursor.fetchall()}
    return [found[i] for i in ids if i in found]


def tracking_requests(pairs: list[tuple[str, str]]) -> list[Request]:
    """One request per (code, number), or per client address when there are fewer dossiers
    than addresses. X-Forwarded-For as the reverse proxy in front of production sets it (the
    server runs with MOTCUA_BEHIND_PROXY): the per-address throttle then sees 5,000 citizens,
    each well under its limit, not one load generator over it within two seconds."""
    if not pairs:
        return []
    return [
        Request(
            f"/api/v1/tracking/{code}?{urlencode({'id_number': number})}",
            headers={"X-Forwarded-For": _client_address(n % TRACKING_CLIENTS + 1)},
        )
        for n, (code, number) in (
            (n, pairs[n % len(pairs)]) for n in range(max(len(pairs), TRACKING_CLIENTS))
        )
    ]


def tracking() -> Scenario:
    """Public tracking of dossiers picked at random among the million, each asked at most once
    in a run, as the long tail of real tracking (each citizen their own dossier) is."""
    pairs = tracked_dossiers(TRACKED_DOSSIERS, seed=11)
    return Scenario(
        "tracking",
        f"GET /api/v1/tracking/<code>?id_number=… ({len(pairs):,} distinct dossiers, "
        f"{TRACKING_CLIENTS:,} client addresses)",
        tracking_requests(pairs),
        min_ratio=0.6,
        max_p99_ms=50,
        # 1.2 GB of cards for a million dossiers: in memory on a database server sized for
        # them, paged out here after a minute the earlier scenarios did not read them.
        prewarm=("dossiers_trackingcard",),
    )


def tracking_hot() -> Scenario:
    """The other end: 50 dossiers everyone is tracking (receipts' QR codes just scanned), their
    cards always in PostgreSQL's buffers. Measured only."""
    pairs = tracked_dossiers(50, seed=12)
    return Scenario(
        "tracking_hot",
        f"GET /api/v1/tracking/<code>?id_number=… ({len(pairs)} popular dossiers)",
        tracking_requests(pairs),
    )


def my_dossiers() -> Scenario:
    """The personal list of citizens who have 200 dossiers each: mostly the first page, now
    and then a later one, with each citizen's own bearer token."""
    requests = []
    for n, account in enumerate(dossiers.accounts("heavy")):
        auth = {"Authorization": account.authorization}
        pages = ["", "", "", f"?page={2 + n % 9}"]
        requests += [Request(f"/api/v1/dossiers{page}", headers=auth) for page in pages]
    return Scenario(
        "my_dossiers",
        f"GET /api/v1/dossiers ({len(requests) // 4} citizens with "
        f"{dossiers.HEAVY_DOSSIERS} dossiers each, bearer tokens, mostly page 1)",
        requests,
        min_ratio=0.3,
        max_p99_ms=100,
    )


SUBMISSION_CONCURRENCY = 8
SUBMISSION_PROCEDURES = 8


def submission() -> Scenario:
    """Whole online submissions: create a draft (JSON), upload a ~500 KB PDF to each of the
    procedure's two required components (multipart), submit. Procedures decided by
    province-level agencies (no commune to choose), online-capable, whose two required
    components take PDF; one per agency, so that submissions spread over several agencies'
    code counters as they do in life."""
    plans = submission_plans()
    per = plans[0].requests if plans else 4
    return Scenario(
        "submission",
        f"create + {per - 2} × 500 KB PDF upload + submit ({len(plans)} procedures, "
        f"{SUBMISSION_CONCURRENCY} concurrent citizens)",
        [],
        min_ratio=0.15,
        max_cpu_ms=30,
        flow=plans,
        concurrency=SUBMISSION_CONCURRENCY,
    )


def submission_procedures(limit: int = SUBMISSION_PROCEDURES) -> list[str]:
    from django.db.models import Count, Q

    from motcua.catalog.models import Agency, ProcedureVersion
    from motcua.catalog.selectors import effective

    candidates = (
        ProcedureVersion.objects.filter(effective(), level__in=["toan_trinh", "mot_phan"])
        .exclude(agency__kind=Agency.Kind.LEVEL_GROUP)
        .filter(delivery_methods__contains=["online"])
        .annotate(
            required=Count("components", filter=Q(components__required=True)),
            pdf=Count(
                "components",
                filter=Q(
                    components__required=True,
                    components__allowed_types__contains=["pdf"],
                    components__max_size__gte=flows.PDF_BYTES,
                ),
            ),
        )
        .filter(required=2, pdf=2)
        .order_by("procedure__code")
        .values_list("procedure__code", "agency__code")
    )
    chosen, agencies = [], set()
    for code, agency in candidates:
        if agency not in agencies:
            chosen.append(code)
            agencies.add(agency)
        if len(chosen) == limit:
            break
    return chosen


def submission_plans() -> list[flows.Plan]:
    """One plan per (submitter, procedure); component ids read from the detail endpoint, as
    an app would."""
    from bench.queries import client
    from motcua.accounts.models import User

    codes = submission_procedures()
    submitters = dossiers.accounts("submitter")
    users = {u.pk: u for u in User.objects.filter(pk__in=[a.user_id for a in submitters])}
    files = [flows.pdf(seed=1), flows.pdf(seed=2)]
    names = ["to-khai.pdf", "ban-sao-giay-to.pdf"]
    http = client()
    components = {}
    for code in codes:
        detail = http.get(f"/api/v1/procedures/{code}").json()
        components[code] = [c["id"] for c in detail["components"] if c["required"]]
    plans = []
    for n, account in enumerate(submitters):
        user = users[account.user_id]
        for k in range(len(codes)):
            code = codes[(n + k) % len(codes)]
            body = {
                "procedure": code,
                "applicant": {
                    "full_name": user.full_name,
                    "id_number": user.id_number,
                    "phone": user.phone,
                    "email": user.email,
                    "address": user.address,
                },
                "delivery": {"method": "online"},
            }
            uploads = tuple(
                flows.multipart(cid, names[i], files[i], f"motcua-bench-{n}-{i}")
                for i, cid in enumerate(components[code])
            )
            plans.append(
                flows.Plan(
                    code,
                    account.authorization,
                    json.dumps(body, ensure_ascii=False).encode(),
                    uploads,
                )
            )
    return plans


BASELINE = healthz
# The writing scenario last, so that its rows do not change what the others read.
SCENARIOS = [
    readyz,
    search,
    search_tail,
    detail,
    search_page,
    home,
    procedure_page,
    tracking,
    tracking_hot,
    my_dossiers,
    submission,
]


def procedure_codes(count: int) -> list[str]:
    """The named procedures, then codes spread evenly over the catalogue in force today."""
    from motcua.catalog.models import ProcedureVersion
    from motcua.catalog.selectors import effective

    named = [code for code, *_ in vocab.NAMED]
    current = list(
        ProcedureVersion.objects.filter(effective())
        .order_by("procedure__code")
        .values_list("procedure__code", flat=True)
        .distinct()
    )
    rest = [c for c in current if c not in set(named)]
    step = max(1, len(rest) // max(1, count - len(named)))
    return (named + rest[::step])[:count]


# --- back office (issue 9): requests built in bench/backoffice.py; read before the writing
# scenarios, accept just before submission (it writes too, on rows of its own).


def staff_queue() -> Scenario:
    """An officer's work queue through the staff API, with one-stop officers' bearer tokens."""
    from bench import backoffice

    return Scenario(
        "staff_queue",
        f"GET /api/v1/staff/dossiers ({backoffice.STAFF} one-stop officers, mostly page 1, "
        "some status filters and later pages)",
        backoffice.queue_requests(),
        min_ratio=0.4,
        max_p99_ms=100,
    )


def staff_dossier() -> Scenario:
    """One dossier with its history and the actions open to the officer, staff API."""
    from bench import backoffice

    requests = backoffice.detail_requests()
    return Scenario(
        "staff_dossier",
        f"GET /api/v1/staff/dossiers/<code> ({len(requests):,} dossiers of the officers' "
        "agencies, every status)",
        requests,
    )


def staff_queue_page() -> Scenario:
    """The officer's work queue page (HTML), with a logged-in, second-factor-verified
    session."""
    from bench import backoffice

    return Scenario(
        "staff_queue_page",
        f"GET /can-bo/ho-so/ ({backoffice.STAFF} one-stop officers' sessions, 2FA verified)",
        backoffice.queue_page_requests(),
        min_ratio=0.2,
        max_p99_ms=100,
    )


def staff_dossier_page() -> Scenario:
    """The dossier page (HTML) over the dossiers of ``staff_dossier``."""
    from bench import backoffice

    requests = backoffice.dossier_page_requests()
    return Scenario(
        "staff_dossier_page",
        f"GET /can-bo/ho-so/<code>/ ({len(requests):,} dossiers of the officers' agencies, "
        "sessions)",
        requests,
    )


def accept() -> Scenario:
    """The one-stop desk accepts submitted dossiers (one transition each, through perform);
    its pool is rebuilt just before the load (``reset``), so each request accepts a status-1
    dossier and any answer but 200 is an error."""
    from bench import backoffice

    backoffice.reset_pool()  # for the in-process measurement and the probe
    s = Scenario(
        "accept",
        f"POST /api/v1/staff/dossiers/<code>/actions accept (a pool of {backoffice.POOL:,} "
        "submitted dossiers, each accepted once)",
        backoffice.accept_requests(),
    )
    s.reset = backoffice.reset_pool
    s.checked = True  # the target: no error
    return s


SCENARIOS[SCENARIOS.index(submission) : SCENARIOS.index(submission)] = [
    staff_queue,
    staff_queue_page,
    staff_dossier,
    staff_dossier_page,
    accept,
]
