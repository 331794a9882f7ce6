"""``sort_key`` puts names in Vietnamese dictionary order when compared as plain strings, so
a stored key sorts the same on SQLite and PostgreSQL."""

import functools
import re
import unicodedata

import pytest
from django.db import connection
from hypothesis import given, settings
from hypothesis import strategies as st

from motcua.core.text import sort_key

ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
TONES = ["", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"]  # dictionary order
VOWELS = set("aăâeêioôơuưy")


def letter(base: str, tone: str = "", upper: bool = False) -> str:
    text = base.upper() if upper else base
    return unicodedata.normalize("NFC", text + (tone if base in VOWELS else ""))


LETTERS = st.builds(letter, st.sampled_from(ALPHABET), st.sampled_from(TONES), st.booleans())
WORDS = st.lists(LETTERS, min_size=1, max_size=6).map("".join)
NAMES = st.lists(WORDS, min_size=1, max_size=4).map(" ".join)


def reference_compare(a: str, b: str) -> int:
    """Dictionary order written the slow, obvious way: letters by their place in the
    alphabet word after word, then tones, then case."""

    def levels(text):
        primary, tones, cases = [], [], []
        for word in text.split(" "):
            for ch in word:
                d = unicodedata.normalize("NFD", ch)
                base = d[0].lower()
                marks = d[1:]
                for letter_mark in ("\u0306", "\u0302", "\u031b"):
                    if letter_mark in marks:
                        base = unicodedata.normalize("NFC", base + letter_mark)
                tone = next((TONES.index(m) for m in marks if m in TONES[1:]), 0)
                primary.append(ALPHABET.index(base) + 1)
                tones.append(tone)
                cases.append(int(d[0].isupper()))
            primary.append(0)  # a word ends before any letter
        return primary, tones, cases

    la, lb = levels(a), levels(b)
    return (la > lb) - (la < lb)


def test_the_issue_example_and_the_special_letters():
    names = ["Chuyển trường", "Cho phép", "Chấm điểm", "Đăng ký", "Dừng", "Ơn", "Ông", "Ong"]
    assert sorted(names, key=sort_key) == [
        "Chấm điểm",
        "Cho phép",
        "Chuyển trường",
        "Dừng",
        "Đăng ký",
        "Ong",
        "Ông",
        "Ơn",
    ]


def test_tones_after_letters_then_in_dictionary_order():
    assert sorted(["bạ", "bá", "Ba", "bã", "bả", "bà", "ba", "bắc"], key=sort_key) == [
        "ba",
        "Ba",
        "bà",
        "bả",
        "bã",
        "bá",
        "bạ",
        "bắc",
    ]


def test_word_by_word():
    assert sorted(["Bac", "Ba Vì", "Bà Rịa"], key=sort_key) == ["Bà Rịa", "Ba Vì", "Bac"]


@given(NAMES)
def test_only_characters_every_collation_orders_alike(name):
    assert re.fullmatch(r"[0-9a-z]+", sort_key(name))


@given(NAMES, NAMES)
@settings(max_examples=400)
def test_agrees_with_the_reference_order(a, b):
    key_order = (sort_key(a) > sort_key(b)) - (sort_key(a) < sort_key(b))
    assert key_order == reference_compare(a, b)


@given(NAMES)
def test_decomposed_input_and_surrounding_spaces_do_not_matter(name):
    assert sort_key(unicodedata.normalize("NFD", f"  {name} ")) == sort_key(name)


@given(NAMES, WORDS)
def test_a_name_sorts_before_its_longer_forms(name, more):
    assert sort_key(name) < sort_key(f"{name} {more}")


@pytest.mark.django_db
@given(st.lists(NAMES, min_size=2, max_size=12, unique=True))
@settings(max_examples=40, deadline=None)
def test_same_order_as_the_icu_vietnamese_collation(names):
    """Where PostgreSQL has ICU's Vietnamese collation, it is the judge."""
    if connection.vendor != "postgresql":
        pytest.skip("ICU collation only on PostgreSQL")
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_collation WHERE collname = 'vi-x-icu'")
        if cursor.fetchone() is None:
            pytest.skip("no vi-x-icu collation on this server")
        values = ",".join(["(%s)"] * len(names))
        cursor.execute(
            f'SELECT n FROM (VALUES {values}) AS v(n) ORDER BY n COLLATE "vi-x-icu"', names
        )
        icu = [row[0] for row in cursor.fetchall()]
    assert sorted(names, key=sort_key) == icu
    assert sorted(names, key=functools.cmp_to_key(reference_compare)) == icu
