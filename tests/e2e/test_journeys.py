"""What a citizen does, in a real browser: register, confirm, log in, find a procedure;
and what happens to somebody guessing a password."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import (
    AgencyFactory,
    FieldFactory,
    ProcedureVersionFactory,
    UserFactory,
    add_fee,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def building_permit(db):
    version = ProcedureVersionFactory(
        procedure__code="1.013225",
        level="mot_phan",
        name="Cấp giấy phép xây dựng (giấy phép xây dựng mới, giấy phép sửa chữa, cải tạo) đối với nhà ở riêng lẻ",
        agency=AgencyFactory(
            code="H48.30", name="Sở Xây dựng tỉnh Quảng Ngãi", address="52 Hùng Vương"
        ),
        field=FieldFactory(code="XD", name="Hoạt động xây dựng"),
    )
    add_fee(version, 75000, name="Lệ phí cấp giấy phép xây dựng")
    ProcedureVersionFactory(name="Đăng ký khai sinh")
    return version


def test_register_confirm_login_and_find_a_procedure(page, site, building_permit):
    page.goto(f"{site}/")
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role(
        "link", name="Đăng ký"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng ký tài khoản")
    expect(page.get_by_label("Tên tổ chức, doanh nghiệp")).to_be_hidden()
    page.get_by_label("Họ và tên").fill("Nguyễn Văn An")
    page.get_by_label("Số định danh cá nhân (căn cước)").fill("051090123456")
    page.get_by_label("Số điện thoại di động").fill("0988123113")
    page.get_by_label("Thư điện tử").fill("an.nguyen@example.vn")
    page.get_by_label("Mật khẩu", exact=True).fill("Matkhau2026")
    page.get_by_label("Nhập lại mật khẩu").fill("Matkhau2026")
    page.get_by_label("Mã xác nhận").fill("PASSED")
    page.get_by_role("button", name="Đăng ký").click()

    expect(page.get_by_role("heading", name="Kiểm tra hộp thư của bạn")).to_be_visible()
    page.get_by_role("link", name="Chế độ trình diễn: xem hộp thư thử nghiệm").click()
    page.get_by_role(
        "link", name="Xác nhận đăng ký tài khoản sử dụng dịch vụ công trực tuyến"
    ).click()
    page.get_by_role("link", name=re.compile(r"xac-nhan")).click()
    expect(page).to_have_url(re.compile(r"/xac-nhan/[\w-]+$"))
    page.get_by_role("button", name="Xác nhận tài khoản").click()

    expect(page.get_by_role("status")).to_contain_text("Tài khoản đã được xác nhận")
    page.get_by_label("Thư điện tử").fill("an.nguyen@example.vn")
    page.get_by_label("Mật khẩu").fill("Matkhau2026")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Trang cá nhân")
    expect(page.get_by_text("Bạn chưa nộp hồ sơ nào.")).to_be_visible()

    page.get_by_role("navigation", name="Điều hướng chính").get_by_role(
        "link", name="Tra cứu thủ tục"
    ).click()
    page.get_by_label("Từ khóa").fill("giay phep xay dung")
    page.get_by_role("button", name="Tìm kiếm").click()
    expect(page.get_by_text("Tìm thấy 1 thủ tục")).to_be_visible()
    page.get_by_role("link", name=re.compile(r"^Cấp giấy phép xây dựng")).click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Cấp giấy phép xây dựng")
    components = page.get_by_role("table").filter(has_text="Tên giấy tờ")
    expect(components).to_contain_text("Đơn đề nghị")
    expect(components).to_contain_text("Bản sao giấy tờ liên quan")
    fees = page.get_by_role("table").filter(has_text="Khoản thu")
    expect(fees).to_contain_text("Lệ phí cấp giấy phép xây dựng")
    expect(fees).to_contain_text("75.000\u00a0₫")
    expect(page.get_by_role("link", name="Nộp hồ sơ trực tuyến")).to_be_visible()


def test_register_errors_are_summarised_and_focused(page, site):
    page.goto(f"{site}/dang-ky/")
    page.get_by_role("radio", name="Tổ chức, doanh nghiệp").check()
    expect(page.get_by_label("Tên tổ chức, doanh nghiệp")).to_be_visible()
    page.get_by_label("Mã xác nhận").fill("SAI")
    page.get_by_role("button", name="Đăng ký").click()
    summary = page.get_by_role("alert")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Mã xác nhận không đúng")
    expect(summary).to_contain_text("Vui lòng nhập tên tổ chức, doanh nghiệp.")
    summary.get_by_role("link", name="Vui lòng nhập tên tổ chức, doanh nghiệp.").click()
    expect(page.get_by_label("Tên tổ chức, doanh nghiệp")).to_be_focused()


def test_lockout_after_five_wrong_passwords(page, site):
    user = UserFactory()
    page.goto(f"{site}/dang-nhap/")
    for attempt in range(5):
        page.get_by_label("Thư điện tử").fill(user.email)
        page.get_by_label("Mật khẩu").fill("SaiMatKhau1")
        page.get_by_role("button", name="Đăng nhập").click()
        if attempt < 4:
            expect(page.get_by_role("alert")).to_contain_text(
                "Thư điện tử hoặc mật khẩu không đúng."
            )
    expect(page.get_by_role("heading", level=1)).to_have_text("Tài khoản tạm khóa")
    page.goto(f"{site}/dang-nhap/")
    page.get_by_label("Thư điện tử").fill(user.email)
    page.get_by_label("Mật khẩu").fill("MatKhau2026")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tài khoản tạm khóa")
    page.goto(f"{site}/trang-ca-nhan/")
    expect(page).to_have_url(re.compile(r"/dang-nhap/\?next="))


def test_a_blind_citizen_registers_answering_the_question_by_keyboard(page, site, monkeypatch):
    """Only the keyboard and what a screen reader announces: labels, and the answer box's
    description, where the sum asked in words stands in for the picture."""
    from captcha.conf import settings as captcha_settings

    monkeypatch.setattr(captcha_settings, "CAPTCHA_TEST_MODE", False)
    page.goto(f"{site}/dang-ky/")
    for label, value in [
        ("Họ và tên", "Nguyễn Văn Mù"),
        ("Số định danh cá nhân (căn cước)", "051090123457"),
        ("Số điện thoại di động", "0988123114"),
        ("Thư điện tử", "mu.nguyen@example.vn"),
        ("Mật khẩu", "Matkhau2026"),
        ("Nhập lại mật khẩu", "Matkhau2026"),
    ]:
        page.get_by_label(label, exact=True).focus()
        page.keyboard.type(value)
    page.keyboard.press("Tab")
    answer = page.get_by_role("textbox", name="Mã xác nhận")
    expect(answer).to_be_focused()
    heard = answer.evaluate(
        "el => el.getAttribute('aria-describedby').split(' ')"
        ".map(id => document.getElementById(id).innerText).join(' ')"
    )
    words = "không một hai ba bốn năm sáu bảy tám chín mười".split()
    a, op, b = re.search(r"(\S+) (cộng|trừ) (\S+) (?:bằng|còn) mấy\?", heard.lower()).groups()
    result = words.index(a) + words.index(b) if op == "cộng" else words.index(a) - words.index(b)
    page.keyboard.type(words[result])
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Kiểm tra hộp thư của bạn")).to_be_visible()
