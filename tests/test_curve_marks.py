"""The curve's notes, rings, scale words and special cases, measured from the drawn figure."""

from __future__ import annotations

import re
import warnings
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest
from factories_curve_flow import bank, journey
from test_flow_layout import long_journey

import journeymap
from journeymap.model.journey import Journey, Scale
from journeymap.render import curve
from journeymap.render.options import RenderOptions

SVG = "{http://www.w3.org/2000/svg}"
EXAMPLES = sorted((Path(__file__).parent.parent / "examples").glob("*.yaml"))


def shown(result: curve.RenderResult) -> str:
    root = ET.fromstring(result.artifacts[0].data)
    return " ".join(" ".join("".join(t.itertext()).split()) for t in root.iter(f"{SVG}text"))


CASES = [(p.stem, journeymap.load(p)) for p in EXAMPLES] + [("long-42", long_journey(42, 6))]


@pytest.mark.parametrize(("name", "j"), CASES, ids=[c[0] for c in CASES])
def test_notes_stay_clear_of_every_marker_and_ring(name: str, j: Journey) -> None:
    from matplotlib.text import Annotation

    with curve._style(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fig, _ = curve._figure(curve._journey_chart(j, RenderOptions()))
        renderer = fig.canvas.get_renderer()
        fig.draw(renderer)
        ax = fig.axes[0]
        notes = [t for t in ax.texts if isinstance(t, Annotation)]
        boxes = [n.get_bbox_patch().get_window_extent(renderer) for n in notes]
        marks = []
        for line in ax.lines:
            if line.get_marker() in (None, "None", "none", ""):
                continue
            radius = line.get_markersize() / 2 * fig.dpi / 72 + line.get_markeredgewidth()
            for x, y in ax.transData.transform(line.get_xydata()):
                marks.append((x - radius, y - radius, x + radius, y + radius))
        figure = fig.bbox
        every = [t.get_window_extent(renderer) for t in fig.findobj(curve_text()) if t.get_text()]
    assert len(notes) == 2 and marks
    for box in boxes:
        for x0, y0, x1, y1 in marks:
            assert not (box.x0 < x1 and x0 < box.x1 and box.y0 < y1 and y0 < box.y1), name
    for extent in every:
        assert figure.x0 - 1 <= extent.x0 and extent.x1 <= figure.x1 + 1
        assert figure.y0 - 1 <= extent.y0 and extent.y1 <= figure.y1 + 1


def curve_text() -> type:
    from matplotlib.text import Text

    return Text


def test_the_width_grows_with_the_touchpoints() -> None:
    widths = []
    for count in (10, 42, 80):
        with curve._style():
            _, width = curve._figure(curve._journey_chart(long_journey(count, 6), RenderOptions()))
        widths.append(width)
    assert widths[0] < widths[1] < widths[2]


def test_each_pain_ring_takes_its_persona_colour() -> None:
    j = journey(
        [("S", [
            {"name": "a", "emotions": {"ana": -2, "ben": 1}, "pain": ["high"]},
            {"name": "b", "emotions": {"ana": 2, "ben": -1}, "pain": ["low"]},
        ])],
        (("ana", "Ana", "#0072B2"), ("ben", "Ben", "#D55E00")),
    )  # fmt: skip
    with curve._style():
        fig, _ = curve._figure(curve._journey_chart(j, RenderOptions()))
        rings = [
            line.get_markeredgecolor()
            for line in fig.axes[0].lines
            if line.get_marker() == "o" and line.get_markerfacecolor() == "none"
        ]
    assert rings == ["#0072B2", "#D55E00"]


def test_custom_scale_words_carry_no_sign_and_the_drop_is_a_change() -> None:
    tps = [{"name": "a", "emotions": {"ana": 5}}, {"name": "b", "emotions": {"ana": 2}}]
    j = replace(journey([("S", tps)]), scale=Scale(1, 5, {1: "verärgert", 5: "begeistert"}))
    text = shown(curve.render(j, RenderOptions(formats=("svg",))))
    assert "verärgert (1)" in text and "begeistert (5)" in text
    assert not re.search(r"\(\+\d\)", text)
    assert "steepest drop: b (falls by 3)" in text


def test_different_scales_are_compared_on_a_normalised_axis() -> None:
    before = replace(
        journey([("S", [{"id": "a", "name": "a", "emotions": {"ana": 3}}])], title="Old"),
        scale=Scale(1, 5, {3: "okay"}),
    )
    after = replace(
        journey([("S", [{"id": "a", "name": "a", "emotions": {"ana": 3}}])], title="New"),
        state="future",
    )
    chart, notes = curve._comparison_chart([before, after], RenderOptions(), None)
    assert chart.normalised and "share of its own scale" in notes[0]
    assert sorted(s.values[0] for s in chart.series) == [2.0, 4.0]  # okay = 50 %, +3 = 100 %
    text = shown(curve.render_comparison([before, after], RenderOptions(formats=("svg",))))
    assert "Normalised axis" in text and "best (100 %)" in text and "delighted" not in text


@pytest.mark.parametrize(
    ("stages", "words"),
    [
        ([("Empty", [])], "no touchpoints"),
        ([("S", [{"name": "a"}, {"name": "b"}])], "no touchpoint has an emotion"),
    ],
)
def test_nothing_to_plot_yet_is_said(stages: list, words: str) -> None:  # type: ignore[type-arg]
    text = shown(curve.render(journey(stages), RenderOptions(formats=("svg",))))
    assert "Nothing to plot yet" in text and words in text


def test_the_curve_is_smoothed_by_default_like_the_map() -> None:
    assert curve.render.__kwdefaults__ == {"smooth": True}
    assert curve.render_comparison.__kwdefaults__ == {"smooth": True}
    assert not RenderOptions().measured
    straight = curve.render(bank(), RenderOptions(formats=("svg",)), smooth=False)
    smooth = curve.render(bank(), RenderOptions(formats=("svg",)))
    assert len(smooth.artifacts[0].data) > len(straight.artifacts[0].data)
