"""``journeymap init [DIR]``: write a commented starter journey."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

HELP = "write a commented starter journey (DIR/journey.yaml); never overwrites a file"


def configure(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``init``."""
    parser.add_argument(
        "dir",
        nargs="?",
        default=".",
        metavar="DIR",
        help="folder to write journey.yaml into (default: here)",
    )
    parser.add_argument("--name", default="journey.yaml", help="file name (default journey.yaml)")


def run(args: argparse.Namespace) -> int:
    """Create the file exclusively, so an existing one is never touched."""
    from journeymap.commands.cli import UsageError
    from journeymap.source.resources import templates_dir

    if "/" in args.name or "\\" in args.name or not args.name.endswith((".yaml", ".yml")):
        raise UsageError("--name must be a plain file name ending in .yaml or .yml")
    target = Path(args.dir) / args.name
    starter = (templates_dir() / "init" / "journey.yaml").read_bytes()
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        print(
            f"journeymap: error: {target} already exists; nothing was written "
            "(choose another DIR or --name)",
            file=sys.stderr,
        )
        return 1
    with os.fdopen(fd, "wb") as handle:
        handle.write(starter)
    print(f"wrote {target}; next: journeymap validate {target}")
    return 0
