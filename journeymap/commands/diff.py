"""``journeymap diff OLD NEW`` or ``--git REV FILE``: a Markdown summary of journey changes."""

from __future__ import annotations

import argparse
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


def _git(where: Path, *args: str) -> bytes:
    """Run ``git -C where ARGS`` (bounded in time); UsageError when it fails."""
    from journeymap.commands.cli import UsageError
    from journeymap.output.programs import run_program
    from journeymap.source.diagnostics import RenderError

    try:
        return run_program(
            ["git", "-C", str(where), *args],
            b"",
            timeout=60,
            install_hint="--git needs the git program: install git",
            too_slow_hint="is the repository very large?",
        )
    except RenderError as exc:
        raise UsageError(f"git {args[0]}: {exc}") from None


def _commit(rev: str, folder: Path) -> str:
    """The commit ``rev`` names, resolved by ``git rev-parse --verify --end-of-options`` (so a
    value starting with ``-`` can never become an option); UsageError when it names none."""
    from journeymap.commands.cli import UsageError

    if not rev or rev.startswith("-") or any(ord(c) < 32 or c == "\x7f" for c in rev):
        raise UsageError(f"--git {rev!r} is not a revision (like HEAD, main or a commit hash)")
    try:
        out = _git(folder, "rev-parse", "--verify", "-q", "--end-of-options", f"{rev}^{{commit}}")
    except UsageError:
        raise UsageError(f"--git {rev!r}: no such revision in this repository") from None
    return out.decode().strip()


def _git_version(rev: str, file: Path, root: Path, into: Path, limits: Limits) -> Path:
    """Write ``file`` as it was at ``rev``, and the files it imports and the evidence files it
    names inside the project ``root``, into ``into`` (same layout as below ``root``); only
    those blobs are read, YAML size-checked first, evidence streamed to disk (it may be large,
    and validation reads it in one pass)."""
    import posixpath

    from journeymap.commands.cli import UsageError
    from journeymap.source.loader import YamlError, load_bytes, too_large

    folder = file.resolve().parent
    commit = _commit(rev, folder)
    top = Path(_git(folder, "rev-parse", "--show-toplevel").decode().strip()).resolve()
    root = root.resolve()
    if not (root.is_relative_to(top) and folder.is_relative_to(root)):
        root = folder
    base = root.relative_to(top).as_posix()
    name = file.resolve().relative_to(root).as_posix()
    pending, seen = [(name, False)], set()
    while pending:
        entry, data_file = pending.pop()
        rel = posixpath.normpath(entry)
        if rel in seen or rel.startswith("../") or rel == ".." or posixpath.isabs(rel):
            continue
        seen.add(rel)
        blob = f"{commit}:{posixpath.join(base, rel) if base != '.' else rel}"
        try:
            size = int(_git(top, "cat-file", "-s", blob))
        except (UsageError, ValueError):
            if rel == name:
                raise UsageError(f"{file.name} does not exist at revision {rev}") from None
            continue  # a missing import: validation reports it
        target = into / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if data_file:
            _git_blob_to(top, blob, target)
            continue
        if size > limits.max_bytes:
            raise UsageError(too_large(f"{rev}:{rel}", size, limits).diagnostic.message)
        data = _git(top, "cat-file", "blob", blob)
        target.write_bytes(data)
        try:
            doc = load_bytes(data, rel, limits).data
        except YamlError:
            continue
        here = posixpath.dirname(rel)
        for entry, data_file in _named_files(doc):
            pending.append((posixpath.join(here, entry), data_file))
    return into / name


def _named_files(doc: object) -> list[tuple[str, bool]]:
    """(path, is an evidence file) of each import and evidence file a parsed file names."""
    if not isinstance(doc, dict):
        return []
    imports = doc.get("imports")
    evidence = doc.get("evidence")
    named = [(i, False) for i in imports if isinstance(i, str)] if isinstance(imports, list) else []
    for source in evidence if isinstance(evidence, list) else []:
        if isinstance(source, dict) and isinstance(source.get("file"), str):
            named.append((source["file"], True))
    return named


def _git_blob_to(top: Path, blob: str, target: Path) -> None:
    """Stream the blob ``blob`` into ``target`` (constant memory, bounded in time)."""
    import subprocess

    from journeymap.commands.cli import UsageError

    try:
        with target.open("wb") as handle:
            subprocess.run(
                ["git", "-C", str(top), "cat-file", "blob", blob],
                stdout=handle,
                stderr=subprocess.DEVNULL,
                stdin=subprocess.DEVNULL,
                timeout=60,
                check=True,
            )
    except (OSError, subprocess.SubprocessError) as exc:
        raise UsageError(f"git cat-file {blob}: {exc}") from None


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
        if args.git is not None:
            old_path = _git_version(args.git, paths[0], root, Path(tmp), DEFAULT_LIMITS)
            old_root, shared = Path(tmp), None
        loaded = [
            load_journey(old_path, guard, old_root, shared),
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
