from decimal import Decimal

import pytest

from motcua.portal.templatetags.portal import (
    delivery_label,
    isodate,
    mask_id,
    megabytes,
    number,
    vnd,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, "0\u00a0₫"),
        (1000, "1.000\u00a0₫"),
        (1234000, "1.234.000\u00a0₫"),
        ("75000", "75.000\u00a0₫"),
        (None, ""),
    ],
)
def test_vnd(value, expected):
    assert vnd(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("5.0"), "5"),
        (Decimal("2.5"), "2,5"),
        (Decimal("30"), "30"),
        (Decimal("10.0"), "10"),
        (None, ""),
    ],
)
def test_number(value, expected):
    assert number(value) == expected


def test_mask_id():
    assert mask_id("051090123456") == "••••••••3456"
    assert mask_id("") == "" and mask_id(None) == "" and mask_id("123") == "123"


def test_isodate():
    assert isodate("2025-06-26") == "26/06/2025"
    assert isodate("") == "" and isodate("26/06/2025") == "26/06/2025"


def test_megabytes():
    assert (
        megabytes(10 * 1024 * 1024) == "10" and megabytes(1572864) == "1,5" and megabytes(0) == ""
    )


def test_delivery_label():
    assert delivery_label("post") == "Nhận qua dịch vụ bưu chính công ích"
    assert delivery_label("unknown") == "unknown"
