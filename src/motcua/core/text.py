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
