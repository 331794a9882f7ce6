"""Importing and exporting the catalogue (catalog.services): all-or-nothing, lossless."""

import datetime as dt
import io
import json

import pytest

from motcua.catalog import exchange, services
from motcua.catalog.models import (
    AdministrativeUnit,
    Agency,
    Component,
    FeeItem,
    Field,
    Procedure,
    ProcedureVersion,
)
from tests.catalog.builders import procedure, valid_document

pytestmark = pytest.mark.django_db


def snapshot():
    """Everything an import may touch, to prove a refused import touched nothing."""
    return {
        "fields": sorted(Field.objects.values_list("code", "name")),
        "agencies": sorted(Agency.objects.values_list("code", "name", "parent__code", "valid_to")),
        "versions": sorted(
            ProcedureVersion.objects.values_list(
                "procedure__code", "valid_from", "name", "fee_total"
            )
        ),
        "components": Component.objects.count(),
        "fees": FeeItem.objects.count(),
    }


FLAG_DEFAULTS = {f: ProcedureVersion._meta.get_field(f).default for f in exchange.FLAGS}


def canonical(doc) -> exchange.Catalogue:
    """The parsed document in a fixed order, with the flags a file may leave out filled in."""
    cat = exchange.parse_catalogue(doc)
    cat.fields.sort(key=lambda f: f.code)
    cat.agencies.sort(key=lambda a: a.code)
    cat.procedures.sort(key=lambda p: (p.code, p.valid_from))
    for p in cat.procedures:
        p.flags = {**FLAG_DEFAULTS, **p.flags}
    return cat


def refused(doc) -> list[str]:
    before = snapshot()
    with pytest.raises(exchange.CatalogueError) as exc:
        services.import_catalogue(doc)
    assert snapshot() == before
    return exc.value.errors


def test_import_creates_everything():
    report = services.import_catalogue(valid_document())
    assert (report.fields, report.agencies, report.procedures_created) == (2, 4, 2)
    assert (report.versions_created, report.versions_updated) == (3, 0)
    assert "2 lĩnh vực" in report.summary()

    assert dict(Field.objects.values_list("code", "name")) == {
        "VHCS": "Văn hóa cơ sở",
        "HTX": "Hộ tịch",
    }
    province = Agency.objects.get(code="H48")
    department = Agency.objects.get(code="H48.13")
    assert department.parent == province
    assert Agency.objects.get(code="H48-CAPXA").parent == province
    assert list(province.predecessors.values_list("code", flat=True)) == ["H34"]
    assert list(Agency.objects.get(code="H34").successors.values_list("code", flat=True)) == ["H48"]
    assert department.name_folded == "so van hoa the thao va du lich tinh quang ngai so vhttdl"
    assert (department.code_qcvn102, department.email) == (
        "000.00.13.H48",
        "svhttdl@quangngai.gov.vn",
    )

    ad = ProcedureVersion.objects.get(procedure__code="1.004650")
    assert ad.agency == department and ad.field.code == "VHCS"
    assert (ad.level, ad.competence_level, ad.valid_to) == ("toan_trinh", "tinh", None)
    assert (float(ad.time_limit_value), float(ad.time_limit_online)) == (5.0, 4.0)
    assert (ad.boundary_free, ad.authorisation_allowed) == (True, False)
    assert ad.search_text == "1 004650 thong bao san pham quang cao tren bang quang cao bang ron"
    assert ad.publication_decision == "1628/QĐ-UBND" and ad.publication_date == dt.date(
        2025, 11, 21
    )
    assert ad.legal_basis[0]["number"] == "16/2012/QH13"
    components = list(ad.components.order_by("position"))
    assert [c.name for c in components] == [
        "Thông báo sản phẩm quảng cáo (Mẫu số 01)",
        "Ma-két sản phẩm quảng cáo",
    ]
    assert (components[0].allowed_types, components[0].max_size) == (["pdf", "docx"], 5242880)
    assert (components[1].multiple, components[1].copy_type) == (True, "ban_dien_tu")
    assert ad.fee_total == 0 and not ad.fees.exists()

    old, new = ProcedureVersion.objects.filter(procedure__code="1.001193").order_by("valid_from")
    assert (old.valid_to, new.valid_from) == (dt.date(2025, 12, 31), dt.date(2026, 1, 1))
    assert new.fee_total == 11000
    assert list(new.fees.order_by("position").values_list("kind", "amount")) == [
        ("le_phi", 8000),
        ("phi", 3000),
    ]
    assert Procedure.objects.count() == 2


def test_reimport_updates_in_place():
    services.import_catalogue(valid_document())
    ids = {
        "procedures": sorted(Procedure.objects.values_list("pk", flat=True)),
        "versions": sorted(ProcedureVersion.objects.values_list("pk", flat=True)),
        "agencies": sorted(Agency.objects.values_list("pk", flat=True)),
        "fields": sorted(Field.objects.values_list("pk", flat=True)),
    }
    doc = valid_document()
    doc["fields"][0]["name"] = "Văn hóa cơ sở (sửa)"
    doc["agencies"][2]["name"] = "Sở Văn hóa và Thể thao tỉnh Quảng Ngãi"
    p = procedure(doc, "1.004650")
    p["name"] = "Thông báo sản phẩm quảng cáo (sửa đổi)"
    p["components"] = p["components"][:1]
    p["fees"] = [{"name": "Phí thẩm định", "amount": 500000}]
    report = services.import_catalogue(doc)
    assert (report.versions_created, report.versions_updated, report.procedures_created) == (
        0,
        3,
        0,
    )
    assert ids == {
        "procedures": sorted(Procedure.objects.values_list("pk", flat=True)),
        "versions": sorted(ProcedureVersion.objects.values_list("pk", flat=True)),
        "agencies": sorted(Agency.objects.values_list("pk", flat=True)),
        "fields": sorted(Field.objects.values_list("pk", flat=True)),
    }
    ad = ProcedureVersion.objects.get(procedure__code="1.004650")
    assert ad.name == "Thông báo sản phẩm quảng cáo (sửa đổi)"
    assert "sua doi" in ad.search_text
    assert ad.components.count() == 1 and ad.fee_total == 500000
    assert Field.objects.get(code="VHCS").name == "Văn hóa cơ sở (sửa)"
    assert Agency.objects.get(code="H48.13").name_folded.startswith("so van hoa va the thao")
    assert Component.objects.count() == 1 + 1 + 2  # no leftovers from the first import


def test_a_new_version_can_follow_an_imported_one():
    services.import_catalogue(valid_document())
    doc = valid_document()
    p = procedure(doc, "1.004650")
    p["valid_to"] = "2026-06-30"
    successor = json.loads(json.dumps(p))
    successor.update(
        valid_from="2026-07-01", valid_to=None, name="Thông báo sản phẩm quảng cáo (2026)"
    )
    doc["procedures"] = [p, successor]
    report = services.import_catalogue(doc)
    assert (report.versions_created, report.versions_updated) == (1, 1)
    assert ProcedureVersion.objects.filter(procedure__code="1.004650").count() == 2


def test_invalid_file_changes_nothing():
    services.import_catalogue(valid_document())
    doc = valid_document()
    doc["fields"][0]["name"] = "Đổi tên"
    doc["agencies"][2]["name"] = "Đổi tên"
    doc["procedures"][0]["level"] = "cap_4"
    errors = refused(doc)
    assert any("«level»" in e for e in errors)


def test_invalid_file_on_an_empty_database_creates_nothing():
    doc = valid_document()
    doc["procedures"][2]["fees"][0]["amount"] = -1
    refused(doc)
    assert not Field.objects.exists() and not Agency.objects.exists()


def test_unknown_agency_and_field_refused_together():
    doc = valid_document()
    procedure(doc, "1.004650")["agency"] = "H48.99"
    procedure(doc, "1.004650")["field"] = "KHONGCO"
    errors = refused(doc)
    assert "Thủ tục 1.004650: không có cơ quan mã «H48.99»." in errors
    assert "Thủ tục 1.004650: không có lĩnh vực mã «KHONGCO»." in errors
    # Fields and agencies of the same file were written first; they are rolled back too.
    assert not Field.objects.exists() and not Agency.objects.exists()


def test_agencies_and_fields_already_in_the_database_may_be_referenced():
    services.import_catalogue(valid_document())
    doc = valid_document()
    doc["fields"], doc["agencies"] = [], []
    services.import_catalogue(doc)
    assert ProcedureVersion.objects.count() == 3


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["agencies"][2].update(parent="H99"),
            "Cơ quan H48.13: không có cơ quan cấp trên mã «H99».",
        ),
        (
            lambda d: d["agencies"][0].update(predecessors=["H34", "H35"]),
            "Cơ quan H48: không có cơ quan tiền thân mã H35.",
        ),
        (
            lambda d: d["agencies"][2].update(admin_unit="99999"),
            "Cơ quan H48.13: không có đơn vị hành chính mã «99999».",
        ),
        (lambda d: d["agencies"][0].update(parent="H48.13"), "cây cơ quan có vòng lặp"),
    ],
)
def test_broken_agency_references_refused(change, message):
    doc = valid_document()
    change(doc)
    errors = refused(doc)
    assert any(message in e for e in errors), errors


def test_agency_admin_unit_is_linked():
    AdministrativeUnit.objects.create(code="51", name="Quảng Ngãi", level="province")
    commune = AdministrativeUnit.objects.create(code="21025", name="Phường Cẩm Thành", level="ward")
    doc = valid_document()
    doc["agencies"][2]["admin_unit"] = "21025"
    services.import_catalogue(doc)
    assert Agency.objects.get(code="H48.13").admin_unit == commune


def test_overlap_with_versions_already_in_the_database_refused():
    services.import_catalogue(valid_document())
    doc = valid_document()
    newer = json.loads(json.dumps(procedure(doc, "1.004650")))
    newer.update(valid_from="2026-07-01", name="Phiên bản chồng lấn")
    doc["procedures"] = [newer]  # the open 2025 version stays in the database untouched
    errors = refused(doc)
    assert errors == [
        "Thủ tục 1.004650: phiên bản từ 01/07/2025 chồng lên phiên bản từ 01/07/2026 đã có trong hệ thống."
    ]
    assert ProcedureVersion.objects.filter(procedure__code="1.004650").count() == 1


# --- export ----------------------------------------------------------------------------------


def test_export_then_import_is_unchanged():
    services.import_catalogue(valid_document())
    first = services.export_catalogue()
    assert first["format"] == exchange.FORMAT
    assert canonical(first) == canonical(valid_document())
    report = services.import_catalogue(json.loads(json.dumps(first)))
    assert report.versions_created == 0
    assert services.export_catalogue() == first


def test_export_of_selected_versions_lists_only_their_fields():
    services.import_catalogue(valid_document())
    doc = services.export_catalogue(
        ProcedureVersion.objects.filter(procedure__code="1.001193"), include_agencies=False
    )
    assert [p["code"] for p in doc["procedures"]] == ["1.001193", "1.001193"]
    assert doc["fields"] == [{"code": "HTX", "name": "Hộ tịch"}]
    assert doc["agencies"] == []


def test_excel_round_trip():
    services.import_catalogue(valid_document())
    exported = services.export_catalogue()
    workbook = exchange.to_excel(exported)
    from openpyxl import load_workbook

    sheets = load_workbook(io.BytesIO(workbook), read_only=True).sheetnames
    assert {"procedures", "components", "fees", "fields", "agencies"} <= set(sheets)
    back = exchange.from_excel(workbook)
    assert exchange.parse_catalogue(back) == exchange.parse_catalogue(exported)
    services.import_catalogue(back)
    assert services.export_catalogue() == exported


def test_excel_edited_by_hand_with_real_dates_still_reads():
    services.import_catalogue(valid_document())
    exported = services.export_catalogue()
    wb_bytes = exchange.to_excel(exported)
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(wb_bytes))
    for sheet in ("procedures", "components", "fees"):
        ws = wb[sheet]
        header = [c.value for c in ws[1]]
        col = header.index("valid_from") + 1
        for row in range(2, ws.max_row + 1):
            cell = ws.cell(row=row, column=col)
            cell.value = dt.date.fromisoformat(cell.value)  # what Excel makes of a typed date
    buf = io.BytesIO()
    wb.save(buf)
    assert exchange.parse_catalogue(
        exchange.from_excel(buf.getvalue())
    ) == exchange.parse_catalogue(exported)


def test_excel_keeps_text_that_looks_like_a_formula_and_survives_pasted_control_characters():
    doc = valid_document()
    p = procedure(doc, "1.004650")
    p["requirements"] = "=Không có"  # openpyxl would write this as a formula, read back empty
    p["sequence"] = "+ Bước 1: nộp hồ sơ\n- Bước 2: nhận kết quả"
    p["methods"] = "Trực tuyến\vqua bưu chính"  # Word's manual line break, pasted
    p["components"][0]["description"] = "=SUM(A1)"
    doc["agencies"][2]["address"] = "Số 1\x07 Hùng Vương"
    exported = exchange.catalogue_to_dict(exchange.parse_catalogue(doc))
    back = exchange.parse_catalogue(exchange.from_excel(exchange.to_excel(exported)))
    q = back.procedures[0]
    assert q.requirements == "=Không có"
    assert q.sequence == "+ Bước 1: nộp hồ sơ\n- Bước 2: nhận kết quả"
    assert q.methods == "Trực tuyến\nqua bưu chính"
    assert q.components[0].description == "=SUM(A1)"
    assert {a.code: a for a in back.agencies}["H48.13"].address == "Số 1 Hùng Vương"


def test_broken_excel_file_refused_in_vietnamese():
    with pytest.raises(exchange.CatalogueError) as exc:
        exchange.from_excel(b"khong phai tep excel")
    assert exc.value.errors[0].startswith("Không đọc được tệp Excel")


def test_excel_without_a_procedures_sheet_refused():
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "fields"
    buf = io.BytesIO()
    wb.save(buf)
    with pytest.raises(exchange.CatalogueError) as exc:
        exchange.from_excel(buf.getvalue())
    assert exc.value.errors == ["Tệp Excel thiếu trang «procedures»."]


def test_reimporting_keeps_the_components_dossiers_hold_files_for():
    """Seeding the demo twice after a citizen submitted must work: components are updated in
    place, not deleted and recreated under the dossiers' files."""
    from motcua.catalog.services import export_catalogue, import_catalogue
    from motcua.dossiers import services as dossiers
    from tests.factories import ProcedureVersionFactory, UserFactory

    version = ProcedureVersionFactory(procedure__code="1.004650")
    owner = UserFactory()
    draft = dossiers.create_draft(owner=owner, procedure_code="1.004650")
    required = version.components.get(required=True)
    dossiers.add_file(
        draft, actor=owner, component_id=required.pk, name="don.pdf", content=b"%PDF-1.4\n%%EOF\n"
    )
    document = export_catalogue()
    before = list(version.components.values_list("pk", "name"))
    import_catalogue(document)
    assert list(version.components.values_list("pk", "name")) == before
    assert draft.files.get().component_id == required.pk

    procedure = next(p for p in document["procedures"] if p["code"] == "1.004650")
    procedure["components"] = [c for c in procedure["components"] if c["name"] != required.name]
    with pytest.raises(exchange.CatalogueError) as exc:
        import_catalogue(document)
    assert "phiên bản mới" in str(exc.value)
    assert list(version.components.values_list("pk", "name")) == before


def test_reimport_carries_every_component_field_onto_the_row():
    """Whatever the format says of a component reaches the stored row on re-import."""
    from dataclasses import fields

    from motcua.catalog.services import export_catalogue, import_catalogue
    from tests.factories import ProcedureVersionFactory

    version = ProcedureVersionFactory(procedure__code="1.004650")
    document = export_catalogue()
    procedure = next(p for p in document["procedures"] if p["code"] == "1.004650")
    changed = {
        "code": "TP-01",
        "name": "Tờ khai đã sửa",
        "description": "Mô tả mới",
        "required": False,
        "multiple": True,
        "originals": 2,
        "copies": 3,
        "copy_type": "ban_sao_chung_thuc",
        "allowed_types": ["pdf"],
        "max_size": 3 * 1024 * 1024,
        "template_name": "mau-01.docx",
    }
    assert set(changed) == {f.name for f in fields(exchange.ComponentRecord)}
    procedure["components"][0].update(changed)
    import_catalogue(document)
    stored = version.components.get(code="TP-01")
    assert {name: getattr(stored, name) for name in changed} == changed
