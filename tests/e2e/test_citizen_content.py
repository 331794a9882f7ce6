"""What a citizen reads on the pages, in Chromium on a laptop and on a phone: the fee due
with its legal basis on the check page, a document to show rather than upload, the kind of
day a time limit counts, a downloadable form, and the communes in Vietnamese order.

Set MOTCUA_SCREENSHOTS=/some/dir to also save full-page screenshots.
"""

import os
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import expect

from motcua.catalog.models import Agency, Component, FeeItem
from motcua.core.text import sort_key
from motcua.demo.services import demo_form_pdf
from tests.factories import PASSWORD, AgencyFactory, ProcedureVersionFactory, UserFactory
from tests.portal.dossiers_support import advertising, components_of, private_dir, ready  # noqa: F401

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("private_dir"),
]

SIZES = {"laptop": (1366, 768), "phone": (390, 844)}
BASIS = "Thông tư số 85/2019/TT-BTC của Bộ Tài chính"


@pytest.fixture
def version(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "public"
    version = advertising()
    version.time_limit_value, version.time_limit_unit = 15, "days"
    version.save()
    FeeItem.objects.create(
        version=version, name="Lệ phí thẩm định nội dung", amount=1_234_000, legal_basis=BASIS
    )
    version.fee_total = 1_234_000
    version.save(update_fields=["fee_total"])
    Component.objects.create(
        version=version,
        position=9,
        name="Giấy tờ tùy thân của người yêu cầu",
        originals=0,
        copies=0,
        copy_type=Component.CopyType.SHOW_ONLY,
    )
    form = components_of(version)[0]
    form.template_name = "Mẫu số 01"
    form.template_file.save("mau-01.pdf", ContentFile(demo_form_pdf(form)), save=True)
    return version


def _shot(page, name):
    folder = os.environ.get("MOTCUA_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def _fits(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("size", SIZES)
def test_procedure_and_check_pages(page, site, version, size):
    page.set_viewport_size(dict(zip(("width", "height"), SIZES[size], strict=True)))
    page.goto(f"{site}/thu-tuc/{version.procedure.code}/")
    main = page.locator("main")
    expect(main).to_contain_text("15 ngày (theo lịch)")
    expect(main).to_contain_text("Xuất trình bản chính khi nhận kết quả, không cần tải lên.")
    with page.expect_download() as download:
        page.get_by_role("link", name="Mẫu số 01").click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF-")
    _fits(page)
    _shot(page, f"procedure-{size}")

    user = UserFactory()
    dossier = ready(user, version)
    page.goto(f"{site}/dang-nhap/")
    page.get_by_label("Thư điện tử").fill(user.email)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.goto(f"{site}/ho-so/{dossier.public_id}/kiem-tra/")
    fees = page.locator("#phi-le-phi")
    expect(fees).to_be_visible()
    expect(fees).to_contain_text("1.234.000\u00a0₫")
    expect(fees).to_contain_text(f"Căn cứ: {BASIS}")
    expect(page.locator("main")).to_contain_text("Xuất trình bản chính khi nhận kết quả")
    _fits(page)
    _shot(page, f"review-{size}")


@pytest.mark.parametrize("size", SIZES)
def test_receiving_offices_in_vietnamese_order(page, site, size):
    group = AgencyFactory(code="H48-CAPXA", name="UBND cấp xã", kind=Agency.Kind.LEVEL_GROUP)
    for i, name in enumerate(["xã Chư Păh", "xã Cho Ra", "xã Chấm Nhất", "xã Đăk Hà", "xã Dung"]):
        AgencyFactory(
            code=f"H48.40.{i + 1:02d}",
            name=f"Ủy ban nhân dân {name}",
            kind=Agency.Kind.COMMUNE_COMMITTEE,
            parent=group,
        )
    version = ProcedureVersionFactory(agency=group, competence_level="xa")
    user = UserFactory()
    page.set_viewport_size(dict(zip(("width", "height"), SIZES[size], strict=True)))
    page.goto(f"{site}/dang-nhap/")
    page.get_by_label("Thư điện tử").fill(user.email)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.goto(f"{site}/thu-tuc/{version.procedure.code}/nop-ho-so/")
    options = page.locator("select option").all_inner_texts()[1:]
    assert options == [
        "Ủy ban nhân dân xã Chấm Nhất",
        "Ủy ban nhân dân xã Cho Ra",
        "Ủy ban nhân dân xã Chư Păh",
        "Ủy ban nhân dân xã Dung",
        "Ủy ban nhân dân xã Đăk Hà",
    ]
    assert options == sorted(options, key=sort_key)
    _fits(page)
