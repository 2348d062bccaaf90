"""Diagnostics: one located problem in an input file, and the exception that carries them."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Level = Literal["error", "warning"]


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
        return f"{self.path}:{self.line}:{self.col}: {self.level}: {self.message}"


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
    """``path`` as shown in messages: relative to the working directory when inside it."""
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(p)
