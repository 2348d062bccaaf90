"""``journeymap cards PATH... -o OUT``: print-ready role-play card decks (HTML and PDF)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from journeymap.commands.options import SEED, add_limit_option, load_inputs, parse_list
from journeymap.source.diagnostics import printable

HELP = "role-play cards for training: customer, staff and observer cards plus a facilitator sheet"


def configure(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``cards``."""
    parser.add_argument("paths", nargs="+", metavar="PATH", help="journey files or folders")
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
    parser.add_argument("--shuffle", type=SEED, metavar="SEED", help="deterministic shuffle")
    parser.add_argument(
        "--format", default="html,pdf", metavar="LIST", help="html and/or pdf (default: both)"
    )
    parser.add_argument(
        "--templates", type=Path, metavar="DIR", help="folder overriding templates/cards/*"
    )
    add_limit_option(parser)


def run(args: argparse.Namespace) -> int:
    """Load each journey, render its deck, write it; exit 1 when any journey is invalid."""
    from journeymap.commands.cli import UsageError
    from journeymap.output.write import OutputError, real_folder, write_bytes
    from journeymap.render.cards import CardOptions, render
    from journeymap.render.cards.render import CARD_FORMATS, check_options
    from journeymap.source.diagnostics import RenderError

    formats = parse_list(args.format, CARD_FORMATS, "--format")
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
    loaded = load_inputs(args.paths, args.limit)
    status = 1 if loaded.failed else 0
    for journey, _ in loaded.journeys:
        try:
            check_options(journey, options)
        except ValueError as error:
            raise UsageError(f"{journey.source}: {error}") from error
    for journey, name in loaded.journeys:
        try:
            rendered = render(journey, options)
        except RenderError as error:
            print(printable(f"journeymap: error: {journey.source}: {error}"), file=sys.stderr)
            status = 1
            continue
        for warning in rendered.warnings:
            print(printable(f"{journey.source}: warning: {warning}"), file=sys.stderr)
        folder = Path(args.output) / name
        try:
            for artifact in rendered.artifacts:
                write_bytes(real_folder(folder) / artifact.name, artifact.data, loaded.guard)
        except OutputError as error:
            print(printable(f"journeymap: error: {error}"), file=sys.stderr)
            status = 1
            continue
        print(printable(f"{folder}/: {' '.join(a.name for a in rendered.artifacts)}"))
    return status
