"""Finding and reading source files: regular files only, inside the tree, size-checked first.

Every command reads journeys through :func:`read_source` and finds them with
:func:`discover`, so a FIFO named ``x.yaml`` never blocks, ``/dev/zero`` is never read, a
symlink loop or a dangling link fails that one file, and a 1.5 GB file is refused before a
byte of it is read.
"""

from __future__ import annotations

import errno
import io
import os
import re
import stat
from collections.abc import Iterable
from pathlib import Path

from journeymap.source.diagnostics import Diagnostic, display_path
from journeymap.source.limits import DEFAULT_LIMITS, Limits
from journeymap.source.loader import YamlError, too_large

SUFFIXES = (".yaml", ".yml")
#: The manifest a site build writes; a folder holding one is a built site, never input.
SITE_MANIFEST = ".journeymap-cache.json"
#: Characters the site manifest refuses in a path (controls, which split log lines, and the
#: backslash, a folder separator elsewhere); a build never records a source named so.
UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f\\]")


def _fail(path: Path, message: str) -> YamlError:
    return YamlError(Diagnostic(display_path(path), 1, 1, "error", message, "$", "io"))


def _check_name(path: Path) -> None:
    try:
        os.fsencode(path).decode("utf-8")
    except UnicodeDecodeError:
        raise _fail(path, "the file name is not valid UTF-8; rename the file") from None


def check_link(path: Path, root: Path | None) -> None:
    """A symlink must lead to an existing file inside ``root``."""
    if not path.is_symlink():
        return
    try:
        target = path.resolve(strict=True)
    except RuntimeError:
        raise _fail(path, "is a symbolic link that loops; remove or fix the link") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise _fail(path, "is a symbolic link that loops; remove or fix the link") from None
        raise _fail(
            path, f"is a symbolic link to {os.readlink(path)}, which does not exist"
        ) from None
    if root is not None and not target.is_relative_to(root.resolve()):
        raise _fail(
            path,
            f"is a symbolic link to {target}, outside the project root "
            f"({display_path(root)}); journeymap does not follow links out of it",
        )


class NotRegularError(OSError):
    """The path names a folder, FIFO, socket or device, not a regular file."""


def open_regular(path: Path, *, follow: bool = True) -> io.BufferedReader:
    """``path`` opened for reading when it is a regular file; NotRegularError otherwise.

    Opening never blocks (a FIFO is opened non-blocking, then refused); with ``follow``
    False a symlink at ``path`` is refused too (OSError ELOOP).
    """
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags | (0 if follow else os.O_NOFOLLOW))
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise NotRegularError(errno.EINVAL, "not a regular file", str(path))
    os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")


def open_source(path: Path, root: Path | None = None) -> io.BufferedReader:
    """The file ``path`` open for reading, or YamlError (located at 1:1) when it is not a
    regular file with a UTF-8 name, or is a link out of ``root`` or loops."""
    _check_name(path)
    check_link(path, root)
    try:
        return open_regular(path)
    except NotRegularError:
        raise _fail(
            path,
            "is not a regular file (a folder, FIFO, socket or device); "
            "journeymap reads only regular files",
        ) from None
    except OSError as exc:
        if os.path.isdir(path):
            raise _fail(
                path, f"cannot list the folder: {exc.strerror or exc}; its journeys were not read"
            ) from None
        raise _fail(path, f"cannot read the file: {exc.strerror or exc}") from None


def problem_in_folder(folder: Path, path: Path) -> str | None:
    """Why ``path`` in ``folder`` (a templates folder) must not be read, or None when it may:
    it is a symbolic link out of the folder (a pull request's templates could otherwise
    publish any file of the machine), or not a regular file (a FIFO would block)."""
    target = Path(os.path.realpath(path))
    if not target.is_relative_to(os.path.realpath(folder)):
        return f"is a symbolic link to {target}, outside its folder"
    try:
        mode = target.stat().st_mode
    except OSError as exc:
        return f"cannot be read ({exc.strerror})"
    return None if stat.S_ISREG(mode) else "is not a regular file"


def read_source(path: Path, limits: Limits = DEFAULT_LIMITS, root: Path | None = None) -> bytes:
    """The bytes of the source file ``path``, or YamlError (located at 1:1) when it is not a
    regular file with a UTF-8 name, is a link out of ``root`` or loops, or is over
    ``limits.max_bytes`` (checked before reading)."""
    with open_source(path, root) as handle:
        size = os.fstat(handle.fileno()).st_size
        if size > limits.max_bytes:
            raise too_large(display_path(path), size, limits)
        try:
            raw = handle.read(limits.max_bytes + 1)
        except OSError as exc:
            raise _fail(path, f"cannot read the file: {exc.strerror or exc}") from None
    if len(raw) > limits.max_bytes:
        raise too_large(display_path(path), len(raw), limits)
    return raw


def looked_for(target: Path) -> str:
    """``target`` (a path that names no file) as shown in "not found (looked for ...)", said
    to be a symbolic link that loops when it is one."""
    try:
        os.stat(target)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return f"{display_path(target)}, a symbolic link that loops"
    return display_path(target)


def resolved(path: Path) -> Path:
    """``path`` resolved, or made absolute as written when it cannot be (a symlink loop)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return Path(os.path.abspath(path))


def is_site(folder: Path) -> bool:
    """True when ``folder`` holds a site manifest (whatever its state)."""
    return os.path.lexists(folder / SITE_MANIFEST)


def discover(paths: Iterable[Path], skip: Iterable[Path] = ()) -> tuple[list[Path], list[Path]]:
    """YAML files under ``paths`` (folders searched recursively, sorted) and missing paths.

    Hidden folders, folders holding a site manifest (a built site's ``source.yaml`` copies
    are not journeys) and the folders in ``skip`` (an output folder) are not searched.
    Entries are listed, not opened: :func:`read_source` decides what each one is (a folder
    that cannot be listed is an entry, so reading it fails, located).
    """
    skipped = {p.resolve() for p in skip}

    def searched(folder: Path) -> bool:
        return not is_site(folder) and folder.resolve() not in skipped

    found: dict[Path, None] = {}
    missing: list[Path] = []
    for path in paths:
        if path.is_dir():
            if not searched(path):
                continue
            # A folder that cannot be listed is kept as an entry: reading it fails, located,
            # where os.walk alone would skip it and its journeys without a word.
            unlisted = lambda error: found.setdefault(Path(error.filename), None)  # noqa: E731
            for folder, dirs, files in os.walk(path, onerror=unlisted):
                dirs[:] = sorted(
                    d for d in dirs if not d.startswith(".") and searched(Path(folder) / d)
                )
                for name in sorted(files):
                    if name.endswith(SUFFIXES) and not name.startswith("."):
                        found[Path(folder) / name] = None
        elif os.path.lexists(path):
            found[path] = None
        else:
            missing.append(path)
    return list(found), missing
