"""``fold`` indexes the search column and folds the query: both sides must agree exactly."""

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from motcua.core.text import fold, nfc, words

# Every vowel with every tone mark, precomposed, in both cases, plus đ/Đ.
_BASES = "aăâeêioôơuưy"
_TONES = ["", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"]  # huyền sắc ngã hỏi nặng
VIETNAMESE_VOWELS = sorted(
    {unicodedata.normalize("NFC", b + t) for b in _BASES for t in _TONES}
    | {unicodedata.normalize("NFC", b.upper() + t) for b in _BASES for t in _TONES}
)
VIETNAMESE_TEXT = st.text(
    alphabet=st.sampled_from(
        VIETNAMESE_VOWELS
        + list("đĐbcdghklmnpqrstvxBCDGHKLMNPQRSTVX0123456789")
        + list(" \t\n.,;:!?-/()«»\"'")
        + _TONES[1:]  # loose combining marks, as a phone keyboard may send them
    ),
    max_size=60,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Cấp giấy phép xây dựng", "cap giay phep xay dung"),
        ("Đăng ký khai sinh", "dang ky khai sinh"),
        ("ĐĂNG KÝ KẾT HÔN", "dang ky ket hon"),
        ("đường Đống Đa", "duong dong da"),
        (
            "Thủ tục: cấp lại (bản sao) — giấy chứng nhận!!",
            "thu tuc cap lai ban sao giay chung nhan",
        ),
        ("  Quảng   Ngãi  ", "quang ngai"),
        ("1.004650.000.00.00.H48", "1 004650 000 00 00 h48"),
        ("", ""),
        ("!!!", ""),
    ],
)
def test_fold_examples(text, expected):
    assert fold(text) == expected


@pytest.mark.parametrize("vowel", VIETNAMESE_VOWELS)
def test_every_tone_mark_is_removed(vowel):
    base = unicodedata.normalize("NFD", vowel)[0].lower()
    assert fold(vowel) == base


def test_nfc_and_nfd_input_fold_the_same():
    text = "Cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở"
    nfd = unicodedata.normalize("NFD", text)
    assert nfd != text  # the test is only meaningful if the two spellings differ
    assert fold(nfd) == fold(text) == "cap giay chung nhan quyen su dung dat quyen so huu nha o"


def test_words_splits_folded_text():
    assert words("  Giấy phép, XÂY dựng ") == ["giay", "phep", "xay", "dung"]
    assert words("—") == []


def test_nfc_composes_and_strips():
    assert nfc(unicodedata.normalize("NFD", " Nguyễn Văn An ")) == "Nguyễn Văn An"
    assert nfc(None) == ""


@settings(max_examples=300, deadline=None)
@given(VIETNAMESE_TEXT)
def test_fold_properties_on_vietnamese_text(text):
    folded = fold(text)
    assert fold(folded) == folded
    assert folded.isascii()
    assert folded == folded.lower()
    assert "  " not in folded and folded == folded.strip()
    assert fold(text.upper()) == folded
    assert fold(unicodedata.normalize("NFD", text)) == folded
    assert fold(unicodedata.normalize("NFC", text)) == folded


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_fold_output_is_always_ascii_and_stable(text):
    # Whatever arrives (emoji, other scripts), the indexed column holds only [0-9a-z ].
    folded = fold(text)
    assert fold(folded) == folded
    assert set(folded) <= set("abcdefghijklmnopqrstuvwxyz0123456789 ")
