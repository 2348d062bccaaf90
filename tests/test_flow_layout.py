"""The flow drawing measured from its SVG: shape, text size, contrast, marks, routing, themes."""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from factories_curve_flow import bank, journey

import journeymap
from journeymap.model.journey import PERSONA_PALETTE, Journey
from journeymap.render.flow.svg import render_svg
from journeymap.render.marks import EMOTION_FILLS, EMOTION_GREYS, SHAPES, contrast, grey_level
from journeymap.render.options import RenderOptions
from journeymap.text.fit import text_width

SVG = "{http://www.w3.org/2000/svg}"
EXAMPLES = sorted((Path(__file__).parent.parent / "examples").glob("*.yaml"))
PERSONAS = (("ana", "Ana", "#0072B2"), ("ben", "Ben", "#D55E00"), ("cy", "Cy", "#009E73"))


def long_journey(count: int, per_stage: int, personas: int = 3) -> Journey:
    """``count`` touchpoints in stages of ``per_stage``, emotions cycling through the scale."""
    chosen = PERSONAS[:personas]
    stages = []
    for start in range(0, count, per_stage):
        specs = [
            {
                "name": f"Touchpoint number {k} with a longer name",
                "channel": "web" if k % 4 else "phone",
                "emotions": {p[0]: (k + n) % 7 - 3 for n, p in enumerate(chosen)},
                "pain": ["high"] if k % 5 == 0 else [],
                "truth": k % 9 == 0,
            }
            for k in range(start, min(start + per_stage, count))
        ]
        stages.append((f"Stage {start // per_stage + 1}", specs))
    return journey(stages, chosen)


def parse(j: Journey, theme: str = "default") -> ET.Element:
    return ET.fromstring(render_svg(j, RenderOptions(theme=theme)))


def size(svg: ET.Element) -> tuple[float, float]:
    return float(svg.get("width", "0")), float(svg.get("height", "0"))


def smallest_text_at(svg: ET.Element, shown_width: float) -> float:
    """The smallest font size in px when the drawing is shown ``shown_width`` px wide (at most
    its natural size)."""
    width, _ = size(svg)
    sizes = [float(t.get("font-size", "0")) for t in svg.iter(f"{SVG}text")]
    return min(sizes) * min(1.0, shown_width / width)


def journeys() -> list[tuple[str, Journey]]:
    cases = [(path.stem, journeymap.load(path)) for path in EXAMPLES]
    cases += [(f"long-{n}-{per}", long_journey(n, per)) for n in (40,) for per in (1, 3, 5, 8, 40)]
    return cases


@pytest.mark.parametrize(("name", "j"), journeys(), ids=lambda v: v if isinstance(v, str) else "")
def test_examples_and_forty_touchpoints_fit_a_screen_and_read_at_1400px(
    name: str, j: Journey
) -> None:
    svg = parse(j)
    width, height = size(svg)
    assert 0.5 <= width / height <= 3.0, (name, width, height)
    assert smallest_text_at(svg, 1400) >= 10.0, (name, width)


@pytest.mark.parametrize("count", [10, 24, 42, 70, 100])
@pytest.mark.parametrize("per_stage", [1, 4, 12, 100])
def test_ten_to_a_hundred_touchpoints_stay_between_1_2_and_3_1(count: int, per_stage: int) -> None:
    width, height = size(parse(long_journey(count, per_stage, personas=1)))
    assert 0.5 <= width / height <= 3.0


def test_each_persona_has_its_own_marker_and_no_mean_hides_pain() -> None:
    j = journey(
        [("S", [{"name": "mixed", "emotions": {"ana": -3, "ben": 0, "cy": 2}}, {"name": "b"}])],
        PERSONAS,
    )
    svg = parse(j)
    (node,) = [g for g in svg.iter(f"{SVG}g") if g.get("data-touchpoint") == "t0"]
    chips = [t.text for t in node.iter(f"{SVG}text") if t.get("class") == "t-chip"]
    assert chips == ["−3", "0", "+2"]
    markers = [p.get("d") for p in node.iter(f"{SVG}path") if p.get("class") == "marker"]
    assert len(set(markers)) == 3 and [p[0] for p in PERSONAS] == ["ana", "ben", "cy"]
    border = node.find(f"{SVG}rect")
    assert border is not None and border.get("stroke") == EMOTION_FILLS[0][0]  # the worst, −3


def test_a_scale_without_negatives_shows_no_signs() -> None:
    from dataclasses import replace

    from journeymap.model.journey import Scale

    j = replace(
        journey([("S", [{"name": "a", "emotions": {"ana": 1}}, {"name": "b"}])]),
        scale=Scale(1, 5, {1: "verärgert", 5: "begeistert"}),
    )
    texts = [t.text or "" for t in parse(j).iter(f"{SVG}text")]
    assert "1 verärgert" in texts and "5 begeistert" in texts
    assert not any(re.search(r"[+−]\d", text) for text in texts)


def _background(rects: list[Rect], x: float, y: float) -> str:
    """The fill painted last under the point (x, y)."""
    under = [fill for rx, ry, w, h, fill in rects if rx <= x <= rx + w and ry <= y <= ry + h]
    return under[-1]


Rect = tuple[float, float, float, float, str]


def _painted(svg: ET.Element) -> list[tuple[ET.Element, list[Rect]]]:
    """Every text with the rectangles painted before it."""
    rects: list[Rect] = []
    out = []
    for el in svg.iter():
        if el.tag == f"{SVG}rect" and el.get("fill") not in (None, "none"):
            box = (float(el.get("x", "0")), float(el.get("y", "0")))
            dims = (float(el.get("width", "0")), float(el.get("height", "0")))
            rects.append((*box, *dims, el.get("fill", "")))
        elif el.tag == f"{SVG}text":
            out.append((el, list(rects)))
    return out


@pytest.mark.parametrize("theme", ["default", "print"])
def test_every_text_has_at_least_4_5_to_1_contrast(theme: str) -> None:
    for j in (bank(), long_journey(40, 6), journeymap.load(EXAMPLES[0])):
        for text, rects in _painted(parse(j, theme)):
            x, y = float(text.get("x", "0")), float(text.get("y", "0"))
            size = float(text.get("font-size", "0"))
            if text.get("text-anchor") == "end":
                x -= 1
            ratio = contrast(text.get("fill", ""), _background(rects, x + 1, y - size / 3))
            assert ratio >= 4.5, (text.text, text.get("fill"), ratio)


def test_print_theme_applies_and_is_grey() -> None:
    default = render_svg(bank(), RenderOptions(theme="default"))
    printed = render_svg(bank(), RenderOptions(theme="print"))
    assert default != printed
    colours = set(re.findall(rb'(?:fill|stroke)="(#[0-9a-fA-F]{6})"', printed))
    assert colours and all(c[1:3] == c[3:5] == c[5:7] for c in colours), colours


@pytest.mark.parametrize("fills", [EMOTION_FILLS, EMOTION_GREYS])
def test_emotion_levels_stay_apart_in_grayscale(fills: tuple[tuple[str, str], ...]) -> None:
    grey = [grey_level(fill) for fill, _ in fills]
    assert all(b - a >= 0.07 for a, b in itertools.pairwise(grey)), grey
    assert all(contrast(fill, ink) >= 4.5 for fill, ink in fills)


def test_persona_palette_and_shapes_are_distinct_for_eight_and_3_to_1_on_white() -> None:
    assert len(set(PERSONA_PALETTE)) == 8 and len(set(SHAPES)) == 8
    assert all(contrast(colour, "#ffffff") >= 3.0 for colour in PERSONA_PALETTE)


def _segments(svg: ET.Element) -> list[tuple[float, float, float, float]]:
    out = []
    for path in svg.iter(f"{SVG}path"):
        if "edge" not in (path.get("class") or ""):
            continue
        points = [tuple(map(float, p.split())) for p in path.get("d", "")[1:].split("L")]
        out += [(*a, *b) for a, b in itertools.pairwise(points)]
    return out


def _crosses(
    seg: tuple[float, float, float, float], box: tuple[float, float, float, float]
) -> bool:
    """Whether an axis-parallel segment passes through the inside of ``box`` (x0, y0, x1, y1)."""
    x0, y0, x1, y1 = seg
    bx0, by0, bx1, by1 = box
    lo_x, hi_x, lo_y, hi_y = min(x0, x1), max(x0, x1), min(y0, y1), max(y0, y1)
    return lo_x < bx1 - 0.5 and hi_x > bx0 + 0.5 and lo_y < by1 - 0.5 and hi_y > by0 + 0.5


@pytest.mark.parametrize("j", [bank(), long_journey(40, 6), long_journey(23, 100)])
def test_no_edge_runs_through_a_stage_label_or_a_node(j: Journey) -> None:
    svg = parse(j)
    labels = []
    for t in svg.iter(f"{SVG}text"):
        if t.get("class") == "t-stage":
            x, y, s = float(t.get("x", "0")), float(t.get("y", "0")), float(t.get("font-size", "0"))
            labels.append((x, y - s, x + text_width(t.text or "", s, True), y + 3))
    nodes = []
    for g in svg.iter(f"{SVG}g"):
        rect = g.find(f"{SVG}rect")
        if g.get("data-touchpoint") and rect is not None:
            x, y = float(rect.get("x", "0")), float(rect.get("y", "0"))
            nodes.append(
                (x, y, x + float(rect.get("width", "0")), y + float(rect.get("height", "0")))
            )
    segments = _segments(svg)
    assert segments
    for seg in segments:
        assert not any(_crosses(seg, box) for box in labels), seg
        assert not any(_crosses(seg, box) for box in nodes), seg


def test_right_to_left_labels_stay_inside_their_node() -> None:
    j = journey([("مرحلة", [{"name": "فتح حساب مصرفي جديد", "channel": "الفرع"}, {"name": "b"}])])
    svg = parse(j)
    for text in svg.iter(f"{SVG}text"):
        if text.get("direction") == "rtl":
            assert text.get("text-anchor") == "end", text.text
