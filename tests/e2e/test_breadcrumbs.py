"""The breadcrumbs at the top of a procedure's page: every crumb on one line, the current
page's plain-text crumb centred with the links beside it, not raised to their top."""

import pytest

from tests.portal.dossiers_support import advertising

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    "size",
    [{"width": 1366, "height": 768}, {"width": 390, "height": 844}],
    ids=["1366x768", "390x844"],
)
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
