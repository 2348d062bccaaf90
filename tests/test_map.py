"""The journey map: SVG structure, escaping, ids, themes, layout invariants, PDF and PNG."""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path

import pytest

import journeymap
from journeymap.model.journey import Journey, Note, Persona, Scale, Stage, Touchpoint
from journeymap.render.map import layout
from journeymap.render.map.svg import render, render_svg
from journeymap.render.options import RenderOptions
from journeymap.text.locale import catalog, has_rtl

SVG = "{http://www.w3.org/2000/svg}"
EXAMPLES = sorted((Path(__file__).parent.parent / "examples").glob("*.yaml"))
NASTY = "<script>alert(1)</script></svg> & \"q\" 'a' {{ 7*7 }} {% if x %}"


def make_journey(
    texts: Sequence[dict[str, object]],
    *,
    personas: int = 2,
    journey_id: str = "demo",
    title: str = "Demo journey",
    stages: int = 2,
    scale: Scale | None = None,
) -> Journey:
    """A journey whose touchpoints take their fields from ``texts`` (one dict each),
    spread over ``stages`` stages; every persona feels every touchpoint unless the dict
    gives ``emotions``."""
    people = tuple(
        Persona(
            id=f"p{i}",
            name=f"Persona {i}",
            color=journeymap.model.journey.PERSONA_PALETTE[i % 8],
            role="Role",
            goals=("A goal",),
            quote="Quote",
        )
        for i in range(personas)
    )
    built: list[list[Touchpoint]] = [[] for _ in range(stages)]
    for index, spec in enumerate(texts):
        stage = index * stages // max(1, len(texts))
        fields = {
            "name": f"Touchpoint {index}",
            "action": "Do something",
            "thought": "Think something",
            "emotions": {p.id: (index + k) % 7 - 3 for k, p in enumerate(people)},
            **spec,
        }
        built[stage].append(
            Touchpoint(
                id=str(fields.pop("id", f"tp-{index}")),
                stage_id=f"s{stage}",
                index=index,
                personas=tuple(p.id for p in people),
                **fields,  # type: ignore[arg-type]
            )
        )
    return Journey(
        id=journey_id,
        title=title,
        summary="A summary.",
        stages=tuple(
            Stage(id=f"s{k}", name=f"Stage {k}", index=k, goal="Goal", touchpoints=tuple(tps))
            for k, tps in enumerate(built)
        ),
        personas=people,
        scale=scale or Scale(),
    )


def full_journey(**kw: object) -> Journey:
    """A journey that fills every lane."""
    return make_journey(
        [
            {
                "channel": "web",
                "channel_name": "Website",
                "pain_points": (Note("Slow", "high", owner="IT"),),
                "opportunities": (Note("Faster"),),
                "metrics": {"minutes": 4, "conversion": 0.25},
                "owner": "Team A",
                "backstage": "System X",
                "moment_of_truth": True,
            },
            {},
            {"pain_points": (Note("Broken", "critical"),)},
            {},
        ],
        **kw,  # type: ignore[arg-type]
    )


def stress_journey() -> Journey:
    """Long words, long thoughts, Japanese and Arabic text."""
    long_word = "x" * 100
    return make_journey(
        [
            {"name": long_word, "action": long_word, "channel_name": long_word},
            {"thought": "word " * 160, "action": "Lorem ipsum dolor " * 20},
            {"name": "チェックインカウンターでの長い待ち時間", "thought": "日本語の長い文章" * 30},
            {"name": "فتح حساب مصرفي جديد", "thought": "هذا نص عربي طويل للتجربة " * 12},
            {
                "pain_points": (Note("y" * 100, "critical", owner="z" * 100),),
                "opportunities": (Note("日本語" * 40),),
                "metrics": {"m" * 100: 3.5},
            },
        ],
        personas=5,
        title="T" * 300,
    )


def parse(svg: bytes) -> ET.Element:
    return ET.fromstring(svg)


def texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter(f"{SVG}text")]


def test_svg_is_accessible_and_well_formed() -> None:
    root = parse(render_svg(full_journey(), RenderOptions()))
    assert root.get("role") == "img"
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert title is not None and desc is not None
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert "Demo journey" in (title.text or "")
    assert "4 touchpoints" in (desc.text or "")


def test_every_lane_and_name_is_real_text() -> None:
    journey = full_journey()
    shown = texts(parse(render_svg(journey, RenderOptions())))
    for lane in (v for k, v in catalog("en").items() if k.startswith("lane.")):
        assert lane in shown
    for name in [s.name for s in journey.stages] + [t.name for t in journey.touchpoints]:
        assert name in shown
    assert "Website" in shown and "High" in shown and "minutes: 4" in shown


def test_lanes_without_content_are_left_out() -> None:
    journey = make_journey([{"thought": None}, {"thought": None}])
    shown = texts(parse(render_svg(journey, RenderOptions())))
    assert "Thoughts" not in shown and "Pain points" not in shown and "Actions" in shown


def test_user_text_is_never_markup() -> None:
    journey = make_journey(
        [{"name": NASTY, "thought": NASTY, "action": NASTY, "id": "a<b"}], title=NASTY
    )
    svg = render_svg(journey, RenderOptions())
    root = parse(svg)
    assert not [e for e in root.iter() if e.tag in (f"{SVG}script", "script")]
    joined = "".join("".join(texts(root)).split())
    assert joined.count("".join(NASTY.split())) >= 4  # title, name, action, thought
    assert b"<script" not in svg and b"&lt;script&gt;" in svg
    assert all(e.tag.startswith(SVG) for e in root.iter())


def test_ids_are_prefixed_safe_and_unique() -> None:
    journey = full_journey(journey_id="bank")
    root = parse(render_svg(journey, RenderOptions()))
    ids = [e.get("id") for e in root.iter() if e.get("id")]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"jm-bank[-A-Za-z0-9._]*", i or "") for i in ids)
    assert "jm-bank-touchpoints-tp-0" in ids
    other = parse(render_svg(full_journey(journey_id="bank2"), RenderOptions()))
    assert not set(ids) & {e.get("id") for e in other.iter() if e.get("id")}


def test_xml_id_escapes_and_keeps_parts_distinct() -> None:
    assert layout.xml_id("bank", "tp", "open-account") == "jm-bank-tp-open-account"
    assert layout.xml_id("a b") != layout.xml_id("a_b")
    assert re.fullmatch(r"[-A-Za-z0-9._]+", layout.xml_id("日本", "x²"))


def test_unknown_theme_lists_valid_ones() -> None:
    with pytest.raises(ValueError, match="default, print"):
        render_svg(full_journey(), RenderOptions(theme="neon"))


def test_themes_are_stylesheets() -> None:
    default = parse(render_svg(full_journey(), RenderOptions()))
    printed = parse(render_svg(full_journey(), RenderOptions(theme="print")))
    assert "jm-default" in (default.get("class") or "")
    style = printed.find(f"{SVG}style")
    assert style is not None and ".jm-print .sev-critical" in (style.text or "")
    assert ".jm-print .pi-1" in (style.text or "")


def test_user_templates_override_builtins(tmp_path: Path) -> None:
    (tmp_path / "map" / "themes").mkdir(parents=True)
    (tmp_path / "map" / "themes" / "default.css").write_text(".jm-default .page { fill: #123456; }")
    svg = render_svg(full_journey(), RenderOptions(templates=tmp_path))
    assert b"#123456" in svg


def test_rendering_is_deterministic() -> None:
    journey = full_journey()
    assert render_svg(journey, RenderOptions()) == render_svg(journey, RenderOptions())


def test_emotion_points_and_curves_stay_in_the_band() -> None:
    journey = make_journey(
        [{"emotions": {"p0": v}} for v in (-3, 3, -3, 3, 3, -3, 0, -3)], personas=1
    )
    geometry = layout.layout(journey)
    assert geometry.band is not None
    _, top, _, height = geometry.band
    curve = geometry.curves[0]
    ys = [y for run in curve.runs for _, y in run] + [y for _, y, _ in curve.points]
    assert min(ys) >= top - 1e-6 and max(ys) <= top + height + 1e-6
    assert {round(y, 2) for _, y, _ in curve.points} == {
        round(top, 2),
        round(top + height, 2),
        round(top + height / 2, 2),
    }


def test_gaps_split_the_curve() -> None:
    journey = make_journey(
        [{"emotions": {"p0": 1}}, {"emotions": {"p0": 2}}, {"emotions": {}},
         {"emotions": {"p0": -1}}],
        personas=1,
    )  # fmt: skip
    curve = layout.layout(journey).curves[0]
    assert len(curve.runs) == 2 and len(curve.points) == 3


def test_cells_never_overlap_and_rows_hold_their_text() -> None:
    geometry = layout.layout(stress_journey())
    cells = [b for b in geometry.boxes if b.cls.startswith("cell")]
    for box in cells:
        for line in box.lines:
            assert 0 <= line.y <= box.h
        for child in box.children:
            assert child.y + child.h <= box.h + 1e-6 and child.x + child.w <= box.w + 1e-6
    spans = sorted((b.y, b.y + b.h, b.x, b.x + b.w) for b in cells)
    for i, (y0, y1, x0, x1) in enumerate(spans):
        for v0, v1, u0, u1 in spans[i + 1 : i + 40]:
            assert not (v0 < y1 - 1e-6 and y0 < v1 - 1e-6 and u0 < x1 - 1e-6 and x0 < u1 - 1e-6)


def test_text_lines_fit_their_box_width() -> None:
    from journeymap.text.fit import text_width

    geometry = layout.layout(stress_journey())
    sizes = {s.cls: s for s in (layout.BODY, layout.SMALL, layout.NAME, layout.STAGE,
                                layout.TAG, layout.QUOTE, layout.TITLE, layout.LABEL,
                                layout.AXIS)}  # fmt: skip

    def check(box: layout.Box) -> None:
        for line in box.lines:
            style = sizes[line.cls]
            width = text_width(line.text, style.size, style.bold)
            left = line.x - width if line.rtl else line.x
            assert left >= 0 and left + width <= box.w + 0.5, (line.text, box.cls)
        for child in box.children:
            check(child)

    for box in geometry.boxes:
        check(box)


def test_one_persona_view() -> None:
    journey = full_journey(personas=3).for_persona("p1")
    root = parse(render_svg(journey, RenderOptions()))
    shown = texts(root)
    assert "Persona 1" in shown and "Persona 0" not in shown
    assert len([g for g in root.iter(f"{SVG}g") if g.get("class") == "persona-curve"]) == 1


def test_already_quoted_text_is_not_quoted_again() -> None:
    assert layout.quoted("Hello") == "“Hello”"
    assert layout.quoted("„Hallo“") == "„Hallo“"
    assert layout.quoted("「はい」") == "「はい」"
    assert layout.quoted("نعم") == "«نعم»"


@pytest.mark.exe
@pytest.mark.skipif(shutil.which("rsvg-convert") is None, reason="needs rsvg-convert")
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_examples_render_to_every_format(example: Path, tmp_path: Path) -> None:
    journey = journeymap.load(example)
    result = render(journey, RenderOptions(formats=("svg", "pdf", "png", "dot")))
    assert [a.name for a in result.artifacts] == ["map.svg", "map.pdf", "map.png"]
    data = {a.name: a.data for a in result.artifacts}
    assert data["map.png"].startswith(b"\x89PNG") and data["map.pdf"].startswith(b"%PDF")
    pdf = tmp_path / "map.pdf"
    pdf.write_bytes(data["map.pdf"])
    text = subprocess.run(
        ["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    # pdftotext marks right-to-left runs, may read the lam-alef ligature as alef-lam (so
    # both letters are left out of the comparison), and gives
    # a line mixing scripts in visual order: such names are checked word by word.
    flat = re.sub(r"[\s\u202a-\u202e\u0627\u0644]+", "", text)
    for name in [s.name for s in journey.stages] + [t.name for t in journey.touchpoints]:
        pieces = name.split() if has_rtl(name) else [name]
        for piece in pieces:
            assert re.sub(r"[\s\u0627\u0644]+", "", piece) in flat, name
    again = render(journey, RenderOptions())
    assert [a.data for a in again.artifacts] == [a.data for a in result.artifacts]


@pytest.mark.exe
@pytest.mark.skipif(shutil.which("rsvg-convert") is None, reason="needs rsvg-convert")
def test_paper_and_dpi(tmp_path: Path) -> None:
    from pypdf import PdfReader

    journey = full_journey()
    result = render(journey, RenderOptions(formats=("pdf", "png"), paper="a4", dpi=192))
    pdf = tmp_path / "a4.pdf"
    pdf.write_bytes(result.artifacts[0].data)
    box = PdfReader(pdf).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)
    png = result.artifacts[1].data
    width = int.from_bytes(png[16:20], "big")
    assert width == round(2 * layout.layout(journey).width)


def test_declared_channel_colours_mark_the_channel_badges(examples: Path) -> None:
    journey = journeymap.load(examples / "bank.yaml")
    svg = ET.fromstring(render_svg(journey, RenderOptions(formats=("svg",))))
    ns = "{http://www.w3.org/2000/svg}"
    badges = [g for g in svg.iter(f"{ns}g") if g.get("class") == "badge channel"]
    swatches = {g.find(f"{ns}text").text: g.find(f"{ns}rect[@class='swatch']") for g in badges}
    assert swatches["Website"] is not None and swatches["Website"].get("fill") == "#4C72B0"
    assert swatches["Branch"].get("fill") == "#55A868"
    assert len(badges) == len(journey.touchpoints)
