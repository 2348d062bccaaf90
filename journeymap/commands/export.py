"""``journeymap export --to mermaid|json|markdown FILE``: a journey in another format."""

from __future__ import annotations

import argparse
import sys

HELP = "write a journey as a Mermaid journey diagram, JSON, or a Markdown outline"
TARGETS: tuple[str, ...] = ("mermaid", "json", "markdown")


def configure(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``export``."""
    parser.add_argument("--to", required=True, choices=TARGETS, help="output format")
    parser.add_argument("file", metavar="FILE", help="journey file")
    parser.add_argument(
        "-o",
        "--output",
        metavar="OUT",
        help="file to write (default: standard output); a Mermaid export to a .md file is "
        "wrapped in a ```mermaid fence",
    )


def run(args: argparse.Namespace) -> int:
    """Load the journey and print or write it; exit 1 when it is invalid."""
    from pathlib import Path

    import journeymap
    from journeymap.commands.options import existing_paths
    from journeymap.output.write import write_text

    (path,) = existing_paths([args.file])
    try:
        journey = journeymap.load(path)
    except journeymap.JourneyError as exc:
        for diagnostic in exc.diagnostics:
            print(diagnostic, file=sys.stderr)
        return 1
    if args.to == "mermaid":
        from journeymap.interop.mermaid import export

        text = export(journey)
        if args.output and Path(args.output).suffix.lower() == ".md":
            text = f"```mermaid\n{text}```\n"
    else:
        from journeymap.interop.export import to_json, to_markdown

        text = to_json(journey) if args.to == "json" else to_markdown(journey)
    if args.output:
        write_text(Path(args.output), text)
    else:
        sys.stdout.write(text)
    return 0
