"""``python -m bench`` (``make bench``): seed, serve, load every scenario, report against /healthz.

Exit status: 0 whenever the measurement ran, targets met or not (a miss is printed loudly);
2 when it could not run (no PostgreSQL, server did not start).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

from bench import cpu, flows, load, pg, queries, report, scenarios, seed
from bench.server import BenchServer, get

REPO = Path(__file__).resolve().parent.parent


def _parse(argv):
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    p.add_argument("--fresh", action="store_true", help="drop and re-seed the bench database")
    p.add_argument("--procedures", type=int, default=seed.DEFAULT_PROCEDURES)
    p.add_argument("--citizens", type=int, default=seed.DEFAULT_CITIZENS)
    p.add_argument(
        "--dossiers",
        type=int,
        default=seed.DEFAULT_DOSSIERS,
        help=f"stored dossiers (default {seed.DEFAULT_DOSSIERS:,})",
    )
    p.add_argument(
        "--duration", type=int, default=12, help="measured seconds per scenario (default 12)"
    )
    p.add_argument("--warmup", type=int, default=3, help="warm-up seconds before each (default 3)")
    p.add_argument("--connections", type=int, default=16)
    p.add_argument("--threads", type=int, default=2, help="load-generator threads (default 2)")
    p.add_argument("--workers", type=int, default=2, help="server worker processes (default 2)")
    p.add_argument(
        "--server-threads", type=int, default=2, help="blocking threads per worker (default 2)"
    )
    p.add_argument(
        "--client",
        choices=["auto", "wrk", "python"],
        default="auto",
        help="load generator: wrk (installed if missing and root), python, or auto",
    )
    p.add_argument(
        "--only", default="", help="comma-separated scenario names (healthz always runs)"
    )
    return p.parse_args(argv)


def _interrupt(signum, frame):
    # SIGTERM takes the same way out as Ctrl-C, through every finally block.
    raise KeyboardInterrupt


def _git_revision() -> str:
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "src"],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return f"{head}{' + uncommitted changes in src/' if dirty else ''}" if head else "unknown"


def _wrk_version(path: str) -> str:
    try:
        out = subprocess.run([path, "-v"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return "wrk"
    first = (out.stdout or out.stderr).strip().splitlines()
    return first[0].split(" [")[0] if first else "wrk"


def _probe(
    server: BenchServer, scenario: scenarios.Scenario, sample: int = 60
) -> tuple[dict[int, int], list[str]]:
    """One GET of up to ``sample`` distinct paths: statuses, and notes on what the answers
    contain. A sample, not all: probing every path of a long-tail scenario would take long and
    would warm any cache the scenario is meant to miss. A submission scenario submits once."""
    if scenario.flow is not None:
        answers, last = flows.probe(server.port, scenario.flow[0])
        expected = {"create": 201, "upload": 201, "submit": 200}
        ok = len(answers) == scenario.flow[0].requests and all(
            status == expected[name] for name, status in answers
        )
        steps = ", ".join(f"{name} {status}" for name, status in answers)
        # 200 stands for "every step answered as it should", as for the other scenarios.
        return ({200: 1} if ok else {0: 1}), [f"one submission: {steps} → {last}"]
    statuses: dict[int, int] = {}
    notes = []
    empty = []
    requests = list({r.path: r for r in scenario.requests}.values())
    for request in requests[:: max(1, len(requests) // sample)][:sample]:
        path = request.path
        status, body = get(
            server.port,
            path,
            headers=request.headers,
            method=request.method,
            body=request.body or None,
        )
        statuses[status] = statuses.get(status, 0) + 1
        if status == 200 and path.startswith("/api/v1/procedures?"):
            try:
                if json.loads(body).get("count", 0) == 0:
                    empty.append(path)
            except ValueError:
                notes.append(f"not JSON: {path}")
    if empty:
        notes.append(
            f"{len(empty)} probed queries found nothing: "
            + ", ".join(empty[:5])
            + (" …" if len(empty) > 5 else "")
        )
    return statuses, notes


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    signal.signal(signal.SIGTERM, _interrupt)
    started = time.perf_counter()
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    print(f"MotCua benchmark — {dt.datetime.now():%Y-%m-%d %H:%M} — commit {_git_revision()}")
    try:
        pg_version = pg.check_server()
    except pg.PostgresUnavailable as exc:
        print(f"\nERROR: {exc}", file=sys.stderr)
        return 2
    print(f"PostgreSQL {pg_version} at {urlsplit(pg.server_url()).netloc}, database {pg.BENCH_DB}")

    data_dir = tempfile.mkdtemp(prefix="motcua-bench-")
    try:
        return _run(args, data_dir, stamp, started, pg_version)
    except KeyboardInterrupt:
        print("\ninterrupted; server stopped", file=sys.stderr)
        return 130
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def _run(args, data_dir: str, stamp: str, started: float, pg_version: str) -> int:
    wanted = {n.strip() for n in args.only.split(",") if n.strip()}
    unknown = wanted - {build.__name__ for build in scenarios.SCENARIOS}
    if unknown:
        names = ", ".join(build.__name__ for build in scenarios.SCENARIOS)
        print(
            f"ERROR: unknown scenario(s) {', '.join(sorted(unknown))}; known: {names}",
            file=sys.stderr,
        )
        return 2
    info = seed.prepare(
        procedures=args.procedures,
        citizens=args.citizens,
        dossiers=args.dossiers,
        fresh=args.fresh,
        data_dir=data_dir,
    )

    chosen = [build() for build in scenarios.SCENARIOS if not wanted or build.__name__ in wanted]
    baseline = scenarios.BASELINE()
    diagnostics = {s.name: None for s in [baseline, *chosen]}
    skipped: list[dict] = []
    for s in list(chosen):
        missing = _not_built(s)
        if missing:
            print(f"  {s.name}: skipped: {missing}")
            skipped.append({"scenario": s.name, "reason": missing})
            chosen.remove(s)
    for s in [baseline, *chosen]:
        diagnostics[s.name] = measurement = _measure(s)
        if isinstance(measurement, queries.FlowMeasurement):
            steps = ", ".join(
                f"{name} {sql:.0f} SQL / {ms:.1f} ms"
                for name, (sql, ms) in measurement.steps.items()
            )
            print(
                f"  {s.name}: per submission, one at a time in-process: {steps} "
                f"(statuses {measurement.statuses})"
            )
        elif measurement:
            print(
                f"  {s.name}: {measurement.sql_per_request:.1f} SQL statements and "
                f"{measurement.ms_per_request:.2f} ms per request, one at a time in-process"
            )

    client, wrk = args.client, None
    if client in ("auto", "wrk"):
        wrk = load.ensure_wrk()
        if wrk:
            client = "wrk"
        elif client == "wrk":
            print("ERROR: wrk is not installed and could not be installed.", file=sys.stderr)
            return 2
        else:
            client = "python"
            print(
                "wrk unavailable: using the built-in Python load generator (lower absolute numbers)"
            )
    config = load.LoadConfig(
        duration=args.duration,
        warmup=args.warmup,
        connections=args.connections,
        threads=args.threads,
    )
    client_name = _wrk_version(wrk) if client == "wrk" else "python asyncio client"
    print(
        f"machine: {os.cpu_count()} CPUs, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}"
    )
    print(
        f"load: {client_name}, {config.connections} connections, {config.threads} threads, "
        f"{config.warmup} s warm-up + {config.duration} s per scenario, 127.0.0.1 only"
    )

    rows: list[report.Row] = []
    server_env = seed.django_environment(data_dir)
    log_path = Path(data_dir) / "server.log"
    try:
        with BenchServer(
            env=server_env, log_path=log_path, workers=args.workers, threads=args.server_threads
        ) as server:
            print(
                f"server: motcua serve --workers {args.workers} --threads {args.server_threads} "
                f"(granian WSGI) on {server.base}"
            )
            runnable = []
            for s in chosen:
                statuses, notes = _probe(server, s)
                if s.optional and set(statuses) != {200}:
                    note = f"skipped: probe answered {statuses} (not built yet?)"
                    print(f"  {s.name}: {note}")
                    skipped.append({"scenario": s.name, "reason": note})
                    continue
                if set(statuses) != {200}:
                    print(f"  WARNING {s.name}: probe statuses {statuses}")
                for note in notes:
                    print(f"  note {s.name}: {note}")
                runnable.append(s)

            order = [
                ("healthz (first)", baseline),
                *((s.name, s) for s in runnable),
                ("healthz (last)", baseline),
            ]
            for label, s in order:
                if s.prewarm:
                    took = pg.prewarm(s.prewarm)
                    tables = ", ".join(s.prewarm)
                    if isinstance(took, str):
                        print(f"  WARNING: could not read {tables} into the file cache: {took}")
                    else:
                        print(f"  read {tables} into the file cache ({took:.1f} s)")
                # A writing scenario (accept) rebuilds the rows it consumes, after the probe
                # and the in-process measurement have used some of them.
                if getattr(s, "reset", None):
                    s.reset()
                print(f"running {label}: {s.description} …", flush=True)
                sampler = cpu.CpuSampler(server.pgid) if cpu.available() else None
                if s.flow is not None:
                    result = flows.run(
                        server.port, s.flow, config, s.concurrency or 8, sampler=sampler
                    )
                else:
                    result = load.run(client, server.port, s.requests, config, wrk, sampler)
                m = diagnostics.get(s.name)
                rows.append(
                    report.Row(
                        label,
                        s.name,
                        result,
                        m.sql_per_request if m else None,
                        m.ms_per_request if m else None,
                    )
                )
    except RuntimeError as exc:
        print(f"\nERROR: {exc}", file=sys.stderr)
        return 2

    base = report.baseline_rps(rows)
    for row in rows:
        row.ratio = row.result.rps / base
    first, last = rows[0].result.rps, rows[-1].result.rps
    found = report.checks(rows, runnable)

    print()
    print(report.table(rows))
    print(
        f"baseline: mean of the two healthz runs = {base:,.0f} req/s "
        f"(first {first:,.0f}, last {last:,.0f}: drift {100 * (last - first) / first:+.0f}%)"
    )
    print("× healthz: the scenario's req/s over that baseline; compare runs by this, not by req/s.")
    print(
        "SQL/req, 1-thread ms: one request at a time through Django in-process (no server, no load)."
    )
    print(
        "CPU ms/req: CPU of the server, the bench database's PostgreSQL processes and the load "
        "client per request under load (bench/cpu.py)."
    )
    for row in rows:
        if row.result.extra.get("submissions_per_s") is not None:
            print(report.submission_details(row, base, diagnostics.get(row.scenario)))
    for s in skipped:
        print(f"{s['scenario']}: {s['reason']}")
    print()
    print("targets:")
    print(report.verdicts(found))

    document = {
        "timestamp": dt.datetime.now().isoformat(timespec="seconds"),
        "commit": _git_revision(),
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "postgresql": pg_version,
        },
        "config": {
            "client": client_name,
            "connections": config.connections,
            "threads": config.threads,
            "warmup_s": config.warmup,
            "duration_s": config.duration,
            "server_workers": args.workers,
            "server_threads": args.server_threads,
        },
        "seed": {
            "procedures": info.procedures,
            "versions": info.versions,
            "citizens": info.citizens,
            "dossiers": info.dossiers,
            "reused": info.reused,
            "seeding_s": round(info.seconds, 1),
            "dossier_seeding_s": round(info.dossier_seconds, 1),
            "leftover_dossiers_removed": info.leftovers_removed,
        },
        "baseline_rps": base,
        "healthz_drift": (last - first) / first,
        "results": [
            {
                "label": r.label,
                "scenario": r.scenario,
                **r.result.as_dict(),
                "ratio": r.ratio,
                "sql_per_request": r.sql_per_request,
                "inprocess_ms": r.inprocess_ms,
            }
            for r in rows
        ],
        "checks": [c.__dict__ for c in found],
        "all_targets_met": all(c.passed for c in found),
        "skipped": skipped,
        "wall_time_s": round(time.perf_counter() - started, 1),
    }
    path = report.write_json(document, stamp)
    print(f"\nwritten {path.relative_to(REPO)}; wall time {document['wall_time_s']:.0f} s")
    if any(r.result.error_total for r in rows):
        # The server's tracebacks say why; the data directory holding them is about to go.
        kept = report.RESULTS_DIR / f"{stamp}-server.log"
        shutil.copyfile(log_path, kept)
        print(f"errors occurred: the server's log is kept in {kept.relative_to(REPO)}")
    return 0


def _not_built(s: scenarios.Scenario) -> str | None:
    """Why a scenario cannot run in this tree (its endpoint or its data missing), or None."""
    from django.urls import Resolver404, resolve

    if s.flow is not None:
        if not s.flow:
            return "no seeded procedure fits (province agency, online, two PDF components)"
        path = "/api/v1/dossiers"
    elif not s.requests:
        return "nothing to request (no seeded data for it)"
    else:
        path = urlsplit(s.requests[0].path).path
    try:
        resolve(path)
    except Resolver404:
        return None if s.optional else f"{path} does not exist in this tree (not built yet?)"
    return None


def _measure(s: scenarios.Scenario):
    from django.urls import Resolver404, resolve

    if s.flow is not None:
        return queries.measure_flow(s.flow)
    # An optional page that does not exist yet has nothing to count.
    try:
        resolve(urlsplit(s.requests[0].path).path)
    except Resolver404:
        return None
    return queries.measure(s.requests)


if __name__ == "__main__":
    sys.exit(main())
