"""Ranking: the procedure a citizen most likely means, first.

Results are ordered by how many of the query's slots a name matches (a word matched through
a correction of a typo or as the start of a longer word counts a little less), then, among
those matching as many, by a score of:
- the query read as a phrase: the share of its neighbouring word pairs found side by side;
- the name *starting* with what was asked ("giấy phép xây dựng" starts "Cấp giấy phép xây
  dựng…", not "Cấp lại giấy phép…" nor "Gia hạn giấy phép…"), and the name being exactly it;
- how much of the name the query covers (a shorter, more specific name first);
- popularity: dossiers submitted in the last twelve months, on a log scale.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from motcua.catalog.search.index import Doc, Index
from motcua.catalog.search.query import Query, parse
from motcua.catalog.search.typos import allowed_edits

TYPO = 0.9
COMPLETION = 0.8
FILLER = 0.3
FINE = 300
# A doc matching less than this share of what the best one matches is noise, not a result.
KEEP = 0.5


class Ordered(Sequence):
    """Items in ranked order, read lazily: the fine key is worked out only for the runs of
    equal primary score that are read. The first FINE positions are in fine order, and as the
    fine key starts with the primary score, sorting them by it is sorting each run of equal
    primary score on its own: a page of results sorts the runs it shows, not all of them
    (most of a search's time went to fine keys of results nobody reads on page one)."""

    def __init__(self, kept: list[int], primary: dict[int, float], key: Callable, item):
        self._kept = kept
        self._key = key
        self._item = item
        # Start of each run of equal primary score among the first FINE, then the end.
        fine = min(FINE, len(kept))
        self._bounds = [
            i for i in range(fine) if i == 0 or primary[kept[i]] != primary[kept[i - 1]]
        ] + [fine]
        self._sorted: set[int] = set()

    def map(self, item) -> Ordered:
        """The same order (sorted runs shared), read as ``item(position)``."""
        view = Ordered.__new__(Ordered)
        view.__dict__.update(self.__dict__)
        view._item = item
        return view

    def _fine(self, start: int, stop: int) -> None:
        bounds = self._bounds
        for n in range(len(bounds) - 1):
            low, high = bounds[n], bounds[n + 1]
            if low >= stop:
                break
            if high > start and n not in self._sorted:
                if high - low > 1:
                    self._kept[low:high] = sorted(self._kept[low:high], key=self._key)
                self._sorted.add(n)

    def __len__(self) -> int:
        return len(self._kept)

    def __iter__(self):
        self._fine(0, len(self._kept))
        return map(self._item, list(self._kept))

    def __getitem__(self, index):
        if isinstance(index, slice):
            picked = range(*index.indices(len(self._kept)))
            if not picked:
                return []
            self._fine(min(picked), max(picked) + 1)
            return [self._item(self._kept[i]) for i in picked]
        if index < 0:
            index += len(self._kept)
        if not 0 <= index < len(self._kept):
            raise IndexError(index)
        self._fine(index, index + 1)
        return self._item(self._kept[index])


@dataclass
class Ranked:
    docs: Sequence[Doc]
    # The query as understood, with typos corrected, when a correction found the results;
    # or, when nothing matched, a looser correction that does find something.
    corrected: str = ""
    suggestion: str = ""
    query: Query | None = field(default=None, repr=False)


def variants(index: Index, word: str, *, last: bool) -> dict[str, float]:
    """What ``word`` may stand for in the catalogue's vocabulary, with a weight."""
    found: dict[str, float] = {}
    known = word in index.vocabulary
    if known:
        found[word] = 1.0
    else:
        for near, distance in index.typos.near(word).items():
            found[near] = TYPO - 0.05 * (distance - 1)
    if (last or not known) and len(word) >= 2 and not word.isdigit():
        for longer in index.completions(word):
            found.setdefault(longer, COMPLETION)
    return found


def rank(index: Index, words: list[str], candidates: list[int] | None) -> Ranked:
    """Docs matching ``words`` best first; ``candidates`` restricts them (filters)."""
    query = parse(words, index.rules)
    typed_last = words[-1] if words else ""
    # Per query word: {doc position: weight of its best variant in that doc}.
    hits: dict[str, dict[int, float]] = {}
    corrected: dict[str, str] = {}
    for slot in query.slots:
        for alternative in slot.alternatives:
            for word in alternative:
                if word in hits:
                    continue
                best, correction = _word_hits(index, word, last=word == typed_last)
                hits[word] = best
                if correction:
                    corrected[word] = correction
    allowed = set(candidates) if candidates is not None else None
    matched: dict[int, float] = {}
    bonus: dict[int, float] = {}
    for slot in query.slots:
        if len(slot.alternatives) == 1 and len(slot.alternatives[0]) == 1:
            slot_best = hits[slot.alternatives[0][0]]
        else:
            slot_best = _slot_scores(slot, hits)
        if allowed is not None:
            slot_best = {p: v for p, v in slot_best.items() if p in allowed}
        if not matched:
            matched = dict(slot_best)
            continue
        for position, score in slot_best.items():
            matched[position] = matched.get(position, 0.0) + score
    if not matched:
        return Ranked([], query=query)
    floor = max(matched.values()) * KEEP
    for filler in query.fillers:
        text = f" {' '.join(filler)} "
        for position in index.postings.get(filler[0], ()):
            if position in matched and text in index.docs[position].padded:
                bonus[position] = bonus.get(position, 0.0) + FILLER
    sequence = tuple(corrected.get(w, w) for w in query.sequence)
    meaningful = tuple(corrected.get(w, w) for w in query.meaningful)
    pairs = [f" {a} {b} " for a, b in zip(sequence, sequence[1:], strict=False)]
    wanted = set(sequence)
    exact = f" {' '.join(meaningful)} "
    starts = [f" {' '.join(meaningful[:n])} " for n in range(len(meaningful), 0, -1)]

    # The fine key is computed for up to FINE docs per query: what only depends on the query
    # is worked out once here, and each term is the same arithmetic, in the same order, as
    # the plain formula (phrase, start, exactness, coverage, popularity), so ties stay ties.
    npairs = len(pairs)
    start_weights = [
        (start, 1.5 * n / len(meaningful))
        for n, start in zip(range(len(starts), 0, -1), starts, strict=True)
    ]
    wanted_words = tuple(wanted)
    zeros = (0,) * len(wanted_words)
    docs = index.docs
    primary = {p: round(m + bonus.get(p, 0.0), 2) for p, m in matched.items() if m >= floor}

    def key(position: int):
        doc = docs[position]
        padded, core = doc.padded, doc.core
        score = 0.0
        if npairs:
            score += 2.0 * sum(map(padded.__contains__, pairs)) / npairs
        for start, weight in start_weights:
            if core.startswith(start):
                score += weight
                break
        if core == exact or padded == exact:
            score += 1.0
        if doc.words:
            score += sum(map(doc.counts.get, wanted_words, zeros)) / len(doc.words)
        score += 0.5 * doc.popularity
        return (-primary[position], -score, len(doc.words), doc.code)

    kept = list(primary)
    # The fine order (phrase, start, coverage) is computed for the first FINE results of a
    # coarse order (words matched, popularity, shortness), so that a word found in most of
    # the catalogue costs no more than a few pages; the rest keep the coarse order.
    kept.sort(key=lambda p: (-primary[p], *docs[p].coarse))
    used = {w: c for w, c in corrected.items() if w in query.sequence}
    return Ranked(
        Ordered(kept, primary, key, docs.__getitem__),
        corrected=index.show(sequence) if used else "",
        query=query,
    )


WORDS_KEPT = 20_000


def _word_hits(index: Index, word: str, *, last: bool) -> tuple[dict[int, float], str]:
    """{doc position: weight of the best variant of ``word`` in it}, and what an unknown word
    was corrected to. Kept on the snapshot (a new catalogue generation is a new snapshot), as
    the same words come back in query after query; read only, never changed by a caller."""
    held = index.word_hits.get((word, last))
    if held is not None:
        return held
    found = variants(index, word, last=last)
    # Weakest first, so that a stronger variant overwrites (dict.fromkeys and update run in
    # C: a common word is in most of the catalogue).
    best: dict[int, float] = {}
    for variant, weight in sorted(found.items(), key=lambda item: item[1]):
        best.update(dict.fromkeys(index.postings.get(variant, ()), weight))
    correction = ""
    if word not in index.vocabulary and found:
        correction = max(found, key=lambda w: (found[w], index.vocabulary[w]))
    if len(index.word_hits) >= WORDS_KEPT:  # typed nonsense is not kept for ever
        index.word_hits.clear()
    index.word_hits[(word, last)] = best, correction
    return best, correction


def _slot_scores(slot, hits) -> dict[int, float]:
    """A phrase's share of words found, by its best reading (as typed or a meaning)."""
    slot_best: dict[int, float] = {}
    for alternative in slot.alternatives:
        share = 1.0 / len(alternative)
        partial: dict[int, float] = {}
        for word in alternative:
            for position, weight in hits[word].items():
                partial[position] = partial.get(position, 0.0) + weight * share
        for position, score in partial.items():
            if slot_best.get(position, 0.0) < score:
                slot_best[position] = score
    return slot_best


def did_you_mean(index: Index, words: list[str]) -> list[str] | None:
    """A looser correction of each unknown word (the slow, whole-vocabulary path, taken only
    when nothing matched at all), or None when it changes nothing."""
    fixed = []
    for word in words:
        if word in index.vocabulary or word.isdigit():
            fixed.append(word)
            continue
        limit = allowed_edits(word) + 1
        fixed.append(index.typos.nearest(word, limit) or word)
    return fixed if fixed != words else None
