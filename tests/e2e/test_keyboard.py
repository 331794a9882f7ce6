"""A blind citizen, by keyboard only (Tab, Shift+Tab, Space, Enter and typing; no click),
from registering to a submitted dossier, answering the captcha's question in words; and the
captcha's "Đổi hình và câu hỏi khác", which keeps everything typed with or without script."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.a11y import axe_violations
from tests.portal.conftest import mailed_link
from tests.portal.dossiers_support import advertising, places

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WORDS = "không một hai ba bốn năm sáu bảy tám chín mười".split()
TYPED = [
    ("Họ và tên", "Nguyễn Văn Mù"),
    ("Số định danh cá nhân (căn cước)", "051090123457"),
    ("Số điện thoại di động", "0988123114"),
    ("Thư điện tử", "mu.nguyen@example.vn"),
    ("Mật khẩu", "Matkhau2026"),
    ("Nhập lại mật khẩu", "Matkhau2026"),
]


@pytest.fixture
def real_captcha(monkeypatch):
    from captcha.conf import settings as captcha_settings

    monkeypatch.setattr(captcha_settings, "CAPTCHA_TEST_MODE", False)


@pytest.fixture
def notice_pdf(tmp_path):
    pdf = tmp_path / "thong-bao.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%%EOF\n")
    return pdf


def _focused(locator) -> bool:
    return locator.evaluate("el => el === document.activeElement")


def tab_to(page, locator, back=False, limit=120):
    """Tab (or Shift+Tab) until ``locator`` has the focus, as a person listening would."""
    for _ in range(limit):
        if _focused(locator):
            return
        page.keyboard.press("Shift+Tab" if back else "Tab")
    raise AssertionError(f"{locator} never got the focus")


def heard(page) -> str:
    """What a screen reader reads with the focused control: its description."""
    return page.evaluate(
        "() => (document.activeElement.getAttribute('aria-describedby') || '').split(' ')"
        ".filter(Boolean).map(id => document.getElementById(id).innerText).join(' ')"
    )


def answer_question(page):
    """The sum asked in words, answered in words, as a person would say it."""
    a, op, b = re.search(r"(\S+) (cộng|trừ) (\S+) (?:bằng|còn) mấy\?", heard(page).lower()).groups()
    result = WORDS.index(a) + WORDS.index(b) if op == "cộng" else WORDS.index(a) - WORDS.index(b)
    page.keyboard.type(WORDS[result])


def _fill_registration(page):
    for label, value in TYPED:
        tab_to(page, page.get_by_label(label, exact=True))
        page.keyboard.type(value)


def _answer_box(page):
    return page.get_by_role("textbox", name="Mã xác nhận")


def test_a_blind_citizen_registers_and_submits_by_keyboard(page, site, real_captcha, notice_pdf):
    advertising()
    places()
    page.goto(f"{site}/dang-ky/")
    _fill_registration(page)
    # Back one box to check the e-mail typed, then on.
    tab_to(page, page.get_by_label("Thư điện tử"), back=True)
    expect(page.get_by_label("Thư điện tử")).to_have_value("mu.nguyen@example.vn")
    tab_to(page, _answer_box(page))
    answer_question(page)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Kiểm tra hộp thư của bạn")).to_be_visible()

    page.goto(site + mailed_link("mu.nguyen@example.vn", "/xac-nhan/"))
    tab_to(page, page.get_by_role("button", name="Xác nhận tài khoản"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Tài khoản đã được xác nhận")
    tab_to(page, page.get_by_label("Thư điện tử"))
    page.keyboard.type("mu.nguyen@example.vn")
    tab_to(page, page.get_by_label("Mật khẩu"))
    page.keyboard.type("Matkhau2026")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Trang cá nhân")

    page.goto(f"{site}/thu-tuc/1.004650/")
    tab_to(page, page.get_by_role("link", name="Nộp hồ sơ trực tuyến"))
    page.keyboard.press("Enter")
    tab_to(page, page.get_by_role("button", name="Bắt đầu"))
    page.keyboard.press("Space")

    expect(page.get_by_role("heading", level=1)).to_have_text("Thông tin người nộp")
    expect(page.get_by_label("Họ và tên", exact=True)).to_have_value("Nguyễn Văn Mù")
    tab_to(page, page.get_by_label("Họ và tên", exact=True))
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Thành phần hồ sơ")
    choose = page.get_by_label("Chọn tệp – Thông báo sản phẩm quảng cáo")
    tab_to(page, choose)
    assert "tối đa 10 MB" in heard(page)
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Space")
    chooser.value.set_files(str(notice_pdf))
    expect(page.get_by_role("link", name="thong-bao.pdf")).to_be_visible()
    tab_to(page, page.get_by_role("button", name="Tiếp tục", exact=True).last)
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Hình thức nhận kết quả")
    counter = page.get_by_role("radio", name=re.compile("^Nhận trực tiếp"))
    tab_to(page, page.get_by_role("radio").first)
    if not _focused(counter):
        # Tab enters a group of radios at its first; the pick needs no arrow key when the
        # first is the counter, which the step lists first.
        raise AssertionError("the counter is not the first way offered")
    page.keyboard.press("Space")
    expect(counter).to_be_checked()
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Kiểm tra và nộp hồ sơ")
    tab_to(page, _answer_box(page))
    before = page.locator("input[name='captcha_2']").input_value()
    tab_to(page, page.get_by_role("button", name="Đổi hình và câu hỏi khác"))
    page.keyboard.press("Enter")
    expect(_answer_box(page)).to_be_focused()
    expect(page.locator("input[name='captcha_2']")).not_to_have_value(before)
    answer_question(page)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Nộp hồ sơ thành công")
    assert axe_violations(page) == []


@pytest.mark.parametrize("script", [True, False], ids=["script", "no-script"])
def test_a_new_captcha_keeps_what_was_typed(browser, site, real_captcha, script):
    context = browser.new_context(java_script_enabled=script, locale="vi-VN")
    page = context.new_page()
    page.goto(f"{site}/dang-ky/")
    _fill_registration(page)
    image = page.locator("[data-captcha-image]")
    old_image = image.get_attribute("src")
    old_question = page.locator("input[name='captcha_2']").input_value()
    tab_to(page, page.get_by_role("button", name="Đổi hình và câu hỏi khác"))
    page.keyboard.press("Enter")
    expect(image).not_to_have_attribute("src", old_image)
    for label, value in TYPED:
        expect(page.get_by_label(label, exact=True)).to_have_value(value)
    expect(page.locator(".error-summary, .error-message")).to_have_count(0)
    expect(page).not_to_have_title(re.compile("^Lỗi"))
    # A new question too (its text may repeat by chance; its key never does).
    expect(page.locator("input[name='captcha_2']")).not_to_have_value(old_question)
    # The new captcha is the one that counts: answering it registers.
    tab_to(page, _answer_box(page))
    answer_question(page)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Kiểm tra hộp thư của bạn")).to_be_visible()
    context.close()
