"""Linking the levels of a set of journeys: each sub-journey reference to its map, and each
detailed journey back to the end-to-end journeys it is part of."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from journeymap.model.journey import Journey, Level


def link_levels(
    journeys: Sequence[Journey], address: Callable[[Path], str | None]
) -> list[Journey]:
    """``journeys`` with their levels linked among themselves: ``address(source)`` is where a
    journey's map is (None: not among them); a reference to one outside stays unlinked."""
    here = {j.source.resolve(): j for j in journeys if j.source is not None}
    parents: dict[Path, dict[Path, Level]] = {}
    for path, journey in here.items():
        href = address(path)
        for level in journey.details:
            if level.path in here and href is not None:
                parents.setdefault(level.path, {})[path] = Level(path, journey.title, href)

    def link(level: Level) -> Level:
        return replace(level, href=address(level.path) if level.path in here else None)

    out = []
    for journey in journeys:
        found = parents.get(journey.source.resolve(), {}) if journey.source is not None else {}
        ordered = sorted(found.values(), key=lambda p: (p.title.casefold(), str(p.path)))
        out.append(journey.relinked(link, tuple(ordered)))
    return out
