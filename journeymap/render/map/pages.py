"""A grid view cut into a print set: pages of whole stages (and, when too tall, bands of lanes).

The view (the map or the blueprint) is laid out once; each page is a new layout of its kind
holding the lane-label column, one group of stage columns and one band of lanes (the stage
row repeated on top), under a header with the title and a "page n of m" mark naming its
stages; the view's ``on_page`` keeps the marks it draws besides boxes. Groups and bands are
chosen so that, scaled onto the sheet, the body text stays at least ``MIN_PT``.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import TypeVar

from journeymap.model.journey import Journey
from journeymap.render.grid import (
    BODY,
    MARGIN,
    TITLE,
    Box,
    Cut,
    Grid,
    Stack,
    Style,
    columns,
    flow,
    mirror,
)
from journeymap.text.locale import messages

#: Smallest body text on paper, in pt.
MIN_PT = 8.0
#: Gap between the header and the grid, and around the legend, px.
_GAP = 16.0
_PAGE = Style("t-label", 12.0, True)
G = TypeVar("G", bound=Grid)


@dataclass(frozen=True)
class _Row:
    y: float
    h: float


def _groups(widths: list[float], limit: float) -> list[range]:
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


def paginate(
    journey: Journey, geometry: G, area_px: tuple[float, float], title: str | None = None
) -> list[G]:
    """Pages of ``geometry`` (a grid view of ``journey``: the map or the blueprint), each
    fitting ``area_px`` (the sheet's printable area in px at the scale where body text is
    ``MIN_PT``), headed by ``title`` (the journey's title unless given)."""
    m = messages(journey.lang)
    rtl = geometry.rtl
    width = geometry.width
    labels = [b for b in geometry.boxes if b.cls == "cell lane-label"]
    # A row owns the gap under it (where the blueprint's named lines run).
    rows = [
        _Row(b.y, nxt.y - b.y if nxt.y - b.y > b.h + 0.5 else b.h)
        for b, nxt in zip(labels, [*labels[1:], labels[-1]], strict=True)
    ]
    grid_top, grid_bottom = rows[0].y, rows[-1].y + rows[-1].h
    label_w = labels[0].w
    stage_cols, _, _ = columns(journey, MARGIN + label_w)
    if rtl:
        stage_cols = [(round(width - x - w, 2), w) for x, w in stage_cols]
    cards = [b for b in geometry.boxes if b.cls == "card persona"]
    legend = [b for b in geometry.boxes if b.y >= grid_bottom and b not in cards]
    grid = [b for b in geometry.boxes if grid_top <= b.y < grid_bottom]

    room_w = area_px[0] - 2 * MARGIN - label_w
    groups = _groups([w for _, w in stage_cols], room_w)
    header_h = TITLE.size * 1.3 + _PAGE.size * 1.3 + 6 + _GAP
    cards_h = max((c.h for c in cards), default=0.0) + _GAP if cards else 0.0
    legend_h = (max(b.y + b.h for b in legend) - grid_bottom) + _GAP if legend else 0.0

    def bands_within(room: float) -> list[list[int]]:
        """Lanes after the stage row in bands of at most ``room`` px (cards over the first,
        the legend under the last)."""
        bands: list[list[int]] = [[]]
        used = cards_h
        for i in range(1, len(rows)):
            need = rows[i].h + (legend_h if i == len(rows) - 1 else 0.0)
            if bands[-1] and used + need > room:
                bands.append([])
                used = 0.0
            bands[-1].append(i)
            used += rows[i].h
        return bands

    full_room = area_px[1] - 2 * MARGIN - header_h - rows[0].h
    plan = []
    for group in groups:
        # A narrow group gets shorter bands, so that its pages keep the sheet's proportions.
        page_w = 2 * MARGIN + label_w + sum(stage_cols[i][1] for i in group)
        tall = min(area_px[1], page_w * area_px[1] / area_px[0])
        bands = bands_within(tall - 2 * MARGIN - header_h - rows[0].h)
        if len(bands) > 1:
            # A short last band joins the one before when both fit the whole sheet.
            joined = bands[-2] + bands[-1]
            extra = (cards_h if len(bands) == 2 else 0.0) + legend_h
            if sum(rows[i].h for i in joined) + extra <= full_room:
                bands[-2:] = [joined]
        plan.append((group, bands))
    total = sum(len(bands) for _, bands in plan)

    pages: list[G] = []
    for group, bands in plan:
        gx0 = min(stage_cols[i][0] for i in group)
        gw = sum(stage_cols[i][1] for i in group)
        page_w = round(2 * MARGIN + label_w + gw, 2)
        label_x = page_w - MARGIN - label_w if rtl else MARGIN
        cells_x = MARGIN if rtl else MARGIN + label_w
        label_dx = label_x - (width - MARGIN - label_w if rtl else MARGIN)
        cell_dx = cells_x - gx0
        first, last = journey.stages[group[0]].name, journey.stages[group[-1]].name
        for band in bands:
            number = len(pages) + 1
            header = Stack(Box("header", page_w - 2 * MARGIN, 0.0), m, top=0.0, left=0.0)
            header.text(title or journey.title, TITLE)
            key = "map.page_one_stage" if len(group) == 1 else "map.page"
            header.text(m(key, page=number, pages=total, first=first, last=last), _PAGE)
            head = header.close()
            head.x, head.y = MARGIN, MARGIN
            if rtl:
                mirror(head, page_w)
            boxes = [head]
            top = head.y + head.h + _GAP
            if band is bands[0] and cards:
                placed = [copy.deepcopy(c) for c in cards]
                top = flow(placed, MARGIN, top, page_w - 2 * MARGIN, 12) + _GAP
                for card in placed:
                    if rtl:
                        card.x = round(page_w - card.x - card.w, 2)
                boxes += placed
            shifts: list[tuple[float, float, float]] = []
            for i in [0, *band]:
                shifts.append((rows[i].y, rows[i].h, top - rows[i].y))
                top += rows[i].h
            cut = Cut(
                x0=gx0, width=gw, at=cells_x, rows=tuple(shifts), left=MARGIN, right=page_w - MARGIN
            )
            for box in grid:
                dy = cut.dy(box.y)
                if dy is None:
                    continue
                if box.cls in ("cell lane-label", "axis"):
                    boxes.append(_shift(box, label_dx, dy))
                elif gx0 - 0.5 <= box.x < gx0 + gw - 0.5:
                    boxes.append(_shift(box, cell_dx, dy))
            if band is bands[-1] and legend:
                placed = [copy.deepcopy(b) for b in legend]
                top = flow(placed, MARGIN, top + _GAP, page_w - 2 * MARGIN, 10)
                if rtl:
                    for b in placed:
                        b.x = round(page_w - b.x - b.w, 2)
                boxes += placed
            pages.append(
                geometry.on_page(
                    cut,
                    id=f"{geometry.id}-p{number}",
                    width=page_w,
                    height=round(top + MARGIN, 2),
                    boxes=boxes,
                )
            )
    return pages


def min_scale() -> float:
    """Map px -> pt factor at which the body text is ``MIN_PT``."""
    return MIN_PT / BODY.size
