"""Content hashes of journeys and the site manifest that records them.

A journey's hash covers its bytes, the bytes of every file it imports, the tool version, the
build options and the templates in use; an unchanged hash means its outputs can be reused.
This module imports nothing heavy so a no-op build stays fast.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from journeymap import __version__

MANIFEST = ".journeymap-cache.json"
#: Bumped whenever the manifest layout or the site's page layout changes incompatibly.
MANIFEST_VERSION = 1


def _tree_files(folder: Path) -> list[Path]:
    """Every file below ``folder`` in sorted order (hidden folders skipped)."""
    out: list[Path] = []
    for base, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        out += [Path(base) / name for name in sorted(files)]
    return out


def templates_digest(folders: list[Path]) -> str:
    """sha256 over the relative names and bytes of every template in ``folders``."""
    digest = hashlib.sha256()
    for folder in folders:
        digest.update(b"\0folder\0")
        for path in _tree_files(folder):
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def code_digest() -> str:
    """sha256 over journeymap's own source files, so a changed renderer rebuilds the site
    even when the version number did not change (a development checkout)."""
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".json") and "__pycache__" not in path.parts:
            digest.update(path.relative_to(package).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def site_key(options: dict[str, Any], templates: list[Path]) -> str:
    """What every journey's outputs depend on: version, code, options, templates."""
    text = json.dumps(
        {"version": __version__, "layout": MANIFEST_VERSION, "options": options},
        sort_keys=True,
    )
    digests = f"{code_digest()}\0{templates_digest(templates)}"
    return hashlib.sha256(f"{text}\0{digests}".encode()).hexdigest()


def journey_hash(key: str, root: Path, source: Path, imports: list[str]) -> str:
    """sha256 of the site key, the source bytes and each import (root-relative) with its bytes."""
    digest = hashlib.sha256(key.encode())
    digest.update(b"\0source\0" + source.read_bytes())
    for rel in sorted(imports):
        digest.update(b"\0import\0" + rel.encode() + b"\0")
        try:
            digest.update((root / rel).read_bytes())
        except OSError:
            digest.update(b"\0missing\0")
    return digest.hexdigest()


@dataclass
class Entry:
    """One source file as last built: its hash, imports, output folder, files and summary."""

    hash: str
    imports: list[str] = field(default_factory=list)
    library: bool = False
    slug: str | None = None
    files: list[str] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        """The manifest form of this entry."""
        return {
            "hash": self.hash,
            "imports": sorted(self.imports),
            "library": self.library,
            "slug": self.slug,
            "files": sorted(self.files),
            "summary": self.summary,
        }


@dataclass
class Manifest:
    """``SITE/.journeymap-cache.json``: the site key and one entry per source (relative path)."""

    key: str
    entries: dict[str, Entry] = field(default_factory=dict)

    @classmethod
    def read(cls, site: Path) -> Manifest | None:
        """The manifest of ``site``, or None when it is missing, unreadable or of another layout."""
        try:
            data = json.loads((site / MANIFEST).read_text(encoding="utf-8"))
            if data.get("manifest") != MANIFEST_VERSION:
                return None
            entries = {rel: Entry(**entry) for rel, entry in data["entries"].items()}
            return cls(data["key"], entries)
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return None

    def dumps(self) -> bytes:
        """Deterministic JSON bytes."""
        data = {
            "manifest": MANIFEST_VERSION,
            "key": self.key,
            "entries": {rel: self.entries[rel].as_json() for rel in sorted(self.entries)},
        }
        return (json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode()
