"""Agency, procedure and dossier identifiers (docs/domain.md, "Identifiers")."""

import pytest

from motcua.core.codes import (
    is_agency_code,
    is_dossier_code,
    parse_agency_code,
    parse_procedure_code,
)


@pytest.mark.parametrize(
    ("code", "levels"),
    [
        ("000.00.00.H48", ("H48",)),  # UBND tỉnh Quảng Ngãi
        ("000.00.00.H56", ("H56",)),
        ("000.00.06.H56", ("H56", "06")),
        ("000.00.53.H48", ("H48", "53")),
        ("000.17.22.H56", ("H56", "22", "17")),  # read right to left
        ("123.17.22.H56", ("H56", "22", "17", "123")),
        ("000.00.04.G18", ("G18", "04")),  # a ministry
    ],
)
def test_qcvn102_notation(code, levels):
    parsed = parse_agency_code(code)
    assert parsed.levels == levels
    assert parsed.notation == "qcvn102"
    assert parsed.level1 == levels[0]
    assert parsed.as_decision20() == ".".join(levels)


@pytest.mark.parametrize(
    ("code", "levels"),
    [
        ("H48", ("H48",)),
        ("H48.13", ("H48", "13")),
        ("H56.14", ("H56", "14")),
        ("H56.22.17", ("H56", "22", "17")),
        ("H55.242", ("H55", "242")),
        ("G09.20", ("G09", "20")),
        ("H48.40.01", ("H48", "40", "01")),
        (" h48.13 ", ("H48", "13")),
    ],
)
def test_decision20_notation(code, levels):
    parsed = parse_agency_code(code)
    assert parsed.levels == levels
    assert parsed.notation == "decision20"
    assert parsed.as_decision20() == ".".join(levels)


def test_both_notations_of_one_unit_agree():
    assert parse_agency_code("000.17.22.H56").levels == parse_agency_code("H56.22.17").levels


def test_35_character_limit():
    longest = "H48." + ".".join(["1234567"] * 4)
    assert len(longest) == 35
    assert parse_agency_code(longest).levels[0] == "H48"
    with pytest.raises(ValueError):
        parse_agency_code(longest + "7")


@pytest.mark.parametrize(
    "code",
    [
        "",
        None,
        "48",
        "Z48.13",  # M is a letter A–Y
        "H4",
        "H480",
        "H48.",
        "H48..13",
        "H48.1-3",
        "H48-CAPXA",  # MotCua's level-group node, deliberately not an identifier
        "00.00.00.H48",
        "000.00.00.48",
        "000.00.00.H4",
        "000-00-00-H48",
        "H４８.13",
        "000.00.0６.H48",
    ],
)
def test_invalid_agency_codes(code):
    with pytest.raises(ValueError, match="Mã định danh cơ quan"):
        parse_agency_code(code)
    assert is_agency_code(code) is False


def test_is_agency_code_true_for_both_notations():
    assert is_agency_code("000.00.00.H48") and is_agency_code("H48.13")


@pytest.mark.parametrize(
    ("code", "parts"),
    [
        ("1.004650", ("1.004650", None)),
        ("1.004650.H42", ("1.004650", "H42")),
        ("1.014464.H50", ("1.014464", "H50")),
        ("1.004650.000.00.00.H48", ("1.004650", "H48")),
        ("2.000815.000.00.00.H55", ("2.000815", "H55")),
        (" 1.001122.000.00.00.h48 ", ("1.001122", "H48")),
    ],
)
def test_procedure_codes(code, parts):
    assert parse_procedure_code(code) == parts


@pytest.mark.parametrize(
    "code",
    [
        "",
        None,
        "1.00465",
        "1.0046500",
        "10.004650",
        "1-004650",
        "B-BVH-123456",
        "1.004650.H4",
        "1.004650.000.00.H48",
        "1.004650.000.00.06.H48",
        "1.004650.H48.02",
        "1.004650.",
        "1.００4650",
    ],
)
def test_invalid_procedure_codes(code):
    with pytest.raises(ValueError, match="Mã thủ tục hành chính"):
        parse_procedure_code(code)


@pytest.mark.parametrize(
    "code",
    [
        "000.00.06.H56-231027-0361",
        "000.17.22.H56-210531-0001",
        "000.00.53.H48-220921-0099",
        "H56.14-240823-0001",
        "G09.20-20260609-0092637",  # 8-digit date, 7-digit sequence
        "H48.13-250701-10000",  # more than 9999 dossiers in a day
    ],
)
def test_dossier_codes(code):
    assert is_dossier_code(code)


@pytest.mark.parametrize(
    "code",
    [
        "",
        None,
        "H56.14-240823-001",  # sequence shorter than 4
        "H56.14-24082-0001",  # 5-digit date
        "H56.14-240823001-0001",  # 9-digit date
        "H56.14 240823 0001",
        "-240823-0001",
        "h56.14-240823-0001",
        "H56.14-240823-0001-1",
        "H56.14-２40823-0001",
    ],
)
def test_invalid_dossier_codes(code):
    assert not is_dossier_code(code)
