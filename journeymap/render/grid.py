"""The layout engine the map and the blueprint share: a grid of touchpoint columns filled
with boxes of wrapped text.

A ``Box`` holds its lines and child boxes in coordinates relative to itself; a ``Stack``
fills one top to bottom, wrapping text with the layout font's real advance widths (see
``journeymap.text.fit``) so nothing overlaps whatever the input. ``columns`` gives the grid's
columns (one per touchpoint, grouped by stage), ``flow`` places boxes in wrapped rows, and
``Grid`` is a laid-out view, mirrored in one pass for a right-to-left language.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar, Self

from journeymap.model.journey import Journey, Note
from journeymap.text.fit import has_arabic, is_rtl, text_width, wrap
from journeymap.text.locale import Messages, has_rtl

#: Width of one touchpoint column, px.
COL_W = 210.0
#: Padding inside a cell, px.
PAD = 8.0
#: Gap between stacked items inside a cell, px.
GAP = 6.0
#: Body font size, px.
SIZE = 13.0
#: Share of a box's inner width text is wrapped to: browsers that hint fonts round each
#: advance to whole pixels, which can add a few percent on runs of one letter.
FILL = 0.96
LINE = 1.3
#: Extra room above and below a line holding Arabic letters, in ems (Noto Sans Arabic).
ARABIC_LEAD = 0.3
MARGIN = 24.0
MIN_WIDTH = 860.0
MIN_ROW = 34.0
#: Lines an action, thought, backstage text or note may take before it is clamped (full
#: text in its tooltip); names and titles are never clamped.
MAX_LINES = 8


def xml_id(*parts: str) -> str:
    """An XML-safe, stable id from ``parts`` joined by ``-``; distinct parts give distinct ids.

    ASCII letters, digits, ``-`` and ``.`` stay; every other character becomes ``_hex_``.
    """
    out = ["jm"]
    for part in parts:
        out.append(
            "".join(
                c if (c.isascii() and (c.isalnum() or c in "-.")) else f"_{ord(c):x}_" for c in part
            )
        )
    return "-".join(out)


@dataclass(frozen=True)
class Line:
    """One line of text: baseline position relative to its box, style class, direction;
    ``end`` lines of a mirrored view end at ``x`` (left-to-right text right-aligned)."""

    text: str
    x: float
    y: float
    cls: str
    rtl: bool = False
    end: bool = False
    #: Distance of the line's start from the box's start edge (kept for mirroring).
    inset: float = PAD


@dataclass
class Box:
    """A rectangle with its text lines and child boxes (both relative to the box)."""

    cls: str
    w: float
    h: float
    x: float = 0.0
    y: float = 0.0
    id: str | None = None
    lines: list[Line] = field(default_factory=list)
    children: list[Box] = field(default_factory=list)
    #: Persona position for boxes that show a persona marker (cards, legend entries).
    persona: int | None = None
    #: Fill colour given by the journey (persona, channel or actor colour), if any.
    color: str | None = None
    #: Tooltip (SVG ``<title>``): the full text of a box whose text was clamped.
    title: str | None = None
    #: Where the box links (a sub-journey's map, the journey this one is part of).
    href: str | None = None


@dataclass(frozen=True)
class Style:
    """A text style: CSS class, font size in whole px (browsers may round others), weight."""

    cls: str
    size: float = SIZE
    bold: bool = False


BODY = Style("t-body")
SMALL = Style("t-small", 11.0)
NAME = Style("t-name", SIZE, True)
STAGE = Style("t-stage", 15.0, True)
TAG = Style("t-tag", 10.0, True)
QUOTE = Style("t-quote")
TITLE = Style("t-title", 24.0, True)
LABEL = Style("t-label", 12.0, True)
AXIS = Style("t-axis", 11.0)
#: Every text style, for the templates (class -> size, bold).
STYLES = (BODY, SMALL, NAME, STAGE, TAG, QUOTE, TITLE, LABEL, AXIS)


class Stack:
    """Places paragraphs and child boxes top to bottom inside a box of fixed width."""

    def __init__(self, box: Box, m: Messages, top: float = PAD, left: float = PAD) -> None:
        self.box = box
        self.m = m
        self.top = top
        self.left = left
        self.first = True

    @property
    def inner(self) -> float:
        """The width text and children get."""
        return self.box.w - self.left - PAD

    def _gap(self) -> None:
        if not self.first:
            self.top += GAP
        self.first = False

    def text(self, text: str, style: Style, max_lines: int | None = None) -> None:
        """Wrap ``text`` at the box's inner width and add its lines; past ``max_lines`` (if
        given) the text is cut, marked "continued" and kept whole in the box's tooltip."""
        lines = wrap(text, self.inner * FILL, style.size, style.bold)
        if not lines:
            return
        clamped = max_lines is not None and len(lines) > max_lines
        if max_lines is not None and clamped:
            last = lines[max_lines - 1]
            while last and text_width(last + " …", style.size, style.bold) > self.inner * FILL:
                last = last[:-1]
            lines = [*lines[: max_lines - 1], last.rstrip() + " …"]
            self.box.title = f"{self.box.title}\n\n{text}" if self.box.title else text
        self._gap()
        self._place(lines, style)
        if clamped:
            self._place([self.m("map.continued")], SMALL)

    def _place(self, lines: list[str], style: Style) -> None:
        pitch = style.size * LINE
        for line in lines:
            rtl = is_rtl(line)
            x = self.box.w - PAD if rtl else self.left
            # Arabic letters rise and fall further than Latin ones: give their line more room.
            tall = style.size * ARABIC_LEAD if has_arabic(line) else 0.0
            baseline = round(self.top + tall + style.size * 1.05, 2)
            self.box.lines.append(
                Line(line, round(x, 2), baseline, style.cls, rtl, inset=self.left)
            )
            self.top += pitch + 2 * tall

    def child(self, child: Box) -> None:
        """Add ``child`` at the current position."""
        self._gap()
        child.x, child.y = self.left, round(self.top, 2)
        self.box.children.append(child)
        self.top += child.h

    def close(self, minimum: float = 0.0) -> Box:
        """Set the box height from its content, at least ``minimum``."""
        self.box.h = round(max(minimum, self.top + PAD), 2)
        return self.box


def mirror(box: Box, width: float) -> None:
    """Mirror ``box`` inside a parent ``width`` wide, with its children and lines: every
    line starts at the right edge, right-to-left lines with ``direction="rtl"``."""
    box.x = round(width - box.x - box.w, 2)
    box.lines = [
        Line(ln.text, round(box.w - ln.inset, 2), ln.y, ln.cls, has_rtl(ln.text),
             not has_rtl(ln.text), ln.inset)
        for ln in box.lines
    ]  # fmt: skip
    for child in box.children:
        mirror(child, box.w)


def text_box(
    cls: str, width: float, items: Iterable[tuple[str, Style]], m: Messages, **kw: object
) -> Box:
    """A box ``width`` wide holding each (text, style) of ``items`` in turn."""
    stack = Stack(Box(cls, width, 0.0, **kw), m)  # type: ignore[arg-type]
    for text, style in items:
        stack.text(text, style)
    return stack.close()


def badge(cls: str, text: str, width: float, m: Messages, color: str | None = None) -> Box:
    """A small label sized to its text, no wider than ``width``."""
    natural = text_width(text, SMALL.size) / FILL + 2 * PAD + 1
    box = Box(cls, round(min(width, natural), 2), 0.0, color=color)
    stack = Stack(box, m, top=4.0)
    stack.text(text, SMALL)
    box.h = round(stack.top + 4.0, 2)
    return box


def note_box(note: Note, cls: str, width: float, tag: str | None, m: Messages) -> Box:
    """A pain point or opportunity: an optional ``tag`` line, its text, its owner."""
    box = Box(f"note {cls} sev-{note.severity}", width, 0.0)
    stack = Stack(box, m, left=PAD + 4)
    if tag:
        stack.text(tag, TAG)
    stack.text(note.text, BODY, MAX_LINES)
    if note.owner:
        stack.text(m("map.owner_note", owner=note.owner), SMALL)
    return stack.close()


def truth_badge(width: float, m: Messages) -> Box:
    """The moment-of-truth badge (its touchpoint's column is tinted)."""
    return badge("badge mot-badge", f"★ {m('moment_of_truth')}", width, m)


def place_legend(
    boxes: list[Box], items: list[Box], top: float, width: float, m: Messages
) -> float:
    """Add a legend of ``items`` under its title to ``boxes``, in rows from ``top`` no wider
    than ``width``; the bottom edge (``top`` when there is nothing to explain)."""
    if not items:
        return top
    title = badge("legend-title", m("legend"), 120.0, m)
    boxes.extend([title, *items])
    return flow([title, *items], MARGIN, top, width, 10)


def flow(boxes: Sequence[Box], left: float, top: float, width: float, gap: float) -> float:
    """Place ``boxes`` left to right in rows no wider than ``width``; the bottom edge."""
    x, y, row_h = left, top, 0.0
    for box in boxes:
        if x > left and x + box.w > left + width:
            x, y, row_h = left, y + row_h + gap, 0.0
        box.x, box.y = round(x, 2), round(y, 2)
        x += box.w + gap
        row_h = max(row_h, box.h)
    return y + row_h


def columns(
    journey: Journey, left: float
) -> tuple[list[tuple[float, float]], dict[str, float], float]:
    """The grid's columns from ``left``: one per touchpoint, an empty stage keeping one empty
    column; each stage's (x, width), each touchpoint's x, and the grid's right edge."""
    stage_cols: list[tuple[float, float]] = []
    tp_x: dict[str, float] = {}
    x = left
    for stage in journey.stages:
        start = x
        for tp in stage.touchpoints:
            tp_x[tp.id] = x
            x += COL_W
        if not stage.touchpoints:
            x += COL_W
        stage_cols.append((start, x - start))
    return stage_cols, tp_x, x


@dataclass(kw_only=True)
class Grid:
    """A laid-out view on the grid: its boxes (the header, a lane-label column and a row of
    cells per lane, the legend) and whatever a view draws besides them (``mirror_marks``)."""

    #: Whether a printed page may shorten a lane to the tallest cell it shows there (a view
    #: whose marks sit at fixed places in a lane's cells keeps its lanes whole).
    TRIM_LANES: ClassVar[bool] = False
    id: str
    width: float
    height: float
    boxes: list[Box]
    #: True for a mirrored (right-to-left) view.
    rtl: bool = False
    lang: str = "en"

    def mirror(self, width: float) -> None:
        """Mirror the view about a grid ``width`` wide (the unrounded width its boxes were
        placed in): the boxes with their lines, then the marks."""
        for box in self.boxes:
            mirror(box, width)
        self.mirror_marks(width)

    def mirror_marks(self, width: float) -> None:
        """Mirror what the view draws besides boxes (a view with such marks says how)."""

    def on_page(self, cut: Cut, **fields: Any) -> Self:
        """A page of this view holding ``fields`` (id, size, boxes) and the marks ``cut``
        keeps (a view with marks besides boxes says which)."""
        return replace(self, **fields)

    def stacked(self, parts: Sequence[Self]) -> Self:
        """This page with the marks of ``parts`` (more pieces of the view drawn below it on
        the same sheet) added (a view with marks besides boxes says how)."""
        return self


@dataclass(frozen=True)
class Cut:
    """What a page keeps of a grid: the columns from ``x0``, ``width`` wide, placed at ``at``
    on the page, and some rows, each (top, height, dy) moved down by dy; ``left``..``right``
    is the page's whole grid (lane labels and cells)."""

    x0: float
    width: float
    at: float
    rows: tuple[tuple[float, float, float], ...]
    left: float
    right: float

    @property
    def dx(self) -> float:
        """How far the kept columns move."""
        return self.at - self.x0

    def dy(self, y: float) -> float | None:
        """How far the row holding ``y`` moves on the page, or None when it is not there."""
        for top, h, dy in self.rows:
            if top <= y < top + h:
                return dy
        return None

    def holds(self, x: float) -> bool:
        """Whether the page shows the point ``x`` of the grid's columns."""
        return self.x0 <= x <= self.x0 + self.width
