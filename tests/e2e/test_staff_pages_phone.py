"""Every civil servant's page (/can-bo/ and the staff login's second step) on a laptop (1366 ×
768) and on a phone (390 × 844): nothing wider than the screen, every tap target at least
44 × 44 px, axe-core finds no WCAG 2.x A/AA violation, hints and errors tied to their
controls, no English. Pages are visited with what makes them longest (errors shown, forms
open). Then an officer on a phone opens a dossier from the queue and accepts it with the
keyboard alone.

Set MOTCUA_SCREENSHOTS=/some/dir to also save a full-page screenshot of each page.
"""

import datetime as dt
import os
from pathlib import Path

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from motcua.dossiers import services
from motcua.dossiers.models import Dossier, Status
from tests.backoffice.conftest import totp_code, wrong_code
from tests.e2e.a11y import axe_violations, overflow, small_targets, untied_hints
from tests.e2e.english import english_on
from tests.e2e.sessions import log_in
from tests.e2e.test_staff_journeys import demo, submitted  # noqa: F401  (demo is a fixture)
from tests.factories import StaffFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SIZES = [{"width": 1366, "height": 768}, {"width": 390, "height": 844}]
IDS = ["1366x768", "390x844"]


class Walk:
    """Checks each page visited and keeps every finding, so one run lists all of them."""

    def __init__(self, page, site, width):
        self.page, self.site, self.width = page, site, width
        self.findings: dict[str, list[str]] = {}
        out = os.environ.get("MOTCUA_SCREENSHOTS")
        self.shots = Path(out) if out else None

    def check(self, name):
        page = self.page
        page.wait_for_load_state("load")
        found = [f"axe {v}" for v in axe_violations(page)]
        found += [f"hint not tied to a control: {h}" for h in untied_hints(page)]
        if wider := overflow(page):
            found.append(f"{wider}px wider than the {self.width}px screen")
        found += [f"tap target under 44 × 44: {t}" for t in small_targets(page)]
        # The enrolment key is random base32, data not language ("GO2I" is no English "go").
        key = page.locator("#totp-secret")
        key = key.inner_text() if key.count() else None
        found += [f"English: {e}" for e in english_on(page) if not (key and key in e)]
        if found:
            self.findings[f"{name} ({page.url})"] = found
        if self.shots:
            page.screenshot(path=str(self.shots / f"staff-{name}-{self.width}.png"), full_page=True)

    def visit(self, name, path):
        self.page.goto(self.site + path)
        self.check(name)

    def press(self, button, within=None):
        with self.page.expect_navigation(wait_until="load"):
            (within or self.page).get_by_role("button", name=button, exact=True).last.click()

    def report(self) -> str:
        return "\n".join(f"{p}:\n  " + "\n  ".join(f) for p, f in self.findings.items())


def _dossiers(demo):  # noqa: F811
    """One dossier waiting at reception, two accepted (the head's queue), one overdue."""
    waiting = submitted(demo["congdan"])
    accepted = [
        services.perform(submitted(demo["congdan"]), "accept", demo["tiepnhan"]) for _ in range(2)
    ]
    late = accepted[1]
    Dossier.objects.filter(pk=late.pk).update(due_at=timezone.now() - dt.timedelta(hours=5))
    return waiting, accepted


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_every_staff_page_fits_and_is_accessible(browser, site, demo, size, settings):  # noqa: F811
    waiting, accepted = _dossiers(demo)
    receiver = demo["tiepnhan"]
    device = TOTPDevice.objects.create(user=receiver, name="Ứng dụng xác thực", confirmed=True)
    context = browser.new_context(viewport=size, locale="vi-VN")
    page = context.new_page()
    walk = Walk(page, site, size["width"])

    # The staff login: password, then the TOTP code (a wrong one first, to see the errors).
    walk.visit("login", "/dang-nhap/")
    page.get_by_label("Thư điện tử").fill(receiver.email)
    page.get_by_label("Mật khẩu").fill(settings.DEMO_PASSWORD)
    walk.press("Đăng nhập")
    walk.check("otp-verify")
    page.get_by_label("Mã xác thực").fill(wrong_code(device))
    walk.press("Xác nhận")
    walk.check("otp-verify-errors")
    device.refresh_from_db()
    device.throttle_reset()
    page.get_by_label("Mã xác thực").fill(totp_code(device))
    walk.press("Xác nhận")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hồ sơ cần xử lý")
    walk.check("home")

    walk.visit("queue", "/can-bo/ho-so/?queue=tat-ca")
    walk.visit("queue-empty", "/can-bo/ho-so/?queue=tat-ca&q=khong+co+ai")
    walk.visit("dossier-reception", f"/can-bo/ho-so/{waiting.code}/")
    for summary in page.locator("details.desk-action summary").all():
        summary.click()
    walk.check("dossier-reception-open")
    refuse = page.locator("details.desk-action", has_text="Từ chối tiếp nhận hồ sơ")
    walk.press("Từ chối tiếp nhận hồ sơ", within=refuse)
    walk.check("dossier-reception-errors")
    walk.visit("dossier-accepted", f"/can-bo/ho-so/{accepted[0].code}/")
    walk.visit("intake", "/can-bo/tiep-nhan-tai-quay/")
    page.get_by_role("button", name="Chọn thủ tục").click()
    walk.check("intake-picker-error")
    page.get_by_label("Thủ tục hành chính").select_option(index=1)
    walk.press("Chọn thủ tục")
    walk.check("intake-form")
    walk.press("Tiếp nhận hồ sơ")
    walk.check("intake-errors")
    walk.visit("tracking-book", "/can-bo/so-theo-doi-ho-so/")
    walk.visit("tracking-book-errors", "/can-bo/so-theo-doi-ho-so/?date_from=2026-13-40")
    walk.visit("security", "/can-bo/bao-mat/")

    # The department head: the queue with bulk assignment, its refusal shown.
    context.clear_cookies()
    log_in(page, site, demo["truongphong"])
    walk.visit("head-home", "/can-bo/")
    walk.visit("head-queue", "/can-bo/ho-so/?queue=moi-tiep-nhan")
    walk.press("Phân công")
    walk.check("head-queue-errors")
    walk.visit("head-overdue", "/can-bo/ho-so/?queue=qua-han")
    walk.visit("head-dossier", f"/can-bo/ho-so/{accepted[0].code}/")

    # The first login of an officer without an authenticator: the enrolment page.
    context.clear_cookies()
    settings.STAFF_2FA_REQUIRED = True
    newcomer = StaffFactory(full_name="Trần Văn Mới")
    walk.visit("login-newcomer", "/dang-nhap/")
    page.get_by_label("Thư điện tử").fill(newcomer.email)
    page.get_by_label("Mật khẩu").fill("MatKhau2026")
    walk.press("Đăng nhập")
    walk.check("otp-setup")
    walk.press("Xác nhận và đăng nhập")
    walk.check("otp-setup-errors")
    context.close()
    assert not walk.findings, walk.report()


# Where the focus is after a Tab, and whether it shows: an element on top at its place on
# the screen, with an outline or a shadow (portal.css's focus styles).
FOCUSED = """() => {
  const el = document.activeElement, r = el.getBoundingClientRect(), s = getComputedStyle(el);
  return {
    what: el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + " «" +
      (el.innerText || el.value || "").trim().slice(0, 40) + "»",
    // On top at its centre (Tab scrolls it into view): not clipped away nor covered.
    seen: r.width > 2 && r.height > 2 && ((hit) => hit && (el.contains(hit) ||
      Array.from(el.labels || []).some((l) => l.contains(hit))))(
      document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2)),
    marked: (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== "none",
  };
}"""


def unseen_focus(page, presses=60) -> list[str]:
    """Tab through the page from the top: every stop that cannot be seen or shows no focus."""
    found = []
    page.locator("body").focus()
    for _ in range(presses):
        page.keyboard.press("Tab")
        stop = page.evaluate(FOCUSED)
        if stop["what"].startswith("body"):
            break
        if not (stop["seen"] and stop["marked"]):
            found.append(stop["what"])
    return found


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_the_focus_is_always_visible_on_the_staff_pages(browser, site, demo, size):  # noqa: F811
    waiting, accepted = _dossiers(demo)
    context = browser.new_context(viewport=size, locale="vi-VN")
    page = context.new_page()
    found = {}
    for user, path in [
        ("truongphong", "/can-bo/ho-so/?queue=moi-tiep-nhan"),
        ("tiepnhan", "/can-bo/"),
        ("tiepnhan", f"/can-bo/ho-so/{waiting.code}/"),
        ("tiepnhan", "/can-bo/so-theo-doi-ho-so/"),
        ("tiepnhan", "/can-bo/tiep-nhan-tai-quay/"),
    ]:
        context.clear_cookies()
        log_in(page, site, demo[user])
        page.goto(site + path)
        if hidden := unseen_focus(page):
            found[path] = hidden
    context.close()
    assert not found, found


def test_an_officer_on_a_phone_accepts_a_dossier_by_keyboard(browser, site, demo):  # noqa: F811
    waiting = submitted(demo["congdan"])
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN")
    page = context.new_page()
    log_in(page, site, demo["tiepnhan"])
    page.goto(f"{site}/can-bo/ho-so/?queue=cho-tiep-nhan")

    def tab_to(locator, presses=80):
        for _ in range(presses):
            page.keyboard.press("Tab")
            if locator.evaluate("el => el === document.activeElement"):
                return
        pytest.fail(f"{locator} cannot be reached with Tab")

    tab_to(page.get_by_role("link", name=waiting.code))
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/can-bo/ho-so/{waiting.code}/")
    summary = page.locator("details.desk-action summary", has_text="Tiếp nhận hồ sơ").first
    tab_to(summary)
    page.keyboard.press("Enter")
    button = page.locator("details.desk-action[open]").get_by_role("button", name="Tiếp nhận hồ sơ")
    tab_to(button, presses=10)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text(
        f"Đã thực hiện «Tiếp nhận hồ sơ» cho hồ sơ {waiting.code}."
    )
    assert Dossier.objects.get(pk=waiting.pk).status == Status.RECEIVED
    assert overflow(page) == 0
    context.close()
