"""Flow diagrams: touchpoints as nodes in one cluster per stage, laid out by Graphviz.

``flow.dot`` is always produced. ``flow.svg`` comes from ``dot -Tsvg``; ``flow.pdf`` and
``flow.png`` are converted from that SVG by :mod:`journeymap.output.convert` (deterministic
bytes, no creation dates). When ``dot`` is missing the renderer does not raise: it returns
``flow.dot`` and a warning saying how to install Graphviz, so the caller's other outputs
still render and the DOT file can be drawn later.
"""

from __future__ import annotations

from journeymap.model.journey import Journey
from journeymap.output.graphviz import INSTALL_HINT, dot_program, run_dot
from journeymap.render.flow.dot import build_dot
from journeymap.render.options import Artifact, RenderOptions, RenderResult
from journeymap.source.diagnostics import ToolMissingError

__all__ = ["build_dot", "render"]

IMAGE_FORMATS: tuple[str, ...] = ("svg", "pdf", "png")


def render(journey: Journey, options: RenderOptions) -> RenderResult:
    """``flow.dot`` plus ``flow.svg|pdf|png`` for the image formats in ``options.formats``."""
    source = build_dot(journey)
    result = RenderResult(artifacts=[Artifact("flow.dot", source.encode("utf-8"))])
    wanted = [fmt for fmt in IMAGE_FORMATS if fmt in options.formats]
    if not wanted:
        return result
    if dot_program() is None:
        formats = ", ".join(f"flow.{fmt}" for fmt in wanted)
        result.warnings.append(
            f"{formats} not drawn: the Graphviz 'dot' program was not found; {INSTALL_HINT}, "
            "then render again (flow.dot was written)"
        )
        return result
    svg = run_dot(source, "svg", timeout=options.timeout)
    for fmt in wanted:
        if fmt == "svg":
            result.artifacts.append(Artifact("flow.svg", svg))
            continue
        from journeymap.output import convert

        try:
            if fmt == "pdf":
                data = convert.svg_to_pdf(svg, paper=options.paper, timeout=options.timeout)
            else:
                data = convert.svg_to_png(svg, dpi=options.dpi, timeout=options.timeout)
        except ToolMissingError as exc:
            result.warnings.append(f"flow.{fmt} not drawn: {exc}")
            continue
        result.artifacts.append(Artifact(f"flow.{fmt}", data))
    return result
