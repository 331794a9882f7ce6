"""The receiving offices of commune-level procedures and the delivery address's communes
come from one source (the administrative units) and are complete, in Vietnamese order."""

import json
import re
from importlib import resources

import pytest

from motcua.catalog import selectors as catalog_selectors
from motcua.catalog.exchange import CatalogueError
from motcua.catalog.models import Agency
from motcua.catalog.services import (
    ensure_commune_committees,
    import_catalogue,
    load_administrative_units,
)
from motcua.core.text import sort_key
from motcua.dossiers import selectors
from tests.factories import FieldFactory, ProcedureVersionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def province():
    load_administrative_units()
    demo = resources.files("motcua.catalog").joinpath("demo_data", "agencies.json")
    import_catalogue(json.loads(demo.read_text(encoding="utf-8")))
    return Agency.objects.get(code="H48-CAPXA")


def test_every_commune_has_its_committee_with_a_consistent_code(province):
    before = Agency.objects.filter(kind=Agency.Kind.COMMUNE_COMMITTEE, valid_to__isnull=True)
    hand_written = {a.admin_unit.code: a.code for a in before.select_related("admin_unit")}
    created = ensure_commune_committees("H48-CAPXA")
    assert created == 96 - len(hand_written)
    version = ProcedureVersionFactory(agency=province, competence_level="xa")
    offices = list(selectors.receiving_agencies(version).select_related("admin_unit"))
    communes = list(selectors.delivery_communes("51"))
    assert len(offices) == len(communes) == 96
    assert {a.admin_unit.code for a in offices} == {u.code for u in communes}
    # Numbered by the place of the unit among the province's units, as the hand-written
    # entries already were; those keep their codes and details.
    by_unit_code = sorted(communes, key=lambda u: u.code)
    for number, unit in enumerate(by_unit_code, start=1):
        office = next(a for a in offices if a.admin_unit_id == unit.pk)
        assert office.code == hand_written.get(unit.code, f"H48.40.{number:02d}")
        assert office.code_qcvn102 == f"000.{number:02d}.40.H48" or unit.code in hand_written
        assert office.name == "Ủy ban nhân dân " + unit.name[0].lower() + unit.name[1:]
    assert Agency.objects.get(code="H48.40.90").phone  # a hand-written one, untouched
    assert ensure_commune_committees("H48-CAPXA") == 0


def test_both_lists_in_vietnamese_alphabetical_order(province):
    ensure_commune_committees("H48-CAPXA")
    version = ProcedureVersionFactory(agency=province, competence_level="xa")
    commune_names = [u.name for u in selectors.delivery_communes("51")]
    assert commune_names == sorted(commune_names, key=sort_key)
    # "Xã Đăk Hà" after every "Xã D…" and before "Xã E…": đ is a letter of its own.
    assert commune_names.index("Xã Đăk Hà") > max(
        i for i, n in enumerate(commune_names) if n.startswith("Xã D")
    )
    office_names = [a.name for a in selectors.receiving_agencies(version)]
    assert office_names == sorted(office_names, key=sort_key)
    assert office_names != sorted(office_names)  # code-point order would differ
    provinces = [u.name for u in selectors.delivery_provinces()]
    assert provinces == sorted(provinces, key=sort_key)


def test_the_wizard_offers_every_commune_in_order(province, client):
    ensure_commune_committees("H48-CAPXA")
    version = ProcedureVersionFactory(
        agency=province, competence_level="xa", field=FieldFactory(code="HT")
    )
    client.force_login(UserFactory())
    page = client.get(f"/thu-tuc/{version.procedure.code}/nop-ho-so/").content.decode()
    options = re.findall(r'<option value="H48\.40\.\d+"[^>]*>([^<]+)</option>', page)
    assert len(options) == 96
    assert options == sorted(options, key=sort_key)


def test_a_clash_with_another_agency_is_refused(province):
    Agency.objects.create(code="H48.40.03", name="Cơ quan khác", kind=Agency.Kind.DEPARTMENT)
    with pytest.raises(CatalogueError) as exc:
        ensure_commune_committees("H48-CAPXA")
    assert "H48.40.03" in str(exc.value.errors)


def test_fields_and_agencies_of_the_search_filters_in_order(province):
    names = ["Chứng thực", "Cho thuê", "Chấm thi", "Đất đai", "Dân tộc"]
    for i, name in enumerate(names):
        ProcedureVersionFactory(field=FieldFactory(code=f"F{i}", name=name))
    assert [f.name for f in catalog_selectors.fields_with_procedures()] == [
        "Chấm thi",
        "Cho thuê",
        "Chứng thực",
        "Dân tộc",
        "Đất đai",
    ]
    assert [f.name for f in catalog_selectors.all_fields()] == [
        "Chấm thi",
        "Cho thuê",
        "Chứng thực",
        "Dân tộc",
        "Đất đai",
    ]
