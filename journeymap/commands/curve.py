"""``journeymap curve A.yaml B.yaml ... -o OUT``: overlay the emotion curves of journeys."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from journeymap.commands.arguments import add_dpi, add_measured, add_theme, add_x
from journeymap.commands.options import parse_list
from journeymap.render.options import AXES, FORMATS
from journeymap.source.diagnostics import display_path, printable

HELP = "overlay the emotion curves of two or more journeys (before/after) in one chart"
EXAMPLES = """\
examples:
  journeymap curve journeys/today.yaml journeys/future.yaml -o out   out/compare.svg
  journeymap curve today.yaml future.yaml -o compare.png --persona sam --x time
  journeymap curve today.yaml future.yaml -o out --format svg,pdf --measured  with survey error bars
"""


def configure(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``curve``."""
    parser.add_argument("files", nargs="+", metavar="FILE", help="journey files to overlay")
    parser.add_argument(
        "-o",
        "--output",
        metavar="OUT",
        help="output folder for compare.svg|pdf|png, or one file ending in .svg, .pdf or "
        ".png (required unless journeymap.yaml sets 'output:')",
    )
    parser.add_argument("--persona", metavar="ID", help="draw only this persona's curves")
    parser.add_argument(
        "--format",
        default="svg",
        metavar="LIST",
        help="comma-separated formats among svg, pdf, png (default: svg)",
    )
    add_theme(parser)
    add_dpi(parser)
    parser.add_argument(
        "--smooth",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="monotone smooth segments that never overshoot the scale, as on the map "
        "(default); --no-smooth draws straight ones",
    )
    add_measured(parser)
    add_x(parser)


def _targets(args: argparse.Namespace) -> list[tuple[str, Path]]:
    """(format, output path) pairs; UsageError for unknown formats or a mismatched file name."""
    from journeymap.commands.cli import UsageError
    from journeymap.commands.project import output_folder, require_output

    out = Path(require_output(args))
    suffix = out.suffix.lower().lstrip(".")
    formats = list(parse_list(args.format, FORMATS, "--format"))
    if suffix in FORMATS:
        if formats != ["svg"] and formats != [suffix]:
            raise UsageError(f"-o {out} names a .{suffix} file but --format asks for {args.format}")
        return [(suffix, out)]
    out = output_folder(args)  # a folder: compare.svg, ... go into it
    return [(fmt, out / f"compare.{fmt}") for fmt in formats]


def run(args: argparse.Namespace) -> int:
    """Load every file, draw the overlay, write it; exit 1 on invalid input."""
    from journeymap.commands.cli import UsageError
    from journeymap.commands.options import check_output, existing_paths, load_journey
    from journeymap.output.write import Guard, write_bytes
    from journeymap.render.curve import render_comparison
    from journeymap.render.options import RenderOptions
    from journeymap.source.diagnostics import RenderError

    targets = _targets(args)
    guard = Guard()
    project = args.project
    loaded = [
        load_journey(path, guard, project.root, project.config.evidence)
        for path in existing_paths(args.files)
    ]
    journeys = [journey for journey in loaded if journey is not None]
    if len(journeys) != len(loaded):
        return 1
    check_output(guard, *(path for _, path in targets))
    axis = project.config.axis_options()
    axis["x"] = (args.x or axis.get("x", "order")).strip().lower()
    if axis["x"] not in AXES:
        raise UsageError(f"--x: unknown value {args.x}; choose one of {', '.join(AXES)}")
    untimed = [j for j in journeys if all(tp.at is None for tp in j.touchpoints)]
    if axis["x"] == "time" and untimed and not args.x:
        # The config's default axis: journeys without times are compared in order.
        axis["x"] = "order"
        name = display_path(untimed[0].source or untimed[0].id)
        print(
            printable(f"{name}: note: compared in order: no touchpoint has 'at'"), file=sys.stderr
        )
    options = RenderOptions(
        formats=tuple(fmt for fmt, _ in targets),
        theme=args.theme,
        dpi=args.dpi,
        measured=args.measured,
        **axis,
    )
    try:
        result = render_comparison(journeys, options, args.persona, smooth=args.smooth)
    except RenderError as exc:
        print(printable(f"journeymap: error: {exc}"), file=sys.stderr)
        return 1
    for warning in result.warnings:
        print(printable(f"journeymap: warning: {warning}"), file=sys.stderr)
    data = {artifact.name.rsplit(".", 1)[1]: artifact.data for artifact in result.artifacts}
    for fmt, path in targets:
        write_bytes(path, data[fmt], guard)
        print(printable(str(path)))
    return 0
