"""The captcha's alternative for people who cannot see its picture: a small sum asked in
words ("Bảy cộng hai bằng mấy?"), answered with a number in figures or in words.

It lives in django-simple-captcha's own table: ``challenge`` holds the sum ("7+2"), written
out in the page's language only when shown, and ``response`` the result ("9"). The answer box
accepts either the picture's characters or the sum's result.
"""

import secrets
import unicodedata

from captcha.models import CaptchaStore
from django.utils.translation import gettext, pgettext

# Digits 0–10 in words, without diacritics, in the two languages of the pages.
_SPOKEN = {
    **{w: n for n, w in enumerate("khong mot hai ba bon nam sau bay tam chin muoi".split())},
    **{w: n for n, w in enumerate("zero one two three four five six seven eight nine ten".split())},
    "linh": 0,
    "tu": 4,
    "lam": 5,
    "bay": 7,
}


def _word(n: int) -> str:
    words = [
        pgettext("số", "không"),
        pgettext("số", "một"),
        pgettext("số", "hai"),
        pgettext("số", "ba"),
        pgettext("số", "bốn"),
        pgettext("số", "năm"),
        pgettext("số", "sáu"),
        pgettext("số", "bảy"),
        pgettext("số", "tám"),
        pgettext("số", "chín"),
        pgettext("số", "mười"),
    ]
    return words[n]


def new_question() -> str:
    """A fresh sum in the captcha table; returns its key."""
    a = secrets.randbelow(9) + 1
    if secrets.randbelow(2):
        b = secrets.randbelow(10 - a) + 1 if a < 10 else 0
        challenge, result = f"{a}+{b}", a + b
    else:
        a += 1
        b = secrets.randbelow(a - 1) + 1
        challenge, result = f"{a}-{b}", a - b
    return CaptchaStore.objects.create(challenge=challenge, response=str(result)).hashkey


def question_text(key: str) -> str:
    """The sum behind ``key`` as a sentence in the current language ("" when gone)."""
    store = CaptchaStore.objects.filter(hashkey=key).first()
    if store is None or not any(op in store.challenge for op in "+-"):
        return ""
    plus = "+" in store.challenge
    a, b = (int(x) for x in store.challenge.split("+" if plus else "-"))
    if plus:
        text = gettext("%(a)s cộng %(b)s bằng mấy?") % {"a": _word(a), "b": _word(b)}
    else:
        text = gettext("%(a)s trừ %(b)s còn mấy?") % {"a": _word(a), "b": _word(b)}
    return text[:1].upper() + text[1:]


def spoken_number(answer: str) -> str:
    """A typed answer as figures: "9", "chín", "Chín.", "chin", "nine" → "9"; anything
    else is returned as typed, lower-cased."""
    text = unicodedata.normalize("NFD", answer.strip().lower().rstrip("."))
    text = "".join(c for c in text if not unicodedata.combining(c)).replace("đ", "d")
    if text.isdigit():
        return str(int(text))
    return str(_SPOKEN[text]) if text in _SPOKEN else answer.strip().lower()
