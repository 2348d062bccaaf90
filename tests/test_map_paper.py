"""The map as a print set: ``--paper a3`` cuts it into readable pages by stage."""

from __future__ import annotations

import io
import re
import shutil
import statistics
import subprocess
from collections import defaultdict
from pathlib import Path

import pytest
from PIL import Image, ImageOps
from pypdf import PdfReader

import journeymap
from journeymap.output import convert
from journeymap.render.map import layout, pages
from journeymap.render.map.svg import render
from journeymap.render.options import RenderOptions

_WORD = re.compile(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)<')
needs_tools = pytest.mark.skipif(
    not all(shutil.which(p) for p in ("rsvg-convert", "pdftotext", "pdftoppm")),
    reason="needs rsvg-convert and poppler-utils",
)


def _words(pdf: Path) -> dict[str, list[tuple[int, float]]]:
    """Each word of ``pdf`` -> (page, height of its box in pt) of every occurrence."""
    out = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    words: dict[str, list[tuple[int, float]]] = defaultdict(list)
    page = 0
    for line in out.splitlines():
        page += "<page " in line
        match = _WORD.search(line)
        if match:
            words[match.group(3)].append((page, float(match.group(2)) - float(match.group(1))))
    return words


def _pdf(journey: journeymap.Journey, paper: str, path: Path) -> Path:
    result = render(journey, RenderOptions(formats=("pdf",), paper=paper))
    path.write_bytes(result.artifacts[0].data)
    return path


def test_groups_keep_stages_whole_and_even() -> None:
    assert pages._groups([420, 210, 630, 210, 210], 900) == [range(0, 2), range(2, 3), range(3, 5)]
    assert pages._groups([1000, 210], 900) == [range(0, 1), range(1, 2)]
    assert pages._groups([210] * 4, 900) == [range(0, 4)]


def test_right_to_left_pages_keep_the_first_stage_on_the_right(examples: Path) -> None:
    journey = journeymap.load(examples / "mobile-he.yaml")
    sheets = pages.paginate(journey, layout.layout(journey), (900.0, 700.0))
    assert len(sheets) > 1
    first = sheets[0]
    stages = [b for b in first.boxes if b.cls == "cell lane-stage"]
    label = next(b for b in first.boxes if b.cls == "cell lane-label")
    assert stages[0].id == layout.xml_id(journey.id, "stage", journey.stages[0].id)
    assert all(label.x > s.x for s in stages)
    assert [s.x for s in stages] == sorted((s.x for s in stages), reverse=True)
    assert all(b.x >= 0 and b.x + b.w <= first.width + 0.01 for b in first.boxes)


@pytest.mark.exe
@needs_tools
def test_bank_on_a3_is_a_readable_print_set(examples: Path, tmp_path: Path) -> None:
    journey = journeymap.load(examples / "bank.yaml")
    fit = _words(_pdf(journey, "fit", tmp_path / "fit.pdf"))
    pdf = _pdf(journey, "a3", tmp_path / "a3.pdf")
    words = _words(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout.split("\f")[:-1]
    count = len(text)
    assert count > 1
    for number, page in enumerate(text, start=1):
        assert f"Page {number} of {count} · stage" in page
    # Scale of each page: a word's height on it over its height on the unscaled PDF, where
    # the body text is 13 px = 9.75 pt.
    ratios: dict[int, list[float]] = defaultdict(list)
    for word, places in words.items():
        sizes = {round(h, 2) for _, h in fit.get(word, [])}
        if len(sizes) == 1:
            for page_no, height in places:
                ratios[page_no].append(height / next(iter(sizes)))
    assert sorted(ratios) == list(range(1, count + 1))
    body_pt = {p: statistics.median(r) * layout.BODY.size * 0.75 for p, r in ratios.items()}
    assert min(body_pt.values()) >= 8.0, body_pt
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(pdf), str(tmp_path / "p")], check=True)
    for png in sorted(tmp_path.glob("p-*.png")):
        image = Image.open(png).convert("L")
        box = ImageOps.invert(image).point(lambda v: 255 if v > 8 else 0).getbbox()
        assert box is not None
        filled = (box[2] - box[0]) * (box[3] - box[1]) / (image.width * image.height)
        assert filled >= 0.6, (png.name, filled)


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
