"""The tracking book page as an officer uses it: at 1366×768, by keyboard, axe-clean.

Set MOTCUA_SCREENSHOTS=/some/dir to save the page.
"""

import datetime as dt
import os
import uuid

import pytest

from motcua.accounts.models import Role
from tests.documents.helpers import submitted_dossier
from tests.e2e.a11y import assert_no_axe_violations, overflow
from tests.e2e.sessions import log_in
from tests.factories import AgencyFactory, MembershipFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_officer_filters_the_book_by_keyboard_and_exports(browser, site):
    dossier = submitted_dossier()
    other = AgencyFactory(name="Ủy ban nhân dân phường Cẩm Thành")
    for n in range(3):
        dossier.pk, dossier.public_id = None, uuid.uuid4()
        dossier.code = f"H48.13-261101-000{n + 2}"
        dossier.submitted_at = dt.datetime(2026, 11, 1 + n, 9, tzinfo=dt.UTC)
        dossier.save()
    officer = MembershipFactory(agency=dossier.receiving_agency, role=Role.RECEIVER).user
    MembershipFactory(user=officer, agency=other, role=Role.RECEIVER)
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
    page = context.new_page()
    log_in(page, site, officer)
    page.goto(f"{site}/can-bo/so-theo-doi-ho-so/")
    assert page.get_by_role("heading", name="Sổ theo dõi hồ sơ").is_visible()
    assert page.get_by_role("cell", name="H48.13-261101-0002").is_visible()
    assert overflow(page) == 0
    assert_no_axe_violations(page)
    if out := os.environ.get("MOTCUA_SCREENSHOTS"):
        page.screenshot(path=f"{out}/tracking-book-1366.png", full_page=True)

    # Keyboard only: focus the agency filter, pick the commune, submit with Enter.
    page.get_by_label("Cơ quan tiếp nhận").focus()
    page.keyboard.press("End")
    # The date picker's typing order follows the browser's locale; fill sets the value.
    page.get_by_label("Nhận hồ sơ từ ngày").fill("2026-11-02")
    page.get_by_label("Nhận hồ sơ từ ngày").press("Enter")
    page.wait_for_url("**/so-theo-doi-ho-so/?*")
    assert "Không có hồ sơ nào khớp điều kiện lọc." in page.content()
    page.get_by_label("Cơ quan tiếp nhận").select_option(str(dossier.receiving_agency_id))
    page.get_by_role("button", name="Lọc").press("Enter")
    page.wait_for_load_state()
    assert page.get_by_role("cell", name="H48.13-261101-0003").is_visible()
    assert page.get_by_role("cell", name="H48.13-261101-0002").count() == 0

    with page.expect_download() as download:
        page.get_by_role("link", name="Xuất Excel").press("Enter")
    assert download.value.suggested_filename.endswith(".xlsx")
    with page.expect_download() as download:
        page.get_by_role("link", name="Xuất PDF").press("Enter")
    assert download.value.suggested_filename.endswith(".pdf")
    context.close()
