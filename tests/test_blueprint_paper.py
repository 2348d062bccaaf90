"""The blueprint as a print set: ``--paper a3`` cuts it into pages of whole stages on the
map's pagination (``render.map.pages``), each page with the lane labels, the three named
lines across its grid and the arrows of its columns."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

import journeymap
from journeymap.render.blueprint import layout
from journeymap.render.blueprint.svg import render
from journeymap.render.grid import PAD
from journeymap.render.map import pages
from journeymap.render.options import RenderOptions

needs_poppler = pytest.mark.skipif(
    not all(shutil.which(p) for p in ("rsvg-convert", "pdftotext")),
    reason="needs rsvg-convert and poppler-utils",
)


def _customer_cells(page: layout.BlueprintLayout) -> list[str]:
    return [b.id or "" for b in page.boxes if "cell bp-customer" in b.cls]


def test_pages_hold_every_column_once_with_the_lines_and_arrows(examples: Path) -> None:
    journey = journeymap.load(examples / "bank.yaml")
    whole = layout.layout(journey)
    sheets = pages.paginate(journey, whole, (1900.0, 1300.0))
    assert len(sheets) > 1
    cells = [cell for page in sheets for cell in _customer_cells(page)]
    assert sorted(cells) == sorted(_customer_cells(whole))
    assert len(cells) == len(journey.touchpoints)
    for page in sheets:
        # Each strip of the page (one group of columns) has the three lines across its grid.
        ids = [ln.id for ln in page.lines]
        assert ids and ids == ["interaction", "visibility", "internal"] * (len(ids) // 3)
        labels = sorted({b.x for b in page.boxes if b.cls == "cell lane-label"})
        for ln in page.lines:
            assert ln.x0 in labels and ln.x0 < ln.x1 <= page.width and ln.label_x == ln.x0 + PAD
        # Each lane keeps its place under the one above, with its line in the gap between.
        tops = [page.lanes[lane][0] for lane in layout.LANES]  # the page's first strip
        assert tops == sorted(tops)
        for (line, above), ln in zip(layout.LINES, page.lines, strict=True):
            top, h = page.lanes[above]
            below = layout.LANES[layout.LANES.index(above) + 1]
            assert top + h < ln.y < page.lanes[below][0], line
        columns = {round(b.x + b.w / 2, 2) for b in page.boxes if "cell bp-customer" in b.cls}
        assert {a.x for a in page.arrows} <= columns
        assert all(0 < a.y0 < a.y1 < page.height for a in page.arrows)
        assert all(b.x >= 0 and b.x + b.w <= page.width + 0.01 for b in page.boxes)
    # The bank's blueprint fits a sheet's height: no lane band is cut, so no arrow is lost.
    assert sum(len(page.arrows) for page in sheets) == len(whole.arrows)


def test_a_short_sheet_cuts_lanes_into_bands_and_drops_only_arrows_between_them(
    examples: Path,
) -> None:
    journey = journeymap.load(examples / "bank.yaml")
    sheets = pages.paginate(journey, layout.layout(journey), (1900.0, 700.0))
    lanes = [set(page.lanes) for page in sheets]
    assert any("support" not in found for found in lanes)
    for page in sheets:
        assert "stage" in page.lanes
        held = {ln.id for ln in page.lines}
        # A line shows on the page that holds the lane above it.
        assert held == {line for line, above in layout.LINES if above in page.lanes}
        for arrow in page.arrows:
            assert any(top <= arrow.y0 < top + h for top, h in page.lanes.values())
            assert any(top <= arrow.y1 < top + h for top, h in page.lanes.values())


def test_right_to_left_pages_keep_the_first_stage_and_the_labels_on_the_right(
    examples: Path,
) -> None:
    journey = journeymap.load(examples / "mobile-he.yaml")
    sheets = pages.paginate(journey, layout.layout(journey), (700.0, 900.0))
    assert len(sheets) > 1
    first = next(page for page in sheets if page.lines)
    stages = [b for b in first.boxes if b.cls == "cell lane-stage"]
    label = next(b for b in first.boxes if b.cls == "cell lane-label")
    assert stages[0].id == layout.xml_id(journey.id, "bp-stage", journey.stages[0].id)
    assert all(label.x > s.x for s in stages)
    for ln in first.lines:
        assert abs(ln.x1 - (label.x + label.w)) < 0.01 and ln.label_x == ln.x1 - PAD


@pytest.mark.exe
@needs_poppler
def test_bank_on_a3_is_a_print_set_with_page_marks(examples: Path, tmp_path: Path) -> None:
    journey = journeymap.load(examples / "bank.yaml")
    result = render(journey, RenderOptions(formats=("svg", "pdf"), paper="a3"))
    assert [a.name for a in result.artifacts] == ["blueprint.svg", "blueprint.pdf"]
    pdf = tmp_path / "blueprint.pdf"
    pdf.write_bytes(result.artifacts[1].data)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout.split("\f")[:-1]
    assert len(text) > 1
    text = [" ".join(page.split()) for page in text]  # a title may wrap on a narrow page
    for n, page in enumerate(text, 1):
        assert "Service blueprint: Opening a current account" in page
        assert f"Page {n} of {len(text)}" in page
        # A line is named on every page that holds the lane above it.
        if "Customer actions" in page:
            assert "Line of interaction" in page
    for words in ("Customer actions", "Line of visibility", "Support processes"):
        assert sum(words in page for page in text) >= len(journey.stages), words
    # The one-sheet poster stays: sheet:fit gives one page.
    poster = render(journey, RenderOptions(formats=("pdf",), paper="a3:fit"))
    assert len(PdfReader(io.BytesIO(poster.artifacts[0].data)).pages) == 1
