"""Typo tolerance: which words of the catalogue a misspelt word may have meant.

A symmetric-deletion index (the words left after deleting one or two letters) answers in
microseconds, where comparing a word with the whole vocabulary took milliseconds. Candidates
it proposes are then checked with the optimal-string-alignment distance, in which swapping
two neighbouring letters (the commonest slip on a phone) counts as one edit.
"""

from __future__ import annotations

from itertools import combinations


def allowed_edits(word: str) -> int:
    """One slip in a short word, two in a long one; none in very short words or numbers."""
    if len(word) < 3 or word.isdigit():
        return 0
    return 1 if len(word) <= 5 else 2


def deletions(word: str, depth: int) -> set[str]:
    found = {word}
    for n in range(1, min(depth, len(word) - 1) + 1):
        for gone in combinations(range(len(word)), n):
            found.add("".join(c for i, c in enumerate(word) if i not in gone))
    return found


class TypoIndex:
    def __init__(self, vocabulary: dict[str, int]):
        self.vocabulary = vocabulary
        self.by_deletion: dict[str, list[str]] = {}
        for word in vocabulary:
            for variant in deletions(word, allowed_edits(word)):
                self.by_deletion.setdefault(variant, []).append(word)

    def near(self, word: str, limit: int | None = None) -> dict[str, int]:
        """Words of the vocabulary within the allowed distance of ``word``: {word: distance}."""
        limit = allowed_edits(word) if limit is None else limit
        if not limit:
            return {}
        found: dict[str, int] = {}
        for variant in deletions(word, limit):
            for candidate in self.by_deletion.get(variant, ()):
                if candidate in found or abs(len(candidate) - len(word)) > limit:
                    continue
                distance = edit_distance(word, candidate, limit)
                if distance <= limit:
                    found[candidate] = distance
        found.pop(word, None)
        return found

    def nearest(self, word: str, limit: int) -> str | None:
        """The closest word within ``limit`` edits by a full scan (the slow path, used only
        for "did you mean" when nothing matched), the commoner one on a tie."""
        best, best_key = None, None
        for candidate, count in self.vocabulary.items():
            if abs(len(candidate) - len(word)) > limit:
                continue
            distance = edit_distance(word, candidate, limit)
            if distance <= limit:
                key = (distance, -count, candidate)
                if best_key is None or key < best_key:
                    best, best_key = candidate, key
        return best


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment distance, giving up once every path exceeds ``limit``."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = ca != cb
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]
