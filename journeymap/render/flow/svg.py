"""Flow diagrams: touchpoints wrapped into rows, one box per stage and row, routed edges.

``flow.dot`` (Graphviz source, for editing the graph elsewhere) is always produced and
needs no program. ``flow.svg`` is laid out by :mod:`journeymap.render.flow.layout` to fit
a landscape page at any length; ``flow.pdf`` and ``flow.png`` are converted from it by
:mod:`journeymap.output.convert` (deterministic bytes, no creation dates).
"""

from __future__ import annotations

from journeymap.model.journey import Journey
from journeymap.render.flow.dot import build_dot
from journeymap.render.flow.draw import draw
from journeymap.render.flow.layout import layout
from journeymap.render.options import SHEETS, THEMES, Artifact, RenderOptions, RenderResult
from journeymap.source.diagnostics import ToolMissingError
from journeymap.text.fit import missing_glyph_warnings
from journeymap.text.locale import localised

__all__ = ["build_dot", "render", "render_svg"]

IMAGE_FORMATS: tuple[str, ...] = ("svg", "pdf", "png")


def render_svg(journey: Journey, options: RenderOptions) -> bytes:
    """The flow of ``journey`` as SVG bytes."""
    journey = localised(journey)
    if options.theme not in THEMES:
        raise ValueError(f"unknown theme {options.theme!r}; choose one of {', '.join(THEMES)}")
    return draw(journey, layout(journey), options.theme)


def render(journey: Journey, options: RenderOptions) -> RenderResult:
    """``flow.dot`` plus ``flow.svg|pdf|png`` for the image formats in ``options.formats``."""
    journey = localised(journey)
    source = build_dot(journey)
    result = RenderResult(artifacts=[Artifact("flow.dot", source.encode("utf-8"))])
    wanted = [fmt for fmt in IMAGE_FORMATS if fmt in options.formats]
    if not wanted:
        return result
    svg = render_svg(journey, options)
    for fmt in wanted:
        if fmt == "svg":
            result.artifacts.append(Artifact("flow.svg", svg))
            continue
        from journeymap.output import convert

        try:
            if fmt == "pdf" and options.paper in SHEETS and journey.touchpoints:
                data = _print_set(journey, options)
            elif fmt == "pdf":
                data = convert.svg_to_pdf(svg, paper=options.paper, timeout=options.timeout)
            else:
                data = convert.svg_to_png(svg, dpi=options.dpi, timeout=options.timeout)
        except ToolMissingError as exc:
            result.warnings.append(f"flow.{fmt} not drawn: {exc}")
            continue
        result.artifacts.append(Artifact(f"flow.{fmt}", data))
    if {"pdf", "png"} & set(wanted):
        text = "".join(tp.name + (tp.channel_name or "") for tp in journey.touchpoints)
        text += journey.title + "".join(s.name for s in journey.stages)
        result.warnings += missing_glyph_warnings(text)
    return result


def _print_set(journey: Journey, options: RenderOptions) -> bytes:
    """The flow's PDF on ``options.paper``: pages whose smallest text prints at 8 pt."""
    from journeymap.output import convert
    from journeymap.render.flow import paper

    scale = paper.min_scale()
    area_w, area_h = (pt / scale for pt in convert.printable_area(options.paper))
    sheets = [
        draw(journey, page, options.theme) for page in paper.paginate(journey, (area_w, area_h))
    ]
    return convert.svgs_to_paper_pdf(sheets, options.paper, timeout=options.timeout)
