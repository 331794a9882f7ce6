"""Catalogue reads: search without diacritics, filters, versions in force (catalog.selectors)."""

import datetime as dt

import pytest
from django.utils import timezone

from motcua.catalog import selectors
from motcua.catalog.models import Agency, Component
from motcua.catalog.search.typos import edit_distance
from motcua.core.text import sort_key
from tests.factories import AgencyFactory, FieldFactory, ProcedureFactory, ProcedureVersionFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def catalogue():
    province = AgencyFactory(
        code="H48", name="UBND tỉnh Quảng Ngãi", kind=Agency.Kind.PROVINCE_COMMITTEE
    )
    construction = AgencyFactory(code="H48.16", name="Sở Xây dựng", parent=province)
    culture = AgencyFactory(code="H48.13", name="Sở Văn hóa, Thể thao và Du lịch", parent=province)
    communes = AgencyFactory(
        code="H48-CAPXA", name="UBND cấp xã", kind=Agency.Kind.LEVEL_GROUP, parent=province
    )
    commune = AgencyFactory(
        code="H48.40.01",
        name="UBND phường Cẩm Thành",
        kind=Agency.Kind.COMMUNE_COMMITTEE,
        parent=communes,
    )
    building, civil, ads = (
        FieldFactory(code="XD", name="Xây dựng"),
        FieldFactory(code="HT", name="Hộ tịch"),
        FieldFactory(code="VHCS", name="Văn hóa cơ sở"),
    )
    return {
        "permit": ProcedureVersionFactory(
            procedure=ProcedureFactory(code="1.009994"),
            name="Cấp giấy phép xây dựng nhà ở riêng lẻ",
            agency=construction,
            field=building,
            level="mot_phan",
        ),
        "ads": ProcedureVersionFactory(
            procedure=ProcedureFactory(code="1.004650"),
            name="Thông báo sản phẩm quảng cáo trên bảng quảng cáo, băng-rôn",
            agency=culture,
            field=ads,
            level="toan_trinh",
        ),
        "ads_permit": ProcedureVersionFactory(
            procedure=ProcedureFactory(code="1.001000"),
            name="Cấp giấy phép hoạt động quảng cáo",
            agency=culture,
            field=ads,
            level="truc_tiep",
        ),
        "birth": ProcedureVersionFactory(
            procedure=ProcedureFactory(code="1.001193"),
            name="Đăng ký khai sinh",
            agency=communes,
            field=civil,
            competence_level="xa",
            level="toan_trinh",
        ),
        "commune_own": ProcedureVersionFactory(
            procedure=ProcedureFactory(code="2.000001"),
            name="Chứng thực bản sao từ bản chính",
            agency=commune,
            field=civil,
            competence_level="xa",
            level="truc_tiep",
        ),
        "group_but_province": ProcedureVersionFactory(
            procedure=ProcedureFactory(code="2.000002"),
            name="Thủ tục cấp tỉnh gắn nhầm nhóm xã",
            agency=communes,
            field=civil,
            competence_level="tinh",
            level="truc_tiep",
        ),
    }


def codes(qs) -> list[str]:
    return [v.procedure.code for v in qs]


@pytest.mark.parametrize(
    "q",
    [
        "giay phep xay dung",
        "Cấp giấy phép xây dựng",
        "GIẤY PHÉP XÂY DỰNG",
        "  giấy   phép,  xây-dựng! ",
        "xay dung nha o",
    ],
)
def test_search_ignores_diacritics_case_and_punctuation(catalogue, q):
    assert codes(selectors.search_procedures(q=q))[0] == "1.009994"


@pytest.mark.parametrize("q", ["đăng ký", "dang ky", "ĐĂNG KÝ khai sinh", "Dang Ky Khai Sinh"])
def test_search_folds_d_with_stroke(catalogue, q):
    assert codes(selectors.search_procedures(q=q)) == ["1.001193"]


def test_more_matching_words_rank_first(catalogue):
    assert set(codes(selectors.search_procedures(q="giay phep"))) == {"1.009994", "1.001000"}
    # Every word matches only the advertising permit; the others match half of them.
    found = codes(selectors.search_procedures(q="giay phep quang cao"))
    assert found[0] == "1.001000" and set(found[1:]) == {"1.004650", "1.009994"}


def test_search_by_procedure_code(catalogue):
    assert codes(selectors.search_procedures(q="1.004650")) == ["1.004650"]


def test_empty_query_lists_everything_in_force_by_name(catalogue):
    names = [v.name for v in selectors.search_procedures(q="  ")]
    assert len(names) == 6
    assert names == sorted(names, key=sort_key)


def test_no_match_is_empty(catalogue):
    # Nothing alike even for the PostgreSQL similarity fallback.
    assert not selectors.search_procedures(q="zqxw vbnm").exists()


def test_filters(catalogue):
    assert set(codes(selectors.search_procedures(agency="H48.13"))) == {"1.004650", "1.001000"}
    assert set(codes(selectors.search_procedures(field="HT"))) == {
        "1.001193",
        "2.000001",
        "2.000002",
    }
    assert set(codes(selectors.search_procedures(level="toan_trinh"))) == {"1.004650", "1.001193"}
    assert codes(
        selectors.search_procedures(q="quang cao", agency="H48.13", level="truc_tiep")
    ) == ["1.001000"]
    assert not selectors.search_procedures(agency="H48.13", field="XD").exists()
    assert not selectors.search_procedures(agency="H48.99").exists()


def test_commune_code_also_finds_what_every_commune_decides(catalogue):
    # Procedures hung on the "UBND cấp xã" group at commune level, plus the commune's own;
    # not what the group holds at another level, nor other agencies' procedures.
    assert set(codes(selectors.search_procedures(agency="H48.40.01"))) == {"1.001193", "2.000001"}
    assert codes(selectors.search_procedures(agency="H48.40.01", q="khai sinh")) == ["1.001193"]


def test_a_department_code_does_not_pull_in_its_parent(catalogue):
    assert set(codes(selectors.search_procedures(agency="H48.16"))) == {"1.009994"}


def test_versions_not_in_force_are_excluded(catalogue):
    ProcedureVersionFactory(
        procedure=ProcedureFactory(code="1.000010"),
        name="Thủ tục đã bãi bỏ",
        valid_from=dt.date(2025, 7, 1),
        valid_to=TODAY - dt.timedelta(days=1),
    )
    ProcedureVersionFactory(
        procedure=ProcedureFactory(code="1.000011"),
        name="Thủ tục sắp áp dụng",
        valid_from=TODAY + dt.timedelta(days=1),
    )
    ProcedureVersionFactory(
        procedure=ProcedureFactory(code="1.000012"), name="Thủ tục hết hạn hôm nay", valid_to=TODAY
    )
    found = codes(selectors.search_procedures(q="thu tuc"))
    assert "1.000010" not in found and "1.000011" not in found
    assert "1.000012" in found  # valid_to is the last day it applies
    assert codes(
        selectors.search_procedures(q="sap ap dung", day=TODAY + dt.timedelta(days=1))
    ) == ["1.000011"]


def test_the_version_in_force_on_the_day_is_chosen():
    procedure = ProcedureFactory(code="1.001193")
    ProcedureVersionFactory(
        procedure=procedure,
        name="Đăng ký khai sinh (cũ)",
        valid_from=dt.date(2025, 7, 1),
        valid_to=dt.date(2025, 12, 31),
    )
    ProcedureVersionFactory(
        procedure=procedure, name="Đăng ký khai sinh (mới)", valid_from=dt.date(2026, 1, 1)
    )
    on = lambda day: [v.name for v in selectors.search_procedures(q="khai sinh", day=day)]  # noqa: E731
    assert on(dt.date(2025, 12, 31)) == ["Đăng ký khai sinh (cũ)"]
    assert on(dt.date(2026, 1, 1)) == ["Đăng ký khai sinh (mới)"]
    assert on(dt.date(2025, 6, 30)) == []
    assert (
        selectors.get_procedure_version("1.001193", dt.date(2025, 8, 1)).name
        == "Đăng ký khai sinh (cũ)"
    )
    assert (
        selectors.get_procedure_version("1.001193", dt.date(2026, 8, 1)).name
        == "Đăng ký khai sinh (mới)"
    )
    assert selectors.get_procedure_version("1.001193", dt.date(2025, 1, 1)) is None
    assert [v.name for v in selectors.procedure_versions("1.001193")] == [
        "Đăng ký khai sinh (mới)",
        "Đăng ký khai sinh (cũ)",
    ]


@pytest.mark.parametrize(
    "q",
    [
        "giay phep xay dunh",
        "giấy phếp xây dựg",
        "giay phep xay dugn",
        "giay phpe xay dung",
        "cap giay phep xay dung nha o rieng le",
    ],
)
def test_misspelt_query_still_finds_it(catalogue, q):
    found = codes(selectors.search_procedures(q=q))
    # The correction finds the intended procedure first.
    assert found[0] == "1.009994"


def test_correction_only_when_nothing_matches_as_typed(catalogue):
    # "quang" is a real word of the catalogue: no correction, ordinary substring search.
    assert set(codes(selectors.search_procedures(q="quang cao"))) == {"1.004650", "1.001000"}


def test_edit_distance_counts_a_swap_once():
    assert edit_distance("dugn", "dung", 2) == 1
    assert edit_distance("xay", "xay", 1) == 0
    assert edit_distance("abcdef", "uvwxyz", 2) == 3


def test_get_procedure_version_with_components_in_order(catalogue):
    version = catalogue["permit"]
    Component.objects.filter(version=version).delete()
    Component.objects.create(version=version, position=2, name="Bản vẽ thiết kế")
    Component.objects.create(version=version, position=1, name="Đơn đề nghị cấp giấy phép")
    found = selectors.get_procedure_version("1.009994")
    assert found == version
    assert [c.name for c in found.components.all()] == [
        "Đơn đề nghị cấp giấy phép",
        "Bản vẽ thiết kế",
    ]
    assert found.agency.parent.code == "H48"
    assert selectors.get_procedure_version("9.999999") is None


def test_get_procedure_version_reads_three_statements_and_keeps_them_when_pickled(
    catalogue, django_assert_num_queries
):
    import pickle

    from motcua.catalog.models import FeeItem

    version = catalogue["permit"]
    FeeItem.objects.filter(version=version).delete()
    FeeItem.objects.create(version=version, position=2, name="Phí thẩm định", amount=50000)
    FeeItem.objects.create(version=version, position=1, name="Lệ phí cấp phép", amount=75000)
    for _ in range(2):  # the second call runs the statements compiled by the first
        with django_assert_num_queries(3):
            found = selectors.get_procedure_version("1.009994")
    kept = pickle.loads(pickle.dumps(found))
    ordered = list(version.components.order_by("position", "id").values_list("pk", flat=True))
    with django_assert_num_queries(0):
        for v in (found, kept):
            assert [f.name for f in v.fees.all()] == ["Lệ phí cấp phép", "Phí thẩm định"]
            assert [c.pk for c in v.components.all()] == ordered
            assert v.procedure.code == "1.009994" and v.field_id == version.field_id
            assert all(c.version is v for c in v.components.all())


def test_current_agencies(catalogue):
    AgencyFactory(
        code="H34", name="UBND tỉnh Kon Tum", valid_from=None, valid_to=dt.date(2025, 6, 30)
    )
    AgencyFactory(code="H48.99", name="Sở sắp thành lập", valid_from=TODAY + dt.timedelta(days=30))
    AgencyFactory(code="H48.98", name="Đơn vị không ghi ngày", valid_from=None, valid_to=None)
    agencies = list(selectors.current_agencies())
    names = [a.name for a in agencies]
    assert names == sorted(names, key=sort_key)  # Vietnamese alphabetical order
    current = [a.code for a in agencies]
    assert "H34" not in current and "H48.99" not in current
    assert {"H48", "H48.13", "H48.16", "H48-CAPXA", "H48.40.01"} <= set(current)
    # No start date means "since before records began", as Agency.is_valid_on reads it.
    assert "H48.98" in current
    assert "H34" in [a.code for a in selectors.current_agencies(dt.date(2025, 6, 30))]


def test_agencies_with_procedures(catalogue):
    assert {a.code for a in selectors.agencies_with_procedures()} == {
        "H48.16",
        "H48.13",
        "H48-CAPXA",
        "H48.40.01",
    }


def test_all_fields_sorted_by_name(catalogue):
    assert [f.name for f in selectors.all_fields()] == ["Hộ tịch", "Văn hóa cơ sở", "Xây dựng"]
