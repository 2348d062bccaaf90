"""Card geometry: where every line of every card goes, measured with the layout font.

Text is wrapped with ``journeymap.text.fit`` (DejaVu Sans advance widths), so the HTML and
the PDF show the same line breaks. A card whose text does not fit shrinks its font down to a
floor; what still does not fit continues on the next card, marked "continued".
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field

from journeymap.render.cards.text import Section
from journeymap.text import fit

PX_PER_MM = 96 / 25.4
#: Portrait paper sizes in mm.
PAPER_MM: dict[str, tuple[float, float]] = {"a4": (210.0, 297.0), "letter": (215.9, 279.4)}
#: Cards per sheet -> (columns, rows).
GRID: dict[int, tuple[int, int]] = {1: (1, 1), 2: (1, 2), 4: (2, 2)}
#: Colour of each role's band.
ROLE_COLOURS: dict[str, str] = {
    "customer": "#005A8C",
    "staff": "#00704F",
    "observer": "#A34400",
    "facilitator": "#333333",
}
#: Size of an A6 card in px: the size the base measurements below are for.
_A6 = (105 * PX_PER_MM, 148.5 * PX_PER_MM)
_ASCENT, _DESCENT = 0.928, 0.236
_BASE_SIZE, _FLOOR_SIZE, _STEP = 12.0, 8.5, 0.5
#: Smallest body text on a printed card: 8 pt, in CSS px (cards are laid out at print size).
MIN_PRINT_PX = 8 * 96 / 72
_LINE_HEIGHT = 1.3
#: Kinds of line that label a card rather than carry its text.
FURNITURE = frozenset({"band", "footer"})


@dataclass(frozen=True)
class Line:
    """One line of text at ``x`` (left) and ``y`` (top of its line box), in card px."""

    x: float
    y: float
    text: str
    size: float
    pitch: float
    kind: str
    bold: bool = False

    @property
    def furniture(self) -> bool:
        """True for band labels and footers: fixed wording with no user text, which the
        HTML draws as generated content so the card text reads on across cards."""
        return self.kind in FURNITURE

    @property
    def baseline(self) -> float:
        """The baseline's y: the glyphs centred in the line box as CSS does."""
        return self.y + (self.pitch - (_ASCENT + _DESCENT) * self.size) / 2 + _ASCENT * self.size

    @property
    def width(self) -> float:
        """The line's width in px."""
        return fit.text_width(self.text, self.size, self.bold)


@dataclass(frozen=True)
class Card:
    """One printed card (or one facilitator page): its box, band and lines, in card px."""

    kind: str
    width: float
    height: float
    pad: float
    band: float
    lines: tuple[Line, ...]
    colour: str

    @property
    def inner_width(self) -> float:
        """Width of the band and text area."""
        return self.width - 2 * self.pad


@dataclass(frozen=True)
class Placed:
    """A card at ``x``, ``y`` on a sheet."""

    x: float
    y: float
    card: Card


@dataclass(frozen=True)
class Sheet:
    """One printed page."""

    width: float
    height: float
    kind: str
    cards: tuple[Placed, ...] = ()
    #: Cut-mark segments (x1, y1, x2, y2).
    marks: tuple[tuple[float, float, float, float], ...] = ()
    width_mm: float = 0.0
    height_mm: float = 0.0


@dataclass(frozen=True)
class Geometry:
    """Page and card sizes for a paper and a number of cards per sheet."""

    paper: str
    per_page: int
    page_w: float = field(init=False)
    page_h: float = field(init=False)
    card_w: float = field(init=False)
    card_h: float = field(init=False)
    scale: float = field(init=False)

    def __post_init__(self) -> None:
        if self.paper not in PAPER_MM:
            raise ValueError(f"unknown paper {self.paper!r}; choose one of {', '.join(PAPER_MM)}")
        if self.per_page not in GRID:
            raise ValueError(f"per_page must be one of {', '.join(map(str, GRID))}")
        width_mm, height_mm = PAPER_MM[self.paper]
        cols, rows = GRID[self.per_page]
        page_w, page_h = width_mm * PX_PER_MM, height_mm * PX_PER_MM
        for name, value in (
            ("page_w", page_w),
            ("page_h", page_h),
            ("card_w", page_w / cols),
            ("card_h", page_h / rows),
            ("scale", min(1.6, page_w / cols / _A6[0], page_h / rows / _A6[1])),
        ):
            object.__setattr__(self, name, round(value, 3))

    @property
    def grid(self) -> tuple[int, int]:
        """(columns, rows) of cards on a sheet."""
        return GRID[self.per_page]

    @property
    def mm(self) -> tuple[float, float]:
        """Page size in mm."""
        return PAPER_MM[self.paper]


@dataclass(frozen=True)
class _Item:
    kind: str
    text: str
    scale: float = 1.0
    bold: bool = False
    indent: float = 0.0
    gap: float = 0.0
    #: Items sharing a group number are kept on one part when they fit on one.
    group: int | None = None


def items_for(title: str, sections: tuple[Section, ...]) -> list[_Item]:
    """The flow of a card: its title (if any), then each section's lead, heading and text."""
    items = [_Item("title", title, 1.2, True)] if title else []
    group: int | None = None
    for number, section in enumerate(sections):
        if section.keep:
            group = group if section.joined and group is not None else number
        else:
            group = None
        start = len(items)
        if section.strong:
            items.append(_Item("strong", section.strong, 1.1, True, gap=1.3))
        if section.heading:
            items.append(_Item("heading", section.heading.upper(), 0.78, True, gap=0.9))
        for index, para in enumerate(section.paragraphs):
            if index:
                gap = 0.35
            elif section.heading or section.strong:
                gap = 0.15
            else:
                gap = 0.9
            items.append(_Item("text", para, gap=gap))
        if section.quote:
            items.append(_Item("quote", section.quote, gap=0.15, indent=0.9))
        for bullet in section.bullets:
            items.append(_Item("bullet", bullet, indent=1.0, gap=0.2))
        if group is not None:
            items[start:] = [dataclasses.replace(item, group=group) for item in items[start:]]
    return items


@dataclass(frozen=True)
class _Run:
    """A wrapped line before placement."""

    item: int
    kind: str
    text: str
    size: float
    pitch: float
    bold: bool
    indent: float
    gap: float
    first: bool
    group: int | None = None


def _wrap(items: list[_Item], width: float, size: float) -> list[_Run]:
    runs = []
    for number, item in enumerate(items):
        item_size = size * item.scale
        indent = item.indent * size
        lines = fit.wrap(item.text, width - indent, item_size, item.bold) or [""]
        for index, text in enumerate(lines):
            gap = item.gap * size if index == 0 else 0.0
            pitch = item_size * _LINE_HEIGHT
            runs.append(
                _Run(
                    number,
                    item.kind,
                    text,
                    item_size,
                    pitch,
                    item.bold,
                    indent,
                    gap,
                    index == 0,
                    item.group,
                )
            )
    return runs


def _height(runs: list[_Run]) -> float:
    return sum(r.pitch + r.gap for r in runs) - (runs[0].gap if runs else 0.0)


def _paginate(runs: list[_Run], height: float) -> list[list[_Run]]:
    """Split runs into parts no taller than ``height``; a heading never ends a part."""
    parts: list[list[_Run]] = [[]]
    used = 0.0
    for index, run in enumerate(runs):
        need = run.pitch + (run.gap if parts[-1] else 0.0)
        nxt = runs[index + 1] if index + 1 < len(runs) else None
        if run.kind == "heading" and nxt is not None:
            need += nxt.pitch + nxt.gap
        starts = run.group is not None and (index == 0 or runs[index - 1].group != run.group)
        if starts:
            whole = [r for r in runs[index:] if r.group == run.group]
            if _height(whole) <= height + 1e-6:
                need = _height(whole) + (run.gap if parts[-1] else 0.0)
        if parts[-1] and used + need > height + 1e-6:
            parts.append([])
            used = 0.0
        used += run.pitch + (run.gap if len(parts[-1]) else 0.0)
        parts[-1].append(run)
    return parts


def _place(runs: list[_Run], x: float, y: float) -> tuple[Line, ...]:
    lines: list[Line] = []
    top = y
    for index, run in enumerate(runs):
        if index:
            top += run.gap
        if run.kind == "bullet" and run.first:
            lines.append(Line(x, top, "•", run.size, run.pitch, "bullet-mark", False))
        lines.append(Line(x + run.indent, top, run.text, run.size, run.pitch, run.kind, run.bold))
        top += run.pitch
    return tuple(lines)


@dataclass(frozen=True)
class Frame:
    """The text area of a card: offsets and sizes in card px, base and floor font sizes."""

    width: float
    height: float
    pad: float
    band: float
    base: float
    floor: float

    @property
    def text_top(self) -> float:
        """Where the text flow starts, below the band."""
        return self.pad + self.band + 0.8 * self.base

    @property
    def text_size(self) -> tuple[float, float]:
        """Width and height available for the text flow (above the footer)."""
        return self.width - 2 * self.pad, self.height - self.text_top - self.pad - 2 * self.base


def card_frame(geometry: Geometry) -> Frame:
    """The frame of a card on this geometry."""
    k = geometry.scale
    return Frame(
        geometry.card_w,
        geometry.card_h,
        round(26 * k, 3),
        round(24 * k, 3),
        _BASE_SIZE * k,
        max(_FLOOR_SIZE * k, MIN_PRINT_PX),
    )


def page_frame(geometry: Geometry) -> Frame:
    """The frame of a facilitator page (no shrinking: it continues on another page)."""
    return Frame(geometry.page_w, geometry.page_h, 15 * PX_PER_MM, 30.0, 12.0, 12.0)


def _lower_bound(items: list[_Item], ems: list[float], width: float, size: float) -> float:
    """A height the wrapped ``items`` cannot be shorter than at ``size``: an item whose
    characters other than spaces measure ``em`` takes at least ``em`` x size / line width
    lines, rounded up (spaces may vanish at line breaks, the rest may not)."""
    total = 0.0
    for item, em in zip(items, ems, strict=True):
        item_size = size * item.scale
        lines = max(1, math.ceil(em * item_size / (width - item.indent * size) - 1e-9))
        total += lines * item_size * _LINE_HEIGHT + item.gap * size
    return total - (items[0].gap * size if items else 0.0)


def fitting_size(title: str, sections: tuple[Section, ...], frame: Frame) -> float:
    """The largest font size, from the base down to the floor, at which the text fits on
    one card; the floor when it fits at none (it then continues on more cards).

    Sizes whose lower-bound height already overflows are skipped without wrapping, so long
    text is wrapped about once: the cost is linear in its length.
    """
    items = items_for(title, sections)
    width, height = frame.text_size
    size = frame.base
    if _height(_wrap(items, width, size)) <= height + 1e-6:
        return size
    ems = [fit.text_width("".join(item.text.split()), 1.0, item.bold) for item in items]
    step = _STEP * frame.base / _BASE_SIZE
    size = round(size - step, 6)
    while size - step >= frame.floor - 1e-9:
        fits = _lower_bound(items, ems, width, size) <= height + 1e-6
        if fits and _height(_wrap(items, width, size)) <= height + 1e-6:
            return size
        size = round(size - step, 6)
    return size


def flow(
    title: str, sections: tuple[Section, ...], frame: Frame, size: float | None = None
) -> list[tuple[Line, ...]]:
    """The lines of each part at ``size`` (default: :func:`fitting_size`): one part when the
    text fits, else as many as it takes; a kept-together group (a facilitator entry) moves
    whole to the next part when it fits on one."""
    items = items_for(title, sections)
    width, height = frame.text_size
    runs = _wrap(items, width, size if size is not None else fitting_size(title, sections, frame))
    if _height(runs) <= height + 1e-6:
        return [_place(runs, frame.pad, frame.text_top)]
    parts = _paginate(runs, height)
    return [_place(part, frame.pad, frame.text_top) for part in parts]


def band_lines(frame: Frame, left: str, right: str) -> tuple[Line, ...]:
    """White label text in the band: ``left`` at the start, ``right`` at the end."""
    size = 0.9 * frame.base if frame.base < 12.5 else 12.5
    size = round(min(size, frame.band * 0.5), 3)
    pitch = frame.band
    inset = 0.7 * frame.base
    left_line = Line(frame.pad + inset, frame.pad, left, size, pitch, "band", True)
    right_w = fit.text_width(right, size, True)
    x_right = frame.width - frame.pad - inset - right_w
    return left_line, Line(x_right, frame.pad, right, size, pitch, "band", True)


def footer_lines(frame: Frame, text: str) -> list[Line]:
    """Small grey text wrapped at the bottom of the card, its last line on the bottom edge."""
    size = 0.72 * frame.base
    pitch = size * _LINE_HEIGHT
    lines = fit.wrap(text, frame.width - 2 * frame.pad, size)
    top = frame.height - frame.pad - len(lines) * pitch
    return [
        Line(frame.pad, top + index * pitch, part, size, pitch, "footer")
        for index, part in enumerate(lines)
    ]


def centred(frame: Frame, text: str, y: float, size: float, kind: str, bold: bool) -> list[Line]:
    """``text`` wrapped and centred across the card from ``y``."""
    width = frame.width - 2 * frame.pad - 2 * frame.base
    pitch = size * _LINE_HEIGHT
    lines = []
    for index, part in enumerate(fit.wrap(text, width, size, bold)):
        x = (frame.width - fit.text_width(part, size, bold)) / 2
        lines.append(Line(round(x, 3), y + index * pitch, part, size, pitch, kind, bold))
    return lines


def centred_fit(
    frame: Frame, text: str, y: float, height: float, size: float, kind: str
) -> list[Line]:
    """``text`` centred from ``y`` at the largest size from ``size`` down to the card's floor
    that fits in ``height`` px; no lines when even the floor does not fit."""
    width = frame.width - 2 * frame.pad - 2 * frame.base
    em = fit.text_width("".join(text.split()), 1.0)
    step = _STEP * frame.base / _BASE_SIZE
    while size >= frame.floor - 1e-9:
        pitch = size * _LINE_HEIGHT
        if math.ceil(em * size / width - 1e-9) * pitch <= height + 1e-6:
            lines = centred(frame, text, y, size, kind, False)
            if len(lines) * pitch <= height + 1e-6:
                return lines
        size = round(size - step, 6)
    return []


def cut_marks(geometry: Geometry) -> tuple[tuple[float, float, float, float], ...]:
    """Ticks at the page edges where cuts run, and crosses where cuts meet."""
    cols, rows = geometry.grid
    w, h = geometry.page_w, geometry.page_h
    tick = 10 * PX_PER_MM
    arm = 4 * PX_PER_MM
    xs = [round(w * c / cols, 3) for c in range(1, cols)]
    ys = [round(h * r / rows, 3) for r in range(1, rows)]
    marks: list[tuple[float, float, float, float]] = []
    for x in xs:
        marks += [(x, 0.0, x, tick), (x, h - tick, x, h)]
    for y in ys:
        marks += [(0.0, y, tick, y), (w - tick, y, w, y)]
    for x in xs:
        for y in ys:
            marks += [(x - arm, y, x + arm, y), (x, y - arm, x, y + arm)]
    return tuple(marks)


def sheets_for(cards: list[Card], geometry: Geometry, backs: list[Card] | None) -> list[Sheet]:
    """Card sheets in print order; with ``backs``, each front sheet is followed by its back
    sheet, mirrored left-to-right for long-edge duplex printing."""
    cols, rows = geometry.grid
    per = cols * rows
    marks = cut_marks(geometry)
    sheets = []
    w_mm, h_mm = geometry.mm
    for start in range(0, len(cards), per):
        fronts, placed_backs = [], []
        for slot, card in enumerate(cards[start : start + per]):
            col, row = slot % cols, slot // cols
            y = row * geometry.card_h
            fronts.append(Placed(round(col * geometry.card_w, 3), round(y, 3), card))
            if backs is not None:
                mirrored = (cols - 1 - col) * geometry.card_w
                placed_backs.append(Placed(round(mirrored, 3), round(y, 3), backs[start + slot]))
        page = (geometry.page_w, geometry.page_h)
        sheets.append(Sheet(*page, "front", tuple(fronts), marks, w_mm, h_mm))
        if backs is not None:
            sheets.append(Sheet(*page, "back", tuple(placed_backs), (), w_mm, h_mm))
    return sheets
