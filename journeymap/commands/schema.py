"""``journeymap schema [--config] [--write PATH]``: print or write the JSON Schema of the
journey format, or of the project config."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from journeymap.source.diagnostics import display_path, printable

HELP = (
    "print the JSON Schema of the journey format (or of journeymap.yaml), or write it to a "
    "file (for editors)"
)
EXAMPLES = """\
examples:
  journeymap schema > journey.schema.json
  journeymap schema --write .journeymap/journey.schema.json   refresh init's copy
  journeymap schema --config --write .journeymap/config.schema.json
"""


def configure(parser: argparse.ArgumentParser) -> None:
    """``--write PATH`` writes (or refreshes) a copy instead of printing."""
    parser.add_argument(
        "--write",
        metavar="PATH",
        type=Path,
        help="write the schema to PATH atomically (e.g. .journeymap/journey.schema.json, "
        "the copy 'journeymap init' made) instead of printing it; only a schema copy is "
        "replaced",
    )
    parser.add_argument(
        "--config",
        action="store_true",
        help="the schema of the project config (journeymap.yaml; the copy 'journeymap init' "
        "made is .journeymap/config.schema.json) instead of the journey format's",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="with --write: replace PATH even when it is some other file",
    )


def run(args: argparse.Namespace) -> int:
    """Write the schema file's text to stdout, or to ``--write PATH``."""
    from journeymap.commands.editor import packaged, refresh_schema

    if args.write is None:
        sys.stdout.write(packaged(args.config).read_text(encoding="utf-8"))
        return 0
    from journeymap.commands.cli import UsageError
    from journeymap.output.write import OutputError
    from journeymap.source.config import find_project

    if args.write.is_dir():
        raise UsageError(f"--write {args.write} is a folder; give a file path")
    fences = [Path.cwd(), find_project(Path.cwd())[0]]
    try:
        refresh_schema(args.write, fences, force=args.force, config=args.config)
    except (OSError, OutputError) as exc:
        text = f"{display_path(args.write)}: {exc.strerror}" if isinstance(exc, OSError) else exc
        print(printable(f"journeymap: error: {text}"), file=sys.stderr)
        return 1
    print(printable(f"wrote {display_path(args.write)}"))
    return 0
