import datetime as dt
import re

import pytest

from motcua.catalog.models import Agency, Component
from tests.factories import AgencyFactory, FieldFactory, ProcedureVersionFactory, add_fee
from tests.portal.conftest import html

pytestmark = pytest.mark.django_db


@pytest.fixture
def building(db):
    agency = AgencyFactory(
        code="H48.30",
        name="Sở Xây dựng tỉnh Quảng Ngãi",
        address="52 Hùng Vương, Quảng Ngãi",
        phone="0255 3822 000",
    )
    field = FieldFactory(code="XD", name="Hoạt động xây dựng")
    version = ProcedureVersionFactory(
        procedure__code="1.013225",
        agency=agency,
        field=field,
        level="mot_phan",
        name="Cấp giấy phép xây dựng đối với công trình, nhà ở riêng lẻ",
        time_limit_value=15,
        time_limit_online=12,
        applicants="Hộ gia đình, cá nhân",
        sequence="Bước 1: nộp hồ sơ.\nBước 2: nhận kết quả.",
        requirements="Phù hợp quy hoạch",
        result_name="Giấy phép xây dựng",
        legal_basis=[{"number": "135/2025/QH15", "title": "Luật Xây dựng", "date": "2025-06-26"}],
        delivery_methods=["counter", "post"],
        publication_decision="1190/QĐ-UBND",
        publication_date=dt.date(2025, 7, 10),
        competence_level="xa",
    )
    Component.objects.filter(version=version).delete()
    Component.objects.create(
        version=version,
        position=0,
        name="Đơn đề nghị cấp giấy phép xây dựng",
        description="Theo mẫu",
        required=True,
        originals=1,
        copies=0,
        allowed_types=["pdf", "docx"],
        max_size=10 * 1024 * 1024,
        template_name="Mẫu số 1",
    )
    Component.objects.create(
        version=version,
        position=1,
        name="Bản vẽ thiết kế",
        required=False,
        originals=2,
        copies=1,
        copy_type="ban_sao",
        allowed_types=["pdf"],
        max_size=1572864,
        multiple=True,
    )
    add_fee(version, 75000, name="Lệ phí cấp giấy phép xây dựng")
    add_fee(version, 1234000, name="Phí thẩm định", kind="phi")
    return version


def test_search_without_diacritics_finds_the_procedure(client, building):
    ProcedureVersionFactory(name="Đăng ký khai sinh")
    page = html(client.get("/thu-tuc/", {"q": "giay phep xay dung"}))
    assert "Tìm thấy 1 thủ tục" in page
    assert 'href="/thu-tuc/1.013225/"' in page and "Cấp giấy phép xây dựng" in page
    assert "Sở Xây dựng tỉnh Quảng Ngãi" in page and "Hoạt động xây dựng" in page
    assert "1.309.000\u00a0₫" in page and "15 ngày làm việc" in page
    assert 'class="badge badge--mot_phan">Một phần' in page
    assert "Đăng ký khai sinh" not in page


def test_free_procedure_says_so(client, db):
    ProcedureVersionFactory(name="Đăng ký khai sinh")
    assert "Không thu phí" in html(client.get("/thu-tuc/"))


@pytest.mark.parametrize(
    ("params", "found"),
    [
        ({"agency": "H48.30"}, True),
        ({"agency": "H48.99"}, False),
        ({"field": "XD"}, True),
        ({"field": "KHAC"}, False),
        ({"level": "mot_phan"}, True),
        ({"level": "toan_trinh"}, False),
    ],
)
def test_filters(client, building, params, found):
    AgencyFactory(code="H48.99", name="Sở Khác")
    ProcedureVersionFactory(
        name="Thủ tục khác",
        field=FieldFactory(code="KHAC"),
        level="truc_tiep",
        agency=Agency.objects.get(code="H48.99"),
    )
    page = html(client.get("/thu-tuc/", params))
    assert ("Cấp giấy phép xây dựng" in page) is found
    assert "Xóa bộ lọc" in page


def test_filter_lists_offer_agencies_fields_and_levels(client, building):
    page = html(client.get("/thu-tuc/"))
    assert '<option value="H48.30">Sở Xây dựng tỉnh Quảng Ngãi</option>' in page
    assert '<optgroup label="Sở, ban, ngành">' in page
    assert '<option value="XD">Hoạt động xây dựng</option>' in page
    assert '<option value="toan_trinh">Toàn trình</option>' in page


def test_unknown_level_is_ignored_not_an_error(client, building):
    r = client.get("/thu-tuc/", {"level": "muc_4", "q": "xay dung"})
    assert r.status_code == 200 and "Tìm thấy 1 thủ tục" in html(r)


def test_pagination_keeps_the_filters(client, db):
    field = FieldFactory(code="HT", name="Hộ tịch")
    for i in range(45):
        ProcedureVersionFactory(name=f"Thủ tục hộ tịch số {i:02d}", field=field)
    ProcedureVersionFactory(name="Thủ tục ngoài lĩnh vực")
    page = html(client.get("/thu-tuc/", {"field": "HT", "q": "ho tich"}))
    assert "Tìm thấy 45 thủ tục" in page and "trang 1/3" in page
    assert page.count('class="result"') == 20
    assert 'href="?field=HT&amp;q=ho+tich&amp;page=2"' in page
    page = html(client.get("/thu-tuc/", {"field": "HT", "q": "ho tich", "page": 3}))
    assert page.count('class="result"') == 5 and "Thủ tục hộ tịch số 44" in page
    assert 'rel="prev" href="?field=HT&amp;q=ho+tich&amp;page=2"' in page
    assert client.get("/thu-tuc/", {"page": "abc"}).status_code == 200
    assert client.get("/thu-tuc/", {"field": "HT", "page": 999}).status_code == 200


def test_empty_result_is_helpful(client, building):
    page = html(client.get("/thu-tuc/", {"q": "zqxw vbnm", "field": "XD"}))
    assert "Tìm thấy 0 thủ tục" in page and "Không tìm thấy thủ tục phù hợp" in page
    assert "Bỏ bớt điều kiện lọc" in page and "0255.3822200" in page


def test_procedure_page_has_everything_needed_before_applying(client, building):
    page = html(client.get("/thu-tuc/1.013225/"))
    for text in (
        "Cấp giấy phép xây dựng đối với công trình, nhà ở riêng lẻ",
        "Mã thủ tục 1.013225",
        "Sở Xây dựng tỉnh Quảng Ngãi",
        "52 Hùng Vương, Quảng Ngãi",
        "0255 3822 000",
        "Hoạt động xây dựng",
        "Cấp xã",
        "15 ngày làm việc",
        "Nộp trực tuyến: 12 ngày làm việc",
        "Hộ gia đình, cá nhân",
        "<p>Bước 1: nộp hồ sơ.<br>Bước 2: nhận kết quả.</p>",
        "Phù hợp quy hoạch",
        "Giấy phép xây dựng",
        "Nhận trực tiếp tại Bộ phận Một cửa",
        "Nhận qua dịch vụ bưu chính công ích",
        "Áp dụng từ 01/07/2025",
        "1190/QĐ-UBND, ngày 10/07/2025",
        "135/2025/QH15",
        "Luật Xây dựng",
        "ngày 26/06/2025",
    ):
        assert text in page, text
    components = page[page.index('id="components-title"') : page.index('id="fees-title"')]
    for text in (
        "Đơn đề nghị cấp giấy phép xây dựng",
        "Theo mẫu",
        "Mẫu: Mẫu số 1",
        "PDF, DOCX",
        "Tối đa 10 MB",
        "Bản vẽ thiết kế",
        "Bản chính: 2<br>Bản sao: 1",
        "Bản sao",
        "Tối đa 1,5 MB",
        "Được đính kèm nhiều tệp",
    ):
        assert text in components, text
    assert re.search(r"Bắt buộc</td>\s*<td[^>]*>Bản chính: 1", components)
    fees = page[page.index('id="fees-title"') :]
    for text in (
        "Lệ phí cấp giấy phép xây dựng",
        "75.000\u00a0₫",
        "Phí thẩm định",
        "1.234.000\u00a0₫",
        "Tổng cộng",
        "1.309.000\u00a0₫",
    ):
        assert text in fees, text


def test_anonymous_visitor_is_sent_to_login_and_back(client, building):
    page = html(client.get("/thu-tuc/1.013225/"))
    assert 'href="/dang-nhap/?next=%2Fthu-tuc%2F1.013225%2F"' in page
    assert "Nộp hồ sơ trực tuyến" in page and "Đăng nhập để nộp hồ sơ." in page


def test_logged_in_user_gets_the_checklist_while_there_is_no_submission_page(
    logged_in, building, monkeypatch
):
    from motcua.portal.views import catalogue

    # A deployment without the online submission pages (the URL does not resolve).
    monkeypatch.setattr(catalogue, "_submit_url", lambda code: None)
    page = html(logged_in.get("/thu-tuc/1.013225/"))
    assert "Chuẩn bị hồ sơ" in page and "Nộp hồ sơ trực tuyến</a>" not in page
    checklist = page[page.index("Chuẩn bị hồ sơ") : page.index('class="summary"')]
    assert (
        "Đơn đề nghị cấp giấy phép xây dựng" in checklist
        and "Bắt buộc" in checklist
        and "Nếu có" in checklist
    )
    assert "PDF, DOCX, tối đa 10 MB" in checklist


def test_logged_in_user_gets_the_submit_button_once_the_page_exists(
    logged_in, building, monkeypatch
):
    from motcua.portal.views import catalogue

    monkeypatch.setattr(catalogue, "_submit_url", lambda code: f"/nop-ho-so/{code}/")
    page = html(logged_in.get("/thu-tuc/1.013225/"))
    assert (
        '<a class="button button--large" href="/nop-ho-so/1.013225/">Nộp hồ sơ trực tuyến</a>'
        in page
    )


def test_counter_only_procedure_points_to_the_agency(client, db):
    agency = AgencyFactory(name="UBND xã Tịnh Phong", address="Thôn 1, xã Tịnh Phong")
    ProcedureVersionFactory(procedure__code="2.000001", level="truc_tiep", agency=agency)
    page = html(client.get("/thu-tuc/2.000001/"))
    assert "Nộp hồ sơ trực tiếp" in page and "Thôn 1, xã Tịnh Phong" in page
    assert "Nộp hồ sơ trực tuyến" not in page and "Chuẩn bị hồ sơ" not in page


def test_unknown_or_expired_procedure_is_a_404(client, db):
    ProcedureVersionFactory(procedure__code="3.000001", valid_to=dt.date(2025, 12, 31))
    for code in ("9.999999", "3.000001"):
        r = client.get(f"/thu-tuc/{code}/")
        assert r.status_code == 404
        assert "Không tìm thấy thủ tục" in html(r) and f"«{code}»" in html(r)


def test_a_very_long_query_is_cut_not_ignored(client, building):
    ProcedureVersionFactory(name="Đăng ký khai sinh")
    page = html(client.get("/thu-tuc/", {"q": "giay phep xay dung" + " " * 300 + "khai sinh"}))
    assert "Tìm thấy 1 thủ tục" in page and "Cấp giấy phép xây dựng" in page
