"""The per-journey work of a site build, run in a worker process: validate, render, write.

Everything a task needs travels in :class:`Task` and everything it found comes back in
:class:`Outcome`, both plain picklable data. A crash of the worker process (a segfault in a
library, a killed ``dot``) is caught by the parent and becomes this journey's error.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from journeymap.render.options import Artifact, RenderOptions
from journeymap.source.diagnostics import Diagnostic
from journeymap.source.limits import Limits


@dataclass(frozen=True)
class Task:
    """Build the outputs of ``source`` into ``out_dir`` (a folder of the temporary site)."""

    source: Path
    rel: str
    root: Path
    slug: str
    out_dir: Path
    options: RenderOptions
    limits: Limits


@dataclass
class Outcome:
    """What building one source found and made."""

    rel: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    #: Render failures (a renderer raised RenderError, the worker crashed).
    errors: list[str] = field(default_factory=list)
    #: Outputs skipped because their renderer is not installed, and renderer warnings.
    notes: list[str] = field(default_factory=list)
    library: bool = False
    imports: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """No error diagnostics and no render errors."""
        return not self.errors and not any(d.level == "error" for d in self.diagnostics)


def _available(kinds: tuple[str, ...], notes: list[str]) -> list[str]:
    """The picture kinds whose renderer module can be imported; a note for each missing one."""
    from journeymap.render.pipeline import KINDS

    found = []
    for kind in kinds:
        try:
            importlib.import_module(f"journeymap.render.{KINDS[kind]}")
        except ImportError as exc:
            notes.append(f"{kind}: skipped, the renderer is not available ({exc})")
            continue
        found.append(kind)
    return found


def _cards(journey: Any, options: RenderOptions, outcome: Outcome) -> list[Artifact]:
    """The card deck (cards.html; cards.pdf when PDF is asked for), or a note if unavailable."""
    from journeymap.source.diagnostics import RenderError

    try:
        cards = importlib.import_module("journeymap.render.cards")
    except ImportError as exc:
        outcome.notes.append(f"cards: skipped, the cards module is not available ({exc})")
        return []
    formats = ("html", "pdf") if "pdf" in options.formats else ("html",)
    card_options = cards.CardOptions(
        templates=options.templates, timeout=options.timeout, formats=formats
    )
    try:
        result = cards.render(journey, card_options)
    except RenderError as exc:
        outcome.errors.append(f"cards: {exc}")
        return []
    outcome.notes += [f"cards: {w}" for w in result.warnings]
    return list(result.artifacts)


def run_task(task: Task) -> Outcome:
    """Validate ``task.source``; when it is a valid journey render everything and its page."""
    from journeymap.check.validate import Session
    from journeymap.output.write import write_bytes
    from journeymap.render.pipeline import render_journey
    from journeymap.site import pages

    outcome = Outcome(task.rel)
    result = Session(task.root, task.limits).validate(task.source)
    outcome.diagnostics = list(result.diagnostics)
    outcome.library = result.library
    outcome.imports = sorted(
        p.relative_to(task.root).as_posix() for p in result.imports if p.is_relative_to(task.root)
    )
    journey = result.journey
    if journey is None:
        return outcome
    kinds = _available(("map", "curve", "flow"), outcome.notes)
    rendered, errors = render_journey(journey, task.options, kinds)
    outcome.errors += errors
    outcome.notes += rendered.warnings
    artifacts = [*rendered.artifacts, *_cards(journey, task.options, outcome)]
    if outcome.errors:
        return outcome
    task.out_dir.mkdir(parents=True, exist_ok=True)
    for artifact in artifacts:
        write_bytes(task.out_dir / artifact.name, artifact.data)
    write_bytes(task.out_dir / pages.SOURCE_NAME, task.source.read_bytes())
    files = sorted({a.name for a in artifacts} | {pages.SOURCE_NAME})
    write_bytes(
        task.out_dir / pages.PAGE_NAME,
        pages.journey_page(journey, task.out_dir, files, task.options.templates, outcome.notes),
    )
    outcome.files = sorted([*files, pages.PAGE_NAME])
    outcome.summary = pages.summary(journey, task.slug, task.rel, outcome.files)
    return outcome
