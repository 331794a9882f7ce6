"""Dossier codes under load: 200 submissions racing for one agency's counter on one day get
0001..0200, each once, with no gap (docs/domain.md). Real threads, each with its own
database connection: on PostgreSQL they queue on the counter row's lock, on SQLite on the
IMMEDIATE write lock with the busy timeout of the settings."""

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connections, transaction
from django.utils import timezone

from motcua.dossiers import services
from motcua.dossiers.codes import next_code
from motcua.dossiers.models import CodeCounter, Dossier, DossierEvent, DossierFile, Status
from tests.factories import ProcedureVersionFactory, UserFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SUBMISSIONS = 200
THREADS = 16


def _ready_drafts(n):
    version = ProcedureVersionFactory(procedure__code="1.004650")
    required = version.components.get(required=True)
    drafts = []
    for _ in range(n):
        owner = UserFactory()
        draft = services.create_draft(owner=owner, procedure_code=version.procedure.code)
        services.update_draft(draft, actor=owner, delivery=services.Delivery(method="counter"))
        services.add_file(draft, actor=owner, component_id=required.pk, name="don.pdf", content=PDF)
        drafts.append((draft, owner))
    return version, drafts


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_get_distinct_consecutive_codes():
    version, drafts = _ready_drafts(SUBMISSIONS)
    agency = version.agency.code
    day = timezone.localdate()
    start = threading.Barrier(THREADS)
    per_thread = [drafts[i::THREADS] for i in range(THREADS)]

    def run(mine):
        # Each thread has its own connection (Django's are per thread); all start together
        # so that the submissions really overlap.
        try:
            start.wait()
            return [services.submit(draft, owner).code for draft, owner in mine]
        finally:
            connections.close_all()

    with ThreadPoolExecutor(THREADS) as pool:
        codes = [code for chunk in pool.map(run, per_thread) for code in chunk]

    if timezone.localdate() != day:  # the run crossed midnight: the counter restarted
        pytest.skip("lần chạy vắt qua nửa đêm")
    assert sorted(codes) == [f"{agency}-{day:%y%m%d}-{n:04d}" for n in range(1, SUBMISSIONS + 1)]
    assert (
        Dossier.objects.filter(status=Status.SUBMITTED, code__isnull=False).count() == SUBMISSIONS
    )
    assert DossierEvent.objects.filter(action="submit").count() == SUBMISSIONS
    assert CodeCounter.objects.get(agency_code=agency, day=day).last == SUBMISSIONS
    assert DossierFile.objects.count() == SUBMISSIONS


# --- next_code on its own --------------------------------------------------------------------

DAY = dt.date(2026, 3, 9)


@pytest.mark.django_db(transaction=True)
def test_rolled_back_submission_returns_its_number():
    with transaction.atomic():
        assert next_code("H48.13", DAY) == "H48.13-260309-0001"
    try:
        with transaction.atomic():
            assert next_code("H48.13", DAY) == "H48.13-260309-0002"
            raise RuntimeError("the submission failed after taking its number")
    except RuntimeError:
        pass
    assert next_code("H48.13", DAY) == "H48.13-260309-0002"


@pytest.mark.django_db
def test_a_new_day_restarts_at_one():
    assert next_code("H48.13", DAY) == "H48.13-260309-0001"
    assert next_code("H48.13", DAY) == "H48.13-260309-0002"
    assert next_code("H48.13", DAY + dt.timedelta(days=1)) == "H48.13-260310-0001"
    assert next_code("H48.13", DAY) == "H48.13-260309-0003"


@pytest.mark.django_db
def test_each_agency_has_its_own_sequence():
    assert next_code("H48.13", DAY) == "H48.13-260309-0001"
    assert next_code("000.00.13.H48", DAY) == "000.00.13.H48-260309-0001"
    assert next_code("H48.40.01", DAY) == "H48.40.01-260309-0001"
    assert next_code("H48.13", DAY) == "H48.13-260309-0002"


@pytest.mark.django_db
def test_after_9999_the_number_grows_to_five_digits():
    CodeCounter.objects.create(agency_code="H48.13", day=DAY, last=9998)
    assert next_code("H48.13", DAY) == "H48.13-260309-9999"
    assert next_code("H48.13", DAY) == "H48.13-260309-10000"
    assert next_code("H48.13", DAY) == "H48.13-260309-10001"


@pytest.mark.django_db(transaction=True)
def test_a_waiting_submission_gets_the_next_number_after_a_commit():
    """A second connection that asks while the first holds the counter waits for it and gets
    the following number; on SQLite the second writer waits at BEGIN IMMEDIATE."""
    taken = threading.Event()
    release = threading.Event()
    results = {}
    committed = []

    def first():
        try:
            with transaction.atomic():
                results["first"] = next_code("H48.13", DAY)
                taken.set()
                release.wait(10)
            committed.append("first")
        finally:
            connections.close_all()

    def second():
        try:
            taken.wait(10)
            with transaction.atomic():
                results["second"] = next_code("H48.13", DAY)
            committed.append("second")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    taken.wait(10)
    # The second is now blocked on the first's lock; let the first commit.
    threading.Timer(0.3, release.set).start()
    for t in threads:
        t.join(20)
    assert results == {"first": "H48.13-260309-0001", "second": "H48.13-260309-0002"}
    assert committed == ["first", "second"]
