"""Finding English on a page that should be Vietnamese only.

Everything a person can perceive is gathered in the browser: the text of every visible
text node, the page title, and the attributes a screen reader or a tooltip reads out (alt,
title, aria-label, placeholder, the value of buttons) and the options of every list. Two
checks then run on it:

- known phrases that Django and the third-party apps print in English ("Skip to main
  content", "Toggle theme", "Show counts"...), matched anywhere, case-insensitively;
- every word written in plain ASCII letters is looked up in a list of common English words
  of the admin's vocabulary. Vietnamese words almost always carry a diacritic; those that do
  not and that also exist in English ("in", "do", "an", "to", "no", "than", "long", "may"...)
  are left out
  of the list on purpose, so Vietnamese text never trips it. E-mail addresses, URLs and
  file paths are removed first: they are data, not language.

A word in the list that is in fact data the test itself created (a browser's User-Agent,
say) would show as a false alarm; the data set up by the tests avoids such words.
"""

import re

PHRASES = (
    "skip to main content",
    "toggle theme",
    "toggle navigation",
    "show counts",
    "hide counts",
    "view site",
    "log out",
    "change password",
    "recent actions",
    "my actions",
    "none available",
    "select all",
    "add another",
    "save and",
    "run the selected action",
    "filter navigation",
    "start typing to filter",
    "choose all",
    "remove all",
    "click to clear",
    "hold down",
    "this field is required",
    "please correct",
)

ENGLISH_WORDS = frozenset(
    """
    about above access account accounts action actions active add added address after
    agent all also and another any are args ascending attempt attempts authentication
    available back backend before below between breadcrumbs but by calendar cancel
    change changed changes character characters choose chosen clean clear click clock
    close code confirmed content contains count counts create created current data date
    dates day days default delete deleted descending device devices disabled done down
    edit email empty enabled enqueued enter entries entry error errors exception
    expiration expired expires failed failure failures false field fields filter
    filters finished first for form from get go group groups has have help here hide
    history home hour hours http identity information into invalid is it item items key
    kwargs last later latest least list lock locked log logged login logins logout logs
    main meta midnight minute minutes model models month more morning most name names
    navigation new next noon none not note now number object objects of off only or
    other our out page password passwords path permission permissions please post
    previous priority queue ready recent remaining remove required reset result results
    return run running save search second seconds select selected session set show
    sidebar site skip sort sorting staff start started state status step submit
    successful superuser task tasks the theme this throttling time timestamp timestamps
    today toggle tomorrow total traceback true type unknown until up update updated
    use used user username users valid value values view was week were what when where
    which will with worker year yes yesterday you your
    monday tuesday wednesday thursday friday saturday sunday
    january february march april june july august september october november december
    """.split()
)

# Read in the page: every perceivable string, with where it was found.
COLLECT = """() => {
  const out = [];
  const visible = (el) => el && el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true});
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    const text = node.textContent.trim();
    if (!text || !parent || ['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE'].includes(parent.tagName)) continue;
    if (parent.tagName === 'OPTION' || visible(parent)) out.push(['text', text]);
  }
  out.push(['title', document.title]);
  for (const el of document.querySelectorAll('[alt], [title], [aria-label], [placeholder], input[type=submit], input[type=button], button[value]')) {
    if (!visible(el) && !el.closest('select')) continue;
    for (const name of ['alt', 'title', 'aria-label', 'placeholder']) {
      const value = el.getAttribute(name);
      if (value && value.trim()) out.push([name, value.trim()]);
    }
    if (el.tagName === 'INPUT' && el.value) out.push(['value', el.value]);
  }
  return out;
}"""

DATA = re.compile(r"\S+@\S+|https?://\S+|(?<!\w)/[\w./-]*")
WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)?")


def english_in(strings):
    """The English found in ``strings`` (pairs of where, text), as readable complaints."""
    found = []
    for where, text in strings:
        lowered = text.lower()
        for phrase in PHRASES:
            if phrase in lowered:
                found.append(f"{where}: «{text}» ({phrase})")
        words = {w.lower() for w in WORD.findall(DATA.sub(" ", text)) if w.lower() in ENGLISH_WORDS}
        if words:
            found.append(f"{where}: «{text}» ({', '.join(sorted(words))})")
    return found


def english_on(page):
    """The English a person meets on the page now open in Playwright's ``page``."""
    found = english_in(page.evaluate(COLLECT))
    lang = page.evaluate("document.documentElement.lang")
    if lang != "vi":
        found.append(f'<html lang="{lang}">')
    return found
