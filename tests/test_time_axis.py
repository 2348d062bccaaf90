"""``--x time``: the map and the curve place touchpoints by ``at`` on a compressed time scale,
label the breaks ("3 days later"), draw waits and durations; read back from the SVG."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from journeymap.check.validate import load
from journeymap.commands.cli import main
from journeymap.model.journey import Journey
from journeymap.render import curve
from journeymap.render.map.svg import render_svg
from journeymap.render.options import RenderOptions
from journeymap.render.timescale import NoTimes, room, time_axis
from journeymap.text.locale import messages

ROOT = Path(__file__).parent.parent
BANK = ROOT / "examples" / "bank.yaml"
NS = {"s": "http://www.w3.org/2000/svg"}
TIME = RenderOptions(formats=("svg",), x="time")
#: File order differs from time order (t6 goes back), t3 has no time, and the gaps run
#: from seconds to weeks.
TIMED = """\
journeymap: 1
title: Timed
personas: [{id: ann, name: Ann}]
stages:
  - id: one
    name: One
    touchpoints:
      - {id: t1, name: Open the app, at: 0s, duration: 2 min, emotion: {ann: 1}}
      - {id: t2, name: Tap pay, at: 40 s, emotion: {ann: 0}}
      - {id: t3, name: Read the e-mail, emotion: {ann: -1}}
      - {id: t4, name: Card arrives, at: 3 days, duration: 1 h, emotion: {ann: 2}}
  - id: two
    name: Two
    touchpoints:
      - {id: t5, name: First statement, at: 5 weeks, emotion: {ann: 1}}
      - {id: t6, name: Call back, at: 2 days, emotion: {ann: -2}}
"""


def _journey(tmp_path: Path, text: str = TIMED) -> Journey:
    path = tmp_path / "timed.yaml"
    path.write_text(text, encoding="utf-8")
    return load(path)


def _translate(element: ET.Element) -> tuple[float, float]:
    found = re.fullmatch(r"translate\(([-\d.]+) ([-\d.]+)\)", element.get("transform", ""))
    assert found, element.attrib
    return float(found[1]), float(found[2])


def _groups(root: ET.Element, cls: str) -> list[ET.Element]:
    return [g for g in root.iter(f"{{{NS['s']}}}g") if g.get("class", "").split()[:1] == [cls]]


def _text(element: ET.Element) -> str:
    return " ".join(t.text or "" for t in element.iter(f"{{{NS['s']}}}text"))


def test_the_scale_is_linear_under_the_wait_and_logarithmic_past_it() -> None:
    assert room(0) == 0
    assert room(1800) == pytest.approx(room(900) * 2)  # linear under an hour
    hour, day, weeks = room(3600), room(86400), room(35 * 86400)
    assert hour < day < weeks
    assert day / hour == pytest.approx(2.0, abs=0.05)
    assert weeks / hour < 3.5  # five weeks take about three times an hour's room
    assert room(7200, wait=7200) == hour  # the threshold moves the break


def test_touchpoints_go_in_time_order_and_an_untimed_one_is_estimated(tmp_path: Path) -> None:
    axis = time_axis(_journey(tmp_path))
    assert [tp.id for tp in axis.touchpoints] == ["t1", "t2", "t3", "t6", "t4", "t5"]
    assert axis.times == tuple(sorted(axis.times))
    assert all(b - a >= 1 for a, b in zip(axis.positions, axis.positions[1:], strict=False))
    # t3 lies halfway between t2 (40 s) and t4 (3 days) in file order.
    t3 = axis.touchpoints.index(next(tp for tp in axis.touchpoints if tp.id == "t3"))
    assert axis.estimated[t3] and axis.times[t3] == pytest.approx((40 + 3 * 86400) / 2)
    assert [g.is_break for g in axis.gaps] == [False, True, True, True, True]


def test_a_journey_without_times_is_a_clear_error(tmp_path: Path) -> None:
    journey = _journey(tmp_path, re.sub(r"at: [^,]+, ", "", TIMED))
    with pytest.raises(NoTimes, match="no touchpoint has 'at'"):
        time_axis(journey)


def test_the_map_places_columns_by_at_with_labelled_gaps() -> None:
    journey = load(BANK)
    root = ET.fromstring(render_svg(journey, TIME))
    cells = {
        g.get("id", "").rsplit("-time-", 1)[1]: g
        for g in _groups(root, "cell")
        if "-time-" in g.get("id", "")
    }
    at = {tp.id: tp.at for tp in journey.touchpoints}
    xs = sorted(cells, key=lambda tp: _translate(cells[tp])[0])
    assert len(xs) == len(journey.touchpoints)
    times = [at[tp] for tp in xs]
    assert times == sorted(times)  # left to right is earlier to later
    # Each break between two neighbours carries its label, between their columns.
    labels = [(_translate(g)[0], _text(g)) for g in _groups(root, "time-break")]
    m = messages("en")
    axis = time_axis(journey)
    expected = [m("time.later", time=m.elapsed(g.seconds)) for g in axis.gaps if g.is_break]
    assert [text for _, text in sorted(labels)] == expected
    assert "2 days later" in expected and "2 weeks later" in expected
    for gap, (x, _) in zip([g for g in axis.gaps if g.is_break], sorted(labels), strict=True):
        before, after = axis.touchpoints[gap.before].id, axis.touchpoints[gap.before + 1].id
        assert _translate(cells[before])[0] < x < _translate(cells[after])[0]


def test_the_map_draws_waits_and_durations_on_the_ruler(tmp_path: Path) -> None:
    root = ET.fromstring(render_svg(_journey(tmp_path), TIME))
    bars = _groups(root, "time-bar")
    assert len(bars) == 2  # t1 and t4 have a duration
    assert {b.findtext("s:title", namespaces=NS) for b in bars} == {
        "Open the app: lasts 2 minutes",
        "Card arrives: lasts 1 hour",
    }
    waits = _groups(root, "time-wait")
    # No wait between t1 and t2: t2 starts while t1 still lasts; the other four are breaks.
    assert len(waits) == 4 and all("break" in w.get("class", "") for w in waits)
    estimated = [g for g in _groups(root, "time-tick") if "estimated" in g.get("class", "")]
    assert len(estimated) == 1
    cell = root.find(".//s:g[@id='jm-timed-time-t3']", NS)
    assert cell is not None and "time not given" in _text(cell)
    assert "≈ after 1 day and 12 hours" in _text(cell) and "Time runs left to right" in _text(root)


def test_stages_split_into_runs_get_distinct_headers(tmp_path: Path) -> None:
    root = ET.fromstring(render_svg(_journey(tmp_path), TIME))
    ids = [g.get("id") for g in _groups(root, "cell") if "lane-stage" in g.get("class", "")]
    # t6 (stage two) comes between t3 and t4 (stage one) in time.
    assert ids == [
        "jm-timed-stage-one",
        "jm-timed-stage-two",
        "jm-timed-stage-one-2",
        "jm-timed-stage-two-2",
    ]


def test_a_right_to_left_map_runs_time_from_the_right(tmp_path: Path) -> None:
    journey = _journey(tmp_path, TIMED.replace("title: Timed", "title: Timed\nlang: he"))
    root = ET.fromstring(render_svg(journey, TIME))
    cells = [g for g in _groups(root, "cell") if "-time-" in g.get("id", "")]
    order = [
        g.get("id", "").rsplit("-", 1)[1] for g in sorted(cells, key=lambda g: -_translate(g)[0])
    ]
    assert order == ["t1", "t2", "t3", "t6", "t4", "t5"]
    assert "כעבור" in _text(root)


def test_the_default_axis_is_unchanged() -> None:
    journey = load(BANK)
    assert render_svg(journey, RenderOptions(formats=("svg",))) == render_svg(
        journey, RenderOptions(formats=("svg",), x="order")
    )
    assert b"lane-time" not in render_svg(journey, RenderOptions(formats=("svg",)))


def _curve_texts(svg: bytes) -> list[tuple[float, str]]:
    """(x, text) of the one-line texts matplotlib drew at their anchor (``svg.fonttype``
    none keeps text as text; a wrapped name is drawn line by line from each line's start)."""
    root = ET.fromstring(svg)
    return [
        (float(t.get("x", "0")), "".join(t.itertext()))
        for t in root.iter(f"{{{NS['s']}}}text")
        if t.get("x") is not None
    ]


def test_the_curve_places_touchpoints_by_at_with_labelled_gaps() -> None:
    journey = load(BANK)
    svg = curve.render(journey, TIME).artifacts[0].data
    texts = _curve_texts(svg)
    at = {tp.name: tp.at for tp in journey.touchpoints}
    placed = sorted((x, name) for x, name in texts if name in at)
    assert len(placed) >= 8  # the names drawn on one line
    times = [at[name] for _, name in placed]
    assert times == sorted(times)
    labels = [(x, t) for x, t in texts if t.endswith(" later") and t not in at]
    axis = time_axis(journey)
    m = messages("en")
    expected = [m("time.later", time=m.elapsed(g.seconds)) for g in axis.gaps if g.is_break]
    assert [t for _, t in sorted(labels)] == expected
    where = {name: x for x, name in placed}
    checked = 0
    for gap, (x, _) in zip([g for g in axis.gaps if g.is_break], sorted(labels), strict=True):
        before = axis.touchpoints[gap.before].name
        after = axis.touchpoints[gap.before + 1].name
        if before in where and after in where:
            assert where[before] < x < where[after]
            checked += 1
    assert checked >= 3


def test_the_curve_without_times_says_what_to_do(tmp_path: Path) -> None:
    journey = _journey(tmp_path, re.sub(r"at: [^,]+, ", "", TIMED))
    with pytest.raises(NoTimes, match="--x order"):
        curve.render(journey, TIME)


def test_render_x_time_writes_map_and_curve(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    code = main(
        [
            "render",
            str(BANK),
            "-o",
            str(out),
            "--what",
            "map,curve",
            "--format",
            "svg",
            "--x",
            "time",
        ]
    )
    assert code == 0, capsys.readouterr().err
    assert b"time-break" in (out / "bank" / "map.svg").read_bytes()
    assert b"days later" in (out / "bank" / "curve.svg").read_bytes()


def test_render_x_time_on_a_journey_without_at_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "plain.yaml"
    path.write_text(re.sub(r"at: [^,]+, ", "", TIMED), encoding="utf-8")
    code = main(
        ["render", str(path), "-o", str(tmp_path / "out"), "--format", "svg", "--x", "time"]
    )
    err = capsys.readouterr().err
    assert code == 1
    assert f"{path}: error: --x time: the time axis needs times: no touchpoint has 'at'" in err
    assert not (tmp_path / "out" / "plain" / "map.svg").exists()


def test_render_x_unknown_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["render", str(BANK), "-o", str(tmp_path), "--x", "clock"]) == 2
    assert "--x: unknown value clock; choose one of order, time" in capsys.readouterr().err


def _project(tmp_path: Path, config: str) -> Path:
    (tmp_path / "journeymap.yaml").write_text(config, encoding="utf-8")
    (tmp_path / "journeys").mkdir()
    (tmp_path / "journeys" / "timed.yaml").write_text(TIMED, encoding="utf-8")
    plain = re.sub(r"at: [^,]+, ", "", TIMED).replace("title: Timed", "title: Plain")
    (tmp_path / "journeys" / "plain.yaml").write_text(plain, encoding="utf-8")
    return tmp_path


def test_the_config_default_axis_applies_where_there_are_times(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    project = _project(
        tmp_path,
        "output: out\nrender:\n  x: time\n  formats: [svg]\n  what: [map]\ntime:\n  wait: 2 days\n",
    )
    monkeypatch.chdir(project)
    assert main(["render"]) == 0
    err = capsys.readouterr().err
    assert "plain.yaml: note: drawn in order: no touchpoint has 'at'" in err
    timed = (project / "out" / "timed" / "map.svg").read_bytes()
    assert (
        b"lane-time" in timed
        and b"lane-time" not in (project / "out" / "plain" / "map.svg").read_bytes()
    )
    # With a two-day wait, only the gap of weeks before the statement is a break.
    assert timed.count(b'class="time-break"') == 1
    assert b"a break marks a wait of 2 days or more" in timed
    assert main(["render", "--x", "order"]) == 0
    assert b"lane-time" not in (project / "out" / "timed" / "map.svg").read_bytes()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("'soon'", "'soon' is not a time"),
        ("'0 s'", "'0 s' is no time at all"),
        ("P1M", "months and years vary in length"),
    ],
)
def test_bad_time_thresholds_are_located_errors(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    value: str,
    message: str,
) -> None:
    project = _project(tmp_path, f"output: out\ntime:\n  silent_wait: {value}\n")
    monkeypatch.chdir(project)
    assert main(["validate"]) == 1
    err = capsys.readouterr().err
    assert "journeymap.yaml:3:16: error: time.silent_wait: " in err and message in err


def test_the_silent_wait_threshold_comes_from_the_config(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    project = _project(tmp_path, "time:\n  silent_wait: 1 h\n")
    monkeypatch.chdir(project)
    main(["validate", "journeys/timed.yaml"])
    short = capsys.readouterr().out
    (project / "journeymap.yaml").write_text("time:\n  silent_wait: 6 weeks\n", encoding="utf-8")
    main(["validate", "journeys/timed.yaml"])
    long = capsys.readouterr().out
    quiet = "nothing there tells them what happens next"
    assert short.count(quiet) > long.count(quiet) == 0


def test_flow_edges_carry_the_wait_in_svg_and_dot(tmp_path: Path) -> None:
    from journeymap.render.flow import svg as flow

    journey = _journey(tmp_path)
    result = flow.render(journey, RenderOptions(formats=("svg",)))
    data = {a.name: a.data for a in result.artifacts}
    root = ET.fromstring(data["flow.svg"])
    labels = [_text(g) for g in _groups(root, "wait")]
    # Only t4 -> t5 has both times and a positive wait: 5 weeks less 3 days and 1 hour.
    assert labels == ["32 days"]
    assert 'label="32 days"' in data["flow.dot"].decode()
    plain = _journey(tmp_path, re.sub(r"at: [^,]+, ", "", TIMED))
    svg = flow.render(plain, RenderOptions(formats=("svg",))).artifacts
    assert b'class="wait"' not in next(a.data for a in svg if a.name == "flow.svg")


def test_a_time_axis_map_on_a_sheet_is_printed_whole_with_a_warning(tmp_path: Path) -> None:
    from journeymap.render.map.svg import render

    options = RenderOptions(formats=("pdf",), x="time", paper="a4")
    result = render(_journey(tmp_path), options)
    assert result.warnings[0] == (
        "map.pdf: the time axis is printed whole on one a4 sheet (as --paper a4:fit); "
        "for a print set of pages use --x order"
    )
    assert [a.name for a in result.artifacts] == ["map.pdf"]


def test_the_site_follows_the_config_axis(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    project = _project(tmp_path, "render:\n  x: time\nsite:\n  output: site\n")
    monkeypatch.chdir(project)
    assert main(["build"]) == 0, capsys.readouterr().err
    assert b"lane-time" in (project / "site" / "timed" / "map.svg").read_bytes()
    assert b"days later" in (project / "site" / "timed" / "curve.svg").read_bytes()
    assert b"lane-time" not in (project / "site" / "plain" / "map.svg").read_bytes()


def test_curve_compares_journeys_on_one_time_axis(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = tmp_path / "before.yaml"
    before.write_text(TIMED, encoding="utf-8")
    after = tmp_path / "after.yaml"
    faster = TIMED.replace("title: Timed", "title: Faster\nstate: future")
    after.write_text(faster.replace("at: 3 days", "at: 1 h").replace("at: 5 weeks", "at: 2 days"))
    out = tmp_path / "compare.svg"
    assert main(["curve", str(before), str(after), "-o", str(out), "--x", "time"]) == 0
    capsys.readouterr()
    texts = _curve_texts(out.read_bytes())
    # The faster journey's card (after 1 hour) comes before the slower one's (after 3 days).
    cards = [x for x, t in sorted(texts) if t == "Card arrives"]
    assert len(cards) == 2
    assert any(t.endswith(" later") for _, t in texts)
    plain = tmp_path / "plain.yaml"
    plain.write_text(re.sub(r"at: [^,]+, ", "", TIMED), encoding="utf-8")
    assert main(["curve", str(before), str(plain), "-o", str(out), "--x", "time"]) == 1
    assert "'Timed': the time axis needs times" in capsys.readouterr().err


def test_the_wait_threshold_moves_the_blueprints_wait_points() -> None:
    from journeymap.render.blueprint.svg import render_svg as blueprint_svg

    journey = load(BANK)
    hourly = blueprint_svg(journey, RenderOptions(formats=("svg",)))
    daily = blueprint_svg(journey, RenderOptions(formats=("svg",), wait=86400.0))
    assert 0 < daily.count(b'class="badge wait"') < hourly.count(b'class="badge wait"')
    assert b"1 day or more" in daily and b"1 hour or more" in hourly


def test_user_text_on_the_ruler_is_escaped_and_output_is_deterministic(tmp_path: Path) -> None:
    hostile = TIMED.replace("Open the app", "'<b>&amp; \"x\"</b>'")
    journey = _journey(tmp_path, hostile)
    svg = render_svg(journey, TIME)
    assert svg == render_svg(journey, TIME)
    root = ET.fromstring(svg)  # well-formed
    titles = [b.findtext("s:title", namespaces=NS) for b in _groups(root, "time-bar")]
    assert '<b>&amp; "x"</b>: lasts 2 minutes' in titles
    assert (
        curve.render(journey, TIME).artifacts[0].data
        == curve.render(journey, TIME).artifacts[0].data
    )


def test_the_documented_config_example_is_valid(tmp_path: Path) -> None:
    from journeymap.check.config import read_config

    text = (ROOT / "docs" / "config.md").read_text(encoding="utf-8")
    found = re.search(r"```yaml\n(.*?)```", text, re.S)
    assert found
    block = found[1].split("\nevidence:")[0]  # its evidence files are not here
    (tmp_path / "journeymap.yaml").write_text(block, encoding="utf-8")
    config = read_config(tmp_path / "journeymap.yaml")
    assert config.axis_options() == {"x": "time", "wait": 7200.0}
    assert config.lint_times() == {"silent_wait": 172800.0}


@pytest.mark.parametrize("lang", ["ar", "he", "fa", "ur", "de"])
def test_the_curves_legend_says_time_runs_the_way_the_curve_runs(tmp_path: Path, lang: str) -> None:
    """The curve runs the way the map does, right to left in RTL languages, and its legend
    says so (the curve was once never mirrored and said left to right everywhere)."""
    journey = _journey(tmp_path, TIMED.replace("title: Timed", f"title: Timed\nlang: {lang}"))
    svg = curve.render(journey, TIME).artifacts[0].data
    texts = _curve_texts(svg)
    x = {t: at for at, t in texts}
    rtl = lang != "de"
    assert (x["Open the app"] > x["Card arrives"]) == rtl
    m = messages(lang)
    said = m.plain("time.legend", example=m.elapsed(3600))
    drawn = " ".join(" ".join(t.itertext()) for t in ET.fromstring(svg).iter(f"{{{NS['s']}}}text"))
    assert " ".join(said.split()) in " ".join(drawn.split())
    right_to_left = {"ar": "من اليمين إلى اليسار", "he": "מימין לשמאל", "fa": "از راست به چپ"}
    right_to_left |= {"ur": "دائیں سے بائیں", "de": "von rechts nach links"}
    assert (right_to_left[lang] in said) == rtl


def test_a_break_label_box_holds_its_bold_text(tmp_path: Path) -> None:
    """The theme draws break labels bold: measured regular, '108 minutes later' ran past the
    right edge of its dashed box."""
    from journeymap.text.fit import text_width

    journey = _journey(tmp_path, TIMED.replace("at: 3 days", "at: 108 min"))
    root = ET.fromstring(render_svg(journey, TIME))
    breaks = _groups(root, "time-break")
    assert breaks
    for group in breaks:
        rect = group.find("s:rect", NS)
        text = group.find("s:text", NS)
        assert rect is not None and text is not None
        x, width = float(text.get("x", "0")), float(rect.get("width", "0"))
        ink = text_width(text.text or "", float(text.get("font-size", "11")), True)
        assert x > 0 and x + ink <= width - 2, (text.text, x, ink, width)
