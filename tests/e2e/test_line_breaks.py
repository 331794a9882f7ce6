"""How lines fall on a laptop and a phone: the breadcrumbs at the top of a procedure's page
(the current page's plain-text crumb centred with the links beside it, not raised to their
top), and the tracking page's example code, which is never broken at a hyphen."""

import pytest

from tests.portal.dossiers_support import advertising

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


SIZES = pytest.mark.parametrize(
    "size",
    [{"width": 1366, "height": 768}, {"width": 390, "height": 844}, {"width": 360, "height": 740}],
    ids=["1366x768", "390x844", "360x740"],
)


@SIZES
def test_the_current_crumb_stands_on_the_line_of_the_links(browser, site, size):
    advertising()
    context = browser.new_context(viewport=size, locale="vi-VN")
    page = context.new_page()
    page.goto(f"{site}/thu-tuc/1.004650/")
    middles = page.evaluate(
        """() => Array.from(document.querySelectorAll('.breadcrumbs__list li')).map(li => {
             const range = document.createRange();
             range.selectNodeContents(li);
             const text = Array.from(range.getClientRects()).filter(r => r.height > 0);
             const last = text[text.length - 1];
             return last.top + last.height / 2;
           })"""
    )
    context.close()
    assert len(middles) == 3
    assert max(middles) - min(middles) <= 2, middles


@SIZES
def test_the_example_code_is_never_broken(browser, site, size):
    context = browser.new_context(viewport=size, locale="vi-VN")
    page = context.new_page()
    page.goto(f"{site}/tra-cuu/")
    example = page.get_by_text("H48.30-260105-0001", exact=True)
    lines = example.evaluate("el => new Set(Array.from(el.getClientRects()).map(r => r.top)).size")
    hint = page.locator("#id_code_helptext").inner_text()
    context.close()
    assert hint == "In trên giấy biên nhận, ví dụ H48.30-260105-0001."
    assert lines == 1
