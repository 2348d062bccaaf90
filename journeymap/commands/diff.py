"""``journeymap diff OLD NEW`` or ``--git REV FILE``: a Markdown summary of journey changes."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from journeymap.commands.arguments import output_file
from journeymap.source.diagnostics import printable
from journeymap.source.limits import DEFAULT_LIMITS, Limits

HELP = "summarise the changes between two versions of a journey as Markdown (for reviews)"
EXAMPLES = """\
examples:
  journeymap diff old/bank.yaml journeys/bank.yaml          Markdown on stdout
  journeymap diff --git origin/main journeys/bank.yaml -o summary.md
  journeymap diff --git HEAD journeys/bank.yaml --image change.svg
"""


def configure(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``diff``."""
    parser.add_argument(
        "files", nargs="+", metavar="FILE", help="OLD NEW, or one FILE together with --git REV"
    )
    parser.add_argument(
        "--git",
        metavar="REV",
        help="compare FILE with its version at git revision REV (a branch, tag or commit); "
        "its imports are read at REV too",
    )
    parser.add_argument(
        "--image",
        metavar="OUT",
        type=output_file,
        help="also write an overlay curve of both versions (.svg, .pdf or .png)",
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="OUT",
        type=output_file,
        help="write the Markdown to this file (default: stdout)",
    )


def _git_version(rev: str, file: Path, root: Path, into: Path, limits: Limits) -> Path:
    """Write ``file`` as it was at ``rev`` (with the files it names inside ``root``) into
    ``into`` (``site.history.version_at``); UsageError for a bad revision or a missing file."""
    from journeymap.commands.cli import UsageError
    from journeymap.site.history import GitError, commit_of, version_at
    from journeymap.source.files import resolved

    target = resolved(file)
    if not target.is_relative_to(resolved(root)):  # a link out: git would run over there
        raise UsageError(
            f"{file} is a symbolic link to {target}, outside the project; --git reads only "
            "the project's history (nothing was read)"
        )
    try:
        commit = commit_of(rev, resolved(file.parent))  # the link's folder, not its target's
    except GitError as exc:
        raise UsageError(f"--git {exc}") from None
    try:
        return version_at(commit, file, root, into, limits)
    except GitError as exc:
        message = str(exc).replace(f"revision {commit}", f"revision {rev}")
        raise UsageError(message) from None


def run(args: argparse.Namespace) -> int:
    """Load both versions, print the summary, write the image; exit 1 when one is invalid."""
    import tempfile

    from journeymap.commands.cli import UsageError
    from journeymap.commands.options import check_output, existing_paths, load_journey
    from journeymap.interop.diff import compare, to_markdown
    from journeymap.output.write import Guard, write_bytes, write_text

    if args.git is not None and len(args.files) != 1:
        raise UsageError("with --git give exactly one FILE")
    if args.git is None and len(args.files) != 2:
        raise UsageError("give two files, OLD and NEW (or one FILE with --git REV)")
    image_format = Path(args.image).suffix.lower().lstrip(".") if args.image else None
    if image_format not in (None, "svg", "pdf", "png"):
        raise UsageError("--image must end in .svg, .pdf or .png")
    paths = existing_paths(args.files)
    guard = Guard()
    with tempfile.TemporaryDirectory(prefix="journeymap-diff-") as tmp:
        root = args.project.root
        old_path, old_root = paths[0], root
        # journeymap.yaml's evidence is read for both sides of a two-file diff; with --git
        # only the journey's own evidence is (its files are what git holds at REV).
        shared = args.project.config.evidence
        at_rev = None
        if args.git is not None:
            old_path = _git_version(args.git, paths[0], root, Path(tmp), DEFAULT_LIMITS)
            old_root, shared = Path(tmp), None
            inside = f"{Path(tmp).resolve()}{os.sep}"
            at_rev = lambda shown: (  # noqa: E731  # HEAD:j.yaml, as git names it, not /tmp/...
                f"{args.git}:{shown.removeprefix(inside)}" if shown.startswith(inside) else shown
            )
        loaded = [
            load_journey(old_path, guard, old_root, shared, at_rev),
            load_journey(paths[-1], guard, root, shared),
        ]
    old, new = loaded
    if old is None or new is None:
        return 1
    outputs = [Path(name) for name in (args.output, args.image) if name]
    check_output(guard, *outputs)
    text = to_markdown(compare(old, new))
    if args.output:
        write_text(Path(args.output), text, guard)
    else:
        sys.stdout.write(text)
    if args.image and image_format:
        from journeymap.render.curve import render_comparison
        from journeymap.render.options import RenderOptions
        from journeymap.source.diagnostics import RenderError

        try:
            result = render_comparison([old, new], RenderOptions(formats=(image_format,)))
        except RenderError as exc:
            print(printable(f"journeymap: error: {exc}"), file=sys.stderr)
            return 1
        for artifact in result.artifacts:
            write_bytes(Path(args.image), artifact.data, guard)
    return 0
