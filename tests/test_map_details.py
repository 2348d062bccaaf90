"""Map details: the persona card, marker offsets, metric formats, the persona view, clamping."""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET
from dataclasses import replace

from test_map import full_journey, make_journey

from journeymap.model.journey import Persona
from journeymap.render.map import layout
from journeymap.render.map.svg import render_svg
from journeymap.render.options import RenderOptions
from journeymap.text.fit import text_width
from journeymap.text.locale import messages

SVG = "{http://www.w3.org/2000/svg}"
STYLES = {s.cls: s for s in (layout.BODY, layout.SMALL, layout.NAME, layout.TAG, layout.QUOTE)}


def test_persona_card_shows_description_needs_and_frustrations_within_the_card() -> None:
    j = full_journey(personas=2)
    ana = replace(
        j.personas[0],
        description="A long description of who this persona is and why. " * 4,
        needs=("A clear list of documents", "Answers in chat"),
        frustrations=("Waiting for letters in the post",),
    )
    j = replace(j, personas=(ana, j.personas[1]))
    geometry = layout.layout(j)
    card = next(b for b in geometry.boxes if b.id and b.id.endswith("persona-p0"))
    shown = " ".join(line.text for line in card.lines)
    for words in ("A long description", "Needs", "• A clear list of documents", "Frustrations"):
        assert words in shown
    assert "• Waiting for letters in the post" in shown
    for line in card.lines:
        style = STYLES[line.cls]
        assert line.x + text_width(line.text, style.size, style.bold) <= card.w + 0.5
        assert line.y <= card.h


def test_markers_at_equal_values_stay_apart() -> None:
    j = make_journey([{"emotions": {"p0": 1, "p1": 1, "p2": 1}}, {}], personas=3)
    geometry = layout.layout(j)
    xs = sorted(curve.points[0][0] for curve in geometry.curves)
    assert all(b - a >= 10 for a, b in itertools.pairwise(xs)), xs  # markers are 10 px


def test_low_pain_and_the_moment_of_truth_look_different() -> None:
    svg = render_svg(full_journey(), RenderOptions()).decode()
    low = re.search(r"\.sev-low > \.bg \{ fill: (#\w+); stroke: (#\w+)", svg)
    truth = re.search(r"\.cell\.mot > \.bg \{ fill: (#\w+); stroke: (#\w+)", svg)
    assert low and truth and not set(low.groups()) & set(truth.groups())


def test_metrics_are_formatted_and_unknown_names_kept() -> None:
    assert layout.metric_text("conversion", 0.034) == "conversion: 3.4 %"
    assert layout.metric_text("completion_rate", 0.885) == "completion_rate: 88.5 %"
    assert layout.metric_text("csat", 1.6) == "CSAT: 1.6 / 5"
    assert layout.metric_text("CES", 4.9) == "CES: 4.9 / 7"
    assert layout.metric_text("nps", 32) == "NPS: +32"
    assert layout.metric_text("minutes", 4) == "minutes: 4"
    assert layout.metric_text("Wartezeit", 0.5) == "Wartezeit: 0.5"
    assert layout.metric_text("conversion", 34) == "conversion: 34"  # not a share: as written


def test_a_persona_view_says_whose_view_it_is() -> None:
    view = full_journey(personas=3).for_persona("p1")
    shown = [t.text for t in ET.fromstring(render_svg(view, RenderOptions())).iter(f"{SVG}text")]
    assert "View of Persona 1" in shown
    whole = [t.text for t in ET.fromstring(render_svg(full_journey(), RenderOptions())).iter()]
    assert not any(t and t.startswith("View of") for t in whole)


def test_a_long_thought_is_clamped_with_a_mark_and_kept_whole_in_the_title() -> None:
    thought = "A very long thought that goes on and on. " * 20  # about 800 characters
    j = make_journey([{"thought": thought}, {}])
    geometry = layout.layout(j)
    cell = next(b for b in geometry.boxes if b.id and "-thoughts-tp-0" in b.id)
    assert cell.h < 200 and cell.lines[-1].text == "… continued"
    assert cell.lines[-2].text.endswith("…")
    root = ET.fromstring(render_svg(j, RenderOptions()))
    group = next(g for g in root.iter(f"{SVG}g") if (g.get("id") or "").endswith("thoughts-tp-0"))
    assert group.findtext(f"{SVG}title") == layout.quoted(thought)


def test_persona_defaults_are_unchanged_by_the_card() -> None:
    plain = Persona("x", "X", "#000000")
    card = layout._persona_card(plain, 0, 270.0, "id", messages("en"))
    assert [line.text for line in card.lines] == ["X"]
