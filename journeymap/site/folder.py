"""The site folder: where a build may publish, which files in it the build wrote (its manifest
says), which it keeps, and the temporary folders beside it.

A build makes a fresh folder beside the site and swaps it in with two renames. Files in the
old site that the manifest does not list (a ``CNAME``, notes, a logo) are linked into the new
folder first, so publishing removes only what journeymap wrote; one that a new output would
replace stops the build, and nothing changes.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import stat
import tempfile
from pathlib import Path

from journeymap.site.cache import MANIFEST, Manifest, ManifestError


class SiteError(Exception):
    """The site folder cannot be used; the message says why and what to do."""


def _is_mount(folder: Path) -> bool:
    """True for a mount point, a bind mount of a folder of the same file system included."""
    if os.path.ismount(folder) or folder.stat().st_dev != folder.parent.stat().st_dev:
        return True
    try:  # fields: id, parent, major:minor, root, mount point (octal escapes), ...
        with open("/proc/self/mountinfo", "rb") as handle:
            lines = handle.read(16 * 1024 * 1024).splitlines()
    except OSError:
        return False
    wanted = os.fsencode(folder.resolve())
    points = {line.split(b" ")[4] for line in lines if line.count(b" ") >= 4}
    return any(_unescape(point) == wanted for point in points)


def _unescape(field: bytes) -> bytes:
    """A mountinfo path: space, tab, newline and backslash are written as octal escapes."""
    return re.sub(rb"\\([0-7]{3})", lambda m: bytes([int(m.group(1), 8)]), field)


def check_target(site: Path, sources: list[Path]) -> Path:
    """The site folder as an absolute path; SiteError when a build cannot publish there by
    renaming (``/``, a mount point, the current folder) or when it holds its own sources."""
    site = Path(os.path.abspath(site))
    if site.is_symlink():
        raise SiteError(f"{site} is a symbolic link; give the folder it points to as -o")
    resolved = site.resolve()
    if resolved == resolved.parent:
        raise SiteError(f"{site} is the root folder; choose a folder for the site, like -o site")
    cwd = Path.cwd().resolve()
    if cwd.is_relative_to(resolved):
        raise SiteError(
            f"{site} is the current folder or holds it; a build publishes by renaming the site "
            "folder, so choose a subfolder, like -o site"
        )
    if site.exists():
        if not site.is_dir():
            raise SiteError(f"{site} exists and is not a folder")
        if _is_mount(site):
            raise SiteError(
                f"{site} is a mount point; a build publishes by renaming the site folder, "
                "so choose a folder inside it"
            )
    for source in sources:
        if source.resolve().is_relative_to(resolved):
            raise SiteError(
                f"{site} holds {source}, a source of the build; keep the site and the "
                "journeys in separate folders"
            )
    return site


def read_manifest(site: Path) -> Manifest | None:
    """The manifest of the old site (None for a new or empty folder); SiteError for a folder
    journeymap did not build, or whose manifest it cannot trust."""
    if not site.exists():
        return None
    if os.path.lexists(site / MANIFEST):
        try:
            return Manifest.read(site)
        except ManifestError as exc:
            raise SiteError(
                f"{site / MANIFEST} {exc}: journeymap cannot tell which files in {site} it "
                "wrote, so it changed nothing; remove the folder yourself or choose another -o"
            ) from None
    if any(site.iterdir()):
        raise SiteError(
            f"{site} is not empty and was not built by journeymap; choose a new or empty folder"
        )
    return None


def owned(manifest: Manifest | None) -> set[str]:
    """Site-relative paths of every file the old build wrote, by its manifest."""
    if manifest is None:
        return set()
    return set(manifest.top) | {path for e in manifest.entries.values() for path in e.owned()}


def is_real_folder(path: Path) -> bool:
    """A folder, not a symlink to one."""
    try:
        return stat.S_ISDIR(path.lstat().st_mode)
    except OSError:
        return False


def link(source: Path, target: Path) -> None:
    """Hard-link ``source`` (a symlink stays a symlink) at ``target``; copy where links fail."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target, follow_symlinks=False)
    except OSError:
        shutil.copy2(source, target, follow_symlinks=False)


def carry_over(site: Path, staging: Path, ours: set[str]) -> list[str]:
    """Link every file of ``site`` not in ``ours`` into ``staging`` at the same place (empty
    folders too); the kept paths. SiteError (nothing changed) when a new output is where such
    a file is, or a folder cannot be read."""
    our_folders = {path.rsplit("/", 1)[0] for path in ours if "/" in path}
    kept: list[str] = []
    clashes: list[str] = []

    def unreadable(error: OSError) -> None:
        raise SiteError(f"cannot read {error.filename} in the old site: {error.strerror}")

    for folder, dirs, files in os.walk(site, onerror=unreadable):
        base = Path(folder)
        rel_base = base.relative_to(site)
        links = [d for d in dirs if (base / d).is_symlink()]
        dirs[:] = sorted(d for d in dirs if d not in links)
        if not files and not dirs and rel_base.parts and rel_base.as_posix() not in our_folders:
            files = [""]  # keep the empty folder itself
        for name in sorted(files + links):
            rel = (rel_base / name).as_posix()
            if rel in ours:
                continue
            target = staging / rel_base / name
            if (name and os.path.lexists(target)) or not _fits(staging, rel_base):
                clashes.append(rel)
            elif name:
                link(base / name, target)
                kept.append(rel)
            else:
                target.mkdir(parents=True, exist_ok=True)
                kept.append(f"{rel}/")
    if clashes:
        listed = ", ".join(sorted(clashes)[:10]) + (" ..." if len(clashes) > 10 else "")
        raise SiteError(
            f"{site} holds files journeymap did not build where the new site puts its own: "
            f"{listed}; move them, then build again (nothing was changed)"
        )
    return sorted(kept)


def _fits(staging: Path, rel_folder: Path) -> bool:
    """No file of the new site stands where ``rel_folder`` (or a parent of it) must be."""
    path = staging
    for part in rel_folder.parts:
        path = path / part
        if os.path.lexists(path) and not is_real_folder(path):
            return False
    return True


_TEMP = re.compile(r"\.(?P<site>.+)\.(?P<kind>build|old)-(?P<pid>\d+)-[^/]+")


def staging_folder(site: Path) -> Path:
    """A new, empty folder beside ``site``, named with our process id (see ``clean_stale``)."""
    site.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{site.name}.build-{os.getpid()}-", dir=site.parent))
    staging.chmod(0o755)
    return staging


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean_stale(site: Path) -> list[str]:
    """Remove the temporary folders a killed build left beside ``site`` (their process is
    gone); an old site left mid-swap is put back first. The names removed."""
    removed = []
    with contextlib.suppress(OSError):
        names = sorted(os.listdir(site.parent))
        for name in names:
            match = _TEMP.fullmatch(name)
            folder = site.parent / name
            if (
                not match
                or match["site"] != site.name
                or _running(int(match["pid"]))
                or not is_real_folder(folder)
            ):
                continue
            if match["kind"] == "old" and is_real_folder(folder / "site") and not site.exists():
                os.rename(folder / "site", site)
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(name)
    return removed


def swap(staging: Path, site: Path) -> None:
    """Put ``staging`` in place of ``site``; SIGINT/SIGTERM wait until both renames are done."""
    blocked = {signal.SIGINT, signal.SIGTERM}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, blocked)
    old: Path | None = None
    try:
        if site.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{site.name}.old-{os.getpid()}-", dir=site.parent))
            try:
                os.rename(site, old / "site")
            except OSError:
                old.rmdir()
                raise
        try:
            os.rename(staging, site)
        except OSError:
            if old is not None:
                os.rename(old / "site", site)
            raise
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
