"""Geometry of the service blueprint, on the grid the map is laid out on (``render.grid``).

Columns are the map's: one per touchpoint, grouped by stage. Rows, top to bottom: the
stages, the time (when some touchpoint has ``at`` or ``duration``), then the five lanes of a
blueprint (physical evidence, customer actions, frontstage, backstage, support). Between
the last four lanes run the three named lines, each in a strip of its own, so no text ever
sits on a line. Every column gets an arrow from the customer's action down through each lane
that serves it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from itertools import pairwise
from typing import Any

from journeymap.model.journey import Action, Actor, Journey, Note, Touchpoint
from journeymap.render.grid import (
    ARABIC_LEAD,
    BODY,
    COL_W,
    FILL,
    LABEL,
    MARGIN,
    MIN_ROW,
    MIN_WIDTH,
    NAME,
    PAD,
    SMALL,
    STAGE,
    TITLE,
    Box,
    Cut,
    Grid,
    Stack,
    badge,
    columns,
    note_box,
    place_legend,
    text_box,
    truth_badge,
    xml_id,
)
from journeymap.render.timescale import WAIT
from journeymap.text.fit import has_arabic, text_width
from journeymap.text.locale import Messages, messages

#: The five lanes, top to bottom.
LANES: tuple[str, ...] = ("evidence", "customer", "frontstage", "backstage", "support")
#: The named lines: (id, the lane above it).
LINES: tuple[tuple[str, str], ...] = (
    ("interaction", "customer"),
    ("visibility", "frontstage"),
    ("internal", "backstage"),
)
#: Height of the strip a named line runs in, px.
STRIP = 26.0


@dataclass(frozen=True)
class NamedLine:
    """One of the three lines: its id, label, height, and the label's start."""

    id: str
    label: str
    y: float
    x0: float
    x1: float
    label_x: float
    label_y: float


@dataclass(frozen=True)
class Arrow:
    """A vertical arrow from a customer action (or a step) down to what serves it."""

    x: float
    y0: float
    y1: float


@dataclass(kw_only=True)
class BlueprintLayout(Grid):
    """Everything the blueprint template places: the grid's boxes, the lines and arrows."""

    lines: list[NamedLine]
    arrows: list[Arrow]
    #: Lane id -> (top, height) of its row, for tests and readers of the SVG.
    lanes: dict[str, tuple[float, float]] = field(default_factory=dict)

    def mirror_marks(self, width: float) -> None:
        """Mirror the named lines (their labels start on the right) and the arrows."""
        self.lines = [
            replace(ln, x0=round(width - ln.x1, 2), x1=round(width - ln.x0, 2),
                    label_x=round(width - ln.label_x, 2))
            for ln in self.lines
        ]  # fmt: skip
        self.arrows = [replace(a, x=round(width - a.x, 2)) for a in self.arrows]

    def on_page(self, cut: Cut, **fields: Any) -> BlueprintLayout:
        """A page of the blueprint: the lines across its grid, the arrows of its columns."""
        lines = []
        for ln in self.lines:
            if (dy := cut.dy(ln.y)) is not None:
                label_x = cut.right - PAD if self.rtl else cut.left + PAD
                y = round(ln.y + dy, 2)
                lines.append(
                    replace(
                        ln, y=y, x0=cut.left, x1=cut.right, label_x=label_x, label_y=round(y - 3, 2)
                    )
                )
        arrows = [
            Arrow(round(a.x + cut.dx, 2), round(a.y0 + dy0, 2), round(a.y1 + dy1, 2))
            for a in self.arrows
            if cut.holds(a.x)
            and (dy0 := cut.dy(a.y0)) is not None
            and (dy1 := cut.dy(a.y1)) is not None
        ]
        lanes = {
            lane: (round(top + dy, 2), h)
            for lane, (top, h) in self.lanes.items()
            if (dy := cut.dy(top)) is not None
        }
        return replace(self, lines=lines, arrows=arrows, lanes=lanes, **fields)

    def stacked(self, parts: Sequence[BlueprintLayout]) -> BlueprintLayout:
        """This page with the lines and arrows of ``parts`` too (each lane's first row)."""
        lanes = dict(self.lanes)
        for part in parts:
            for lane, row in part.lanes.items():
                lanes.setdefault(lane, row)
        return replace(
            self,
            lines=[*self.lines, *(ln for p in parts for ln in p.lines)],
            arrows=[*self.arrows, *(a for p in parts for a in p.arrows)],
            lanes=lanes,
        )


def _steps(tp: Touchpoint, lane: str) -> tuple[Action, ...]:
    """The steps of ``tp`` in a staff or system lane."""
    steps = {"frontstage": tp.frontstage, "backstage": tp.backstage_actions}
    return steps.get(lane, tp.support)


def _step_box(step: Action, lane: str, width: float, actor: Actor | None, m: Messages) -> Box:
    kind = actor.kind if actor else "staff"
    box = Box(f"step step-{lane} kind-{kind}", width, 0.0)
    stack = Stack(box, m)
    stack.text(step.text, BODY)
    name = actor.name if actor else step.actor
    if name and name.casefold() != step.text.casefold():
        color = actor.color if actor else None
        stack.child(badge(f"badge actor kind-{kind}", name, stack.inner, m, color))
    return stack.close()


def _fail_box(note: Note, width: float, m: Messages) -> Box:
    box = note_box(note, "pain fail", width, f"⚠ {m('blueprint.fail_point')}", m)
    box.title = note.text
    return box


def _waits(journey: Journey, wait: float) -> dict[str, float]:
    """Touchpoint id -> the wait before it, when at least ``wait`` seconds: its ``at`` less the
    latest end (``at`` plus ``duration``) of the timed touchpoints leading to it."""
    ends: dict[str, float] = {}
    for tp in journey.touchpoints:
        if tp.at is not None:
            for target in tp.next:
                end = tp.at + (tp.duration or 0.0)
                ends[target] = max(end, ends.get(target, end))
    return {
        tp.id: tp.at - ends[tp.id]
        for tp in journey.touchpoints
        if tp.at is not None and tp.id in ends and tp.at - ends[tp.id] >= wait
    }


def _cell(
    lane: str,
    tp: Touchpoint,
    journey: Journey,
    waits: dict[str, float],
    m: Messages,
) -> tuple[Box, float]:
    """The cell of ``tp`` in ``lane`` and its content's bottom (its first item is at PAD)."""
    cid = xml_id(journey.id, "bp", lane, tp.id)
    stack = Stack(
        Box(f"cell bp-{lane}" + (" mot" if tp.moment_of_truth else ""), COL_W, 0.0, id=cid), m
    )
    inner = stack.inner
    if lane == "time":
        if tp.id in waits:
            stack.child(
                badge("badge wait", m("blueprint.wait", time=m.elapsed(waits[tp.id])), inner, m)
            )
        if tp.at is not None:
            stack.text(
                m("blueprint.at", time=m.elapsed(tp.at)) if tp.at else m("blueprint.start"), SMALL
            )
        if tp.duration is not None:
            stack.text(m("blueprint.lasts", time=m.elapsed(tp.duration)), SMALL)
    elif lane == "evidence":
        for item in tp.evidence:
            stack.text(f"▪ {item}", SMALL)
    elif lane == "customer":
        stack.text(tp.name, NAME)
        if tp.moment_of_truth:
            stack.child(truth_badge(inner, m))
        if tp.action:
            stack.text(tp.action, BODY)
        for note in tp.pain_points:
            if note.fail_point:
                stack.child(_fail_box(note, inner, m))
    else:
        for step in _steps(tp, lane):
            stack.child(_step_box(step, lane, inner, journey.actor(step.actor), m))
    bottom = stack.top
    return stack.close(MIN_ROW), bottom


def layout(journey: Journey, wait: float = WAIT) -> BlueprintLayout:
    """Compute the whole blueprint of ``journey`` (mirrored for a right-to-left language)."""
    m = messages(journey.lang)
    root = xml_id(journey.id, "blueprint")
    tps = journey.touchpoints
    timed = any(tp.at is not None or tp.duration is not None for tp in tps)
    rows = ["stage", *(["time"] if timed else []), *LANES]
    labels = {row: m(f"blueprint.lane.{row}") for row in rows}
    widest = max(text_width(text, LABEL.size, True) for text in labels.values())
    lines_w = max(text_width(m(f"blueprint.line.{key}"), SMALL.size) for key, _ in LINES)
    label_w = max(130.0, min(240.0, max(widest / FILL + 2 * PAD + 1, lines_w + 2 * PAD)))

    stage_cols, tp_x, grid_right = columns(journey, MARGIN + label_w)
    width = max(grid_right + MARGIN, MIN_WIDTH)
    inner_w = width - 2 * MARGIN

    boxes: list[Box] = []
    header = Stack(Box("header", inner_w, 0.0, id=f"{root}-header"), m, top=0.0, left=0.0)
    header.text(journey.title, TITLE)
    header.child(badge("badge kind-blueprint", m("blueprint.kind"), inner_w, m))
    header.child(
        badge(f"badge state state-{journey.state}", m(f"state.{journey.state}"), inner_w, m)
    )
    if journey.summary:
        header.text(journey.summary, BODY)
    header_box = header.close()
    header_box.x, header_box.y = MARGIN, MARGIN
    boxes.append(header_box)
    top = header_box.y + header_box.h + 16

    waits = _waits(journey, wait)
    lanes: dict[str, tuple[float, float]] = {}
    spans: dict[str, dict[str, tuple[float, float]]] = {}
    lines: list[NamedLine] = []
    for row in rows:
        label = text_box(
            "cell lane-label", label_w, [(labels[row], LABEL)], m, id=f"{root}-lane-{row}"
        )
        label.x = MARGIN
        cells: list[Box] = []
        if row == "stage":
            for stage, (sx, sw) in zip(journey.stages, stage_cols, strict=True):
                items = [(stage.name, STAGE)]
                if stage.duration is not None:
                    items.append((m("blueprint.lasts", time=m.elapsed(stage.duration)), SMALL))
                cell = text_box(
                    "cell lane-stage", sw, items, m, id=xml_id(journey.id, "bp-stage", stage.id)
                )
                cell.x = sx
                cells.append(cell)
        else:
            spans[row] = {}
            for tp in tps:
                cell, bottom = _cell(row, tp, journey, waits, m)
                cell.x = tp_x[tp.id]
                cells.append(cell)
                if row in ("customer", "frontstage", "backstage", "support") and (
                    row == "customer" or _steps(tp, row)
                ):
                    spans[row][tp.id] = (top + PAD, top + bottom)
        row_h = max([label.h, MIN_ROW, *(c.h for c in cells)])
        for box in [label, *cells]:
            box.y, box.h = round(top, 2), round(row_h, 2)
        boxes.extend([label, *cells])
        lanes[row] = (round(top, 2), round(row_h, 2))
        top += row_h
        line = next((key for key, above in LINES if above == row), None)
        if line is not None:
            y = round(top + STRIP - 6, 2)
            name = m(f"blueprint.line.{line}")
            # Arabic letters reach further below the baseline (ي ة ل): lift their name clear.
            lift = 3 + (SMALL.size * ARABIC_LEAD if has_arabic(name) else 0.0)
            lines.append(
                NamedLine(
                    line, name, y, MARGIN, round(grid_right, 2), MARGIN + PAD, round(y - lift, 2)
                )
            )
            top += STRIP

    arrows: list[Arrow] = []
    for tp in tps:
        cx = round(tp_x[tp.id] + COL_W / 2, 2)
        chain = [spans[lane][tp.id] for lane in LANES[1:] if tp.id in spans.get(lane, {})]
        for (_, bottom), (start, _) in pairwise(chain):
            arrows.append(Arrow(cx, round(bottom + 2, 2), round(start - 2, 2)))

    top += 16
    legend = _legend(journey, inner_w, m, wait)
    top = place_legend(boxes, legend, top, inner_w, m)
    geometry = BlueprintLayout(
        id=root,
        width=round(width, 2),
        height=round(top + MARGIN, 2),
        boxes=boxes,
        lines=lines,
        arrows=arrows,
        lanes=lanes,
        rtl=m.rtl,
        lang=journey.lang,
    )
    if m.rtl:
        geometry.mirror(width)
    return geometry


def _legend(journey: Journey, width: float, m: Messages, wait: float) -> list[Box]:
    """Legend entries: each actor with its kind, the fail point, the wait marks and the
    moment of truth."""
    items = []
    for actor in journey.actors:
        text = m(f"blueprint.actor.{actor.kind}", name=actor.name)
        items.append(badge(f"badge actor kind-{actor.kind}", text, width, m, actor.color))
    if any(n.fail_point for tp in journey.touchpoints for n in tp.pain_points):
        items.append(badge("badge fail-badge", f"⚠ {m('blueprint.fail_point')}", width, m))
    if _waits(journey, wait):
        example = m.elapsed(wait)
        items.append(badge("badge wait", m("blueprint.wait_legend", example=example), width, m))
    if any(tp.moment_of_truth for tp in journey.touchpoints):
        items.append(truth_badge(width, m))
    return items
