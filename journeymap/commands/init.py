"""``journeymap init [DIR]``: write a commented starter journey."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from journeymap.source.diagnostics import printable

HELP = (
    "write a commented starter journey (DIR/journey.yaml), a commented journeymap.yaml when "
    "the project has none, and set up editors: copies of the journey and config schemas in "
    ".journeymap/ and .vscode/settings.json at the project root; never overwrites a file"
)
EXAMPLES = """\
examples:
  journeymap init journeys        journeys/journey.yaml, and journeymap.yaml at the project root
                                  with the editor set-up: .journeymap/journey.schema.json,
                                  .journeymap/config.schema.json and .vscode/settings.json
  journeymap init journeys --name checkout.yaml
"""


def configure(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``init``."""
    parser.add_argument(
        "dir",
        nargs="?",
        default=".",
        metavar="DIR",
        help="folder to write journey.yaml into (default: here)",
    )
    parser.add_argument(
        "--name",
        default="journey.yaml",
        metavar="FILE",
        help="file name of the journey (default: journey.yaml)",
    )


def run(args: argparse.Namespace) -> int:
    """Create the file exclusively, so an existing one is never touched."""
    from journeymap.commands import editor
    from journeymap.commands.cli import UsageError
    from journeymap.output.write import folder_problem
    from journeymap.source.config import CONFIG_NAME, find_project
    from journeymap.source.files import UNSAFE_NAME
    from journeymap.source.resources import templates_dir

    if "/" in args.name or "\\" in args.name or not args.name.endswith((".yaml", ".yml")):
        raise UsageError("--name must be a plain file name ending in .yaml or .yml")
    for option, value in (("DIR", args.dir), ("--name", args.name)):
        if UNSAFE_NAME.search(value):  # the site manifest refuses such a journey
            raise UsageError(
                f"{option} {printable(value)} holds a control character or a backslash; "
                "choose a name without one (nothing was written)"
            )
    target = Path(args.dir) / args.name
    problem = folder_problem(Path(args.dir))
    if problem is not None:
        raise UsageError(f"DIR {problem}; nothing was written")
    target.parent.mkdir(parents=True, exist_ok=True)
    root, _ = find_project(target.parent)
    starter = editor.with_modeline(
        (templates_dir() / "init" / "journey.yaml").read_bytes(), editor.modeline(target, root)
    )
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        print(
            f"journeymap: error: {printable(str(target))} already exists; nothing was written "
            "(choose another DIR or --name)",
            file=sys.stderr,
        )
        return 1
    with os.fdopen(fd, "wb") as handle:
        handle.write(starter)
    print(printable(f"wrote {target}; next: journeymap validate {target}"))
    try:
        print(editor.schema_copy(root))
        print(editor.schema_copy(root, config=True))
        globs = editor.journey_globs(target, root)
        print(
            editor.vscode_settings(
                root, {editor.SCHEMA_COPY: globs, editor.CONFIG_COPY: [CONFIG_NAME]}
            )
        )
    except OSError as exc:
        print(printable(f"journeymap: error: {exc.filename}: {exc.strerror}"), file=sys.stderr)
        return 1
    _write_config(target, root)
    return 0


def _yaml_text(text: str) -> str:
    """``text`` as a YAML list item: as it stands when YAML reads it back as that text, else
    quoted (``#x``, ``a: b``, ``[x``, ``null`` or ``12`` would be a comment, a mapping, a
    list, nothing or a number)."""
    from journeymap.source.loader import YamlError, load_bytes

    try:
        if load_bytes(f"- {text}\n".encode(), "DIR").data == [text]:
            return text
    except YamlError:
        pass
    return json.dumps(text, ensure_ascii=False)


def _write_config(journey: Path, top: Path) -> None:
    """A commented ``journeymap.yaml`` at the project root ``top``, listing the journey's
    folder; nothing when the project already has a config."""
    from journeymap.source.config import CONFIG_NAME
    from journeymap.source.diagnostics import display_path
    from journeymap.source.resources import templates_dir

    existing = top / CONFIG_NAME
    if existing.is_file():
        print(printable(f"kept the project config {display_path(existing)}"))
        return
    rel = journey.resolve().relative_to(top)
    listed = rel.as_posix() if rel.parent == Path() else rel.parent.as_posix()
    text = (templates_dir() / "init" / CONFIG_NAME).read_text(encoding="utf-8")
    config = top / CONFIG_NAME
    try:
        fd = os.open(config, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:  # a FIFO, a folder or a dangling link: never opened
        print(
            printable(f"left {display_path(config)} alone: it is not a regular file; ")
            + "no project config was written"
        )
        return
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text.replace("JOURNEYS", _yaml_text(listed)))
    print(printable(f"wrote {display_path(config)}; commands run in this project read it"))
