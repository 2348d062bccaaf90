"""Command-line options shared by several commands."""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from journeymap.source.limits import Limits

if TYPE_CHECKING:
    from journeymap.check.validate import Session
    from journeymap.model.journey import Journey
    from journeymap.output.write import Guard
    from journeymap.source.config import Project, SharedEvidence


def number_type(kind: type[int] | type[float], low: float, high: float) -> Callable[[str], float]:
    """An argparse ``type``: a finite ``kind`` between ``low`` and ``high``, else a usage error
    (so ``nan``, ``inf``, ``1e999``, ``0`` or ``-1`` never reach the code)."""
    noun = "a whole number" if kind is int else "a number"

    def parse(text: str) -> float:
        try:
            value = kind(text)
        except (ValueError, OverflowError):
            raise argparse.ArgumentTypeError(f"{text!r} is not {noun}") from None
        if not math.isfinite(value) or not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be between {low} and {high}, not {text}")
        return value

    return parse


#: ``--timeout``: seconds an external program may run.
TIMEOUT = number_type(float, 0.1, 86_400)
#: ``--dpi``: PNG resolution.
DPI = number_type(int, 10, 1200)
#: ``--jobs``: worker processes.
JOBS = number_type(int, 1, 256)
#: ``--shuffle``: a random seed.
SEED = number_type(int, -(2**63), 2**63 - 1)


def add_limit_option(parser: argparse.ArgumentParser) -> None:
    """``--limit NAME=VALUE`` (repeatable) to raise the input limits."""
    parser.add_argument(
        "--limit",
        action="append",
        default=[],
        metavar="NAME=N",
        help=f"raise an input limit ({', '.join(Limits.names())}); may be repeated",
    )


def parse_limits(values: list[str]) -> Limits:
    """Limits from ``--limit`` values; UsageError for unknown names or bad numbers."""
    from dataclasses import replace

    from journeymap.commands.cli import UsageError

    changes: dict[str, int] = {}
    for value in values:
        name, _, number = value.partition("=")
        if name not in Limits.names():
            raise UsageError(f"unknown limit '{name}'; choose from {', '.join(Limits.names())}")
        try:
            changes[name] = int(number)
        except ValueError:
            raise UsageError(f"--limit {name} needs a whole number, like {name}=1000") from None
        if not 1 <= changes[name] <= Limits.ceiling(name):
            raise UsageError(f"--limit {name} must be between 1 and {Limits.ceiling(name):,}")
    return replace(Limits(), **changes)


def templates_folder(value: str | Path | None) -> Path | None:
    """The ``--templates`` folder (None when not given); UsageError when it is no folder, or
    one that cannot be listed (its templates would be left out without a word)."""
    import os

    from journeymap.commands.cli import UsageError

    if value is None or value == "":
        return None
    folder = Path(value)
    if not folder.is_dir():
        raise UsageError(f"--templates {folder}: no such folder")
    try:
        os.listdir(folder)
    except OSError as exc:
        raise UsageError(
            f"--templates {folder}: cannot list the folder: {exc.strerror}; nothing was drawn"
        ) from None
    return folder


def existing_paths(values: list[str]) -> list[Path]:
    """The PATH arguments as Paths; UsageError naming any that does not exist, or is empty
    (which ``Path`` would read as the current folder)."""
    from journeymap.commands.cli import UsageError

    if "" in values:
        raise UsageError(
            "an empty path ('') names nothing; give a file or folder ('.' is this folder)"
        )
    paths = [Path(v) for v in values]
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise UsageError(f"no such file or folder: {', '.join(missing)}")
    return paths


def load_journey(
    path: Path,
    guard: Guard,
    root: Path | None = None,
    shared: SharedEvidence | None = None,
    shown: Callable[[str], str] | None = None,
) -> Journey | None:
    """The journey in ``path`` (None when invalid: its diagnostics were printed to stderr,
    each path as ``shown`` says), measured with its own and the config's ``shared``
    evidence; ``path`` and every file it imports (which may not leave ``root``) are added
    to ``guard``."""
    import dataclasses
    import sys

    from journeymap.check.validate import Session, journey_of
    from journeymap.source.diagnostics import JourneyError

    result = Session(root, shared=shared).validate(path)
    guard.add(path, *result.imports)
    try:
        return journey_of(result)
    except JourneyError as exc:
        for diagnostic in exc.diagnostics:
            if shown is not None:
                diagnostic = dataclasses.replace(diagnostic, path=shown(diagnostic.path))
            print(diagnostic, file=sys.stderr)
        return None


def journey_and_output(
    file: str, output: str | None, project: Project
) -> tuple[Journey, Path | None, Guard] | None:
    """The journey in ``file`` and the ``-o`` path, checked against the journey and every file
    it imports (UsageError when it is one of them); None when the journey is invalid."""
    from journeymap.output import write

    (path,) = existing_paths([file])
    guard = write.Guard()
    journey = load_journey(path, guard, project.root, project.config.evidence)
    if journey is None:
        return None
    target = Path(output) if output else None
    check_output(guard, *([target] if target else []))
    return journey, target, guard


def emit(text: str, output: Path | None, guard: Guard) -> None:
    """``text`` written to ``output`` through ``guard``, or to standard output."""
    import sys

    from journeymap.output.write import write_text

    if output:
        write_text(output, text, guard)
    else:
        sys.stdout.write(text)


def check_output(guard: Guard, *targets: Path) -> None:
    """UsageError when an output named on the command line is one of the inputs."""
    from journeymap.commands.cli import UsageError
    from journeymap.output.write import OutputError

    try:
        for target in targets:
            guard.check(target)
    except OutputError as exc:
        raise UsageError(str(exc)) from None


@dataclass
class Inputs:
    """The journeys named on a command line that passed validation."""

    #: Each valid journey with the name of its output folder.
    journeys: list[tuple[Journey, str]]
    #: Every file read (journeys and their imports), so no output overwrites one.
    guard: Guard
    #: True when some file had errors (they have been printed).
    failed: bool


def load_inputs(values: list[str], limit_values: list[str], project: Project) -> Inputs:
    """Validate every file under the PATH arguments (else the project's journeys), printing
    each diagnostic to stderr; imports may reach anywhere inside the project root."""
    import sys

    from journeymap.check.validate import Session, root_of
    from journeymap.commands.project import default_paths, journey_files, require_journeys
    from journeymap.model.slug import folder_names
    from journeymap.output.write import Guard
    from journeymap.source.diagnostics import display_path, printable

    paths = existing_paths(values) if values else default_paths(project)
    files = journey_files(project, paths)
    require_journeys(paths, files)
    root = root_of(paths)
    session = Session(
        project.root,
        parse_limits(limit_values),
        project.config.evidence,
        **project.config.lint_times(),
    )
    failed = False
    journeys = []
    guard = Guard(files)
    for file in files:
        result = session.validate(file)
        guard.add(*result.imports)
        for diagnostic in result.diagnostics:
            print(diagnostic, file=sys.stderr)
        failed |= not result.ok
        if result.ok and result.journey is not None:
            journeys.append(project_lang(project, session, file, result.journey))
        elif result.ok and result.library:
            print(
                printable(f"{display_path(file)}: note: skipped: a library (kind: library) is ")
                + "checked but has nothing to draw; import it from a journey",
                file=sys.stderr,
            )
    names = folder_names(
        [(j.source or Path(j.id)).resolve().relative_to(root).as_posix() for j in journeys]
    )
    return Inputs(list(zip(journeys, names, strict=True)), guard, failed)


def project_lang(project: Project, session: Session, file: Path, journey: Journey) -> Journey:
    """``journey`` in the config's ``lang`` when its file sets none."""
    import dataclasses

    doc, _ = session.read(file)
    data = doc.data if doc is not None else None
    if project.config.lang is None or (isinstance(data, dict) and "lang" in data):
        return journey
    return dataclasses.replace(journey, lang=project.config.lang)


def parse_list(value: str, valid: Sequence[str], option: str) -> tuple[str, ...]:
    """A comma-separated option value, each item checked; UsageError listing valid ones."""
    from journeymap.commands.cli import UsageError

    chosen = tuple(dict.fromkeys(v.strip().lower() for v in value.split(",") if v.strip()))
    unknown = [v for v in chosen if v not in valid]
    if unknown or not chosen:
        raise UsageError(
            f"{option}: unknown value {', '.join(unknown) or repr(value)}; "
            f"choose from {', '.join(valid)} (comma-separated)"
        )
    return chosen
