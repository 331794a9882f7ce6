"""Accessibility checks for the browser tests: axe-core, hints tied to their controls, tap
targets on a phone, nothing wider than the screen.

axe-core (MPL-2.0, by Deque Systems) comes inside the ``axe-playwright-python`` wheel, a dev
dependency: the file is read from the installed package and injected into the page, so no test
ever fetches it from a CDN.
"""

from functools import cache
from importlib import resources

# WCAG 2.0, 2.1 and 2.2, levels A and AA: what Vietnamese and international public-service
# guidance asks of a government portal. "best-practice" rules are left out on purpose.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]

# WCAG 2.5.5 asks 44 × 44 CSS px of every target; 2.5.8 (AA) allows a smaller one when it is
# a link inside a sentence, whose size is set by the line of text around it. Our rule: every
# a, button, summary, select and radio/checkbox control (the box together with its label,
# since a click on the label toggles it) is at least 44 × 44, except a link that sits in
# running text: one whose nearest block is a paragraph, list item, cell or definition that
# also holds text outside the link. Hidden and visually-hidden elements are not targets.
TAP_TARGET = 44

_MEASURE_TARGETS = """(min) => {
  const blocks = "p, li, td, th, dd, dt, figcaption, legend, .hint, .notice, .footer p";
  function describe(el) {
    const text = (el.innerText || el.value || el.getAttribute("aria-label") || "").trim();
    return el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
      (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\\s+/).join(".") : "") +
      " «" + text.slice(0, 40) + "»";
  }
  function visible(el) {
    const style = getComputedStyle(el);
    if (style.visibility === "hidden" || style.display === "none") return false;
    const rect = el.getBoundingClientRect();
    if (rect.width <= 1 && rect.height <= 1) return false;  // .visually-hidden
    return el.getClientRects().length > 0;
  }
  function inSentence(el) {
    if (el.tagName !== "A") return false;
    const block = el.parentElement.closest(blocks);
    if (!block) return false;
    const own = (el.innerText || "").trim();
    const all = (block.innerText || "").replace(own, "").trim();
    return all.length > 0 && getComputedStyle(el).display === "inline";
  }
  function box(el) {
    // A radio or checkbox is operated through its label too: measure the two together.
    if (el.matches("input[type=radio], input[type=checkbox]")) {
      const wrap = el.closest(".radio, .checkbox");
      if (wrap) return wrap.getBoundingClientRect();
      const label = el.labels && el.labels[0];
      if (label) {
        const a = el.getBoundingClientRect(), b = label.getBoundingClientRect();
        const left = Math.min(a.left, b.left), top = Math.min(a.top, b.top);
        return {width: Math.max(a.right, b.right) - left, height: Math.max(a.bottom, b.bottom) - top};
      }
    }
    return el.getBoundingClientRect();
  }
  const small = [];
  document.querySelectorAll(
    "a[href], button, summary, select, input[type=radio], input[type=checkbox]"
  ).forEach((el) => {
    if (!visible(el) && !el.matches("input[type=radio], input[type=checkbox]")) return;
    if (el.matches("input") && !visible(el.closest(".radio, .checkbox") || el)) return;
    if (inSentence(el)) return;
    // Off-screen copies kept for the Enter key (default_button.html) are nobody's target.
    if (el.getAttribute("aria-hidden") === "true" && el.tabIndex < 0) return;
    const rect = box(el);
    if (rect.width < min - 0.5 || rect.height < min - 0.5) {
      small.push(describe(el) + " " + Math.round(rect.width) + "×" + Math.round(rect.height));
    }
  });
  return small;
}"""

# A hint or an error message on a form is read out with its control only when the control
# (or its fieldset) names it in aria-describedby.
_UNTIED_HINTS = """() => {
  const described = new Set();
  document.querySelectorAll("[aria-describedby]").forEach((el) => {
    el.getAttribute("aria-describedby").split(/\\s+/).forEach((id) => described.add(id));
  });
  const loose = [];
  document.querySelectorAll("form .hint, form .error-message").forEach((el) => {
    if (!el.getClientRects().length) return;
    if (!el.id || !described.has(el.id)) {
      loose.push((el.id || "(no id)") + " «" + el.innerText.trim().slice(0, 60) + "»");
    }
  });
  return loose;
}"""


@cache
def _axe_source() -> str:
    return resources.files("axe_playwright_python").joinpath("axe.min.js").read_text("utf-8")


def axe_violations(page) -> list[str]:
    """What axe-core finds on the page as it is now, one line per rule and element."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol: the portal's CSP refuses inline scripts.
        page.evaluate(_axe_source() + "\n;0")
    result = page.evaluate(
        "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS,
    )
    found = []
    for violation in result["violations"]:
        for node in violation["nodes"]:
            found.append(
                f"{violation['id']} ({violation['impact']}): {violation['help']} — "
                f"{' '.join(node['target'])}: {node['failureSummary'].splitlines()[-1].strip()}"
            )
    return found


def assert_no_axe_violations(page):
    found = axe_violations(page)
    assert not found, f"axe-core on {page.url}:\n" + "\n".join(found)


def untied_hints(page) -> list[str]:
    return page.evaluate(_UNTIED_HINTS)


def small_targets(page) -> list[str]:
    return page.evaluate(_MEASURE_TARGETS, TAP_TARGET)


def overflow(page) -> int:
    """How many CSS px the page is wider than the viewport (0 when it fits)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
