"""``journeymap render PATH... -o OUT``: journey maps, emotion curves and flow diagrams."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from journeymap.commands.arguments import add_dpi, add_measured, add_paths, add_x
from journeymap.commands.options import (
    TIMEOUT,
    add_limit_option,
    load_inputs,
    parse_list,
    templates_folder,
)
from journeymap.commands.project import having, output_folder
from journeymap.render.options import AXES, FORMATS, PAPERS, THEMES
from journeymap.source.diagnostics import printable

HELP = (
    "draw journey maps, emotion curves, flow diagrams and service blueprints (SVG, PDF, PNG, DOT)"
)
EXAMPLES = """\
examples:
  journeymap render journeys/bank.yaml -o out        out/bank/map.svg, map.pdf, map.png, ...
  journeymap render journeys -o out --what map,blueprint --x time --persona sam
  journeymap render --what map,curve --measured      the configured journeys into 'output:',
                                                     survey scores on the curve
"""
KINDS = ("map", "curve", "flow", "blueprint")
#: Drawn without --what; the service blueprint is asked for by name.
DEFAULT_KINDS = ("map", "curve", "flow")
ALL_FORMATS = (*FORMATS, "dot")


def _choice(value: str, valid: Sequence[str], option: str) -> str:
    from journeymap.commands.cli import UsageError

    if value.strip().lower() not in valid:
        raise UsageError(f"{option}: unknown value {value}; choose one of {', '.join(valid)}")
    return value.strip().lower()


def configure(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``render``."""
    add_paths(parser)
    parser.add_argument(
        "-o",
        "--output",
        metavar="OUT",
        help="output folder; each journey gets OUT/<journey>/ (required unless "
        "journeymap.yaml sets 'output:')",
    )
    parser.add_argument(
        "--format",
        default="svg,pdf,png",
        metavar="LIST",
        help=f"comma-separated formats among {', '.join(ALL_FORMATS)} "
        "(default: svg,pdf,png; flow.dot is always written with a flow)",
    )
    parser.add_argument(
        "--what",
        default=",".join(DEFAULT_KINDS),
        metavar="LIST",
        help=f"comma-separated pictures among {', '.join(KINDS)} "
        f"(default: {','.join(DEFAULT_KINDS)})",
    )
    parser.add_argument(
        "--persona",
        metavar="ID",
        help="draw each journey as this persona lives it; journeys without the persona "
        "are skipped with a note",
    )
    parser.add_argument(
        "--theme",
        default="default",
        metavar="THEME",
        help=f"colours: {' or '.join(THEMES)} (grayscale-safe) (default: default)",
    )
    parser.add_argument(
        "--paper",
        default="fit",
        metavar="PAPER",
        help="PDF paper: fit (the view's own size, the default), a sheet (a4, a3, a2, a1, "
        "letter, tabloid: the map, blueprint, curve and flow as pages split by stage, all "
        "text at least 8 pt) or "
        "SHEET:fit (the whole view shrunk onto one sheet)",
    )
    add_dpi(parser)
    add_measured(parser)
    add_x(parser)
    parser.add_argument(
        "--templates", metavar="DIR", help="folder searched for templates before the built-in ones"
    )
    parser.add_argument(
        "--timeout",
        type=TIMEOUT,
        default=60.0,
        metavar="SECONDS",
        help="how long an external program (dot, rsvg-convert) may run (default: 60)",
    )
    add_limit_option(parser)


def run(args: argparse.Namespace) -> int:
    """Validate, then render each valid journey into OUT/<journey>/."""
    from journeymap.model.levels import link_levels
    from journeymap.output.write import OutputError, real_folder, write_bytes
    from journeymap.render.options import RenderOptions
    from journeymap.render.pipeline import render_journey
    from journeymap.render.timescale import NoTimes, timed

    formats = parse_list(args.format, ALL_FORMATS, "--format")
    kinds = parse_list(args.what, KINDS, "--what")
    theme = _choice(args.theme, THEMES, "--theme")
    paper = _choice(args.paper, PAPERS, "--paper")
    axis = args.project.config.axis_options()
    axis["x"] = _choice(args.x or axis.get("x", "order"), AXES, "--x")
    templates = templates_folder(args.templates)
    out = output_folder(args)
    loaded = load_inputs(args.paths, args.limit, args.project)
    status = 1 if loaded.failed else 0
    chosen = loaded.journeys
    if args.persona:
        chosen = having(
            chosen,
            "--persona",
            args.persona,
            lambda j: [p.id for p in j.personas if not p.implicit],
        )
        chosen = [(j.for_persona(args.persona), name) for j, name in chosen]
    names = [name for _, name in chosen]
    folders = {j.source.resolve(): name for j, name in chosen if j.source is not None}
    valid = link_levels(
        [journey for journey, _ in chosen],
        lambda path: f"../{folders[path]}/map.svg" if path in folders else None,
    )

    options = RenderOptions(
        formats=formats,
        theme=theme,
        templates=templates,
        paper=paper,
        dpi=args.dpi,
        timeout=args.timeout,
        measured=args.measured,
        **axis,
    )
    for journey, name in zip(valid, names, strict=True):
        if args.x and axis["x"] == "time" and all(tp.at is None for tp in journey.touchpoints):
            message = f"{journey.source}: error: --x time: {NoTimes.MESSAGE}; nothing was drawn"
            print(printable(message), file=sys.stderr)
            status = 1
            continue
        chosen_options = options if args.x else timed(options, journey)
        if chosen_options is not options:
            print(
                printable(
                    f"{journey.source}: note: drawn in order: no touchpoint has 'at', so the "
                    "time axis of journeymap.yaml (render: x: time) does not apply"
                ),
                file=sys.stderr,
            )
        result, errors = render_journey(journey, chosen_options, kinds)
        folder = out / name
        written = []
        artifacts = result.artifacts
        try:  # once per journey: a file at OUT/<journey> is one error, not one per format
            if artifacts:
                real_folder(folder)
        except OutputError as exc:
            print(printable(f"journeymap: error: {exc}"), file=sys.stderr)
            status = 1
            artifacts = []
        for artifact in artifacts:
            try:
                write_bytes(folder / artifact.name, artifact.data, loaded.guard)
            except OutputError as exc:
                print(printable(f"journeymap: error: {exc}"), file=sys.stderr)
                status = 1
                continue
            written.append(artifact.name)
        for warning in result.warnings:
            print(printable(f"{journey.source}: warning: {warning}"), file=sys.stderr)
        for error in errors:
            print(printable(f"{journey.source}: error: {error}"), file=sys.stderr)
            status = 1
        print(printable(f"{folder}/: {' '.join(written) or 'nothing written'}"))
    return status
