"""Catalogue import and export from the admin and the command line, JSON and Excel."""

import io
import json
import sys

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import load_workbook

from motcua.catalog import exchange
from motcua.catalog.models import Agency, Field, Procedure, ProcedureVersion
from motcua.catalog.services import export_catalogue

pytestmark = pytest.mark.django_db

IMPORT = "admin:catalog_procedureversion_import"
CHANGELIST = "admin:catalog_procedureversion_changelist"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def valid_document() -> dict:
    return {
        "format": "motcua.catalog/1",
        "fields": [{"code": "DUOC", "name": "Dược phẩm"}],
        "agencies": [{"code": "H48.20", "name": "Sở Y tế tỉnh Quảng Ngãi", "kind": "department"}],
        "procedures": [
            {
                "code": "1.002952",
                "name": "Cấp Chứng chỉ hành nghề dược theo hình thức xét hồ sơ",
                "agency": "H48.20",
                "field": "DUOC",
                "level": "toan_trinh",
                "valid_from": "2025-07-01",
                "time_limit": {"value": 20, "unit": "working_days"},
                "delivery_methods": ["online", "post"],
                "components": [
                    {"name": "Đơn đề nghị cấp Chứng chỉ hành nghề dược", "allowed_types": ["pdf"]}
                ],
                "fees": [{"kind": "phi", "name": "Phí thẩm định", "amount": 500000}],
            }
        ],
    }


def as_excel(doc: dict) -> bytes:
    return exchange.to_excel(exchange.catalogue_to_dict(exchange.parse_catalogue(doc)))


def invalid_document() -> dict:
    doc = valid_document()
    doc["procedures"][0]["level"] = "muc_4"
    doc["procedures"][0]["agency"] = ""
    return doc


def upload(name: str, content: bytes):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def snapshot() -> str:
    return json.dumps(export_catalogue(), ensure_ascii=False, sort_keys=True)


def test_changelist_offers_import_and_full_export(admin_client, catalogue):
    page = admin_client.get(reverse(CHANGELIST)).content.decode()
    assert reverse(IMPORT) in page
    assert "Xuất toàn bộ danh mục (JSON)" in page and "Xuất toàn bộ danh mục (Excel)" in page
    assert 'value="export_json"' in page and 'value="export_excel"' in page


def test_import_page_renders(admin_client):
    assert "Nhập danh mục" in admin_client.get(reverse(IMPORT)).content.decode()


def test_admin_import_valid_json(admin_client):
    content = json.dumps(valid_document(), ensure_ascii=False).encode()
    response = admin_client.post(
        reverse(IMPORT), {"document": upload("danh-muc.json", content)}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse(CHANGELIST)
    page = response.content.decode()
    assert "1 thủ tục mới, 1 phiên bản mới" in page
    version = ProcedureVersion.objects.get(procedure__code="1.002952")
    assert version.fee_total == 500000 and version.agency.code == "H48.20"


def test_admin_import_valid_excel(admin_client):
    content = as_excel(valid_document() | {"agencies": [], "fields": []})
    Agency.objects.create(code="H48.20", name="Sở Y tế", kind="department")
    Field.objects.create(code="DUOC", name="Dược phẩm")
    response = admin_client.post(reverse(IMPORT), {"document": upload("danh-muc.xlsx", content)})
    assert response.status_code == 302
    assert ProcedureVersion.objects.filter(procedure__code="1.002952").exists()


def test_admin_import_invalid_shows_every_error_and_changes_nothing(admin_client, catalogue):
    before = snapshot()
    doc = invalid_document()
    doc["fields"][0]["name"] = "Tên mới sẽ không được ghi"
    response = admin_client.post(
        reverse(IMPORT), {"document": upload("loi.json", json.dumps(doc).encode())}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Tệp có 2 lỗi, danh mục chưa thay đổi" in page
    assert "trường «level»" in page and "trường «agency»" in page
    assert snapshot() == before
    assert not Field.objects.filter(code="DUOC").exists()


def test_admin_import_error_found_only_against_the_database_rolls_back(admin_client, catalogue):
    before = snapshot()
    doc = valid_document()
    doc["procedures"][0]["agency"] = "H48.99"
    response = admin_client.post(
        reverse(IMPORT), {"document": upload("loi.json", json.dumps(doc).encode())}
    )
    assert "không có cơ quan mã «H48.99»" in response.content.decode()
    assert snapshot() == before
    assert not Agency.objects.filter(code="H48.20").exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("danh-muc.json", b"{not json", "Tệp JSON không hợp lệ ở dòng 1"),
        ("danh-muc.xlsx", b"PK not a workbook", "Không đọc được tệp Excel"),
        ("danh-muc.csv", b"code,name", "Chỉ nhận tệp .json hoặc .xlsx."),
    ],
)
def test_admin_import_unreadable_files(admin_client, name, content, message):
    response = admin_client.post(reverse(IMPORT), {"document": upload(name, content)})
    assert message in response.content.decode()
    assert not Procedure.objects.exists()


@pytest.mark.parametrize("extra", [1, 128 * 1024])
def test_admin_import_refuses_more_than_20_mib(admin_client, extra):
    # Just over: the form says so; far over: refused before the body is even parsed.
    content = b" " * (20 * 1024 * 1024 + extra)
    response = admin_client.post(reverse(IMPORT), {"document": upload("to.json", content)})
    assert response.status_code in (200, 413)
    assert "Tệp lớn hơn 20 MB" in response.content.decode()
    assert not Procedure.objects.exists()


def test_import_needs_add_and_change_rights(client, settings):
    from tests.factories import StaffFactory

    settings.STAFF_2FA_REQUIRED = False
    client.force_login(StaffFactory())
    assert client.get(reverse(IMPORT)).status_code == 403


def export_action(client, action, versions):
    return client.post(
        reverse(CHANGELIST), {"action": action, "_selected_action": [v.pk for v in versions]}
    )


def test_export_json_action_exports_the_selection(admin_client, catalogue):
    response = export_action(admin_client, "export_json", catalogue["versions"][:1])
    assert response["Content-Disposition"].endswith('.json"')
    doc = json.loads(response.content)
    assert [p["code"] for p in doc["procedures"]] == ["1.004650"]
    assert doc["procedures"][0]["legal_basis"][0]["title"] == "Luật Quảng cáo"


def test_export_excel_action_is_a_workbook(admin_client, catalogue):
    response = export_action(admin_client, "export_excel", catalogue["versions"])
    assert response["Content-Type"] == XLSX
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames[:3] == ["procedures", "components", "fees"]
    assert workbook["procedures"].max_row == 4


@pytest.mark.parametrize(("fmt", "name"), [("json", "danh-muc.json"), ("xlsx", "danh-muc.xlsx")])
def test_full_export_then_import_changes_nothing(admin_client, catalogue, fmt, name):
    before = snapshot()
    response = admin_client.get(reverse("admin:catalog_procedureversion_export"), {"format": fmt})
    assert response.status_code == 200
    response = admin_client.post(
        reverse(IMPORT), {"document": upload(name, response.content)}, follow=True
    )
    assert "0 thủ tục mới, 0 phiên bản mới, 3 phiên bản cập nhật" in response.content.decode()
    assert snapshot() == before


@pytest.mark.parametrize("action", ["export_json", "export_excel"])
def test_selected_export_round_trip(admin_client, catalogue, action):
    before = snapshot()
    exported = export_action(admin_client, action, catalogue["versions"][1:2])
    name = "chon.json" if action == "export_json" else "chon.xlsx"
    response = admin_client.post(
        reverse(IMPORT), {"document": upload(name, exported.content)}, follow=True
    )
    assert "1 phiên bản cập nhật" in response.content.decode()
    assert snapshot() == before


# --- management commands --------------------------------------------------------------


def test_command_imports_json(tmp_path):
    path = tmp_path / "danh-muc.json"
    path.write_text(json.dumps(valid_document(), ensure_ascii=False), encoding="utf-8")
    out = io.StringIO()
    call_command("import_catalogue", str(path), stdout=out)
    assert "1 phiên bản mới" in out.getvalue()
    assert ProcedureVersion.objects.filter(procedure__code="1.002952").exists()


def test_command_imports_excel(tmp_path):
    path = tmp_path / "danh-muc.xlsx"
    path.write_bytes(as_excel(valid_document()))
    call_command("import_catalogue", str(path), stdout=io.StringIO())
    assert ProcedureVersion.objects.filter(procedure__code="1.002952").exists()


def test_command_invalid_file_lists_errors_and_changes_nothing(tmp_path, catalogue):
    before = snapshot()
    path = tmp_path / "loi.json"
    path.write_text(json.dumps(invalid_document()), encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match="2 lỗi"):
        call_command("import_catalogue", str(path), stderr=err)
    assert "trường «level»" in err.getvalue() and "trường «agency»" in err.getvalue()
    assert snapshot() == before


def test_motcua_import_catalogue_exits_1_on_invalid_input(tmp_path, monkeypatch, capsys):
    from motcua.__main__ import main

    path = tmp_path / "loi.json"
    path.write_text(json.dumps(invalid_document()), encoding="utf-8")
    monkeypatch.setattr(sys, "argv", ["motcua", "import-catalogue", str(path)])
    with pytest.raises(SystemExit) as exit_info:
        main()
    assert exit_info.value.code == 1
    assert "trường «level»" in capsys.readouterr().err


def test_command_missing_file(tmp_path):
    with pytest.raises(CommandError, match="Không đọc được tệp"):
        call_command("import_catalogue", str(tmp_path / "khong-co.json"))


@pytest.mark.parametrize("suffix", ["json", "xlsx"])
def test_export_command_round_trip(tmp_path, catalogue, suffix):
    before = snapshot()
    path = tmp_path / f"danh-muc.{suffix}"
    call_command("export_catalogue", "--output", str(path), stdout=io.StringIO())
    out = io.StringIO()
    call_command("import_catalogue", str(path), stdout=out)
    assert "3 phiên bản cập nhật" in out.getvalue()
    assert snapshot() == before


def test_export_command_json_to_stdout(catalogue):
    out = io.StringIO()
    call_command("export_catalogue", "--format", "json", stdout=out)
    assert json.loads(out.getvalue())["format"] == "motcua.catalog/1"


def test_export_command_excel_needs_a_file():
    with pytest.raises(CommandError, match="--output"):
        call_command("export_catalogue", "--format", "xlsx")


def test_import_form_is_csrf_protected(superuser):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(superuser)
    content = json.dumps(valid_document()).encode()
    response = client.post(reverse(IMPORT), {"document": upload("danh-muc.json", content)})
    assert response.status_code == 403
    assert not Procedure.objects.exists()
