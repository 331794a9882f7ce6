"""Vietnamese text folding for search and comparison.

One function folds both the indexed column and the query, so "giay phep xay dung" finds
"Cấp giấy phép xây dựng". ``unicodedata`` strips combining marks but leaves đ/Đ alone (it is a
letter of its own, not d + mark), so it is replaced by hand.
"""

import re
import unicodedata

_D = str.maketrans({"đ": "d", "Đ": "d"})
_NON_WORD = re.compile(r"[^0-9a-z]+")


def fold(text: str) -> str:
    """Lower-case, diacritic-free, đ→d, punctuation collapsed to single spaces."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text.translate(_D))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_WORD.sub(" ", stripped.lower()).strip()


def words(text: str) -> list[str]:
    """The folded words of ``text``, for all-words-must-match search."""
    return [w for w in fold(text).split(" ") if w]


def nfc(text: str) -> str:
    """Store Vietnamese in NFC: a phone keyboard may send decomposed marks."""
    return unicodedata.normalize("NFC", text or "").strip()


# The Vietnamese alphabet (with the foreign letters f, j, w, z where the Latin alphabet puts
# them): ă, â, đ, ê, ô, ơ, ư are letters of their own, not accented variants, so "Chấm"
# comes before "Cho" and "Đà" after every "D…".
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
# Tones in the order of the Unicode CLDR Vietnamese collation: none, grave (huyền), hook
# (hỏi), tilde (ngã), acute (sắc), dot below (nặng).
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
# The marks that make a letter of its own: breve, circumflex, horn.
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}
# Every weight is written as two characters of 0-9a-z, and the key contains nothing else:
# any database collation (SQLite's binary one, PostgreSQL's C or en_US) orders such strings
# exactly as Python does, so the stored key sorts the same on both databases.
_DIGITS36 = "0123456789abcdefghijklmnopqrstuvwxyz"
_LEVEL_END = "00"  # ends a level: a shorter name sorts before a longer one it begins
_GAP = "01"  # between words: "Ba Vì" before "Bac"
_SORT_KEY_CHARS = 120


def _weight(n: int) -> str:
    return _DIGITS36[n // 36] + _DIGITS36[n % 36]


_PRIMARY = {c: _weight(2 + 10 + 1 + i) for i, c in enumerate(_ALPHABET)}
_PRIMARY.update({str(d): _weight(2 + d) for d in range(10)})
_OTHER = _weight(2 + 10 + 1 + len(_ALPHABET))  # any other letter, after z


def _letters(text: str):
    """(base letter, tone, upper case) for each letter or digit of ``text``, and None for
    each run of anything else (spaces, punctuation) between them."""
    previous_gap = True
    for cluster in re.findall(r"\w[\u0300-\u036f]*|\W+|_", unicodedata.normalize("NFD", text)):
        base = cluster[0]
        if not base.isalnum():
            if not previous_gap:
                yield None
            previous_gap = True
            continue
        previous_gap = False
        marks = cluster[1:]
        lower = base.lower()
        letter = unicodedata.normalize(
            "NFC", lower + "".join(m for m in marks if m in _LETTER_MARKS)
        )
        if lower == "đ":
            letter = "đ"
        tone = max((_TONES.get(m, 0) for m in marks), default=0)
        yield letter, tone, base != lower


def sort_key(text: str) -> str:
    """A key that puts Vietnamese names in dictionary order when compared as plain strings.

    Three levels, as in the Unicode collation: first the letters in the Vietnamese alphabet
    (a ă â b c d đ e ê … o ô ơ … u ư …), words compared one after the other; then the tones
    (none, huyền, hỏi, ngã, sắc, nặng); then lower case before upper case. Only the first
    120 characters count, which is more than any two names need to differ.
    """
    letters = list(_letters((text or "").strip()[:_SORT_KEY_CHARS]))
    if letters and letters[-1] is None:
        letters.pop()
    primary, tones, cases = [], [], []
    for item in letters:
        if item is None:
            primary.append(_GAP)
            continue
        letter, tone, upper = item
        primary.append(_PRIMARY.get(letter, _OTHER))
        tones.append(str(tone))
        cases.append("1" if upper else "0")
    return "".join(primary) + _LEVEL_END + "".join(tones) + "0" + "".join(cases)
