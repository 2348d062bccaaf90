"""Reading journeys as git holds them: a file (with its imports and evidence) at a commit,
and the trends of a site's journeys over the last commits that touched each.

git runs as a program with an argument list (never a shell), bounded in time; revisions are
resolved with ``--end-of-options``; only the blobs a journey names inside its project root
are read, each size-checked first. A trend point is computed once per journey file and
commit (commits do not change) and kept in the site's ``history.json``, so a rebuild only
reads the commits it has not seen.
"""

from __future__ import annotations

import json
import posixpath
import re
import subprocess
import tempfile
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from journeymap.model.journey import SEVERITIES, Journey
from journeymap.source.evidence import MAX_BYTES
from journeymap.source.files import resolved
from journeymap.source.limits import Limits

#: The trends file of a site built with ``--history``.
HISTORY = "history.json"
#: The most bytes of evidence files one version may write out (the evidence reader's limit,
#: for all of them together): git stores a blob of zeros in a few KiB, so an old commit could
#: fill the disk with gigabytes of "data".
MAX_DATA = MAX_BYTES
_COMMIT = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")


class GitError(Exception):
    """git is missing, the folder is not in a repository, or a git command failed."""


def git(where: Path, *args: str) -> bytes:
    """Run ``git -C where ARGS`` (bounded in time); GitError when it fails."""
    from journeymap.output.programs import run_program
    from journeymap.source.diagnostics import RenderError

    try:
        return run_program(
            ["git", "-C", str(where), *args],
            b"",
            timeout=60,
            install_hint="reading git history needs the git program: install git",
            too_slow_hint="is the repository very large?",
        )
    except RenderError as exc:
        raise GitError(f"git {args[0]}: {exc}") from None


def top_of(folder: Path) -> Path:
    """The work tree holding ``folder``; GitError (a clear message) when there is none."""
    try:
        out = git(folder, "rev-parse", "--show-toplevel")
    except GitError as exc:
        if "install git" in str(exc):
            raise
        raise GitError(
            f"{folder} is not inside a git repository, so it has no history to read "
            "(run 'git init' and commit the journeys, or build without --history)"
        ) from None
    return Path(out.decode().strip()).resolve()


def commit_of(rev: str, folder: Path) -> str:
    """The commit ``rev`` names, resolved by ``git rev-parse --verify --end-of-options`` (so a
    value starting with ``-`` can never become an option); GitError when it names none."""
    if not rev or rev.startswith("-") or any(ord(c) < 32 or c == "\x7f" for c in rev):
        raise GitError(f"{rev!r} is not a revision (like HEAD, main or a commit hash)")
    try:
        out = git(folder, "rev-parse", "--verify", "-q", "--end-of-options", f"{rev}^{{commit}}")
    except GitError:
        raise GitError(f"{rev!r}: no such revision in this repository") from None
    return out.decode().strip()


def version_at(commit: str, file: Path, root: Path, into: Path, limits: Limits) -> Path:
    """Write ``file`` as it was at ``commit``, and the files it imports and the evidence files
    it names inside the project ``root``, into ``into`` (same layout as below ``root``); only
    those blobs are read, YAML size-checked first, evidence streamed to disk (it may be large,
    and validation reads it in one pass). GitError when the file is not in that commit."""
    from journeymap.source.loader import YamlError, load_bytes, too_large

    file = resolved(file)
    folder = file.parent
    top = top_of(folder)
    root = root.resolve()
    if not (root.is_relative_to(top) and folder.is_relative_to(root)):
        root = folder
    base = root.relative_to(top).as_posix()
    name = file.relative_to(root).as_posix()
    pending, seen, data_bytes = [(name, False)], set(), 0
    while pending:
        entry, data_file = pending.pop()
        rel = posixpath.normpath(entry)
        if rel in seen or rel.startswith("../") or rel == ".." or posixpath.isabs(rel):
            continue
        seen.add(rel)
        blob = f"{commit}:{posixpath.join(base, rel) if base != '.' else rel}"
        try:
            size = int(git(top, "cat-file", "-s", blob))
        except (GitError, ValueError):
            if rel == name:
                raise GitError(f"{file.name} does not exist at revision {commit}") from None
            continue  # a missing import: validation reports it
        if data_file:
            data_bytes += size
            if data_bytes > MAX_DATA:
                raise GitError(
                    f"{commit[:12]}:{rel}: its evidence files come to {data_bytes:,} bytes, "
                    f"more than the limit of {MAX_DATA:,} bytes"
                )
        target = into / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if data_file:
            _blob_to(top, blob, target)
            continue
        if size > limits.max_bytes:
            raise GitError(too_large(f"{commit}:{rel}", size, limits).diagnostic.message)
        data = git(top, "cat-file", "blob", blob)
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
    """(path, is an evidence file) of each import, sub-journey and evidence file a parsed
    file names."""
    if not isinstance(doc, dict):
        return []
    imports = doc.get("imports")
    evidence = doc.get("evidence")
    named = [(i, False) for i in imports if isinstance(i, str)] if isinstance(imports, list) else []
    stages = doc.get("stages")
    for stage in stages if isinstance(stages, list) else []:
        tps = stage.get("touchpoints") if isinstance(stage, dict) else None
        for item in [stage, *(tps if isinstance(tps, list) else [])]:
            if isinstance(item, dict) and isinstance(item.get("journey"), str):
                named.append((item["journey"], False))
    for source in evidence if isinstance(evidence, list) else []:
        if isinstance(source, dict) and isinstance(source.get("file"), str):
            named.append((source["file"], True))
    return named


def _blob_to(top: Path, blob: str, target: Path) -> None:
    """Stream the blob ``blob`` into ``target`` (constant memory, bounded in time)."""
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
        raise GitError(f"git cat-file {blob}: {exc}") from None


def commits(top: Path, path: Path, count: int) -> list[tuple[str, str]]:
    """The last ``count`` commits (hash, committer date YYYY-MM-DD in UTC) that touched
    ``path``, oldest first; none when the file was never committed."""
    rel = resolved(path).relative_to(top).as_posix()
    out = git(
        top, "log", f"-n{count}", "--format=%H %ct", "--end-of-options", "HEAD", "--",
        f":(literal){rel}",
    )  # fmt: skip
    found = []
    for line in out.decode("ascii", "replace").splitlines():
        sha, _, stamp = line.partition(" ")
        if _COMMIT.fullmatch(sha) and stamp.isdigit():
            day = datetime.fromtimestamp(int(stamp), UTC).strftime("%Y-%m-%d")
            found.append((sha, day))
    return found[::-1]


def point(journey: Journey) -> dict[str, Any]:
    """One journey version's trend values: mean emotion and mean measured score on 0..1,
    pain points by severity."""
    scale = journey.scale
    values = [v for tp in journey.touchpoints for v in tp.emotions.values()]
    measured = []
    for tp in journey.touchpoints:
        for x in journey.measures(tp.id):
            found = x.on_scale(scale.min, scale.max) if x.kind == "survey" else None
            if found is not None:
                measured.append(found[0])
    pains = dict.fromkeys(SEVERITIES, 0)
    for tp in journey.touchpoints:
        for note in tp.pain_points:
            pains[note.severity] += 1
    return {
        "emotion": _mean([scale.normalise(v) for v in values]),
        "measured": _mean([scale.normalise(v) for v in measured]),
        "pain_points": pains,
    }


def _mean(values: Sequence[float]) -> float | None:
    return round(sum(values) / len(values), 4) if values else None


#: Validates one journey version: (file, import root) -> the Journey (None when it is not
#: valid) and why not.
Loader = Callable[[Path, Path], "tuple[Journey | None, str]"]


def trends(
    journeys: dict[str, Path],
    root: Path,
    count: int,
    limits: Limits,
    load: Loader,
    cache: dict[str, dict[str, Any]],
) -> tuple[dict[str, list[dict[str, Any]]], list[str]]:
    """Per journey (by site page), its trend over the last ``count`` commits that touched its
    file, oldest first, and warnings (a version that does not load is skipped). ``cache``
    holds the points already computed, by ``commit:file``; it keeps only those used now,
    and gains the new ones."""
    out: dict[str, list[dict[str, Any]]] = {}
    warnings: list[str] = []
    old = dict(cache)
    cache.clear()
    if not journeys:
        return out, warnings
    top = top_of(root)
    for page, path in sorted(journeys.items()):
        real = resolved(path)
        if not real.is_relative_to(top):
            out[page] = []
            continue
        rel = real.relative_to(top).as_posix()
        series = []
        for sha, day in commits(top, path, count):
            key = f"{sha}:{rel}"
            found = old.get(key)
            if found is None:
                found = _measure(sha, path, root, limits, load)
            cache[key] = found
            if "skipped" in found:
                warnings.append(f"{rel} at {sha[:12]}: skipped in the trends: {found['skipped']}")
                continue
            series.append({"commit": sha, "date": day, **found})
        out[page] = series
    return out, warnings


def _measure(sha: str, path: Path, root: Path, limits: Limits, load: Loader) -> dict[str, Any]:
    """The point of ``path`` at commit ``sha`` ({"skipped": why} when it does not load)."""
    with tempfile.TemporaryDirectory(prefix="journeymap-history-") as tmp:
        try:
            old = version_at(sha, path, root, Path(tmp), limits)
            journey, why = load(old, Path(tmp))
        except GitError as exc:
            journey, why = None, str(exc)
    return point(journey) if journey is not None else {"skipped": why}


def read_cache(data: bytes | None, key: str) -> dict[str, dict[str, Any]]:
    """The points of an old ``history.json`` built with the same site ``key`` (nothing when
    it is missing, of another build, or not exactly the shape this module writes)."""
    try:
        doc = json.loads(data or b"")
    except ValueError:
        return {}
    if not isinstance(doc, dict) or doc.get("key") != key or not isinstance(doc.get("cache"), dict):
        return {}
    out = {}
    for name, value in doc["cache"].items():
        if isinstance(name, str) and _valid_point(value):
            out[name] = value
    return out


def _valid_point(value: object) -> bool:
    if not isinstance(value, dict):
        return False
    if set(value) == {"skipped"}:
        return isinstance(value["skipped"], str)
    pains = value.get("pain_points")
    return (
        set(value) == {"emotion", "measured", "pain_points"}
        and all(_share(value[k]) for k in ("emotion", "measured"))
        and isinstance(pains, dict)
        and set(pains) == set(SEVERITIES)
        and all(type(n) is int and n >= 0 for n in pains.values())
    )


def _share(value: object) -> bool:
    """None, or a number from 0 to 1."""
    if value is None:
        return True
    return isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value <= 1


def history_json(key: str, count: int, series: dict[str, Any], cache: dict[str, Any]) -> bytes:
    """``history.json``: each journey's trend (``series``, by page) and the point cache."""
    data = {"history": count, "journeys": series, "key": key, "cache": cache}
    return (json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode()
