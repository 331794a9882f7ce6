"""Submitting a dossier online in a real browser, in the seed letters' words: "Tra cứu thủ
tục" → the procedure → "Nộp hồ sơ trực tuyến" → "Thông tin người nộp" → "Thành phần hồ sơ"
→ "Hình thức nhận kết quả" → "Mã xác nhận" → "Nộp hồ sơ"; then "Trang cá nhân" → "Danh
sách giao dịch" and "Tra cứu hồ sơ". And every wizard page on a 360 px phone.

Set MOTCUA_SCREENSHOTS=/some/dir to also save full-page screenshots at 360 and 1280 px.
"""

import io
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.factories import UserFactory
from tests.portal.dossiers_support import advertising, places

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ID_NUMBER = "051090123456"


def _image(kind: str) -> bytes:
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (400, 300), "white")
    ImageDraw.Draw(img).text((20, 20), "THONG BAO SAN PHAM QUANG CAO", fill="black")
    out = io.BytesIO()
    img.save(out, kind)
    return out.getvalue()


@pytest.fixture
def files(tmp_path):
    pdf, photo = tmp_path / "thong-bao.pdf", tmp_path / "ma-ket.png"
    pdf.write_bytes(_image("PDF"))
    photo.write_bytes(_image("PNG"))
    return pdf, photo


@pytest.fixture
def citizen(db):
    advertising()
    places()
    return UserFactory(full_name="Nguyễn Văn An", id_number=ID_NUMBER, phone="0988123113")


def _log_in(page, site, user):
    page.goto(f"{site}/dang-nhap/")
    page.get_by_label("Thư điện tử").fill(user.email)
    page.get_by_label("Mật khẩu").fill("MatKhau2026")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Trang cá nhân")


def _upload(page, label, path):
    page.get_by_label(label).set_input_files(str(path))


def test_submit_online_then_find_it_and_track_it(page, site, citizen, files):
    pdf, photo = files
    _log_in(page, site, citizen)
    nav = page.get_by_role("navigation", name="Điều hướng chính")
    nav.get_by_role("link", name="Tra cứu thủ tục").click()
    page.get_by_label("Từ khóa").fill("thong bao san pham quang cao bang ron")
    page.get_by_role("button", name="Tìm kiếm").click()
    page.get_by_role(
        "link", name=re.compile("^Tiếp nhận hồ sơ thông báo sản phẩm quảng cáo")
    ).click()
    page.get_by_role("link", name="Nộp hồ sơ trực tuyến").click()
    page.get_by_role("button", name="Bắt đầu").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Thông tin người nộp")
    expect(page.get_by_label("Họ và tên", exact=True)).to_have_value("Nguyễn Văn An")
    expect(page.get_by_label("Họ và tên người nộp thay")).to_be_hidden()
    page.get_by_role("button", name="Tiếp tục", exact=True).last.click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Thành phần hồ sơ")
    expect(page.get_by_text("PDF, DOCX; tối đa 10 MB")).to_be_visible()
    _upload(page, "Chọn tệp – Thông báo sản phẩm quảng cáo", pdf)
    expect(page.get_by_role("link", name="thong-bao.pdf")).to_be_visible()
    _upload(page, "Chọn tệp – Ma-két sản phẩm quảng cáo", photo)
    expect(page.get_by_role("link", name="ma-ket.pdf")).to_be_visible()
    expect(page.get_by_text("chuyển từ ảnh PNG")).to_be_visible()
    expect(page.get_by_label("Thay tệp – Thông báo sản phẩm quảng cáo")).to_be_attached()
    page.get_by_role("button", name="Tiếp tục", exact=True).last.click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Hình thức nhận kết quả")
    page.get_by_label("Nhận qua dịch vụ bưu chính công ích").check()
    page.get_by_label("Tỉnh, thành phố").select_option(label="Tỉnh Quảng Ngãi")
    page.get_by_label("Xã, phường, đặc khu").select_option(label="Xã Tịnh Khê")
    page.get_by_label("Số nhà, đường, thôn, tổ dân phố").fill("Thôn Trường Thọ")
    page.get_by_role("button", name="Tiếp tục", exact=True).last.click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Kiểm tra và nộp hồ sơ")
    expect(page.get_by_text("Thôn Trường Thọ, Xã Tịnh Khê, Tỉnh Quảng Ngãi")).to_be_visible()
    page.get_by_label("Mã xác nhận").fill("PASSED")
    page.get_by_role("button", name="Nộp hồ sơ").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Nộp hồ sơ thành công")
    code = page.locator("#ma-so-ho-so").inner_text()
    assert re.fullmatch(r"H48\.31-\d{6}-0001", code)

    page.get_by_role("main").get_by_role("link", name="Trang cá nhân").click()
    transactions = page.locator("#giao-dich")
    expect(transactions.get_by_role("heading", name="Danh sách giao dịch")).to_be_visible()
    expect(transactions).to_contain_text(code)
    expect(transactions).to_contain_text("Mới đăng ký")

    nav.get_by_role("link", name="Tra cứu hồ sơ").click()
    page.get_by_label("Mã số hồ sơ").fill(code)
    page.get_by_label("Số định danh cá nhân của chủ hồ sơ").fill(ID_NUMBER)
    page.get_by_role("button", name="Tra cứu").click()
    expect(page.get_by_role("heading", name=f"Hồ sơ {code}")).to_be_visible()
    expect(page.locator(".status")).to_have_text("Mới đăng ký")
    expect(page.get_by_role("main")).not_to_contain_text("Nguyễn Văn An")


def _press(page, button):
    """Press a form's button and wait for the page the server answers with, so that
    what is measured next is that page and not the one being left."""
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name=button, exact=True).last.click()


def _shoot(page, shots, name, width):
    page.wait_for_load_state("load")
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{name} is {scroll_width}px wide at {width}px"
    if shots:
        page.screenshot(path=str(shots / f"wizard-{name}-{width}.png"), full_page=True)


def _walk(page, site, shots, width, files):
    """Every page of the wizard, with what makes it longest shown (errors, the
    authorisation fields, the postal address), then the pages after submitting."""
    pdf, photo = files
    page.goto(f"{site}/thu-tuc/1.004650/nop-ho-so/")
    _shoot(page, shots, "start", width)
    _press(page, "Bắt đầu")
    page.get_by_label("Họ và tên", exact=True).fill("")
    page.get_by_label("Nộp thay cho người khác (ủy quyền)").check()
    _press(page, "Tiếp tục")
    expect(page.get_by_role("alert")).to_be_visible()
    _shoot(page, shots, "applicant-errors", width)
    page.get_by_label("Họ và tên", exact=True).fill("Nguyễn Văn An")
    page.get_by_label("Nộp thay cho người khác (ủy quyền)").uncheck()
    _press(page, "Tiếp tục")
    _upload(page, "Chọn tệp – Thông báo sản phẩm quảng cáo", pdf)
    expect(page.get_by_role("link", name="thong-bao.pdf")).to_be_visible()
    _upload(page, "Chọn tệp – Ma-két sản phẩm quảng cáo", photo)
    expect(page.get_by_role("link", name="ma-ket.pdf")).to_be_visible()
    _shoot(page, shots, "components", width)
    _press(page, "Tiếp tục")
    page.get_by_label("Nhận qua dịch vụ bưu chính công ích").check()
    _press(page, "Tiếp tục")
    expect(page.get_by_role("alert")).to_be_visible()
    _shoot(page, shots, "delivery-errors", width)
    page.get_by_label("Tỉnh, thành phố").select_option(label="Tỉnh Quảng Ngãi")
    page.get_by_label("Xã, phường, đặc khu").select_option(label="Phường Cẩm Thành")
    page.get_by_label("Số nhà, đường, thôn, tổ dân phố").fill("Số 12 đường Hùng Vương, tổ 3")
    _press(page, "Tiếp tục")
    _shoot(page, shots, "review", width)
    page.get_by_label("Mã xác nhận").fill("PASSED")
    _press(page, "Nộp hồ sơ")
    expect(page.get_by_role("heading", level=1)).to_have_text("Nộp hồ sơ thành công")
    _shoot(page, shots, "submitted", width)
    code = page.locator("#ma-so-ho-so").inner_text()
    page.goto(f"{site}/trang-ca-nhan/ho-so/")
    _shoot(page, shots, "list", width)
    page.goto(f"{site}/ho-so/{code}/")
    _shoot(page, shots, "dossier", width)
    page.goto(f"{site}/ho-so/{code}/rut-ho-so/")
    _shoot(page, shots, "withdraw", width)
    page.goto(f"{site}/tra-cuu/{code}")
    page.get_by_label("Số định danh cá nhân của chủ hồ sơ").fill(ID_NUMBER)
    _press(page, "Tra cứu")
    _shoot(page, shots, "tracking", width)
    page.goto(f"{site}/trang-ca-nhan/")
    _shoot(page, shots, "profile", width)
    _ask_for_a_supplement(code)
    page.goto(f"{site}/ho-so/{code}/bo-sung/")
    _press(page, "Gửi bổ sung")
    expect(page.get_by_role("alert")).to_be_visible()
    _shoot(page, shots, "supplement-errors", width)


def _ask_for_a_supplement(code):
    from motcua.accounts.models import Role
    from motcua.dossiers import services
    from motcua.dossiers.models import Dossier
    from tests.factories import MembershipFactory

    dossier = Dossier.objects.get(code=code)
    officer = MembershipFactory(agency=dossier.receiving_agency, role=Role.RECEIVER).user
    services.perform(
        dossier,
        "request_supplement",
        officer,
        note="Ma-két chưa có chữ ký của người đại diện theo pháp luật.",
        items=["Ma-két sản phẩm quảng cáo in màu, có chữ ký và đóng dấu"],
    )


def test_wizard_pages_fit_a_360px_phone(browser, site, citizen, files):
    shots = Path(os.environ["MOTCUA_SCREENSHOTS"]) if os.environ.get("MOTCUA_SCREENSHOTS") else None
    if shots:
        shots.mkdir(parents=True, exist_ok=True)
    for width in (360, 1280) if shots else (360,):
        context = browser.new_context(
            viewport={"width": width, "height": 740 if width == 360 else 900}, locale="vi-VN"
        )
        page = context.new_page()
        _log_in(page, site, citizen)
        _walk(page, site, shots, width, files)
        context.close()


def test_uploads_work_without_javascript(browser, site, citizen, files):
    """The plain form post: choose a file, press "Tải lên", the page comes back with it."""
    pdf, photo = files
    context = browser.new_context(java_script_enabled=False, locale="vi-VN")
    page = context.new_page()
    _log_in(page, site, citizen)
    page.goto(f"{site}/thu-tuc/1.004650/nop-ho-so/")
    page.get_by_role("button", name="Bắt đầu").click()
    page.get_by_role("button", name="Tiếp tục", exact=True).last.click()
    _upload(page, "Chọn tệp – Ma-két sản phẩm quảng cáo", photo)
    page.get_by_role("button", name="Tải lên – Ma-két sản phẩm quảng cáo").click()
    expect(page.get_by_role("link", name="ma-ket.pdf")).to_be_visible()
    page.get_by_role("button", name="Tiếp tục", exact=True).last.click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Vui lòng đính kèm «Thông báo sản phẩm quảng cáo")
    context.close()


def test_a_file_over_the_limit_is_refused_before_sending(page, site, citizen, tmp_path):
    pdf = tmp_path / "thong-bao.pdf"
    pdf.write_bytes(b"%PDF-1.4\n" + b"0" * 1_200_000)
    component = citizen_component(name__startswith="Thông báo")
    component.max_size = 1024 * 1024
    component.save()
    _log_in(page, site, citizen)
    page.goto(f"{site}/thu-tuc/1.004650/nop-ho-so/")
    page.get_by_role("button", name="Bắt đầu").click()
    page.get_by_role("button", name="Tiếp tục", exact=True).last.click()
    _upload(page, "Chọn tệp – Thông báo sản phẩm quảng cáo", pdf)
    expect(page.locator(f"#id_file-{component.pk}_error")).to_contain_text(
        "«thong-bao.pdf» vượt quá dung lượng tối đa 1 MB."
    )
    expect(page.get_by_role("link", name="thong-bao.pdf", exact=True)).to_have_count(0)


def citizen_component(**lookup):
    from motcua.catalog.models import Component

    return Component.objects.get(version__procedure__code="1.004650", **lookup)


def test_what_was_typed_survives_an_expired_session(page, site, citizen):
    """The session runs out while the citizen types: pressing "Tiếp tục" leads to the login
    page, and after logging in the step shows what they had typed, not the older draft."""
    from motcua.dossiers.models import Dossier

    _log_in(page, site, citizen)
    page.goto(f"{site}/thu-tuc/1.004650/nop-ho-so/")
    _press(page, "Bắt đầu")
    notice = page.locator("[data-typed-restored]")
    expect(notice).to_be_hidden()
    page.get_by_label("Họ và tên", exact=True).fill("Nguyễn Văn Bảo")
    page.context.clear_cookies(name="sessionid")  # the session expired; CSRF cookie stays
    _press(page, "Tiếp tục")
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng nhập")
    page.get_by_label("Thư điện tử").fill(citizen.email)
    page.get_by_label("Mật khẩu").fill("MatKhau2026")
    _press(page, "Đăng nhập")
    expect(page.get_by_label("Họ và tên", exact=True)).to_have_value("Nguyễn Văn Bảo")
    expect(notice).to_be_visible()
    _press(page, "Tiếp tục")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Thành phần hồ sơ")
    assert Dossier.objects.get(owner=citizen).applicant_name == "Nguyễn Văn Bảo"
    kept = page.evaluate(
        "Object.keys(sessionStorage).filter(k => k.startsWith('motcua.typed:')).length"
    )
    assert kept == 0
