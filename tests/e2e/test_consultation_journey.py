"""Inter-agency consultation (T6) in a real browser, with the demo accounts: the handler asks
the provincial police for an opinion with a letter attached, the police officer finds it on
their work page, opens the dossier read-only and answers; the handler reads the answer.
Each page at 1366×768, sent by keyboard, axe-clean, tap targets of 44 px."""

import re

import pytest
from playwright.sync_api import expect

from motcua.accounts.models import Role
from motcua.dossiers import services
from motcua.dossiers.models import Consultation, DossierEvent
from tests.e2e.a11y import assert_no_axe_violations, small_targets
from tests.e2e.test_staff_journeys import demo, desk_page, shown, submitted  # noqa: F401

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
QUESTION = "Đề nghị Công an tỉnh cho ý kiến về an toàn phòng cháy của biển quảng cáo."
ANSWER = "Biển quảng cáo bảo đảm khoảng cách an toàn phòng cháy, chữa cháy."
ASK = "Lấy ý kiến cơ quan phối hợp"
REPLY = "Cơ quan phối hợp trả lời ý kiến"


def open_action(page, label):
    action = page.locator(
        "details.desk-action", has=page.locator("summary", has_text=re.compile(f"^{label}$"))
    )
    action.locator("summary").focus()
    page.keyboard.press("Enter")
    return action


def test_the_handler_asks_the_police_and_the_police_answer(browser, site, demo, tmp_path):  # noqa: F811
    from motcua.accounts.models import User

    partner = User.objects.get(email="phoihop@demo.motcua.vn")
    d = submitted(demo["congdan"])
    d = services.perform(d, "accept", demo["tiepnhan"])
    d = services.perform(d, "assign", demo["truongphong"], assignee=demo["chuyenvien"].pk)
    code = d.code

    page = desk_page(browser, site, demo["chuyenvien"])
    shown(page, site, code)
    action = open_action(page, ASK)
    police = action.get_by_label("Công an tỉnh Quảng Ngãi")
    police.focus()
    page.keyboard.press("Space")
    expect(police).to_be_checked()
    action.get_by_label("Nội dung xin ý kiến").fill(QUESTION)
    days = action.get_by_label("Thời hạn trả lời")
    days.select_option(value="3")
    expect(days.locator("option:checked")).to_have_text(
        re.compile(r"^3 ngày làm việc \(đến \d\d:\d\d ngày \d\d/\d\d/\d{4}\)$")
    )
    letter = tmp_path / "cong-van-xin-y-kien.pdf"
    letter.write_bytes(PDF)
    action.get_by_label("Tệp đính kèm").set_input_files(str(letter))
    assert small_targets(page) == []
    action.get_by_role("button", name=ASK).press("Enter")
    page.wait_for_load_state()
    expect(page.get_by_role("status")).to_contain_text(f"Đã thực hiện «{ASK}» cho hồ sơ {code}.")
    section = page.get_by_role("region", name=ASK)
    expect(section).to_contain_text("Công an tỉnh Quảng Ngãi")
    expect(section).to_contain_text("Đang chờ trả lời")
    expect(section.get_by_role("link", name="cong-van-xin-y-kien.pdf")).to_be_visible()
    assert_no_axe_violations(page)
    page.context.close()

    page = desk_page(browser, site, partner)
    page.goto(f"{site}/can-bo/")
    inbox = page.locator("section.consult-inbox")
    expect(inbox).to_contain_text("(1)")
    assert_no_axe_violations(page)
    inbox.get_by_role("link", name=code).press("Enter")
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hồ sơ {code}")
    expect(page.get_by_text("Cơ quan bạn đang được xin ý kiến")).to_be_visible()
    expect(page.locator("article.desk-consult")).to_contain_text(QUESTION)
    # The history shows the step, not the office's internal note.
    expect(page.locator("section[aria-labelledby=s-history]")).not_to_contain_text(QUESTION)
    assert page.locator("details.desk-action summary").all_inner_texts() == [REPLY]
    shown(page, site, code)
    letter_link = page.get_by_role("link", name="cong-van-xin-y-kien.pdf")
    opened = page.request.get(site + letter_link.get_attribute("href"))
    assert opened.status == 200 and opened.body().startswith(b"%PDF")
    action = open_action(page, REPLY)
    action.get_by_label("Ý kiến trả lời").fill(ANSWER)
    assert small_targets(page) == []
    action.get_by_role("button", name=REPLY).press("Enter")
    page.wait_for_load_state()
    # Answered: the dossier left the partner's view, and they are back on their work page.
    expect(page.get_by_role("status")).to_contain_text(f"Đã thực hiện «{REPLY}» cho hồ sơ {code}.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hồ sơ cần xử lý")
    expect(page.get_by_text("Không có hồ sơ nào đang chờ cơ quan bạn cho ý kiến.")).to_be_visible()
    assert page.goto(f"{site}/can-bo/ho-so/{code}/").status == 404
    page.context.close()

    page = desk_page(browser, site, demo["chuyenvien"])
    shown(page, site, code)
    section = page.get_by_role("region", name=ASK)
    expect(section).to_contain_text(ANSWER)
    expect(section).to_contain_text("Đã trả lời lúc")
    history = page.locator("section[aria-labelledby=s-history]")
    expect(history).to_contain_text(ASK)
    expect(history).to_contain_text(REPLY)
    page.context.close()

    c = Consultation.objects.get(dossier=d)
    assert c.answer == ANSWER and c.answered_by == partner and c.days == 3
    assert list(
        DossierEvent.objects.filter(dossier=d).order_by("at", "id").values_list("action", flat=True)
    )[-2:] == ["consult", "answer_consultation"]
    assert Role.PARTNER_AGENCY in set(partner.memberships.values_list("role", flat=True))
