"""The service blueprint: SVG from the ``blueprint/`` templates, then PDF and PNG from it."""

from __future__ import annotations

from collections.abc import Iterator

from journeymap.model.journey import Journey
from journeymap.render.blueprint import layout
from journeymap.render.map.svg import DRAWING, print_set
from journeymap.render.options import THEMES, RenderOptions, RenderResult
from journeymap.render.templating import environment
from journeymap.text.locale import localised, messages

TEMPLATE = "blueprint/blueprint.svg.j2"


def _user_text(journey: Journey) -> Iterator[str]:
    """Every piece of user text the blueprint shows (for the missing-glyph check)."""
    yield journey.title
    yield journey.summary or ""
    for actor in journey.actors:
        yield actor.name
    for stage in journey.stages:
        yield stage.name
        for tp in stage.touchpoints:
            yield from (tp.name, tp.action or "", *tp.evidence)
            for step in (*tp.frontstage, *tp.backstage_actions, *tp.support):
                yield step.text
            yield from (n.text for n in tp.pain_points if n.fail_point)


def render_svg(journey: Journey, options: RenderOptions) -> bytes:
    """The blueprint of ``journey`` as SVG bytes."""
    journey = localised(journey)
    if options.theme not in THEMES:
        raise ValueError(f"unknown theme {options.theme!r}; choose one of {', '.join(THEMES)}")
    return _draw(journey, layout.layout(journey, options.wait), options)


def _draw(journey: Journey, geometry: layout.BlueprintLayout, options: RenderOptions) -> bytes:
    """``geometry`` (the whole blueprint of ``journey``, or one page of it) as SVG bytes."""
    env = environment(options.templates)
    m = messages(journey.lang)
    description = m(
        "blueprint.description",
        stages=m.count("count.stages", len(journey.stages)),
        touchpoints=m.count("count.touchpoints", len(journey.touchpoints)),
    )
    svg = env.get_template(TEMPLATE).render(
        map=geometry,
        journey=journey,
        theme=options.theme,
        description=description,
        heading=m("blueprint.title", title=journey.title),
        **DRAWING,
    )
    return svg.encode("utf-8")


def render(journey: Journey, options: RenderOptions) -> RenderResult:
    """``blueprint.svg``, ``blueprint.pdf`` and ``blueprint.png`` (those in
    ``options.formats``); on a sheet size the PDF is a print set of pages, as the map's."""
    journey = localised(journey)
    if options.theme not in THEMES:
        raise ValueError(f"unknown theme {options.theme!r}; choose one of {', '.join(THEMES)}")
    return print_set(
        "blueprint",
        journey,
        layout.layout(journey, options.wait),
        lambda page: _draw(journey, page, options),
        options,
        "".join(_user_text(journey)),
        messages(journey.lang)("blueprint.title", title=journey.title),
    )
