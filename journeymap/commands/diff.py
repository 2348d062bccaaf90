"""``journeymap diff OLD NEW`` or ``--git REV FILE``: a Markdown summary of journey changes."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HELP = "summarise the changes between two versions of a journey as Markdown (for reviews)"


def configure(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``diff``."""
    parser.add_argument(
        "files", nargs="+", metavar="FILE", help="OLD NEW, or one FILE together with --git REV"
    )
    parser.add_argument(
        "--git", metavar="REV", help="compare FILE with its version at git revision REV"
    )
    parser.add_argument(
        "--image",
        metavar="OUT",
        help="also write an overlay curve of both versions (.svg, .pdf or .png)",
    )
    parser.add_argument("-o", "--output", metavar="OUT", help="write the Markdown to this file")


def _git_version(rev: str, file: Path, into: Path) -> Path:
    """Extract the folder of ``file`` at ``rev`` (so its imports come along) below ``into``."""
    import io
    import tarfile

    from journeymap.commands.cli import UsageError
    from journeymap.output.programs import run_program
    from journeymap.source.diagnostics import RenderError

    folder = file.resolve().parent

    def git(where: Path, *args: str) -> bytes:
        try:
            return run_program(
                ["git", "-C", str(where), *args],
                b"",
                timeout=60,
                install_hint="--git needs the git program: install git",
                too_slow_hint="is the repository very large?",
            )
        except RenderError as exc:
            raise UsageError(f"git {' '.join(args[:2])}: {exc}") from None

    top = Path(git(folder, "rev-parse", "--show-toplevel").decode().strip())
    rel = folder.relative_to(top.resolve()).as_posix()
    archive = git(top, "archive", "--format=tar", rev, "--", rel)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    old = into / rel / file.name
    if not old.is_file():
        raise UsageError(f"{file.name} does not exist at revision {rev}")
    return old


def run(args: argparse.Namespace) -> int:
    """Load both versions, print the summary, write the image; exit 1 when one is invalid."""
    import tempfile

    import journeymap
    from journeymap.commands.cli import UsageError
    from journeymap.commands.options import existing_paths
    from journeymap.interop.diff import compare, to_markdown
    from journeymap.output.write import write_bytes, write_text

    if args.git is not None and len(args.files) != 1:
        raise UsageError("with --git give exactly one FILE")
    if args.git is None and len(args.files) != 2:
        raise UsageError("give two files, OLD and NEW (or one FILE with --git REV)")
    image_format = Path(args.image).suffix.lower().lstrip(".") if args.image else None
    if image_format not in (None, "svg", "pdf", "png"):
        raise UsageError("--image must end in .svg, .pdf or .png")
    paths = existing_paths(args.files)
    with tempfile.TemporaryDirectory(prefix="journeymap-diff-") as tmp:
        if args.git is not None:
            paths = [_git_version(args.git, paths[0], Path(tmp)), paths[0]]
        journeys = []
        for path in paths:
            try:
                journeys.append(journeymap.load(path))
            except journeymap.JourneyError as exc:
                for diagnostic in exc.diagnostics:
                    print(diagnostic, file=sys.stderr)
        if len(journeys) != 2:
            return 1
    old, new = journeys
    text = to_markdown(compare(old, new))
    if args.output:
        write_text(Path(args.output), text)
    else:
        sys.stdout.write(text)
    if args.image and image_format:
        from journeymap.render.curve import render_comparison
        from journeymap.render.options import RenderOptions
        from journeymap.source.diagnostics import RenderError

        try:
            result = render_comparison([old, new], RenderOptions(formats=(image_format,)))
        except RenderError as exc:
            print(f"journeymap: error: {exc}", file=sys.stderr)
            return 1
        for artifact in result.artifacts:
            write_bytes(Path(args.image), artifact.data)
    return 0
