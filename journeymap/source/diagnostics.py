"""Diagnostics: one located problem in an input file, and the exception that carries them."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Level = Literal["error", "warning"]

#: Characters that must not reach a terminal or a CI log as they are: C0 and C1 controls
#: (ESC, CR, LF, NEL, CSI, ...), the Unicode line and paragraph separators, the bidi
#: embeddings, overrides and isolates (which reorder what follows), and lone surrogates
#: (undecodable bytes of a file name).
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
#: A GitHub Actions workflow command at the start of a text (``::error::``, ``::add-mask::``,
#: ``::stop-commands::``): the runner acts on a log line that starts with one, after spaces.
_WORKFLOW = re.compile(r"\A( *):(?=:)")


def _escape_char(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    if "\udc80" <= char <= "\udcff":  # a byte of a file name that is not UTF-8
        return f"\\x{ord(char) - 0xDC00:02x}"
    return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"


def printable(text: str) -> str:
    """User text safe for one line of a terminal or CI log: every control character, line
    break, bidi control and lone surrogate written as an escape (``\\n``, ``\\x1b``,
    ``\\u2028``), so a name or value can never start a line (a GitHub ``::error``) or send
    a terminal sequence; a text that starts with ``::`` gets its first colon as ``\\x3a``, so
    a title or file name printed at the start of a line is no workflow command either.
    Reporters and every command that prints user text use it."""
    return _WORKFLOW.sub(r"\1\\x3a", _UNPRINTABLE.sub(_escape_char, text), count=1)


@dataclass(frozen=True, order=True)
class Diagnostic:
    """A problem at ``path:line:col`` (both 1-based), with the JSON path of the node."""

    path: str
    line: int
    col: int
    level: Level
    message: str
    #: JSON path of the node concerned, like ``$.stages[0].touchpoints[2].emotion``.
    json_path: str = "$"
    #: Short machine-readable kind, like ``yaml-syntax`` or ``unknown-reference``.
    code: str = "error"

    def __str__(self) -> str:
        """``path:line:col: level: message`` on one line, user text escaped."""
        return (
            f"{printable(self.path)}:{self.line}:{self.col}: {self.level}: "
            f"{printable(self.message)}"
        )


class JourneyError(Exception):
    """Raised by the library API when a journey cannot be used; carries every diagnostic."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = sorted(diagnostics)
        first = self.diagnostics[0] if self.diagnostics else None
        count = len(self.diagnostics)
        summary = str(first) if first else "invalid journey"
        if count > 1:
            summary += f" (and {count - 1} more)"
        super().__init__(summary)


class RenderError(Exception):
    """A renderer could not produce an output; the message says what to do."""


class ToolMissingError(RenderError):
    """An external program (dot, rsvg-convert) is not installed."""


def display_path(path: str | os.PathLike[str]) -> str:
    """``path`` as shown in messages: relative to the working directory when inside it.

    Bytes of a name that is not UTF-8 are shown as ``\\xff`` escapes, so the message can
    always be printed.
    """
    p = Path(path)
    try:  # the folder resolved, not the file: a symlink is shown by its own name
        parent = p.parent.resolve(strict=True)
    except (OSError, RuntimeError):  # missing, or behind a dangling link: as written
        parent = Path(os.path.abspath(p.parent))
    try:
        shown = str((parent / p.name).relative_to(Path.cwd().resolve()))
    except (ValueError, OSError, RuntimeError):
        shown = str(p)
    return os.fsencode(shown).decode("utf-8", "backslashreplace")
