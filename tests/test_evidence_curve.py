"""``render --what curve --measured``: the survey scores with error bars on the journey's curve."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from journeymap.check.validate import load
from journeymap.commands.cli import main
from journeymap.render import curve
from journeymap.render.options import RenderOptions

SVG = "{http://www.w3.org/2000/svg}"


def _texts(svg: bytes) -> list[str]:
    return [t.text or "" for t in ET.fromstring(svg).iter(f"{SVG}text")]


def _project(examples: Path, root: Path, config: str | None = None) -> Path:
    """A scratch project with the checkout example and its data exports."""
    shutil.copy(examples / "checkout-evidence.yaml", root)
    shutil.copytree(examples / "data", root / "data")
    if config is not None:
        (root / "journeymap.yaml").write_text(config, encoding="utf-8")
    return root / "checkout-evidence.yaml"


def test_render_measured_draws_bars_and_labels_the_small_sample(
    examples: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    journey = _project(examples, tmp_path)
    out = tmp_path / "out"
    argv = ["render", str(journey), "-o", str(out), "--what", "curve", "--format", "svg"]
    assert main(argv) == 0
    plain = (out / "checkout-evidence" / "curve.svg").read_bytes()
    assert main([*argv, "--measured"]) == 0
    measured = (out / "checkout-evidence" / "curve.svg").read_bytes()
    assert "Measured (± 95 %)" in _texts(measured) and "Measured (± 95 %)" not in _texts(plain)
    # Only "First ride" (22 answers) is a small sample: one label, its n on the first line.
    assert [t for t in _texts(measured) if "low n" in t or "n = " in t] == ["n = 22", "low n"]
    assert measured.count(b"<path") > plain.count(b"<path")
    assert "warning" not in capsys.readouterr().err


def test_the_points_are_the_persona_s_own_in_a_persona_view(examples: Path) -> None:
    journey = load(examples / "checkout-evidence.yaml")
    everyone = curve.measured_points(journey, range(len(journey.touchpoints)))
    priya = journey.for_persona("commuter")
    own = curve.measured_points(priya, range(len(priya.touchpoints)))
    first_ride = journey.touchpoints[-1].id
    assert everyone[-1].n == journey.measures(first_ride)[0].n == 22
    assert own[-1].n == journey.measures(first_ride, "commuter")[0].n == 9
    assert own[-1].low_n and not own[0].low_n
    # The label follows the view: n = 9 on Priya's curve.
    options = RenderOptions(formats=("svg",), measured=True)
    svg = curve.render(priya, options).artifacts[0].data
    assert "n = 9" in _texts(svg) and "n = 22" not in _texts(svg)


def test_the_label_stands_on_the_side_away_from_the_assumed_lines(examples: Path) -> None:
    journey = load(examples / "checkout-evidence.yaml")
    chart = curve._journey_chart(journey, RenderOptions(formats=("svg",)))
    point = curve.measured_points(journey, range(len(journey.touchpoints)))[-1]
    assumed = [s.values[point.slot] for s in chart.series]
    assert assumed == [2, 3] and point.value < 2.5  # lines above: the label goes below
    chart.measured = [point]
    fig, _ = curve._figure(chart)
    (note,) = [a for a in fig.axes[0].texts if a.get_text() == "n = 22\nlow n"]
    assert note.get_va() == "top" and note.xy[1] == pytest.approx(point.value - point.margin)


def test_measured_without_evidence_warns_and_still_draws(
    examples: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["render", str(examples / "bank.yaml"), "-o", str(tmp_path), "--what", "curve"]
    assert main([*argv, "--format", "svg", "--measured"]) == 0
    assert (tmp_path / "bank" / "curve.svg").is_file()
    err = capsys.readouterr().err
    assert err == (
        f"{examples / 'bank.yaml'}: warning: curve: --measured: no survey evidence to overlay\n"
    )


def test_the_config_turns_it_on_and_the_command_line_off(
    examples: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    journey = _project(examples, tmp_path, "render:\n  measured: true\n")
    monkeypatch.chdir(tmp_path)
    argv = ["render", journey.name, "-o", "out", "--what", "curve", "--format", "svg"]
    svg = tmp_path / "out" / "checkout-evidence" / "curve.svg"
    assert main(argv) == 0
    assert "low n" in _texts(svg.read_bytes())
    assert main([*argv, "--no-measured"]) == 0
    assert "low n" not in _texts(svg.read_bytes())
    assert main(["curve", journey.name, "-o", "out/compare.svg"]) == 0
    assert "low n" in _texts((tmp_path / "out" / "compare.svg").read_bytes())


def test_the_config_key_is_checked(
    examples: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    journey = _project(examples, tmp_path, "render:\n  measured: yes please\n")
    assert main(["render", str(journey), "-o", str(tmp_path / "out")]) == 1
    assert capsys.readouterr().err == (
        f"{tmp_path / 'journeymap.yaml'}:2:13: error: 'measured' must be true or false, "
        "not text (project config; see docs/config.md)\n"
    )
    assert not (tmp_path / "out").exists()


def test_an_interval_wider_than_the_scale_is_clipped_to_it(examples: Path) -> None:
    # Two answers, 1 and 3 on CSAT: t(0.975, 1) = 12.706 gives -1.5 ± 19.06 on -3..3.
    journey = load(examples / "checkout-evidence.yaml")
    chart = curve._journey_chart(journey, RenderOptions(formats=("svg",)))
    chart.measured = [curve.Point(0, -1.5, 19.06, True, 2), curve.Point(1, 2.0, 0.5, False, 90)]
    fig, _ = curve._figure(chart)
    ax = fig.axes[0]
    bars = [c for c in ax.collections if len(c.get_segments()) == 1]
    ends = sorted((float(s[0][1]), float(s[1][1])) for c in bars for s in c.get_segments())
    assert ends == [(-3.0, 3.0), (1.5, 2.5)]
    (note,) = [a for a in ax.texts if a.get_text() == "n = 2\nlow n"]
    assert note.xy[1] in (-3.0, 3.0)
