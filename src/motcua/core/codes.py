"""Agency, procedure and dossier identifiers (docs/domain.md, "Identifiers").

Two notations of agency identifiers live side by side in real data: QCVN 102:2016
(``000.17.22.H56``, read right to left) and Decision 20/2020 (``H56.22.17``, left to right).
Parsers accept both; nothing here computes a code from a name or an alphabet.
"""

import re
from dataclasses import dataclass

# re.ASCII: without it \d also matches full-width and other-script digits.
_QCVN102 = re.compile(r"^(\d{3})\.(\d{2})\.(\d{2})\.([A-Z]\d{2})$", re.ASCII)
_DECISION20 = re.compile(r"^[A-Y]\d{2}(\.[0-9A-Z]+)*$", re.ASCII)
_PROCEDURE = re.compile(r"^(\d\.\d{6})(?:\.(?:000\.00\.00\.)?([A-Z]\d{2}))?$", re.ASCII)
_DOSSIER = re.compile(r"^([A-Z0-9.]+)-(\d{6,8})-(\d{4,})$", re.ASCII)


@dataclass(frozen=True)
class AgencyCode:
    """An agency identifier split into levels, level 1 (province/ministry) first."""

    levels: tuple[str, ...]
    notation: str  # "qcvn102" or "decision20"

    @property
    def level1(self) -> str:
        return self.levels[0]

    def as_decision20(self) -> str:
        return ".".join(self.levels)


def parse_agency_code(value: str) -> AgencyCode:
    code = (value or "").strip().upper()
    m = _QCVN102.fullmatch(code)
    if m:
        l4, l3, l2, l1 = m.groups()
        levels = [l1]
        for part in (l2, l3, l4):
            if int(part) == 0:
                break
            levels.append(part)
        return AgencyCode(tuple(levels), "qcvn102")
    if len(code) <= 35 and _DECISION20.fullmatch(code):
        return AgencyCode(tuple(code.split(".")), "decision20")
    raise ValueError(
        "Mã định danh cơ quan không đúng định dạng QCVN 102 (000.00.00.H48) "
        "hoặc Quyết định 20/2020 (H48.13)."
    )


def is_agency_code(value: str) -> bool:
    try:
        parse_agency_code(value)
    except ValueError:
        return False
    return True


def parse_procedure_code(value: str) -> tuple[str, str | None]:
    """Split ``1.004650``, ``1.004650.H42`` or ``1.004650.000.00.00.H42`` into the national
    code and the level-1 agency code of the local instance (None for a bare national code)."""
    m = _PROCEDURE.fullmatch((value or "").strip().upper())
    if not m:
        raise ValueError(
            "Mã thủ tục hành chính phải có dạng 1.004650 (có thể kèm mã tỉnh, ví dụ 1.004650.H48)."
        )
    return m.group(1), m.group(2)


def is_dossier_code(value: str) -> bool:
    """Loose check: real codes have 6- or 8-digit dates and 4+ digit sequences."""
    return bool(_DOSSIER.fullmatch((value or "").strip()))
