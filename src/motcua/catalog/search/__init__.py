"""Search of the catalogue in citizens' words, shared by the portal and the API.

``search`` answers with :class:`Results`, a list of procedure versions best first that the
paginators of Django and DRF take as they are. The work is in submodules: ``query`` reads the
query against the synonym table, ``typos`` finds what a misspelt word meant, ``index`` holds
the catalogue in force in memory, ``rank`` orders what matches. The same code runs on SQLite
and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from django.utils import timezone

from motcua.catalog.search import index as snapshots
from motcua.catalog.search.rank import did_you_mean, rank
from motcua.core.text import words as fold_words

# A national procedure code as printed ("1.004650", "2.000"), searched by its start.
_CODE = re.compile(r"^\s*\d+\.\d*\s*$")
SUGGESTIONS = 6


class Results(Sequence):
    """Procedure versions, best first, with what the citizen may have meant."""

    def __init__(self, versions: list, *, corrected: str = "", suggestion: str = ""):
        self._versions = versions
        self.corrected = corrected
        self.suggestion = suggestion

    def __getitem__(self, item):
        return self._versions[item]

    def __len__(self) -> int:
        return len(self._versions)

    def count(self) -> int:  # what Django's Paginator asks first
        return len(self._versions)

    def exists(self) -> bool:
        return bool(self._versions)

    def first(self):
        return self._versions[0] if self._versions else None


def search(
    *,
    q: str = "",
    agency: str = "",
    field: str = "",
    level: str = "",
    day: dt.date | None = None,
) -> Results:
    """Procedure versions in force on ``day`` matching the filters, best match first.

    ``agency`` is an agency code. A commune's own code also finds the procedures every
    commune decides (those hung on the commune-level group), because that is what a citizen
    choosing "UBND xã …" expects to see. Without ``q``, everything allowed by the filters,
    by name.
    """
    index = snapshots.current(day or timezone.localdate())
    allowed = _filtered(index, agency, field, level)
    if _CODE.match(q or ""):
        code = q.strip()
        pool = range(len(index.docs)) if allowed is None else allowed
        found = sorted(
            (p for p in pool if index.docs[p].code.startswith(code)), key=_by_code(index)
        )
        if found:
            return Results([index.docs[p].version for p in found])
    terms = fold_words(q)
    if not terms:
        order = index.by_name if allowed is None else [p for p in index.by_name if p in allowed]
        return Results([index.docs[p].version for p in order])
    ranked = rank(index, terms, allowed)
    if ranked.docs:
        versions = ranked.docs.map(lambda p: index.docs[p].version)
        return Results(versions, corrected=ranked.corrected)
    fixed = did_you_mean(index, terms)
    suggestion = ""
    if fixed and rank(index, fixed, allowed).docs:
        suggestion = index.show(fixed)
    return Results([], suggestion=suggestion)


def suggest(q: str, limit: int = SUGGESTIONS) -> list:
    """The first few procedures for what has been typed so far (the search box's list)."""
    if len(fold_words(q)) == 0 or len(q.strip()) < 2:
        return []
    return list(search(q=q)[:limit])


def _by_code(index):
    return lambda p: index.docs[p].code


def _filtered(index, agency: str, field: str, level: str) -> set[int] | None:
    if not (agency or field or level):
        return None
    found: set[int] | None = None
    if agency:
        target = index.agencies.get(agency)
        if target is None:
            return set()
        pk, kind, parent = target
        found = set(index.by_agency.get(pk, ()))
        if kind == "commune_committee" and parent:
            found |= set(index.commune_level.get(parent, ()))
    for wanted, groups in ((field, index.by_field), (level, index.by_level)):
        if wanted:
            these = groups.get(wanted, set())
            found = set(these) if found is None else found & these
    return found
