"""Usable on a small phone: no page scrolls sideways at 360 px.

Set MOTCUA_SCREENSHOTS=/some/dir to also save full-page screenshots at 360 and 1280 px, for
a person to look at.
"""

import os
from pathlib import Path

import pytest

from motcua.catalog.models import Component
from tests.factories import (
    AgencyFactory,
    FieldFactory,
    ProcedureVersionFactory,
    UserFactory,
    add_fee,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PAGES = {
    "home": "/",
    "search": "/thu-tuc/?q=giay+phep",
    "procedure": "/thu-tuc/1.013225/",
    "register": "/dang-ky/",
    "login": "/dang-nhap/",
    "mailbox": "/hop-thu-demo/",
    "not-found": "/khong-co-trang-nay/",
}


@pytest.fixture
def catalogue(db):
    """Realistic lengths: the longest names, agency names and tables the real catalogue has."""
    agency = AgencyFactory(
        code="H48.30",
        name="Sở Xây dựng tỉnh Quảng Ngãi",
        address="Số 52 đường Hùng Vương, phường Cẩm Thành, tỉnh Quảng Ngãi",
        phone="0255.3822.000",
    )
    field = FieldFactory(code="XD", name="Hoạt động xây dựng")
    version = ProcedureVersionFactory(
        procedure__code="1.013225",
        agency=agency,
        field=field,
        level="mot_phan",
        time_limit_value=15,
        name="Cấp giấy phép xây dựng (giấy phép xây dựng mới, giấy phép sửa chữa, cải tạo, giấy phép di dời "
        "công trình) đối với công trình, nhà ở riêng lẻ",
        applicants="Hộ gia đình, cá nhân, tổ chức xây dựng nhà ở riêng lẻ trên địa bàn xã, phường, đặc khu.",
        sequence="Bước 1: Nộp hồ sơ.\nBước 2: Kiểm tra hồ sơ.\nBước 3: Thẩm định.\nBước 4: Trả kết quả.",
        legal_basis=[
            {"number": "135/2025/QH15", "title": "Luật Xây dựng", "date": "2025-06-26"},
            {
                "number": "217/2026/NĐ-CP",
                "title": "Nghị định quy định chi tiết một số điều của Luật Xây "
                "dựng về cấp giấy phép xây dựng",
                "date": "2026-06-19",
            },
        ],
        delivery_methods=["counter", "post"],
        publication_decision="1190/QĐ-UBND",
    )
    Component.objects.create(
        version=version,
        position=2,
        name="Bản vẽ thiết kế xây dựng nhà ở riêng lẻ",
        description="Mặt bằng vị trí, mặt bằng các tầng, mặt đứng, mặt cắt, móng và đấu nối "
        "hạ tầng kỹ thuật.",
        originals=2,
        allowed_types=["pdf", "jpg", "png"],
        max_size=20 * 1024 * 1024,
        multiple=True,
    )
    add_fee(version, 75000, name="Lệ phí cấp giấy phép xây dựng nhà ở riêng lẻ")
    for i in range(22):
        ProcedureVersionFactory(
            name=f"Cấp giấy phép kinh doanh dịch vụ lữ hành nội địa số {i}",
            agency=AgencyFactory(code="H48.31", name="Sở Văn hóa, Thể thao và Du lịch"),
        )
    return version


def _check_pages(page, site, width, shots):
    for name, path in PAGES.items():
        page.goto(f"{site}{path}")
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= width, f"{name} is {scroll_width}px wide at {width}px"
        if shots:
            page.screenshot(path=str(shots / f"{name}-{width}.png"), full_page=True)


def test_no_horizontal_scroll_at_360px(browser, site, catalogue):
    shots = Path(os.environ["MOTCUA_SCREENSHOTS"]) if os.environ.get("MOTCUA_SCREENSHOTS") else None
    if shots:
        shots.mkdir(parents=True, exist_ok=True)
    widths = (360, 1280) if shots else (360,)
    for width in widths:
        context = browser.new_context(
            viewport={"width": width, "height": 740 if width == 360 else 900}, locale="vi-VN"
        )
        page = context.new_page()
        _check_pages(page, site, width, shots)
        user = UserFactory(email=f"congdan{width}@example.vn")
        page.goto(f"{site}/dang-nhap/")
        page.get_by_label("Thư điện tử").fill(user.email)
        page.get_by_label("Mật khẩu").fill("MatKhau2026")
        page.get_by_role("button", name="Đăng nhập").click()
        page.wait_for_url(f"{site}/trang-ca-nhan/")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        if shots:
            page.screenshot(path=str(shots / f"profile-{width}.png"), full_page=True)
            page.goto(f"{site}/thu-tuc/1.013225/")
            page.screenshot(path=str(shots / f"procedure-logged-in-{width}.png"), full_page=True)
        context.close()
