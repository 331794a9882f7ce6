"""Validation of Vietnamese identifiers (docs/domain.md, "Identifiers").

Pure functions returning a normalised value or raising ``ValueError`` with a Vietnamese
message, so forms, serializers, the import command and tests share one rule.
"""

import re
from dataclasses import dataclass

from stdnum.exceptions import ValidationError as StdnumError
from stdnum.vn import mst

# Birth-registration province codes of the 12-digit personal number: "0" + the GSO code of
# the 63 pre-2025 provinces. Numbers are fixed for life, so the old list stays valid forever.
ID_PROVINCE_CODES = frozenset(
    f"{n:03d}"
    for n in (
        1,
        2,
        4,
        6,
        8,
        10,
        11,
        12,
        14,
        15,
        17,
        19,
        20,
        22,
        24,
        25,
        26,
        27,
        30,
        31,
        33,
        34,
        35,
        36,
        37,
        38,
        40,
        42,
        44,
        45,
        46,
        48,
        49,
        51,
        52,
        54,
        56,
        58,
        60,
        62,
        64,
        66,
        67,
        68,
        70,
        72,
        74,
        75,
        77,
        79,
        80,
        82,
        83,
        84,
        86,
        87,
        89,
        91,
        92,
        93,
        94,
        95,
        96,
    )
)

# [0-9], not \d: \d also matches full-width and other-script digits, which would be stored
# as a second spelling of the same number.
_MOBILE = re.compile(r"^0[35789][0-9]{8}$")


@dataclass(frozen=True)
class PersonalNumber:
    number: str
    province_code: str
    birth_century_start: int
    female: bool
    birth_year_2: int

    def birth_year(self) -> int:
        return self.birth_century_start + self.birth_year_2


def parse_id_number(value: str) -> PersonalNumber:
    """Check a 12-digit personal identification number (số định danh cá nhân)."""
    number = re.sub(r"\s", "", value or "")
    if not re.fullmatch(r"[0-9]{12}", number):
        raise ValueError("Số định danh cá nhân phải gồm đúng 12 chữ số.")
    province = number[:3]
    if province not in ID_PROVINCE_CODES:
        raise ValueError(
            "Ba chữ số đầu của số định danh không phải mã tỉnh nơi đăng ký khai sinh hợp lệ."
        )
    gender_century = int(number[3])
    return PersonalNumber(
        number=number,
        province_code=province,
        birth_century_start=1900 + (gender_century // 2) * 100,
        female=bool(gender_century % 2),
        birth_year_2=int(number[4:6]),
    )


def validate_id_number(
    value: str, *, birth_year: int | None = None, female: bool | None = None
) -> str:
    """Return the normalised number; optionally check it agrees with declared birth data."""
    parsed = parse_id_number(value)
    if birth_year is not None and parsed.birth_year() != birth_year:
        raise ValueError("Số định danh không khớp với năm sinh đã khai.")
    if female is not None and parsed.female != female:
        raise ValueError("Số định danh không khớp với giới tính đã khai.")
    return parsed.number


def validate_tax_code(value: str) -> str:
    """Enterprise tax code: 10 digits, or 10 + "-" + 3-digit branch, with its check digit."""
    raw = (value or "").strip().replace(" ", "")
    if not re.fullmatch(r"[0-9]{10}(-?[0-9]{3})?", raw):
        raise ValueError(
            "Mã số thuế gồm 10 chữ số, hoặc 13 chữ số với đơn vị phụ thuộc (ví dụ 0100109106-001)."
        )
    try:
        compact = mst.validate(raw)
    except StdnumError:
        raise ValueError("Mã số thuế không hợp lệ (sai chữ số kiểm tra).") from None
    return compact if len(compact) == 10 else f"{compact[:10]}-{compact[10:]}"


def validate_mobile(value: str) -> str:
    """Vietnamese mobile number, returned in the 10-digit domestic form."""
    raw = re.sub(r"[\s.\-()]", "", value or "")
    if raw.startswith("+84"):
        raw = "0" + raw[3:]
    elif raw.startswith("84") and len(raw) == 11:
        raw = "0" + raw[2:]
    if not _MOBILE.fullmatch(raw):
        raise ValueError(
            "Số điện thoại di động gồm 10 chữ số, bắt đầu bằng 03, 05, 07, 08 hoặc 09."
        )
    return raw
