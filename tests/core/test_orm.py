"""core.orm.Reusable gives what the queryset gives, with the statement compiled once."""

import datetime as dt

import pytest
from django.db import connection
from django.db.models import Exists, OuterRef
from django.test.utils import CaptureQueriesContext

from motcua.catalog.models import Component, ProcedureVersion
from motcua.catalog.selectors import effective
from motcua.core.orm import Reusable
from motcua.dossiers.models import Dossier, DossierFile
from tests.api.dossier_helpers import private_dir  # noqa: F401 (a fixture)
from tests.dossiers.test_submission_core import _ready_draft

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_dir")]


def DossierFactory():  # noqa: N802 (reads like the factories it stands beside)
    return _ready_draft()[1]


def _fields(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def test_same_instances_with_their_joined_rows_for_each_new_value():
    from motcua.dossiers import services
    from tests.factories import UserFactory

    first = DossierFactory()
    second = services.create_draft(owner=UserFactory(), procedure_code="1.004650")
    reusable = Reusable(
        lambda pk: Dossier.objects.select_related("version__procedure", "owner").filter(pk=pk),
        -9_100_001,
    )
    for d in (first, second, first):
        with CaptureQueriesContext(connection) as captured:
            [found] = reusable(d.pk)
        expected = Dossier.objects.select_related("version__procedure", "owner").get(pk=d.pk)
        assert len(captured.captured_queries) == 1  # the joined rows came with it
        assert _fields(found) == _fields(expected)
        assert _fields(found.version) == _fields(expected.version)
        assert found.version.procedure.code == expected.version.procedure.code
        assert found.owner.email == expected.owner.email
        assert not found._state.adding and found._state.db == "default"
    assert reusable(-1) == []


def test_annotations_and_a_value_used_twice():
    d = DossierFactory()  # holds a file for its required component
    component = DossierFile.objects.get(dossier=d).component
    assert Component.objects.filter(version=d.version).count() > 1
    reusable = Reusable(
        lambda version_id, dossier_id: (
            Component.objects.filter(version_id=version_id)
            .annotate(
                held=Exists(
                    DossierFile.objects.filter(dossier_id=dossier_id, component=OuterRef("pk"))
                )
            )
            .order_by("position", "id")
        ),
        -9_100_011,
        -9_100_012,
    )
    found = reusable(d.version_id, d.pk)
    assert [(c.pk, c.held) for c in found] == [
        (c.pk, c.pk == component.pk)
        for c in Component.objects.filter(version=d.version).order_by("position", "id")
    ]
    assert all(not c.held for c in reusable(d.version_id, d.pk + 1000))

    today = dt.date.today()
    twice = Reusable(
        lambda day, code: ProcedureVersion.objects.filter(effective(day), procedure__code=code),
        dt.date(1901, 2, 3),
        "\x01code",
    )
    code = d.version.procedure.code
    assert [v.pk for v in twice(today, code)] == [
        v.pk for v in ProcedureVersion.objects.filter(effective(today), procedure__code=code)
    ]
    assert twice(dt.date(1900, 1, 1), code) == []


def test_a_stand_in_not_among_the_parameters_runs_the_queryset_every_time():
    d = DossierFactory()
    # None is no parameter (it becomes IS NULL): the queryset is built each time instead.
    reusable = Reusable(lambda pk: Dossier.objects.filter(pk=pk), None)
    assert reusable(None) == []
    assert [x.pk for x in Reusable(lambda pk: Dossier.objects.filter(pk=pk), None)(d.pk)] == [d.pk]
