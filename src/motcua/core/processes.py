"""Child processes that stop when they are told to, and with their parent.

``motcua demo`` runs the web server and the task worker as children. Stopping it in any
way (Ctrl-C, SIGTERM, SIGHUP, its terminal closing, even SIGKILL) must stop them too,
within seconds on a busy machine. Three things made that slow or impossible:

- the children shared the demo's process group, so a terminal's SIGHUP made granian
  respawn its workers instead of stopping, and nothing forwarded a signal sent to the
  demo's pid alone;
- the demo waited for its children one after the other, ten seconds each;
- every Python process spent seconds of a loaded machine's time in interpreter
  finalisation (collecting and freeing every module of a Django project) after it had
  already finished its work.
"""

import contextlib
import ctypes
import logging
import os
import signal
import subprocess
import sys
import time

# linux/prctl.h
_PR_SET_PDEATHSIG = 1


def die_with_parent(sig: int = signal.SIGTERM, parent_pid: int | None = None) -> None:
    """Ask the kernel to send ``sig`` to this process when its parent dies.

    Linux only (elsewhere a no-op). The setting survives exec but not fork, so a process
    calls it for itself, usually in ``preexec_fn`` or an ``os.register_at_fork`` hook. If
    the parent is already gone by then (``parent_pid`` given and no longer the parent), the
    process exits at once rather than run on as an orphan.
    """
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, int(sig), 0, 0, 0)
    if parent_pid is not None and os.getppid() != parent_pid:
        os._exit(1)


def exit_promptly(code: object = 0) -> None:
    """End this process now: flush what it wrote, close its database connections, and skip
    interpreter finalisation.

    Finalisation only frees memory the kernel takes back anyway, and it measured 1–3 s of
    wall time per process on a loaded two-core machine: for a supervisor waiting on its
    children, then exiting itself, that alone broke a five-second stop.
    """
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:
        with contextlib.suppress(OSError, ValueError):
            print(code, file=sys.stderr)
        status = 1
    with contextlib.suppress(Exception):
        from django.db import connections

        connections.close_all()
    with contextlib.suppress(Exception):
        logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        # A closed terminal answers EIO; there is nobody left to tell.
        with contextlib.suppress(OSError, ValueError, AttributeError):
            stream.flush()
    os._exit(status)


def start_child(args: list[str], env: dict) -> subprocess.Popen:
    """Start ``args`` in its own process group, to be stopped by ``stop_children``.

    Its own group: a signal for the child reaches the processes it forks too (granian's
    workers), and a terminal's SIGINT or SIGHUP reaches only the supervisor, which decides
    how its children stop. With the supervisor's death the child receives SIGTERM, so even
    a supervisor killed with SIGKILL leaves nothing running.
    """
    parent = os.getpid()
    return subprocess.Popen(  # noqa: S603 (our own commands, no shell)
        args,
        env=env,
        process_group=0,
        preexec_fn=lambda: die_with_parent(signal.SIGTERM, parent),
    )


def _signal_group(child: subprocess.Popen, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(child.pid, sig)


def stop_children(children, grace: float, hurry=lambda: False) -> None:
    """SIGTERM every child's process group at once, wait at most ``grace`` seconds for
    them all together, then SIGKILL whatever is left, and reap them.

    ``hurry()`` returning true (a second Ctrl-C) skips the rest of the grace period.
    """
    for child in children:
        if child.poll() is None:
            _signal_group(child, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and not hurry():
        if all(child.poll() is not None for child in children):
            break
        time.sleep(0.05)
    # Also when the group's leader has exited: a process it forked may still hold the port.
    for child in children:
        _signal_group(child, signal.SIGKILL)
    for child in children:
        child.wait()
