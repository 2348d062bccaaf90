"""``journeymap diff``: changes between journey versions as Markdown."""

from __future__ import annotations

import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import journeymap
from journeymap.commands.cli import main
from journeymap.interop.diff import compare, to_markdown

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
CURRENT = EXAMPLES / "retail-returns-current.yaml"
FUTURE = EXAMPLES / "retail-returns-future.yaml"


def test_current_to_future_lists_every_kind_of_change() -> None:
    d = compare(journeymap.load(CURRENT), journeymap.load(FUTURE))
    assert set(d.touchpoints_added) == {"gift-return-code", "store-return", "instant-refund"}
    assert set(d.touchpoints_removed) == {"call-service", "chase-refund"}
    assert ("return-label", "Print the returns label", "Get a QR code for the return") in (
        d.touchpoints_renamed
    )
    numeric = [abs(new - old) for _, _, old, new in d.emotions if None not in (old, new)]
    assert numeric == sorted(numeric, reverse=True) and numeric[0] == 5
    assert d.emotions[0] == ("return-label", "no-printer", -2, 3)
    resolved = {n.id for _, n in d.pains_resolved}
    assert {"printer-required", "refund-silence"} <= resolved
    assert ("refund-received", "nps", -12, 38) in d.metrics


def test_markdown_tables_and_escaping(tmp_path: Path) -> None:
    text = to_markdown(compare(journeymap.load(CURRENT), journeymap.load(FUTURE)))
    assert text.startswith("## Journey changes: ")
    row = "| Get a QR code for the return | Daniel Osei | frustrated (-2) | delighted (+3) | +5 |"
    assert row in text
    assert "### Pain points" in text and "~~" in text and "### Metrics" in text
    hostile = tmp_path / "h.yaml"
    hostile.write_text(
        CURRENT.read_text(encoding="utf-8").replace(
            "name: Find the order", "name: 'Find | the <b>order</b>'"
        ),
        encoding="utf-8",
    )
    shutil.copytree(EXAMPLES / "shared", tmp_path / "shared")
    text = to_markdown(compare(journeymap.load(CURRENT), journeymap.load(hostile)))
    assert r"Find \| the \<b\>order\</b\>" in text and "<b>" not in text


def test_identical_versions_say_so() -> None:
    journey = journeymap.load(CURRENT)
    assert compare(journey, journey).empty
    assert "No changes" in to_markdown(compare(journey, journey))


def test_cli_two_files_with_image(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    image = tmp_path / "diff.svg"
    assert main(["diff", str(CURRENT), str(FUTURE), "--image", str(image)]) == 0
    assert "### Emotions" in capsys.readouterr().out
    root = ET.parse(image).getroot()
    assert root.tag.endswith("svg")
    assert main(["diff", str(CURRENT)]) == 2
    assert main(["diff", str(CURRENT), str(FUTURE), "--image", str(tmp_path / "x.gif")]) == 2


@pytest.mark.exe
def test_cli_git_revision(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path / "repo"
    journeys = repo / "journeys"
    shutil.copytree(EXAMPLES / "shared", journeys / "shared")
    target = journeys / "returns.yaml"
    shutil.copyfile(CURRENT, target)

    def git(*args: str) -> None:
        subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
            cwd=repo, check=True, capture_output=True,
        )  # fmt: skip

    git("init", "-q")
    git("add", ".")
    git("commit", "-q", "-m", "current")
    shutil.copyfile(FUTURE, target)
    assert main(["diff", "--git", "HEAD", str(target)]) == 0
    out = capsys.readouterr().out
    assert "Added: **Return it in a store**" in out
    assert main(["diff", "--git", "no-such-rev", str(target)]) == 2
