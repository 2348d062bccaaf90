"""Emotion curves: gaps, smoothing, comparison, literal text, fonts, determinism, the command."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
import time
import warnings
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from factories_curve_flow import BANK_PERSONAS, bank, journey
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from journeymap.commands.cli import main
from journeymap.output.convert import source_date_epoch
from journeymap.render import curve
from journeymap.render.options import RenderOptions
from journeymap.render.smooth import monotone_curve
from journeymap.source.diagnostics import RenderError

SVG = "{http://www.w3.org/2000/svg}"
ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
HOSTILE = ROOT / "tests" / "cases" / "hostile"


def svg_of(result: curve.RenderResult, name: str) -> ET.Element:
    data = next(a.data for a in result.artifacts if a.name == name)
    return ET.fromstring(data)


def texts(root: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def line_paths(root: ET.Element, colour: str) -> list[str]:
    """``d`` of the 2-px lines drawn in ``colour`` (data segments and the legend sample)."""
    return [
        p.get("d", "")
        for p in root.iter(f"{SVG}path")
        if f"stroke: {colour.lower()}" in p.get("style", "")
        and "stroke-width: 2;" in p.get("style", "")
    ]


def test_persona_missing_at_a_touchpoint_leaves_a_gap() -> None:
    j = journey(
        [
            ("One", [{"name": "a", "emotions": {"ana": 1}}, {"name": "b", "emotions": {"ana": 2}}]),
            ("Two", [{"name": "c", "emotions": {}}, {"name": "d", "emotions": {"ana": -1}}]),
            ("Three", [{"name": "e", "emotions": {"ana": 0}}]),
        ]
    )
    root = svg_of(curve.render(j, RenderOptions(formats=("svg",))), "curve.svg")
    data, legend = line_paths(root, "#0072B2")
    # One line broken in two (a-b, d-e): no line through c, no fake zero.
    assert data.count("M") == 2 and data.count("L") == 2
    assert legend.count("M") == 1


def test_persona_without_any_emotion_draws_no_line() -> None:
    j = journey(
        [("S", [{"name": "a", "emotions": {"ana": 1}}, {"name": "b", "emotions": {"ana": 2}}])],
        (("ana", "Ana", "#0072B2"), ("bob", "Bob", "#D55E00")),
    )
    root = svg_of(curve.render(j, RenderOptions(formats=("svg",))), "curve.svg")
    assert "Bob" not in texts(root)
    assert line_paths(root, "#D55E00") == []


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=-3, max_value=3), min_size=1, max_size=12))
def test_monotone_smoothing_never_overshoots(values: list[int]) -> None:
    xs = [float(i) for i in range(len(values))]
    ys = [float(v) for v in values]
    cx, cy = monotone_curve(xs, ys)
    for x, y in zip(cx, cy, strict=True):
        k = min(int(x), len(ys) - 2) if len(ys) > 1 else 0
        lo, hi = sorted((ys[k], ys[min(k + 1, len(ys) - 1)]))
        assert lo - 1e-9 <= y <= hi + 1e-9
    assert all(y in cy for y in ys)  # it passes through every point


def test_smoothing_without_clamp_is_already_monotone() -> None:
    # A steep step between flat runs is where a plain cubic spline overshoots.
    xs, ys = [0.0, 1.0, 2.0, 3.0, 4.0], [-3.0, -3.0, 3.0, 3.0, 2.0]
    _, cy = monotone_curve(xs, ys, samples=50)
    assert min(cy) == -3.0 and max(cy) == 3.0


def test_smooth_curve_renders_within_the_axes() -> None:
    result = curve.render(bank(), RenderOptions(formats=("svg",)), smooth=True)
    paths = line_paths(svg_of(result, "curve.svg"), "#0072B2")
    assert max(d.count("L") for d in paths) > 10  # sampled curve, not straight segments


def test_dollar_signs_and_tex_are_literal_text() -> None:
    result = curve.render(bank(), RenderOptions())  # svg, pdf and png: none may raise
    shown = texts(svg_of(result, "curve.svg"))
    assert "Bank account: $\\frac{$ opening (current state)" in shown
    assert any("costing $5 and" in t for t in shown)
    pdf = next(a.data for a in result.artifacts if a.name == "curve.pdf")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "$\\frac{$" in text


def test_underscore_persona_is_in_the_legend() -> None:
    shown = texts(svg_of(curve.render(bank(), RenderOptions(formats=("svg",))), "curve.svg"))
    assert "_Cleo (retired)" in shown


def test_cjk_text_has_real_glyphs_and_svg_text_is_text() -> None:
    result = curve.render(bank(), RenderOptions(formats=("svg", "png")))
    assert result.warnings == []  # matplotlib warns for every glyph it cannot draw
    root = svg_of(result, "curve.svg")
    label = next(t for t in root.iter(f"{SVG}text") if "口座開設" in "".join(t.itertext()))
    assert "Noto Sans CJK" in label.get("style", "")


def test_pain_points_moments_of_truth_and_extremes_are_marked() -> None:
    shown = texts(svg_of(curve.render(bank(), RenderOptions(formats=("svg",))), "curve.svg"))
    assert {"pain point (low)", "pain point (critical)", "moment of truth"} <= set(shown)
    joined = " ".join(" ".join(t.split()) for t in shown)
    assert "lowest: Uploads ID documents (_Cleo (retired), angry (−3))" in joined
    assert re.search(r"steepest drop: .* \(.* falls by \d+\)", joined), joined


def test_bytes_are_identical_between_runs() -> None:
    first = curve.render(bank(), RenderOptions())
    second = curve.render(bank(), RenderOptions())
    assert [a.name for a in first.artifacts] == ["curve.svg", "curve.pdf", "curve.png"]
    assert [a.data for a in first.artifacts] == [a.data for a in second.artifacts]
    pdf = next(a.data for a in first.artifacts if a.name == "curve.pdf")
    dates = re.findall(rb"/(?:CreationDate|ModDate) \(([^)]*)\)", pdf)
    assert set(dates) <= {
        time.strftime("D:%Y%m%d%H%M%SZ", time.gmtime(source_date_epoch())).encode()
    }
    assert b"<dc:date>" not in first.artifacts[0].data


def test_bytes_are_identical_across_processes(tmp_path: Path) -> None:
    script = (
        "import sys; sys.path.insert(0, 'tests')\n"
        "from factories_curve_flow import bank\n"
        "from journeymap.render import curve\n"
        "from journeymap.render.options import RenderOptions\n"
        "r = curve.render(bank(), RenderOptions(formats=('svg', 'pdf')))\n"
        "sys.stdout.buffer.write(b''.join(a.data for a in r.artifacts))\n"
        "assert 'matplotlib.pyplot' not in sys.modules\n"
    )
    runs = [
        subprocess.run(
            [sys.executable, "-c", script],
            cwd=ROOT,
            capture_output=True,
            check=True,
            env={"PATH": "/usr/bin:/bin", "PYTHONHASHSEED": seed, "HOME": str(tmp_path)},
        ).stdout
        for seed in ("1", "2")
    ]
    assert runs[0] == runs[1]


def test_importing_the_renderer_does_not_import_matplotlib() -> None:
    code = "import sys, journeymap.render.curve; assert 'matplotlib' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_formats_other_than_images_give_nothing() -> None:
    assert curve.render(bank(), RenderOptions(formats=("dot",))).artifacts == []


def test_png_uses_the_requested_dpi() -> None:
    low = curve.render(bank(), RenderOptions(formats=("png",), dpi=50)).artifacts[0].data
    high = curve.render(bank(), RenderOptions(formats=("png",), dpi=100)).artifacts[0].data
    width = int.from_bytes(low[16:20], "big"), int.from_bytes(high[16:20], "big")
    assert abs(width[1] - 2 * width[0]) <= 2


def test_many_touchpoints_widen_the_figure_and_rotate_labels() -> None:
    names = [{"name": f"Touchpoint number {i}", "emotions": {"ana": i % 7 - 3}} for i in range(40)]
    root = svg_of(
        curve.render(journey([("S", names)]), RenderOptions(formats=("svg",))), "curve.svg"
    )
    # At least 0.28 inch (20 pt) per touchpoint, so the rotated labels have room.
    assert float(root.get("width", "0").removesuffix("pt")) >= 40 * 20
    label = next(
        t for t in root.iter(f"{SVG}text") if "".join(t.itertext()) == "Touchpoint number 3"
    )
    assert "rotate(-45" in label.get("transform", "")


def two_states() -> tuple[curve.Journey, curve.Journey]:
    before = journey(
        [
            (
                "Apply",
                [
                    {"id": "form", "name": "Form", "emotions": {"ana": -1}},
                    {"id": "upload", "name": "Upload ID", "emotions": {"ana": -3}},
                ],
            ),
            ("Use", [{"id": "login", "name": "Login", "emotions": {"ana": 1}}]),
        ],
        title="Account",
    )
    after = journey(
        [
            (
                "Apply",
                [
                    {"id": "form", "name": "Form", "emotions": {"ana": 1}},
                    {"id": "scan", "name": "Scan ID", "emotions": {"ana": 2}},
                ],
            ),
            ("Use", [{"id": "login-2", "name": "Login", "emotions": {"ana": 2}}]),
        ],
        title="Account",
        state="future",
    )
    return before, after


def test_comparison_matches_by_id_then_name() -> None:
    slots, where = curve._merge_slots(two_states())
    assert [s.name for s in slots] == ["Form", "Scan ID", "Upload ID", "Login"]
    assert where == [[0, 2, 3], [0, 1, 3]]


def test_comparison_overlay_labels_before_and_after() -> None:
    result = curve.render_comparison(two_states(), RenderOptions(formats=("svg",)), smooth=False)
    assert [a.name for a in result.artifacts] == ["compare.svg"]
    root = svg_of(result, "compare.svg")
    shown = [" ".join(t.split()) for t in texts(root)]
    assert "before: Account (current)" in shown and "after: Account (future)" in shown
    # The "after" line runs past the touchpoint only the "before" journey has.
    assert sorted(d.count("L") for d in line_paths(root, "#0072B2")) == [2, 2]


def test_comparison_with_a_persona_filter() -> None:
    other = journey([("S", [{"name": "x", "emotions": {"ben": 1}}])], BANK_PERSONAS[1:2])
    result = curve.render_comparison([bank(), bank()], RenderOptions(formats=("svg",)), "ben")
    assert any(t.startswith("Ben, small business: ") for t in texts(svg_of(result, "compare.svg")))
    with pytest.raises(RenderError, match="persona 'ana' is not in"):
        curve.render_comparison([bank(), other], RenderOptions(formats=("svg",)), "ana")


def test_curve_command_writes_the_overlay(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = [
        str(EXAMPLES / "retail-returns-current.yaml"),
        str(EXAMPLES / "retail-returns-future.yaml"),
    ]
    assert main(["curve", *files, "-o", str(tmp_path), "--format", "svg,png"]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["compare.png", "compare.svg"]
    shown = " ".join(texts(ET.parse(tmp_path / "compare.svg").getroot()))
    assert "before:" in shown or "(before:" in shown
    assert main(["curve", *files, "-o", str(tmp_path / "one.pdf")]) == 0
    assert (tmp_path / "one.pdf").read_bytes().startswith(b"%PDF")
    capsys.readouterr()


def test_curve_command_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: [unclosed\n", encoding="utf-8")
    good = str(EXAMPLES / "bank.yaml")
    assert main(["curve", str(bad), good, "-o", str(tmp_path)]) == 1
    assert "bad.yaml:" in capsys.readouterr().err
    assert main(["curve", good, "--persona", "nobody", "-o", str(tmp_path)]) == 1
    assert "persona 'nobody'" in capsys.readouterr().err
    assert main(["curve", good, "--format", "gif", "-o", str(tmp_path)]) == 2
    assert list(tmp_path.iterdir()) == [bad]


@pytest.mark.exe
def test_curve_svg_renders_with_rsvg(tmp_path: Path) -> None:
    if shutil.which("rsvg-convert") is None:
        pytest.skip("rsvg-convert is not installed")
    data = curve.render(bank(), RenderOptions(formats=("svg",))).artifacts[0].data
    done = subprocess.run(
        ["rsvg-convert", "-f", "png"], input=data, capture_output=True, check=True
    )
    assert done.stdout.startswith(b"\x89PNG")


@pytest.mark.parametrize("count", [5, 12, 30])
def test_labels_do_not_overlap_and_stay_inside_the_figure(count: int) -> None:
    names = [
        {"name": f"Step {i}: " + "a rather long touchpoint name " * (i % 3), "emotions": {"ana": 0}}
        for i in range(count)
    ]
    j = journey([("First stage with a long name", names[:2]), ("Second", names[2:])])
    with curve._style():
        fig, _ = curve._figure(curve._journey_chart(j, RenderOptions()))
        renderer = fig.canvas.get_renderer()
        fig.draw(renderer)
        box = fig.bbox
        texts_ = [t for t in fig.findobj(curve_text()) if t.get_text() and t.get_visible()]
        extents = [t.get_window_extent(renderer) for t in texts_]
    for t, e in zip(texts_, extents, strict=True):
        assert box.x0 - 1 <= e.x0 and e.x1 <= box.x1 + 1, t.get_text()
        assert box.y0 - 1 <= e.y0 and e.y1 <= box.y1 + 1, t.get_text()
    flat = [(t, e) for t, e in zip(texts_, extents, strict=True) if t.get_rotation() == 0]
    for i, (a, ea) in enumerate(flat):
        for b, eb in flat[i + 1 :]:
            assert not ea.overlaps(eb), (a.get_text(), b.get_text())


def _wide_letters() -> curve.Journey:
    """Wide letters everywhere (W, M, Ω run past any per-character estimate) and a legend of
    14 two-line personas, taller than the plot."""
    people = tuple(
        (f"p{k}", ("W" * 29 + " " + "M" * 29) if k % 2 else "Ω" * 58, "#0072B2") for k in range(14)
    )
    tps = [
        {"name": "WWWW " * 6 + str(i), "emotions": {p: (i + k) % 5 - 2 for k, (p, _, _) in
         enumerate(people)}, "pain": ["critical"], "truth": True}
        for i in range(4)
    ]  # fmt: skip
    stages = [("W" * 50, tps[:1]), ("Ω" * 50, tps[1:])]
    return journey(stages, people, title="WWWWWWWWWW " * 30)


@pytest.mark.parametrize("case", ["wide letters", "longword"])
def test_every_label_and_legend_entry_stays_inside_the_figure(case: str) -> None:
    """rsvg-convert draws the PDF and PNG and drops what lies outside the page, so the
    layout must measure text, not estimate it: the figure grows to hold the legend."""
    import journeymap

    j = _wide_letters() if case == "wide letters" else journeymap.load(HOSTILE / "longword.yaml")
    with curve._style(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fig, _ = curve._figure(curve._journey_chart(j, RenderOptions()))
        renderer = fig.canvas.get_renderer()
        fig.draw(renderer)
        box = fig.bbox
        texts_ = [t for t in fig.findobj(curve_text()) if t.get_text() and t.get_visible()]
        outside = [
            t.get_text()[:20]
            for t in texts_
            if not box.contains(*t.get_window_extent(renderer).min)
            or not box.contains(*t.get_window_extent(renderer).max)
        ]
        legend = fig.legends[0].get_window_extent(renderer)
    assert len(texts_) > 10 and outside == []
    assert box.y0 <= legend.y0 and legend.y1 <= box.y1


@pytest.mark.exe
def test_pdf_is_the_svg_converted_and_keeps_every_legend_entry() -> None:
    result = curve.render(_wide_letters(), RenderOptions(formats=("svg", "pdf")))
    pdf = PdfReader(io.BytesIO(next(a.data for a in result.artifacts if a.name == "curve.pdf")))
    text = "".join(page.extract_text() for page in pdf.pages).replace("\n", "")
    assert len(pdf.pages) == 1
    assert text.count("M" * 29) == 7 and text.count("Ω" * 58) >= 7  # and a note names one
    assert "moment of truth" in text and "pain point (critical)" in text
    width, height = (float(v) for v in pdf.pages[0].mediabox[2:])
    root = ET.fromstring(next(a.data for a in result.artifacts if a.name == "curve.svg"))
    assert width == pytest.approx(float(root.get("width", "").removesuffix("pt")), abs=1)
    assert height == pytest.approx(float(root.get("height", "").removesuffix("pt")), abs=1)


def curve_text() -> type:
    from matplotlib.text import Text

    return Text


NOTE_CASES = sorted(EXAMPLES.glob("*.yaml")) + sorted((ROOT / "tests/cases/hostile").glob("*.yaml"))


@pytest.mark.parametrize("path", NOTE_CASES, ids=lambda p: p.stem)
def test_notes_clear_stage_names_touchpoint_names_and_each_other(path: Path) -> None:
    """Measured by the Agg renderer: each note's box is inside the axes and overlaps nothing."""
    from matplotlib.text import Annotation

    import journeymap

    with curve._style(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # glyphs missing from every font (emoji)
        fig, _ = curve._figure(curve._journey_chart(journeymap.load(path), RenderOptions()))
        renderer = fig.canvas.get_renderer()
        fig.draw(renderer)
        ax = fig.axes[0]
        area = ax.get_window_extent(renderer)
        notes = [t for t in ax.texts if isinstance(t, Annotation)]
        boxes = [n.get_bbox_patch().get_window_extent(renderer) for n in notes]
        labels = [
            (t.get_text(), t.get_window_extent(renderer))
            for t in ax.texts
            if not isinstance(t, Annotation) and t.get_position()[1] in (0, 1)
        ]
    assert len(notes) == 2 and len(labels) > 2
    for k, box in enumerate(boxes):
        assert area.x0 <= box.x0 and box.x1 <= area.x1, notes[k].get_text()
        assert area.y0 <= box.y0 and box.y1 <= area.y1, notes[k].get_text()
        for text, extent in labels:
            assert not box.overlaps(extent), (notes[k].get_text(), text)
        for other in boxes[k + 1 :]:
            assert not box.overlaps(other)


@pytest.mark.exe
def test_png_is_the_svg_rasterised_and_grows_with_dpi() -> None:
    from PIL import Image

    sizes = {}
    for dpi in (96, 192):
        result = curve.render(bank(), RenderOptions(formats=("svg", "png"), dpi=dpi))
        png = next(a.data for a in result.artifacts if a.name == "curve.png")
        sizes[dpi] = Image.open(io.BytesIO(png)).size
    root = ET.fromstring(next(a.data for a in result.artifacts if a.name == "curve.svg"))
    width_pt = float(root.get("width", "").removesuffix("pt"))
    assert sizes[96][0] == pytest.approx(width_pt * 96 / 72, abs=1)
    assert sizes[192][0] == pytest.approx(2 * sizes[96][0], abs=2)


def test_png_falls_back_to_matplotlib_without_rsvg(monkeypatch: pytest.MonkeyPatch) -> None:
    from journeymap.output import convert
    from journeymap.source.diagnostics import ToolMissingError

    def missing(*args: object, **kwargs: object) -> bytes:
        raise ToolMissingError("rsvg-convert is not installed")

    monkeypatch.setattr(convert, "svg_to_png", missing)
    result = curve.render(bank(), RenderOptions(formats=("png",)))
    (png,) = result.artifacts
    assert png.name == "curve.png" and png.data.startswith(b"\x89PNG\r\n\x1a\n")


def test_glyphs_matplotlib_lacks_warn_only_where_matplotlib_draws(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An emoji or Devanagari is text in curve.svg, drawn by rsvg-convert with a font that has
    it: no "Glyph ... missing" warning then; a PNG matplotlib draws itself does warn."""
    if shutil.which("rsvg-convert") is None:
        pytest.skip("rsvg-convert is not installed")
    from journeymap.output import convert
    from journeymap.source.diagnostics import ToolMissingError

    specs = [{"name": f"Step {i} 🎉 हिन्दी", "emotions": {"ana": i - 1}} for i in range(3)]
    j = journey([("Stage", specs)], title="Emoji 😀")
    options = RenderOptions(formats=("svg", "png"))
    assert curve.render(j, options).warnings == []

    def missing(*args: object, **kwargs: object) -> bytes:
        raise ToolMissingError("rsvg-convert is not installed")

    monkeypatch.setattr(convert, "svg_to_png", missing)
    assert any("missing from font" in w for w in curve.render(j, options).warnings)


@pytest.mark.parametrize("values", [[1], [0, 0, 0]])
def test_a_single_point_or_a_flat_line_has_no_lowest_note(values: list[int]) -> None:
    specs = [{"name": f"Step {i}", "emotions": {"ana": v}} for i, v in enumerate(values)]
    root = svg_of(
        curve.render(journey([("Stage", specs)]), RenderOptions(formats=("svg",))), "curve.svg"
    )
    assert not any("lowest" in t for t in texts(root))


def test_a_word_a_little_longer_than_a_line_is_not_cut_off_at_its_last_letter() -> None:
    """'Antragsformular' (15 letters) under a 14-cell slot printed 'Antragsformula' / 'r'."""
    names = ["Antragsformular ausfüllen", "Kundenzufriedenheitsbefragung", "Zusage per Brief"]
    j = journey([("Antrag", [{"name": n, "emotions": {"ana": 0}} for n in names])])
    lines = [
        line
        for text in texts(svg_of(curve.render(j, RenderOptions(formats=("svg",))), "curve.svg"))
        for line in text.split("\n")
    ]
    assert "Antragsformular" in lines and "ausfüllen" in lines
    assert "Kundenzufrieden" in lines and "heitsbefragung" in lines  # two even halves
    assert not any(len(line) < 3 for line in lines if line.isalpha())
    assert curve._wrap("Rechnungskorrekturanforderungsformular", 14).split("\n") == [
        "Rechnungskorrektura",
        "nforderungsformular",
    ]


def test_svg_is_compacted_and_draws_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    """curve.svg keeps 1/100 pt where matplotlib writes millionths, and drops its no-op
    rotations and indentation; the picture rsvg-convert draws stays the same."""
    if shutil.which("rsvg-convert") is None:
        pytest.skip("rsvg-convert is not installed")
    options = RenderOptions(formats=("svg",))
    looks_like_tags = ' x="1.23456" transform="rotate(-0 1.5 2.5)" d="M 0.12345 1"\n  <'
    specs = [{"name": f"Step {i}{looks_like_tags}", "emotions": {"ana": i % 3}} for i in range(9)]
    for j in (bank(), journey([("Stage" + looks_like_tags, specs)], title=looks_like_tags)):
        compact = next(a.data for a in curve.render(j, options).artifacts)
        monkeypatch.setattr(curve, "_compact", lambda svg: svg)
        raw = next(a.data for a in curve.render(j, options).artifacts)
        monkeypatch.undo()
        _same_picture(compact, raw)
    kept = 'x="1.23456" transform="rotate(-0 1.5 2.5)" d="M 0.12345 1"'
    assert any(kept in t for t in texts(ET.fromstring(compact)))  # the title, whole


def _same_picture(compact: bytes, raw: bytes) -> None:
    from PIL import Image, ImageChops

    assert len(compact) < 0.85 * len(raw)
    text = compact.decode()
    tags = "".join(re.findall(r"<[^>]+>", text))
    numbers = re.findall(r' (?:d|x|y|transform)="([^"]*)"', tags)
    assert numbers and not any(re.search(r"\d\.\d{3}", n) for n in numbers)
    assert "rotate(-0 " not in tags and "\n <" not in text
    assert texts(ET.fromstring(compact)) == texts(ET.fromstring(raw))

    def drawn(svg: bytes) -> Image.Image:
        png = subprocess.run(["rsvg-convert", "-f", "png"], input=svg, capture_output=True)
        return Image.open(io.BytesIO(png.stdout)).convert("RGB")

    before, after = drawn(raw), drawn(compact)
    assert before.size == after.size
    worst = max(hi for _, hi in ImageChops.difference(before, after).getextrema())
    assert worst <= 40  # antialiasing at a shifted edge, never a moved mark


@pytest.mark.parametrize("count", [5, 30])
def test_rtl_curve_runs_right_to_left_like_the_map(count: int) -> None:
    """In Arabic the first touchpoint is on the right, the scale words right of the plot, the
    legend left of it with each mark after its words; every text stays inside the figure
    (30 touchpoints lean their names the other way)."""
    from dataclasses import replace

    specs = [
        {"name": f"نقطة اتصال {i} باسم طويل", "emotions": {"ana": i % 5 - 2}} for i in range(count)
    ]
    j = replace(journey([("المرحلة الأولى", specs[:2]), ("الثانية", specs[2:])]), lang="ar")
    with curve._style():
        fig, _ = curve._figure(curve._journey_chart(j, RenderOptions()))
        renderer = fig.canvas.get_renderer()
        fig.draw(renderer)
        (ax,) = fig.axes
        plot = ax.get_window_extent(renderer)
        found = {t.get_text(): t for t in fig.findobj(curve_text()) if t.get_text()}
        at = {text: t.get_window_extent(renderer) for text, t in found.items() if t.get_visible()}
        legend = fig.legends[0].get_window_extent(renderer)
        ticks = [t.get_window_extent(renderer) for t in ax.get_yticklabels()]
    first, last = (
        next(v for k, v in at.items() if k.split()[:3] == ["نقطة", "اتصال", str(i)])
        for i in (0, count - 1)
    )
    assert first.x0 > last.x1
    assert all(t.x0 >= plot.x1 for t in ticks) and legend.x1 <= plot.x0
    box = fig.bbox
    for text, e in at.items():
        assert box.x0 - 1 <= e.x0 and e.x1 <= box.x1 + 1, text


_RTL_JOURNEY = """\
journeymap: 1
title: الترقية إلى باقة 5G Max Unlimited عبر تطبيق MyTel
lang: ar
personas: [{id: khalid, name: خالد العتيبي}, {id: sam, name: Sam Lee}]
stages:
  - name: الاكتشاف
    touchpoints:
      - {name: إشعار عرض 5G Max بخصم 30%, emotion: 1}
      - {name: الدفع عبر Apple Pay أو STC Pay, emotion: -2, pain_points: [خطأ E-1042]}
      - {name: Riyadh Park, emotion: 2}
"""

#: Each text holding Arabic letters: its box, and whether its first character is drawn right
#: of every Arabic letter after its first word, as right to left reads it (set left to
#: right, "Apple Pay أو" and "Max بخصم" put the Arabic on the right, and a title whose
#: Arabic is split by "5G Max" puts the Arabic after it on the right too).
_RTL_BOXES = """
return [...document.querySelectorAll('text')].filter(t => /[\\u0600-\\u06ff]/.test(t.textContent))
  .map(t => { const b = t.getBBox(); const text = t.textContent;
    const right = i => { const e = t.getExtentOfChar(i); return e.x + e.width; };
    let rest = -Infinity;
    for (let i = Math.max(text.search(/\\s/), 0); i < text.length; i++)
      if (/[\\u0600-\\u06ff]/.test(text[i])) rest = Math.max(rest, right(i));
    return [text, b.x, b.width, right(0) >= rest - 0.5]; });
"""


@pytest.mark.browser
def test_right_to_left_text_is_set_right_to_left_on_its_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """matplotlib writes every text left to right: an Arabic title with "5G" in it came out
    as "... G Max Unlimited ... 5". Texts with Arabic letters now run right to left (in an
    Arabic chart also a wrapped line that starts with "Max"), each where it was drawn."""
    import journeymap
    from tests.chromium import evaluate

    path = tmp_path / "upgrade.yaml"
    path.write_text(_RTL_JOURNEY, encoding="utf-8")
    options = RenderOptions(formats=("svg",))
    data = curve.render(journeymap.load(path), options).artifacts[0].data
    root = ET.fromstring(data)
    arabic = [t for t in root.iter(f"{SVG}text") if re.search("[\u0600-\u06ff]", t.text or "")]
    assert len(arabic) > 8
    assert all("direction: rtl" in (t.get("style") or "") for t in arabic)
    latin = [t for t in root.iter(f"{SVG}text") if t.text in ("Riyadh Park", "Sam Lee")]
    assert latin and not any("direction" in (t.get("style") or "") for t in latin)
    (tmp_path / "rtl.svg").write_bytes(data)
    monkeypatch.setattr(curve, "_direction", lambda match, rtl: match.group(0))
    (tmp_path / "ltr.svg").write_bytes(
        curve.render(journeymap.load(path), options).artifacts[0].data
    )
    rtl, ltr = (
        evaluate(tmp_path / "rtl.svg", _RTL_BOXES),
        evaluate(tmp_path / "ltr.svg", _RTL_BOXES),
    )
    assert [text for text, *_ in rtl] == [text for text, *_ in ltr]
    for (text, x, width, first_at_right), (_, x0, width0, _) in zip(rtl, ltr, strict=True):
        assert first_at_right, text
        assert x == pytest.approx(x0, abs=1.5) and width == pytest.approx(width0, abs=1.5), text
    title = next(t for t in ltr if t[0].startswith("الترقية"))
    assert not title[3]  # drawn left to right, the title did not start at its right end
