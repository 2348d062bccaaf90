"""Geometry of the flow diagram: touchpoints wrapped into rows, stages as boxes, routed edges.

Touchpoints keep reading order: left to right, then on to the next row, like text. Each
row holds up to ``columns`` touchpoints; a stage that fits on one row is not split, a
longer one continues on the next row in a box marked "continued". The number of columns
is chosen so the whole drawing comes closest to a landscape page (3 : 2), whatever the
journey's length. Edges run straight between neighbours on a row; every other edge
leaves its node downwards into the gutter below the row, runs along gutters and the side
margins (each edge on its own lane), and enters its target from the left (the first of
a row) or from below, so no edge crosses a node or a stage label.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from itertools import pairwise

from journeymap.model.journey import SEVERITIES, Journey, Touchpoint
from journeymap.render.flow.dot import edge_wait, flow_edges
from journeymap.render.marks import emotion_bin, signed
from journeymap.text.fit import text_width, wrap
from journeymap.text.locale import LRI, PDI, Messages, messages

NODE_W = 190.0
COL_GAP = 40.0
#: Size of a wait label on an edge, and the room around it.
WAIT_SIZE = 12.0
WAIT_PAD = 3.0
PAD = 8.0
#: Space between a stage box and its nodes.
BOX_PAD = 10.0
STAGE_HEAD = 26.0
MARGIN = 20.0
LANE = 7.0
GUTTER = 22.0
NAME_SIZE = 13.0
SIZE = 12.0
STAGE_SIZE = 14.0
TITLE_SIZE = 20.0
LINE = 1.3
NAME_LINES = 3
CHIP_H = 18.0
#: An off-page connector: the stub's left offset in its node, the room between stubs, the
#: label's lines.
STUB_X = 8.0
STUB_STEP = 12.0
STUB_LINES = 2
#: Target width : height of the whole drawing.
ASPECT = 1.5
#: Widest drawing whose smallest text (12 px) is still 10 px when shown 1,400 px wide.
READABLE_WIDTH = 1680.0
#: Journeys up to this many touchpoints are kept within ``READABLE_WIDTH``.
READABLE_COUNT = 40


@dataclass(frozen=True)
class Text:
    """A line of text at an absolute baseline position."""

    text: str
    x: float
    y: float
    size: float = SIZE
    bold: bool = False
    cls: str = "t"


@dataclass(frozen=True)
class Chip:
    """A persona's emotion at a touchpoint: marker, value label, fill by emotion."""

    x: float
    y: float
    w: float
    persona: int
    label: str
    level: int


@dataclass
class Node:
    """A touchpoint box."""

    tp: Touchpoint
    row: int
    col: int
    x: float = 0.0
    y: float = 0.0
    h: float = 0.0
    texts: list[Text] = field(default_factory=list)
    chips: list[Chip] = field(default_factory=list)
    #: Colour bin of the worst emotion here, or None.
    worst: int | None = None
    #: Full text of the node (its SVG title).
    title: str = ""


@dataclass
class StageBox:
    """One stage's box on one row (a long stage has one per row it spans)."""

    name: str
    continued: bool
    row: int
    stage: int
    first: int
    last: int
    x: float = 0.0
    y: float = 0.0
    w: float = 0.0
    h: float = 0.0
    label: str = ""


@dataclass(frozen=True)
class Edge:
    """A routed edge: polyline points, and whether it switches channel."""

    points: tuple[tuple[float, float], ...]
    switch: bool
    #: The wait between its two touchpoints ("2 days") when both have ``at``, and where
    #: the label's centre goes: over the middle of its longest horizontal run.
    label: str = ""
    label_at: tuple[float, float] = (0.0, 0.0)
    #: The ids of the touchpoints it joins.
    ends: tuple[str, str] = ("", "")


@dataclass(frozen=True)
class Stub:
    """An edge to (``outgoing``) or from a touchpoint on another page, named by ``label``
    ("→ p. 3: Pay")."""

    label: str
    outgoing: bool
    switch: bool = False
    #: The touchpoint on the other page.
    other: str = ""


@dataclass(frozen=True)
class Links:
    """A printed page's edges: those drawn (positions in the page's journey) and, by
    touchpoint id, the stubs of those joining it to touchpoints on other pages."""

    edges: tuple[tuple[int, int], ...]
    stubs: Mapping[str, tuple[Stub, ...]]


@dataclass(frozen=True)
class Connector:
    """An off-page connector drawn above its node: a short arrow between the node's top
    and its label (into the node for an incoming edge, out to the label for an outgoing
    one), and the label's lines."""

    node: str
    stub: Stub
    points: tuple[tuple[float, float], ...]
    texts: tuple[Text, ...]


@dataclass
class FlowLayout:
    """Everything the flow drawing places."""

    width: float
    height: float
    columns: int
    header: list[Text]
    nodes: list[Node]
    stages: list[StageBox]
    edges: list[Edge]
    #: Legend entries: (kind, x, y, payload).
    legend: list[tuple[str, float, float, str, int]]
    #: Mirrored for a right-to-left language: rows run right to left, every ``Text.x`` and
    #: the header's are the line's right (start) edge.
    rtl: bool = False
    #: Off-page connectors (a printed page's edges to and from other pages).
    connectors: list[Connector] = field(default_factory=list)


def clamp(text: str, width: float, size: float, lines: int, bold: bool = False) -> list[str]:
    """``text`` wrapped to ``width``; past ``lines`` lines the last one holds as much of the
    rest as fits, ending in "…"."""
    wrapped = wrap(" ".join(text.split()), width, size, bold) or [""]
    if len(wrapped) <= lines:
        return wrapped
    rest = " ".join(wrapped[lines - 1 :])
    low, high = 0, len(rest)
    while low < high:  # the longest prefix of the rest that fits with the ellipsis
        mid = (low + high + 1) // 2
        if text_width(rest[:mid].rstrip() + " …", size, bold) <= width:
            low = mid
        else:
            high = mid - 1
    return [*wrapped[: lines - 1], rest[:low].rstrip() + " …"]


def _node(journey: Journey, tp: Touchpoint) -> Node:
    """A node with its texts and chips relative to (0, 0); ``h`` from its content."""
    node = Node(tp, 0, 0)
    scale = journey.scale
    m = messages(journey.lang)
    inner = NODE_W - 2 * PAD
    y = PAD
    for line in clamp(tp.name, inner, NAME_SIZE, NAME_LINES, bold=True):
        node.texts.append(Text(line, PAD, y + NAME_SIZE, NAME_SIZE, True, "t-name"))
        y += NAME_SIZE * LINE
    if tp.channel_name:
        channel = clamp(tp.channel_name, inner, SIZE, 1)[0]
        node.texts.append(Text(channel, PAD, y + SIZE + 1, cls="t-channel"))
        y += SIZE * LINE + 1
    single = len(journey.personas) == 1
    x, chips_top, levels = PAD, y + 3, []
    for i, persona in enumerate(journey.personas):
        value = tp.emotion(persona.id)
        if value is None:
            continue
        label = _signed(m, scale.min, value)
        if single and m.scale_word(scale, value):
            label = f"{label} {m.scale_word(scale, value)}"
        w = 22 + text_width(label, SIZE) + 5
        if x > PAD and x + w > NODE_W - PAD:
            x, chips_top = PAD, chips_top + CHIP_H + 3
        level = emotion_bin(scale.normalise(value))
        levels.append(level)
        node.chips.append(Chip(x, chips_top, round(min(w, inner), 2), i, label, level))
        x += w + 4
    if node.chips:
        y = chips_top + CHIP_H + 3
        node.worst = min(levels)
    if tp.pain_points:
        count = len(tp.pain_points)
        worst = max(tp.pain_points, key=lambda n: SEVERITIES.index(n.severity)).severity
        label = m.count("flow.pains_worst", count, worst=m(f"severity.{worst}").lower())
        node.texts.append(Text(label, PAD, y + SIZE + 1, cls="t-pain"))
        y += SIZE * LINE + 1
    if tp.moment_of_truth:
        node.texts.append(Text(m("flow.moment"), PAD, y + SIZE + 1, bold=True, cls="t-mot"))
        y += SIZE * LINE + 1
    node.h = y + PAD
    node.title = _title(journey, tp)
    return node


def _title(journey: Journey, tp: Touchpoint) -> str:
    """The node's full details, for its tooltip."""
    scale = journey.scale
    m = messages(journey.lang)
    parts = [tp.name]
    if tp.channel_name:
        parts.append(m("map.metric", name=m("detail.channel"), value=tp.channel_name))
    for persona in journey.personas:
        value = tp.emotion(persona.id)
        if value is not None:
            word = m.scale_word(scale, value)
            shown = _signed(m, scale.min, value) + (f" {word}" if word else "")
            parts.append(f"{persona.name}: {shown}")
    for note in tp.pain_points:
        pain = m("detail.pain", severity=m(f"severity.{note.severity}").lower())
        parts.append(m("map.metric", name=pain, value=note.text))
    if tp.moment_of_truth:
        parts.append(m("detail.truth"))
    return "\n".join(parts)


def _rows(journey: Journey, columns: int) -> list[list[tuple[int, Touchpoint]]]:
    """Touchpoints as rows of (stage index, touchpoint); stages split only when too long."""
    rows: list[list[tuple[int, Touchpoint]]] = [[]]
    for s, stage in enumerate(journey.stages):
        tps = list(stage.touchpoints)
        if not tps:
            continue
        free = columns - len(rows[-1])
        if rows[-1] and len(tps) <= columns and len(tps) > free:
            rows.append([])
        for tp in tps:
            if len(rows[-1]) == columns:
                rows.append([])
            rows[-1].append((s, tp))
    return [row for row in rows if row]


@dataclass
class _Lanes:
    """Lanes of one routing channel: intervals per lane, first free lane for a new one."""

    taken: list[list[tuple[float, float]]] = field(default_factory=list)

    def claim(self, lo: float, hi: float) -> int:
        lo, hi = min(lo, hi), max(lo, hi)
        for k, spans in enumerate(self.taken):
            if all(hi < a or lo > b for a, b in spans):
                spans.append((lo, hi))
                return k
        self.taken.append([(lo, hi)])
        return len(self.taken) - 1

    @property
    def count(self) -> int:
        return len(self.taken)


def _header(journey: Journey, width: float, mark: str | None) -> tuple[list[Text], float]:
    """The title, the state and count line, and ``mark`` (a printed page's "page n of m")."""
    texts: list[Text] = []
    y = MARGIN
    for line in wrap(journey.title, width - 2 * MARGIN, TITLE_SIZE, True) or [""]:
        texts.append(Text(line, MARGIN, y + TITLE_SIZE, TITLE_SIZE, True, "t-title"))
        y += TITLE_SIZE * LINE
    m = messages(journey.lang)
    count = m.count("count.touchpoints", len(journey.touchpoints))
    texts.append(
        Text(
            m("flow.header", state=m(f"state.{journey.state}"), touchpoints=count),
            MARGIN,
            y + SIZE + 2,
            cls="t-sub",
        )
    )
    y += SIZE * LINE
    if mark:
        texts.append(Text(mark, MARGIN, y + SIZE + 2, bold=True, cls="t-sub"))
        y += SIZE * LINE
    return texts, y + 10


def _signed(m: Messages, scale_min: int, value: int) -> str:
    """``value`` with its sign, kept left of the digits in a right-to-left line."""
    text = signed(scale_min, value)
    return f"{LRI}{text}{PDI}" if m.rtl and text[:1] in "+−" else text


def legend_width(kind: str, label: str) -> float:
    """The width of a legend entry: a persona's marker and name, an emotion chip, a note."""
    extra = {"persona": 28.0, "level": 20.0, "note": 12.0}[kind]
    return extra + text_width(label, SIZE)


def _legend(
    journey: Journey, width: float, top: float
) -> tuple[list[tuple[str, float, float, str, int]], float]:
    """Legend entries flowed into rows: personas, emotion levels, the marks."""
    scale = journey.scale
    m = messages(journey.lang)
    items: list[tuple[str, float, str, int]] = []
    if not (len(journey.personas) == 1 and journey.personas[0].implicit):
        for i, p in enumerate(journey.personas):
            items.append(("persona", legend_width("persona", p.name), p.name, i))
    for value in range(scale.min, scale.max + 1):
        word = m.scale_word(scale, value)
        label = _signed(m, scale.min, value) + (f" {word}" if word else "")
        level = emotion_bin(scale.normalise(value))
        items.append(("level", legend_width("level", label), label, level))
    notes = [m(f"flow.key.{key}") for key in ("border", "truth", "pains", "switch")]
    items.extend(("note", legend_width("note", n), n, 0) for n in notes)
    entries: list[tuple[str, float, float, str, int]] = []
    x, y = MARGIN, top
    for kind, w, label, index in items:
        if x > MARGIN and x + w > width - MARGIN:
            x, y = MARGIN, y + CHIP_H + 6
        entries.append((kind, round(x, 2), round(y, 2), label, index))
        x += w + 8
    return entries, y + CHIP_H + 14


def stage_label(journey: Journey, box: StageBox) -> str:
    """The stage's name, marked when the box continues it from the row above."""
    if not box.continued:
        return box.name
    return messages(journey.lang)("map.stage_continued", stage=box.name)


def layout(
    journey: Journey,
    columns: int | None = None,
    mark: str | None = None,
    links: Links | None = None,
) -> FlowLayout:
    """The flow of ``journey``; ``columns`` per row, or the count nearest to 3 : 2; mirrored
    (first touchpoint top right) when the journey's language is written right to left;
    ``mark`` a line under the header (a printed page's "page n of m"); ``links`` the
    edges of a printed page (else the journey's own)."""
    flow = _best(journey, columns, mark, links)
    return mirror(flow) if messages(journey.lang).rtl else flow


def mirror(flow: FlowLayout) -> FlowLayout:
    """``flow`` mirrored left to right: boxes, chips, legend entries and edge points swap
    sides; each text's x becomes its line's right edge."""
    width = flow.width

    def flip(t: Text) -> Text:
        return replace(t, x=round(width - t.x, 2))

    for node in flow.nodes:
        node.x = round(width - node.x - NODE_W, 2)
        node.texts = [flip(t) for t in node.texts]
        node.chips = [replace(c, x=round(width - c.x - c.w, 2)) for c in node.chips]
    for box in flow.stages:
        box.x = round(width - box.x - box.w, 2)
    legend = [
        (kind, round(width - x - legend_width(kind, label), 2), y, label, index)
        for kind, x, y, label, index in flow.legend
    ]
    edges = [
        Edge(
            tuple((round(width - x, 2), y) for x, y in e.points),
            e.switch,
            e.label,
            (round(width - e.label_at[0], 2), e.label_at[1]),
            e.ends,
        )
        for e in flow.edges
    ]
    connectors = [
        replace(
            c,
            points=tuple((round(width - x, 2), y) for x, y in c.points),
            texts=tuple(flip(t) for t in c.texts),
        )
        for c in flow.connectors
    ]
    header = [flip(t) for t in flow.header]
    return replace(flow, header=header, legend=legend, edges=edges, connectors=connectors, rtl=True)


def _best(
    journey: Journey, columns: int | None, mark: str | None, links: Links | None
) -> FlowLayout:
    count = len(journey.touchpoints)
    base = {tp.id: _node(journey, tp) for tp in journey.touchpoints}
    if columns is not None:
        return _layout(journey, max(1, columns), base, mark, links)
    best: FlowLayout | None = None
    for cols in range(1, max(count, 1) + 1):
        candidate = _layout(journey, cols, base, mark, links)
        if best is None or _misfit(candidate, count) < _misfit(best, count):
            best = candidate
        if candidate.width > 3 * candidate.height:
            break
    assert best is not None
    return best


def _misfit(flow: FlowLayout, count: int) -> tuple[bool, bool, float]:
    """Sort key of a candidate: outside 1 : 2 .. 3 : 1; up to 40 touchpoints, too wide to
    read at 1,400 px; then the distance from 3 : 2."""
    aspect = flow.width / flow.height
    too_wide = count <= READABLE_COUNT and flow.width > READABLE_WIDTH
    return (not 0.55 <= aspect <= 2.8, too_wide, abs(math.log(aspect / ASPECT)))


def _stub_lines(stubs: tuple[Stub, ...]) -> list[list[str]]:
    """Each stub's label wrapped beside the stubs' arrows above a node."""
    inner = NODE_W - _stub_text_x(len(stubs)) - PAD
    return [clamp(stub.label, inner, SIZE, STUB_LINES) for stub in stubs]


def _stub_text_x(count: int) -> float:
    """Where the labels of ``count`` stubs start, from their node's left edge."""
    return STUB_X + STUB_STEP * (count - 1) + 12


def _band(stubs: tuple[Stub, ...]) -> float:
    """Height of the connectors drawn above a node."""
    if not stubs:
        return 0.0
    return sum(len(lines) * SIZE * LINE + 4 for lines in _stub_lines(stubs)) + 4


def _connectors(node: Node, stubs: tuple[Stub, ...]) -> list[Connector]:
    """The node's connectors stacked right above it; the top one's arrow runs furthest
    left, so no arrow crosses another's label or turn."""
    placed: list[Connector] = []
    text_x = round(node.x + _stub_text_x(len(stubs)), 2)
    y = node.y - _band(stubs) + 4
    for k, (stub, lines) in enumerate(zip(stubs, _stub_lines(stubs), strict=True)):
        x = round(node.x + STUB_X + STUB_STEP * k, 2)
        mid = round(y + SIZE * 0.65, 2)
        down = ((round(text_x - 5, 2), mid), (x, mid), (x, node.y))
        texts = tuple(
            Text(line, text_x, round(y + SIZE + i * SIZE * LINE, 2), cls="t-offpage")
            for i, line in enumerate(lines)
        )
        placed.append(Connector(node.tp.id, stub, down[::-1] if stub.outgoing else down, texts))
        y += len(lines) * SIZE * LINE + 4
    return placed


def _layout(
    journey: Journey,
    columns: int,
    base: dict[str, Node],
    mark: str | None = None,
    links: Links | None = None,
) -> FlowLayout:
    pairs = list(links.edges) if links else flow_edges(journey)
    stubs = dict(links.stubs) if links else {}
    rows = _rows(journey, columns)
    nodes: dict[str, Node] = {}
    stages: list[StageBox] = []
    seen: set[int] = set()
    for r, row in enumerate(rows):
        for c, (s, tp) in enumerate(row):
            nodes[tp.id] = replace(base[tp.id], row=r, col=c)
            if stages and stages[-1].row == r and stages[-1].stage == s:
                stages[-1].last = c
                continue
            stages.append(StageBox(journey.stages[s].name, s in seen, r, s, c, c))
            seen.add(s)

    tps = journey.touchpoints
    order = [nodes[tp.id] for tp in tps]
    words = messages(journey.lang)
    waits = {
        (a, b): words.elapsed(wait, "short")
        for a, b in pairs
        if (wait := edge_wait(tps[a], tps[b]))
    }
    # A labelled edge between neighbours runs in the gap between them: wide enough for it.
    widest = max((text_width(text, WAIT_SIZE) for text in waits.values()), default=0.0)
    col_gap = max(COL_GAP, round(widest + 2 * WAIT_PAD + 12, 2)) if waits else COL_GAP
    # Route on the grid (rows, columns), then turn lanes into pixels.
    gutters = [_Lanes() for _ in rows]
    left, right = _Lanes(), _Lanes()
    plans: list[tuple[str, Node, Node, int, int, int, int]] = []
    for a, b in pairs:
        src, dst = order[a], order[b]
        if src.row == dst.row and dst.col == src.col + 1:
            plans.append(("straight", src, dst, 0, 0, 0, 0))
        elif dst.col == 0 and src is not dst:
            g = gutters[src.row].claim(-1, src.col)
            m = left.claim(src.row + 0.9, dst.row + 0.5)
            plans.append(("left", src, dst, g, m, 0, 0))
        elif src.row == dst.row:
            g = gutters[src.row].claim(src.col, dst.col)
            plans.append(("below", src, dst, g, 0, 0, 0))
        else:
            g = gutters[src.row].claim(src.col, columns)
            m = right.claim(src.row + 0.9, dst.row + 0.9)
            g2 = gutters[dst.row].claim(dst.col, columns)
            plans.append(("around", src, dst, g, m, g2, 0))

    left_w = MARGIN + LANE * left.count
    content_right = left_w + columns * (NODE_W + col_gap) - col_gap + 2 * BOX_PAD
    width = content_right + LANE * right.count + MARGIN
    header, top = _header(journey, width, mark)
    legend, top = _legend(journey, width, top)
    gutter_tops: list[float] = []
    connectors: list[Connector] = []
    for r, row in enumerate(rows):
        row_nodes = [nodes[tp.id] for _, tp in row]
        node_h = max(n.h for n in row_nodes)
        band = max(_band(stubs.get(n.tp.id, ())) for n in row_nodes)
        for n in row_nodes:
            n.h = node_h
            n.x = round(left_w + BOX_PAD + n.col * (NODE_W + col_gap), 2)
            n.y = round(top + STAGE_HEAD + band, 2)
            _shift(n)
            connectors += _connectors(n, stubs.get(n.tp.id, ()))
        for box in stages:
            if box.row != r:
                continue
            box.x = round(left_w + box.first * (NODE_W + col_gap), 2)
            box.w = round((box.last - box.first + 1) * (NODE_W + col_gap) - col_gap + 2 * BOX_PAD)
            box.y = round(top, 2)
            box.h = round(STAGE_HEAD + band + node_h + BOX_PAD, 2)
            name = stage_label(journey, box)
            box.label = clamp(name, box.w - 2 * BOX_PAD, STAGE_SIZE, 1, bold=True)[0]
        top += STAGE_HEAD + band + node_h + BOX_PAD
        gutter_tops.append(top)
        top += GUTTER + LANE * max(gutters[r].count - 1, 0)

    def gy(row: int, lane: int) -> float:
        return round(gutter_tops[row] + GUTTER / 2 + LANE * lane, 2)

    exits: dict[str, int] = {}
    entries: dict[str, int] = {}

    def exit_x(n: Node) -> float:
        k = exits.get(n.tp.id, 0)
        exits[n.tp.id] = k + 1
        return round(n.x + NODE_W * 0.3 + 8 * k, 2)

    def entry_x(n: Node) -> float:
        k = entries.get(n.tp.id, 0)
        entries[n.tp.id] = k + 1
        return round(n.x + NODE_W * 0.7 - 8 * k, 2)

    edges: list[Edge] = []
    placed: list[tuple[float, float, float, float]] = []  # wait labels so far: x0, y0, x1, y1
    for (a, b), (kind, src, dst, g, lane, g2, _) in zip(pairs, plans, strict=True):
        bottom = round(src.y + src.h, 2)
        mid = round(dst.y + dst.h / 2, 2)
        if kind == "straight":
            y = round(src.y + src.h / 2, 2)
            points = [(round(src.x + NODE_W, 2), y), (dst.x, y)]
        elif kind == "left":
            x0, lx = exit_x(src), round(left_w - LANE * (lane + 1) + LANE / 2, 2)
            points = [(x0, bottom), (x0, gy(src.row, g)), (lx, gy(src.row, g)), (lx, mid)]
            points.append((dst.x, mid))
        elif kind == "below":
            x0, x1 = exit_x(src), entry_x(dst)
            y = gy(src.row, g)
            points = [(x0, bottom), (x0, y), (x1, y), (x1, round(dst.y + dst.h, 2))]
        else:
            x0, x1 = exit_x(src), entry_x(dst)
            rx = round(content_right + LANE * lane + LANE / 2, 2)
            y0, y1 = gy(src.row, g), gy(dst.row, g2)
            points = [(x0, bottom), (x0, y0), (rx, y0), (rx, y1), (x1, y1)]
            points.append((x1, round(dst.y + dst.h, 2)))
        switch = bool(src.tp.channel and dst.tp.channel and src.tp.channel != dst.tp.channel)
        label = waits.get((a, b), "")
        at = _label_at(points, label, kind == "straight", placed) if label else (0.0, 0.0)
        edges.append(Edge(tuple(points), switch, label, at, (src.tp.id, dst.tp.id)))

    height = top - GUTTER + MARGIN
    return FlowLayout(
        width=round(width, 2),
        height=round(height, 2),
        columns=columns,
        header=header,
        nodes=order,
        stages=stages,
        edges=edges,
        legend=legend,
        connectors=connectors,
    )


def _label_at(
    points: list[tuple[float, float]],
    label: str,
    straight: bool,
    placed: list[tuple[float, float, float, float]],
) -> tuple[float, float]:
    """The centre of an edge's label: above a straight edge, else on its longest horizontal
    run (the label's background interrupts the line), at the first place along the run that
    keeps clear of the labels ``placed`` before it (then added to them)."""
    runs = [(abs(b[0] - a[0]), a, b) for a, b in pairwise(points)]
    _, a, b = max((r for r in runs if r[1][1] == r[2][1]), default=runs[0])
    y = a[1] - WAIT_SIZE * 0.75 if straight else a[1]
    w, h = text_width(label, WAIT_SIZE) + 2 * WAIT_PAD, WAIT_SIZE * 1.25
    spots = (0.5,) if straight else (0.5, 0.3, 0.7, 0.15, 0.85)
    for share in spots:
        x = a[0] + share * (b[0] - a[0])
        box = (x - w / 2 - 2, y - h / 2 - 1, x + w / 2 + 2, y + h / 2 + 1)
        if not any(
            box[0] < o[2] and o[0] < box[2] and box[1] < o[3] and o[1] < box[3] for o in placed
        ):
            break
    else:
        x = a[0] + 0.5 * (b[0] - a[0])
        box = (x - w / 2 - 2, y - h / 2 - 1, x + w / 2 + 2, y + h / 2 + 1)
    placed.append(box)
    return round(x, 2), round(y, 2)


def _shift(node: Node) -> None:
    """Turn the node's relative text and chip positions into absolute ones."""
    node.texts = [
        Text(t.text, round(t.x + node.x, 2), round(t.y + node.y, 2), t.size, t.bold, t.cls)
        for t in node.texts
    ]
    node.chips = [
        Chip(round(c.x + node.x, 2), round(c.y + node.y, 2), c.w, c.persona, c.label, c.level)
        for c in node.chips
    ]
