"""``journeymap evidence FILE``: the measured figures per touchpoint, for CI to post."""

from __future__ import annotations

import argparse
import sys

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
        "-o", "--output", metavar="OUT", help="file to write (default: standard output)"
    )


def run(args: argparse.Namespace) -> int:
    """Load the journey (reading its evidence) and print the table; exit 1 when invalid."""
    from pathlib import Path

    from journeymap.commands.options import check_output, existing_paths, load_journey
    from journeymap.interop.evidence import to_json, to_markdown, to_text
    from journeymap.output.write import Guard, write_text

    (path,) = existing_paths([args.file])
    guard = Guard()
    journey = load_journey(path, guard, args.project.root)
    if journey is None:
        return 1
    output = Path(args.output) if args.output else None
    check_output(guard, *([output] if output else []))
    render = {"text": to_text, "json": to_json, "markdown": to_markdown}[args.format]
    text = render(journey)
    if output:
        write_text(output, text, guard)
    else:
        sys.stdout.write(text)
    return 0
