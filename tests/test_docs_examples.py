"""The YAML examples of docs/format.md and docs/config.md work when copied as written.

A block that is a whole journey is validated as it is; a fragment (a scale, notes, blueprint
lanes, levels, evidence sources) is put into a small journey where the page says it belongs,
with the files it names made from the page's own samples, and must validate without errors.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from journeymap.commands.cli import main

DOCS = Path(__file__).resolve().parent.parent / "docs"
FORMAT = (DOCS / "format.md").read_text(encoding="utf-8")
CONFIG = (DOCS / "config.md").read_text(encoding="utf-8")


def _illustration(block: str) -> bool:
    """A block of format.md that shows a shape, not a file: the library with '[...]'
    placeholders, or the editor modeline alone."""
    if block.startswith("# examples/shared/retail.yaml"):
        return True
    return block.startswith("# yaml-language-server") and len(block.splitlines()) == 1


def _blocks(text: str, language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", text, re.DOTALL)


def _sample(name: str) -> str:
    """The text block that follows the page's mention of ``name`` (a sample export)."""
    match = re.search(rf"\(`{re.escape(name)}`\):\n\n```text\n(.*?)```", FORMAT, re.DOTALL)
    assert match, f"docs/format.md shows no sample of {name}"
    return match.group(1)


def _yaml(text: str) -> Any:
    """``text`` read by journeymap's own YAML loader (YAML 1.2, as validate reads it)."""
    from journeymap.source.loader import YamlError, parse

    try:
        return parse(text, "docs example").data
    except YamlError as error:
        pytest.fail(f"the docs example is not valid YAML: {error}")


def _journey(fragment: dict[str, Any]) -> dict[str, Any]:
    """A small valid journey with ``fragment`` in the place the page puts it."""
    touchpoint: dict[str, Any] = {"id": "browse", "name": "Browse", "emotion": 0}
    journey: dict[str, Any] = {
        "journeymap": 1,
        "title": "Docs example",
        "stages": [
            {
                "name": "Shop",
                "touchpoints": [
                    touchpoint,
                    {"id": "pay", "name": "Pay", "emotion": 0, "next": ["checkout"]},
                    {"id": "checkout", "name": "Checkout", "emotion": 0},
                ],
            }
        ],
    }
    if "pain_points" in fragment:  # notes belong to a touchpoint
        touchpoint.update(fragment, opportunities=["Say what happens next"])
    else:
        journey.update(fragment)
    if "scale" in fragment:  # an emotion must be on the file's own scale
        for stage in journey["stages"]:
            for tp in stage["touchpoints"]:
                tp["emotion"] = fragment["scale"]["min"]
                tp["pain_points"] = ["Low"]
    return journey


def _validate(path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    code = main(["validate", "--root", str(path.parent), str(path)])
    out = capsys.readouterr()
    assert code == 0, out.out + out.err
    assert ": error:" not in out.out + out.err
    return out.out


EXAMPLES = [b for b in _blocks(FORMAT, "yaml") if not _illustration(b)]


def test_format_md_blocks_are_all_tried() -> None:
    assert len(EXAMPLES) == 8  # update the list below when the page gains an example


@pytest.mark.parametrize("index", range(len(EXAMPLES)))
def test_format_md_yaml_block_validates(
    index: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    block = EXAMPLES[index]
    data = _yaml(block)
    path = tmp_path / "journeys" / "example.yaml"
    path.parent.mkdir()
    if "journeymap" in data:
        path.write_text(block, encoding="utf-8")
    else:
        path.write_text(json.dumps(_journey(data), ensure_ascii=False), encoding="utf-8")
    for name in data.get("imports", []):
        library = Path(__file__).resolve().parent.parent / "examples" / name
        (path.parent / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(library, path.parent / name)
    for stage in data.get("stages", []):
        for item in [stage, *stage.get("touchpoints", [])]:
            if "journey" in item:
                detail = path.parent / item["journey"]
                detail.parent.mkdir(parents=True, exist_ok=True)
                detail.write_text(
                    "journeymap: 1\ntitle: Detail\nstages:\n  - name: Step\n    touchpoints:\n"
                    "      - {name: Do it, emotion: 0}\n",
                    encoding="utf-8",
                )
    for source in data.get("evidence", []):
        csv = path.parent / source["file"]
        csv.parent.mkdir(parents=True, exist_ok=True)
        text = _sample(source["file"])
        if "encoding" in source:
            csv.write_bytes(text.encode(source["encoding"]))
        else:
            csv.write_text(text, encoding="utf-8")
    _validate(path, capsys)


def test_config_md_example_validates(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The config example with the files and folders it names: every command accepts it."""
    (block,) = _blocks(CONFIG, "yaml")
    (tmp_path / "journeymap.yaml").write_text(block, encoding="utf-8")
    config = _yaml(block)
    (tmp_path / "journeys" / "returns").mkdir(parents=True)
    (tmp_path / "templates").mkdir()
    journey = "journeymap: 1\ntitle: Checkout\nstages:\n  - name: Pay\n    touchpoints:\n"
    (tmp_path / "journeys" / "checkout.yaml").write_text(
        journey + "      - {id: pay, name: Pay, emotion: 0, at: 0 s}\n", encoding="utf-8"
    )
    data = tmp_path / "data"
    data.mkdir()
    (data / "relationship-nps.csv").write_text("step,score,comment\npay,9,Fine\n")
    (data / "funnel.csv").write_text("page,metric,value\npay,conversion,0.5\n")
    assert config["journeys"] == ["journeys"]
    assert main(["validate", "--root", str(tmp_path)]) == 0, capsys.readouterr()


def test_format_md_names_every_example() -> None:
    """The page's table of examples lists each file of examples/ (three were missing)."""
    examples = Path(__file__).resolve().parent.parent / "examples"
    table = FORMAT.split("## The smallest valid file", 1)[0]
    for path in sorted(examples.rglob("*.yaml")):
        assert f"`{path.relative_to(examples).as_posix()}`" in table, path.name
