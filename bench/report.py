"""Turn measurements into the table, the target verdicts and bench/results/latest.json."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

RESULTS_DIR = Path(__file__).resolve().parent / "results"


@dataclass
class Row:
    label: str
    scenario: str
    result: object  # load.LoadResult
    sql_per_request: float | None = None
    inprocess_ms: float | None = None
    ratio: float | None = None


@dataclass
class Check:
    scenario: str
    what: str
    measured: str
    passed: bool


def baseline_rps(rows: list[Row]) -> float:
    values = [r.result.rps for r in rows if r.scenario == "healthz"]
    return sum(values) / len(values)


def checks(rows: list[Row], scenarios) -> list[Check]:
    by_name = {r.scenario: r for r in rows if r.scenario != "healthz"}
    found = []
    for s in scenarios:
        row = by_name.get(s.name)
        max_cpu = getattr(s, "max_cpu_ms", None)
        # ``checked``: a scenario held to no figure but to answering without an error (accept).
        unheld = s.min_ratio is None and s.max_p99_ms is None and max_cpu is None
        if row is None or (unheld and not getattr(s, "checked", False)):
            continue
        res = row.result
        if s.min_ratio is not None:
            found.append(
                Check(
                    s.name,
                    f"req/s ≥ {s.min_ratio:g} × healthz",
                    f"{row.ratio:.2f} × healthz",
                    row.ratio >= s.min_ratio,
                )
            )
        if s.max_p99_ms is not None:
            found.append(
                Check(
                    s.name,
                    f"p99 < {s.max_p99_ms:g} ms",
                    f"{res.p99_ms:.1f} ms",
                    res.p99_ms < s.max_p99_ms,
                )
            )
        if max_cpu is not None:
            spent = (res.extra.get("cpu_ms") or {}).get("total")
            found.append(
                Check(
                    s.name,
                    f"CPU ≤ {max_cpu:g} ms per submission (server + PostgreSQL + client)",
                    "not measured" if spent is None else f"{spent:.1f} ms",
                    spent is not None and spent <= max_cpu,
                )
            )
        # A fast answer that is an error proves nothing.
        found.append(Check(s.name, "no errors", f"{res.error_total} errors", res.error_total == 0))
    return found


def _fmt(value: float | None, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    return f"{value:,.{digits}f}"


def cpu_per_request(row: Row) -> float | None:
    """The whole CPU (server, PostgreSQL, client) per request under load; a submission's is
    divided by its requests, like the in-process columns."""
    spent = (row.result.extra.get("cpu_ms") or {}).get("total")
    if spent is None:
        return None
    return spent / row.result.extra.get("requests_per_submission", 1)


def cpu_line(cpu: dict[str, float], unit: str) -> str:
    return (
        f"CPU per {unit} by process group: server {cpu['server']:.1f} ms, PostgreSQL "
        f"{cpu['postgres'] + cpu['postgres_shared']:.1f} ms (bench database's backends "
        f"{cpu['postgres']:.1f}, cluster's WAL writer/checkpointer/… {cpu['postgres_shared']:.1f}),"
        f" load client {cpu['client']:.1f} ms = {cpu['total']:.1f} ms; all CPUs together "
        f"{cpu['machine']:.1f} ms (whatever else runs on the machine included)"
    )


def table(rows: list[Row]) -> str:
    header = [
        "scenario",
        "req/s",
        "p50 ms",
        "p99 ms",
        "errors",
        "× healthz",
        "SQL/req",
        "1-thread ms",
        "CPU ms/req",
    ]
    lines = [
        [
            r.label,
            _fmt(r.result.rps, 0),
            _fmt(r.result.p50_ms, 2),
            _fmt(r.result.p99_ms, 2),
            str(r.result.error_total),
            _fmt(r.ratio, 2),
            _fmt(r.sql_per_request, 1),
            _fmt(r.inprocess_ms, 2),
            _fmt(cpu_per_request(r), 2),
        ]
        for r in rows
    ]
    widths = [max(len(h), *(len(line[i]) for line in lines)) for i, h in enumerate(header)]

    def render(cells):
        return "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        )

    rule = "-" * len(render(header))
    return "\n".join([rule, render(header), rule, *(render(line) for line in lines), rule])


def submission_details(row: Row, base: float, measured=None) -> str:
    """The submission row in its own units: submissions per second as well as requests, the
    ratio to /healthz both ways, and each step's latency under load and alone in-process."""
    x = row.result.extra
    per = x["requests_per_submission"]
    rate = x["submissions_per_s"]
    lines = [
        f"{row.label}: {x['submissions']} submissions in {row.result.seconds:.0f} s = "
        f"{rate:.2f} submissions/s = {per:g} × {rate:.2f} = {row.result.rps:.1f} requests/s "
        f"→ {row.result.rps / base:.3f} × healthz in requests/s (the target's unit), "
        f"{rate / base:.4f} × healthz in submissions/s; "
        f"{x['concurrency']} concurrent citizens, p50/p99 above are whole submissions",
    ]
    if x.get("cpu_ms"):
        lines.append("  " + cpu_line(x["cpu_ms"], "submission"))
    for name, step in x["steps"].items():
        alone = ""
        if measured is not None and name in getattr(measured, "steps", {}):
            sql, ms = measured.steps[name]
            alone = f"; alone in-process {sql:.0f} SQL, {ms:.1f} ms per submission"
        lines.append(
            f"  {name:7} {step['count']:5} answers, p50 {_fmt(step['p50_ms'], 1)} ms, "
            f"p99 {_fmt(step['p99_ms'], 1)} ms{alone}"
        )
    if x["error_samples"]:
        lines.append("  first errors: " + " | ".join(x["error_samples"]))
    return "\n".join(lines)


def verdicts(found: list[Check]) -> str:
    lines = []
    for c in found:
        lines.append(
            f"  {'PASS' if c.passed else 'FAIL'}  {c.scenario}: {c.what}  (measured {c.measured})"
        )
    missed = [c for c in found if not c.passed]
    if missed:
        banner = "!" * 78
        lines += ["", banner, f"!!! {len(missed)} TARGET(S) MISSED:"]
        lines += [f"!!!   {c.scenario}: {c.what} — measured {c.measured}" for c in missed]
        lines.append(banner)
    else:
        lines += ["", "All targets met."]
    return "\n".join(lines)


def write_json(document: dict, stamp: str) -> Path:
    RESULTS_DIR.mkdir(exist_ok=True)
    text = json.dumps(document, ensure_ascii=False, indent=2, default=str)
    (RESULTS_DIR / f"{stamp}.json").write_text(text + "\n")
    latest = RESULTS_DIR / "latest.json"
    latest.write_text(text + "\n")
    return latest
