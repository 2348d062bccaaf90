"""What ``init`` leaves for editors: copies of the journey and project-config schemas, the
modelines that point at them, and the ``yaml.schemas`` entries of ``.vscode/settings.json``, so
completion works offline on first open, in journeys and in ``journeymap.yaml``.

Each function returns the sentence ``init`` prints; nothing here exits.
"""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path, PurePosixPath
from typing import Any

from journeymap.output.write import (
    OutputError,
    folder_problem,
    real_folder,
    write_bytes,
    write_text,
)
from journeymap.source.diagnostics import display_path, printable
from journeymap.source.files import open_regular
from journeymap.source.resources import config_schema_path, schema_path

#: Where the schema copy lives, relative to the project root.
SCHEMA_COPY = PurePosixPath(".journeymap/journey.schema.json")
#: Where the copy of the project config's schema lives (journeymap.yaml's modeline names it).
CONFIG_COPY = PurePosixPath(".journeymap/config.schema.json")
SETTINGS = PurePosixPath(".vscode/settings.json")
MODELINE = "# yaml-language-server: $schema="
#: An editor file bigger than this is not one init edits.
MAX_EDITOR_FILE = 1024 * 1024


def _existing(path: Path) -> tuple[bytes | None, str | None]:
    """(bytes, None) of the file ``path`` in a folder of our own, (None, None) when there is
    none, or (None, why not) when init must leave it alone: its folder or the file is a
    symbolic link (a planted ``.journeymap`` link would send the copy out of the project), a
    FIFO or device (reading would block or never end), or it is too big."""
    try:
        real_folder(path.parent)
        with open_regular(path, follow=False) as handle:
            data = handle.read(MAX_EDITOR_FILE + 1)
    except FileNotFoundError:
        return None, None
    except (OSError, OutputError) as exc:
        reason = "a symbolic link" if isinstance(exc, OutputError) or path.is_symlink() else ""
        return None, reason or "not a regular file"
    if len(data) > MAX_EDITOR_FILE:
        return None, "over 1 MiB"
    return data, None


def modeline(journey: Path, root: Path) -> str:
    """The first line of a journey: a relative ``$schema`` path to the project's copy."""
    rel = os.path.relpath(root / SCHEMA_COPY, journey.resolve().parent)
    return f"{MODELINE}{PurePosixPath(Path(rel).as_posix())}\n"


def with_modeline(starter: bytes, line: str) -> bytes:
    """The starter text with its ``$schema`` line replaced by ``line``."""
    first, rest = starter.split(b"\n", 1)
    assert first.startswith(MODELINE.encode()), "the starter begins with its $schema line"
    return line.encode("utf-8") + rest


def packaged(config: bool = False) -> Path:
    """The packaged schema: the journey format's, or with ``config`` the project config's."""
    return config_schema_path() if config else schema_path()


def write_schema(path: Path, config: bool = False) -> None:
    """Write the packaged schema to ``path`` atomically."""
    write_bytes(path, packaged(config).read_bytes())


def is_schema_copy(data: bytes, config: bool = False) -> bool:
    """True for the text of a journey schema (or with ``config`` a project-config schema),
    this version's or an older one's."""
    try:
        found = json.loads(data)
    except ValueError:
        return False
    ours = json.loads(packaged(config).read_bytes())
    return isinstance(found, dict) and found.get("$id") == ours["$id"]


def _link_out(folder: Path, fences: list[Path]) -> tuple[Path, Path] | None:
    """(link, where it leads) for a symbolic link on the way to ``folder`` that stands inside
    one of ``fences`` (the current folder, the project) but leads out of it; else None."""
    for fence in fences:
        if not folder.is_relative_to(fence):
            continue
        step = fence
        for part in folder.relative_to(fence).parts:
            step = step / part
            if step.is_symlink():
                target = Path(os.path.realpath(step))
                if not target.is_relative_to(fence.resolve()):
                    return step, target
    return None


def refresh_schema(
    path: Path, fences: list[Path], force: bool = False, config: bool = False
) -> None:
    """Write the packaged schema to ``path`` atomically, only over a schema copy (any file
    with ``force``), never into a folder reached through a link that leaves ``fences``.

    OutputError says why nothing was written.
    """
    shown = printable(display_path(path))
    where = Path(os.path.abspath(path))
    link = _link_out(where.parent, [Path(os.path.abspath(f)) for f in fences])
    if link is not None:
        raise OutputError(
            f"{shown}: its folder {printable(display_path(link[0]))} is a symbolic link to "
            f"{printable(str(link[1]))}, outside the project; nothing was written (name the "
            "real folder if that is what you mean)"
        )
    problem = folder_problem(path.parent)  # a file or a dangling link on the way
    if problem is not None:
        raise OutputError(f"{shown}: {printable(problem)}; nothing was written")
    try:
        st = where.lstat()
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise OutputError(f"{shown}: {exc.strerror}; nothing was written") from None
    if st is not None:
        if stat.S_ISDIR(st.st_mode):
            raise OutputError(f"{shown} is a folder; give a file path")
        if not (stat.S_ISREG(st.st_mode) or stat.S_ISLNK(st.st_mode)):
            raise OutputError(
                f"{shown} is not a regular file (a FIFO, socket or device); nothing was written"
            )
        if not force:
            _only_over_a_copy(where, shown, stat.S_ISLNK(st.st_mode), config)
    write_schema(where, config)


def _only_over_a_copy(path: Path, shown: str, link: bool, config: bool) -> None:
    """OutputError unless ``path`` is a regular file holding a journey (or config) schema."""
    why = "is a symbolic link" if link else "is not a journeymap schema copy"
    if not link:
        try:
            with open_regular(path, follow=False) as handle:
                data = handle.read(MAX_EDITOR_FILE + 1)
        except OSError as exc:
            raise OutputError(f"{shown}: {exc.strerror}; nothing was written") from None
        if len(data) <= MAX_EDITOR_FILE and is_schema_copy(data, config):
            return
    raise OutputError(
        f"{shown} exists and {why}; nothing was written (--force replaces it with the schema)"
    )


def schema_copy(root: Path, config: bool = False) -> str:
    """Write the project's copy of the journey schema (with ``config``, of the project
    config's) unless one is there (never overwritten by init)."""
    path = root / (CONFIG_COPY if config else SCHEMA_COPY)
    shown = printable(display_path(path))
    data, wrong = _existing(path)
    if wrong:
        return f"left {shown} alone: it or its folder is {wrong}; no schema copy was written"
    if data is not None:
        if data == packaged(config).read_bytes():
            return f"kept {shown} (up to date)"
        option = "--config " if config else ""
        return f"kept {shown}; refresh it with: journeymap schema {option}--write {shown}"
    write_schema(path, config)
    what = "journeymap.yaml" if config else "the journeys"
    return f"wrote {shown} (the schema your editor completes {what} from, offline)"


def journey_globs(journey: Path, root: Path) -> list[str]:
    """The ``yaml.schemas`` globs for journeys like ``journey``: its folder's YAML files, or
    the file alone when it sits at the project root (where other YAML files live too)."""
    rel = journey.resolve().relative_to(root)
    if rel.parent == Path():
        return [rel.as_posix()]
    folder = rel.parent.as_posix()
    return [f"{folder}/**/*.yaml", f"{folder}/**/*.yml"]


def _indent(text: str) -> int:
    found = re.search(r"^( +)\S", text, re.MULTILINE)
    return len(found.group(1)) if found else 4


def vscode_settings(root: Path, mapped: dict[PurePosixPath, list[str]]) -> str:
    """Add each schema copy of ``mapped`` with its globs to ``yaml.schemas`` in
    ``.vscode/settings.json``, keeping every other setting; a file that is not plain JSON is
    left alone, with the lines to add by hand."""
    path = root / SETTINGS
    shown = printable(display_path(path))
    entry = {"yaml.schemas": {f"./{copy}": globs for copy, globs in mapped.items()}}
    lines = json.dumps(entry, indent=4)[2:-2]

    def by_hand(reason: str) -> str:
        return f"left {shown} as it is: {reason}; add this to it by hand:\n{lines}"

    settings: Any = {}
    text = ""
    data, wrong = _existing(path)
    if wrong:
        return by_hand(f"it or its folder is {wrong}")
    if data is not None:
        text = data.decode("utf-8", errors="replace")
        try:
            settings = json.loads(text) if text.strip() else {}
        except (json.JSONDecodeError, RecursionError):
            return by_hand("it is not plain JSON (comments or trailing commas?)")
        if not isinstance(settings, dict) or not isinstance(settings.get("yaml.schemas", {}), dict):
            return by_hand("its 'yaml.schemas' is not a mapping")
    schemas = settings.setdefault("yaml.schemas", {})
    added = []
    for key, globs in entry["yaml.schemas"].items():
        listed = schemas.get(key, [])
        listed = [listed] if isinstance(listed, str) else list(listed)
        new = [g for g in globs if g not in listed]
        schemas[key] = listed + new
        added += new
    everything = printable(", ".join(g for globs in mapped.values() for g in globs))
    if not added and data is not None:
        return f"kept {shown} (it already maps {everything} to the schema copies)"
    write_text(path, json.dumps(settings, indent=_indent(text), ensure_ascii=False) + "\n")
    verb = "updated" if text else "wrote"
    return f"{verb} {shown} ('yaml.schemas' maps {everything} to the schema copies)"
