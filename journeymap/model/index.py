"""The index of a checked journey: each named thing with its id and where it stands.

The semantic checks fill it; the builder turns it into the frozen model.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from journeymap.model.journey import DEFAULT_SCALE_LABELS
from journeymap.source.loader import Document, Path_


@dataclass
class Entry:
    """A named thing of the journey (persona, stage, ...) with its id and where it is."""

    id: str
    data: dict[str, Any]
    doc: Document
    path: Path_


@dataclass
class Index:
    """Every persona, channel, stage, touchpoint and scenario of a journey, with ids."""

    personas: list[Entry] = field(default_factory=list)
    channels: list[Entry] = field(default_factory=list)
    stages: list[Entry] = field(default_factory=list)
    touchpoints: list[Entry] = field(default_factory=list)
    #: The stage entry of each touchpoint, parallel to ``touchpoints``.
    touchpoint_stage: list[Entry] = field(default_factory=list)
    scenarios: list[Entry] = field(default_factory=list)
    #: Staff roles and systems of the blueprint lanes.
    actors: list[Entry] = field(default_factory=list)
    scale_min: int = -3
    scale_max: int = 3
    scale_labels: dict[int, str] = field(default_factory=lambda: dict(DEFAULT_SCALE_LABELS))
    #: ``scale_labels`` (the very dict) and its folded words, built on first look-up.
    _words: tuple[dict[int, str], dict[str, int]] | None = field(
        default=None, repr=False, compare=False
    )

    def word_value(self, word: str) -> int | None:
        """The number of a scale word (case-insensitive), or None; the first label wins."""
        if self._words is None or self._words[0] is not self.scale_labels:
            words: dict[str, int] = {}
            for value, label in self.scale_labels.items():
                words.setdefault(fold(label), value)
            self._words = (self.scale_labels, words)
        return self._words[1].get(fold(word))

    def emotion_value(self, value: Any) -> int | None:
        """An emotion as a number, or None when it is neither a number nor a known word."""
        if isinstance(value, bool):
            return None
        if isinstance(value, int):
            return value
        return self.word_value(value) if isinstance(value, str) else None


def fold(word: str) -> str:
    """How scale words compare: case and surrounding spaces do not matter."""
    return word.strip().casefold()
