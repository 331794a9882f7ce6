"""What a citizen typed, read against the synonym table: slots to match, fillers dropped.

A *slot* is one thing the citizen asked for: a word ("karaoke"), or a phrase the synonym
table knows ("gpxd", "cong chung"), which may be matched as typed or by any of its
meanings ("giay phep xay dung", "chung thuc"). Filler words ("xin", "lam", "thu tuc") make
no slot: they only bring a name that has them a little closer (folded, "lam" may also be
"lâm", "cho" may be "chợ"); a query made of nothing else keeps them as words, so "cap"
alone still searches.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

Phrase = tuple[str, ...]


@dataclass
class Rules:
    """The synonym table as search reads it, folded."""

    meanings: dict[Phrase, list[Phrase]] = field(default_factory=dict)
    fillers: set[Phrase] = field(default_factory=set)

    # Read for every query: worked out once per table (search.index builds one per snapshot).
    @cached_property
    def longest(self) -> int:
        return max((len(p) for p in (*self.meanings, *self.fillers)), default=1)

    @classmethod
    def from_rows(cls, rows) -> Rules:
        """``rows``: (phrase_folded, meaning_folded) pairs; an empty meaning marks a filler."""
        rules = cls()
        for phrase, meaning in rows:
            key = tuple(phrase.split())
            if not key:
                continue
            if meaning:
                rules.meanings.setdefault(key, []).append(tuple(meaning.split()))
            else:
                rules.fillers.add(key)
        return rules


@dataclass
class Slot:
    typed: Phrase
    alternatives: list[Phrase]


@dataclass
class Query:
    slots: list[Slot]
    # Every typed word in order, a known phrase replaced by its first meaning: what a name
    # would read like, for phrase and word-order closeness (fillers included: "cap doi"
    # is a phrase of names even though "cap" alone adds nothing).
    sequence: Phrase
    # The same without fillers: what a name should start with.
    meaningful: Phrase
    # Filler phrases typed: a name having one is a little closer, one lacking it no further.
    fillers: list[Phrase] = field(default_factory=list)


def parse(words: list[str], rules: Rules) -> Query:
    query = _parse(words, rules, with_fillers=True)
    if not query.slots and words:
        query = _parse(words, rules, with_fillers=False)
    return query


def _parse(words: list[str], rules: Rules, *, with_fillers: bool) -> Query:
    slots: list[Slot] = []
    fillers: list[Phrase] = []
    sequence: list[str] = []
    meaningful: list[str] = []
    longest = rules.longest
    i = 0
    while i < len(words):
        for n in range(min(longest, len(words) - i), 0, -1):
            phrase = tuple(words[i : i + n])
            if phrase in rules.meanings:
                slots.append(Slot(phrase, [phrase, *rules.meanings[phrase]]))
                sequence += rules.meanings[phrase][0]
                meaningful += rules.meanings[phrase][0]
                break
            if with_fillers and phrase in rules.fillers:
                fillers.append(phrase)
                sequence += phrase
                break
        else:
            n = 1
            slots.append(Slot((words[i],), [(words[i],)]))
            sequence.append(words[i])
            meaningful.append(words[i])
        i += n
    return Query(slots, tuple(sequence), tuple(meaningful), fillers)
