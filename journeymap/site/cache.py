"""Content hashes of journeys and the site manifest that records them.

A journey's hash covers its bytes, the bytes of every file it imports or reads as evidence,
the tool version, the build options and the templates in use; an unchanged hash means its
outputs can be reused. Imported and evidence files are hashed streaming, whatever their
size, and the manifest keeps each one's size, modification time and sha256, so an unchanged
file (same size and time) is not read again. This module imports nothing heavy so a no-op
build stays fast.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from journeymap import __version__
from journeymap.site.stamps import STAMPS
from journeymap.source.files import (
    SITE_MANIFEST,
    UNSAFE_NAME,
    NotRegularError,
    open_regular,
    open_source,
    problem_in_folder,
    read_source,
)
from journeymap.source.limits import Limits
from journeymap.source.loader import YamlError

MANIFEST = SITE_MANIFEST
#: Bumped whenever the manifest layout or the site's page layout changes incompatibly.
#: 2: each file listed with its sha256. Version 1 manifests are still read (their lists of
#: written files tell the build what it may remove), but nothing in them is reused.
MANIFEST_VERSION = 2
#: The top-level files version 1 builds wrote (its manifest did not list them).
V1_TOP_FILES: tuple[str, ...] = ("index.html", "journeys.json", "journey.schema.json", MANIFEST)


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
            why = problem_in_folder(folder, path)  # a FIFO or a link out is never read
            digest.update(why.encode() if why else _file_sha256(path))
    return digest.hexdigest()


def _file_sha256(path: Path) -> bytes:
    try:
        with open_regular(path) as handle:
            return hashlib.file_digest(handle, "sha256").digest()
    except OSError as exc:
        return f"unreadable: {exc.strerror}".encode()


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


#: (size in bytes, modification time in ns, sha256) of a file as last hashed.
Fingerprint = tuple[int, int, str]
#: A file changed this shortly (ns) before a build started, or during it, may change again
#: within its clock tick (a second on many file systems, two on FAT) keeping its size and
#: time: its fingerprint is not kept, so the next build reads it again (git's "racy" rule).
RACY_NS = 2_000_000_000


class Fingerprints:
    """The fingerprints of imported and evidence files (root-relative), from the manifest and
    from this build: a file whose size and modification time match is not read again.

    Only a file last modified at least ``RACY_NS`` before ``start`` (the build's start, by
    default now) gets its fingerprint kept, however long the build then takes.
    """

    def __init__(self, known: Iterable[tuple[str, Fingerprint]] = (), start: int = 0) -> None:
        self.known: dict[str, Fingerprint] = dict(known)
        self.settled = (start or time.time_ns()) - RACY_NS

    def digest(self, root: Path, rel: str) -> Fingerprint | None:
        """The fingerprint of ``root/rel``, or None when it is not a regular file inside
        ``root`` (a link or a folder out of it, a FIFO, a device, gone)."""
        path = root / rel
        try:
            if not path.resolve().is_relative_to(root.resolve()):
                return None
            with open_source(path, root) as handle:
                info = os.fstat(handle.fileno())
                known = self.known.get(rel)
                if known is not None and known[:2] == (info.st_size, info.st_mtime_ns):
                    return known
                sha = hashlib.file_digest(handle, "sha256").hexdigest()
        except (OSError, RuntimeError, YamlError):
            return None
        found = (info.st_size, info.st_mtime_ns, sha)
        if info.st_mtime_ns < self.settled:
            self.known[rel] = found
        return found

    def of(self, imports: Iterable[str]) -> dict[str, Fingerprint]:
        """The kept fingerprints of ``imports`` (for the manifest)."""
        return {rel: self.known[rel] for rel in sorted(imports) if rel in self.known}


def journey_hash(
    key: str,
    root: Path,
    source: Path,
    imports: list[str],
    limits: Limits,
    prints: Fingerprints | None = None,
) -> str:
    """sha256 of the site key, the source bytes and each import (root-relative) with the
    sha256 and size of its bytes (``prints`` reuses what an earlier build read).

    The source is read as sources are (a regular file, size-checked first); an import is
    hashed streaming, without the source size limit (an evidence export may be large). One
    that cannot be read hashes as unreadable, so the journey is rebuilt and its worker
    reports why.
    """
    prints = prints if prints is not None else Fingerprints()
    digest = hashlib.sha256(key.encode())
    digest.update(b"\0source\0\0")
    try:
        digest.update(read_source(source, limits, root))
    except YamlError:
        digest.update(b"\0unreadable\0")
    for rel in sorted(imports):
        digest.update(f"\0import\0{rel}\0".encode())
        found = prints.digest(root, rel)
        digest.update(b"\0unreadable\0" if found is None else f"{found[0]}\0{found[2]}".encode())
    return digest.hexdigest()


def file_digest(path: Path) -> str:
    """sha256 of the regular file ``path`` (never through a symlink); '' when it is not one."""
    try:
        with open_regular(path, follow=False) as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return ""


@dataclass
class Entry:
    """One source file as last built: its hash, imports, output folder, files and summary."""

    hash: str
    imports: list[str] = field(default_factory=list)
    library: bool = False
    slug: str | None = None
    #: Each file written into the journey's folder, with the sha256 of its bytes.
    files: dict[str, str] = field(default_factory=dict)
    summary: dict[str, Any] = field(default_factory=dict)
    #: Each import's size, modification time and sha256 when its hash was taken.
    fingerprints: dict[str, Fingerprint] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        """The manifest form of this entry."""
        return {
            "hash": self.hash,
            "imports": sorted(self.imports),
            "fingerprints": {
                rel: list(self.fingerprints[rel]) for rel in sorted(self.fingerprints)
            },
            "library": self.library,
            "slug": self.slug,
            "files": dict(sorted(self.files.items())),
            "summary": self.summary,
        }

    def owned(self) -> list[str]:
        """Site-relative paths of the files this entry says the build wrote."""
        return [f"{self.slug}/{name}" for name in sorted(self.files)] if self.slug else []


class ManifestError(Exception):
    """The site manifest is not one journeymap wrote; the message says what is wrong."""


@dataclass
class Manifest:
    """``SITE/.journeymap-cache.json``: the site key and one entry per source (relative path)."""

    key: str
    entries: dict[str, Entry] = field(default_factory=dict)
    #: The files the build wrote at the top of the site (the manifest itself included).
    top: list[str] = field(default_factory=lambda: list(V1_TOP_FILES))

    @classmethod
    def read(cls, site: Path) -> Manifest:
        """The manifest of ``site``, strictly checked (it is untrusted input: a committed site
        can be changed by anyone who can open a pull request); ManifestError otherwise."""
        path = site / MANIFEST
        try:
            with open_regular(path, follow=False) as handle:
                raw = handle.read(MAX_MANIFEST_BYTES + 1)
        except NotRegularError:
            raise ManifestError("is not a regular file") from None
        except OSError as exc:
            raise ManifestError(f"cannot be read ({exc.strerror})") from None
        if len(raw) > MAX_MANIFEST_BYTES:
            raise ManifestError(f"is larger than {MAX_MANIFEST_BYTES:,} bytes")
        try:
            data = json.loads(raw.decode("utf-8"))
        except ValueError as exc:
            raise ManifestError(f"is not JSON ({exc})") from None
        return parse_manifest(data)

    def dumps(self) -> bytes:
        """Deterministic JSON bytes."""
        data = {
            "manifest": MANIFEST_VERSION,
            "key": self.key,
            "entries": {rel: self.entries[rel].as_json() for rel in sorted(self.entries)},
            "top": sorted({*self.top, MANIFEST}),
        }
        text = json.dumps(data, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
        return (text + "\n").encode()


_HEX = re.compile(r"[0-9a-f]{64}")
#: A journey folder: what ``slug.folder_names`` makes.
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
#: A file the build writes: what the renderers and the page writers name (or the manifest).
#: A journey's page: what the build links levels to.
_PAGE = re.compile(_SLUG.pattern + r"/index\.html")
_FILE = re.compile(r"[a-z0-9]+(?:[._-][a-z0-9]+)*|" + re.escape(MANIFEST) + "|" + re.escape(STAMPS))
MAX_MANIFEST_BYTES = 64 * 1024 * 1024


def _need(condition: bool, what: str) -> None:
    if not condition:
        raise ManifestError(what)


def _rel(value: object, what: str) -> str:
    """A root-relative POSIX path with no ``..``, ``.``, empty or absolute parts."""
    _need(isinstance(value, str) and 0 < len(value) <= 4096, f"{what} is not a relative path")
    assert isinstance(value, str)
    parts = value.split("/")
    _need(
        all(p not in ("", ".", "..") and not UNSAFE_NAME.search(p) for p in parts),
        f"{what} {value!r} is not a plain relative path",
    )
    return value


def _text(value: object) -> bool:
    return isinstance(value, str)


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _page(value: object) -> bool:
    """A journey's page in the site: ``<slug>/index.html``."""
    return isinstance(value, str) and bool(_PAGE.fullmatch(value))


def _levels(value: object) -> bool:
    """A summary's ``levels``: sub-journeys named and journeys it is part of, each field
    of the type the build writes, every page a journey page."""
    if not isinstance(value, dict) or set(value) != {"details", "part_of"}:
        return False
    details, part_of = value["details"], value["part_of"]
    fields = {"file", "title", "stage", "touchpoint", "page"}
    return (
        isinstance(details, list)
        and all(
            isinstance(d, dict)
            and set(d) == fields
            and (d["file"] is None or (_text(d["file"]) and not _rel_problem(d["file"])))
            and _text(d["title"])
            and _text(d["stage"])
            and (d["touchpoint"] is None or _text(d["touchpoint"]))
            and (d["page"] is None or _page(d["page"]))
            for d in details
        )
        and isinstance(part_of, list)
        and all(
            isinstance(p, dict)
            and set(p) == {"title", "page"}
            and _text(p["title"])
            and _page(p["page"])
            for p in part_of
        )
    )


def _rel_problem(value: str) -> bool:
    """True when ``value`` is not a path ``_rel`` accepts."""
    try:
        _rel(value, "a file")
    except ManifestError:
        return True
    return False


def _summary(summary: object, rel: str, slug: str, files: dict[str, str]) -> dict[str, Any]:
    """The index summary, its links exactly the shapes the build makes and its facts typed."""
    _need(isinstance(summary, dict), f"entry {rel!r}: summary is not an object")
    assert isinstance(summary, dict)
    expected = {
        "source": rel,
        "page": f"{slug}/index.html",
        "yaml": f"{slug}/source.yaml",
        "files": [f"{slug}/{name}" for name in sorted(files)],
    }
    for name, value in expected.items():
        _need(summary.get(name) == value, f"entry {rel!r}: summary {name} is not {value!r}")
    emotion = summary.get("emotion")
    checks = {
        "id": _text(summary.get("id")),
        "title": _text(summary.get("title")),
        "summary": summary.get("summary") is None or _text(summary.get("summary")),
        "owner": summary.get("owner") is None or _text(summary.get("owner")),
        "state": summary.get("state") is None or _text(summary.get("state")),
        "tags": isinstance(summary.get("tags"), list) and all(map(_text, summary["tags"])),
        "personas": isinstance(summary.get("personas"), list)
        and all(map(_text, summary["personas"])),
        "pain_points": isinstance(summary.get("pain_points"), dict)
        and all(_text(k) and _number(v) for k, v in summary["pain_points"].items()),
        "emotion": isinstance(emotion, dict)
        and isinstance(emotion.get("sparkline"), list)
        and all(v is None or _number(v) for v in emotion["sparkline"]),
        **{n: _number(summary.get(n)) for n in ("stages", "touchpoints", "opportunities")},
        "levels": "levels" not in summary or _levels(summary["levels"]),
    }
    bad = sorted(name for name, ok in checks.items() if not ok)
    _need(not bad, f"entry {rel!r}: summary field {', '.join(bad)} has the wrong type")
    return summary


def _entry(rel: str, value: object, version: int) -> Entry:
    _need(isinstance(value, dict), f"entry {rel!r} is not an object")
    assert isinstance(value, dict)
    keys = {"hash", "imports", "library", "slug", "files", "summary"}
    optional = {"fingerprints"} & set(value)  # written since fingerprints were kept
    _need(
        set(value) == keys | optional,
        f"entry {rel!r} does not have exactly the fields {sorted(keys)}",
    )
    _need(isinstance(value["hash"], str) and bool(_HEX.fullmatch(value["hash"])), "bad hash")
    imports = value["imports"]
    _need(isinstance(imports, list), f"entry {rel!r}: imports is not a list")
    library, slug, files = value["library"], value["slug"], value["files"]
    _need(isinstance(library, bool), f"entry {rel!r}: library is not true or false")
    if version == 1 and isinstance(files, list):
        files = dict.fromkeys(files, "")  # written before files carried their hashes
    _need(isinstance(files, dict), f"entry {rel!r}: files is not an object")
    for name, digest in files.items():
        _need(bool(_FILE.fullmatch(name)) and len(name) <= 100, f"bad file name {name!r}")
        _need(digest == "" or bool(_HEX.fullmatch(str(digest))), f"bad hash of {name!r}")
    if library:
        _need(slug is None and not files, f"library entry {rel!r} lists a folder or files")
        summary: dict[str, Any] = {}
    else:
        _need(isinstance(slug, str) and len(slug) <= 100, f"entry {rel!r} has no folder")
        _need(bool(_SLUG.fullmatch(slug)), f"entry {rel!r}: folder {slug!r} is not a slug")
        summary = _summary(value["summary"], rel, slug, files)
    imports = [_rel(i, f"entry {rel!r}: import") for i in imports]
    return Entry(
        hash=value["hash"],
        imports=imports,
        library=library,
        slug=slug,
        files=files,
        summary=summary,
        fingerprints=_fingerprints(value.get("fingerprints", {}), rel, set(imports)),
    )


def _fingerprints(value: object, rel: str, imports: set[str]) -> dict[str, Fingerprint]:
    """An entry's fingerprints: for its imports only, each [size, mtime_ns, sha256]."""
    _need(isinstance(value, dict), f"entry {rel!r}: fingerprints is not an object")
    assert isinstance(value, dict)
    out: dict[str, Fingerprint] = {}
    for name, item in value.items():
        _need(name in imports, f"entry {rel!r}: fingerprint of {name!r}, which it does not import")
        ok = (
            isinstance(item, list)
            and len(item) == 3
            and all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in item[:2])
            and isinstance(item[2], str)
            and bool(_HEX.fullmatch(item[2]))
        )
        _need(ok, f"entry {rel!r}: fingerprint of {name!r} is not [size, mtime_ns, sha256]")
        out[name] = (item[0], item[1], item[2])
    return out


def parse_manifest(data: object) -> Manifest:
    """A Manifest from decoded JSON, or ManifestError: every path, folder and file name must
    have the shape the build makes, so none can point outside the site or at a link."""
    _need(isinstance(data, dict), "is not a JSON object")
    assert isinstance(data, dict)
    version = data.get("manifest")
    _need(version in (1, MANIFEST_VERSION), f"has an unknown layout version {version!r}")
    fields = {"manifest", "key", "entries"} | ({"top"} if version == MANIFEST_VERSION else set())
    _need(set(data) == fields, "does not have the expected fields")
    top = data.get("top", list(V1_TOP_FILES))
    _need(
        isinstance(top, list) and all(isinstance(n, str) and _FILE.fullmatch(n) for n in top),
        "top is not a list of file names",
    )
    _need(isinstance(data["key"], str) and bool(_HEX.fullmatch(data["key"])), "has a bad key")
    _need(isinstance(data["entries"], dict), "entries is not an object")
    entries = {
        _rel(rel, "a source"): _entry(rel, value, 1 if version == 1 else MANIFEST_VERSION)
        for rel, value in data["entries"].items()
    }
    slugs = [e.slug for e in entries.values() if e.slug is not None]
    _need(len(set(slugs)) == len(slugs), "lists one folder for two journeys")
    return Manifest(data["key"], entries, [*top, MANIFEST])
