"""A grid view cut into a print set: strips of stages stacked onto sheets.

The view (the map or the blueprint) is laid out once and cut into strips: each holds the
lane-label column, one group of touchpoint columns and one band of lanes (the stage row
repeated on top). Groups break between stages; a stage wider than a sheet breaks between
its touchpoint columns, its later parts marked "(continued)". The persona cards and the
legend come first, once; then the strips, stacked onto pages in reading order, each page
under a header with the title, the state and a "page n of m" mark naming its stages. The
view's ``on_page`` keeps the marks it draws besides boxes and its ``stacked`` puts a
page's strips together. Everything is sized so that, on the sheet turned the way the page
is drawn largest, every text style prints at least ``MIN_PT``; of the plans for landscape
sheets, portrait sheets and each group's sheet turned its own way, the one with the
fewest pages (a page more than ``_BLANK`` blank counting twice), then the least blank
paper, is taken.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Generic, TypeVar

from journeymap.model.journey import Journey
from journeymap.render.grid import (
    ARABIC_LEAD,
    COL_W,
    LINE,
    MARGIN,
    MIN_ROW,
    PAD,
    SMALL,
    STAGE,
    STYLES,
    TITLE,
    Box,
    Cut,
    Grid,
    Stack,
    Style,
    columns,
    flow,
    mirror,
    text_box,
)
from journeymap.text.fit import has_arabic
from journeymap.text.locale import Messages, messages

#: Smallest text on paper, in pt: the smallest text style prints at this size.
MIN_PT = 8.0
#: Gap between the header, the strips and the legend, px.
_GAP = 16.0
#: Gap between persona cards, and between legend entries, px.
_CARD_GAP = 12.0
_LEGEND_GAP = 10.0
#: White edge of a page, px (the sheet has its own margin).
_EDGE = 2.0
_PAGE = Style("t-label", 12.0, True)
_SIZES = {s.cls: s.size for s in STYLES}
#: A page more blank than this counts as one more page when plans are compared.
_BLANK = 0.4
G = TypeVar("G", bound=Grid)


@dataclass(frozen=True)
class _Row:
    y: float
    h: float


@dataclass
class _Group:
    """Consecutive touchpoint columns, with their stage row as it is drawn on a page."""

    cols: range
    width: float
    #: Stage cells with x on a page ``width`` wide, and the stage row's height.
    cells: list[Box]
    stage_h: float
    #: Name of the first stage (maybe "continued"), and the first and last stage.
    first: str
    stages: range
    #: Each lane's height on its pages (the stage row's first).
    heights: list[float]


@dataclass(frozen=True)
class _Strip:
    """One band of lanes of a group (the stage row on top)."""

    group: _Group
    band: list[int]
    height: float
    #: The printable sheet (px) it is planned for, landscape or portrait.
    sheet: tuple[float, float]

    @property
    def width(self) -> float:
        return self.group.width


@dataclass(frozen=True)
class _Cards:
    """A row of persona cards, or the legend, placed from x = 0, y = 0 across a sheet."""

    cards: list[Box]
    width: float
    height: float
    sheet: tuple[float, float]


_Block = _Strip | _Cards


def _groups(widths: Sequence[float], limit: float) -> list[range]:
    """Contiguous groups of ``widths`` each at most ``limit`` wide (a wider item alone), as
    few as possible and as even as possible."""

    def greedy(cap: float) -> list[range]:
        out: list[range] = []
        start, total = 0, 0.0
        for i, w in enumerate(widths):
            if i > start and total + w > cap:
                out.append(range(start, i))
                start, total = i, 0.0
            total += w
        out.append(range(start, len(widths)))
        return out

    fewest = len(greedy(limit))
    sums = sorted(
        {sum(widths[a:b]) for a in range(len(widths)) for b in range(a + 1, len(widths) + 1)}
    )
    for cap in sums:
        if cap >= max(widths) and len(greedy(cap)) <= fewest:
            return greedy(cap)
    return greedy(limit)


def _shift(box: Box, dx: float, dy: float) -> Box:
    moved = copy.deepcopy(box)
    moved.x, moved.y = round(box.x + dx, 2), round(box.y + dy, 2)
    return moved


def _natural(box: Box) -> float:
    """The height ``box`` needs for its lines and children (as ``Stack`` placed them)."""
    bottom = 0.0
    for line in box.lines:
        size = _SIZES[line.cls]
        bottom = max(
            bottom, line.y + size * (LINE - 1.05 + (ARABIC_LEAD if has_arabic(line.text) else 0.0))
        )
    for child in box.children:
        bottom = max(bottom, child.y + child.h)
    return bottom + PAD


def min_scale() -> float:
    """Map px -> pt factor at which the smallest text style prints at ``MIN_PT``."""
    return MIN_PT / min(s.size for s in (*STYLES, _PAGE))


class _Cutter(Generic[G]):
    """Plans and cuts the pages of one laid-out view."""

    def __init__(self, journey: Journey, geometry: G, title: str, margin_px: float) -> None:
        self.journey, self.geometry, self.margin_px = journey, geometry, margin_px
        self.title = title
        self.m: Messages = messages(journey.lang)
        self.rtl = geometry.rtl
        labels = [b for b in geometry.boxes if b.cls == "cell lane-label"]
        self.stage_label = labels[0]
        # A row owns the gap under it (where the blueprint's named lines run).
        self.rows = [
            _Row(b.y, nxt.y - b.y if nxt.y - b.y > b.h + 0.5 else b.h)
            for b, nxt in zip(labels, [*labels[1:], labels[-1]], strict=True)
        ]
        self.top, self.bottom = self.rows[0].y, self.rows[-1].y + self.rows[-1].h
        self.label_w = labels[0].w
        # One column per touchpoint (one for an empty stage): its stage, in reading order.
        self.col_stage = [
            s
            for s, (_, w) in enumerate(columns(journey, MARGIN + self.label_w)[0])
            for _ in range(round(w / COL_W))
        ]
        self.first_col = {s: self.col_stage.index(s) for s in set(self.col_stage)}
        self.stage_cells = [b for b in geometry.boxes if b.cls == "cell lane-stage"]
        self.cards = [b for b in geometry.boxes if b.cls == "card persona"]
        self.legend = [b for b in geometry.boxes if b.y >= self.bottom and b.cls != "card persona"]
        # The lanes' boxes below the stage row (which each page draws anew).
        self.grid = [b for b in geometry.boxes if self.rows[1].y <= b.y < self.bottom]
        header = next(b for b in geometry.boxes if b.cls == "header")
        self.badges = [c for c in header.children if c.cls.startswith("badge")]
        self._flows: dict[tuple[int, float], list[Box]] = {}
        self._heads: dict[tuple[float, str, str, int], float] = {}
        self._groups: dict[range, _Group] = {}
        # Each box's lane, and the lanes a page may shorten: every box in them a cell as
        # tall as the lane, and no gap under it (where the blueprint's lines run).
        self.row_of = {
            id(b): next(i for i, r in enumerate(self.rows) if r.y <= b.y < r.y + r.h)
            for b in self.grid
        }
        self.trimmed: dict[int, list[Box]] = {}
        if geometry.TRIM_LANES:
            for i, (row, label) in enumerate(zip(self.rows, labels, strict=True)):
                mine = [b for b in self.grid if self.row_of[id(b)] == i]
                whole = all(
                    b.cls.startswith("cell ") and b.y == row.y and b.h == row.h for b in mine
                )
                if i and mine and whole and row.h <= label.h + 0.5:
                    self.trimmed[i] = mine

    # Pieces.
    def col_x(self, col: int) -> float:
        """Left edge of column ``col`` in the whole map."""
        x = MARGIN + self.label_w + col * COL_W
        return round(self.geometry.width - x - COL_W, 2) if self.rtl else x

    def stage_name(self, stage: int, first_col: int) -> str:
        name = self.journey.stages[stage].name
        if first_col > self.first_col[stage]:
            return self.m("map.stage_continued", stage=name)
        return name

    def group(self, cols: range) -> _Group:
        if cols not in self._groups:
            self._groups[cols] = self._group(cols)
        return self._groups[cols]

    def _group(self, cols: range) -> _Group:
        width = round(2 * _EDGE + self.label_w + len(cols) * COL_W, 2)
        cells: list[Box] = []
        stages = sorted({self.col_stage[c] for c in cols})
        for s in stages:
            mine = [c for c in cols if self.col_stage[c] == s]
            left = _EDGE + self.label_w + (mine[0] - cols[0]) * COL_W
            original = self.stage_cells[s]
            if len(mine) == self.col_stage.count(s):
                cell = copy.deepcopy(original)
                cell.x = round(width - left - cell.w if self.rtl else left, 2)
                cell.y = 0.0
            else:
                goal = self.journey.stages[s].goal
                items = [(self.stage_name(s, mine[0]), STAGE)]
                if goal:
                    items.append((self.m("map.goal", goal=goal), SMALL))
                cell = text_box("cell lane-stage", len(mine) * COL_W, items, self.m)
                cell.id, cell.x = original.id, left
                if self.rtl:
                    mirror(cell, width)
            cells.append(cell)
        stage_h = max([self.rows[0].h, *(c.h for c in cells)])
        first = self.stage_name(stages[0], cols[0])
        xs = [self.col_x(c) for c in cols]
        lo, hi = min(xs) - 0.5, max(xs) + COL_W - 0.5
        heights = [stage_h]
        for i, row in enumerate(self.rows[1:], start=1):
            if i not in self.trimmed:
                heights.append(row.h)
                continue
            shown = [b for b in self.trimmed[i] if b.cls == "cell lane-label" or lo <= b.x < hi]
            heights.append(round(max(MIN_ROW, *(_natural(b) for b in shown)), 2))
        stages_range = range(stages[0], stages[-1] + 1)
        return _Group(cols, width, cells, stage_h, first, stages_range, heights)

    def header(self, width: float, first: str, last: str, page: int, pages: int) -> Box:
        stack = Stack(Box("header", width - 2 * _EDGE, 0.0), self.m, top=0.0, left=0.0)
        stack.text(self.title, TITLE)
        for badge in self.badges:
            stack.child(copy.deepcopy(badge))
        key = "map.page" if last else "map.page_one_stage"
        stack.text(self.m(key, page=page, pages=pages, first=first, last=last), _PAGE)
        head = stack.close()
        head.x, head.y = _EDGE, _EDGE
        if self.rtl:
            mirror(head, width)
        return head

    def head_h(self, width: float, first: str, last: str, digits: int) -> float:
        """Height of a page header (page numbers of ``digits`` digits)."""
        key = (width, first, last, digits)
        if key not in self._heads:
            guess = 10**digits - 1
            self._heads[key] = self.header(width, first, last, guess, guess).h
        return self._heads[key]

    def flowed(self, boxes: list[Box], width: float, gap: float) -> list[Box]:
        """Copies of ``boxes`` flowed in rows across a page ``width`` wide from y = 0."""
        key = (id(boxes), width)
        if key not in self._flows:
            placed = [copy.deepcopy(b) for b in boxes]
            flow(placed, _EDGE, 0.0, width - 2 * _EDGE, gap)
            if self.rtl:
                for b in placed:
                    b.x = round(width - b.x - b.w, 2)
            self._flows[key] = placed
        return self._flows[key]

    def marks(self, blocks: Sequence[_Block]) -> tuple[str, str]:
        """The first stage named on a page holding ``blocks``, and the last ("" when it is
        the same stage); the whole journey on a page without strips."""
        strips = [b for b in blocks if isinstance(b, _Strip)]
        first, stages = self.journey.stages[0].name, range(len(self.journey.stages))
        if strips:
            first = strips[0].group.first
            stages = range(strips[0].group.stages[0], strips[-1].group.stages[-1] + 1)
        return first, self.journey.stages[stages[-1]].name if len(stages) > 1 else ""

    def size(self, blocks: Sequence[_Block], digits: int) -> tuple[float, float]:
        """Width and height of a page holding ``blocks``."""
        width = max(b.width for b in blocks)
        h = 2 * _EDGE + self.head_h(width, *self.marks(blocks), digits)
        h += sum(_GAP + b.height for b in blocks)
        return width, h

    # Planning.
    def plan(self, sheet: tuple[float, float], digits: int) -> list[list[_Block]]:
        """Pages for the printable ``sheet`` (px at ``min_scale``): the best of the plans on
        landscape sheets, on portrait sheets, and turning each group's sheet its own way."""
        turned = sheet[::-1]
        plans = [self.pack(self.column_groups(s, digits), digits) for s in ([sheet], [turned])]
        plans.append(self.pack(self.column_groups([sheet, turned], digits), digits))
        return min(plans, key=lambda p: self.score(p, digits))

    def pack(self, strips: list[_Strip], digits: int) -> list[list[_Block]]:
        """Rows of persona cards and the legend (on the first strip's sheet), then the
        strips, stacked in order onto pages of their sheets."""
        sheet = strips[0].sheet
        blocks: list[_Block] = []
        rows: dict[float, list[Box]] = {}
        for card in self.flowed(self.cards, sheet[0], _CARD_GAP):
            rows.setdefault(card.y, []).append(card)
        if self.legend:
            rows[math.inf] = self.flowed(self.legend, sheet[0], _LEGEND_GAP)
        for row in rows.values():
            y = min(c.y for c in row)
            placed = [replace(c, y=round(c.y - y, 2)) for c in row]
            right = max(c.x + c.w for c in placed) + _EDGE
            left = min(c.x for c in placed) - _EDGE
            if self.rtl:
                placed = [replace(c, x=round(c.x - left, 2)) for c in placed]
            height = max(c.y + c.h for c in placed)
            blocks.append(_Cards(placed, round(right - left, 2), height, sheet))
        pages: list[list[_Block]] = [[]]
        for block in [*blocks, *strips]:
            if pages[-1] and (
                pages[-1][-1].sheet != block.sheet
                or self.size([*pages[-1], block], digits)[1] > block.sheet[1] + 0.01
            ):
                pages.append([])
            pages[-1].append(block)
        return pages

    def column_groups(self, sheets: list[tuple[float, float]], digits: int) -> list[_Strip]:
        """The strips of columns grouped for one of ``sheets`` each: groups break between
        stages and, inside a stage too wide for the sheet, between its columns; the fewest
        strips (a strip alone on a page more than ``_BLANK`` blank counting twice), then the
        least blank paper."""
        count = len(self.col_stage)
        best: dict[int, tuple[tuple[int, float], int, list[_Strip]]] = {0: ((0, 0.0), 0, [])}
        for j in range(1, count + 1):
            options = []
            for sheet in sheets:
                room = max(1, int((sheet[0] - 2 * _EDGE - self.label_w) // COL_W))
                if not self.may_break(j, room):
                    continue
                for i in range(max(0, j - room), j):
                    if i not in best or not self.may_break(i, room):
                        continue
                    strips = self.strips(self.group(range(i, j)), sheet, digits)
                    blanks = [self.blank([strip], digits) for strip in strips]
                    pages, blank = best[i][0]
                    pages += len(strips) + sum(b > _BLANK for b in blanks)
                    options.append(((pages, round(blank + sum(blanks), 6)), i, strips))
            if options:
                best[j] = min(options, key=lambda o: o[0])
        out: list[_Strip] = []
        j = count
        while j:
            _, i, strips = best[j]
            out[:0] = strips
            j = i
        return out

    def may_break(self, col: int, room: int) -> bool:
        """Whether a page may start or end at column ``col`` with ``room`` columns."""
        if col in (0, len(self.col_stage)) or col == self.first_col[self.col_stage[col]]:
            return True
        return self.col_stage.count(self.col_stage[col]) > room

    def strips(self, group: _Group, sheet: tuple[float, float], digits: int) -> list[_Strip]:
        """``group``'s lanes in as few and as even bands as fit ``sheet``."""
        last = self.journey.stages[group.stages[-1]].name if len(group.stages) > 1 else ""
        head_h = self.head_h(group.width, group.first, last, digits)
        room = sheet[1] - 2 * _EDGE - head_h - _GAP - group.stage_h
        heights = group.heights[1:]
        return [
            _Strip(
                group,
                [i + 1 for i in band],
                group.stage_h + sum(heights[i] for i in band),
                sheet,
            )
            for band in _groups(heights, room)
        ]

    def fit(self, blocks: Sequence[_Block], digits: int) -> float:
        """How much a page holding ``blocks`` is enlarged on its sheet turned the better way
        (below 1 its text prints under ``MIN_PT``)."""
        w, h = self.size(blocks, digits)
        sheet = blocks[0].sheet
        return max(min(a / w, b / h) for a, b in (sheet, sheet[::-1]))

    def blank(self, blocks: Sequence[_Block], digits: int) -> float:
        """Share of the sheet a page holding ``blocks`` leaves blank."""
        w, h = self.size(blocks, digits)
        a, b = blocks[0].sheet
        k = self.fit(blocks, digits)
        return 1 - w * h * k * k / ((a + 2 * self.margin_px) * (b + 2 * self.margin_px))

    def score(self, pages: list[list[_Block]], digits: int) -> tuple[int, int, float]:
        """(pages whose text would print below ``MIN_PT``, pages counting those more than
        ``_BLANK`` blank twice, blank paper in sheets)."""
        blanks = [self.blank(p, digits) for p in pages]
        small = sum(self.fit(p, digits) < 0.999 for p in pages)
        return small, len(pages) + sum(b > _BLANK for b in blanks), round(sum(blanks), 6)

    # Cutting.
    def page(self, blocks: list[_Block], number: int, total: int) -> G:
        width, _ = self.size(blocks, len(str(total)))
        head = self.header(width, *self.marks(blocks), number, total)
        boxes = [head]
        top = head.y + head.h
        parts: list[G] = []
        for block in blocks:
            top += _GAP
            if isinstance(block, _Cards):
                dx = width - block.width if self.rtl else 0.0
                boxes += [_shift(c, dx, top) for c in block.cards]
            else:
                parts.append(self.strip(block, width, top, boxes, f"{number}-{len(parts) + 1}"))
            top += block.height
        if not parts:
            parts.append(self.geometry.on_page(Cut(0.0, 0.0, 0.0, (), 0.0, 0.0), boxes=[]))
        first, *more = parts
        return replace(
            first.stacked(more),
            id=f"{self.geometry.id}-p{number}",
            width=width,
            height=round(top + _EDGE, 2),
            boxes=boxes,
        )

    def strip(self, strip: _Strip, width: float, top: float, boxes: list[Box], name: str) -> G:
        """Add ``strip``'s boxes at ``top`` of a page ``width`` wide to ``boxes``; the view's
        marks on it (an emotion band, blueprint lines)."""
        group = strip.group
        # A strip narrower than its page keeps its labels at the page's start edge.
        inset = width - group.width if self.rtl else 0.0
        gx0 = min(self.col_x(c) for c in group.cols)
        gw = len(group.cols) * COL_W
        label_x = inset + (group.width - _EDGE - self.label_w if self.rtl else _EDGE)
        cells_x = inset + (_EDGE if self.rtl else _EDGE + self.label_w)
        label_dx = label_x - self.stage_label.x
        cell_dx = cells_x - gx0
        boxes.append(replace(_shift(self.stage_label, label_dx, top - self.top), h=group.stage_h))
        for cell in group.cells:
            boxes.append(replace(_shift(cell, inset, top), h=group.stage_h))
        shifts = [(self.rows[0].y, self.rows[0].h, top - self.rows[0].y)]
        y = top + group.stage_h
        for i in strip.band:
            shifts.append((self.rows[i].y, self.rows[i].h, y - self.rows[i].y))
            y += group.heights[i]
        left = inset + _EDGE
        cut = Cut(gx0, gw, cells_x, tuple(shifts), left, left + group.width - 2 * _EDGE)
        for box in self.grid:
            dy = cut.dy(box.y)
            if dy is None:
                continue
            if box.cls in ("cell lane-label", "axis"):
                moved = _shift(box, label_dx, dy)
            elif gx0 - 0.5 <= box.x < gx0 + gw - 0.5:
                moved = _shift(box, cell_dx, dy)
            else:
                continue
            row = self.row_of[id(box)]
            if row in self.trimmed:
                moved.h = group.heights[row]
            boxes.append(moved)
        return self.geometry.on_page(cut, id=f"{self.geometry.id}-p{name}", boxes=[])


def paginate(
    journey: Journey,
    geometry: G,
    sheet_px: tuple[float, float],
    title: str | None = None,
    margin_px: float = 0.0,
) -> list[G]:
    """Pages of ``geometry`` (a grid view of ``journey``: the map or the blueprint), each
    fitting ``sheet_px`` one way round or the other (the printable area of a landscape sheet
    in px at ``min_scale``; ``margin_px`` the paper's margin, which counts as blank), headed
    by ``title`` (the journey's title unless given)."""
    if sum(b.cls == "cell lane-label" for b in geometry.boxes) < 2:
        return [geometry]  # a stage row and no lanes (no touchpoints): nothing to cut
    cutter = _Cutter(journey, geometry, title or journey.title, margin_px)
    digits = 1
    while True:
        plan = cutter.plan(sheet_px, digits)
        if len(str(len(plan))) <= digits:
            return [cutter.page(p, n, len(plan)) for n, p in enumerate(plan, start=1)]
        digits = len(str(len(plan)))
