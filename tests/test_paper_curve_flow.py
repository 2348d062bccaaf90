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
from journeymap.render.flow.layout import NODE_W, FlowLayout
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


def _timed(count: int = 42) -> Journey:
    """``long_journey`` on a clock: 10 minutes apart, a day's wait after every fifth
    touchpoint and three more days after every seventh."""
    from dataclasses import replace

    def at(i: int) -> float:
        return i * 600.0 + (i // 5) * 86400.0 + (i // 7) * 3 * 86400.0

    journey = long_journey(count, 6)
    stages = tuple(
        replace(s, touchpoints=tuple(replace(tp, at=at(tp.index)) for tp in s.touchpoints))
        for s in journey.stages
    )
    return replace(journey, stages=stages)


@pytest.mark.parametrize("paper", ["a4", "a3"])
def test_a_curve_on_a_time_axis_is_split_along_time(tmp_path: Path, paper: str) -> None:
    from journeymap.text.locale import messages

    journey = _timed()
    options = RenderOptions(formats=("pdf",), paper=paper, x="time")
    result = curve.render(journey, options)
    assert not result.warnings
    pdf = _pdf(result, "curve.pdf")
    smallest = smallest_pt(pdf)
    assert len(smallest) > 1
    assert min(smallest) >= 7.99, smallest
    chart = curve._journey_chart(journey, options)
    with curve._style(curve._chart_text(chart)):
        figure, _ = curve._figure(chart)
        legend = [t.get_text() for t in figure.legends[0].get_texts()]
        pages = curve.paged(chart, legend, paper)
    assert len(pages) == len(smallest)
    assert [s.id for page in pages for s in page.slots] == [s.id for s in chart.slots]
    axis = chart.times
    assert axis is not None
    breaks = {g.before + 1 for g in axis.gaps if g.is_break}
    m = messages("en")
    text = _pages_text(pdf, tmp_path)
    start = 0
    for number, (page, printed) in enumerate(zip(pages, text, strict=True), start=1):
        stop = start + len(page.slots)
        # Breaks come every five touchpoints at most: each page but the last ends at one.
        assert stop in breaks or stop == len(chart.slots), (number, start, stop)
        assert page.times is not None and page.times.positions[0] == 0
        assert page.times.touchpoints == axis.touchpoints[start:stop]
        begin, end = m.elapsed(axis.times[start]), m.elapsed(axis.times[stop - 1])
        assert f"Page {number} of {len(pages)} · stage" in printed
        span = f"{begin} to {end}" if begin != end else begin
        assert f"{span} after the start" in printed
        start = stop


def test_a_time_axis_page_that_cannot_reach_8pt_is_named() -> None:
    from dataclasses import replace

    journey = _timed(6)
    # Seventy personas: a legend taller than an A4 sheet, however few touchpoints.
    personas = tuple(
        replace(journey.personas[k % 3], id=f"p{k}", name=f"Persona number {k} with a long name")
        for k in range(70)
    )
    stages = tuple(
        replace(
            s,
            touchpoints=tuple(
                replace(tp, emotions={f"p{k}": (tp.index + k) % 7 - 3 for k in range(70)})
                for tp in s.touchpoints
            ),
        )
        for s in journey.stages
    )
    journey = replace(journey, personas=personas, stages=stages)
    result = curve.render(journey, RenderOptions(formats=("pdf",), paper="a4", x="time"))
    pdf = _pdf(result, "curve.pdf")
    small = [k for k, pt in enumerate(smallest_pt(pdf), start=1) if pt < 7.99]
    assert small
    assert [w.split(":")[0] for w in result.warnings] == [f"curve.pdf page {k}" for k in small]
    assert all("even with one touchpoint" in w for w in result.warnings)
    assert not curve.render(journey, RenderOptions(formats=("pdf",), paper="a1", x="time")).warnings


def _branching(lang: str = "en") -> Journey:
    """36 touchpoints in a chain, every sixth also jumping 13 ahead (onto another page)."""
    from dataclasses import replace

    journey = long_journey(36, 6)
    ids = [tp.id for tp in journey.touchpoints]

    def onward(i: int) -> tuple[str, ...]:
        jump = [ids[i + 13]] if i % 6 == 0 and i + 13 < len(ids) else []
        return tuple(ids[i + 1 : i + 2] + jump)

    stages = tuple(
        replace(s, touchpoints=tuple(replace(tp, next=onward(tp.index)) for tp in s.touchpoints))
        for s in journey.stages
    )
    return replace(journey, stages=stages, lang=lang)


def _sheets(journey: Journey) -> list[FlowLayout]:
    scale = flow_paper.min_scale()
    area = tuple(pt / scale for pt in convert.printable_area("a4"))
    return flow_paper.paginate(journey, (area[0], area[1]))


@pytest.mark.parametrize("lang", ["en", "he"])
def test_an_edge_between_pages_is_a_pair_of_connectors(lang: str) -> None:
    from journeymap.render.flow.dot import flow_edges

    journey = _branching(lang)
    tps = journey.touchpoints
    sheets = _sheets(journey)
    assert len(sheets) > 2
    page_of = {node.tp.id: n for n, page in enumerate(sheets, start=1) for node in page.nodes}
    drawn = [e.ends for page in sheets for e in page.edges]
    outs = {(c.node, c.stub.other): c for p in sheets for c in p.connectors if c.stub.outgoing}
    ins = {(c.stub.other, c.node): c for p in sheets for c in p.connectors if not c.stub.outgoing}
    crossing = 0
    edges = [(tps[a].id, tps[b].id) for a, b in flow_edges(journey)]
    for src, dst in edges:
        if page_of[src] == page_of[dst]:
            assert drawn.count((src, dst)) == 1
            assert (src, dst) not in outs and (src, dst) not in ins
            continue
        crossing += 1
        assert (src, dst) not in drawn
        out, into = outs[src, dst], ins[src, dst]
        assert out in sheets[page_of[src] - 1].connectors
        assert into in sheets[page_of[dst] - 1].connectors
        arrow = "←" if lang == "he" else "→"
        assert out.texts[0].text.startswith(arrow)
        assert f" {page_of[dst]}" in out.texts[0].text
        assert f" {page_of[src]}" in into.texts[0].text
    assert crossing >= 4
    assert len(outs) == len(ins) == crossing
    assert len(drawn) + crossing == len(edges)
    for page in sheets:
        nodes = {node.tp.id: node for node in page.nodes}
        for c in page.connectors:
            node = nodes[c.node]
            # The stub touches the node's top and the label sits above it, inside the column.
            end = c.points[0] if c.stub.outgoing else c.points[-1]
            assert end[1] == node.y and node.x < end[0] < node.x + NODE_W
            assert all(t.y < node.y for t in c.texts)
            start = c.texts[0].x
            assert node.x < start < node.x + NODE_W
            # Mirrored: the label runs leftwards from its right edge, left of the stub.
            assert (start < end[0]) == (lang == "he")


def test_the_connectors_are_printed_with_the_pages_they_name(tmp_path: Path) -> None:
    import re

    journey = _branching()
    sheets = _sheets(journey)
    pdf = _pdf(render_flow(journey, RenderOptions(formats=("pdf",), paper="a4")), "flow.pdf")
    text = _pages_text(pdf, tmp_path)
    assert len(text) == len(sheets)
    for page, printed in zip(sheets, text, strict=True):
        want = sorted(
            ("→" if c.stub.outgoing else "from", c.texts[0].text.split(":")[0].split()[-1])
            for c in page.connectors
        )
        found = sorted(re.findall(r"(→|from) p\. (\d+):", printed))
        assert found == want
        assert want


@pytest.mark.parametrize(("x", "pages", "most_blank"), [("order", 3, 0.4), ("time", 5, 0.45)])
def test_the_curve_pages_are_few_and_evenly_filled(
    tmp_path: Path, x: str, pages: int, most_blank: float
) -> None:
    from tests.test_map_paper import _blank

    # 42 touchpoints on A4: greedy cutting gave 4 pages (order; the last 44 % blank) and
    # 5 pages (time; the last holding 2 touchpoints, 46 % blank).
    journey = long_journey(42, 6) if x == "order" else _timed()
    options = RenderOptions(formats=("pdf",), paper="a4", x=x)
    pdf = _pdf(curve.render(journey, options), "curve.pdf")
    path = tmp_path / "curve.pdf"
    path.write_bytes(pdf)
    blank = _blank(path, tmp_path)
    assert len(blank) == pages
    assert max(blank) <= most_blank, blank
    chart = curve._journey_chart(journey, options)
    with curve._style(curve._chart_text(chart)):
        figure, _ = curve._figure(chart)
        legend = [t.get_text() for t in figure.legends[0].get_texts()]
        sizes = [len(page.slots) for page in curve.paged(chart, legend, "a4")]
    assert min(sizes) * 2 > max(sizes), sizes
