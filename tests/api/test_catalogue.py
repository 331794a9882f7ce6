"""/api/v1/agencies, /fields, /procedures, /procedures/{code} (openapi.yaml)."""

import datetime as dt

import pytest
from django.utils import timezone

from motcua.catalog.models import Agency, Component, Procedure, ProcedureVersion
from tests.api.helpers import assert_error
from tests.factories import (
    AgencyFactory,
    FieldFactory,
    ProcedureFactory,
    ProcedureVersionFactory,
    add_fee,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def catalogue():
    province = AgencyFactory(
        code="H48", name="UBND tỉnh Quảng Ngãi", kind=Agency.Kind.PROVINCE_COMMITTEE
    )
    old = AgencyFactory(
        code="H34", name="UBND tỉnh Kon Tum", valid_from=None, valid_to=dt.date(2025, 6, 30)
    )
    province.predecessors.add(old)
    construction = AgencyFactory(code="H48.16", name="Sở Xây dựng", parent=province)
    culture = AgencyFactory(code="H48.13", name="Sở Văn hóa, Thể thao và Du lịch", parent=province)
    group = AgencyFactory(
        code="H48-CAPXA", name="UBND cấp xã", kind=Agency.Kind.LEVEL_GROUP, parent=province
    )
    AgencyFactory(
        code="H48.40.01",
        name="UBND phường Cẩm Thành",
        kind=Agency.Kind.COMMUNE_COMMITTEE,
        parent=group,
    )
    building, civil = (
        FieldFactory(code="XD", name="Xây dựng"),
        FieldFactory(code="HT", name="Hộ tịch"),
    )
    permit = ProcedureVersionFactory(
        procedure=ProcedureFactory(code="1.009994"),
        name="Cấp giấy phép xây dựng nhà ở riêng lẻ",
        agency=construction,
        field=building,
        level="mot_phan",
        time_limit_value=15,
        time_limit_online=12,
        requirements="Phù hợp quy hoạch chi tiết.",
        legal_basis=[{"number": "50/2014/QH13", "title": "Luật Xây dựng", "date": "2014-06-18"}],
        delivery_methods=["counter", "post"],
    )
    add_fee(permit, 75000, name="Lệ phí cấp giấy phép xây dựng")
    add_fee(permit, 15000, name="Phí thẩm định", kind="phi")
    ProcedureVersionFactory(
        procedure=ProcedureFactory(code="1.001193"),
        name="Đăng ký khai sinh",
        agency=group,
        field=civil,
        competence_level="xa",
        level="toan_trinh",
        time_limit_value=0.5,
    )
    ProcedureVersionFactory(
        procedure=ProcedureFactory(code="1.004650"),
        name="Thông báo sản phẩm quảng cáo trên bảng quảng cáo",
        agency=culture,
        field=FieldFactory(code="VHCS", name="Văn hóa cơ sở"),
        level="toan_trinh",
    )
    ProcedureVersionFactory(
        procedure=ProcedureFactory(code="1.000001"),
        name="Thủ tục đã hết hiệu lực",
        agency=culture,
        field=civil,
        valid_to=TODAY - dt.timedelta(days=1),
    )
    return permit


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    return body["results"]


# --- agencies and fields ----------------------------------------------------------------------


def test_agencies_valid_today_with_parent_codes(api, catalogue):
    agencies = {a["code"]: a for a in results(api.get("/api/v1/agencies"))}
    assert set(agencies) == {"H48", "H48.16", "H48.13", "H48-CAPXA", "H48.40.01"}
    assert agencies["H48.13"]["parent"] == "H48"
    assert agencies["H48.40.01"]["parent"] == "H48-CAPXA"
    assert agencies["H48"]["parent"] is None
    assert agencies["H48"]["predecessors"] == ["H34"]
    assert agencies["H48.16"]["name"] == "Sở Xây dựng"
    assert {"code", "name", "parent"} <= set(agencies["H48"])


def test_fields(api, catalogue):
    fields = results(api.get("/api/v1/fields"))
    assert fields == [
        {"code": "HT", "name": "Hộ tịch"},
        {"code": "VHCS", "name": "Văn hóa cơ sở"},
        {"code": "XD", "name": "Xây dựng"},
    ]


# --- procedure list ---------------------------------------------------------------------------


def test_procedure_list_shape(api, catalogue):
    items = {p["code"]: p for p in results(api.get("/api/v1/procedures"))}
    assert set(items) == {"1.009994", "1.001193", "1.004650"}  # not the expired one
    permit = items["1.009994"]
    assert {"code", "name", "agency", "field", "level", "processing_time", "fee"} <= set(permit)
    assert permit["name"] == "Cấp giấy phép xây dựng nhà ở riêng lẻ"
    assert permit["agency"] == {"code": "H48.16", "name": "Sở Xây dựng"}
    assert permit["field"] == {"code": "XD", "name": "Xây dựng"}
    assert permit["level"] == "mot_phan"
    assert (
        permit["processing_time"]["value"] == 15
        and permit["processing_time"]["unit"] == "working_days"
    )
    assert permit["fee"] == 90000 and isinstance(permit["fee"], int)
    assert items["1.001193"]["processing_time"]["value"] == 0.5
    assert items["1.001193"]["fee"] == 0


@pytest.mark.parametrize(
    ("query", "codes"),
    [
        ("q=giay phep xay dung", {"1.009994"}),
        ("q=Cấp GIẤY phép", {"1.009994"}),
        ("q=dang ky", {"1.001193"}),
        ("q=đăng ký khai sinh", {"1.001193"}),
        ("q=1.004650", {"1.004650"}),
        ("agency=H48.13", {"1.004650"}),
        ("agency=H48.40.01", {"1.001193"}),  # a commune sees what every commune decides
        ("field=XD", {"1.009994"}),
        ("level=toan_trinh", {"1.001193", "1.004650"}),
        ("level=toan_trinh&field=HT", {"1.001193"}),
        ("q=quang cao&agency=H48.16", set()),
        ("agency=KHONGCO", set()),
    ],
)
def test_procedure_filters(api, catalogue, query, codes):
    assert {p["code"] for p in results(api.get(f"/api/v1/procedures?{query}"))} == codes


def test_invalid_level(api, catalogue):
    assert_error(api.get("/api/v1/procedures?level=muc_do_4"), 400, "validation_error", {"level"})


@pytest.fixture
def many(catalogue):
    # 105 more procedures, written in bulk: the factory's extra queries would dominate.
    agency, field = catalogue.agency, catalogue.field
    procedures = Procedure.objects.bulk_create(
        Procedure(code=f"2.{100000 + i}") for i in range(105)
    )
    ProcedureVersion.objects.bulk_create(
        ProcedureVersion(
            procedure=p,
            valid_from=dt.date(2025, 7, 1),
            name=f"Thủ tục hàng loạt {i:03d}",
            search_text=f"{p.code} thu tuc hang loat {i:03d}",
            agency=agency,
            field=field,
            level="truc_tiep",
            time_limit_value=1,
            delivery_methods=["counter"],
        )
        for i, p in enumerate(procedures)
    )
    return 108


def test_pagination(api, many):
    r = api.get("/api/v1/procedures")
    body = r.json()
    assert body["count"] == many
    assert len(body["results"]) == 20 and body["previous"] is None
    assert (
        body["next"].startswith("http://testserver/api/v1/procedures?") and "page=2" in body["next"]
    )
    last = api.get("/api/v1/procedures?page=6").json()
    assert (
        len(last["results"]) == many - 5 * 20
        and last["next"] is None
        and "page=5" in last["previous"]
    )
    seen = []
    url = "/api/v1/procedures?page_size=50"
    while url:
        page = api.get(url).json()
        seen += [p["code"] for p in page["results"]]
        url = page["next"]
    assert len(seen) == len(set(seen)) == many


def test_page_size_is_capped_at_100(api, many):
    body = api.get("/api/v1/procedures?page_size=500").json()
    assert len(body["results"]) == 100
    assert body["count"] == many and body["next"] is not None


def test_filters_apply_before_pagination(api, many):
    body = api.get("/api/v1/procedures?q=hang loat&page_size=5").json()
    assert body["count"] == 105 and len(body["results"]) == 5


@pytest.mark.parametrize("path", ["/api/v1/procedures", "/api/v1/agencies", "/api/v1/fields"])
def test_page_past_the_last_does_not_exist(api, catalogue, path):
    assert_error(api.get(f"{path}?page=99"), 404, "not_found")


@pytest.mark.parametrize("page", ["0", "abc", "-1", "1.5", "²"])
@pytest.mark.parametrize("path", ["/api/v1/procedures", "/api/v1/agencies", "/api/v1/fields"])
def test_page_that_is_not_a_number_from_one_is_bad_input(api, catalogue, path, page):
    assert_error(api.get(f"{path}?page={page}"), 400, "validation_error", fields=["page"])


def test_agencies_and_fields_are_paginated_too(api, catalogue):
    body = api.get("/api/v1/agencies?page_size=2").json()
    assert (body["count"], len(body["results"])) == (5, 2) and "page=2" in body["next"]
    body = api.get("/api/v1/fields?page_size=500").json()
    assert body["count"] == len(body["results"]) == 3


# --- procedure detail -------------------------------------------------------------------------


def test_procedure_detail(api, catalogue):
    r = api.get("/api/v1/procedures/1.009994")
    assert r.status_code == 200
    body = r.json()
    assert body["code"] == "1.009994" and body["agency"]["code"] == "H48.16"
    assert body["processing_time"]["value"] == 15 and body["processing_time"]["online_value"] == 12
    assert body["fee"] == 90000
    components = body["components"]
    ids = list(
        Component.objects.filter(version=catalogue)
        .order_by("position")
        .values_list("pk", flat=True)
    )
    assert [c["id"] for c in components] == ids
    first = components[0]
    assert {"id", "name", "required", "multiple", "allowed_types", "max_size"} <= set(first)
    assert (first["name"], first["required"], first["multiple"]) == ("Đơn đề nghị", True, False)
    assert first["allowed_types"] == ["pdf", "docx"]
    assert first["max_size"] == 10 * 1024 * 1024
    assert (components[1]["required"], components[1]["multiple"]) == (False, True)
    assert [(f["name"], f["amount"], f["kind"]) for f in body["fees"]] == [
        ("Lệ phí cấp giấy phép xây dựng", 75000, "le_phi"),
        ("Phí thẩm định", 15000, "phi"),
    ]
    assert body["delivery_methods"] == ["counter", "post"]
    assert set(body["delivery_methods"]) <= {"counter", "post", "online"}
    assert body["legal_basis"] == [
        {"number": "50/2014/QH13", "title": "Luật Xây dựng", "date": "2014-06-18"}
    ]
    assert body["requirements"] == "Phù hợp quy hoạch chi tiết."


def test_procedure_detail_shows_the_version_in_force(api, catalogue):
    procedure = catalogue.procedure
    ProcedureVersion.objects.filter(pk=catalogue.pk).update(valid_to=TODAY - dt.timedelta(days=1))
    ProcedureVersionFactory(
        procedure=procedure, name="Cấp giấy phép xây dựng (mới)", valid_from=TODAY
    )
    body = api.get("/api/v1/procedures/1.009994").json()
    assert body["name"] == "Cấp giấy phép xây dựng (mới)"
    assert body["version"]["valid_from"] == TODAY.isoformat()


@pytest.mark.parametrize("code", ["9.999999", "1.000001", "khong-co"])
def test_unknown_or_expired_procedure(api, catalogue, code):
    assert_error(api.get(f"/api/v1/procedures/{code}"), 404, "not_found")


def test_catalogue_is_public_but_a_bad_token_is_still_refused(api, catalogue):
    assert api.get("/api/v1/procedures").status_code == 200
    api.credentials(HTTP_AUTHORIZATION="Bearer het-han")
    assert_error(api.get("/api/v1/procedures"), 401, "unauthenticated")


def test_a_page_of_procedures_builds_the_serializer_once(api, many, monkeypatch):
    # A serializer builds its fields from the model each time one is made: a page of twenty
    # procedures not seen before is serialised together, not one serializer per row.
    from motcua.api import serializers

    built = []
    original = serializers.ProcedureOut.get_fields

    def counting(self):
        built.append(self)
        return original(self)

    monkeypatch.setattr(serializers.ProcedureOut, "get_fields", counting)
    first = api.get("/api/v1/procedures").json()["results"]
    assert len(first) == 20 and len(built) == 1
    # Rows already serialised are kept on the search snapshot's versions: nothing to build.
    again = api.get("/api/v1/procedures").json()["results"]
    assert again == first and len(built) == 1
