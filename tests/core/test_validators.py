"""Identifier rules of docs/domain.md, "Identifiers"."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from motcua.core.validators import (
    ID_PROVINCE_CODES,
    parse_id_number,
    validate_id_number,
    validate_mobile,
    validate_tax_code,
)


def _assert_vietnamese(message: str):
    # Every rule speaks to citizens: a Vietnamese sentence, never an English default.
    assert any(c in message for c in "àáảãạăắằâấầđéèêếềíìóòôốồơớờúùưứừýỳ"), message


# --- personal identification number ------------------------------------------------------


def test_province_table_is_the_63_legacy_codes():
    # Numbers are fixed for life, so the pre-2025 list must stay whole.
    assert len(ID_PROVINCE_CODES) == 63
    assert {"001", "051", "062", "079", "096"} <= ID_PROVINCE_CODES
    assert not {"000", "003", "050", "097"} & ID_PROVINCE_CODES


@pytest.mark.parametrize(
    ("number", "year", "female"),
    [
        ("051090123456", 1990, False),  # 051 Quảng Ngãi, 0 = male 1900s
        ("051190123456", 1990, True),  # 1 = female 1900s
        ("051205000001", 2005, False),  # 2 = male 2000s
        ("051305000001", 2005, True),  # 3 = female 2000s
        ("062300000000", 2000, True),  # 062 Kon Tum
        ("079499123456", 2199, False),  # 4 = male 2100s
        ("001512000000", 2112, True),
        ("096600000000", 2200, False),
        ("096799000000", 2299, True),
        ("096800000000", 2300, False),
        ("096999000000", 2399, True),
    ],
)
def test_century_and_gender_digit(number, year, female):
    parsed = parse_id_number(number)
    assert parsed.birth_year() == year
    assert parsed.female is female
    assert parsed.province_code == number[:3]
    assert validate_id_number(number, birth_year=year, female=female) == number


def test_spaces_are_stripped():
    assert validate_id_number(" 051 0 90 123456 ") == "051090123456"
    assert validate_id_number("051\t090\u00a0123456") == "051090123456"


@pytest.mark.parametrize(
    "number",
    ["", "05109012345", "0510901234567", "05109012345a", "051-090-123456", "123456789", None],
)
def test_wrong_shape_refused(number):
    with pytest.raises(ValueError, match="12 chữ số"):
        validate_id_number(number)


@pytest.mark.parametrize("number", ["000090123456", "003090123456", "050090123456", "099190123456"])
def test_unknown_province_code_refused(number):
    with pytest.raises(ValueError, match="mã tỉnh") as exc:
        validate_id_number(number)
    _assert_vietnamese(str(exc.value))


def test_declared_birth_year_must_agree():
    with pytest.raises(ValueError, match="năm sinh"):
        validate_id_number("051090123456", birth_year=1991)
    # The same two year digits in another century are a different person.
    with pytest.raises(ValueError, match="năm sinh"):
        validate_id_number("051090123456", birth_year=2090)


def test_declared_sex_must_agree():
    with pytest.raises(ValueError, match="giới tính"):
        validate_id_number("051090123456", female=True)
    with pytest.raises(ValueError, match="giới tính"):
        validate_id_number("051305000001", female=False)


@st.composite
def personal_numbers(draw):
    province = draw(st.sampled_from(sorted(ID_PROVINCE_CODES)))
    year = draw(st.integers(1900, 2399))
    female = draw(st.booleans())
    serial = draw(st.integers(0, 999_999))
    digit = (year - 1900) // 100 * 2 + int(female)
    return f"{province}{digit}{year % 100:02d}{serial:06d}", year, female


@settings(max_examples=300, deadline=None)
@given(personal_numbers())
def test_any_valid_number_round_trips(case):
    number, year, female = case
    parsed = parse_id_number(number)
    assert (parsed.birth_year(), parsed.female) == (year, female)
    assert validate_id_number(number, birth_year=year, female=female) == number
    with pytest.raises(ValueError):
        validate_id_number(number, birth_year=year + 1)
    with pytest.raises(ValueError):
        validate_id_number(number, female=not female)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.characters(categories=["Nd", "Zs"]), max_size=16))
def test_accepted_numbers_are_twelve_ascii_digits(text):
    # Stored numbers are compared as strings (uniqueness of confirmed accounts): a number
    # typed with full-width or other-script digits must not slip in as a second spelling.
    try:
        number = validate_id_number(text)
    except ValueError:
        return
    assert len(number) == 12 and number.isascii() and number.isdigit()


@pytest.mark.parametrize(
    "number", ["０５１０９０１２３４５６", "051０９０１２３４５６", "051٠٩٠١٢٣٤٥٦"]
)
def test_non_ascii_digits_refused(number):
    with pytest.raises(ValueError):
        validate_id_number(number)


# --- tax code ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0100109106", "0100109106"),  # Viettel
        (" 0100109106 ", "0100109106"),
        ("0100109106-001", "0100109106-001"),
        ("0100109106001", "0100109106-001"),
        ("0100109106 - 001", "0100109106-001"),
        ("0300588569", "0300588569"),  # Vinamilk
    ],
)
def test_valid_tax_codes(value, expected):
    assert validate_tax_code(value) == expected


@pytest.mark.parametrize("value", ["0100109107", "0100109105-001", "0300588560"])
def test_wrong_check_digit(value):
    with pytest.raises(ValueError, match="chữ số kiểm tra") as exc:
        validate_tax_code(value)
    _assert_vietnamese(str(exc.value))


@pytest.mark.parametrize(
    "value",
    ["", "010010910", "01001091066", "0100109106-01", "0100109106-0001", "01001O9106", None],
)
def test_wrong_length_or_characters(value):
    with pytest.raises(ValueError, match="10 chữ số"):
        validate_tax_code(value)


def test_tax_code_with_all_zero_body_refused():
    # Digits 3–9 all zero is not a real enterprise even if the check digit fits.
    with pytest.raises(ValueError):
        validate_tax_code("0100000000")


def test_non_ascii_digits_in_tax_code_refused():
    with pytest.raises(ValueError):
        validate_tax_code("０１００１０９１０６")


# --- mobile phone --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "0988123113",
        "+84988123113",
        "84988123113",
        "+84 988 123 113",
        "0988.123.113",
        "0988 123 113",
        "(098) 812-3113",
    ],
)
def test_mobile_forms_normalise_to_domestic(value):
    assert validate_mobile(value) == "0988123113"


@pytest.mark.parametrize("prefix", ["03", "05", "07", "08", "09"])
def test_every_mobile_prefix_accepted(prefix):
    assert validate_mobile(f"{prefix}12345678") == f"{prefix}12345678"


@pytest.mark.parametrize("prefix", ["00", "01", "02", "04", "06"])
def test_other_prefixes_refused(prefix):
    with pytest.raises(ValueError, match="03, 05, 07, 08 hoặc 09"):
        validate_mobile(f"{prefix}12345678")


@pytest.mark.parametrize(
    "value",
    [
        "0260.3797799",  # Kon Tum landline from the seed letters
        "02553822200",  # Quảng Ngãi landline
        "098812311",  # 9 digits
        "09881231134",  # 11 digits
        "+840988123113",
        "",
        None,
        "098812311a",
    ],
)
def test_landlines_and_malformed_refused(value):
    with pytest.raises(ValueError) as exc:
        validate_mobile(value)
    _assert_vietnamese(str(exc.value))


def test_non_ascii_digits_in_mobile_refused():
    with pytest.raises(ValueError):
        validate_mobile("09８８１２３１１３")
