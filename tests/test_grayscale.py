"""Every view in grayscale: emotion levels and pain severities stay apart (luminance measured)."""

from __future__ import annotations

import io
import itertools
import re
import statistics
import xml.etree.ElementTree as ET

import pytest
from factories_curve_flow import bank
from test_flow_layout import long_journey
from test_map import full_journey

from journeymap.output import convert
from journeymap.render import curve
from journeymap.render.flow.svg import render_svg as flow_svg
from journeymap.render.map.svg import render_svg as map_svg
from journeymap.render.marks import grey_level
from journeymap.render.options import RenderOptions

SVG = "{http://www.w3.org/2000/svg}"
SEVERITIES = ("low", "medium", "high", "critical")


@pytest.mark.exe
@pytest.mark.parametrize("theme", ["default", "print"])
def test_flow_emotion_chips_stay_apart_in_a_grayscale_raster(theme: str) -> None:
    from PIL import Image

    svg = flow_svg(long_journey(14, 7), RenderOptions(theme=theme))
    grey = Image.open(io.BytesIO(convert.svg_to_png(svg, dpi=96))).convert("L")
    levels: dict[int, list[int]] = {}
    for rect in ET.fromstring(svg).iter(f"{SVG}rect"):
        match = re.fullmatch(r"chip level-(\d)", rect.get("class") or "")
        if match:
            x, y = float(rect.get("x", "0")), float(rect.get("y", "0"))
            w = float(rect.get("width", "0"))
            pixel = grey.getpixel((round(x + w / 2), round(y + 2.5)))
            levels.setdefault(int(match.group(1)), []).append(int(pixel))  # type: ignore[arg-type]
    assert sorted(levels) == list(range(7))
    medians = [statistics.median(levels[k]) for k in range(7)]
    assert all(b - a >= 15 for a, b in itertools.pairwise(medians)), medians


def _severity_css(svg: str, theme: str) -> list[tuple[float, float]]:
    """(grey level of the fill, stroke width) of each severity's note box, low to critical."""
    out = []
    for sev in SEVERITIES:
        rule = re.search(rf"\.jm-{theme} \.sev-{sev} > \.bg \{{([^}}]*)\}}", svg)
        assert rule, sev
        fill = re.search(r"fill: (#[0-9a-fA-F]{6})", rule.group(1))
        width = re.search(r"stroke-width: ([\d.]+)", rule.group(1))
        assert fill
        out.append((grey_level(fill.group(1)), float(width.group(1)) if width else 1.0))
    return out


@pytest.mark.parametrize("theme", ["default", "print"])
def test_map_severities_darken_and_thicken_in_grayscale(theme: str) -> None:
    svg = map_svg(full_journey(), RenderOptions(theme=theme)).decode()
    marks = _severity_css(svg, theme)
    greys = [g for g, _ in marks]
    widths = [w for _, w in marks]
    assert all(a - b >= 0.04 for a, b in itertools.pairwise(greys)), greys
    assert all(b > a for a, b in itertools.pairwise(widths[1:])), widths
    assert widths[0] <= widths[1]


def test_curve_severities_differ_by_ring_size_and_emotion_by_height() -> None:
    sizes = [curve.SEVERITY_SIZE[s] for s in SEVERITIES]
    assert all(b - a >= 4 for a, b in itertools.pairwise(sizes))
    with curve._style():
        fig, _ = curve._figure(curve._journey_chart(bank(), RenderOptions(theme="print")))
        labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels[0].startswith("angry") and labels[-1].startswith("delighted")
