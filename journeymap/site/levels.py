"""Levels across a site: which journey's page each sub-journey reference links to, which
end-to-end journeys each detailed page names as "part of", and the tree the index shows.

A journey's summary keeps its ``levels`` (the sub-journeys it names, by file below the
import root, and the journeys it is part of, as built). A journey is rebuilt when the
levels the site now calls for differ from the ones its pages were built with.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from journeymap.model.journey import Journey, Level

#: File (below the import root) -> that journey's page in the site (``slug/index.html``).
Pages = Mapping[str, str]


@dataclass(frozen=True)
class Plan:
    """What one journey's pages are built with: its sub-journeys' pages, its parents."""

    #: Site page of every journey of the site, by file below the import root.
    pages: Mapping[str, str]
    #: Their titles, by file.
    titles: Mapping[str, str] = field(default_factory=dict)
    #: The journeys this one is part of: (title, page), sorted.
    part_of: tuple[tuple[str, str], ...] = ()


def file_key(path: Path, root: Path) -> str | None:
    """``path`` below ``root`` as the site names files (None when it is outside)."""
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else None


def linked(journey: Journey, root: Path, plan: Plan) -> Journey:
    """``journey`` with its levels pointing at site pages (from its own folder)."""

    def link(level: Level) -> Level:
        key = file_key(level.path, root)
        page = plan.pages.get(key) if key else None
        return replace(level, href=f"../{page}" if page else None)

    parents = tuple(Level(root, title, f"../{page}") for title, page in plan.part_of)
    return journey.relinked(link, parents)


def summary_levels(journey: Journey, root: Path) -> dict[str, Any]:
    """The ``levels`` of a journey's summary (from a journey ``linked`` for the site)."""
    where = [(s.name, None, s.detail) for s in journey.stages] + [
        (journey.stage(tp.stage_id).name, tp.name, tp.detail) for tp in journey.touchpoints
    ]
    return {
        "details": [
            {
                "file": file_key(level.path, root),
                "title": level.title,
                "stage": stage,
                "touchpoint": touchpoint,
                "page": level.href[3:] if level.href else None,
            }
            for stage, touchpoint, level in where
            if level is not None
        ],
        "part_of": [{"title": p.title, "page": str(p.href)[3:]} for p in journey.part_of],
    }


def parents(journeys: Iterable[tuple[str, str, list[str]]], pages: Pages) -> dict[str, Any]:
    """Per page, the journeys naming it as a sub-journey: (title, page) sorted; from each
    journey's (title, page, files of its sub-journeys)."""
    out: dict[str, set[tuple[str, str]]] = {}
    for title, page, files in journeys:
        for file in files:
            child = pages.get(file)
            if child is not None:
                out.setdefault(child, set()).add((title, page))
    return {k: tuple(sorted(v, key=lambda p: (p[0].casefold(), p))) for k, v in out.items()}


def expected(levels: Mapping[str, Any], plan: Plan) -> Any:
    """The ``levels`` a journey whose summary has ``levels`` should now have."""
    return {
        "details": [
            dict(d, page=plan.pages.get(d["file"]), title=plan.titles.get(d["file"], d["title"]))
            if d.get("file")
            else d
            for d in levels.get("details", [])
        ],
        "part_of": [{"title": t, "page": p} for t, p in plan.part_of],
    }


def summary_files(summary: Mapping[str, Any]) -> list[str]:
    """The files of the sub-journeys a built journey names."""
    levels = summary.get("levels") or {}
    return [d["file"] for d in levels.get("details", []) if d.get("file")]


#: The most journeys the index's tree shows, and its deepest level: a journey is followed
#: on every branch that reaches it, so 18 rungs of a ladder (each journey detailed by two
#: that share one detail, 55 files) made a million nodes; a chain of 1,000 exceeded Python's
#: recursion limit. Past either, a journey is shown without its details.
MAX_TREE_NODES = 5000
MAX_TREE_DEPTH = 40


def tree(summaries: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The journeys that have sub-journeys and are part of none, each with its tree of
    sub-journeys (a journey reached twice on one branch is shown, not followed; at most
    ``MAX_TREE_NODES`` journeys are followed, ``MAX_TREE_DEPTH`` deep)."""
    by_page = {s["page"]: s for s in summaries}
    children: dict[str, list[dict[str, Any]]] = {}
    for page, s in by_page.items():
        for d in (s.get("levels") or {}).get("details", []):
            if d.get("page") in by_page:
                children.setdefault(page, []).append(d)
    has_parent = {d["page"] for kids in children.values() for d in kids}

    followed = 0

    def node(page: str, where: dict[str, Any] | None, path: tuple[str, ...]) -> dict[str, Any]:
        nonlocal followed
        stop = page in path or len(path) >= MAX_TREE_DEPTH or followed >= MAX_TREE_NODES
        kids = [] if stop else children.get(page, [])
        followed += 1
        return {
            "title": by_page[page]["title"],
            "page": page,
            "stage": where["stage"] if where else None,
            "touchpoint": where["touchpoint"] if where else None,
            "children": [node(d["page"], d, (*path, page)) for d in kids],
        }

    roots = sorted(
        (p for p in children if p not in has_parent),
        key=lambda p: (by_page[p]["title"].casefold(), p),
    )
    return [node(page, None, ()) for page in roots]
