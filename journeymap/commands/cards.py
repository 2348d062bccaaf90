"""``journeymap cards PATH... -o OUT``: print-ready role-play card decks (HTML and PDF)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HELP = "role-play cards for training: customer, staff and observer cards plus a facilitator sheet"


def configure(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``cards``."""
    parser.add_argument("files", nargs="+", metavar="PATH", help="journey files")
    parser.add_argument(
        "-o", "--output", required=True, metavar="OUT", help="writes OUT/<journey id>/cards.*"
    )
    parser.add_argument("--paper", choices=("a4", "letter"), default="a4")
    parser.add_argument(
        "--per-page", type=int, choices=(1, 2, 4), default=4, help="cards per sheet (default 4)"
    )
    parser.add_argument(
        "--duplex", action="store_true", help="print a back behind every card (long-edge flip)"
    )
    parser.add_argument("--source", choices=("authored", "generated", "all"), default="all")
    parser.add_argument("--persona", metavar="ID", help="only scenarios for this persona")
    parser.add_argument("--stage", metavar="ID", help="only scenarios in this stage")
    parser.add_argument("--difficulty", choices=("easy", "medium", "hard"))
    parser.add_argument("--shuffle", type=int, metavar="SEED", help="deterministic shuffle")
    parser.add_argument(
        "--format", default="html,pdf", metavar="LIST", help="html and/or pdf (default: both)"
    )
    parser.add_argument(
        "--templates", type=Path, metavar="DIR", help="folder overriding templates/cards/*"
    )


def run(args: argparse.Namespace) -> int:
    """Load each journey, render its deck, write it; exit 1 when any journey is invalid."""
    import journeymap
    from journeymap.cards import CardOptions, render
    from journeymap.cards.render import CARD_FORMATS, check_options
    from journeymap.cli import UsageError
    from journeymap.diagnostics import RenderError
    from journeymap.write import write_bytes

    formats = tuple(dict.fromkeys(f.strip().lower() for f in args.format.split(",") if f.strip()))
    if not formats or any(f not in CARD_FORMATS for f in formats):
        raise UsageError(f"--format takes html and/or pdf, not '{args.format}'")
    if args.templates is not None and not args.templates.is_dir():
        raise UsageError(f"--templates {args.templates} is not a folder")
    options = CardOptions(
        paper=args.paper,
        per_page=args.per_page,
        duplex=args.duplex,
        source=args.source,
        persona=args.persona,
        stage=args.stage,
        difficulty=args.difficulty,
        shuffle=args.shuffle,
        templates=args.templates,
        formats=formats,
    )
    status = 0
    for name in args.files:
        try:
            journey = journeymap.load(name)
        except journeymap.JourneyError as error:
            for diagnostic in error.diagnostics:
                print(str(diagnostic), file=sys.stderr)
            status = 1
            continue
        try:
            check_options(journey, options)
        except ValueError as error:
            raise UsageError(f"{name}: {error}") from error
        try:
            result = render(journey, options)
        except RenderError as error:
            print(f"journeymap: error: {name}: {error}", file=sys.stderr)
            status = 1
            continue
        for warning in result.warnings:
            print(f"journeymap: warning: {name}: {warning}", file=sys.stderr)
        for artifact in result.artifacts:
            write_bytes(Path(args.output) / journey.id / artifact.name, artifact.data)
    return status
