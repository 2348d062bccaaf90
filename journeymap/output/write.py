"""File output: never over an input, never through a planted link, always atomic.

Every command that writes goes through :func:`write_bytes` with the :class:`Guard` of what it read,
so one check decides for all of them whether an output is (or resolves to) an input.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path


class OutputError(Exception):
    """An output path that must not be written (an input, a planted link); nothing was written."""


def _identity(path: Path) -> tuple[int, int] | None:
    """(device, inode) of what ``path`` names after symlinks, or None when nothing is there."""
    try:
        st = path.stat()
    except (OSError, RuntimeError, ValueError):
        return None
    return st.st_dev, st.st_ino


def _resolved(path: Path) -> Path:
    """``path`` with symlinks and ``..`` resolved as far as they exist (a loop stays as is)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return Path(os.path.abspath(path))


class Guard:
    """The files a command reads. No output may be one of them, by any spelling: the same path,
    ``..`` detours, a symlink or a hard link to it."""

    def __init__(self, paths: Iterable[Path] = ()) -> None:
        self._paths: dict[Path, Path] = {}
        self._ids: dict[tuple[int, int], Path] = {}
        self.add(*paths)

    def add(self, *paths: Path) -> None:
        """Protect ``paths`` too."""
        for path in paths:
            self._paths.setdefault(_resolved(path), path)
            identity = _identity(path)
            if identity is not None:
                self._ids.setdefault(identity, path)

    def clash(self, target: Path) -> Path | None:
        """The input that writing ``target`` would replace, or None."""
        hit = self._paths.get(_resolved(target))
        if hit is None:
            identity = _identity(target)
            hit = self._ids.get(identity) if identity is not None else None
        return hit

    def check(self, target: Path) -> None:
        """Raise OutputError when ``target`` is an input."""
        hit = self.clash(target)
        if hit is not None:
            alias = "" if str(hit) == str(target) else f" ({target} is that file)"
            raise OutputError(
                f"refusing to overwrite the input {hit}{alias}; choose another output path "
                "(nothing was written there)"
            )


def real_folder(path: Path) -> Path:
    """Make ``path`` a folder of our own: create it, or accept an existing real folder.

    A symlink there is refused (OutputError), so a link planted at ``OUT/<journey>`` cannot
    send outputs into the folder it points at.
    """
    _not_special(path, path)
    try:
        st = path.lstat()
    except FileNotFoundError:
        _make_folder(path)
        return path
    if stat.S_ISLNK(st.st_mode):
        raise OutputError(
            f"{path} is a symbolic link; journeymap writes only into real folders, so it "
            "wrote nothing there (remove the link, or choose another -o)"
        )
    if not stat.S_ISDIR(st.st_mode):
        raise OutputError(f"{path} exists and is not a folder; nothing was written there")
    return path


_KINDS = ((stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"), (stat.S_ISFIFO, "a FIFO"),
          (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a folder"))  # fmt: skip


def blocked_folder(path: Path) -> tuple[Path, str] | None:
    """Why no folder can be at ``path``: the first part of it that exists but is not a folder
    (a file, a FIFO, a symbolic link to nothing or in a loop) and what it is ("is a file, not
    a folder"); None when the missing parts can be made."""
    for part in (*reversed(path.parents), path):
        try:
            mode = os.stat(part).st_mode
        except OSError as exc:
            if not os.path.islink(part):
                return None  # missing: made from here on (or a permission error, said by mkdir)
            if exc.errno == errno.ELOOP:
                return part, "is a symbolic link that loops"
            return part, f"is a symbolic link to {os.readlink(part)}, which does not exist"
        if not stat.S_ISDIR(mode):
            what = next((name for test, name in _KINDS if test(mode)), "a file")
            via = "a symbolic link to " if os.path.islink(part) else ""
            return part, f"is {via}{what}, not a folder"
    return None


def folder_problem(path: Path) -> str | None:
    """:func:`blocked_folder` as words about ``path``: "out is a file, not a folder", or
    "out/site: out is a file, not a folder"; None when the folder can be made."""
    blocked = blocked_folder(path)
    if blocked is None:
        return None
    part, what = blocked
    return f"{path} {what}" if part == path else f"{path}: {part} {what}"


def _make_folder(path: Path) -> None:
    """Make the folder ``path`` and its parents; OSError naming the part in the way."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        blocked = blocked_folder(path)
        if blocked is None:
            raise
        part, what = blocked
        raise OSError(exc.errno, f"{part} {what}", str(path)) from None


#: The longest file name most file systems take, in bytes.
_NAME_MAX = 255


def _temporary_prefix(name: str) -> str:
    """``.NAME.`` for the temporary file beside NAME, cut so that the temporary name (with
    mkstemp's 8 random characters and ``.tmp``) stays within ``_NAME_MAX`` bytes."""
    while len(os.fsencode(f".{name}.")) > _NAME_MAX - 12:
        name = name[:-1]
    return f".{name}."


#: Folders of the system's special files: a rename there would replace ``/dev/null`` or
#: ``/dev/stdout`` (a link into ``/proc``) itself with a file.
SPECIAL_FOLDERS = (Path("/dev"), Path("/proc"), Path("/sys"))


def _not_special(path: Path, folder: Path) -> None:
    """OutputError when ``folder`` (resolved) is in ``/dev``, ``/proc`` or ``/sys``."""
    folder = _resolved(folder)
    shared_memory = folder.is_relative_to("/dev/shm")  # a file system like /tmp
    if not shared_memory and any(folder.is_relative_to(f) for f in SPECIAL_FOLDERS):
        raise OutputError(
            f"{path} is in {folder}, among the system's special files; journeymap writes "
            "only regular files, so nothing was written (leave out -o to print, where the "
            "command can)"
        )


def _check_kind(path: Path) -> None:
    """OutputError when ``path`` is in ``/dev``, ``/proc`` or ``/sys``, or is (or is a link
    to) a device, FIFO, socket or folder."""
    _not_special(path, path.parent)
    for follow in (False, True):
        try:
            mode = (path.stat() if follow else path.lstat()).st_mode
        except (OSError, ValueError):
            return  # nothing there, or a dangling link: a new file (or a replaced link)
        what = next((name for test, name in _KINDS if test(mode)), None)
        if what is not None:
            via = " a symbolic link to" if follow else ""
            raise OutputError(
                f"{path} is{via} {what}, not a regular file; journeymap writes only regular "
                "files, so nothing was written (choose a file path)"
            )
        if not stat.S_ISLNK(mode):
            return


def write_bytes(path: Path, data: bytes, inputs: Guard | None = None) -> None:
    """Write ``data`` to ``path`` atomically; a reader sees the old file or the new, never half.

    ``path`` must not be one of ``inputs`` (OutputError), nor a device, FIFO, socket or folder
    (or a link to one but a folder). A symlink at ``path`` is replaced, not followed, so a
    planted link cannot make us overwrite the file it points at. A failure
    (a full disk) raises OSError naming ``path`` and leaves no temporary file.
    """
    if inputs is not None:
        inputs.check(path)
    _check_kind(path)
    try:
        _make_folder(path.parent)
        fd, tmp = tempfile.mkstemp(
            prefix=_temporary_prefix(path.name), suffix=".tmp", dir=path.parent
        )
    except OSError as exc:
        raise OSError(exc.errno, f"cannot write there: {exc.strerror}", str(path)) from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise OSError(exc.errno, f"cannot write it: {exc.strerror}", str(path)) from exc
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def write_text(path: Path, text: str, inputs: Guard | None = None) -> None:
    """Write UTF-8 ``text`` to ``path`` atomically (LF line endings)."""
    write_bytes(path, text.encode("utf-8"), inputs)
