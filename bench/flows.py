"""The submission scenario: whole submissions, each four dependent requests, under load.

wrk replays a list of independent requests; a submission is a chain (create a draft, upload
a file to each required component with the draft's id in the path, submit), so it gets its
own client here: ``concurrency`` asyncio workers, each on one HTTP/1.1 keep-alive connection
and one citizen's bearer token, each starting the next submission as soon as the previous one
has finished (closed loop). A submission counts when its last answer arrives inside the
measured window; any answer that is not 2xx, and any socket error or timeout, is an error and
ends that submission (its draft stays; the next run's start removes it).
"""

from __future__ import annotations

import asyncio
import contextlib
import http.client
import json
import random
import time
import zlib
from collections import Counter
from dataclasses import dataclass, field

from bench.cpu import CpuSampler
from bench.load import ERROR_KINDS, HOST, LoadConfig, LoadResult, read_response

STEPS = ("create", "upload", "submit")
PDF_BYTES = 500 * 1024


@dataclass(frozen=True)
class Upload:
    component: int
    body: bytes  # the whole multipart/form-data body, built once
    content_type: str


@dataclass(frozen=True)
class Plan:
    """One way to submit: a procedure, the citizen who submits, and what is uploaded."""

    procedure: str
    authorization: str
    create_body: bytes
    uploads: tuple[Upload, ...]

    @property
    def requests(self) -> int:
        return 2 + len(self.uploads)


@dataclass
class _Tally:
    flows: list[float] = field(default_factory=list)
    steps: dict[str, list[float]] = field(default_factory=lambda: {s: [] for s in STEPS})
    requests: int = 0
    errors: Counter = field(default_factory=Counter)
    statuses: Counter = field(default_factory=Counter)
    samples: list[str] = field(default_factory=list)


def pdf(size: int = PDF_BYTES, seed: int = 1) -> bytes:
    """A valid one-page PDF of about ``size`` bytes: an A4 page showing a greyscale image
    whose Flate stream is incompressible noise, as a scanned document mostly is. Byte offsets
    in the cross-reference table are exact (``pdfinfo`` reads it without complaint)."""
    width = 1000
    height = max(1, (size - 1200) // width)
    pixels = random.Random(seed).randbytes(width * height)
    # Level 0 stores the noise as is: compressing random bytes would only cost time.
    stream = zlib.compress(pixels, 0)
    content = f"q 595 0 0 {595 * height // width} 0 100 cm /Im0 Do Q".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /XObject << /Im0 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
        b"/BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n"
        % (width, height, len(stream))
        + stream
        + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def multipart(component: int, name: str, content: bytes, boundary: str) -> Upload:
    body = (
        (
            f"--{boundary}\r\n"
            'Content-Disposition: form-data; name="component"\r\n\r\n'
            f"{component}\r\n"
            f"--{boundary}\r\n"
            f'Content-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return Upload(component, body, f"multipart/form-data; boundary={boundary}")


def _request(method: str, path: str, port: int, headers: dict[str, str], body: bytes) -> bytes:
    head = {
        "Host": f"{HOST}:{port}",
        "User-Agent": "motcua-bench",
        "Accept": "application/json",
        **headers,
        "Content-Length": str(len(body)),
    }
    lines = "".join(f"{k}: {v}\r\n" for k, v in head.items())
    return f"{method} {path} HTTP/1.1\r\n{lines}\r\n".encode("latin-1") + body


def steps(plan: Plan, port: int):
    """The flow as (step name, expected status, request bytes or a function of the draft id)."""
    auth = {"Authorization": plan.authorization}
    yield (
        "create",
        201,
        _request(
            "POST",
            "/api/v1/dossiers",
            port,
            {**auth, "Content-Type": "application/json"},
            plan.create_body,
        ),
    )
    for upload in plan.uploads:
        yield (
            "upload",
            201,
            lambda draft, u=upload: _request(
                "POST",
                f"/api/v1/dossiers/{draft}/files",
                port,
                {**auth, "Content-Type": u.content_type},
                u.body,
            ),
        )
    yield (
        "submit",
        200,
        lambda draft: _request("POST", f"/api/v1/dossiers/{draft}/submit", port, auth, b""),
    )


async def _worker(
    number: int, port: int, plans: list[Plan], config: LoadConfig, start: float, tally: _Tally
) -> None:
    clock = time.perf_counter
    measure_from = start + config.warmup
    until = measure_from + config.duration
    # Two 500 KB uploads behind seven other submissions can take a while on 2 cores; a
    # timeout is still an error, just not a hair-trigger one.
    timeout = config.timeout * 2
    reader = writer = None
    turn = 0
    try:
        while clock() < until:
            plan = plans[turn % len(plans)]
            turn += 1
            flow_started = clock()
            draft = None
            timings: list[tuple[str, float]] = []
            failed = False
            for name, expected, build in steps(plan, port):
                if writer is None:
                    try:
                        reader, writer = await asyncio.wait_for(
                            asyncio.open_connection(HOST, port), timeout
                        )
                    except (OSError, TimeoutError):
                        if clock() >= measure_from:
                            tally.errors["connect"] += 1
                        failed = True
                        await asyncio.sleep(0.05)
                        break
                request = build if isinstance(build, bytes) else build(draft)
                started = clock()
                failure = None
                try:
                    writer.write(request)
                    status, keep_alive, body = await asyncio.wait_for(
                        read_response(reader, want_body=True), timeout
                    )
                except TimeoutError:
                    failure = "timeout"
                except (OSError, asyncio.IncompleteReadError, ValueError, IndexError):
                    failure = "read"
                finished = clock()
                in_window = started >= measure_from and finished <= until
                if failure:
                    if in_window:
                        tally.errors[failure] += 1
                    writer.close()
                    reader = writer = None
                    failed = True
                    break
                if in_window:
                    tally.requests += 1
                    tally.statuses[f"{name} {status}"] += 1
                timings.append((name, finished - started))
                if not keep_alive:
                    writer.close()
                    reader = writer = None
                if status != expected:
                    if in_window:
                        tally.errors["status"] += 1
                        if len(tally.samples) < 5:
                            tally.samples.append(f"{name} → {status}: {body[:300]!r}")
                    failed = True
                    break
                if name == "create":
                    draft = json.loads(body)["id"]
            done = clock()
            if not failed and measure_from <= done <= until:
                tally.flows.append(done - flow_started)
                for name, seconds in timings:
                    tally.steps[name].append(seconds)
    finally:
        if writer is not None:
            writer.close()


async def _run(
    port: int, plans: list[Plan], concurrency: int, config: LoadConfig, window: list[float]
) -> _Tally:
    tally = _Tally()
    # One citizen per worker, as in life: each worker cycles through its own citizen's plans.
    by_citizen: dict[str, list[Plan]] = {}
    for plan in plans:
        by_citizen.setdefault(plan.authorization, []).append(plan)
    groups = list(by_citizen.values())
    start = time.perf_counter()
    window[:] = [start + config.warmup, start + config.warmup + config.duration]
    await asyncio.gather(
        *(
            _worker(n, port, groups[n % len(groups)], config, start, tally)
            for n in range(concurrency)
        )
    )
    return tally


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def run(
    port: int,
    plans: list[Plan],
    config: LoadConfig,
    concurrency: int = 8,
    sampler: CpuSampler | None = None,
) -> LoadResult:
    """Submissions under load for ``config.warmup`` + ``config.duration`` seconds.

    ``rps`` is requests of completed submissions per second (requests per submission ×
    submissions per second), so it compares with /healthz's requests per second; the
    submission rate itself and per-step latencies are in ``extra``. With a ``sampler``,
    ``extra["cpu_ms"]`` is each process group's CPU per submission over the measured window."""
    window: list[float] = []
    with sampler or contextlib.nullcontext():
        tally = asyncio.run(_run(port, plans, concurrency, config, window))
    submissions = len(tally.flows)
    per_submission = sum(p.requests for p in plans) / len(plans)
    rate = submissions / config.duration
    usage = sampler.usage(*window) if sampler is not None else None
    return LoadResult(
        client=f"python submission client, {concurrency} concurrent",
        requests=tally.requests,
        seconds=float(config.duration),
        rps=rate * per_submission,
        p50_ms=_percentile(tally.flows, 0.50),
        p90_ms=_percentile(tally.flows, 0.90),
        p99_ms=_percentile(tally.flows, 0.99),
        max_ms=max(tally.flows) * 1000 if tally.flows else float("nan"),
        errors={k: tally.errors.get(k, 0) for k in ERROR_KINDS},
        extra={
            "submissions": submissions,
            "submissions_per_s": rate,
            "requests_per_submission": per_submission,
            "requests_answered_per_s": tally.requests / config.duration,
            "concurrency": concurrency,
            "latency_is": "whole submission (create, uploads, submit)",
            "steps": {
                name: {
                    "count": len(values),
                    "p50_ms": _percentile(values, 0.50),
                    "p99_ms": _percentile(values, 0.99),
                }
                for name, values in tally.steps.items()
            },
            "statuses": dict(tally.statuses),
            "error_samples": tally.samples,
            "cpu_ms": usage.per(rate) if usage else None,
            "cpu_processes": usage.processes if usage else None,
        },
    )


def probe(port: int, plan: Plan) -> tuple[list[tuple[str, int]], str]:
    """One submission, one request at a time: the status of each step and what the last
    answer said (the new dossier's code, or the error)."""
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    answers = []
    draft = None
    body = b""
    try:
        for name, expected, build in steps(plan, port):
            raw = build if isinstance(build, bytes) else build(draft)
            head, _, payload = raw.partition(b"\r\n\r\n")
            first, *header_lines = head.decode("latin-1").split("\r\n")
            method, path, _ = first.split(" ", 2)
            headers = dict(line.split(": ", 1) for line in header_lines)
            headers.pop("Host", None)
            conn.request(method, path, body=payload, headers=headers)
            response = conn.getresponse()
            body = response.read()
            answers.append((name, response.status))
            if response.status != expected:
                break
            if name == "create":
                draft = json.loads(body)["id"]
    finally:
        conn.close()
    return answers, body[:300].decode("utf-8", "replace")
