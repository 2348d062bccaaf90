"""DOT source for the flow diagram, built with the ``graphviz`` package from escaped labels.

Nothing the user wrote becomes a node id, an attribute name or a URL: node ids are
``n0``, ``n1``, ... and cluster names ``cluster_0``, ... Every label goes through
:func:`escape_label`, which neutralises quotes, backslash escapes (``\\N``, ``\\G``, ``\\l``)
and HTML-like ``<...>`` labels, so no label can change the graph's structure or make
``dot`` read a file.
"""

from __future__ import annotations

import textwrap

from journeymap.model.journey import Journey, Scale, Touchpoint
from journeymap.render.marks import EMOTION_FILLS, emotion_bin, signed
from journeymap.text.locale import messages

NO_EMOTION_FILL = "#f2f2f2"
SWITCH_COLOR = "#D55E00"
FONT = "DejaVu Sans"
WRAP = 22


def escape_label(text: str) -> str:
    r"""``text`` as a DOT escString that ``dot`` shows literally.

    Backslashes are doubled (so ``\N`` shows as ``\N``), quotes are escaped, ``&`` becomes
    ``&amp;`` (``dot`` decodes entities such as ``&lt;`` in every label) and line
    breaks become ``\n``. The result is meant to be wrapped in :class:`graphviz.nohtml` so
    the package quotes it instead of passing ``<...>`` through as an HTML label.
    """
    text = text.replace("\\", "\\\\").replace('"', '\\"').replace("&", "&amp;")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\\n".join(lines)


def _wrapped(text: str, width: int = WRAP) -> str:
    """``text`` wrapped to ``width`` columns, then escaped (the breaks are ours)."""
    lines = textwrap.wrap(" ".join(text.split()), width) or [""]
    return "\\n".join(escape_label(line) for line in lines)


def _short(text: str, width: int = 16) -> str:
    """``text`` on one line, cut to ``width`` characters with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def emotion_colours(scale: Scale, value: float | None) -> tuple[str, str]:
    """The node fill and text colour for an emotion (the flow's shared emotion colours)."""
    if value is None:
        return NO_EMOTION_FILL, "#000000"
    return EMOTION_FILLS[emotion_bin(scale.normalise(value))]


def node_label(journey: Journey, tp: Touchpoint) -> str:
    """The escaped label of a touchpoint node: name, channel, emotions, pain-point badge."""
    m = messages(journey.lang)
    lines = [_wrapped(tp.name)]
    if tp.channel_name or tp.channel:
        lines.append(f"[{_wrapped(tp.channel_name or tp.channel or '')}]")
    many = len(journey.personas) > 1
    for persona in journey.personas:
        value = tp.emotion(persona.id)
        if value is None:
            continue
        word = m.scale_word(journey.scale, value)
        text = signed(journey.scale.min, value) + (f" {escape_label(word)}" if word else "")
        lines.append(f"{escape_label(_short(persona.name))}: {text}" if many else text)
    count = len(tp.pain_points)
    if count:
        lines.append(escape_label(m.count("flow.pains", count)))
    if tp.moment_of_truth:
        lines.append(escape_label(m("flow.moment")))
    return "\\n".join(lines)


def flow_edges(journey: Journey) -> list[tuple[int, int]]:
    """Edges as (from index, to index): ``next`` links, or file order when no touchpoint has any."""
    tps = journey.touchpoints
    if not any(tp.next for tp in tps):
        return [(i, i + 1) for i in range(len(tps) - 1)]
    position = {tp.id: i for i, tp in enumerate(tps)}
    return [(i, position[n]) for i, tp in enumerate(tps) for n in tp.next if n in position]


def edge_wait(src: Touchpoint, dst: Touchpoint) -> float | None:
    """The time between the end of ``src`` and the start of ``dst``, when both have ``at``
    and it is positive."""
    if src.at is None or dst.at is None:
        return None
    wait = dst.at - src.at - (src.duration or 0.0)
    return wait if wait > 0 else None


def build_dot(journey: Journey) -> str:
    """The exact DOT source of the journey's flow diagram (deterministic)."""
    import graphviz

    tps = journey.touchpoints
    node_id = {tp.id: f"n{i}" for i, tp in enumerate(tps)}
    dot = graphviz.Digraph("journey")
    m = messages(journey.lang)
    title = _wrapped(journey.title, 80)
    state = escape_label(m.plain(f"curve.state.{journey.state}"))
    heading = m.plain("curve.title", title=title, state=state)  # the parts are escaped
    dot.attr(
        "graph",
        label=graphviz.nohtml(f"{heading}\\n{escape_label(m('flow.dot_key'))}"),
        labelloc="t",
        fontname=FONT,
        fontsize="16",
        rankdir="LR",
        nodesep="0.35",
        ranksep="0.6",
    )
    dot.attr(
        "node",
        shape="box",
        style="rounded,filled",
        fontname=FONT,
        fontsize="11",
        margin="0.15,0.08",
    )
    dot.attr("edge", fontname=FONT, fontsize="9", color="#555555")
    for s, stage in enumerate(journey.stages):
        if not stage.touchpoints:
            continue
        with dot.subgraph(name=f"cluster_{s}") as cluster:
            cluster.attr(
                label=graphviz.nohtml(_wrapped(stage.name, 40)),
                style="rounded,filled",
                fillcolor="#fafafa",
                color="#bbbbbb",
                fontsize="13",
            )
            for tp in stage.touchpoints:
                worst = min(tp.emotions.values(), default=None)
                fill, ink = emotion_colours(journey.scale, worst)
                attrs = {"label": graphviz.nohtml(node_label(journey, tp)), "fillcolor": fill}
                if ink != "#000000":
                    attrs["fontcolor"] = ink
                if tp.moment_of_truth:
                    attrs["penwidth"] = "3.5"
                cluster.node(node_id[tp.id], **attrs)
    for a, b in flow_edges(journey):
        src, dst = tps[a], tps[b]
        attrs = {}
        if src.channel and dst.channel and src.channel != dst.channel:
            attrs = {"style": "dashed", "color": SWITCH_COLOR, "penwidth": "2"}
        wait = edge_wait(src, dst)
        if wait:
            attrs["label"] = graphviz.nohtml(escape_label(m.elapsed(wait)))
        dot.edge(node_id[src.id], node_id[dst.id], **attrs)
    return dot.source
