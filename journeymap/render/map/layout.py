"""Geometry of the journey map: every box, line of text and curve point, and no drawing.

The map is a grid: a column per touchpoint (an empty stage still gets one), grouped by
stage, and a row per lane that some touchpoint fills. Every box is sized from the text
it holds (wrapped with the layout font's real advance widths, see ``journeymap.text.fit``),
every row takes its tallest cell, so nothing overlaps whatever the input. Boxes hold
their lines and child boxes in coordinates relative to themselves; the templates only
place what is computed here. The cost is linear in the size of the journey.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar

from journeymap.model.evidence import Measure
from journeymap.model.journey import SEVERITIES, Journey, Level, Note, Persona, Touchpoint
from journeymap.render.grid import (
    AXIS,
    BODY,
    COL_W,
    FILL,
    GAP,
    LABEL,
    MARGIN,
    MAX_LINES,
    MIN_ROW,
    MIN_WIDTH,
    NAME,
    PAD,
    QUOTE,
    SMALL,
    STAGE,
    TAG,
    TITLE,
    Box,
    Cut,
    Grid,
    Stack,
    badge,
    columns,
    flow,
    note_box,
    place_legend,
    text_box,
    truth_badge,
    xml_id,
)
from journeymap.render.map import timeline
from journeymap.render.smooth import monotone_curve
from journeymap.render.timescale import TimeAxis
from journeymap.text.fit import is_rtl, text_width
from journeymap.text.locale import QUOTES, Messages, messages

CARD_W = 270.0
#: Vertical distance between two levels of the emotion scale, at least.
LEVEL_STEP = 26.0
#: Lines of a persona's description on their card.
CARD_LINES = 6
#: Metric names shown as a share (values 0..1 as percent) and those with a known scale.
RATE_METRICS = frozenset(
    {"conversion", "abandonment", "churn", "drop_off", "dropoff", "bounce", "completion"}
)
SCALE_METRICS: dict[str, tuple[str, float, float, str]] = {
    "csat": ("CSAT", 1, 5, "{value} / 5"),
    "ces": ("CES", 1, 7, "{value} / 7"),
    "nps": ("NPS", -100, 100, "+{value}"),
}


def _with_child(box: Box, child: Box) -> Box:
    """``box`` (closed) with ``child`` added below its content."""
    child.x, child.y = PAD, round(box.h - PAD + GAP, 2)
    box.children.append(child)
    box.h = round(child.y + child.h + PAD, 2)
    return box


def _level_badge(key: str, level: Level, width: float, m: Messages) -> Box:
    """A badge naming another level of the journey (``map.detail`` or ``map.part_of``),
    linked when the level has an address."""
    cls = "badge level-link" + (" linked" if level.href else "")
    box = badge(cls, m(key, title=level.title), width, m)
    box.href = level.href
    return box


@dataclass
class Curve:
    """One persona's emotion line: runs of smoothed points, split where it has no emotion."""

    persona: int
    color: str
    name: str
    runs: list[list[tuple[float, float]]]
    #: (x, y, tooltip) of each touchpoint's marker.
    points: list[tuple[float, float, str]]


@dataclass(frozen=True)
class MeasuredMark:
    """A measured score in the emotion band: mean at ``y``, 95% interval ``top``..``bottom``."""

    x: float
    y: float
    top: float
    bottom: float
    #: Fewer than 30 answers: drawn faint.
    faint: bool
    tip: str


@dataclass(kw_only=True)
class MapLayout(Grid):
    """Everything the map template places: the grid's boxes, the emotion band and curves."""

    #: Its marks lie in the emotion lane, which has axis boxes and is never shortened.
    TRIM_LANES: ClassVar[bool] = True
    curves: list[Curve]
    #: Horizontal scale lines of the emotion band: (y, class).
    levels: list[tuple[float, str]]
    band: tuple[float, float, float, float] | None
    personas: tuple[Persona, ...]
    #: Measured scores drawn beside the assumed emotions (none without evidence).
    measured: list[MeasuredMark] = field(default_factory=list)
    #: Further emotion bands on the same page (a printed page holding several strips of the
    #: map): their ``id``, ``band``, ``levels``, ``curves`` and ``measured`` are drawn.
    more: list[MapLayout] = field(default_factory=list)
    #: True on the time axis (the time row's styles are added).
    timed: bool = False

    def mirror_marks(self, width: float) -> None:
        """Mirror the emotion band, the curves and the measured marks."""
        if self.band is not None:
            band = self.band
            self.band = (round(width - band[0] - band[2], 2), band[1], band[2], band[3])
        for curve in self.curves:
            curve.runs = [[(round(width - x, 2), y) for x, y in run] for run in curve.runs]
            curve.points = [(round(width - x, 2), y, tip) for x, y, tip in curve.points]
        self.measured = [replace(k, x=round(width - k.x, 2)) for k in self.measured]

    def on_page(self, cut: Cut, **fields: Any) -> MapLayout:
        """A page of the map: the band, curves and measured marks within ``cut``."""
        band, levels, curves, marks = None, [], [], []
        if self.band is not None and (dy := cut.dy(self.band[1])) is not None:
            _, by, _, bh = self.band
            band = (cut.at, round(by + dy, 2), cut.width, bh)
            levels = [(round(y + dy, 2), c) for y, c in self.levels]
            dx = cut.dx
            for c in self.curves:
                runs = [
                    [(round(x + dx, 2), round(y + dy, 2)) for x, y in run if cut.holds(x)]
                    for run in c.runs
                ]
                points = [
                    (round(x + dx, 2), round(y + dy, 2), t) for x, y, t in c.points if cut.holds(x)
                ]
                curves.append(Curve(c.persona, c.color, c.name, [r for r in runs if r], points))
            marks = [
                replace(k, x=round(k.x + dx, 2), y=k.y + dy, top=k.top + dy, bottom=k.bottom + dy)
                for k in self.measured
                if cut.holds(k.x)
            ]
        return replace(self, band=band, levels=levels, curves=curves, measured=marks, **fields)

    def stacked(self, parts: Sequence[MapLayout]) -> MapLayout:
        """This page with the emotion bands of ``parts`` drawn too."""
        return replace(self, more=[*self.more, *parts])


def _lanes(tps: Sequence[Touchpoint]) -> list[str]:
    checks = {
        "touchpoints": lambda tp: True,
        "actions": lambda tp: bool(tp.action),
        "thoughts": lambda tp: bool(tp.thought),
        "emotion": lambda tp: bool(tp.emotions),
        "pain_points": lambda tp: bool(tp.pain_points),
        "opportunities": lambda tp: bool(tp.opportunities),
        "metrics": lambda tp: bool(tp.metrics),
        "owner": lambda tp: bool(tp.owner),
        "backstage": lambda tp: bool(tp.backstage),
    }
    return ["stage", *(lane for lane, check in checks.items() if any(map(check, tps)))]


def quoted(text: str, m: Messages | None = None) -> str:
    """``text`` in the language's quotation marks, unless it already starts or ends with one.

    In an English map right-to-left text gets guillemets, which bidi mirrors into place.
    """
    text = text.strip()
    if text[:1] in QUOTES or text[-1:] in QUOTES:
        return text
    if m is not None and m.language != "en":
        return m.quote(text)
    return f"«{text}»" if is_rtl(text) else f"“{text}”"


def metric_text(name: str, value: float, m: Messages | None = None) -> str:
    """``name: value``, the value as a percent for rates (0..1) and on its scale for CSAT, CES
    and NPS; other names and out-of-range values as written; numbers the language's way."""
    m = m or messages()
    key = name.strip().lower().replace("-", "_").replace(" ", "_")
    if key in SCALE_METRICS:
        label, low, high, shape = SCALE_METRICS[key]
        if low <= value <= high:
            sign = "+" if shape.startswith("+") and value > 0 else ""
            text = sign + m.number(value) + shape.lstrip("+")[len("{value}") :]
            return m("map.metric", name=label, value=text)
    rate = key in RATE_METRICS or key.endswith("_rate") or key == "rate"
    if rate and 0 <= value <= 1:
        return m("map.metric", name=name, value=f"{m.number(round(value * 100, 1))} %")
    return m("map.metric", name=name, value=value)


def _cell(
    lane: str, tp: Touchpoint, width: float, cid: str, colors: dict[str, str], m: Messages
) -> Box:
    """The box of touchpoint ``tp`` in ``lane`` (not the stage or emotion lanes)."""
    cls = f"cell lane-{lane.replace('_', '-')}" + (" mot" if tp.moment_of_truth else "")
    stack = Stack(Box(cls, width, 0.0, id=cid), m)
    inner = stack.inner
    if lane == "touchpoints":
        stack.text(tp.name, NAME)
        if tp.channel_name:
            color = colors.get(tp.channel) if tp.channel else None
            stack.child(badge("badge channel", tp.channel_name, inner, m, color))
        if tp.moment_of_truth:
            stack.child(truth_badge(inner, m))
        if tp.detail:
            stack.child(_level_badge("map.detail", tp.detail, inner, m))
    elif lane == "actions" and tp.action:
        stack.text(tp.action, BODY, MAX_LINES)
    elif lane == "thoughts" and tp.thought:
        stack.text(quoted(tp.thought, m), QUOTE, MAX_LINES)
    elif lane == "pain_points":
        for note in tp.pain_points:
            stack.child(note_box(note, "pain", inner, m(f"severity.{note.severity}"), m))
    elif lane == "opportunities":
        for note in tp.opportunities:
            stack.child(note_box(note, "opportunity", inner, None, m))
    elif lane == "metrics":
        for name, value in tp.metrics.items():
            stack.text(metric_text(name, value, m), BODY)
    elif lane == "owner" and tp.owner:
        stack.text(tp.owner, BODY)
    elif lane == "backstage" and tp.backstage:
        stack.text(tp.backstage, SMALL, MAX_LINES)
    return stack.close(MIN_ROW)


def _persona_card(persona: Persona, index: int, width: float, pid: str, m: Messages) -> Box:
    box = Box("card persona", width, 0.0, id=pid, persona=index, color=persona.color)
    stack = Stack(box, m, left=PAD + 22)
    stack.text(persona.name, NAME)
    if persona.role:
        stack.text(persona.role, SMALL)
    if persona.description:
        stack.text(persona.description, SMALL, CARD_LINES)
    lists = (("goals", persona.goals), ("needs", persona.needs))
    for key, items in (*lists, ("frustrations", persona.frustrations)):
        if items:
            stack.text(m(f"map.{key}"), TAG)
            for item in items:
                stack.text(f"• {item}", SMALL, 3)
    if persona.quote:
        stack.text(quoted(persona.quote, m), QUOTE, 4)
    return stack.close()


def layout(journey: Journey, times: TimeAxis | None = None) -> MapLayout:
    """Compute the whole map of ``journey`` (mirrored when its language is right to left);
    on the time axis ``times`` when one is given (``timeline``), else one column after another."""
    m = messages(journey.lang)
    channel_colors = {c.id: c.color for c in journey.channels if c.color}
    root = xml_id(journey.id)
    tps = times.touchpoints if times else journey.touchpoints
    lanes = _lanes(tps)
    if times:
        lanes.insert(1, "time")
    if any(journey.surveys(tp.id) for tp in tps):
        lanes.insert(
            lanes.index("emotion" if "emotion" in lanes else "touchpoints") + 1, "measured"
        )
    scale = journey.scale
    levels = [v for v in range(scale.max, scale.min - 1, -1)]

    # Label column: lane titles and the scale's words on the emotion axis.
    label_w = 130.0
    if "emotion" in lanes:
        widest = max(text_width(m.describe(scale, v), AXIS.size) for v in levels)
        label_w = max(label_w, min(240.0, widest + 2 * PAD + 8))
    widest = max(text_width(_lane_title(lane, m), LABEL.size, True) for lane in lanes)
    label_w = max(label_w, min(240.0, widest / FILL + 2 * PAD + 1))
    axis = [text_box("axis", label_w, [(m.describe(scale, v), AXIS)], m) for v in levels]

    if times:
        stage_cells, tp_x, grid_right = timeline.columns(journey, times, MARGIN + label_w)
    else:
        stage_cols, tp_x, grid_right = columns(journey, MARGIN + label_w)
        stage_cells = [
            (stage, sx, sw, xml_id(journey.id, "stage", stage.id))
            for stage, (sx, sw) in zip(journey.stages, stage_cols, strict=True)
        ]
    width = max(grid_right + MARGIN, MIN_WIDTH)
    inner_w = width - 2 * MARGIN

    boxes: list[Box] = []
    # Header: title, state, summary, then persona cards.
    state = m(f"state.{journey.state}")
    header = Stack(Box("header", inner_w, 0.0, id=f"{root}-header"), m, top=0.0, left=0.0)
    header.text(journey.title, TITLE)
    header.child(badge(f"badge state state-{journey.state}", state, inner_w, m))
    if journey.view_of is not None:
        name = journey.persona(journey.view_of).name
        header.child(badge("badge view-of", m("map.view_of", name=name), inner_w, m))
    for parent in journey.part_of:
        header.child(_level_badge("map.part_of", parent, inner_w, m))
    if journey.summary:
        header.text(journey.summary, BODY)
    header_box = header.close()
    header_box.x, header_box.y = MARGIN, MARGIN
    boxes.append(header_box)
    cards = [
        _persona_card(p, i, min(CARD_W, inner_w), xml_id(journey.id, "persona", p.id), m)
        for i, p in enumerate(journey.personas)
        if not p.implicit
    ]
    top = header_box.y + header_box.h + 12
    if cards:
        tallest = max(c.h for c in cards)
        for card in cards:
            card.h = tallest
        top = flow(cards, MARGIN, top, inner_w, 12) + 16
        boxes.extend(cards)

    # Grid rows.
    band: tuple[float, float, float, float] | None = None
    level_lines: list[tuple[float, str]] = []
    curves: list[Curve] = []
    marks: list[MeasuredMark] = []
    ruler: list[Box] = []
    for lane in lanes:
        if lane == "stage":
            cells = []
            for stage, sx, sw, sid in stage_cells:
                items = [(stage.name, STAGE)]
                if stage.goal:
                    items.append((m("map.goal", goal=stage.goal), SMALL))
                cell = text_box("cell lane-stage", sw, items, m, id=sid)
                if stage.detail:
                    link = _level_badge("map.detail", stage.detail, sw - 2 * PAD, m)
                    cell = _with_child(cell, link)
                cell.x = sx
                cells.append(cell)
        elif lane == "time" and times:
            ruler, strip = timeline.ruler(times, MARGIN + label_w, top, m)
            cells = timeline.time_cells(journey, times, tp_x, strip, m)
        elif lane == "measured":
            cells = []
            for tp in tps:
                cid = xml_id(journey.id, "measured", tp.id)
                cell = _measured_cell(journey, tp, COL_W, cid, m)
                cell.x = tp_x[tp.id]
                cells.append(cell)
        elif lane == "emotion":
            cells = []
            for tp in tps:
                cls = "cell lane-emotion" + (" mot" if tp.moment_of_truth else "")
                cells.append(
                    Box(cls, COL_W, 0.0, x=tp_x[tp.id], id=xml_id(journey.id, "emo", tp.id))
                )
        else:
            cells = []
            for tp in tps:
                cid = xml_id(journey.id, lane.replace("_", "-"), tp.id)
                cell = _cell(lane, tp, COL_W, cid, channel_colors, m)
                cell.x = tp_x[tp.id]
                cells.append(cell)
        label = text_box(
            "cell lane-label", label_w, [(_lane_title(lane, m), LABEL)], m, id=f"{root}-lane-{lane}"
        )
        label.x = MARGIN
        if lane == "emotion":
            step = max(LEVEL_STEP, max(a.h for a in axis))
            head = label.h - PAD
            row_h = head + step * len(levels)
            band_w = grid_right - MARGIN - label_w
            band = (MARGIN + label_w, top + head + step / 2, band_w, row_h - head - step)
            for k, (value, box) in enumerate(zip(levels, axis, strict=True)):
                y = top + head + step * (k + 0.5)
                level_lines.append((round(y, 2), "level zero" if value == 0 else "level"))
                box.x, box.y = MARGIN, round(y - box.h / 2, 2)
                box.cls = "axis"
            label.h = row_h
            curves = _curves(journey, tps, tp_x, band, levels, m)
            marks = _marks(journey, tp_x, band, m)
        else:
            row_h = max([label.h, MIN_ROW, *(c.h for c in cells)])
        for box in [label, *cells]:
            box.y, box.h = round(top, 2), round(row_h, 2)
        boxes.append(label)
        if lane == "emotion":
            boxes.extend(axis)
        boxes.extend(cells)
        if lane == "time":
            boxes.extend(ruler)
        top += row_h

    # Legend.
    top += 16
    legend: list[Box] = []
    for i, p in enumerate(journey.personas):
        item = Box("legend-item", 0.0, 0.0, persona=i, color=p.color)
        entry = Stack(item, m, left=PAD + 34)
        entry.box.w = round(min(inner_w, text_width(p.name, SMALL.size) / FILL + 2 * PAD + 36), 2)
        entry.text(p.name, SMALL)
        legend.append(entry.close())
    if any(tp.pain_points for tp in tps):
        for sev in SEVERITIES:
            note = Note(m(f"legend.pain.{sev}"), severity=sev)
            legend.append(note_box(note, "pain", 120.0, None, m))
    if marks:
        legend.append(badge("badge measured-key", f"◇ {m('measured.lane')} (± 95 %)", inner_w, m))
    if any(tp.moment_of_truth for tp in tps):
        legend.append(truth_badge(inner_w, m))
    if times:
        key = m("time.legend", example=m.elapsed(times.wait))
        legend.append(badge("badge time-key", key, inner_w, m))
    top = place_legend(boxes, legend, top, inner_w, m)
    geometry = MapLayout(
        id=root,
        width=round(width, 2),
        height=round(top + MARGIN, 2),
        boxes=boxes,
        curves=curves,
        levels=level_lines,
        band=band,
        personas=journey.personas,
        rtl=m.rtl,
        lang=journey.lang,
        measured=marks,
        timed=times is not None,
    )
    if m.rtl:
        geometry.mirror(width)
    return geometry


def _curves(
    journey: Journey,
    tps: Sequence[Touchpoint],
    tp_x: dict[str, float],
    band: tuple[float, float, float, float],
    levels: list[int],
    m: Messages,
) -> list[Curve]:
    """Each persona's emotion line across the band; gaps where it has no emotion."""
    _, band_y, _, band_h = band
    scale = journey.scale
    count = len(journey.personas)
    curves = []
    for i, persona in enumerate(journey.personas):
        dx = (i - (count - 1) / 2) * min(11.0, 90.0 / max(count, 1))
        runs: list[list[tuple[float, float]]] = []
        points: list[tuple[float, float, str]] = []
        run_x: list[float] = []
        run_y: list[float] = []
        for tp in [*tps, None]:
            value = tp.emotion(persona.id) if tp is not None else None
            if value is None:
                if run_x:
                    xs, ys = monotone_curve(run_x, run_y, samples=8)
                    runs.append([(round(a, 2), round(b, 2)) for a, b in zip(xs, ys, strict=True)])
                    run_x, run_y = [], []
                continue
            assert tp is not None
            x = tp_x[tp.id] + COL_W / 2 + dx
            y = band_y + (1 - scale.normalise(value)) * band_h if len(levels) > 1 else band_y
            run_x.append(x)
            run_y.append(y)
            tip = m(
                "map.point",
                persona=persona.name,
                touchpoint=tp.name,
                feeling=m.describe(scale, value),
                value=value,
            )
            points.append((round(x, 2), round(y, 2), tip))
        curves.append(Curve(i, persona.color, persona.name, runs, points))
    return curves


def _lane_title(lane: str, m: Messages) -> str:
    """A lane's title (the measured and time lanes' come with their own messages)."""
    return m(f"{lane}.lane") if lane in ("measured", "time") else m(f"lane.{lane}")


def _signed(value: float, m: Messages, scale_min: int = -1) -> str:
    """``+1.4``, ``−0.3`` (a true minus), ``0``, in the language's digits; on a scale that
    does not run through zero (1..5) a plain ``4.2``, as the emotion ticks are."""
    rounded = round(value, 1)
    if rounded == 0 or (scale_min >= 0 and rounded > 0):
        return m.number(rounded)
    return ("+" if rounded > 0 else "−") + m.number(abs(rounded))


def measured_text(x: Measure, journey: Journey, m: Messages) -> tuple[str, str]:
    """``+1.4 ± 0.3`` on the journey's scale, and ``n = 812 · NPS +32``."""
    value, margin = x.on_scale(journey.scale.min, journey.scale.max) or (0.0, None)
    head = _signed(value, m, journey.scale.min)
    head += f" ± {m.number(round(margin, 1))}" if margin is not None else ""
    detail = [m("measured.n", n=m.number(x.n))]
    if x.nps is not None:
        detail.append(f"NPS {_signed(round(x.nps), m)}")
    else:
        name = x.scale.upper() if x.scale != "custom" else x.source
        detail.append(f"{name} {m.number(round(x.mean or 0, 1))}")
    if x.low_n:
        detail.append(m("measured.low_n"))
    return head, m("list.sep").join(detail)


def _measured_cell(journey: Journey, tp: Touchpoint, width: float, cid: str, m: Messages) -> Box:
    """What the surveys say at ``tp``: the score on the journey's scale, n, a comment."""
    found = journey.surveys(tp.id)
    faint = bool(found) and all(x.low_n for x in found)
    cls = (
        "cell lane-measured" + (" low-n" if faint else "") + (" mot" if tp.moment_of_truth else "")
    )
    stack = Stack(Box(cls, width, 0.0, id=cid), m)
    for x in found:
        head, detail = measured_text(x, journey, m)
        stack.text(head, NAME)
        stack.text(detail, SMALL)
        if x.comments:
            stack.text(quoted(x.comments[0].text, m), QUOTE, max_lines=3)
    for x in journey.measures(tp.id):
        if x.kind == "analytics":
            for metric in x.metrics:
                stack.text(metric_text(metric.name, metric.mean, m), SMALL)
    return stack.close(MIN_ROW)


def _marks(
    journey: Journey, tp_x: dict[str, float], band: tuple[float, float, float, float], m: Messages
) -> list[MeasuredMark]:
    """Each touchpoint's first survey measure as a mark with its interval in the band."""
    _, band_y, _, band_h = band
    scale = journey.scale
    span = scale.max - scale.min

    def y_of(value: float) -> float:
        clamped = min(max(value, scale.min), scale.max)
        return round(band_y + (1 - (clamped - scale.min) / span) * band_h if span else band_y, 2)

    marks = []
    for tp in journey.touchpoints:
        found = journey.surveys(tp.id)
        if not found:
            continue
        x = found[0]
        value, margin = x.on_scale(scale.min, scale.max) or (0.0, None)
        margin = margin or 0.0
        head, detail = measured_text(x, journey, m)
        marks.append(
            MeasuredMark(
                x=round(tp_x[tp.id] + COL_W / 2 + 30, 2),
                y=y_of(value),
                top=y_of(value + margin),
                bottom=y_of(value - margin),
                faint=x.low_n,
                tip=f"{tp.name}: {head} ({detail})",
            )
        )
    return marks
