"""Form numbers under load: officers issuing the same form for one agency at the same
instant get 1..N, each once, with no gap. Real threads with their own connections; run on
both databases (PostgreSQL queues them on the counter row, SQLite on its write lock)."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connections

from motcua.documents.models import FormCounter, IssuedForm
from motcua.documents.numbering import next_number
from motcua.documents.services import issue_form
from tests.documents.helpers import submitted_dossier
from tests.factories import StaffFactory

THREADS = 6
EACH = 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_issues_get_distinct_consecutive_numbers():
    dossier = submitted_dossier()
    officer = StaffFactory()
    start = threading.Barrier(THREADS)

    def run(_):
        try:
            start.wait()
            return [
                issue_form("03", dossier, issued_by=officer, reason="Sai thẩm quyền").number
                for _ in range(EACH)
            ]
        finally:
            connections.close_all()

    with ThreadPoolExecutor(THREADS) as pool:
        numbers = [n for chunk in pool.map(run, range(THREADS)) for n in chunk]

    assert sorted(numbers) == list(range(1, THREADS * EACH + 1))
    stored = IssuedForm.objects.filter(agency=dossier.receiving_agency, form_code="03")
    assert sorted(stored.values_list("number", flat=True)) == list(range(1, THREADS * EACH + 1))
    assert FormCounter.objects.get(agency=dossier.receiving_agency, form_code="03").last == (
        THREADS * EACH
    )


@pytest.mark.django_db(transaction=True)
def test_bare_counter_hands_out_each_number_once():
    agency = submitted_dossier().receiving_agency
    start = threading.Barrier(8)

    def run(_):
        try:
            start.wait()
            return [next_number(agency.pk, "01", 2026) for _ in range(25)]
        finally:
            connections.close_all()

    with ThreadPoolExecutor(8) as pool:
        numbers = [n for chunk in pool.map(run, range(8)) for n in chunk]
    assert sorted(numbers) == list(range(1, 201))
