"""``journeymap export --to json|markdown``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import journeymap
from journeymap.commands.cli import main
from journeymap.interop.export import md, to_json, to_markdown

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_json_holds_the_model(path: Path) -> None:
    journey = journeymap.load(path)
    data = json.loads(to_json(journey))
    assert data["title"] == journey.title and data["source"] is None
    assert [s["id"] for s in data["stages"]] == [s.id for s in journey.stages]
    assert data["touchpoints"] == len(journey.touchpoints)
    first = journey.touchpoints[0]
    assert data["stages"][0]["touchpoints"][0]["emotions"] == dict(first.emotions)
    assert to_json(journey) == to_json(journeymap.load(path))


def test_markdown_outline() -> None:
    journey = journeymap.load(EXAMPLES / "retail-returns-current.yaml")
    text = to_markdown(journey)
    lines = text.splitlines()
    assert lines[0] == "# Returning an online order (current)"
    assert [ln for ln in lines if ln.startswith("## ")][1:] == [
        f"## {s.index + 1}. {s.name}" for s in journey.stages
    ]
    assert sum(ln.startswith("### ") for ln in lines) == len(journey.touchpoints)
    assert "★ moment of truth" in text and "- **Pain point:** [critical]" in text


def test_markdown_escapes_user_text() -> None:
    assert md("*bold* <script>x</script> [link](y) `code` | #\nnext") == (
        r"\*bold\* \<script\>x\</script\> \[link\](y) \`code\` \| \# next"
    )


def test_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bank = EXAMPLES / "bank.yaml"
    assert main(["export", "--to", "json", str(bank)]) == 0
    assert json.loads(capsys.readouterr().out)["id"] == "bank"
    out = tmp_path / "bank.md"
    assert main(["export", "--to", "markdown", str(bank), "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith("# Opening a current account\n")
    bad = tmp_path / "bad.yaml"
    bad.write_text("journeymap: 1\n", encoding="utf-8")
    assert main(["export", "--to", "json", str(bad)]) == 1
    assert main(["export", "--to", "xml", str(bank)]) == 2


def test_code_spans_cannot_be_closed_by_the_text() -> None:
    from journeymap.interop.export import code

    assert code("plain") == "`plain`"
    assert code("x`**<b>bold</b>**") == "`` x`**<b>bold</b>** ``"
    assert code("a``b") == "``` a``b ```"
