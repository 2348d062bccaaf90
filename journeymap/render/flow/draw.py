"""The flow diagram as SVG, drawn from :mod:`journeymap.render.flow.layout`.

Every persona's emotion is a chip: the persona's marker shape and the value as text, on
a fill whose lightness rises with the emotion (so it reads in grayscale and without
colour). A node's border takes its worst emotion's colour when that is negative. The
``print`` theme uses black marks and grey fills of the same lightness. All user text is
XML-escaped; ids are built from ``xml_id``.
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from journeymap.model.journey import Journey
from journeymap.render.flow.layout import (
    CHIP_H,
    NODE_W,
    STAGE_SIZE,
    WAIT_PAD,
    WAIT_SIZE,
    Edge,
    FlowLayout,
    Text,
    legend_width,
    stage_label,
)
from journeymap.render.grid import xml_id
from journeymap.render.marks import EMOTION_FILLS, EMOTION_GREYS, marker_path, num
from journeymap.text.fit import FONT_FAMILY, family_for, is_rtl, text_width
from journeymap.text.locale import has_rtl, messages

#: Colours per theme: page, ink, secondary ink, stage box fill/stroke, node border, edges.
THEME_COLOURS: dict[str, dict[str, str]] = {
    "default": {
        "page": "#ffffff",
        "ink": "#1f2328",
        "soft": "#4b5563",
        "stage": "#f3f5f8",
        "stage_line": "#aab4c0",
        "node_line": "#6b7280",
        "edge": "#57606a",
        "switch": "#D55E00",
        "pain": "#9b1c1c",
        "mot": "#6b4e00",
        "chip_line": "#57606a",
    },
    "print": {
        "page": "#ffffff",
        "ink": "#000000",
        "soft": "#333333",
        "stage": "#f2f2f2",
        "stage_line": "#000000",
        "node_line": "#000000",
        "edge": "#000000",
        "switch": "#000000",
        "pain": "#000000",
        "mot": "#000000",
        "chip_line": "#000000",
    },
}
Fills = tuple[tuple[str, str], ...]
TEXT_COLOUR = {"t-channel": "soft", "t-sub": "soft", "t-pain": "pain", "t-mot": "mot"}


def _text(t: Text, colour: str, mirrored: bool = False) -> str:
    """A line of text starting at ``t.x``: its left edge, or in a ``mirrored`` flow its
    right edge (right-to-left lines run leftwards from it, others end there)."""
    weight = ' font-weight="bold"' if t.bold else ""
    if mirrored:
        direction = ' direction="rtl"' if has_rtl(t.text) else ' text-anchor="end"'
    else:
        # Right-to-left text runs leftwards from its start: anchoring its end at x keeps
        # the line where the layout measured it (from x to the right).
        rtl = ' direction="rtl" unicode-bidi="embed" text-anchor="end"'
        direction = rtl if is_rtl(t.text) else ""
    family = family_for(t.text)
    font = f' font-family="{family}"' if family else ""
    return (
        f'<text x="{num(t.x)}" y="{num(t.y)}" font-size="{num(t.size)}"{weight}{direction}'
        f'{font} fill="{colour}" class="{t.cls}">{escape(t.text)}</text>'
    )


def _wait_label(edge: Edge, colours: dict[str, str]) -> str:
    """An edge's wait ("2 days") on a patch of page colour, centred on ``edge.label_at``."""
    x, y = edge.label_at
    w = text_width(edge.label, WAIT_SIZE) + 2 * WAIT_PAD
    h = WAIT_SIZE * 1.25
    family = family_for(edge.label)
    font = f' font-family="{family}"' if family else ""
    direction = ' direction="rtl"' if has_rtl(edge.label) else ""
    return (
        f'<g class="wait"><rect x="{num(x - w / 2)}" y="{num(y - h / 2)}" width="{num(w)}" '
        f'height="{num(h)}" rx="3" fill="{colours["page"]}" fill-opacity="0.92"/>'
        f'<text x="{num(x)}" y="{num(y + WAIT_SIZE * 0.36)}" font-size="{num(WAIT_SIZE)}" '
        f'text-anchor="middle"{direction}{font} fill="{colours["soft"]}">'
        f"{escape(edge.label)}</text></g>"
    )


def _arrow(
    points: tuple[tuple[float, float], ...],
    switch: bool,
    cls: str,
    root: str,
    colours: dict[str, str],
) -> str:
    """A polyline ending in an arrowhead; a channel switch dashed, heavier, in its colour."""
    colour = colours["switch"] if switch else colours["edge"]
    dash = ' stroke-dasharray="6 4"' if switch else ""
    line = "L".join(f"{num(x)} {num(y)}" for x, y in points)
    marker = f"{root}-{'switch' if switch else 'arrow'}"
    return (
        f'<path class="{cls}" d="M{line}" fill="none" stroke="{colour}" '
        f'stroke-width="{"2" if switch else "1.5"}"{dash} marker-end="url(#{marker})"/>'
    )


def _marker(index: int, x: float, y: float, colour: str, r: float = 4.5) -> str:
    """Persona ``index``'s marker on a white disc, so it keeps its contrast on any fill."""
    return (
        f'<circle cx="{num(x)}" cy="{num(y)}" r="{num(r + 2.5)}" fill="#ffffff"/>'
        f'<path class="marker" d="{marker_path(index, x, y, r)}" fill="{colour}"/>'
    )


def _chip(
    x: float,
    y: float,
    w: float,
    level: int,
    label: str,
    fills: Fills,
    line: str,
    mirrored: float | None = None,
) -> list[str]:
    """An emotion chip; its label ends 5 px inside the right edge, or in a mirrored flow
    starts ``mirrored`` px inside it (room for the marker on that side)."""
    fill, ink = fills[level]
    if mirrored is None:
        place = f'x="{num(x + w - 5)}" y="{num(y + 13)}" font-size="12" text-anchor="end"'
    else:
        place = f'x="{num(x + w - mirrored)}" y="{num(y + 13)}" font-size="12" direction="rtl"'
    return [
        f'<rect class="chip level-{level}" x="{num(x)}" y="{num(y)}" width="{num(w)}" '
        f'height="{num(CHIP_H)}" rx="4" fill="{fill}" stroke="{line}" stroke-width="0.75"/>',
        f'<text {place} fill="{ink}" class="t-chip">{escape(label)}</text>',
    ]


def draw(journey: Journey, flow: FlowLayout, theme: str) -> bytes:
    """The SVG document of ``flow`` in ``theme``."""
    colours = THEME_COLOURS[theme]
    fills = EMOTION_GREYS if theme == "print" else EMOTION_FILLS
    persona_colour = ["#000000" if theme == "print" else p.color for p in journey.personas]
    line = colours["chip_line"]
    root = xml_id(journey.id, "flow")
    w, h = num(flow.width), num(flow.height)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" '
        f'viewBox="0 0 {w} {h}" role="img" aria-labelledby="{root}-title" '
        f'font-family={quoteattr(FONT_FAMILY)} class="jm-flow jm-{theme}">',
        f'<title id="{root}-title">'
        f"{escape(messages(journey.lang)('site.flow_alt', title=journey.title))}</title>",
        "<defs>",
    ]
    for name, colour in (("arrow", colours["edge"]), ("switch", colours["switch"])):
        out.append(
            f'<marker id="{root}-{name}" viewBox="0 0 10 10" refX="9" refY="5" '
            'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
            f'<path d="M0 0L10 5L0 10Z" fill="{colour}"/></marker>'
        )
    out.append("</defs>")
    out.append(f'<rect class="page" width="{w}" height="{h}" fill="{colours["page"]}"/>')
    rtl = flow.rtl
    for t in flow.header:
        out.append(_text(t, colours[TEXT_COLOUR.get(t.cls, "ink")], rtl))
    out.append('<g class="legend">')
    for kind, x, y, label, index in flow.legend:
        size = legend_width(kind, label)
        if kind == "persona":
            mark, start = (x + size - 8, x + size - 20) if rtl else (x + 8, x + 20)
            out.append(_marker(index, mark, y + CHIP_H / 2, persona_colour[index], 5.5))
            out.append(_text(Text(label, start, y + 13, cls="t-legend"), colours["ink"], rtl))
        elif kind == "level":
            out.extend(_chip(x, y, size, index, label, fills, line, 5.0 if rtl else None))
        else:
            start = x + size if rtl else x
            out.append(_text(Text(label, start, y + 13, cls="t-legend"), colours["soft"], rtl))
    out.append("</g>")
    for box in flow.stages:
        stage = journey.stages[box.stage]
        sid = xml_id(journey.id, "flow-stage", stage.id, str(box.row))
        name = stage_label(journey, box)
        out.append(f'<g class="stage" id="{sid}"><title>{escape(name)}</title>')
        out.append(
            f'<rect x="{num(box.x)}" y="{num(box.y)}" width="{num(box.w)}" '
            f'height="{num(box.h)}" rx="8" fill="{colours["stage"]}" '
            f'stroke="{colours["stage_line"]}"/>'
        )
        start = box.x + box.w - 10 if rtl else box.x + 10
        heading = Text(box.label, start, box.y + 18, STAGE_SIZE, True, "t-stage")
        out.append(_text(heading, colours["ink"], rtl))
        out.append("</g>")
    for edge in flow.edges:
        cls = f"edge{' switch' if edge.switch else ''}"
        out.append(_arrow(edge.points, edge.switch, cls, root, colours))
    out.extend(_wait_label(edge, colours) for edge in flow.edges if edge.label)
    for c in flow.connectors:
        kind = "to" if c.stub.outgoing else "from"
        out.append(
            f'<g class="offpage {kind}" data-touchpoint={quoteattr(c.node)} '
            f"data-other={quoteattr(c.stub.other)}>"
        )
        out.append(_arrow(c.points, c.stub.switch, "stub", root, colours))
        out.extend(_text(t, colours["ink"], rtl) for t in c.texts)
        out.append("</g>")
    for node in flow.nodes:
        tp = node.tp
        border = colours["node_line"]
        if node.worst is not None and node.worst <= 2 and theme != "print":
            border = fills[node.worst][0]
        weight = "4" if tp.moment_of_truth else ("2.5" if node.worst is not None else "1")
        nid = xml_id(journey.id, "flow-tp", tp.id)
        out.append(
            f'<g class="node{" mot" if tp.moment_of_truth else ""}" id="{nid}" '
            f"data-touchpoint={quoteattr(tp.id)}><title>{escape(node.title)}</title>"
        )
        out.append(
            f'<rect x="{num(node.x)}" y="{num(node.y)}" width="{num(NODE_W)}" '
            f'height="{num(node.h)}" rx="6" fill="{colours["page"]}" stroke="{border}" '
            f'stroke-width="{weight}"/>'
        )
        for t in node.texts:
            out.append(_text(t, colours[TEXT_COLOUR.get(t.cls, "ink")], rtl))
        for chip in node.chips:
            inset = 22.0 if rtl else None
            out.extend(_chip(chip.x, chip.y, chip.w, chip.level, chip.label, fills, line, inset))
            mark = chip.x + chip.w - 10 if rtl else chip.x + 10
            out.append(
                _marker(chip.persona, mark, chip.y + CHIP_H / 2, persona_colour[chip.persona])
            )
        out.append("</g>")
    out.append("</svg>")
    return ("\n".join(out) + "\n").encode("utf-8")
