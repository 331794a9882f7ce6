"""Validation of the catalogue exchange format (docs/catalogue-format.md), no database."""

import datetime as dt
import unicodedata

import pytest

from motcua.catalog import exchange
from tests.accounts.helpers import VIETNAMESE_LETTERS
from tests.catalog.builders import procedure, valid_document


def errors_of(doc) -> list[str]:
    with pytest.raises(exchange.CatalogueError) as exc:
        exchange.parse_catalogue(doc)
    errors = exc.value.errors
    assert errors
    for message in errors:
        assert VIETNAMESE_LETTERS & set(message.lower()), message
    return errors


def only_error(doc) -> str:
    errors = errors_of(doc)
    assert len(errors) == 1, errors
    return errors[0]


def test_valid_document_parses():
    cat = exchange.parse_catalogue(valid_document())
    assert [f.code for f in cat.fields] == ["VHCS", "HTX"]
    agencies = {a.code: a for a in cat.agencies}
    assert agencies["H48.13"].parent == "H48"
    assert agencies["H48"].predecessors == ["H34"]
    assert agencies["H34"].valid_to == dt.date(2025, 6, 30)
    ad = cat.procedures[0]
    assert (ad.code, ad.level, ad.valid_from, ad.valid_to) == (
        "1.004650",
        "toan_trinh",
        dt.date(2025, 7, 1),
        None,
    )
    assert (ad.time_limit_value, ad.time_limit_unit, ad.time_limit_online) == (
        5.0,
        "working_days",
        4.0,
    )
    assert ad.flags == {
        "boundary_free": True,
        "postal_allowed": True,
        "authorisation_allowed": False,
        "signed_result_required": True,
    }
    assert ad.legal_basis[0] == {
        "number": "16/2012/QH13",
        "title": "Luật Quảng cáo",
        "date": "2012-06-21",
    }
    assert ad.publication_date == dt.date(2025, 11, 21)
    assert [c.allowed_types for c in ad.components] == [["pdf", "docx"], ["pdf", "jpg", "png"]]
    # Defaults of docs/catalogue-format.md for what the file leaves out.
    birth = cat.procedures[1]
    component = birth.components[0]
    assert (component.required, component.multiple, component.copy_type) == (
        True,
        False,
        "ban_chinh",
    )
    assert component.allowed_types == ["pdf", "jpg", "png"]
    assert component.max_size == 10 * 1024 * 1024
    assert birth.time_limit_value == 0.5 and birth.no_appointment is True
    assert [f.amount for f in cat.procedures[2].fees] == [8000, 3000]


def test_text_is_normalised_to_nfc():
    doc = valid_document()
    doc["procedures"][0]["name"] = unicodedata.normalize("NFD", "  Cấp giấy phép xây dựng ")
    cat = exchange.parse_catalogue(doc)
    assert cat.procedures[0].name == unicodedata.normalize("NFC", "Cấp giấy phép xây dựng")


def test_direct_procedure_may_have_no_components():
    doc = valid_document()
    p = procedure(doc, "1.004650")
    p.update(level="truc_tiep", components=[])
    assert exchange.parse_catalogue(doc).procedures[0].components == []


def test_both_agency_notations_and_level_group_codes_accepted():
    doc = valid_document()
    doc["agencies"][2]["code"] = "000.00.13.H48"
    procedure(doc, "1.004650")["agency"] = "000.00.13.H48"
    cat = exchange.parse_catalogue(doc)
    assert "H48-CAPXA" in {a.code for a in cat.agencies}


def test_local_procedure_codes_accepted():
    doc = valid_document()
    doc["procedures"][0]["code"] = "1.004650.H48"
    assert exchange.parse_catalogue(doc).procedures[0].code == "1.004650.H48"


# --- document-level errors -----------------------------------------------------------------


@pytest.mark.parametrize("doc", [None, [], "chuỗi", 42])
def test_not_an_object(doc):
    assert "không phải một đối tượng JSON" in only_error(doc)


def test_wrong_format_marker():
    doc = valid_document()
    doc["format"] = "motcua.catalog/2"
    assert "«format»" in only_error(doc)


@pytest.mark.parametrize("section", ["fields", "agencies", "procedures"])
def test_section_not_a_list(section):
    doc = valid_document()
    doc[section] = {"code": "x"}
    errors = errors_of(doc)
    assert any(f"«{section}» phải là danh sách" in e for e in errors), errors


# --- one error of each kind, each naming its row and key ----------------------------------


def mutate(path_setter):
    doc = valid_document()
    path_setter(doc)
    return doc


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        # fields
        (lambda d: d["fields"][1].pop("name"), "Lĩnh vực thứ 2, trường «name»: bắt buộc"),
        (
            lambda d: d["fields"][0].update(code="X" * 31),
            "Lĩnh vực thứ 1, trường «code»: dài quá 30",
        ),
        (
            lambda d: d["fields"].append({"code": "VHCS", "name": "Trùng"}),
            "Mã lĩnh vực «VHCS» bị trùng",
        ),
        # agencies
        (
            lambda d: d["agencies"][2].update(kind="so"),
            "Cơ quan thứ 3, trường «kind»: phải là một trong",
        ),
        (
            lambda d: d["agencies"][2].update(code="SO-VHTTDL"),
            "Cơ quan thứ 3, trường «code»: không phải mã định danh",
        ),
        (
            lambda d: d["agencies"][0].update(code_qcvn102="00.00.H48"),
            "Cơ quan thứ 1, trường «code_qcvn102»",
        ),
        (
            lambda d: d["agencies"][2].update(valid_to="2025-01-01"),
            "Cơ quan thứ 3, trường «valid_to»: trước ngày",
        ),
        (
            lambda d: d["agencies"][2].update(valid_from="01/07/2025"),
            "Cơ quan thứ 3, trường «valid_from»: ngày phải",
        ),
        (lambda d: d["agencies"][2].update(predecessors="H34,  "), None),  # comma list is fine
        (
            lambda d: d["agencies"][2].update(predecessors=[1, 2]),
            "Cơ quan thứ 3, trường «predecessors»",
        ),
        (lambda d: d["agencies"].append(dict(d["agencies"][2])), "Mã cơ quan «H48.13» bị trùng"),
        (
            lambda d: d["agencies"].__setitem__(1, "H34"),
            "Cơ quan thứ 2: phải là một đối tượng JSON",
        ),
        # procedure versions
        (
            lambda d: d["procedures"][0].update(code="1.4650"),
            "Thủ tục thứ 1 (1.4650), trường «code»",
        ),
        (
            lambda d: d["procedures"][0].pop("name"),
            "Thủ tục thứ 1 (1.004650), trường «name»: bắt buộc",
        ),
        (
            lambda d: d["procedures"][0].pop("agency"),
            "Thủ tục thứ 1 (1.004650), trường «agency»: bắt buộc",
        ),
        (
            lambda d: d["procedures"][0].update(field=""),
            "Thủ tục thứ 1 (1.004650), trường «field»: bắt buộc",
        ),
        (
            lambda d: d["procedures"][0].update(level="muc_do_4"),
            "Thủ tục thứ 1 (1.004650), trường «level»",
        ),
        (
            lambda d: d["procedures"][0].update(competence_level="huyen"),
            "trường «competence_level»",
        ),
        (
            lambda d: d["procedures"][0].pop("valid_from"),
            "Thủ tục thứ 1 (1.004650), trường «valid_from»: bắt buộc",
        ),
        (
            lambda d: d["procedures"][0].update(valid_from="2025-02-30"),
            "trường «valid_from»: ngày phải",
        ),
        (
            lambda d: d["procedures"][0].update(valid_to="2025-06-30"),
            "Thủ tục thứ 1 (1.004650), trường «valid_to»",
        ),
        (lambda d: d["procedures"][0]["time_limit"].update(unit="tuan"), "thời hạn, trường «unit»"),
        (lambda d: d["procedures"][0]["time_limit"].update(value=-1), "thời hạn, trường «value»"),
        (lambda d: d["procedures"][0]["time_limit"].update(value="5"), "thời hạn, trường «value»"),
        (
            lambda d: d["procedures"][0]["time_limit"].update(value=150000),
            "thời hạn, trường «value»",
        ),
        (lambda d: d["procedures"][0]["time_limit"].update(value=0.25), "thời hạn, trường «value»"),
        (lambda d: d["procedures"][0]["time_limit"].update(value=9999.9, online_value=0.5), None),
        (
            lambda d: d["procedures"][0]["time_limit"].update(online_value=6),
            "thời hạn, trường «online_value»",
        ),
        (
            lambda d: d["procedures"][0].update(time_limit=5),
            "Thủ tục thứ 1 (1.004650), trường «time_limit»",
        ),
        (
            lambda d: d["procedures"][0].update(no_appointment="có"),
            "trường «no_appointment»: phải là true",
        ),
        (lambda d: d["procedures"][0]["flags"].update(mien_phi=True), "trường «flags.mien_phi»"),
        (
            lambda d: d["procedures"][0]["flags"].update(boundary_free="yes"),
            "trường «flags.boundary_free»",
        ),
        (
            lambda d: d["procedures"][0].update(delivery_methods=["email"]),
            "trường «delivery_methods»: chỉ gồm",
        ),
        (
            lambda d: d["procedures"][0].update(delivery_methods=["counter"]),
            "toàn trình phải trả kết quả",
        ),
        (
            lambda d: d["procedures"][0].update(components=[]),
            "trường «components»: dịch vụ trực tuyến phải có",
        ),
        (
            lambda d: d["procedures"][1].update(components=[]),
            "Thủ tục thứ 2 (1.001193), trường «components»",
        ),
        (
            lambda d: d["procedures"][0].update(components={"name": "x"}),
            "trường «components»: phải là danh sách",
        ),
        (lambda d: d["procedures"][0].update(fees="0"), "trường «fees»: phải là danh sách"),
        (
            lambda d: d["procedures"][0].update(legal_basis=[{"date": "2012-06-21"}]),
            "trường «legal_basis»: mỗi",
        ),
        (
            lambda d: d["procedures"][0]["legal_basis"][0].update(date="21/06/2012"),
            "ngày «21/06/2012»",
        ),
        (lambda d: d["procedures"][0].update(publication={"date": "x"}), "công bố, trường «date»"),
        # components
        (
            lambda d: d["procedures"][0]["components"][0].update(allowed_types=["exe"]),
            "Thủ tục thứ 1 (1.004650), thành phần 1, trường «allowed_types»",
        ),
        (
            lambda d: d["procedures"][0]["components"][1].update(allowed_types=[]),
            "thành phần 2, trường «allowed_types»",
        ),
        (
            lambda d: d["procedures"][0]["components"][0].update(max_size=60 * 2**20),
            "thành phần 1, trường «max_size»",
        ),
        (
            lambda d: d["procedures"][0]["components"][0].update(max_size=10),
            "thành phần 1, trường «max_size»",
        ),
        (
            lambda d: d["procedures"][0]["components"][0].update(copy_type="photo"),
            "thành phần 1, trường «copy_type»",
        ),
        (
            lambda d: d["procedures"][0]["components"][0].update(required="yes"),
            "thành phần 1, trường «required»",
        ),
        (
            lambda d: d["procedures"][0]["components"][0].update(originals=-1),
            "thành phần 1, trường «originals»",
        ),
        (
            lambda d: d["procedures"][0]["components"][0].update(copies=1.5),
            "thành phần 1, trường «copies»",
        ),
        (
            lambda d: d["procedures"][0]["components"][1].pop("name"),
            "thành phần 2, trường «name»: bắt buộc",
        ),
        (
            lambda d: d["procedures"][0]["components"].append("Đơn"),
            "thành phần 3: phải là một đối tượng",
        ),
        # fees
        (
            lambda d: d["procedures"][2]["fees"][0].update(amount=-8000),
            "Thủ tục thứ 3 (1.001193), khoản phí 1",
        ),
        (
            lambda d: d["procedures"][2]["fees"][1].update(amount="3.000"),
            "khoản phí 2, trường «amount»",
        ),
        (lambda d: d["procedures"][2]["fees"][0].update(kind="thue"), "khoản phí 1, trường «kind»"),
        (
            lambda d: d["procedures"][2]["fees"][0].pop("name"),
            "khoản phí 1, trường «name»: bắt buộc",
        ),
        # versions of one procedure
        (
            lambda d: d["procedures"][1].update(valid_to=None),
            "Thủ tục 1.001193: phiên bản từ 01/07/2025 chồng lên phiên bản từ 01/01/2026",
        ),
        (
            lambda d: d["procedures"][1].update(valid_to="2026-01-01"),
            "Thủ tục 1.001193: phiên bản từ 01/07/2025 chồng lên",
        ),
        (
            lambda d: d["procedures"][2].update(valid_from="2025-07-01"),
            "Thủ tục 1.001193: hai phiên bản cùng áp dụng từ 01/07/2025",
        ),
    ],
)
def test_each_kind_of_error(change, expected):
    doc = mutate(change)
    if expected is None:
        exchange.parse_catalogue(doc)
        return
    errors = errors_of(doc)
    assert any(expected in e for e in errors), errors


def test_every_error_is_reported_at_once():
    doc = valid_document()
    doc["format"] = "khac"
    doc["fields"][0]["name"] = ""
    doc["agencies"][2]["kind"] = "so"
    doc["procedures"][0]["level"] = "cap_4"
    doc["procedures"][0]["components"][0]["allowed_types"] = ["exe"]
    doc["procedures"][2]["fees"][0]["amount"] = -1
    doc["procedures"][1]["valid_to"] = None
    errors = errors_of(doc)
    for fragment in [
        "«format»",
        "Lĩnh vực thứ 1, trường «name»",
        "Cơ quan thứ 3, trường «kind»",
        "Thủ tục thứ 1 (1.004650), trường «level»",
        "Thủ tục thứ 1 (1.004650), thành phần 1, trường «allowed_types»",
        "Thủ tục thứ 3 (1.001193), khoản phí 1, trường «amount»",
        "chồng lên",
    ]:
        assert sum(fragment in e for e in errors) == 1, (fragment, errors)
    assert len(errors) == 7


def test_adjacent_versions_do_not_overlap():
    # valid_to is the last day: ending 31/12 and starting 01/01 is a clean hand-over.
    cat = exchange.parse_catalogue(valid_document())
    versions = [p for p in cat.procedures if p.code == "1.001193"]
    assert versions[0].valid_to + dt.timedelta(days=1) == versions[1].valid_from


def test_round_trip_through_dict_is_lossless():
    cat = exchange.parse_catalogue(valid_document())
    again = exchange.parse_catalogue(exchange.catalogue_to_dict(cat))
    assert again == cat
