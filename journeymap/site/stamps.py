"""Which files of a site are the very ones a build on this machine wrote: their stamps.

A stamp is what ``lstat`` says of a file that no copy can reproduce: device, inode and
status-change time (set by the kernel, never by ``touch``), with the size and modification
time. ``git checkout``, ``cp``, ``rsync``, ``tar`` and a CI cache restore all make new files,
so a site committed to a repository or brought from elsewhere has no valid stamps, and its
manifest is checked as untrusted input (each summary made again from its journey); a site this
machine built and nobody touched since is reused on the stamps alone, without reading a byte.

The stamps file itself is the one file not stamped: whoever can rewrite it in place can also
replace the program that reads it. It is a local cache, like the source times the manifest
keeps; a build that finds it missing or malformed only checks more.
"""

from __future__ import annotations

import contextlib
import json
import stat
from collections.abc import Iterable
from pathlib import Path

from journeymap.source.files import open_regular

#: The stamps file at the top of a site.
STAMPS = ".journeymap-stamps.json"
_MAX_BYTES = 16 * 1024 * 1024

Stamp = tuple[int, int, int, int, int]


def _stamp(path: Path) -> Stamp | None:
    """``path``'s stamp, or None when it is not a regular file (a link, a folder, gone)."""
    try:
        info = path.lstat()
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    return (info.st_dev, info.st_ino, info.st_ctime_ns, info.st_mtime_ns, info.st_size)


def take(site: Path, names: Iterable[str]) -> bytes:
    """The stamps file for the site-relative ``names`` as they are now."""
    files = {}
    for name in sorted(set(names) - {STAMPS}):
        found = _stamp(site / name)
        if found is not None:
            files[name] = list(found)
    return json.dumps({"stamps": 1, "files": files}, separators=(",", ":")).encode()


def read(site: Path) -> dict[str, Stamp]:
    """The stamps the site's stamps file gives; none for a missing, odd or malformed one."""
    try:
        with open_regular(site / STAMPS, follow=False) as handle:
            data = json.loads(handle.read(_MAX_BYTES))  # a longer file: cut, invalid JSON
    except (OSError, ValueError):
        return {}
    files = data.get("files") if isinstance(data, dict) and data.get("stamps") == 1 else None
    if not isinstance(files, dict):
        return {}
    return {
        name: (value[0], value[1], value[2], value[3], value[4])
        for name, value in files.items()
        if isinstance(name, str)
        and isinstance(value, list)
        and len(value) == 5
        and all(type(v) is int for v in value)
    }


def holds(site: Path, stamps: dict[str, Stamp], name: str) -> bool:
    """Whether ``site/name`` is the very file the stamps were taken of, untouched since."""
    known = stamps.get(name)
    return known is not None and _stamp(site / name) == known


def write(site: Path, names: Iterable[str]) -> None:
    """Stamp ``names`` in the published ``site``. A failure (a full disk) only leaves the
    next build without stamps, so it checks more; it is not an error of this build."""
    from journeymap.output.write import write_bytes

    with contextlib.suppress(OSError):
        write_bytes(site / STAMPS, take(site, names))
