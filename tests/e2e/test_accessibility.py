"""Every portal page, as a citizen meets it on a laptop (1366 × 768) and on a phone (390 ×
844): axe-core finds no WCAG 2.x A/AA violation, every hint and error is tied to its
control, and on the phone every tap target is at least 44 × 44 px and nothing is wider than
the screen. The pages are visited with what makes them longest (errors shown, the
authorisation fields open, a dossier with a supplement request).

Set MOTCUA_SCREENSHOTS=/some/dir to also save a full-page screenshot of each page.
"""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.a11y import axe_violations, overflow, small_targets, untied_hints
from tests.e2e.test_submission import ID_NUMBER, _ask_for_a_supplement, _image
from tests.factories import UserFactory
from tests.portal.dossiers_support import advertising, places

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}


class Tour:
    """Runs the checks on each page visited and keeps every finding, so that one run lists
    all of them rather than the first."""

    def __init__(self, page, viewport, shots):
        self.page = page
        self.phone = viewport["width"] < 500
        self.width = viewport["width"]
        self.shots = shots
        self.findings: dict[str, list[str]] = {}
        self.seen: list[str] = []

    def check(self, name):
        page = self.page
        page.wait_for_load_state("load")
        found = [f"axe {v}" for v in axe_violations(page)]
        found += [f"hint not tied to a control: {h}" for h in untied_hints(page)]
        if wider := overflow(page):
            found.append(f"{wider}px wider than the {self.width}px screen")
        if self.phone:
            found += [f"tap target under 44 × 44: {t}" for t in small_targets(page)]
        if found:
            self.findings[f"{name} ({page.url})"] = found
        self.seen.append(name)
        if self.shots:
            page.screenshot(path=str(self.shots / f"{name}-{self.width}.png"), full_page=True)

    def visit(self, name, path):
        self.page.goto(self.site + path)
        self.check(name)

    def press(self, button):
        with self.page.expect_navigation(wait_until="load"):
            self.page.get_by_role("button", name=button, exact=True).last.click()

    def report(self) -> str:
        return "\n".join(
            f"{page}:\n  " + "\n  ".join(found) for page, found in self.findings.items()
        )


@pytest.fixture
def citizen(db):
    advertising()
    places()
    return UserFactory(full_name="Nguyễn Văn An", id_number=ID_NUMBER, phone="0988123113")


@pytest.fixture
def files(tmp_path):
    pdf = tmp_path / "thong-bao.pdf"
    pdf.write_bytes(_image("PDF"))
    return pdf


def _anonymous_pages(tour, citizen):
    page = tour.page
    tour.visit("home", "/")
    # The checks do see a fault: a picture without alternative text is reported.
    page.evaluate("document.body.append(Object.assign(new Image(1, 1), {id: 'no-alt'}))")
    assert any(v.startswith("image-alt") for v in axe_violations(page))
    page.evaluate("document.getElementById('no-alt').remove()")
    tour.visit("catalogue", "/thu-tuc/")
    tour.visit("search", "/thu-tuc/?q=quang+cao")
    tour.visit("search-nothing", "/thu-tuc/?q=khong+co+thu+tuc+nay")
    tour.visit("procedure", "/thu-tuc/1.004650/")
    tour.visit("procedure-not-found", "/thu-tuc/9.999999/")
    tour.visit("not-found", "/khong-co-trang-nay/")
    tour.visit("register", "/dang-ky/")
    page.get_by_role("radio", name="Tổ chức, doanh nghiệp").check()
    tour.press("Đăng ký")
    tour.check("register-errors")
    tour.visit("login", "/dang-nhap/")
    page.get_by_label("Thư điện tử").fill(citizen.email)
    page.get_by_label("Mật khẩu").fill("SaiMatKhau1")
    tour.press("Đăng nhập")
    tour.check("login-errors")
    tour.visit("password-reset", "/quen-mat-khau/")
    page.get_by_label("Thư điện tử").fill(citizen.email)
    tour.press("Gửi đường dẫn đặt lại mật khẩu")
    tour.check("password-reset-sent")
    tour.visit("mailbox", "/hop-thu-demo/")
    page.get_by_role("main").get_by_role("link", name=re.compile("mật khẩu")).first.click()
    tour.check("mailbox-message")
    page.get_by_role("link", name=re.compile("dat-lai-mat-khau")).click()
    tour.check("password-reset-confirm")
    tour.visit("password-reset-invalid", "/dat-lai-mat-khau/khong-hop-le")
    tour.visit("confirm-invalid", "/xac-nhan/khong-hop-le")
    tour.visit("tracking", "/tra-cuu/")


def _citizen_pages(tour, citizen, pdf):
    page = tour.page
    tour.visit("login-again", "/dang-nhap/")
    page.get_by_label("Thư điện tử").fill(citizen.email)
    page.get_by_label("Mật khẩu").fill("MatKhau2026")
    tour.press("Đăng nhập")
    tour.check("profile-empty")
    tour.visit("wizard-start", "/thu-tuc/1.004650/nop-ho-so/")
    tour.press("Bắt đầu")
    tour.check("wizard-applicant")
    page.get_by_label("Họ và tên", exact=True).fill("")
    page.get_by_label("Nộp thay cho người khác (ủy quyền)").check()
    tour.press("Tiếp tục")
    tour.check("wizard-applicant-errors")
    page.get_by_label("Họ và tên", exact=True).fill("Nguyễn Văn An")
    page.get_by_label("Nộp thay cho người khác (ủy quyền)").uncheck()
    tour.press("Tiếp tục")
    tour.check("wizard-components")
    tour.press("Tiếp tục")
    tour.check("wizard-components-errors")
    # A file refused in the background: its error beside the component and in the summary.
    wrong = pdf.with_name("chuong-trinh.exe")
    wrong.write_bytes(b"MZ\x90")
    page.get_by_label("Chọn tệp – Thông báo sản phẩm quảng cáo").set_input_files(str(wrong))
    expect(page.locator(".error-summary")).to_contain_text("«chuong-trinh.exe»")
    tour.check("wizard-upload-error")
    page.get_by_label("Chọn tệp – Thông báo sản phẩm quảng cáo").set_input_files(str(pdf))
    expect(page.get_by_role("link", name="thong-bao.pdf")).to_be_visible()
    tour.check("wizard-components-uploaded")
    tour.press("Tiếp tục")
    tour.check("wizard-delivery")
    page.get_by_label("Nhận qua dịch vụ bưu chính công ích").check()
    tour.press("Tiếp tục")
    tour.check("wizard-delivery-errors")
    page.get_by_label("Tỉnh, thành phố").select_option(label="Tỉnh Quảng Ngãi")
    page.get_by_label("Xã, phường, đặc khu").select_option(label="Phường Cẩm Thành")
    page.get_by_label("Số nhà, đường, thôn, tổ dân phố").fill("Số 12 đường Hùng Vương, tổ 3")
    tour.press("Tiếp tục")
    tour.check("wizard-review")
    page.get_by_label("Mã xác nhận", exact=True).fill("SAI")
    tour.press("Nộp hồ sơ")
    tour.check("wizard-review-errors")
    page.get_by_label("Mã xác nhận", exact=True).fill("PASSED")
    tour.press("Nộp hồ sơ")
    expect(page.get_by_role("heading", level=1)).to_have_text("Nộp hồ sơ thành công")
    tour.check("submitted")
    code = page.locator("#ma-so-ho-so").inner_text()
    tour.visit("profile", "/trang-ca-nhan/")
    tour.visit("my-dossiers", "/trang-ca-nhan/ho-so/")
    tour.visit("dossier", f"/ho-so/{code}/")
    tour.visit("withdraw", f"/ho-so/{code}/rut-ho-so/")
    tour.visit("tracking-code", f"/tra-cuu/{code}")
    page.get_by_label("Số định danh cá nhân của chủ hồ sơ").fill(ID_NUMBER)
    tour.press("Tra cứu")
    tour.check("tracking-result")
    _ask_for_a_supplement(code)
    tour.visit("dossier-supplement-requested", f"/ho-so/{code}/")
    tour.visit("supplement", f"/ho-so/{code}/bo-sung/")
    tour.press("Gửi bổ sung")
    tour.check("supplement-errors")


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1366x768", "390x844"])
def test_every_page_is_accessible(browser, site, citizen, files, viewport):
    shots = Path(os.environ["MOTCUA_SCREENSHOTS"]) if os.environ.get("MOTCUA_SCREENSHOTS") else None
    if shots:
        shots.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport=viewport, locale="vi-VN")
    tour = Tour(context.new_page(), viewport, shots)
    tour.site = site
    _anonymous_pages(tour, citizen)
    _citizen_pages(tour, citizen, files)
    context.close()
    assert len(tour.seen) >= 35
    assert not tour.findings, tour.report()
