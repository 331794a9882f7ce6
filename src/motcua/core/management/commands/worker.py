"""``motcua worker``: runs queued tasks and the periodic jobs.

django-tasks has no scheduler of its own, so a small thread enqueues the periodic jobs on
their intervals while the database worker runs them beside the tasks that requests
enqueue: the outbox sweep every 30 seconds, the draft, orphan-file and
idempotency-record clean-ups hourly, the procedures' popularity for search daily.
Several workers may run at once: tasks are claimed with row locks, and the periodic jobs
are safe to run twice.
"""

import threading
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand

from motcua.core.processes import exit_promptly

TICK_SECONDS = 30
HOURLY = 3600
DAILY = 24 * HOURLY


def periodic_jobs() -> list[tuple[object, float]]:
    """(task, seconds between runs). Imported here: the apps are not ready at module load."""
    from motcua.api.tasks import purge_idempotency_records
    from motcua.catalog.tasks import refresh_popularity
    from motcua.dossiers.tasks import purge_abandoned_drafts, purge_orphan_files
    from motcua.notifications.tasks import sweep_outbox

    return [
        (sweep_outbox, TICK_SECONDS),
        (purge_abandoned_drafts, HOURLY),
        (purge_orphan_files, HOURLY),
        (purge_idempotency_records, HOURLY),
        (refresh_popularity, DAILY),
    ]


def enqueue_due(jobs, last_run: dict[str, float], now: float) -> list[str]:
    """Enqueue each job whose interval has passed since it was last enqueued, and record when.

    A job never enqueued yet is due at once, so a worker restarted more often than hourly
    (deploys) still runs the hourly jobs. A failed enqueue is not recorded, so the job is
    tried again at the next tick rather than an interval later.
    """
    enqueued = []
    for job, every in jobs:
        previous = last_run.get(job.module_path)
        if previous is not None and now - previous < every:
            continue
        try:
            job.enqueue()
        except Exception as exc:  # the database may be restarting; try again next tick
            print(f"Không thể xếp lịch công việc định kỳ {job.name}: {exc}")
            continue
        last_run[job.module_path] = now
        enqueued.append(job.name)
    return enqueued


def _schedule(stop: threading.Event) -> None:
    jobs = periodic_jobs()
    # Monotonic time: a wall-clock jump (NTP, daylight saving elsewhere) neither skips nor
    # repeats a run.
    last_run: dict[str, float] = {}
    while not stop.wait(TICK_SECONDS):
        enqueue_due(jobs, last_run, time.monotonic())


class Command(BaseCommand):
    help = "Chạy tiến trình xử lý công việc nền (gửi thư, công việc định kỳ)."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0)

    def handle(self, *args, **opts):
        from motcua.notifications.services import deliver_due

        deliver_due()
        stop = threading.Event()
        thread = threading.Thread(target=_schedule, args=(stop,), daemon=True)
        thread.start()
        code = 0
        try:
            call_command(
                "db_worker",
                queue_name="*",
                interval=opts["interval"],
                reload=False,
                startup_delay=False,
                verbosity=opts.get("verbosity", 1),
            )
        except SystemExit as stopped:  # db_worker's answer to SIGTERM and SIGINT
            code = stopped.code
        finally:
            stop.set()
        # The task in hand is finished or rolled back: skip the seconds that interpreter
        # finalisation takes on a busy machine, so a supervisor's stop is prompt.
        exit_promptly(code)
