"""The catalogue in force, held in memory by each process for searching.

A province has a few thousand procedures: their names, codes and popularity fit in a few
megabytes, and ranking them in Python is faster than any round trip to the database. Each
process keeps one snapshot per day, keyed by the catalogue generation
(``catalog.selectors.catalogue_generation``), which every catalogue write and every change
of the synonym table bumps; a shared cache (Redis in production) makes the new generation
seen by every process at once. The snapshot's versions come with their procedure, agency
and field, so a page of results needs no query at all.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
import re
import threading
import uuid
from collections import Counter
from dataclasses import dataclass

from motcua.catalog.search.query import Rules
from motcua.catalog.search.typos import TypoIndex
from motcua.core.text import fold, nfc

_WORD = re.compile(r"\w+")
TOKEN_KEY = "catalog:search:token"
LONG_TEXTS = (
    "applicants",
    "sequence",
    "methods",
    "requirements",
    "result_name",
    "legal_basis",
    "notes",
    "search_text",
)


@dataclass(slots=True)
class Doc:
    version: object
    words: tuple[str, ...]
    # " w1 w2 … " so that a phrase is found only as whole words.
    padded: str
    # The name without its leading fillers ("Cấp giấy phép…" → " giay phep …").
    core: str
    wordset: frozenset[str]
    counts: dict[str, int]
    code: str
    popularity: float
    agency_id: int
    field_code: str
    level: str
    competence_level: str
    # What the coarse order compares after the words matched (search.rank).
    coarse: tuple = ()


class Index:
    def __init__(self, versions, rules: Rules, agencies: dict[str, tuple[int, str, int | None]]):
        self.rules = rules
        self.agencies = agencies
        self.docs: list[Doc] = []
        self.postings: dict[str, list[int]] = {}
        shown: dict[str, Counter] = {}
        fold_word: dict[str, str] = {}
        top = max((v.procedure.recent_dossiers for v in versions), default=0)
        lead_fillers = {p[0] for p in rules.fillers if len(p) == 1}
        for version in versions:
            words = tuple(fold(version.name).split())
            code = version.procedure.code
            core = list(words)
            while core and core[0] in lead_fillers:
                core.pop(0)
            doc = Doc(
                version=version,
                words=words,
                padded=f" {' '.join(words)} ",
                core=f" {' '.join(core)} ",
                wordset=frozenset(words) | frozenset(fold(code).split()),
                counts=dict(Counter(words)),
                code=code,
                popularity=math.log1p(version.procedure.recent_dossiers) / math.log1p(top)
                if top
                else 0.0,
                agency_id=version.agency_id,
                field_code=version.field.code,
                level=version.level,
                competence_level=version.competence_level,
            )
            doc.coarse = (-doc.popularity, len(words), code)
            position = len(self.docs)
            self.docs.append(doc)
            for word in doc.wordset:
                self.postings.setdefault(word, []).append(position)
            for original in _WORD.findall(nfc(version.name).lower()):
                folded = fold_word.get(original)
                if folded is None:
                    folded = fold_word[original] = fold(original)
                shown.setdefault(folded, Counter())[original] += 1
        self.vocabulary = {word: len(docs) for word, docs in self.postings.items()}
        self.sorted_words = sorted(self.vocabulary)
        self.typos = TypoIndex(self.vocabulary)
        # How a folded word is most often written, to show a correction with its marks.
        self.shown = {word: counts.most_common(1)[0][0] for word, counts in shown.items()}
        # Positions by filter value, so that a filtered search never walks the catalogue.
        self.by_agency: dict[int, set[int]] = {}
        self.by_field: dict[str, set[int]] = {}
        self.by_level: dict[str, set[int]] = {}
        self.commune_level: dict[int, set[int]] = {}
        for position, doc in enumerate(self.docs):
            self.by_agency.setdefault(doc.agency_id, set()).add(position)
            self.by_field.setdefault(doc.field_code, set()).add(position)
            self.by_level.setdefault(doc.level, set()).add(position)
            if doc.competence_level == "xa":
                self.commune_level.setdefault(doc.agency_id, set()).add(position)
        self.by_name = sorted(range(len(self.docs)), key=lambda i: _name_key(self.docs[i]))
        # Each query word's matches, filled as queries come (search.rank).
        self.word_hits: dict[tuple[str, bool], tuple[dict[int, float], str]] = {}

    def completions(self, prefix: str, limit: int = 20) -> list[str]:
        """Words of the catalogue starting with ``prefix`` (not itself), commonest first."""
        words = self.sorted_words
        found = []
        for i in range(bisect.bisect_left(words, prefix), len(words)):
            if not words[i].startswith(prefix):
                break
            if words[i] != prefix:
                found.append(words[i])
        found.sort(key=lambda w: -self.vocabulary[w])
        return found[:limit]

    def show(self, words) -> str:
        return " ".join(self.shown.get(w, w) for w in words)


def _name_key(doc: Doc):
    return (doc.version.name_sort, doc.code)


_lock = threading.Lock()
_snapshots: dict[dt.date, tuple[str, Index]] = {}


def current(day: dt.date) -> Index:
    """This process's snapshot for ``day``, rebuilt when the catalogue generation moved."""
    key = _key()
    held = _snapshots.get(day)
    if held and held[0] == key:
        return held[1]
    with _lock:
        held = _snapshots.get(day)
        if held and held[0] == key:
            return held[1]
        index = build(day)
        if len(_snapshots) > 3:  # yesterday's and a few test days at most
            _snapshots.clear()
        _snapshots[day] = (key, index)
        return index


def _key() -> str:
    """The generation, plus a token that a cleared or restarted cache renews (the generation
    alone would start again from 1 and match a stale snapshot)."""
    from django.core.cache import cache

    from motcua.catalog.selectors import GENERATION_KEY

    held = cache.get_many([GENERATION_KEY, TOKEN_KEY])
    generation, token = held.get(GENERATION_KEY), held.get(TOKEN_KEY)
    if generation is None:
        generation = cache.get_or_set(GENERATION_KEY, 1, None)
    if token is None:
        token = cache.get_or_set(TOKEN_KEY, uuid.uuid4().hex, None)
    return f"{generation}:{token}"


def build(day: dt.date) -> Index:
    from motcua.catalog.models import Agency, ProcedureVersion, SearchSynonym
    from motcua.catalog.selectors import effective

    versions = list(
        ProcedureVersion.objects.filter(effective(day))
        .select_related("procedure", "agency", "field")
        # The long texts are for the procedure's own page, never for a list of results.
        .defer(*LONG_TEXTS)
        .order_by("id")
    )
    rules = Rules.from_rows(SearchSynonym.objects.values_list("phrase_folded", "meaning_folded"))
    agencies = {
        code: (pk, kind, parent)
        for code, pk, kind, parent in Agency.objects.values_list("code", "pk", "kind", "parent_id")
    }
    return Index(versions, rules, agencies)
