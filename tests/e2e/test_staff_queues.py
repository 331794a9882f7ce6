"""The work queues as a department head uses them: at 1366×768, by keyboard only, axe-clean,
44 px targets; opens a queue, selects two dossiers, assigns them, searches by name.

Set MOTCUA_SCREENSHOTS=/some/dir to save the pages.
"""

import datetime as dt
import os

import pytest
from django.utils import timezone

from motcua.accounts.models import Role
from motcua.dossiers.models import Dossier, Status
from motcua.workflow.services import build_standard
from tests.backoffice.test_queues import _accepted, make
from tests.e2e.a11y import assert_no_axe_violations, overflow, small_targets
from tests.e2e.sessions import log_in
from tests.factories import MembershipFactory, ProcedureVersionFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _check(page, name):
    if out := os.environ.get("MOTCUA_SCREENSHOTS"):
        page.screenshot(path=f"{out}/{name}-1366.png", full_page=True)
    assert overflow(page) == 0
    assert small_targets(page) == []
    assert_no_axe_violations(page)


def test_head_assigns_from_a_queue_by_keyboard(browser, site):
    version = ProcedureVersionFactory(name="Cấp giấy phép xây dựng nhà ở riêng lẻ")
    build_standard(version)
    receiver = MembershipFactory(agency=version.agency, role=Role.RECEIVER).user
    head = MembershipFactory(agency=version.agency, role=Role.DEPT_HEAD).user
    handler = MembershipFactory(
        agency=version.agency, role=Role.HANDLER, user__full_name="Phạm Thị Thụ Lý"
    ).user
    first, second = _accepted(version, receiver, 2)
    make(
        version,
        Status.PROCESSING,
        name="Võ Văn Quá Hạn",
        due_at=timezone.now() - dt.timedelta(hours=3),
    )

    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
    page = context.new_page()
    log_in(page, site, head)
    page.goto(f"{site}/can-bo/")
    assert page.get_by_role("heading", name="Hồ sơ cần xử lý").is_visible()
    assert page.get_by_role("link", name="Sổ theo dõi hồ sơ").is_visible()
    _check(page, "staff-home")

    # Keyboard only: Tab to the "Mới tiếp nhận" tile of the head's section and open it.
    tile = page.get_by_role("link", name="2 Mới tiếp nhận").first
    for _ in range(40):
        page.keyboard.press("Tab")
        if tile.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail("the queue tile cannot be reached with Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**/can-bo/ho-so/?queue=moi-tiep-nhan")
    assert page.get_by_role("heading", name="Mới tiếp nhận").is_visible()
    _check(page, "staff-queue")

    page.get_by_label(f"Chọn hồ sơ {first.code}").focus()
    page.keyboard.press("Space")
    page.get_by_label(f"Chọn hồ sơ {second.code}").focus()
    page.keyboard.press("Space")
    page.get_by_label("Giao cho cán bộ").select_option(str(handler.pk))
    page.get_by_role("button", name="Phân công").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_text("Đã phân công 2 hồ sơ.").is_visible(), page.content()
    for d in (first, second):
        assert Dossier.objects.get(pk=d.pk).assignee_id == handler.pk

    # The deadline state is written out, not only coloured; search by a name without marks.
    page.goto(f"{site}/can-bo/ho-so/?queue=qua-han")
    assert page.get_by_text("Quá hạn", exact=True).last.is_visible()
    page.get_by_label("Tìm hồ sơ").focus()
    page.keyboard.type("vo van qua han")
    page.keyboard.press("Enter")
    page.wait_for_url("**q=vo+van+qua+han*")
    assert page.get_by_role("cell", name="Võ Văn Quá Hạn").count() == 1
    _check(page, "staff-queue-search")

    # A refused selection: the error is in the summary and next to the field.
    page.goto(f"{site}/can-bo/ho-so/?queue=tat-ca")
    page.get_by_role("button", name="Phân công").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    summary = page.locator(".error-summary")
    assert summary.get_by_role("link", name="Chọn ít nhất một hồ sơ để phân công.").is_visible()
    assert page.locator("#id_dossiers_error").is_visible()
    _check(page, "staff-queue-error")
    context.close()
