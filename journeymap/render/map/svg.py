"""The journey map: SVG from the ``map/`` Jinja2 templates, then PDF and PNG from the SVG."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import TypeVar

from journeymap.model.journey import Journey
from journeymap.output import convert
from journeymap.render.grid import STYLES, Grid
from journeymap.render.map import layout, pages
from journeymap.render.marks import marker_path, num
from journeymap.render.options import SHEETS, THEMES, Artifact, RenderOptions, RenderResult
from journeymap.render.templating import environment
from journeymap.render.timescale import time_axis
from journeymap.text.fit import FONT_FAMILY, family_for, missing_glyph_warnings, upright
from journeymap.text.locale import localised, messages

TEMPLATE = "map/map.svg.j2"
G = TypeVar("G", bound=Grid)
#: Text class -> (font size px, bold), from the layout's styles.
TEXT_STYLES: dict[str, tuple[float, bool]] = {s.cls: (s.size, s.bold) for s in STYLES}


def path_data(points: list[tuple[float, float]]) -> str:
    """SVG path data through ``points`` (a dot when there is only one)."""
    head = f"M{num(points[0][0])} {num(points[0][1])}"
    if len(points) == 1:
        return head + "h0.01"
    return head + "L" + "L".join(f"{num(x)} {num(y)}" for x, y in points[1:])


def _user_text(journey: Journey) -> Iterator[str]:
    """Every piece of user text the map shows (for the missing-glyph check)."""
    yield journey.title
    yield journey.summary or ""
    for persona in journey.personas:
        yield from (persona.name, persona.role or "", persona.quote or "", *persona.goals)
    yield from journey.scale.labels.values()
    for stage in journey.stages:
        yield from (stage.name, stage.goal or "")
        for tp in stage.touchpoints:
            yield from (tp.name, tp.channel_name or "", tp.action or "", tp.thought or "")
            yield from (tp.owner or "", tp.backstage or "", *tp.metrics)
            for note in (*tp.pain_points, *tp.opportunities):
                yield from (note.text, note.owner or "")


def render_svg(journey: Journey, options: RenderOptions) -> bytes:
    """The map of ``journey`` as SVG bytes."""
    journey = localised(journey)
    if options.theme not in THEMES:
        raise ValueError(f"unknown theme {options.theme!r}; choose one of {', '.join(THEMES)}")
    return _draw(journey, geometry(journey, options), options)


def geometry(journey: Journey, options: RenderOptions) -> layout.MapLayout:
    """The map's layout: on the time axis when ``options.x`` is ``time`` (NoTimes when no
    touchpoint has ``at``)."""
    if options.x == "time":
        return layout.layout(journey, time_axis(journey, options.wait))
    return layout.layout(journey)


def _draw(journey: Journey, geometry: layout.MapLayout, options: RenderOptions) -> bytes:
    """``geometry`` (the whole map of ``journey``, or one page of it) as SVG bytes."""
    env = environment(options.templates)
    m = messages(journey.lang)
    description = m(
        f"map.description.{journey.state}",
        stages=m.count("count.stages", len(journey.stages)),
        touchpoints=m.count("count.touchpoints", len(journey.touchpoints)),
        people=m.join(p.name for p in journey.personas),
    )
    if journey.summary:
        description = f"{journey.summary} {description}"
    svg = env.get_template(TEMPLATE).render(
        map=geometry,
        journey=journey,
        theme=options.theme,
        description=description,
        heading=journey.acc_title or m("map.title", title=journey.title),
        path_data=path_data,
        **DRAWING,
    )
    return svg.encode("utf-8")


#: What every grid template (map, blueprint) draws with: fonts, text styles, numbers, marks.
DRAWING: dict[str, object] = {
    "font_family": FONT_FAMILY,
    "family_for": family_for,
    "upright": upright,
    "text_styles": TEXT_STYLES,
    "num": num,
    "marker": marker_path,
    "ceil": math.ceil,
}


def artifacts(stem: str, svg: bytes, options: RenderOptions, user_text: str) -> RenderResult:
    """``stem.svg``, ``stem.pdf`` and ``stem.png`` (those in ``options.formats``), with a
    warning for each character of ``user_text`` the PDF/PNG fonts cannot draw."""
    result = RenderResult()
    if "svg" in options.formats:
        result.artifacts.append(Artifact(f"{stem}.svg", svg))
    if "pdf" in options.formats:
        pdf = convert.svg_to_pdf(svg, paper=options.paper, timeout=options.timeout)
        result.artifacts.append(Artifact(f"{stem}.pdf", pdf))
    if "png" in options.formats:
        png = convert.svg_to_png(svg, dpi=options.dpi, timeout=options.timeout)
        result.artifacts.append(Artifact(f"{stem}.png", png))
    if {"pdf", "png"} & set(options.formats):
        result.warnings += missing_glyph_warnings(user_text)
    return result


def print_set(
    stem: str,
    journey: Journey,
    geometry: G,
    draw: Callable[[G], bytes],
    options: RenderOptions,
    user_text: str,
    title: str | None = None,
) -> RenderResult:
    """``stem.svg``, ``.pdf`` and ``.png`` (those in ``options.formats``) of a grid view of
    ``journey`` (``geometry``, drawn by ``draw``); on a sheet size (not ``fit`` nor
    ``sheet:fit``) the PDF is a print set of pages (``pages``) headed by ``title``."""
    svg = draw(geometry)
    if options.paper not in SHEETS or "pdf" not in options.formats:
        return artifacts(stem, svg, options, user_text)
    formats = tuple(f for f in options.formats if f != "pdf")
    result = artifacts(stem, svg, replace(options, formats=formats), user_text)
    scale = pages.min_scale()
    area_w, area_h = (pt / scale for pt in convert.printable_area(options.paper))
    margin = convert.MARGIN_MM * 72 / 25.4 / scale
    cut = pages.paginate(journey, geometry, (area_w, area_h), title, margin)
    sheets = [draw(page) for page in cut]
    pdf = convert.svgs_to_paper_pdf(sheets, options.paper, timeout=options.timeout)
    result.artifacts.insert(int("svg" in formats), Artifact(f"{stem}.pdf", pdf))
    for number, page in enumerate(cut, start=1):
        printed = convert.paper_scale((page.width, page.height), options.paper)
        if printed < scale * 0.999:
            result.warnings.append(
                f"{stem}.pdf page {number}: its smallest text prints at "
                f"{pages.MIN_PT * printed / scale:.1f} pt, under {pages.MIN_PT:g} pt: a lane is "
                f"taller than a sheet of {options.paper} (shorten it or use a larger paper)"
            )
    if "png" not in formats:
        result.warnings += missing_glyph_warnings(user_text)
    return result


def render(journey: Journey, options: RenderOptions) -> RenderResult:
    """``map.svg``, ``map.pdf`` and ``map.png`` (those in ``options.formats``); on a sheet
    size the PDF is a print set of pages."""
    journey = localised(journey)
    if options.theme not in THEMES:
        raise ValueError(f"unknown theme {options.theme!r}; choose one of {', '.join(THEMES)}")
    notes = []
    if options.x == "time" and options.paper in SHEETS and "pdf" in options.formats:
        # Pages are cut between whole columns of the order axis; the time axis is not.
        notes.append(
            f"map.pdf: the time axis is printed whole on one {options.paper} sheet "
            f"(as --paper {options.paper}:fit); for a print set of pages use --x order"
        )
        options = replace(options, paper=f"{options.paper}:fit")
    result = print_set(
        "map",
        journey,
        geometry(journey, options),
        lambda page: _draw(journey, page, options),
        options,
        "".join(_user_text(journey)),
    )
    result.warnings[:0] = notes
    return result
