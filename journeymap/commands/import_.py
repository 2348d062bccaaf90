"""``journeymap import mermaid FILE.mmd``: a journeymap YAML file from another format."""

from __future__ import annotations

import argparse
import sys

HELP = "turn a Mermaid journey diagram into journeymap YAML"


def configure(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``import``."""
    parser.add_argument("source_format", choices=("mermaid",), metavar="mermaid", help="format")
    parser.add_argument("file", metavar="FILE", help="a .mmd file, or Markdown holding one")
    parser.add_argument(
        "-o", "--output", metavar="OUT", help="YAML file to write (default: standard output)"
    )


def run(args: argparse.Namespace) -> int:
    """Parse the diagram and write YAML; exit 1 when it cannot be read as a journey diagram."""
    from pathlib import Path

    from journeymap.commands.options import check_output, existing_paths
    from journeymap.interop.mermaid import MermaidError, parse, to_yaml
    from journeymap.model.slug import slug
    from journeymap.output.write import Guard, write_text
    from journeymap.source.loader import YamlError, decode_utf8

    (path,) = existing_paths([args.file])
    guard = Guard([path])
    output = Path(args.output) if args.output else None
    check_output(guard, *([output] if output else []))
    try:
        text = decode_utf8(path.read_bytes(), str(path))
    except YamlError as exc:
        print(exc.diagnostic, file=sys.stderr)
        return 1
    try:
        diagram = parse(text)
    except MermaidError as exc:
        print(f"{path}:{exc.line}: error: {str(exc).split(': ', 1)[1]}", file=sys.stderr)
        return 1
    default_title = slug(path.stem).replace("-", " ").capitalize() or "Imported journey"
    out = to_yaml(diagram, default_title)
    if output:
        write_text(output, out, guard)
    else:
        sys.stdout.write(out)
    return 0
