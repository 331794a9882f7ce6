"""Statutory days off and make-up working days, read from the ``holidays`` package.

Vietnamese public holidays follow Labour Code 2019 Art. 112 (Tết Dương lịch, five days of
Tết Nguyên đán, Giỗ Tổ Hùng Vương, 30/4, 1/5, Quốc khánh with an adjacent day, and 24/11 from
2026); the package computes the lunar dates with the Vietnamese calendar and records the
swaps the Government announced (a weekday off against a Saturday worked). The package is a
starting point: the administrator corrects it with ``DayOverride`` rows, which win.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def days_off(year: int) -> dict[dt.date, str]:
    """The year's public holidays and announced bridge days, with their Vietnamese names."""
    return dict(holidays.country_holidays("VN", years=year, language="vi"))


@lru_cache(maxsize=1)
def make_up_days() -> dict[dt.date, str]:
    """Saturdays worked in exchange for a bridge day, as the package records them.

    The package keeps them only as the source of each swap, in a table of the Vietnamese
    calendar class; if a version of it stops doing so, the administrator enters them as
    overrides and nothing else changes.
    """
    from holidays.countries.vietnam import VietnamStaticHolidays

    found: dict[dt.date, str] = {}
    for year, entries in getattr(VietnamStaticHolidays, "special_public_holidays", {}).items():
        swaps = entries if isinstance(entries[0], tuple) else (entries,)
        for swap in swaps:
            if len(swap) < 4:
                continue
            month, day, from_month, from_day = swap[:4]
            from_year = swap[4] if len(swap) > 4 else year
            off = dt.date(year, month, day)
            found[dt.date(from_year, from_month, from_day)] = f"Làm bù cho ngày {off:%d/%m/%Y}"
    return found
