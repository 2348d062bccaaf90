"""``render --what blueprint``: the five lanes in order, the three named lines between them,
arrows, actors, fail and wait points, escaping, right-to-left mirroring; read back from SVG."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from journeymap.check.validate import load
from journeymap.commands.cli import main
from journeymap.render.blueprint.layout import LANES
from journeymap.render.blueprint.svg import render, render_svg
from journeymap.render.options import RenderOptions
from journeymap.text.locale import messages

ROOT = Path(__file__).parent.parent
BANK = ROOT / "examples" / "bank.yaml"
NS = {"s": "http://www.w3.org/2000/svg"}
SVG = RenderOptions(formats=("svg",))
#: The line between each pair of lanes (None: no named line there).
BETWEEN = {
    ("evidence", "customer"): None,
    ("customer", "frontstage"): "interaction",
    ("frontstage", "backstage"): "visibility",
    ("backstage", "support"): "internal",
}


def _translate(element: ET.Element) -> tuple[float, float]:
    found = re.fullmatch(r"translate\(([-\d.]+) ([-\d.]+)\)", element.get("transform", ""))
    assert found, element.attrib
    return float(found[1]), float(found[2])


def _svg(path: Path, tmp_path: Path | None = None, text: str | None = None) -> ET.Element:
    if text is not None:
        assert tmp_path is not None
        path = tmp_path / "j.yaml"
        path.write_text(text, encoding="utf-8")
    return ET.fromstring(render_svg(load(path), SVG))


def _lanes(root: ET.Element, prefix: str) -> dict[str, tuple[float, float]]:
    """Lane -> (top, bottom) from the lane labels."""
    lanes = {}
    for lane in LANES:
        group = root.find(f".//s:g[@id='{prefix}-lane-{lane}']", NS)
        assert group is not None, lane
        rect = group.find("s:rect", NS)
        assert rect is not None
        top = _translate(group)[1]
        lanes[lane] = (top, top + float(rect.get("height", "0")))
    return lanes


def test_lanes_run_in_order_with_the_three_lines_between_them() -> None:
    root = _svg(BANK)
    lanes = _lanes(root, "jm-bank-blueprint")
    tops = [lanes[lane][0] for lane in LANES]
    assert tops == sorted(tops) and len(set(tops)) == len(tops)
    lines = {
        g.get("id", "").rsplit("-", 1)[1]: g
        for g in root.iterfind(".//s:g[@class]", NS)
        if "blueprint-line" in g.get("class", "").split()
    }
    assert sorted(lines) == ["interaction", "internal", "visibility"]
    for (above, below), line in BETWEEN.items():
        if line is None:
            assert lanes[above][1] == pytest.approx(lanes[below][0])
            continue
        y = float(lines[line].get("data-y", "nan"))
        assert lanes[above][1] < y < lanes[below][0], line
        path = lines[line].find("s:path", NS)
        assert path is not None and f" {y:g}H" in path.get("d", "")
        label = "".join(lines[line].itertext()).strip()
        assert label == {"interaction": "Line of interaction", "visibility": "Line of visibility",
                         "internal": "Line of internal interaction"}[line]  # fmt: skip


def test_arrows_go_down_from_each_customer_action_to_what_serves_it() -> None:
    root = _svg(BANK)
    lanes = _lanes(root, "jm-bank-blueprint")
    arrows = [p for p in root.iterfind(".//s:path", NS) if p.get("class") == "arrow"]
    journey = load(BANK)
    served = [tp for tp in journey.touchpoints if tp.frontstage or tp.backstage or tp.support]
    xs = set()
    for arrow in arrows:
        found = re.fullmatch(r"M([\d.]+) ([\d.]+)V([\d.]+)", arrow.get("d", ""))
        assert found and float(found[2]) < float(found[3])
        assert lanes["customer"][0] < float(found[2]) and float(found[3]) < lanes["support"][1]
        assert arrow.get("marker-end") == "url(#jm-bank-blueprint-head)"
        xs.add(found[1])
    assert len(xs) == len(served) == len(journey.touchpoints)


def test_actors_fail_points_and_waits_are_shown() -> None:
    root = _svg(BANK)
    text = " ".join("".join(t.itertext()) for t in root.iterfind(".//s:text", NS))
    for name in ("Helpline agent", "Identity-check vendor", "Current Account Switch Service"):
        assert name in text
    fails = [g for g in root.iterfind(".//s:g", NS) if "fail" in g.get("class", "").split()]
    assert len(fails) == 3  # overseas-address, silent-failure, chatbot-loop
    assert "Fail point" in text and "Wait: 2 days" in text
    systems = [g for g in root.iterfind(".//s:g", NS) if "kind-system" in g.get("class", "")]
    assert systems


def test_elapsed_time_keeps_its_precision_in_the_language() -> None:
    en, de = messages("en"), messages("de")
    assert [en.elapsed(s) for s in (90, 5400, 172800 + 300, 604800)] == [
        "90 seconds",
        "90 minutes",
        "2 days",
        "1 week",
    ]
    assert de.elapsed(259200) == "3 Tage"


BASE = """journeymap: 1
title: T
{lang}actors: [{{id: clerk, name: "Clerk <b>&"}}]
stages:
  - name: S
    touchpoints:
      - name: A
        at: 0s
        frontstage: [{{text: "<i>x</i> & co", actor: clerk}}]
      - name: B
        at: 2 days
"""


def test_user_text_is_escaped(tmp_path: Path) -> None:
    root = _svg(tmp_path, tmp_path, BASE.format(lang=""))
    text = [("".join(t.itertext())) for t in root.iterfind(".//s:text", NS)]
    assert "<i>x</i> & co" in text and "Clerk <b>&" in text
    assert root.find(".//s:i", NS) is None and root.find(".//s:b", NS) is None


def test_right_to_left_blueprint_is_mirrored(tmp_path: Path) -> None:
    ltr = _svg(tmp_path, tmp_path, BASE.format(lang=""))
    rtl = _svg(tmp_path, tmp_path, BASE.format(lang="lang: he\n"))
    width = float(rtl.get("width", "0"))
    for name, root in (("ltr", ltr), ("rtl", rtl)):
        label = root.find(".//s:g[@id='jm-j-blueprint-lane-customer']", NS)
        assert label is not None
        x = _translate(label)[0]
        assert (x < width / 2) == (name == "ltr")
    line = rtl.find(".//s:g[@id='jm-j-blueprint-line-interaction']/s:text", NS)
    assert line is not None and line.get("text-anchor") == "end"
    assert float(line.get("x", "0")) > width / 2


def _without_lanes(path: Path, tmp_path: Path) -> Path:
    """A copy of the journey at ``path`` without its blueprint and time keys (a text
    ``backstage`` stays)."""
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data.pop("actors", None)
    for stage in data["stages"]:
        for tp in stage["touchpoints"]:
            for key in ("evidence", "frontstage", "support", "at", "duration"):
                tp.pop(key, None)
            if not isinstance(tp.get("backstage", ""), str):
                del tp["backstage"]
            for note in tp.get("pain_points", []):
                if isinstance(note, dict):
                    note.pop("fail_point", None)
    out = tmp_path / path.name
    out.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return out


def test_a_journey_without_blueprint_keys_gets_the_five_lanes_and_its_backstage(
    tmp_path: Path,
) -> None:
    path = _without_lanes(ROOT / "examples" / "hotel-ja.yaml", tmp_path)
    assert not load(path).has_blueprint
    root = _svg(path)
    assert len(_lanes(root, "jm-hotel-ja-blueprint")) == 5
    arrows = [p for p in root.iterfind(".//s:path", NS) if p.get("class") == "arrow"]
    assert len(arrows) == len([tp for tp in load(path).touchpoints if tp.backstage])


def test_cli_renders_only_the_blueprint_when_asked(tmp_path: Path) -> None:
    assert (
        main(["render", str(BANK), "-o", str(tmp_path), "--what", "blueprint", "--format", "svg"])
        == 0
    )
    assert sorted(p.name for p in (tmp_path / "bank").iterdir()) == ["blueprint.svg"]


@pytest.mark.exe
def test_png_and_pdf_come_from_the_svg() -> None:
    result = render(load(BANK), RenderOptions(formats=("pdf", "png")))
    names = {a.name: a.data for a in result.artifacts}
    assert names["blueprint.png"].startswith(b"\x89PNG") and names["blueprint.pdf"].startswith(
        b"%PDF"
    )


@pytest.mark.parametrize(("lang", "lift"), [("ar", 6.3), ("fa", 6.3), ("ur", 6.3), ("he", 3.0)])
def test_a_lines_name_clears_its_line_in_arabic_script(
    tmp_path: Path, lang: str, lift: float
) -> None:
    """Arabic letters reach below the baseline: 'خط الرؤية' was struck through by the dashed
    line of visibility; its baseline now sits 0.3 em higher than Latin and Hebrew names'."""
    path = tmp_path / "j.yaml"
    path.write_text(BASE.format(lang=f"lang: {lang}\n"), encoding="utf-8")
    root = ET.fromstring(render_svg(load(path), SVG))
    groups = [
        g
        for g in root.iter(f"{{{NS['s']}}}g")
        if g.get("class", "").split()[:1] == ["blueprint-line"]
    ]
    assert len(groups) == 3
    for group in groups:
        text = group.find("s:text", NS)
        assert text is not None
        assert float(group.get("data-y", "0")) - float(text.get("y", "0")) == pytest.approx(lift)
