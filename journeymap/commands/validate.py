"""``journeymap validate [PATH...]``: check journey files and report every problem."""

from __future__ import annotations

import argparse
import sys

from journeymap.commands.arguments import add_paths
from journeymap.commands.options import add_limit_option, existing_paths, parse_limits

HELP = "check journey files (folders are searched for *.yaml and *.yml) and report problems"
EXAMPLES = """\
examples:
  journeymap validate                      the journeys journeymap.yaml lists (else journeys/)
  journeymap validate journeys/bank.yaml   one file; its imports may reach the whole project
  journeymap validate --strict --format github journeys   in CI: warnings fail too
"""


def configure(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``validate``."""
    add_paths(parser)
    parser.add_argument(
        "--format",
        choices=("text", "json", "github"),
        default="text",
        metavar="FORMAT",
        help="how to print problems: text (default), json, or github (Actions annotations; "
        "paths relative to $GITHUB_WORKSPACE when it is set)",
    )
    parser.add_argument("--strict", action="store_true", help="fail on warnings too")
    parser.add_argument(
        "--only-journeys",
        action="store_true",
        help="check only the named files that are journeys: inside the 'journeys' of "
        "journeymap.yaml (else below a journeys/ folder) and not excluded; others are "
        "ignored (what the pre-commit hook uses)",
    )
    add_limit_option(parser)


def _github_paths(diagnostics: list, workspace: str) -> list:
    """Paths relative to the GitHub workspace, so annotations land on the right files."""
    from dataclasses import replace
    from pathlib import Path

    from journeymap.source.files import resolved

    top = resolved(Path(workspace))
    out = []
    for d in diagnostics:
        path = Path(d.path)  # its folder resolved: a link (even a loop) is named as it stands
        try:
            out.append(
                replace(d, path=(resolved(path.parent) / path.name).relative_to(top).as_posix())
            )
        except ValueError:
            out.append(d)
    return out


def run(args: argparse.Namespace) -> int:
    """Validate every file; exit 1 when any has errors (or warnings with --strict)."""
    import os

    from journeymap.check.report import REPORTERS
    from journeymap.check.validate import Session
    from journeymap.commands.project import default_paths, journey_files, require_journeys

    project = args.project
    paths = existing_paths(args.paths) if args.paths else default_paths(project)
    files = journey_files(project, paths)
    require_journeys(paths, files)
    if args.only_journeys:
        files = [f for f in files if project.is_journey(f)]
    session = Session(
        project.root,
        parse_limits(args.limit),
        project.config.evidence,
        **project.config.lint_times(),
    )
    diagnostics = [d for f in files for d in session.validate(f).diagnostics]
    diagnostics = sorted(set(diagnostics), key=lambda d: (d.path, d.line, d.col, d.message))
    if args.format == "github" and os.environ.get("GITHUB_WORKSPACE"):
        diagnostics = _github_paths(diagnostics, os.environ["GITHUB_WORKSPACE"])
    sys.stdout.write(REPORTERS[args.format](diagnostics, len(files)))
    failing = {"error", "warning"} if args.strict else {"error"}
    return 1 if any(d.level in failing for d in diagnostics) else 0
