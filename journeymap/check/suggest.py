"""'Did you mean' hints, with bounded work however many or long the words are.

``difflib`` compares a word with every candidate in time that grows with both lengths, so
thousands of unknown ids against thousands of known ones, or one 49,000-character word,
took minutes. A :class:`Vocabulary` is built once per list of known words; each lookup
compares at most ``MAX_CANDIDATES`` words of a similar length (those with the same first
character first), none longer than ``MAX_LENGTH``, and one vocabulary makes at most
``MAX_COMPARISONS`` comparisons in all: later unknown words get the list of known ones.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

#: Words longer than this get no suggestion (and are never suggested).
MAX_LENGTH = 64
#: At most this many known words are compared with one unknown word.
MAX_CANDIDATES = 100
#: At most this many comparisons per vocabulary (about half a second).
MAX_COMPARISONS = 20_000
#: How close a suggestion must be (``difflib`` ratio).
CUTOFF = 0.6


class Vocabulary:
    """Known words (in first-seen order) that unknown words are compared with."""

    def __init__(self, words: Iterable[str]) -> None:
        self.words = list(dict.fromkeys(words))
        self.known = frozenset(self.words)
        self.budget = MAX_COMPARISONS
        self.by_length: dict[int, list[str]] = {}
        self.by_start: dict[tuple[int, str], list[str]] = {}
        for word in self.words:
            if 0 < len(word) <= MAX_LENGTH:
                self.by_length.setdefault(len(word), []).append(word)
                self.by_start.setdefault((len(word), word[0]), []).append(word)

    def __contains__(self, word: object) -> bool:
        return word in self.known

    def candidates(self, word: str) -> list[str]:
        """Up to ``MAX_CANDIDATES`` known words whose length allows a ratio of ``CUTOFF``:
        the same first character first, then nearest lengths first."""
        size = len(word)
        # ratio <= 2*min/(a+b): a word of length n can reach CUTOFF only for n in [low, high].
        low = int(size * CUTOFF / (2 - CUTOFF))
        high = int(size * (2 - CUTOFF) / CUTOFF) + 1
        lengths = sorted(range(max(low, 1), high + 1), key=lambda n: (abs(n - size), n))
        found: dict[str, None] = {}
        for buckets in (
            [self.by_start.get((n, word[0]), []) for n in lengths],
            [self.by_length.get(n, []) for n in lengths],
        ):
            for bucket in buckets:
                for candidate in bucket[:MAX_CANDIDATES]:
                    found[candidate] = None
                    if len(found) == MAX_CANDIDATES:
                        return list(found)
        return list(found)

    def suggest(self, word: str) -> str:
        """``"; did you mean 'x'?"`` for a near miss, else ``""``."""
        if not word or len(word) > MAX_LENGTH or self.budget <= 0:
            return ""
        candidates = self.candidates(word)
        self.budget -= len(candidates)
        close = difflib.get_close_matches(word, candidates, n=1, cutoff=CUTOFF)
        return f"; did you mean '{close[0]}'?" if close else ""

    def listing(self, limit: int = 12) -> str:
        """The first ``limit`` known words, comma-separated, ``...`` when there are more."""
        shown = ", ".join(self.words[:limit])
        return shown + (", ..." if len(self.words) > limit else "")


def suggest(word: str, choices: Iterable[str]) -> str:
    """``"; did you mean 'x'?"`` for a near miss among ``choices``, else ``""``."""
    return Vocabulary(choices).suggest(word)
