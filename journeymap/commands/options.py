"""Command-line options shared by several commands."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from journeymap.source.limits import Limits

if TYPE_CHECKING:
    from journeymap.model.journey import Journey


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
        if changes[name] < 1:
            raise UsageError(f"--limit {name} must be at least 1")
    return replace(Limits(), **changes)


def existing_paths(values: list[str]) -> list[Path]:
    """The PATH arguments as Paths; UsageError naming any that does not exist."""
    from journeymap.commands.cli import UsageError

    paths = [Path(v) for v in values]
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise UsageError(f"no such file or folder: {', '.join(missing)}")
    return paths


@dataclass
class Inputs:
    """The journeys named on a command line that passed validation."""

    #: Each valid journey with the name of its output folder.
    journeys: list[tuple[Journey, str]]
    #: Every input file (resolved), so outputs never overwrite one.
    files: set[Path]
    #: True when some file had errors (they have been printed).
    failed: bool


def load_inputs(values: list[str], limit_values: list[str]) -> Inputs:
    """Validate every file under the PATH arguments, printing each diagnostic to stderr."""
    import sys

    from journeymap.check.validate import Session, discover, root_of
    from journeymap.model.slug import folder_names

    paths = existing_paths(values)
    files, _ = discover(paths)
    root = root_of(paths)
    session = Session(root, parse_limits(limit_values))
    failed = False
    journeys = []
    for file in files:
        result = session.validate(file)
        for diagnostic in result.diagnostics:
            print(diagnostic, file=sys.stderr)
        failed |= not result.ok
        if result.ok and result.journey is not None:
            journeys.append(result.journey)
    names = folder_names(
        [(j.source or Path(j.id)).resolve().relative_to(root).as_posix() for j in journeys]
    )
    return Inputs(list(zip(journeys, names, strict=True)), {f.resolve() for f in files}, failed)


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


def check_dpi(dpi: int) -> int:
    """``--dpi``, checked: PNG resolution between 10 and 1200."""
    from journeymap.commands.cli import UsageError

    if not 10 <= dpi <= 1200:
        raise UsageError("--dpi must be between 10 and 1200")
    return dpi
