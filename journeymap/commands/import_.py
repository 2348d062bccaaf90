"""``journeymap import mermaid FILE``: journeymap YAML from a Mermaid journey diagram."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from journeymap.commands.arguments import output_file
from journeymap.source.diagnostics import printable

HELP = "turn a Mermaid journey diagram (a .mmd file, or Markdown holding one) into journeymap YAML"
EXAMPLES = """\
examples:
  journeymap import mermaid diagram.mmd -o journeys/checkout.yaml
  journeymap import mermaid docs/journeys.md --block 2       the second block, on stdout
  journeymap import mermaid docs/journeys.md -o journeys/j.yaml   j-1.yaml, j-2.yaml, ...
"""


def configure(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``import``."""
    from journeymap.commands.options import add_limit_option

    parser.add_argument(
        "source_format", choices=("mermaid",), metavar="mermaid", help="the input format: mermaid"
    )
    parser.add_argument("file", metavar="FILE", help="a .mmd file, or Markdown holding one")
    parser.add_argument(
        "-o",
        "--output",
        metavar="OUT",
        type=output_file,
        help="YAML file to write (default: standard output); with several journey blocks and "
        "no --block, OUT-1.yaml, OUT-2.yaml, ...",
    )
    parser.add_argument(
        "--block",
        type=int,
        metavar="N",
        help="import only the N-th ```mermaid journey block of a Markdown file (from 1)",
    )
    add_limit_option(parser)


def _checked(text: str, name: str) -> list[str]:
    """Problems journeymap's own validation finds in generated YAML (empty when it is valid)."""
    import tempfile

    from journeymap.check.validate import validate_file

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_text(text, encoding="utf-8")
        result = validate_file(path)
    return [d.message for d in result.diagnostics if d.level == "error"]


def run(args: argparse.Namespace) -> int:
    """Parse the diagram(s) and write YAML; exit 1 when Mermaid would not read them."""
    from journeymap.commands.cli import UsageError
    from journeymap.commands.options import check_output, existing_paths, parse_limits
    from journeymap.interop.mermaid import MermaidError, journey_blocks, parse, to_yaml
    from journeymap.model.slug import slug
    from journeymap.output.write import Guard, write_text
    from journeymap.source.config import find_project
    from journeymap.source.files import read_source, resolved
    from journeymap.source.loader import YamlError, decode_utf8

    limits = parse_limits(args.limit)
    (path,) = existing_paths([args.file])
    guard = Guard([path])
    if args.output:
        check_output(guard, Path(args.output))
    root, _ = find_project(resolved(path.parent))  # where the file stands, not its target
    try:  # a regular file only (a FIFO would block), inside its project, size checked first
        text = decode_utf8(read_source(path, limits, root), str(path))
    except YamlError as exc:
        print(exc.diagnostic, file=sys.stderr)
        return 1
    blocks = journey_blocks(text, path.suffix.lower() in (".md", ".markdown"))
    if not blocks:
        print(
            printable(f"{path}:1:1: error: no ```mermaid block holds a journey diagram"),
            file=sys.stderr,
        )
        return 1
    if args.block is not None:
        if not 1 <= args.block <= len(blocks):
            raise UsageError(f"--block {args.block}: the file has {len(blocks)} journey block(s)")
        blocks = [blocks[args.block - 1]]
    elif len(blocks) > 1 and not args.output:
        raise UsageError(
            f"{path} holds {len(blocks)} journey blocks; choose one with --block N, "
            "or give -o OUT to write OUT-1.yaml, OUT-2.yaml, ..."
        )
    default_title = slug(path.stem).replace("-", " ").capitalize() or "Imported journey"
    outputs: list[tuple[Path | None, str]] = []
    for number, (body, before) in enumerate(blocks, 1):
        try:
            diagram = parse(body)
        except MermaidError as exc:
            print(
                printable(f"{path}:{exc.line + before}:{exc.col}: error: {exc.message}"),
                file=sys.stderr,
            )
            return 1
        imported = to_yaml(diagram, default_title)
        for line, col, warning in imported.warnings:
            where = f"{path}:{line + before}:{col}" if line else str(path)
            block = f"block {number}: " if len(blocks) > 1 else ""
            print(printable(f"{where}: note: {block}{warning}"), file=sys.stderr)
        problems = _checked(imported.yaml, f"{slug(path.stem) or 'journey'}.yaml")
        if problems:
            for problem in problems:
                message = f"{path}: error: journeymap cannot hold this diagram: {problem}"
                print(printable(message), file=sys.stderr)
            return 1
        target = None
        if args.output:
            target = Path(args.output)
            if len(blocks) > 1:
                target = target.with_name(f"{target.stem}-{number}{target.suffix or '.yaml'}")
        outputs.append((target, imported.yaml))
    check_output(guard, *[target for target, _ in outputs if target is not None])
    for target, out in outputs:
        if target is None:
            sys.stdout.write(out)
        else:
            write_text(target, out, guard)
    return 0
