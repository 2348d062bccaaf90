"""``journeymap export --to mermaid|json|markdown FILE``: a journey in another format."""

from __future__ import annotations

import argparse

from journeymap.commands.arguments import output_file

HELP = "write a journey as a Mermaid journey diagram, JSON, or a Markdown outline"
TARGETS: tuple[str, ...] = ("mermaid", "json", "markdown")
EXAMPLES = """\
examples:
  journeymap export --to mermaid journeys/bank.yaml            a Mermaid journey on stdout
  journeymap export --to mermaid journeys/bank.yaml -o bank.md  wrapped in a ```mermaid fence
  journeymap export --to json journeys/bank.yaml -o bank.json
"""


def configure(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``export``."""
    parser.add_argument(
        "--to",
        required=True,
        choices=TARGETS,
        metavar="FORMAT",
        help="output format: mermaid, json or markdown (an outline)",
    )
    parser.add_argument("file", metavar="FILE", help="journey file")
    parser.add_argument(
        "-o",
        "--output",
        metavar="OUT",
        type=output_file,
        help="file to write (default: standard output); a Mermaid export to a .md file is "
        "wrapped in a ```mermaid fence",
    )


def run(args: argparse.Namespace) -> int:
    """Load the journey and print or write it; exit 1 when it is invalid."""
    from journeymap.commands.options import emit, journey_and_output

    loaded = journey_and_output(args.file, args.output, args.project)
    if loaded is None:
        return 1
    journey, output, guard = loaded
    if args.to == "mermaid":
        from journeymap.interop.mermaid import export

        text = export(journey)
        if output and output.suffix.lower() == ".md":
            text = f"```mermaid\n{text}```\n"
    else:
        from journeymap.interop.export import to_json, to_markdown

        text = to_json(journey) if args.to == "json" else to_markdown(journey)
    emit(text, output, guard)
    return 0
