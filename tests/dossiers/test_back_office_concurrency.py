"""Two officers acting on one dossier at the same moment: exactly one succeeds, the other is
told someone acted first, and the dossier holds one event for the two clicks."""

import threading

import pytest
from django.db import connection, connections

from motcua.accounts.models import Role
from motcua.dossiers import services
from motcua.dossiers.models import Dossier, DossierEvent
from tests.dossiers.back_office import office
from tests.factories import MembershipFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent connections"),
]


def test_two_department_heads_assigning_at_once():
    dossier, staff = office()
    d = services.perform(dossier, "accept", staff[Role.RECEIVER])
    heads = [
        staff[Role.DEPT_HEAD],
        MembershipFactory(agency=d.version.agency, role=Role.DEPT_HEAD).user,
    ]
    seen = Dossier.objects.get(pk=d.pk).lock_version
    start = threading.Barrier(2)
    results = []

    def act(head):
        try:
            start.wait()
            services.perform(d, "assign", head, expected_version=seen)
            results.append("ok")
        except services.DossierError as exc:
            results.append((exc.status, exc.code, exc.message))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=act, args=(h,)) for h in heads]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results, key=str)[-1] == "ok" and results.count("ok") == 1
    [(status, code, message)] = [r for r in results if r != "ok"]
    assert (status, code) == (409, "conflict") and "cán bộ khác" in message
    assert DossierEvent.objects.filter(dossier_id=d.pk, action="assign").count() == 1
    assert Dossier.objects.get(pk=d.pk).lock_version == seen + 1


def test_without_a_version_the_row_lock_still_lets_one_through():
    dossier, staff = office()
    receivers = [
        staff[Role.RECEIVER],
        MembershipFactory(agency=dossier.version.agency, role=Role.RECEIVER).user,
    ]
    start = threading.Barrier(2)
    results = []

    def act(officer):
        try:
            start.wait()
            services.perform(dossier, "accept", officer)
            results.append("ok")
        except services.DossierError as exc:
            results.append(exc.status)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=act, args=(r,)) for r in receivers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(map(str, results)) == ["409", "ok"]
    assert DossierEvent.objects.filter(dossier_id=dossier.pk, action="accept").count() == 1
