"""The project: its root folder (where imports may reach) and its ``journeymap.yaml`` settings.

The root is the folder of the project config, else the git work tree, else the current
folder, found by walking up from the inputs; the same for every command, so a file
validates the same way however it is named.
"""

from __future__ import annotations

import fnmatch
import json
import os
import re
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

from journeymap.source.diagnostics import Diagnostic, JourneyError, display_path
from journeymap.source.files import check_link, open_regular, resolved
from journeymap.source.limits import Limits
from journeymap.source.loader import Document, YamlError, decode_utf8, load_bytes, too_large
from journeymap.source.resources import config_schema_path

CONFIG_NAME = "journeymap.yaml"
#: A config is small; anything bigger is not one.
MAX_CONFIG_BYTES = 256 * 1024


@dataclass(frozen=True)
class SharedEvidence:
    """The ``evidence:`` list of ``journeymap.yaml``: the parsed config (its items, and
    positions for located messages) and the config's folder, which its paths start from."""

    doc: Document
    base: Path


@dataclass(frozen=True)
class Config:
    """The settings of ``journeymap.yaml``; ``None`` or empty where it says nothing."""

    #: The config file, or None when the project has none.
    path: Path | None = None
    journeys: tuple[Path, ...] = ()
    exclude: tuple[str, ...] = ()
    output: Path | None = None
    lang: str | None = None
    render: dict[str, Any] = field(default_factory=dict)
    cards: dict[str, Any] = field(default_factory=dict)
    site: dict[str, Any] = field(default_factory=dict)
    limits: dict[str, int] = field(default_factory=dict)
    #: Evidence sources for the journeys they name (or all), when the config declares any.
    evidence: SharedEvidence | None = None
    #: Time thresholds in seconds (``wait``, ``silent_wait``), read by ``check.config``.
    time: dict[str, float] = field(default_factory=dict)

    def axis_options(self) -> dict[str, Any]:
        """The time-axis settings of the pictures (keyword arguments of ``RenderOptions``):
        ``render: x:`` and ``time: wait:``, where set."""
        out: dict[str, Any] = {"x": self.render["x"]} if "x" in self.render else {}
        return out | ({"wait": self.time["wait"]} if "wait" in self.time else {})

    def deck(self) -> tuple[tuple[str, Any], ...]:
        """The ``cards:`` settings a site's decks follow (their formats follow the site's)."""
        return tuple((k, v) for k, v in sorted(self.cards.items()) if k != "formats")

    def lint_times(self) -> dict[str, float]:
        """The thresholds the checks take (keyword arguments of ``check.validate.Session``)."""
        return {k: v for k, v in self.time.items() if k == "silent_wait"}


@dataclass(frozen=True)
class Project:
    """Where a command's inputs live."""

    #: Imports may not leave this folder.
    root: Path
    config: Config

    def is_excluded(self, path: Path) -> bool:
        """``path`` matches an ``exclude`` pattern, or lies in a folder that does."""
        try:
            rel = _where(path).relative_to(self.root)
        except ValueError:
            return False
        parts = rel.parts
        prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
        return any(fnmatch.fnmatchcase(p, pat) for pat in self.config.exclude for p in prefixes)

    def is_journey(self, path: Path) -> bool:
        """A file the pre-commit hook checks: inside the configured journeys (else below a
        ``journeys/`` folder) and not excluded."""
        resolved = _where(path)
        if resolved == self.config.path or self.is_excluded(path):
            return False
        if self.config.journeys:
            return any(resolved == j or resolved.is_relative_to(j) for j in self.config.journeys)
        try:
            folders = resolved.relative_to(self.root).parts[:-1]
        except ValueError:
            folders = resolved.parts[:-1]
        return "journeys" in folders


def _where(path: Path) -> Path:
    """Where the entry ``path`` is: its folder resolved, the name kept (a symlink, even a
    dangling or looping one, is where it stands, not where it points)."""
    return path.parent.resolve() / path.name


@cache
def config_schema() -> dict[str, Any]:
    """The JSON Schema of ``journeymap.yaml``."""
    with config_schema_path().open(encoding="utf-8") as handle:
        schema: dict[str, Any] = json.load(handle)
    return schema


def find_root(start: Path) -> tuple[Path | None, Path | None]:
    """(root, config file), walking up from the folder ``start``; (None, None) outside any.

    The first folder holding ``journeymap.yaml`` wins; the walk stops at the top of a git
    work tree (a folder holding ``.git``), which is the root when it has no config.
    """
    places = config_places(start)
    for config in places:
        if os.path.isfile(config):  # os.path: False, not PermissionError, in a locked folder
            return config.parent, config
    top = places[-1].parent
    return (top, None) if os.path.exists(top / ".git") else (None, None)


def config_places(start: Path) -> tuple[Path, ...]:
    """Where :func:`find_root` looks for ``journeymap.yaml`` from the folder ``start``, nearest
    first: each folder up to the top of the git work tree, else up to ``/``."""
    places = []
    start = start.resolve()
    for folder in (start, *start.parents):
        places.append(folder / CONFIG_NAME)
        if os.path.exists(folder / ".git"):
            break
    return tuple(places)


def find_project(start: Path) -> tuple[Path, Path | None]:
    """(root, config file or None) of the folder ``start``: as :func:`find_root`, and outside
    any project the current folder when it holds ``start``, else ``start`` itself."""
    start = start.resolve()
    root, config = find_root(start)
    cwd = Path.cwd().resolve()
    return root or (cwd if start.is_relative_to(cwd) else start), config


def read_document(path: Path) -> Document:
    """The parsed config; JourneyError with a located message when it is not YAML."""
    shown = display_path(path)
    try:
        check_link(path, path.parent)  # a link out of the project would read another file
        size = path.stat().st_size
        limits = Limits(max_bytes=MAX_CONFIG_BYTES)
        if size > MAX_CONFIG_BYTES:
            raise too_large(shown, size, limits)
        with open_regular(path) as handle:
            raw = handle.read(MAX_CONFIG_BYTES + 1)
        if not decode_utf8(raw, shown).strip():
            return Document(shown, None)  # says nothing, like a file of comments only
        return load_bytes(raw, shown, limits)
    except OSError as exc:  # unreadable (permissions)
        message = f"cannot read the file: {exc.strerror or exc}"
        raise JourneyError([Diagnostic(shown, 1, 1, "error", message, "$", "io")]) from None
    except YamlError as exc:
        fixed = _RAISE.sub("", exc.diagnostic.message)  # --limit applies to journeys only
        if fixed != exc.diagnostic.message:
            fixed += " (the limits of the project config are fixed)"
        raise JourneyError([replace(exc.diagnostic, message=fixed)]) from None


#: The loader's hint to raise a limit, which the project config's fixed limits do not take.
_RAISE = re.compile(r",? or raise the limit with --limit \w+=N(?: \(at most [\d,]+\))?")


def from_data(path: Path, data: dict[str, Any]) -> Config:
    """A Config from schema-checked data; paths resolved against the config's folder."""
    base = path.resolve().parent

    def at(value: str) -> Path:
        return resolved(base / value)  # a loop stays as written (then: no such folder)

    render = dict(data.get("render", {}))
    if "templates" in render:
        render["templates"] = at(render["templates"])
    site = dict(data.get("site", {}))
    if "output" in site:
        site["output"] = at(site["output"])
    return Config(
        path=path.resolve(),
        journeys=tuple(at(p) for p in data.get("journeys", ())),
        exclude=tuple(p.strip("/") for p in data.get("exclude", ())),
        output=at(data["output"]) if "output" in data else None,
        lang=data.get("lang"),
        render=render,
        cards=dict(data.get("cards", {})),
        site=site,
        limits=dict(data.get("limits", {})),
    )


def with_evidence(config: Config, doc: Document) -> Config:
    """``config`` carrying the ``evidence:`` of its (checked) document ``doc``, if any."""
    if not isinstance(doc.data, dict) or not doc.data.get("evidence"):
        return config
    evidence = Document(
        doc.path,
        {"evidence": doc.data["evidence"]},
        {p: m for p, m in doc.positions.items() if p[:1] == ("evidence",)},
        {p: m for p, m in doc.key_positions.items() if p[:1] == ("evidence",)},
    )
    base = config.path.parent if config.path else Path.cwd()
    return replace(config, evidence=SharedEvidence(evidence, base))
