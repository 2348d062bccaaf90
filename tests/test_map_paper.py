"""The map as a print set: ``--paper a3`` cuts it into readable pages by stage."""

from __future__ import annotations

import io
import math
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PIL import Image, ImageOps
from pypdf import PdfReader

import journeymap
from journeymap.model.journey import Journey
from journeymap.output import convert
from journeymap.render.map import layout, pages
from journeymap.render.map.svg import _draw, render
from journeymap.render.options import RenderOptions
from journeymap.text.locale import messages
from tests.test_flow_layout import long_journey as _long

SVG = "{http://www.w3.org/2000/svg}"
PAPERS = ("a4", "a3", "letter", "tabloid", "a2")
needs_tools = pytest.mark.skipif(
    not all(shutil.which(p) for p in ("rsvg-convert", "pdftotext", "pdftoppm")),
    reason="needs rsvg-convert and poppler-utils",
)


def _journeys(examples: Path) -> dict[str, Journey]:
    return {
        "bank": journeymap.load(examples / "bank.yaml"),
        "bakery-ar": journeymap.load(examples / "bakery-ar.yaml"),
        "mobile-he": journeymap.load(examples / "mobile-he.yaml"),
        "42-in-7-stages": _long(42, 6),
        "42-in-one-stage": _long(42, 42),
    }


def _cut(journey: Journey, paper: str) -> list[layout.MapLayout]:
    scale = pages.min_scale()
    area = tuple(pt / scale for pt in convert.printable_area(paper))
    margin = convert.MARGIN_MM * 72 / 25.4 / scale
    return pages.paginate(journey, layout.layout(journey), (area[0], area[1]), None, margin)


def _pt_per_px(page: layout.MapLayout, paper: str) -> float:
    """The scale ``convert.svgs_to_paper_pdf`` draws ``page`` at, in pt per px."""
    return convert.paper_scale((page.width, page.height), paper)


def _columns(page: layout.MapLayout) -> list[str]:
    return [b.id or "" for b in page.boxes if b.cls.startswith("cell lane-touchpoints")]


@pytest.mark.parametrize("paper", PAPERS)
def test_every_text_style_prints_at_least_8_pt(examples: Path, paper: str) -> None:
    for name, journey in _journeys(examples).items():
        sheets = _cut(journey, paper)
        for number, page in enumerate(sheets, start=1):
            svg = ET.fromstring(_draw(journey, page, RenderOptions()))
            sizes = {float(t.get("font-size", "0")) for t in svg.iter(f"{SVG}text")}
            assert min(sizes) * _pt_per_px(page, paper) >= 8.0, (name, paper, number)


def test_pages_hold_every_column_once_and_split_only_too_wide_stages(examples: Path) -> None:
    for name, journey in _journeys(examples).items():
        whole = layout.layout(journey)
        for paper in ("a4", "a3"):
            sheets = _cut(journey, paper)
            held = [c for page in sheets for c in _columns(page)]
            assert held == _columns(whole), (name, paper)
            assert len(held) == len(journey.touchpoints)
            for page in sheets:
                assert all(b.x >= 0 and b.x + b.w <= page.width + 0.01 for b in page.boxes)
                assert all(b.y >= 0 and b.y + b.h <= page.height + 0.01 for b in page.boxes)
                # Cells never straddle a page: each is a whole column.
                cells = [b for b in page.boxes if b.cls.startswith("cell lane-touchpoints")]
                assert all(b.w == layout.COL_W for b in cells)


def test_a_page_shortens_a_lane_to_its_own_tallest_cell_and_cuts_no_text(examples: Path) -> None:
    journey = journeymap.load(examples / "bank.yaml")
    whole = layout.layout(journey)
    lane = {b.id: b.h for b in whole.boxes if b.cls == "cell lane-label"}
    shorter = 0
    for paper in ("a4", "a3"):
        for page in _cut(journey, paper):
            for box in (b for b in page.boxes if b.cls.startswith("cell ")):
                assert pages._natural(box) <= box.h + 0.01, (paper, page.id, box.id)
            for label in (b for b in page.boxes if b.cls == "cell lane-label"):
                row = [b for b in page.boxes if b.y == label.y and b.cls.startswith("cell ")]
                assert all(b.h == label.h for b in row)
                shorter += label.h < lane[label.id] - 0.5
    assert shorter > 0


def test_a_cells_natural_height_is_what_its_stack_gave_it() -> None:
    from journeymap.model.journey import Note
    from journeymap.render import grid

    m = messages("ar")
    texts = [
        "A short line",
        "word " * 60,
        "رسوم جهاز نقطة البيع غير واضحة " * 4,
        "混合 text 日本語",
    ]
    for text in texts:
        for style in (grid.BODY, grid.SMALL, grid.STAGE, grid.TAG, grid.QUOTE):
            box = grid.text_box("cell", layout.COL_W, [(text, style), ("second", grid.SMALL)], m)
            assert abs(pages._natural(box) - box.h) < 0.01, (text, style)
        stack = grid.Stack(grid.Box("cell", layout.COL_W, 0.0), m)
        stack.child(grid.note_box(Note(text), "pain", stack.inner, "High", m))
        stack.text(text, grid.BODY, 8)
        box = stack.close()
        assert abs(pages._natural(box) - box.h) < 0.01, text


def test_a_stage_wider_than_the_sheet_continues_on_the_next_page() -> None:
    journey = _long(42, 42)
    sheets = _cut(journey, "a3")
    stage_cells = [
        [b for b in page.boxes if b.cls == "cell lane-stage"]
        for page in sheets
        if any(b.cls == "cell lane-stage" for b in page.boxes)
    ]
    assert len(stage_cells) > 1
    names = [cells[0].lines[0].text for cells in stage_cells]
    assert names[0] == "Stage 1"
    assert set(names[1:]) == {"Stage 1 (continued)"}
    # The page's header names it too.
    header = next(b for b in sheets[-1].boxes if b.cls == "header")
    assert f"Page {len(sheets)} of {len(sheets)} · stage Stage 1 (continued)" in [
        line.text for line in header.lines
    ]


@pytest.mark.parametrize("lang", ["de", "ja", "ar"])
def test_the_continued_mark_is_in_the_journeys_language(lang: str) -> None:
    from dataclasses import replace

    journey = replace(_long(20, 20), lang=lang)
    sheets = _cut(journey, "a4")
    texts = [ln.text for page in sheets for b in page.boxes for ln in b.lines]
    continued = messages(lang)("map.stage_continued", stage="Stage 1")
    assert continued != messages()("map.stage_continued", stage="Stage 1")
    assert continued in texts


def test_a_narrow_map_stacks_several_strips_on_a_sheet() -> None:
    # Three lanes only: two strips of columns fit one above the other on a portrait A3.
    journey = _long(42, 6)
    sheets = _cut(journey, "a3")
    assert len(sheets) < 42 / 4
    assert max(len(page.more) for page in sheets) >= 1
    for page in sheets:
        bands = [page, *page.more]
        assert all(p.band is not None for p in bands)
        assert [p.band[1] for p in bands if p.band] == sorted(p.band[1] for p in bands if p.band)


@pytest.mark.exe
@needs_tools
def test_a_lane_taller_than_the_sheet_is_named_in_a_warning() -> None:
    from dataclasses import replace

    from journeymap.model.journey import Note

    journey = _long(6, 6)
    notes = tuple(Note(f"Pain {k}: " + "a long account of what went wrong " * 6) for k in range(6))
    stage = journey.stages[0]
    first = replace(stage.touchpoints[0], pain_points=notes)
    journey = replace(
        journey, stages=(replace(stage, touchpoints=(first, *stage.touchpoints[1:])),)
    )
    result = render(journey, RenderOptions(formats=("pdf",), paper="a4"))
    assert len(PdfReader(io.BytesIO(result.artifacts[0].data)).pages) > 1
    warnings = [w for w in result.warnings if w.startswith("map.pdf page")]
    assert warnings
    assert all("under 8 pt: a lane is taller than a sheet of a4" in w for w in warnings)
    assert min(smallest_pt(result.artifacts[0].data)) < 8.0
    # On A3 the lane fits: no warning.
    assert not render(journey, RenderOptions(formats=("pdf",), paper="a3")).warnings


def test_right_to_left_pages_keep_the_first_stage_on_the_right(examples: Path) -> None:
    journey = journeymap.load(examples / "mobile-he.yaml")
    sheets = pages.paginate(journey, layout.layout(journey), (900.0, 700.0))
    assert len(sheets) > 1
    first = next(p for p in sheets if any(b.cls == "cell lane-stage" for b in p.boxes))
    stages = [b for b in first.boxes if b.cls == "cell lane-stage"]
    label = next(b for b in first.boxes if b.cls == "cell lane-label")
    assert stages[0].id == layout.xml_id(journey.id, "stage", journey.stages[0].id)
    assert all(label.x > s.x for s in stages)
    assert [s.x for s in stages] == sorted((s.x for s in stages), reverse=True)
    assert all(b.x >= 0 and b.x + b.w <= first.width + 0.01 for b in first.boxes)


def smallest_pt(pdf: bytes) -> list[float]:
    """The smallest font size of each page of ``pdf``, in pt as printed."""
    smallest = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        sizes: list[float] = []

        def visit(
            text: str, cm: list[float], tm: list[float], font: object, size: float, into=sizes
        ) -> None:
            if text.strip():
                scale = math.sqrt(abs(tm[0] * tm[3] - tm[1] * tm[2]))
                scale *= math.sqrt(abs(cm[0] * cm[3] - cm[1] * cm[2]))
                into.append(size * scale)

        page.extract_text(visitor_text=visit)
        smallest.append(min(sizes))
    return smallest


def _blank(pdf: Path, folder: Path) -> list[float]:
    """The share of each page that is white outside the drawing's inked bounding box."""
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(pdf), str(folder / "p")], check=True)
    shares = []
    for png in sorted(folder.glob("p-*.png"), key=lambda p: int(p.stem.split("-")[1])):
        image = Image.open(png).convert("L")
        box = ImageOps.invert(image).point(lambda v: 255 if v > 8 else 0).getbbox()
        assert box is not None
        shares.append(1 - (box[2] - box[0]) * (box[3] - box[1]) / (image.width * image.height))
    return shares


@pytest.mark.exe
@needs_tools
@pytest.mark.parametrize(
    ("name", "paper", "most_blank"),
    # bakery-ar: two-column stages on portrait A4, in six sheets (one a short band, 44 %
    # blank) rather than seven at most 40 % blank.
    [("bank", "a3", 0.4), ("bakery-ar", "a4", 0.45), ("42-in-one-stage", "letter", 0.4)],
)
def test_the_print_set_reads_at_8_pt_and_fills_its_sheets(
    examples: Path, tmp_path: Path, name: str, paper: str, most_blank: float
) -> None:
    journey = _journeys(examples)[name]
    data = render(journey, RenderOptions(formats=("pdf",), paper=paper)).artifacts[0].data
    pdf = tmp_path / "map.pdf"
    pdf.write_bytes(data)
    smallest = smallest_pt(data)
    assert min(smallest) >= 7.99, smallest
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout.split("\f")[:-1]
    count = len(text)
    assert count == len(smallest) > 1
    word = messages(journey.lang)("map.page", page=1, pages=1, first="", last="").split()[0]
    for number, page in enumerate(text, start=1):
        if journey.lang == "en":
            assert f"Page {number} of {count} · stage" in page
        assert word in page

    # Every word of every touchpoint's name comes back (Arabic too: Noto Sans Arabic; the
    # lam-alef ligature reads back as alef-lam, and bidi controls are dropped).
    def plain(text: str) -> set[str]:
        return set(re.sub("[\u200e\u200f\u202a-\u202e\u2066-\u2069]", "", text).replace(
            "لا", "ال").split())  # fmt: skip

    assert plain(" ".join(tp.name for tp in journey.touchpoints)) <= plain(" ".join(text))
    blank = _blank(pdf, tmp_path)
    assert max(blank) <= most_blank, blank


@pytest.mark.exe
@needs_tools
def test_sheet_fit_keeps_the_one_sheet_poster(examples: Path) -> None:
    journey = journeymap.load(examples / "bank.yaml")
    svg = render(journey, RenderOptions(formats=("svg",))).artifacts[0].data
    poster = render(journey, RenderOptions(formats=("pdf",), paper="a3:fit")).artifacts[0].data
    assert poster == convert.svg_to_pdf(svg, paper="a3")
    assert len(PdfReader(io.BytesIO(poster)).pages) == 1


@pytest.mark.exe
@needs_tools
def test_cli_takes_a_sheet_and_sheet_fit(examples: Path, tmp_path: Path) -> None:
    from journeymap.commands.cli import main

    for paper in ("a4", "a4:fit"):
        out = tmp_path / paper.replace(":", "-")
        argv = ["render", str(examples / "bank.yaml"), "-o", str(out), "--what", "map"]
        assert main([*argv, "--format", "pdf", "--paper", paper]) == 0
        count = len(PdfReader(out / "bank" / "map.pdf").pages)
        assert (count > 1) == (paper == "a4")
