"""``journeymap init [DIR]``: write a commented starter journey."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from journeymap.source.diagnostics import printable

HELP = (
    "write a commented starter journey (DIR/journey.yaml) and set up editors: a schema copy "
    "in .journeymap/ and .vscode/settings.json at the project root; never overwrites a file"
)


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
    from journeymap.commands import editor
    from journeymap.commands.cli import UsageError
    from journeymap.source.resources import templates_dir

    if "/" in args.name or "\\" in args.name or not args.name.endswith((".yaml", ".yml")):
        raise UsageError("--name must be a plain file name ending in .yaml or .yml")
    target = Path(args.dir) / args.name
    target.parent.mkdir(parents=True, exist_ok=True)
    root = editor.project_root(target.parent)
    starter = editor.with_modeline(
        (templates_dir() / "init" / "journey.yaml").read_bytes(), editor.modeline(target, root)
    )
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        print(
            f"journeymap: error: {printable(str(target))} already exists; nothing was written "
            "(choose another DIR or --name)",
            file=sys.stderr,
        )
        return 1
    with os.fdopen(fd, "wb") as handle:
        handle.write(starter)
    print(printable(f"wrote {target}; next: journeymap validate {target}"))
    try:
        print(editor.schema_copy(root))
        print(editor.vscode_settings(root, editor.journey_globs(target, root)))
    except OSError as exc:
        print(printable(f"journeymap: error: {exc.filename}: {exc.strerror}"), file=sys.stderr)
        return 1
    return 0
