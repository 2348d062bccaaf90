"""The per-journey work of a site build, run in a worker process: validate, render, write.

Everything a task needs travels in :class:`Task` and everything it found comes back in
:class:`Outcome`, both plain picklable data. A crash of the worker process (a segfault in a
library, a killed ``dot``) is caught by the parent and becomes this journey's error.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from journeymap.render.options import Artifact, RenderOptions
from journeymap.site.levels import Plan, linked, summary_levels
from journeymap.source.config import SharedEvidence
from journeymap.source.diagnostics import Diagnostic, display_path, printable
from journeymap.source.files import UNSAFE_NAME
from journeymap.source.limits import Limits
from journeymap.source.loader import YamlError

if TYPE_CHECKING:
    from journeymap.check.validate import Session
    from journeymap.model.journey import Journey


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
    #: The project config's evidence for its journeys.
    evidence: SharedEvidence | None = None
    #: Where its sub-journeys' pages are, and the journeys it is part of.
    plan: Plan = field(default_factory=lambda: Plan({}))


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
    #: The worker's own accounting: peak resident MiB of the worker process so far, CPU
    #: seconds of this task (the worker and the programs it ran), wall seconds per step.
    peak_mib: float = 0.0
    cpu_seconds: float = 0.0
    steps: dict[str, float] = field(default_factory=dict)

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
        templates=options.templates, timeout=options.timeout, formats=formats, **dict(options.deck)
    )
    try:
        result = cards.render(journey, card_options)
    except RenderError as exc:
        outcome.errors.append(f"cards: {exc}")
        return []
    outcome.notes += [f"cards: {w}" for w in result.warnings]
    return list(result.artifacts)


#: Seconds between a worker's looks at whether the build that started it is still there.
WATCH_INTERVAL = 0.5


def watch_parent(build: int) -> None:
    """Pool initializer: end this worker once the build process ``build`` is gone.

    A build killed with SIGKILL cannot tell its workers; they (and, through them, the
    forkserver and the resource tracker, which exit when their last client does) would
    otherwise wait for work forever. The worker's own parent may be the forkserver, which
    exits when the build does, so a changed parent counts as gone too.
    """
    parent = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(WATCH_INTERVAL)
            if os.getppid() != parent or not _alive(build):
                os._exit(1)

    threading.Thread(target=watch, name="watch-build", daemon=True).start()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return True


def run_task(task: Task) -> Outcome:
    """Validate ``task.source``; when it is a valid journey render everything and its page."""
    before = _cpu()
    outcome = _build(task)
    outcome.cpu_seconds = round(_cpu() - before, 3)
    outcome.peak_mib = _peak_mib()
    return outcome


def _cpu() -> float:
    """CPU seconds used by this process and the programs it waited for (0 where unknown)."""
    try:
        import resource
    except ImportError:  # not on Windows
        return 0.0
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _peak_mib() -> float:
    """Peak resident set of this worker process in MiB (0 where unknown)."""
    try:
        import resource
    except ImportError:
        return 0.0
    import sys

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (2**20 if sys.platform == "darwin" else 2**10), 1)


def _unsafe_name(source: Path, rel: str) -> Diagnostic:
    message = (
        f"a site cannot publish {printable(rel)}: its path holds a control character or a "
        "backslash; rename the file"
    )
    return Diagnostic(display_path(source), 1, 1, "error", message, "$", "io")


def _build(task: Task) -> Outcome:
    """The work of :func:`run_task`, each step's wall time kept in ``outcome.steps``."""
    from journeymap.check.validate import Session
    from journeymap.render.pipeline import render_journey
    from journeymap.render.timescale import timed

    outcome = Outcome(task.rel)
    session = Session(task.root, task.limits, task.evidence)
    with _step(outcome, "validate"):
        result = session.validate(task.source)
    outcome.diagnostics = list(result.diagnostics)
    outcome.library = result.library
    outcome.imports = sorted(
        p.relative_to(task.root).as_posix() for p in result.imports if p.is_relative_to(task.root)
    )
    unsafe = [rel for rel in (task.rel, *outcome.imports) if UNSAFE_NAME.search(rel)]
    if unsafe:  # the manifest could not record it, and every later build would stop there
        outcome.diagnostics.append(_unsafe_name(task.source, unsafe[0]))
        return outcome
    if result.journey is None:
        return outcome
    journey = linked(result.journey, task.root, task.plan)
    journey = in_project_lang(journey, session, task.source, task.options.lang)
    wanted = ("map", "curve", "flow", *(("blueprint",) if journey.has_blueprint else ()))
    kinds = _available(wanted, outcome.notes)
    with _step(outcome, "render"):
        rendered, errors = render_journey(journey, timed(task.options, journey), kinds)
    outcome.errors += errors
    outcome.notes += rendered.warnings
    with _step(outcome, "cards"):
        artifacts = [*rendered.artifacts, *_cards(journey, task.options, outcome)]
    if outcome.errors:
        return outcome
    try:
        with _step(outcome, "write"):
            _write(task, journey, artifacts, outcome)
    except YamlError as exc:
        outcome.errors.append(f"cannot copy the source: {exc.diagnostic.message}")
    except OSError as exc:
        outcome.errors.append(f"cannot write {exc.filename or task.out_dir}: {exc.strerror or exc}")
    return outcome


def in_project_lang(journey: Journey, session: Session, source: Path, lang: str | None) -> Journey:
    """``journey`` in the project's language ``lang``, unless its file sets one."""
    if lang is not None:
        doc = session.read(source)[0]
        if doc is None or not (isinstance(doc.data, dict) and "lang" in doc.data):
            return replace(journey, lang=lang)
    return journey


@contextlib.contextmanager
def _step(outcome: Outcome, name: str) -> Iterator[None]:
    start = time.perf_counter()
    try:
        yield
    finally:
        outcome.steps[name] = round(time.perf_counter() - start, 4)


def _write(task: Task, journey: Any, artifacts: list[Artifact], outcome: Outcome) -> None:
    """Write the pictures, the source copy and the journey's page into ``task.out_dir``."""
    from journeymap.output.write import write_bytes
    from journeymap.site import pages
    from journeymap.source.files import read_source

    task.out_dir.mkdir(parents=True, exist_ok=True)
    for artifact in artifacts:
        write_bytes(task.out_dir / artifact.name, artifact.data)
    source = read_source(task.source, task.limits, task.root)
    write_bytes(task.out_dir / pages.SOURCE_NAME, source)
    files = sorted({a.name for a in artifacts} | {pages.SOURCE_NAME})
    page = pages.journey_page(journey, task.out_dir, files, task.options.templates, outcome.notes)
    write_bytes(task.out_dir / pages.PAGE_NAME, page)
    outcome.files = sorted([*files, pages.PAGE_NAME])
    outcome.summary = pages.summary(journey, task.slug, task.rel, outcome.files)
    outcome.summary["levels"] = summary_levels(journey, task.root)
