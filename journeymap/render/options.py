"""What every renderer takes and gives back."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FORMATS: tuple[str, ...] = ("svg", "pdf", "png")
SHEETS: tuple[str, ...] = ("a4", "a3", "a2", "a1", "letter", "tabloid")
#: ``fit`` (the drawing's own size), a sheet (the map as pages of readable size), or
#: ``sheet:fit`` (the whole drawing shrunk onto one sheet).
PAPERS: tuple[str, ...] = ("fit", *SHEETS, *(f"{s}:fit" for s in SHEETS))
THEMES: tuple[str, ...] = ("default", "print")
#: The x axis of the map and the curve: one touchpoint after another, or elapsed time.
AXES: tuple[str, ...] = ("order", "time")


@dataclass(frozen=True)
class RenderOptions:
    """Choices shared by the map, curve and flow renderers."""

    formats: tuple[str, ...] = FORMATS
    theme: str = "default"
    #: A folder searched for templates before the built-in ones.
    templates: Path | None = None
    paper: str = "fit"
    dpi: int = 96
    #: Seconds an external program (dot, rsvg-convert) may run before it is stopped.
    timeout: float = 60.0
    #: Overlay the measured survey scores on the curve, with their 95% intervals.
    measured: bool = False
    #: The project's language (its config's ``lang``): for journeys whose file sets none,
    #: and a site's own pages when its journeys do not share one.
    lang: str | None = None
    #: The x axis of the map and the curve (``AXES``).
    x: str = "order"
    #: A gap in ``at`` at least this long (seconds) is a wait point: a break on the time
    #: axis, a marked wait in the blueprint.
    wait: float = 3600.0
    #: The project's ``cards:`` settings for the decks a site builds beside the pictures:
    #: (name, value) pairs of ``CardOptions`` fields (paper, per_page, duplex, comments).
    deck: tuple[tuple[str, Any], ...] = ()


@dataclass(frozen=True)
class Artifact:
    """One output file: its name inside the journey's output folder, and its bytes."""

    name: str
    data: bytes


@dataclass
class RenderResult:
    """The files a renderer made, and warnings for the user (missing glyphs, ...)."""

    artifacts: list[Artifact] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
