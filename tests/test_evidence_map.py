"""The measured evidence on the map: marks in the emotion band, the Measured lane, nothing else."""

from __future__ import annotations

import dataclasses
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from journeymap.check.validate import load
from journeymap.render.map.svg import render_svg
from journeymap.render.options import RenderOptions

SVG = "{http://www.w3.org/2000/svg}"
OPTIONS = RenderOptions(formats=("svg",))


def test_map_draws_measured_marks_and_lane(examples: Path) -> None:
    journey = load(examples / "checkout-evidence.yaml")
    svg = render_svg(journey, OPTIONS)
    root = ET.fromstring(svg)
    marks = [g for g in root.iter(f"{SVG}g") if "measured" in g.get("class", "").split()]
    assert len(marks) == 6
    faint = [g for g in marks if "low-n" in g.get("class", "")]
    assert len(faint) == 1 and "First ride" in (faint[0].findtext(f"{SVG}title") or "")
    zero = next(p for p in root.iter(f"{SVG}path") if p.get("class") == "level zero")
    zero_y = float(re.match(r"M[\d.]+ ([\d.]+)", zero.get("d", "")).group(1))  # type: ignore[union-attr]

    def mean_y(g: ET.Element) -> float:
        mean = next(p for p in g if p.get("class") == "mean")
        return float(re.match(r"M[\d.]+ ([\d.]+)", mean.get("d", "")).group(1)) + 7  # type: ignore[union-attr]

    tips = {(g.findtext(f"{SVG}title") or "").split(":")[0]: mean_y(g) for g in marks}
    assert tips["Payment"] > zero_y > tips["Book delivery"]  # below and above neutral
    text = " ".join(t.text or "" for t in root.iter(f"{SVG}text"))
    assert "Measured" in text and "−1 ± 0.1" in text and "n = 820 · CSAT 2.4" in text
    assert "low n" in text and "conversion: 54 %" in text
    assert b"example.com" not in svg and b"7700" not in svg


def test_a_map_without_evidence_gets_no_measured_lane_or_style(examples: Path) -> None:
    journey = load(examples / "checkout-evidence.yaml")
    bare = dataclasses.replace(journey, evidence=(), measured=())
    svg = render_svg(bare, OPTIONS)
    assert b'class="measured' not in svg and b"lane-measured" not in svg
    assert b">Measured<" not in svg and b".jm .measured" not in svg
    for path in sorted(examples.glob("*.yaml")):
        if path.name != "checkout-evidence.yaml":
            assert b"measured" not in render_svg(load(path), OPTIONS), path.name


def test_a_right_to_left_map_mirrors_the_marks(examples: Path) -> None:
    journey = load(examples / "checkout-evidence.yaml")
    ltr = ET.fromstring(render_svg(journey, OPTIONS))
    rtl = ET.fromstring(render_svg(dataclasses.replace(journey, lang="he"), OPTIONS))
    width = float(ltr.get("width", "0"))

    def xs(root: ET.Element) -> list[float]:
        found = []
        for p in root.iter(f"{SVG}path"):
            if p.get("class") == "mean":
                found.append(float(re.match(r"M([\d.]+)", p.get("d", "")).group(1)))  # type: ignore[union-attr]
        return found

    assert [round(width - x, 1) for x in xs(ltr)] == [round(x, 1) for x in xs(rtl)]


def test_curve_measured_overlays_error_bars(examples: Path) -> None:
    from journeymap.render.curve import measured_points, render_comparison

    journey = load(examples / "checkout-evidence.yaml")
    points = measured_points(journey, range(len(journey.touchpoints)))
    assert [p[0] for p in points] == [0, 1, 2, 3, 4, 5]
    payment = journey.measures("payment")[0]
    assert payment.mean is not None and payment.margin is not None
    # CSAT 1..5 onto -3..3: value = -3 + (mean - 1) * 1.5, margin * 1.5
    _, value, margin, faint, n = points[3]
    assert value == -3 + (payment.mean - 1) * 1.5 and margin == payment.margin * 1.5
    assert not faint and n == payment.n and points[5].low_n  # first ride: 22 answers
    quarters = measured_points(journey, range(6), normalised=True)
    assert quarters[3][1] == (value + 3) / 6 * 4
    options = RenderOptions(formats=("svg",))
    plain = render_comparison([journey], options).artifacts[0].data
    measuring = dataclasses.replace(options, measured=True)
    overlaid = render_comparison([journey], measuring)
    data = overlaid.artifacts[0].data
    assert data != plain and data.count(b"<path") > plain.count(b"<path")
    assert not overlaid.warnings
    bare = dataclasses.replace(journey, evidence=(), measured=())
    assert render_comparison([bare], measuring).warnings == [
        "--measured: no survey evidence to overlay"
    ]


def test_site_summary_and_details_carry_the_measures(examples: Path) -> None:
    from journeymap.site.pages import summary, touchpoint_details

    journey = load(examples / "checkout-evidence.yaml")
    data = summary(journey, "checkout-evidence", "checkout-evidence.yaml", [])
    payment = next(x for x in data["evidence"]["measures"] if x["touchpoint"] == "payment")
    assert payment["n"] == 820 and payment["assumed"] == -1 and abs(payment["gap"]) < 0.1
    assert data["evidence"]["largest_gap"] == max(
        abs(x["gap"]) for x in data["evidence"]["measures"]
    )
    details = {d["id"]: d for d in touchpoint_details(journey)}
    measured = [value for label, value in details["payment"]["facts"] if label == "Measured"]
    assert measured[0].startswith("−1 ± 0.1 (n = 820")
    assert len(measured) == 4 and len(set(measured)) == 4  # the score, three distinct comments
    assert not any("example.com" in m or "7700" in m for m in measured)
    assert details["payment"]["elements"][-1].endswith("-measured-payment")
    bank = load(examples / "bank.yaml")
    assert "evidence" not in summary(bank, "bank", "bank.yaml", [])
    assert not any(e.endswith("measured") for d in touchpoint_details(bank) for e in d["elements"])


FIVE = """\
journeymap: 1
title: Kredit
lang: de
scale: {min: 1, max: 5, labels: {1: verärgert, 5: begeistert}}
stages:
  - name: Antrag
    touchpoints:
      - {id: form, name: Formular, emotion: 4}
      - {id: sign, name: Unterschrift, emotion: 5}
evidence:
  - {id: u, file: u.csv, scale: csat}
"""


def test_a_scale_not_through_zero_shows_plain_values(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """On a 1..5 scale a measured 4.2 is '4,2', not '+4,2' (as if above a neutral zero): in
    the Measured lane, the evidence table, the lint warning and the diff, as the ticks are."""
    from journeymap.check.validate import validate_file
    from journeymap.commands.cli import main

    (tmp_path / "u.csv").write_text(
        "touchpoint,score\n" + "form,1\n" * 40 + "sign,5\n" * 40, encoding="utf-8"
    )
    path = tmp_path / "k.yaml"
    path.write_text(FIVE, encoding="utf-8")
    text = " ".join(
        t.text or "" for t in ET.fromstring(render_svg(load(path), OPTIONS)).iter(f"{SVG}text")
    )
    assert "1 ± 0" in text and "5 ± 0" in text and "+" not in text
    found = [str(d) for d in validate_file(path, root=tmp_path).diagnostics]
    assert any("assumed 4, customers say 1 ± 0.0, n = 40" in d for d in found), found
    capsys.readouterr()
    assert main(["evidence", "--format", "markdown", str(path)]) == 0
    assert (
        "| Formular | alle | u | 40 | 1,00 ± 0,00 | 4,0 | 1,0 ± 0,0 |"  # the journey is German
        in capsys.readouterr().out
    )
    old = tmp_path / "old.yaml"
    old.write_text(FIVE.replace("emotion: 5", "emotion: 3"), encoding="utf-8")
    assert main(["diff", str(old), str(path)]) == 0
    assert "| 3 (3) | begeistert (5) | +2 |" in capsys.readouterr().out


def test_the_tables_keep_signs_on_a_scale_through_zero(tmp_path: Path) -> None:
    (tmp_path / "u.csv").write_text("touchpoint,score\n" + "form,5\n" * 40, encoding="utf-8")
    path = tmp_path / "k.yaml"
    path.write_text(
        FIVE.replace("{min: 1, max: 5, labels: {1: verärgert, 5: begeistert}}", "{min: -2, max: 2}")
        .replace("emotion: 4", "emotion: 1")
        .replace("emotion: 5", "emotion: 2"),
        encoding="utf-8",
    )
    text = " ".join(
        t.text or "" for t in ET.fromstring(render_svg(load(path), OPTIONS)).iter(f"{SVG}text")
    )
    assert "+2 ± 0" in text
