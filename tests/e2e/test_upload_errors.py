"""Upload errors on "Thành phần hồ sơ", with and without script: each error stands next to its
component, replaces that component's previous error, and the summary at the top lists every
error as a link to its input; limits are in MB."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.a11y import axe_violations
from tests.e2e.test_submission import ID_NUMBER, _log_in, citizen_component
from tests.factories import UserFactory
from tests.portal.dossiers_support import advertising, places

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NOTICE = "Thông báo sản phẩm quảng cáo"
SIZES = [{"width": 1366, "height": 768}, {"width": 390, "height": 844}]


@pytest.fixture
def citizen(db):
    advertising()
    places()
    return UserFactory(full_name="Nguyễn Văn An", id_number=ID_NUMBER, phone="0988123113")


@pytest.fixture
def bad_files(tmp_path):
    exe, empty, big, good = (
        tmp_path / "chuong-trinh.exe",
        tmp_path / "rong.pdf",
        tmp_path / "qua-lon.pdf",
        tmp_path / "thong-bao.pdf",
    )
    exe.write_bytes(b"MZ\x90")
    empty.write_bytes(b"")
    big.write_bytes(b"%PDF-1.4\n" + b"0" * 1_200_000)
    good.write_bytes(b"%PDF-1.4\n%%EOF\n")
    return exe, empty, big, good


def _components_page(page, site, user):
    _log_in(page, site, user)
    page.goto(f"{site}/thu-tuc/1.004650/nop-ho-so/")
    page.get_by_role("button", name="Bắt đầu").click()
    page.get_by_role("button", name="Tiếp tục", exact=True).last.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Thành phần hồ sơ")


def _errors_of(page, component):
    block = page.locator(f"[data-component='{component.pk}']")
    return block.locator(".error-message")


def _summary_links(page):
    return page.locator(".error-summary a")


@pytest.mark.parametrize("size", SIZES, ids=["1366x768", "390x844"])
def test_background_upload_errors_replace_each_other_and_are_summarised(
    browser, site, citizen, bad_files, size
):
    exe, empty, big, good = bad_files
    notice = citizen_component(name__startswith="Thông báo")
    notice.max_size = 1024 * 1024
    notice.save()
    context = browser.new_context(viewport=size, locale="vi-VN")
    page = context.new_page()
    _components_page(page, site, citizen)
    upload = page.get_by_label(f"Chọn tệp – {NOTICE}")

    upload.set_input_files(str(exe))
    expect(_errors_of(page, notice)).to_have_count(1)
    expect(_errors_of(page, notice)).to_contain_text("«chuong-trinh.exe» không đúng định dạng")
    expect(_summary_links(page)).to_have_count(1)
    expect(_summary_links(page)).to_have_attribute("href", f"#id_file-{notice.pk}")
    assert axe_violations(page) == []

    page.get_by_label(re.compile(f"– {NOTICE}")).first.set_input_files(str(empty))
    expect(_errors_of(page, notice)).to_have_count(1)
    expect(_errors_of(page, notice)).to_contain_text("«rong.pdf» rỗng")
    expect(page.get_by_text("chuong-trinh.exe")).to_have_count(0)
    expect(_summary_links(page)).to_have_count(1)
    expect(_summary_links(page)).to_contain_text("«rong.pdf» rỗng")

    # Refused in the browser before sending: the same place, the same summary, in MB.
    page.get_by_label(re.compile(f"– {NOTICE}")).first.set_input_files(str(big))
    expect(_errors_of(page, notice)).to_have_count(1)
    expect(_errors_of(page, notice)).to_contain_text(
        "«qua-lon.pdf» vượt quá dung lượng tối đa 1 MB."
    )
    expect(_summary_links(page)).to_have_count(1)
    expect(_summary_links(page)).to_contain_text("1 MB")
    expect(page.get_by_text(re.compile(r"\d{5,} ?(byte|B\b)"))).to_have_count(0)
    # The link takes the keyboard to the input that fixes it.
    _summary_links(page).click()
    expect(page.locator(f"#id_file-{notice.pk}")).to_be_focused()
    assert axe_violations(page) == []

    page.get_by_label(re.compile(f"– {NOTICE}")).first.set_input_files(str(good))
    expect(page.get_by_role("link", name="thong-bao.pdf")).to_be_visible()
    expect(_errors_of(page, notice)).to_have_count(0)
    expect(page.locator(".error-summary")).to_have_count(0)
    context.close()


def test_without_script_the_error_page_starts_with_a_focused_summary(
    browser, site, citizen, bad_files
):
    exe, empty, _big, good = bad_files
    notice = citizen_component(name__startswith="Thông báo")
    mockup = citizen_component(name__startswith="Ma-két")
    context = browser.new_context(java_script_enabled=False, locale="vi-VN")
    page = context.new_page()
    _components_page(page, site, citizen)
    page.get_by_label(f"Chọn tệp – {NOTICE}").set_input_files(str(exe))
    page.get_by_label("Chọn tệp – Ma-két").set_input_files(str(empty))
    page.get_by_role("button", name=f"Tải lên – {NOTICE}").click()
    expect(_summary_links(page)).to_have_count(2)
    expect(_summary_links(page).first).to_have_attribute("href", f"#id_file-{notice.pk}")
    expect(_summary_links(page).last).to_have_attribute("href", f"#id_file-{mockup.pk}")
    expect(_errors_of(page, notice)).to_contain_text("không đúng định dạng")
    expect(_errors_of(page, mockup)).to_contain_text("«rong.pdf» rỗng")
    # A second try replaces the first error rather than adding to it.
    page.get_by_label(f"Chọn tệp – {NOTICE}").set_input_files(str(empty))
    page.get_by_role("button", name=f"Tải lên – {NOTICE}").click()
    expect(_errors_of(page, notice)).to_have_count(1)
    expect(_errors_of(page, notice)).to_contain_text("«rong.pdf» rỗng")
    expect(_summary_links(page)).to_have_count(1)
    page.get_by_label(f"Chọn tệp – {NOTICE}").set_input_files(str(good))
    page.get_by_role("button", name=f"Tải lên – {NOTICE}").click()
    expect(page.get_by_role("link", name="thong-bao.pdf")).to_be_visible()
    expect(page.locator(".error-summary")).to_have_count(0)
    context.close()


def test_with_script_a_full_page_error_focuses_the_summary(page, site, citizen):
    _components_page(page, site, citizen)
    page.get_by_role("button", name="Tiếp tục", exact=True).last.click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_attribute(
        "href", f"#id_file-{citizen_component(name__startswith='Thông báo').pk}"
    )
    assert axe_violations(page) == []
