"""``journeymap evidence FILE``: the measured figures per touchpoint, for CI to post."""

from __future__ import annotations

import argparse

from journeymap.commands.arguments import output_file

HELP = "print a journey's measured evidence per touchpoint (text, JSON or Markdown)"
FORMATS: tuple[str, ...] = ("text", "json", "markdown")
EXAMPLES = """\
examples:
  journeymap evidence journeys/checkout.yaml                     an aligned table
  journeymap evidence --format markdown journeys/checkout.yaml  a GitHub table for a PR comment
  journeymap evidence --format json journeys/checkout.yaml -o evidence.json
"""


def configure(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``evidence``."""
    parser.add_argument("file", metavar="FILE", help="journey file with an 'evidence:' list")
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        metavar="FORMAT",
        help="text (an aligned table, the default), json, or markdown (a GitHub table)",
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="OUT",
        type=output_file,
        help="file to write (default: standard output)",
    )


def run(args: argparse.Namespace) -> int:
    """Load the journey (reading its evidence) and print the table; exit 1 when invalid."""
    from journeymap.commands.options import emit, journey_and_output
    from journeymap.interop.evidence import to_json, to_markdown, to_text

    loaded = journey_and_output(args.file, args.output, args.project)
    if loaded is None:
        return 1
    journey, output, guard = loaded
    render = {"text": to_text, "json": to_json, "markdown": to_markdown}[args.format]
    emit(render(journey), output, guard)
    return 0
