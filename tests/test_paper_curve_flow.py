"""The curve and the flow on ``--paper``: pages whose smallest text prints at 8 pt, a long
curve or flow split across pages with "page n of m", one sheet with ``SHEET:fit``."""

from __future__ import annotations

import io
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfReader

import journeymap
from journeymap.model.journey import Journey
from journeymap.output import convert
from journeymap.render import curve
from journeymap.render.flow import paper as flow_paper
from journeymap.render.flow.svg import render as render_flow
from journeymap.render.options import RenderOptions, RenderResult
from tests.test_flow_layout import long_journey
from tests.test_map_paper import smallest_pt

pytestmark = [
    pytest.mark.exe,
    pytest.mark.skipif(
        not all(shutil.which(p) for p in ("rsvg-convert", "pdftotext")),
        reason="needs rsvg-convert and poppler-utils",
    ),
]


def _pages_text(pdf: bytes, folder: Path) -> list[str]:
    path = folder / "out.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [" ".join(page.split()) for page in text.split("\f")[:-1]]


def _pdf(result: RenderResult, name: str) -> bytes:
    return next(a.data for a in result.artifacts if a.name == name)


Render = Callable[[Journey, RenderOptions], RenderResult]
VIEWS: list[tuple[str, Render]] = [("curve.pdf", curve.render), ("flow.pdf", render_flow)]


@pytest.mark.parametrize(("name", "render"), VIEWS)
@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_a_long_view_is_split_into_readable_pages(
    tmp_path: Path, name: str, render: Render, paper: str
) -> None:
    journey = long_journey(42, 6)
    pdf = _pdf(render(journey, RenderOptions(formats=("pdf",), paper=paper)), name)
    smallest = smallest_pt(pdf)
    assert len(smallest) > 1
    assert min(smallest) >= 7.99, smallest
    text = _pages_text(pdf, tmp_path)
    assert len(text) == len(smallest)
    for number, page in enumerate(text, start=1):
        assert f"Page {number} of {len(text)} · stage" in page
        assert "Open an account" in page
    sheet = {round(p.mediabox.width) for p in PdfReader(io.BytesIO(pdf)).pages}
    assert sheet <= {round(mm * 72 / 25.4) for mm in convert.PAPER_MM[paper]}


def test_the_flow_pages_hold_every_touchpoint_once() -> None:
    journey = long_journey(42, 6)
    scale = flow_paper.min_scale()
    area = tuple(pt / scale for pt in convert.printable_area("a4"))
    sheets = flow_paper.paginate(journey, (area[0], area[1]))
    held = [node.tp.id for page in sheets for node in page.nodes]
    assert held == [tp.id for tp in journey.touchpoints]
    continued = [box.label for page in sheets[1:] for box in page.stages[:1]]
    assert any("(continued)" in label for label in continued)
    for page in sheets:
        fits = [page.width <= a and page.height <= b for a, b in (area, area[::-1])]
        assert any(fits), (page.width, page.height)


@pytest.mark.parametrize(("name", "render"), VIEWS)
def test_a_view_that_fits_a_sheet_stays_one_page_and_sheet_fit_keeps_the_poster(
    examples: Path, name: str, render: Render
) -> None:
    journey = journeymap.load(examples / "bank.yaml")
    pdf = _pdf(render(journey, RenderOptions(formats=("pdf",), paper="a3")), name)
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    assert min(smallest_pt(pdf)) >= 7.99
    poster = _pdf(
        render(long_journey(42, 6), RenderOptions(formats=("pdf",), paper="a4:fit")), name
    )
    assert len(PdfReader(io.BytesIO(poster)).pages) == 1


def test_a_curve_on_a_time_axis_stays_one_sheet_and_says_when_it_is_too_small() -> None:
    from dataclasses import replace

    journey = long_journey(42, 6)
    stages = tuple(
        replace(s, touchpoints=tuple(replace(tp, at=tp.index * 600.0) for tp in s.touchpoints))
        for s in journey.stages
    )
    journey = replace(journey, stages=stages)
    result = curve.render(journey, RenderOptions(formats=("pdf",), paper="a4", x="time"))
    pdf = _pdf(result, "curve.pdf")
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    (warning,) = result.warnings
    printed = float(warning.split("prints at ")[1].split(" pt")[0])
    assert warning.startswith("curve.pdf page 1: its smallest text prints at ")
    assert abs(printed - min(smallest_pt(pdf))) < 0.2
    assert not curve.render(journey, RenderOptions(formats=("pdf",), paper="a1", x="time")).warnings
