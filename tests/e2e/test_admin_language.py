"""What an administrator meets at /quan-tri/: Vietnamese only, and nothing wider than the screen.

Set MOTCUA_SCREENSHOTS=/some/dir to also save every admin page at both sizes.
"""

import os
import re
from pathlib import Path

import pytest
from axes.models import AccessFailureLog
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.catalog.models import AdministrativeUnit, Component
from motcua.notifications.models import MailboxMessage, OutboundMessage
from tests.e2e.english import english_in, english_on
from tests.factories import (
    PASSWORD,
    AgencyFactory,
    FieldFactory,
    MembershipFactory,
    ProcedureVersionFactory,
    StaffFactory,
    add_fee,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SIZES = ((1366, 768), (390, 844))
ADMIN_LINK = re.compile(r"^/quan-tri/\w+/\w+/(add/)?$")


@pytest.fixture
def administration(db):
    """A row in every table the admin shows, so that lists, filters and forms have content."""
    admin = StaffFactory(
        email="admin@demo.motcua.vn", full_name="Quản trị hệ thống", is_superuser=True
    )
    agency = AgencyFactory(code="H48.30", name="Sở Xây dựng tỉnh Quảng Ngãi")
    MembershipFactory(user=admin, agency=agency)
    version = ProcedureVersionFactory(
        procedure__code="1.013225",
        agency=agency,
        field=FieldFactory(code="XD", name="Hoạt động xây dựng"),
        name="Cấp giấy phép xây dựng (giấy phép xây dựng mới, giấy phép sửa chữa, cải tạo, "
        "giấy phép di dời công trình) đối với công trình, nhà ở riêng lẻ",
    )
    for position in (1, 2):
        Component.objects.create(
            version=version,
            position=position,
            name="Bản vẽ thiết kế xây dựng nhà ở riêng lẻ, mặt bằng, mặt đứng, mặt cắt",
            description="Mặt bằng vị trí, mặt bằng các tầng, mặt đứng, mặt cắt, móng và đấu "
            "nối hạ tầng kỹ thuật.",
            allowed_types=["pdf", "jpg"],
            code="GPXD-BV",
            template_name="Mẫu số 01 Phụ lục II Nghị định 175/2024/NĐ-CP",
        )
    add_fee(version, 75000, name="Lệ phí cấp giấy phép xây dựng nhà ở riêng lẻ")
    AdministrativeUnit.objects.create(code="51", name="Tỉnh Quảng Ngãi", level="province")
    OutboundMessage.objects.create(
        template="dossier_submitted",
        recipient="congdan@example.vn",
        subject="Nộp hồ sơ thành công: H48.30-260105-0001",
        body_text="Kính gửi ông/bà",
    )
    MailboxMessage.objects.create(
        to="congdan@example.vn",
        from_email="no-reply@motcua.local",
        subject="Nộp hồ sơ thành công: H48.30-260105-0001",
        body_text="Kính gửi ông/bà",
    )
    AccessFailureLog.objects.create(
        username="congdan@example.vn", ip_address="10.0.0.1", attempt_time=timezone.now()
    )
    TOTPDevice.objects.create(user=StaffFactory(), name="Ứng dụng xác thực", confirmed=True)
    return admin


def _log_in(page, site, email):
    page.goto(f"{site}/dang-nhap/")
    page.get_by_label("Thư điện tử").fill(email)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state()


def _admin_pages(page, site):
    """The index, every list and add page it links to, and the first row of every list."""
    page.goto(f"{site}/quan-tri/")
    links = page.eval_on_selector_all(
        "a[href^='/quan-tri/']", "els => els.map(e => e.getAttribute('href'))"
    )
    pages = ["/quan-tri/", "/quan-tri/password_change/"]
    pages += sorted({link for link in links if ADMIN_LINK.match(link)})
    for path in [p for p in pages if ADMIN_LINK.match(p) and not p.endswith("add/")]:
        page.goto(f"{site}{path}")
        rows = page.eval_on_selector_all(
            "#result_list tbody a[href]", "els => els.map(e => e.getAttribute('href'))"
        )
        pages += rows[:1]
    return pages


def test_the_word_list_catches_what_the_admin_used_to_show():
    # The strings of the issue, as Django 5.2 and the apps print them untranslated.
    shown = [
        ("text", "Skip to main content"),
        ("text", "Toggle theme (current theme: auto)"),
        ("text", "CREATED AT"),
        ("alt", "True"),
        ("aria-label", "Select this object for an action - Sở Y tế"),
    ]
    assert len(english_in(shown)) >= len(shown)
    vietnamese = [
        ("text", "Đăng nhập không thành công do sai mật khẩu; thử lại sau 15 phút."),
        ("text", "In biên nhận hồ sơ H48.30-260105-0001 cho ông An tại admin@demo.motcua.vn"),
        ("text", "Tải tệp PDF, JSON hoặc Excel theo QCVN 102:2016 — TOTP, SMS, URL"),
    ]
    assert english_in(vietnamese) == []


def test_an_administrator_meets_only_vietnamese(browser, site, administration):
    shots = Path(os.environ["MOTCUA_SCREENSHOTS"]) if os.environ.get("MOTCUA_SCREENSHOTS") else None
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
    page = context.new_page()
    _log_in(page, site, administration.email)
    pages = _admin_pages(page, site)
    # Every registered model has its list; their add pages are there when adding is allowed.
    assert len([p for p in pages if ADMIN_LINK.match(p)]) >= 14
    found = {}
    for path in pages:
        page.goto(f"{site}{path}")
        english = english_on(page)
        if english:
            found[path] = english
        if shots:
            name = path.strip("/").replace("/", "_")
            page.screenshot(path=str(shots / f"{name}-1366.png"), full_page=True)
    context.close()
    assert found == {}


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_admin_pages_fit_the_screen(browser, site, administration, width, height):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="vi-VN")
    page = context.new_page()
    _log_in(page, site, administration.email)
    wide = {}
    for path in _admin_pages(page, site):
        page.goto(f"{site}{path}")
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > width:
            wide[path] = scroll_width
    context.close()
    assert wide == {}


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_version_page_fits_the_screen(browser, site, administration, width, height):
    from motcua.catalog.models import ProcedureVersion

    version = ProcedureVersion.objects.get(procedure__code="1.013225")
    context = browser.new_context(viewport={"width": width, "height": height}, locale="vi-VN")
    page = context.new_page()
    _log_in(page, site, administration.email)
    page.goto(f"{site}/quan-tri/catalog/procedureversion/{version.pk}/change/")
    assert page.locator("#components-group").is_visible()
    wide = page.evaluate(
        "() => [...document.querySelectorAll('body *')]"
        ".filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)"
        ".slice(0, 8).map(e => e.tagName + '.' + e.className + '#' + e.id)"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= width, wide
    # Nothing inside a scrolling box is wider either: every field can be reached.
    overflowing = page.evaluate(
        "() => [...document.querySelectorAll('#components-group *')]"
        ".filter(e => e.getBoundingClientRect().right > window.innerWidth + 1).length"
    )
    context.close()
    assert overflowing == 0


def test_staff_land_on_the_administration_and_citizens_on_their_page(page, site, administration):
    _log_in(page, site, administration.email)
    assert page.url == f"{site}/quan-tri/"
    page.context.clear_cookies()
    from tests.factories import UserFactory

    citizen = UserFactory()
    _log_in(page, site, citizen.email)
    assert page.url == f"{site}/trang-ca-nhan/"
