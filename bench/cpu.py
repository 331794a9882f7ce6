"""CPU time spent by each process group during a measured window, read from ``/proc``.

What a submission costs is the whole machine's CPU, not one request's wall time: the server
parses and stores the upload, PostgreSQL runs the statements and writes the WAL, the load
client builds and reads the HTTP. Each group is summed over its processes:

- **server**: every process of the server's process group (``motcua serve``, granian's
  workers), which the harness started in a session of its own;
- **PostgreSQL**: the backends connected to the bench database (their process title names
  it), plus the cluster's own processes (WAL writer, checkpointer, background writer,
  autovacuum), which also serve whatever else uses the same server at the time;
- **client**: the harness process (the submission client runs in it), less the sampling
  thread's own time, and its children (wrk).

A background thread samples every process's ``utime + stime`` twice a second, so a backend
that ends during the window (the server recycles its connections, ``CONN_MAX_AGE``) keeps
what it had used when last seen, and one that starts during it counts from zero. Linux only;
elsewhere nothing is measured and the report says so.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass, field

from bench import pg

PROC = "/proc"
GROUPS = ("server", "postgres", "postgres_shared", "client")
# The PostgreSQL processes that serve the whole cluster, not one database.
_SHARED_TITLES = (
    "checkpointer",
    "background writer",
    "walwriter",
    "autovacuum",
    "logical replication",
    "stats collector",
)


def available() -> bool:
    return os.path.exists(f"{PROC}/self/stat")


def _stat(pid: int) -> tuple[int, int, int] | None:
    """(utime + stime in clock ticks, parent, process group) of ``pid``, or None when it is
    gone."""
    try:
        with open(f"{PROC}/{pid}/stat", "rb") as f:
            text = f.read()
    except OSError:
        return None
    # The command name (field 2) may hold spaces and parentheses: split after its last ")".
    fields = text[text.rindex(b")") + 2 :].split()
    return int(fields[11]) + int(fields[12]), int(fields[1]), int(fields[2])


def _title(pid: int) -> str:
    try:
        with open(f"{PROC}/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode("utf-8", "replace").strip()
    except OSError:
        return ""


def _machine_busy_ticks() -> int:
    """All CPUs' non-idle time so far (``/proc/stat``), everything running included."""
    with open(f"{PROC}/stat") as f:
        values = [int(v) for v in f.readline().split()[1:]]
    idle = values[3] + (values[4] if len(values) > 4 else 0)  # idle + iowait
    # guest time is already counted in user time.
    return sum(values[:8]) - idle


@dataclass
class CpuUsage:
    """CPU seconds of each group over ``seconds`` of wall time."""

    seconds: float
    groups: dict[str, float]
    machine: float
    processes: dict[str, int] = field(default_factory=dict)

    def per(self, rate: float) -> dict[str, float]:
        """Milliseconds of each group (and their ``total``) per unit of work, for work done
        at ``rate`` units a second: the load is steady (closed loop), so the group's CPU rate
        over the sampled span divided by the work's rate."""
        if not rate or not self.seconds:
            return {}
        per = {name: 1000 * value / self.seconds / rate for name, value in self.groups.items()}
        per["total"] = sum(per.values())
        per["machine"] = 1000 * self.machine / self.seconds / rate
        return per


class CpuSampler:
    """Sample the groups' CPU time in a thread; ``usage(t0, t1)`` gives what each group used
    between two ``time.perf_counter()`` instants inside the sampled span."""

    def __init__(self, server_pgid: int, database: str = pg.BENCH_DB, interval: float = 0.5):
        self.server_pgid = server_pgid
        self.database = database
        self.interval = interval
        self.me = os.getpid()
        self.tick = os.sysconf("SC_CLK_TCK")
        self._kinds: dict[int, str | None] = {}
        # (perf_counter, {pid: (group, ticks)}, machine busy ticks, client ticks to exclude)
        self.samples: list[tuple[float, dict[int, tuple[str, int]], int, float]] = []
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _kind(self, pid: int, parent: int, pgrp: int) -> str | None:
        if pid == self.me or parent == self.me:
            return "client"
        if pgrp == self.server_pgid:
            return "server"
        if pid not in self._kinds:
            title = _title(pid)
            kind = None
            if title.startswith("postgres:"):
                if f" {self.database} " in f"{title} ":
                    kind = "postgres"
                elif any(t in title for t in _SHARED_TITLES):
                    kind = "postgres_shared"
            self._kinds[pid] = kind
        return self._kinds[pid]

    def sample(self) -> None:
        seen: dict[int, tuple[str, int]] = {}
        for name in os.listdir(PROC):
            if not name.isdigit():
                continue
            pid = int(name)
            found = _stat(pid)
            if found is None:
                continue
            kind = self._kind(pid, found[1], found[2])
            if kind is not None:
                seen[pid] = (kind, found[0])
        self.samples.append((time.perf_counter(), seen, _machine_busy_ticks(), time.thread_time()))

    def _loop(self) -> None:
        # Every sample is taken in this thread, so ``thread_time`` is the sampling's own cost.
        self.sample()
        self._started.set()
        while not self._stop.wait(self.interval):
            self.sample()
        self.sample()

    def __enter__(self) -> CpuSampler:
        self._started = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="cpu-sampler", daemon=True)
        self._thread.start()
        self._started.wait()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def usage(self, start: float, end: float) -> CpuUsage | None:
        """CPU of each group between the last sample at or before ``start`` and the first at
        or after ``end``; None when the samples do not cover the span."""
        before = [s for s in self.samples if s[0] <= start]
        after = [s for s in self.samples if s[0] >= end]
        if not before or not after:
            return None
        first, last = before[-1], after[0]
        inside = [s for s in self.samples if first[0] <= s[0] <= last[0]]
        # Each process's last reading in the span, minus its reading at the start (zero for
        # one that started later).
        latest: dict[int, tuple[str, int]] = {}
        for _, seen, _, _ in inside:
            latest.update(seen)
        groups = dict.fromkeys(GROUPS, 0.0)
        counted: dict[str, int] = dict.fromkeys(GROUPS, 0)
        for pid, (kind, ticks) in latest.items():
            used = ticks - first[1].get(pid, (kind, 0))[1]
            groups[kind] += used / self.tick
            counted[kind] += 1
        # The sampling thread runs in the client's process: its own time is not the client's.
        groups["client"] = max(0.0, groups["client"] - (last[3] - first[3]))
        return CpuUsage(
            seconds=last[0] - first[0],
            groups=groups,
            machine=(last[2] - first[2]) / self.tick,
            processes=counted,
        )
