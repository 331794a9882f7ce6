"""The back office in a real browser, with the demo accounts (README): a dossier carried from
reception to the result handed back, a supplement, a refusal and a walk-in at the counter,
on the officer's dossier page at 1366×768, by keyboard, axe-clean.

Set MOTCUA_SCREENSHOTS=/some/dir to save the pages.
"""

import os
import re

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from playwright.sync_api import expect

from motcua.accounts.models import User
from motcua.catalog.models import Component
from motcua.catalog.selectors import search_procedures
from motcua.dossiers import services
from motcua.dossiers.models import Dossier, Status, SupplementRequest
from motcua.signing.services import verify_pdf
from tests.e2e.a11y import assert_no_axe_violations, overflow, small_targets

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ADVERTISING = "thong bao san pham quang cao tren bang quang cao bang ron"


@pytest.fixture
def demo(db):
    call_command("seed_demo")
    return {
        name: User.objects.get(email=f"{name}@demo.motcua.vn")
        for name in ("congdan", "tiepnhan", "truongphong", "chuyenvien", "lanhdao")
    }


def submitted(citizen) -> Dossier:
    """The demo citizen's advertising notification, submitted online."""
    version = search_procedures(q=ADVERTISING).first()
    draft = services.create_draft(owner=citizen, procedure_code=version.procedure.code)
    services.update_draft(draft, actor=citizen, delivery=services.Delivery(method="counter"))
    for component in draft.version.components.filter(required=True).exclude(
        copy_type=Component.CopyType.SHOW_ONLY
    ):
        services.add_file(
            draft, actor=citizen, component_id=component.pk, name="ban-quet.pdf", content=PDF
        )
    return services.submit(draft, citizen)


def desk_page(browser, site, user):
    """A browser tab at 1366×768 logged in as ``user``."""
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": site}]
    )
    return context.new_page()


def fire(page, label, fields=None):
    """Open the action ``label`` and send it by keyboard: Enter on its summary opens the
    form, fields are typed into, Enter on the button sends it."""
    exact = re.compile(f"^{re.escape(label)}$")
    action = page.locator("details.desk-action", has=page.locator("summary", has_text=exact))
    if not action.evaluate("e => e.open"):  # a form that failed stays open
        action.locator("summary").focus()
        page.keyboard.press("Enter")
    for name, value in (fields or {}).items():
        field = (
            action.get_by_label(name, exact=True)
            if isinstance(name, str)
            else action.get_by_label(name)
        )
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(label=value)
        elif field.get_attribute("type") == "radio":
            field.check()
        else:
            field.fill(value)
    action.get_by_role("button", name=label).press("Enter")
    page.wait_for_load_state()


def shown(page, site, code, shot=""):
    page.goto(f"{site}/can-bo/ho-so/{code}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hồ sơ {code}")
    assert overflow(page) == 0
    assert_no_axe_violations(page)
    if shot and (out := os.environ.get("MOTCUA_SCREENSHOTS")):
        page.screenshot(path=f"{out}/{shot}.png", full_page=True)


def actions(page) -> list[str]:
    return page.locator("details.desk-action summary").all_inner_texts()


def test_from_reception_to_the_result_handed_back(browser, site, demo):
    d = submitted(demo["congdan"])
    code = d.code

    page = desk_page(browser, site, demo["tiepnhan"])
    shown(page, site, code, "desk-reception")
    assert set(actions(page)) == {
        "Tiếp nhận hồ sơ",
        "Từ chối tiếp nhận hồ sơ",
        "Yêu cầu bổ sung, hoàn thiện hồ sơ",
    }
    # The scan opens in the browser, not as a download.
    link = page.get_by_role("link", name="ban-quet.pdf").first
    response = page.request.get(site + link.get_attribute("href"))
    assert response.status == 200 and response.headers["content-disposition"].startswith("inline")
    fire(page, "Tiếp nhận hồ sơ")
    expect(page.get_by_role("status")).to_contain_text(
        f"Đã thực hiện «Tiếp nhận hồ sơ» cho hồ sơ {code}."
    )
    expect(
        page.get_by_text("Đang xử lý trong hạn").or_(page.get_by_text("Sắp đến hạn")).first
    ).to_be_visible()
    page.context.close()

    page = desk_page(browser, site, demo["truongphong"])
    shown(page, site, code, "desk-assign")
    fire(page, "Phân công thụ lý", {re.compile("^Người nhận"): demo["chuyenvien"].display_name})
    expect(page.get_by_role("status")).to_contain_text("Đã thực hiện «Phân công thụ lý»")
    page.context.close()
    d.refresh_from_db()
    assert d.assignee == demo["chuyenvien"] and d.status == Status.PROCESSING

    page = desk_page(browser, site, demo["chuyenvien"])
    shown(page, site, code)
    fire(
        page,
        "Chuyển bước xử lý",
        {re.compile("^Ghi chú"): "Đã thẩm định, dự thảo thông báo kèm theo."},
    )
    expect(page.get_by_role("status")).to_contain_text("Đã thực hiện «Chuyển bước xử lý»")
    page.context.close()

    page = desk_page(browser, site, demo["truongphong"])
    shown(page, site, code)
    fire(page, "Duyệt dự thảo kết quả")
    page.context.close()

    page = desk_page(browser, site, demo["lanhdao"])
    shown(page, site, code, "desk-sign")
    # Acceptance issued the receipt (Mẫu 01): it downloads from the page.
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile(r"^Mẫu 01, số ")).press("Enter")
    assert download.value.suggested_filename == f"mau-01-{code}.pdf"
    fire(page, "Ký, ban hành kết quả")
    expect(page.get_by_role("status")).to_contain_text("Đã thực hiện «Ký, ban hành kết quả»")
    # The result is signed with the leader's demo certificate and its signature holds.
    link = page.get_by_role("link", name=re.compile(r"^Kết quả đã ký số"))
    signed = page.request.get(site + link.get_attribute("href")).body()
    check = verify_pdf(signed)
    assert check.valid, check.message
    page.context.close()
    d.refresh_from_db()
    assert d.status == Status.FINISHED

    page = desk_page(browser, site, demo["tiepnhan"])
    shown(page, site, code)
    fire(
        page,
        "Trả kết quả",
        {"Trực tiếp tại Bộ phận Một cửa": True, "Họ tên người nhận": "Nguyễn Văn Công"},
    )
    expect(page.get_by_role("status")).to_contain_text("Đã thực hiện «Trả kết quả»")
    assert actions(page) == []
    page.context.close()
    d.refresh_from_db()
    assert d.status == Status.RETURNED

    # The citizen checks the result's signature on the public verification page.
    page = browser.new_page(viewport={"width": 1366, "height": 768}, locale="vi-VN")
    page.goto(f"{site}/tra-cuu/xac-thuc/{code}")
    expect(page.get_by_text("Chữ ký số hợp lệ.")).to_be_visible()
    page.close()

    citizen_collects_the_result(browser, site, code, demo["lanhdao"].display_name)


# Every step the back office took, as the citizen's history names them.
STEPS = (
    "Nộp hồ sơ",
    "Tiếp nhận hồ sơ",
    "Phân công thụ lý",
    "Chuyển bước xử lý",
    "Duyệt dự thảo kết quả",
    "Ký, ban hành kết quả",
    "Trả kết quả",
)


def citizen_collects_the_result(browser, site, code, signer):
    """The demo citizen logs in on a phone, opens the dossier from the personal page, sees
    every step, and downloads the signed result and the office's forms."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="vi-VN", accept_downloads=True
    )
    page = context.new_page()
    page.goto(f"{site}/dang-nhap/")
    page.get_by_label("Thư điện tử").fill("congdan@demo.motcua.vn")
    page.get_by_label("Mật khẩu").fill("demo12345")
    page.get_by_role("button", name="Đăng nhập").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Trang cá nhân")
    card = page.locator(".dossier-card").filter(has_text=code)
    card.get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hồ sơ {code}")
    expect(page.locator(".status-line")).to_contain_text("Đã trả kết quả")

    history = page.get_by_role("table").filter(has_text="Thời gian")
    for step in STEPS:
        expect(history).to_contain_text(step)

    result = page.get_by_role("region", name="Kết quả giải quyết")
    expect(result).to_contain_text(signer)
    with page.expect_download() as download:
        result.get_by_role("link", name="Tải kết quả đã ký số (PDF)").click()
    check = verify_pdf(open(download.value.path(), "rb").read())
    assert check.valid, check.message
    assert signer in check.signer_name

    forms = page.get_by_role("region", name="Văn bản cơ quan gửi bạn")
    # The receipt (Mẫu 01) acceptance issued is listed, and each form downloads as a PDF.
    expect(forms.get_by_role("link", name=re.compile("tiếp nhận hồ sơ", re.I))).to_have_count(1)
    links = forms.get_by_role("link")
    assert links.count() >= 1
    for n in range(links.count()):
        with page.expect_download() as download:
            links.nth(n).click()
        assert open(download.value.path(), "rb").read().startswith(b"%PDF-")

    assert overflow(page) == 0
    assert small_targets(page) == []
    assert_no_axe_violations(page)
    if out := os.environ.get("MOTCUA_SCREENSHOTS"):
        page.screenshot(path=f"{out}/citizen-result-390.png", full_page=True)
    context.close()


def test_supplement_with_items_then_refusal_of_another(browser, site, demo):
    first = submitted(demo["congdan"])
    page = desk_page(browser, site, demo["tiepnhan"])
    shown(page, site, first.code)
    # Sent without any item: the error sits next to the first row and in the summary.
    fire(page, "Yêu cầu bổ sung, hoàn thiện hồ sơ", {"Lý do": "Hồ sơ chưa đầy đủ thành phần."})
    expect(page.get_by_role("alert")).to_contain_text("Cần ít nhất một nội dung phải bổ sung.")
    assert_no_axe_violations(page)
    action = page.locator("details.desk-action[open]")
    expect(action.get_by_label("Lý do", exact=True)).to_have_value("Hồ sơ chưa đầy đủ thành phần.")
    action.get_by_label("Nội dung 1", exact=True).fill("Mẫu thiết kế sản phẩm quảng cáo")
    action.get_by_label(re.compile("^Lý do, hướng dẫn 1")).fill("Bản in màu, có chữ ký")
    action.get_by_role("button", name="Thêm dòng").press("Enter")
    page.wait_for_load_state()
    action = page.locator("details.desk-action[open]")
    action.get_by_label("Nội dung 4", exact=True).fill(
        "Giấy tờ chứng minh quyền sử dụng bảng quảng cáo"
    )
    action.get_by_role("button", name="Yêu cầu bổ sung, hoàn thiện hồ sơ").press("Enter")
    page.wait_for_load_state()
    expect(page.get_by_role("status")).to_contain_text("Đã thực hiện «Yêu cầu bổ sung")
    request = SupplementRequest.objects.get(dossier=first)
    assert request.items == [
        "Mẫu thiết kế sản phẩm quảng cáo — Bản in màu, có chữ ký",
        "Giấy tờ chứng minh quyền sử dụng bảng quảng cáo",
    ]

    second = submitted(demo["congdan"])
    shown(page, site, second.code)
    fire(page, "Từ chối tiếp nhận hồ sơ", {"Lý do": ""})
    expect(page.get_by_role("alert")).to_contain_text("Vui lòng nhập lý do.")
    fire(page, "Từ chối tiếp nhận hồ sơ", {"Lý do": "Sản phẩm quảng cáo thuộc thẩm quyền của xã."})
    expect(page.get_by_role("status")).to_contain_text("Đã thực hiện «Từ chối tiếp nhận hồ sơ»")
    second.refresh_from_db()
    assert second.status == Status.REFUSED
    page.context.close()


def test_a_walk_in_citizen_at_the_counter(browser, site, demo, tmp_path):
    version = search_procedures(q=ADVERTISING).first()
    page = desk_page(browser, site, demo["tiepnhan"])
    # The same staff header on the tracking book, the queues and the dossier page leads there.
    page.goto(f"{site}/can-bo/so-theo-doi-ho-so/")
    staff_nav = page.get_by_role("navigation", name="Điều hướng cán bộ")
    expect(staff_nav.get_by_role("link", name="Sổ theo dõi hồ sơ")).to_have_attribute(
        "aria-current", "page"
    )
    staff_nav.get_by_role("link", name="Tiếp nhận tại quầy").press("Enter")
    page.wait_for_url(f"{site}/can-bo/tiep-nhan-tai-quay/")
    expect(
        page.get_by_role("navigation", name="Điều hướng cán bộ").get_by_role(
            "link", name="Tiếp nhận tại quầy"
        )
    ).to_have_attribute("aria-current", "page")
    assert_no_axe_violations(page)
    page.get_by_label("Thủ tục hành chính").select_option(version.procedure.code)
    page.get_by_role("button", name="Chọn thủ tục").press("Enter")
    page.wait_for_load_state()
    assert_no_axe_violations(page)
    page.get_by_label("Họ và tên chủ hồ sơ").fill("Lê Thị Hoa")
    page.get_by_label("Số định danh cá nhân (CCCD)").fill("051190004567")
    page.get_by_label("Số điện thoại").fill("0905123456")
    scan = tmp_path / "don-de-nghi.pdf"
    scan.write_bytes(PDF)
    for component in version.components.filter(required=True).exclude(
        copy_type=Component.CopyType.SHOW_ONLY
    ):
        page.locator(f"#id_component_{component.pk}").set_input_files(str(scan))
    page.get_by_role("button", name="Tiếp nhận hồ sơ").press("Enter")
    page.wait_for_url(re.compile(r"/can-bo/ho-so/[^/]+/$"))
    expect(page.get_by_role("status")).to_contain_text("Đã tiếp nhận hồ sơ")
    walk_in = Dossier.objects.get(applicant_name="Lê Thị Hoa")
    assert walk_in.status == Status.RECEIVED and walk_in.channel == "counter"
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hồ sơ {walk_in.code}")
    expect(
        page.get_by_role("navigation", name="Điều hướng cán bộ").get_by_role(
            "link", name="Tiếp nhận tại quầy"
        )
    ).to_be_visible()
    assert_no_axe_violations(page)
    page.context.close()

    # A handler holds no desk: the header does not offer counter intake.
    page = desk_page(browser, site, demo["chuyenvien"])
    page.goto(f"{site}/can-bo/")
    staff_nav = page.get_by_role("navigation", name="Điều hướng cán bộ")
    expect(staff_nav.get_by_role("link", name="Sổ theo dõi hồ sơ")).to_be_visible()
    expect(staff_nav.get_by_role("link", name="Tiếp nhận tại quầy")).to_have_count(0)
    page.context.close()
