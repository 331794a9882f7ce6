"""Load generators: ``wrk`` when it is installed (or installable), else a Python keep-alive client.

Both keep a fixed number of HTTP/1.1 keep-alive connections busy for a fixed time, each
connection sending the next request of the scenario's list as soon as the previous answer has
arrived (closed loop), and report requests per second, latency percentiles and errors. Errors
are what wrk counts: responses with a status of 400 or more, and connect/read/write failures
and timeouts. Only 127.0.0.1 is ever targeted.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import multiprocessing
import os
import re
import shutil
import subprocess
import tempfile
import time
from array import array
from collections import Counter
from dataclasses import asdict, dataclass, field

HOST = "127.0.0.1"
ERROR_KINDS = ("status", "connect", "read", "write", "timeout")


@dataclass(frozen=True)
class Request:
    path: str
    method: str = "GET"
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


@dataclass(frozen=True)
class LoadConfig:
    duration: int = 12
    warmup: int = 3
    connections: int = 16
    threads: int = 2
    timeout: int = 5


@dataclass
class LoadResult:
    client: str
    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    errors: dict[str, int]
    # Scenario-specific figures (the submission client's submissions per second and steps).
    extra: dict = field(default_factory=dict)

    @property
    def error_total(self) -> int:
        return sum(self.errors.values())

    def as_dict(self) -> dict:
        return {**asdict(self), "error_total": self.error_total}


def ensure_wrk(log=print) -> str | None:
    """Path of wrk; installs Debian's package when running as root on a machine with apt."""
    found = shutil.which("wrk")
    if found or os.geteuid() != 0 or not shutil.which("apt-get"):
        return found
    log("wrk is not installed: installing the Debian package (apt-get install -y wrk)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "-q", "--no-install-recommends", "wrk"]
    try:
        if subprocess.run(install, env=env, capture_output=True, timeout=300).returncode != 0:
            # A fresh machine's package lists may be empty or stale.
            subprocess.run(["apt-get", "update", "-q"], env=env, capture_output=True, timeout=300)
            subprocess.run(install, env=env, capture_output=True, timeout=300)
    except (OSError, subprocess.TimeoutExpired) as exc:
        log(f"installing wrk failed: {exc}")
    return shutil.which("wrk")


def run(
    client: str,
    port: int,
    requests: list[Request],
    config: LoadConfig,
    wrk: str | None = None,
    sampler=None,
) -> LoadResult:
    """With a ``sampler`` (``bench.cpu.CpuSampler``) and wrk, ``extra["cpu_ms"]`` is each
    process group's CPU per request of the measured run."""
    if client == "wrk":
        # The measured run starts half a thread's share further on than the warm-up did, so
        # a long list's measured requests are not the ones the warm-up just asked (and that
        # an answer cache would still hold).
        if config.warmup > 0:
            _run_wrk(wrk or "wrk", port, requests, config, config.warmup, 0)
        share = len(requests) // max(1, config.threads)
        if sampler is None:
            return _run_wrk(wrk or "wrk", port, requests, config, config.duration, share // 2)
        with sampler:
            result = _run_wrk(wrk or "wrk", port, requests, config, config.duration, share // 2)
        # The whole sampled span: the load starts and ends inside it, and the idle edges
        # add next to nothing.
        usage = sampler.usage(sampler.samples[0][0], sampler.samples[-1][0])
        if usage is not None and result.requests:
            result.extra["cpu_ms"] = usage.per(result.requests / usage.seconds)
        return result
    return _run_python(port, requests, config)


# --- wrk ----------------------------------------------------------------------------------

_LUA = """
local parts = {}
%(parts)s
local raw = {}
for _, part in ipairs(parts) do
  for _, r in ipairs(part()) do raw[#raw + 1] = r end
end
local reqs = {}
local counter = 0

function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
end

function init(args)
  for k, r in ipairs(raw) do
    reqs[k] = wrk.format(r[1], r[2], r[3], r[4])
  end
  -- Each thread starts at its own share of the list (plus the run's offset), so that in a
  -- long list no request repeats until the whole list has gone round.
  local threads = tonumber(args[2]) or 1
  idx = ((tonumber(args[1]) or 0) + (tid or 0) * math.floor(#reqs / threads)) %% #reqs
end

function request()
  idx = idx %% #reqs + 1
  return reqs[idx]
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH_RESULT requests=%%d duration_us=%%d p50=%%d p90=%%d p99=%%d max=%%d " ..
    "status=%%d connect=%%d read=%%d write=%%d timeout=%%d\\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, e.status, e.connect, e.read, e.write, e.timeout))
end
"""


LUA_CHUNK = 1000


def _lua_string(value: str | bytes) -> str:
    data = value.encode() if isinstance(value, str) else value
    return (
        '"'
        + "".join(chr(b) if 32 <= b < 127 and b not in (34, 92) else f"\\{b:03d}" for b in data)
        + '"'
    )


def _lua_script(requests: list[Request]) -> str:
    entries = []
    for r in requests:
        headers = (
            "{"
            + ", ".join(f"[{_lua_string(k)}] = {_lua_string(v)}" for k, v in r.headers.items())
            + "}"
        )
        body = _lua_string(r.body) if r.body else "nil"
        entries.append(f"{{{_lua_string(r.method)}, {_lua_string(r.path)}, {headers}, {body}}}")
    # Lua allows at most 65,536 constants per function, and a long request list (100,000
    # tracking requests with their own headers) has more: one function per thousand entries.
    parts = []
    for n in range(0, len(entries), LUA_CHUNK):
        chunk = ",\n    ".join(entries[n : n + LUA_CHUNK])
        parts.append(f"parts[#parts + 1] = function()\n  return {{{chunk}}}\nend")
    return _LUA % {"parts": "\n".join(parts)}


def _run_wrk(
    wrk: str, port: int, requests: list[Request], config: LoadConfig, seconds: int, offset: int
) -> LoadResult:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", prefix="motcua-bench-") as script:
        script.write(_lua_script(requests))
        script.flush()
        command = [
            wrk,
            "--threads",
            str(config.threads),
            "--connections",
            str(config.connections),
            "--duration",
            f"{max(1, seconds)}s",
            "--timeout",
            f"{config.timeout}s",
            "--latency",
            "--script",
            script.name,
            f"http://{HOST}:{port}",
            "--",
            str(offset),
            str(config.threads),
        ]
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=seconds + config.timeout + 30
        )
    match = re.search(r"^BENCH_RESULT (.*)$", done.stdout, re.MULTILINE)
    if done.returncode != 0 or not match:
        raise RuntimeError(f"wrk failed (exit {done.returncode}):\n{done.stdout}\n{done.stderr}")
    v = {k: int(n) for k, n in (pair.split("=") for pair in match.group(1).split())}
    duration = v["duration_us"] / 1e6
    return LoadResult(
        client="wrk",
        requests=v["requests"],
        seconds=round(duration, 3),
        rps=v["requests"] / duration,
        p50_ms=v["p50"] / 1000,
        p90_ms=v["p90"] / 1000,
        p99_ms=v["p99"] / 1000,
        max_ms=v["max"] / 1000,
        errors={k: v[k] for k in ERROR_KINDS},
    )


# --- Python fallback ----------------------------------------------------------------------


def _run_python(port: int, requests: list[Request], config: LoadConfig) -> LoadResult:
    """One process per load thread (like wrk's threads), each an asyncio loop driving its share
    of the connections. The client is slower than wrk and competes for the same 2 cores, so
    its absolute numbers are lower; the ratio to /healthz stays comparable within a run."""
    raw = [_raw_request(r, port) for r in requests]
    processes = max(1, min(config.threads, config.connections))
    shares = [
        config.connections // processes + (1 if i < config.connections % processes else 0)
        for i in range(processes)
    ]
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(processes, mp_context=context) as pool:
        futures = [
            pool.submit(_python_worker, port, raw, share, index * len(raw) // processes, config)
            for index, share in enumerate(shares)
        ]
        parts = [
            f.result(timeout=config.warmup + config.duration + config.timeout + 60) for f in futures
        ]
    latencies = sorted(x for part, _ in parts for x in part)
    errors = Counter()
    for _, part_errors in parts:
        errors.update(part_errors)
    count = len(latencies)

    def pct(q: float) -> float:
        return latencies[min(count - 1, int(q * count))] * 1000 if count else float("nan")

    return LoadResult(
        client="python",
        requests=count,
        seconds=float(config.duration),
        rps=count / config.duration,
        p50_ms=pct(0.50),
        p90_ms=pct(0.90),
        p99_ms=pct(0.99),
        max_ms=latencies[-1] * 1000 if count else float("nan"),
        errors={k: errors.get(k, 0) for k in ERROR_KINDS},
    )


def _raw_request(r: Request, port: int) -> bytes:
    headers = {"Host": f"{HOST}:{port}", "User-Agent": "motcua-bench", "Accept": "*/*", **r.headers}
    if r.body or r.method not in ("GET", "HEAD"):
        headers["Content-Length"] = str(len(r.body))
    head = (
        f"{r.method} {r.path} HTTP/1.1\r\n"
        + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        + "\r\n"
    )
    return head.encode("latin-1") + r.body


def _python_worker(port: int, raw: list[bytes], connections: int, offset: int, config: LoadConfig):
    return asyncio.run(_python_load(port, raw, connections, offset, config))


async def read_response(
    reader: asyncio.StreamReader, want_body: bool = False
) -> tuple[int, bool, bytes]:
    """(status, whether the connection stays open, the body when ``want_body``)."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split(b" ", 2)[1])
    length, chunked, keep_alive = None, False, True
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        name, value = name.strip().lower(), value.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"transfer-encoding":
            chunked = b"chunked" in value
        elif name == b"connection":
            keep_alive = value != b"close"
    body = bytearray()
    if chunked:
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            chunk = await reader.readexactly(size + 2)
            if want_body:
                body += chunk[:-2]
            if size == 0:
                break
    elif length is not None:
        data = await reader.readexactly(length)
        if want_body:
            body += data
    elif status >= 200 and status not in (204, 304):
        data = await reader.read()
        if want_body:
            body += data
        keep_alive = False
    return status, keep_alive, bytes(body)


async def _python_load(
    port: int, raw: list[bytes], connections: int, offset: int, config: LoadConfig
):
    clock = time.perf_counter
    measure_from = clock() + config.warmup
    until = measure_from + config.duration
    latencies = array("d")
    errors: Counter[str] = Counter()
    # One position per process, shared by its connections (as wrk shares one per thread):
    # no request repeats before the list has gone round.
    position = [offset]

    async def connection(number: int) -> None:
        reader = writer = None
        while clock() < until:
            if writer is None:
                try:
                    reader, writer = await asyncio.wait_for(
                        asyncio.open_connection(HOST, port), config.timeout
                    )
                except (OSError, TimeoutError):
                    if clock() >= measure_from:
                        errors["connect"] += 1
                    await asyncio.sleep(0.05)
                    continue
            request = raw[position[0] % len(raw)]
            position[0] += 1
            started = clock()
            failure = None
            try:
                writer.write(request)
                status, keep_alive, _ = await asyncio.wait_for(
                    read_response(reader), config.timeout
                )
            except TimeoutError:
                failure, keep_alive = "timeout", False
            except (
                OSError,
                asyncio.IncompleteReadError,
                asyncio.LimitOverrunError,
                ValueError,
                IndexError,
            ):
                failure, keep_alive = "read", False
            finished = clock()
            if measure_from <= started and finished <= until:
                if failure:
                    errors[failure] += 1
                else:
                    latencies.append(finished - started)
                    if status >= 400:
                        errors["status"] += 1
            if not keep_alive:
                writer.close()
                reader = writer = None
        if writer is not None:
            writer.close()

    await asyncio.gather(*(connection(n) for n in range(connections)))
    return latencies, dict(errors)
