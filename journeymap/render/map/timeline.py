"""The map on a time axis (``--x time``): columns placed by ``at``, and the time row.

Columns keep their width (their text needs it) and follow each other in time order, with
room between them for the time that passes (``journeymap.render.timescale``). A stage gets
one header per run of its touchpoints. The time row holds a ruler through every column's
centre: a tick per touchpoint (hollow where its time is estimated), a bar as long as its
``duration``, a thin segment for each wait, and at each break a label ("3 days later")
that interrupts the ruler. Under the ruler each column says when and for how long.
"""

from __future__ import annotations

from dataclasses import replace

from journeymap.model.journey import Journey, Stage
from journeymap.render.grid import COL_W, FILL, PAD, SMALL, Box, Stack, xml_id
from journeymap.render.timescale import TimeAxis
from journeymap.text.fit import text_width
from journeymap.text.locale import Messages

BAR_H = 8.0
TICK_H = 14.0
WAIT_H = 2.0


def columns(
    journey: Journey, axis: TimeAxis, left: float
) -> tuple[list[tuple[Stage, float, float, str]], dict[str, float], float]:
    """The stage headers (stage, x, width, element id) of each run of a stage's columns,
    each touchpoint's column x, and the grid's right edge."""
    tp_x = {
        tp.id: round(left + p * COL_W, 2)
        for tp, p in zip(axis.touchpoints, axis.positions, strict=True)
    }
    runs: list[tuple[Stage, float, float, str]] = []
    seen: dict[str, int] = {}
    for tp in axis.touchpoints:
        x = tp_x[tp.id]
        if runs and runs[-1][0].id == tp.stage_id:
            stage, start, _, eid = runs[-1]
            runs[-1] = (stage, start, round(x + COL_W - start, 2), eid)
            continue
        seen[tp.stage_id] = seen.get(tp.stage_id, 0) + 1
        parts = (
            ("stage", tp.stage_id)
            if seen[tp.stage_id] == 1
            else ("stage", tp.stage_id, str(seen[tp.stage_id]))
        )
        runs.append((journey.stage(tp.stage_id), x, COL_W, xml_id(journey.id, *parts)))
    right = max(tp_x.values()) + COL_W
    return runs, tp_x, right


def time_cells(
    journey: Journey, axis: TimeAxis, tp_x: dict[str, float], top: float, m: Messages
) -> list[Box]:
    """Each column's cell of the time row (from ``top``, under the ruler): when it happens
    and how long it lasts."""
    cells = []
    for tp, seconds, estimated in zip(axis.touchpoints, axis.times, axis.estimated, strict=True):
        cls = "cell lane-time" + (" estimated" if estimated else "")
        stack = Stack(Box(cls, COL_W, 0.0, id=xml_id(journey.id, "time", tp.id)), m, top=top)
        when = m("blueprint.at", time=m.span(seconds)) if seconds else m("blueprint.start")
        stack.text(f"≈ {when}" if estimated else when, SMALL)
        if estimated:
            stack.text(m("time.estimated"), SMALL)
        if tp.duration:
            stack.text(m("blueprint.lasts", time=m.elapsed(tp.duration)), SMALL)
        cell = stack.close()
        cell.x = tp_x[tp.id]
        cells.append(cell)
    return cells


def ruler(axis: TimeAxis, left: float, top: float, m: Messages) -> tuple[list[Box], float]:
    """The ruler's marks (absolute positions from the row's ``top``): waits, duration bars,
    ticks, and over each break its label; and the height of the strip they take."""
    centre = [left + p * COL_W + COL_W / 2 for p in axis.positions]
    labels: list[Box] = []
    for gap in axis.gaps:
        if gap.is_break:
            a, b = centre[gap.before], centre[gap.before + 1]
            label = _label(m("time.later", time=m.elapsed(gap.seconds)), b - a - 2 * TICK_H, m)
            label.x, label.y = round((a + b - label.w) / 2, 2), round(top + PAD / 2, 2)
            labels.append(label)
    mid = top + PAD / 2 + max((b.h for b in labels), default=0.0) + TICK_H / 2 + 4
    waits: list[Box] = []
    bars: list[Box] = []
    ticks: list[Box] = []
    for i, tp in enumerate(axis.touchpoints):
        end = left + axis.end(i) * COL_W + COL_W / 2
        if tp.duration:
            lasts = m("blueprint.lasts", time=m.elapsed(tp.duration))
            width = max(4.0, end - centre[i])
            bars.append(
                _mark("time-bar", centre[i], mid - BAR_H / 2, width, BAR_H, f"{tp.name}: {lasts}")
            )
        if i + 1 < len(centre) and centre[i + 1] > end:
            cls = "time-wait break" if axis.gaps[i].is_break else "time-wait"
            waits.append(_mark(cls, end, mid - WAIT_H / 2, centre[i + 1] - end, WAIT_H, None))
        when = m.span(axis.times[i])
        cls = "time-tick estimated" if axis.estimated[i] else "time-tick"
        ticks.append(
            _mark(cls, centre[i] - 1.5, mid - TICK_H / 2, 3.0, TICK_H, f"{tp.name}: {when}")
        )
    return [*waits, *bars, *ticks, *labels], round(mid + TICK_H / 2 + 2 - top, 2)


def _mark(cls: str, x: float, y: float, w: float, h: float, title: str | None) -> Box:
    return Box(cls, round(w, 2), round(h, 2), x=round(x, 2), y=round(y, 2), title=title)


#: A break's label: small text, drawn bold by the theme (time.css), so measured bold.
BREAK = replace(SMALL, bold=True)


def _label(text: str, room: float, m: Messages) -> Box:
    """A break's label, as wide as its text, wrapped to ``room`` if it needs more."""
    width = min(room, text_width(text, BREAK.size, True) / FILL + 1.5 * PAD + 2)
    stack = Stack(Box("time-break", round(width, 2), 0.0), m, top=2.0, left=PAD / 2)
    stack.text(text, BREAK)
    box = stack.close()
    box.h = round(box.h - PAD + 2.0, 2)
    for k, line in enumerate(box.lines):
        inset = round(max(0.0, (box.w - text_width(line.text, BREAK.size, True)) / 2), 2)
        x = box.w - inset if line.rtl else inset
        box.lines[k] = replace(line, x=round(x, 2), inset=inset)
    return box
