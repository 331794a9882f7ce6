"""In-process look at a request: how many SQL statements it runs and how long it takes alone.

The main run uses :func:`measure` for the "SQL/req" and "1-thread ms" columns: one request at a
time through Django's test client, no server, no concurrency, so the figure is the service
time that concurrency then multiplies. ``python -m bench.queries [PATH ...]`` prints every
statement of each path with PostgreSQL's EXPLAIN ANALYZE, against the already seeded bench
database (run ``python -m bench`` or ``python -m bench.seed`` first).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import dataclass, field

from bench.load import Request


@dataclass
class Measurement:
    sql_per_request: float
    ms_per_request: float
    statuses: dict[int, int]


def client():
    from django.test import Client

    # The server's own ALLOWED_HOSTS accept 127.0.0.1; "testserver" is not in them.
    return Client(SERVER_NAME="127.0.0.1")


def measure(requests: list[Request], sample: int = 40, timed: int = 120) -> Measurement:
    """SQL statements per request over a sample of ``sample`` paths (which also warms the
    process), then the mean wall time of ``timed`` requests."""
    from django.db import connection, connections
    from django.test.utils import CaptureQueriesContext

    chosen = requests[:: max(1, len(requests) // sample)][:sample]
    http = client()
    statuses: dict[int, int] = {}
    queries = 0

    def send(r: Request):
        # The test client takes the body's type apart from the other headers (CONTENT_TYPE,
        # not HTTP_CONTENT_TYPE).
        kind = next((v for k, v in r.headers.items() if k.lower() == "content-type"), None)
        headers = {
            f"HTTP_{k.upper().replace('-', '_')}": v
            for k, v in r.headers.items()
            if k.lower() != "content-type"
        }
        return http.generic(r.method, r.path, r.body, kind or "application/octet-stream", **headers)

    for r in chosen:
        with CaptureQueriesContext(connection) as captured:
            response = send(r)
        queries += len(captured.captured_queries)
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
    # Timed: ``timed`` requests taken in order from the middle of the whole list, so a short
    # list repeats (as it does under load) and a long-tail list does not (nor would it there).
    start = len(requests) // 2
    batch = [requests[(start + i) % len(requests)] for i in range(timed)]
    started = time.perf_counter()
    for r in batch:
        send(r)
    elapsed = time.perf_counter() - started
    connections.close_all()
    return Measurement(queries / len(chosen), elapsed * 1000 / len(batch), statuses)


def _meta(headers: dict[str, str]) -> dict[str, str]:
    return {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()}


@dataclass
class FlowMeasurement(Measurement):
    # Per step: (SQL statements, ms), averaged over the measured submissions.
    steps: dict[str, tuple[float, float]] = field(default_factory=dict)
    statements: list[str] = field(default_factory=list)


def measure_flow(plans, runs: int = 6) -> FlowMeasurement:
    """Whole submissions one at a time through the test client: SQL statements and time of
    each step. The first submission warms the process and is not counted. The statements of
    the last one are kept, for ``python -m bench.queries --submission``."""
    from django.db import connection, connections
    from django.test.utils import CaptureQueriesContext

    http = client()
    totals: dict[str, list[float]] = {}
    statuses: dict[int, int] = {}
    statements: list[str] = []
    for run in range(runs + 1):
        plan = plans[run % len(plans)]
        auth = _meta({"Authorization": plan.authorization})
        draft = None
        statements = []
        for name, _expected, build in _flow_steps(plan):
            method, path, body, content_type = build(draft)
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = http.generic(method, path, body, content_type, **auth)
                elapsed = (time.perf_counter() - started) * 1000
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
            statements += [f"[{name}] {q['sql']}" for q in captured.captured_queries]
            if run:
                sql_ms = totals.setdefault(name, [0.0, 0.0, 0])
                sql_ms[0] += len(captured.captured_queries)
                sql_ms[1] += elapsed
                sql_ms[2] += 1
            if name == "create" and response.status_code == 201:
                draft = response.json()["id"]
    connections.close_all()
    steps = {name: (t[0] / runs, t[1] / runs) for name, t in totals.items()}
    per_submission_sql = sum(sql for sql, _ in steps.values())
    per_submission_ms = sum(ms for _, ms in steps.values())
    requests = plans[0].requests
    # Per request, like every other row of the table; ``steps`` keeps the per-step figures.
    return FlowMeasurement(
        per_submission_sql / requests, per_submission_ms / requests, statuses, steps, statements
    )


def _flow_steps(plan):
    """The submission's steps for the test client: (name, expected status, draft id →
    (method, path, body, content type)). Uploads are one step name, summed per submission."""
    yield (
        "create",
        201,
        lambda draft: ("POST", "/api/v1/dossiers", plan.create_body, "application/json"),
    )
    for upload in plan.uploads:
        yield (
            "upload",
            201,
            lambda draft, u=upload: (
                "POST",
                f"/api/v1/dossiers/{draft}/files",
                u.body,
                u.content_type,
            ),
        )
    yield (
        "submit",
        200,
        lambda draft: ("POST", f"/api/v1/dossiers/{draft}/submit", b"", "application/json"),
    )


def explain(path: str, out=print, headers: dict[str, str] | None = None) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    http = client()
    meta = _meta(headers or {})
    from django.core.cache import cache

    http.get(path, **meta)
    # The first request warmed the process; without the answer caches (catalogue)
    # the second shows what a cache miss runs, which is what the long-tail scenarios measure.
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        response = http.get(path, **meta)
        elapsed = (time.perf_counter() - started) * 1000
    out(
        f"\n=== GET {path} -> {response.status_code}, {len(captured.captured_queries)} statements, {elapsed:.1f} ms"
    )
    for n, q in enumerate(captured.captured_queries, start=1):
        out(f"\n--- [{n}] {q['time']} s\n{q['sql']}")
        if not q["sql"].lstrip().upper().startswith("SELECT"):
            continue
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {q['sql']}")
            out("\n".join(f"    {row[0]}" for row in cursor.fetchall()))


def main(argv: list[str] | None = None) -> int:
    from bench import pg, scenarios, seed

    parser = argparse.ArgumentParser(
        prog="python -m bench.queries", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "paths", nargs="*", help="paths to explain (default: a few of each scenario)"
    )
    parser.add_argument(
        "--submission",
        action="store_true",
        help="instead: every statement of one whole submission, and the count per step",
    )
    args = parser.parse_args(argv)
    if not pg.database_exists():
        print(
            f"ERROR: database {pg.BENCH_DB} does not exist; run python -m bench.seed first.",
            file=sys.stderr,
        )
        return 2
    with tempfile.TemporaryDirectory(prefix="motcua-bench-") as data_dir:
        seed.configure_django(data_dir)
        if args.submission:
            from bench import dossiers

            dossiers.issue_tokens()
            found = measure_flow(scenarios.submission_plans(), runs=1)
            for statement in found.statements:
                print(statement)
            for name, (sql, ms) in found.steps.items():
                print(f"{name}: {sql:.0f} statements, {ms:.1f} ms")
            return 0
        if args.paths:
            paths = [(path, {}) for path in args.paths]
        else:
            from bench import dossiers

            dossiers.issue_tokens()
            heavy = dossiers.accounts("heavy")[:1]
            paths = [
                ("/api/v1/procedures?q=giay+phep+xay+dung", {}),
                ("/api/v1/procedures?q=cap", {}),
                ("/api/v1/procedures?q=giay+phep+xay+dugn", {}),
                ("/api/v1/procedures?q=dang+ky&agency=H48.50.01", {}),
                (f"/api/v1/procedures/{scenarios.procedure_codes(1)[0]}", {}),
                *(
                    (r.path, r.headers)
                    for r in scenarios.tracking_requests(scenarios.tracked_dossiers(2, 11))[:2]
                ),
                *(("/api/v1/dossiers", {"Authorization": a.authorization}) for a in heavy),
            ]
        for path, headers in paths:
            explain(path, headers=headers)
    return 0


if __name__ == "__main__":
    sys.exit(main())
