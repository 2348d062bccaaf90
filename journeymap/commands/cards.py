"""``journeymap cards PATH... -o OUT``: print-ready role-play card decks (HTML and PDF)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from journeymap.commands.arguments import add_paths
from journeymap.commands.options import (
    SEED,
    add_limit_option,
    load_inputs,
    parse_list,
    templates_folder,
)
from journeymap.commands.project import having, output_folder
from journeymap.source.diagnostics import printable

HELP = "role-play cards for training: customer, staff and observer cards plus a facilitator sheet"
EXAMPLES = """\
examples:
  journeymap cards journeys/bank.yaml -o out             out/bank/cards.html and cards.pdf
  journeymap cards journeys -o out --paper letter --per-page 2 --duplex
  journeymap cards journeys -o out --stage pay --difficulty hard --format html
"""


def configure(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``cards``."""
    add_paths(parser)
    parser.add_argument(
        "-o",
        "--output",
        metavar="OUT",
        help="output folder; each journey gets OUT/<journey>/cards.* (required unless "
        "journeymap.yaml sets 'output:')",
    )
    parser.add_argument(
        "--paper",
        choices=("a4", "letter"),
        default="a4",
        metavar="PAPER",
        help="sheet size: a4 or letter (default: a4)",
    )
    parser.add_argument(
        "--per-page",
        type=int,
        choices=(1, 2, 4),
        default=4,
        metavar="N",
        help="cards per sheet: 1, 2 or 4 (default: 4)",
    )
    parser.add_argument(
        "--duplex", action="store_true", help="print a back behind every card (long-edge flip)"
    )
    parser.add_argument(
        "--source",
        choices=("authored", "generated", "all"),
        default="all",
        metavar="WHICH",
        help="scenarios written in the journey (authored), made from its pain points "
        "(generated), or all (default: all)",
    )
    parser.add_argument(
        "--persona",
        metavar="ID",
        help="only scenarios for this persona; journeys without it are skipped with a note",
    )
    parser.add_argument(
        "--stage",
        metavar="ID",
        help="only scenarios in this stage; journeys without it are skipped with a note",
    )
    parser.add_argument(
        "--difficulty",
        choices=("easy", "medium", "hard"),
        metavar="LEVEL",
        help="only scenarios of this difficulty: easy, medium or hard (default: every one)",
    )
    parser.add_argument(
        "--shuffle",
        type=SEED,
        metavar="SEED",
        help="shuffle the cards; the same SEED gives the same order (default: journey order)",
    )
    parser.add_argument(
        "--comments",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="open each generated scenario with a real customer comment from the journey's "
        "survey evidence (masked; the unhappiest at its touchpoint), marked on the facilitator "
        "sheet (default); --no-comments uses the touchpoint's thought",
    )
    parser.add_argument(
        "--format",
        default="html,pdf",
        metavar="LIST",
        help="comma-separated formats among html, pdf (default: html,pdf)",
    )
    parser.add_argument(
        "--templates",
        type=Path,
        metavar="DIR",
        help="folder searched for templates before the built-in ones (cards/*)",
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
    templates = templates_folder(args.templates)
    options = CardOptions(
        paper=args.paper,
        per_page=args.per_page,
        duplex=args.duplex,
        source=args.source,
        persona=args.persona,
        stage=args.stage,
        difficulty=args.difficulty,
        shuffle=args.shuffle,
        templates=templates,
        formats=formats,
        comments=args.comments,
    )
    output = output_folder(args)
    loaded = load_inputs(args.paths, args.limit, args.project)
    status = 1 if loaded.failed else 0
    chosen = loaded.journeys
    if args.persona is not None:
        chosen = having(chosen, "--persona", args.persona, lambda j: [p.id for p in j.personas])
    if args.stage is not None:
        chosen = having(chosen, "--stage", args.stage, lambda j: [s.id for s in j.stages])
    for journey, _ in chosen:
        try:
            check_options(journey, options)
        except ValueError as error:
            raise UsageError(f"{journey.source}: {error}") from error
    for journey, name in chosen:
        try:
            rendered = render(journey, options)
        except RenderError as error:
            print(printable(f"journeymap: error: {journey.source}: {error}"), file=sys.stderr)
            status = 1
            continue
        for warning in rendered.warnings:
            print(printable(f"{journey.source}: warning: {warning}"), file=sys.stderr)
        folder = output / name
        try:
            for artifact in rendered.artifacts:
                write_bytes(real_folder(folder) / artifact.name, artifact.data, loaded.guard)
        except OutputError as error:
            print(printable(f"journeymap: error: {error}"), file=sys.stderr)
            status = 1
            continue
        print(printable(f"{folder}/: {' '.join(a.name for a in rendered.artifacts)}"))
    return status
