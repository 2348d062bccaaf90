"""``journeymap validate PATH...``: check journey files and report every problem."""

from __future__ import annotations

import argparse
import sys

from journeymap.commands.options import add_limit_option, existing_paths, parse_limits

HELP = "check journey files (folders are searched for *.yaml and *.yml) and report problems"


def configure(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``validate``."""
    parser.add_argument("paths", nargs="+", metavar="PATH", help="journey files or folders")
    parser.add_argument(
        "--format",
        choices=("text", "json", "github"),
        default="text",
        help="how to print problems: text (default), json, or github (Actions annotations)",
    )
    parser.add_argument("--strict", action="store_true", help="fail on warnings too")
    add_limit_option(parser)


def run(args: argparse.Namespace) -> int:
    """Validate every file; exit 1 when any has errors (or warnings with --strict)."""
    from journeymap.check.report import REPORTERS
    from journeymap.check.validate import Session, discover, root_of

    paths = existing_paths(args.paths)
    limits = parse_limits(args.limit)
    files, _ = discover(paths)
    session = Session(root_of(paths), limits)
    diagnostics = [d for f in files for d in session.validate(f).diagnostics]
    diagnostics = sorted(set(diagnostics), key=lambda d: (d.path, d.line, d.col, d.message))
    sys.stdout.write(REPORTERS[args.format](diagnostics, len(files)))
    failing = {"error", "warning"} if args.strict else {"error"}
    return 1 if any(d.level in failing for d in diagnostics) else 0
