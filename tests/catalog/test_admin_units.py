"""The two-tier administrative units copied from the ``vietnam-provinces`` package."""

import datetime as dt

import pytest

from motcua.catalog.models import AdministrativeUnit
from motcua.catalog.services import load_administrative_units

pytestmark = pytest.mark.django_db


def test_load_then_load_again():
    count = load_administrative_units()
    provinces = AdministrativeUnit.objects.filter(level="province")
    assert provinces.count() == 34
    assert count == AdministrativeUnit.objects.count()
    quang_ngai = provinces.get(code="51")
    assert quang_ngai.name == "Quảng Ngãi" and quang_ngai.name_folded == "quang ngai"
    assert quang_ngai.parent is None and quang_ngai.valid_from == dt.date(2025, 7, 1)
    communes = quang_ngai.children.all()
    assert communes.count() == 96
    assert {u.level for u in communes} <= {"commune", "ward", "special_zone"}
    assert {"commune", "ward"} <= {u.level for u in communes}
    assert all(len(u.code) == 5 and u.name_folded for u in communes)
    # Every commune of the country hangs under one of the 34 provinces.
    assert (
        not AdministrativeUnit.objects.exclude(level="province")
        .filter(parent__isnull=True)
        .exists()
    )
    ly_son = AdministrativeUnit.objects.get(name_folded="dac khu ly son")
    assert (ly_son.code, ly_son.level, ly_son.parent) == ("21548", "special_zone", quang_ngai)

    before = dict(AdministrativeUnit.objects.values_list("code", "pk"))
    assert load_administrative_units() == count
    assert dict(AdministrativeUnit.objects.values_list("code", "pk")) == before


def test_a_renamed_unit_is_corrected_in_place():
    load_administrative_units()
    unit = AdministrativeUnit.objects.filter(parent__code="51").order_by("code").first()
    right_name = unit.name
    AdministrativeUnit.objects.filter(pk=unit.pk).update(name="Tên cũ", level="ward")
    load_administrative_units()
    unit.refresh_from_db()
    assert unit.name == right_name
