"""``init`` sets editors up offline: a schema copy, a relative $schema line, VS Code settings;
``schema --write`` refreshes the copy; the site publishes the schema."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from journeymap.commands.cli import main
from journeymap.source.resources import config_schema_path, schema_path

COPY = Path(".journeymap/journey.schema.json")
SETTINGS = Path(".vscode/settings.json")


@pytest.fixture
def repo(tmp_path: Path) -> Iterator[Path]:
    """A fresh git repository as the current folder."""
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    old = Path.cwd()
    os.chdir(tmp_path)
    try:
        yield tmp_path
    finally:
        os.chdir(old)


def _schema_line(journey: Path) -> str:
    first = journey.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema=")
    return first.split("=", 1)[1]


def test_init_points_the_journey_at_a_schema_copy_that_resolves(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["init", "journeys/team"]) == 0
    journey = repo / "journeys/team/journey.yaml"
    target = (journey.parent / _schema_line(journey)).resolve()
    assert target == (repo / COPY).resolve()
    assert target.read_bytes() == schema_path().read_bytes()
    settings = json.loads((repo / SETTINGS).read_text(encoding="utf-8"))
    assert settings == {
        "yaml.schemas": {
            "./.journeymap/journey.schema.json": [
                "journeys/team/**/*.yaml",
                "journeys/team/**/*.yml",
            ],
            "./.journeymap/config.schema.json": ["journeymap.yaml"],
        }
    }
    out = capsys.readouterr().out
    assert "wrote .journeymap/journey.schema.json" in out
    assert "wrote .vscode/settings.json" in out
    assert main(["validate", "--strict", str(journey)]) == 0


def test_init_merges_into_existing_settings_and_keeps_a_changed_copy(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / ".vscode").mkdir()
    mine = {"editor.tabSize": 2, "yaml.schemas": {"ci.json": ".github/workflows/*.yml"}}
    (repo / SETTINGS).write_text(json.dumps(mine, indent=2), encoding="utf-8")
    (repo / COPY).parent.mkdir()
    (repo / COPY).write_text("{}", encoding="utf-8")
    assert main(["init", "journeys"]) == 0
    settings = json.loads((repo / SETTINGS).read_text(encoding="utf-8"))
    assert settings["editor.tabSize"] == 2
    assert settings["yaml.schemas"]["ci.json"] == ".github/workflows/*.yml"
    assert settings["yaml.schemas"]["./.journeymap/journey.schema.json"] == [
        "journeys/**/*.yaml",
        "journeys/**/*.yml",
    ]
    assert (repo / SETTINGS).read_text(encoding="utf-8").startswith('{\n  "editor')
    assert (repo / COPY).read_text(encoding="utf-8") == "{}"  # init never overwrites
    out = capsys.readouterr().out
    assert "refresh it with: journeymap schema --write .journeymap/journey.schema.json" in out
    assert main(["init", "journeys", "--name", "second.yaml"]) == 0
    assert "kept .vscode/settings.json" in capsys.readouterr().out


def test_init_leaves_settings_with_comments_alone_and_says_what_to_add(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / ".vscode").mkdir()
    text = '{\n  // our settings\n  "editor.tabSize": 2,\n}\n'
    (repo / SETTINGS).write_text(text, encoding="utf-8")
    assert main(["init", "journeys"]) == 0
    assert (repo / SETTINGS).read_text(encoding="utf-8") == text
    out = capsys.readouterr().out
    assert "left .vscode/settings.json as it is: it is not plain JSON" in out
    assert '"./.journeymap/journey.schema.json": [' in out


def test_init_at_the_root_maps_only_the_starter_file(repo: Path) -> None:
    assert main(["init"]) == 0
    assert _schema_line(repo / "journey.yaml") == ".journeymap/journey.schema.json"
    settings = json.loads((repo / SETTINGS).read_text(encoding="utf-8"))
    assert settings["yaml.schemas"]["./.journeymap/journey.schema.json"] == ["journey.yaml"]


def test_schema_write_refreshes_the_copy_atomically(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / COPY).parent.mkdir()
    old = json.loads(schema_path().read_bytes()) | {"description": "an older copy"}
    (repo / COPY).write_text(json.dumps(old), encoding="utf-8")
    assert main(["schema", "--write", str(COPY)]) == 0
    assert (repo / COPY).read_bytes() == schema_path().read_bytes()
    assert sorted(p.name for p in (repo / COPY).parent.iterdir()) == [COPY.name]
    assert capsys.readouterr().out == f"wrote {COPY}\n"
    assert main(["schema", "--write", str(COPY.parent)]) == 2
    assert "is a folder" in capsys.readouterr().err


def test_init_and_schema_config_keep_the_config_schema_copy(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """init copies the config schema beside the journey one and names it on journeymap.yaml's
    first line; ``schema --config --write`` refreshes only a copy of the config schema."""
    assert main(["init", "journeys"]) == 0
    config_copy = repo / ".journeymap/config.schema.json"
    assert (repo / _schema_line(repo / "journeymap.yaml")).resolve() == config_copy.resolve()
    assert config_copy.read_bytes() == config_schema_path().read_bytes()
    assert "wrote .journeymap/config.schema.json" in capsys.readouterr().out
    old = json.loads(config_schema_path().read_bytes()) | {"description": "an older copy"}
    config_copy.write_text(json.dumps(old), encoding="utf-8")
    assert main(["init", "journeys", "--name", "two.yaml"]) == 0
    out = capsys.readouterr().out
    assert (
        "refresh it with: journeymap schema --config --write .journeymap/config.schema.json" in out
    )
    assert (
        "kept .vscode/settings.json (it already maps journeys/**/*.yaml, journeys/**/*.yml, "
        "journeymap.yaml to the schema copies)" in out
    )
    assert main(["schema", "--config", "--write", str(COPY)]) == 1  # the journey schema's copy
    assert "is not a journeymap schema copy" in capsys.readouterr().err
    assert (repo / COPY).read_bytes() == schema_path().read_bytes()
    assert main(["schema", "--config", "--write", ".journeymap/config.schema.json"]) == 0
    assert config_copy.read_bytes() == config_schema_path().read_bytes()
    assert main(["schema", "--config"]) == 0
    assert json.loads(capsys.readouterr().out.split("\n", 1)[1])["$id"].endswith(
        "config.schema.json"
    )


def test_the_site_publishes_the_schema(tmp_path: Path) -> None:
    src = tmp_path / "src"
    assert main(["init", str(src)]) == 0
    site = tmp_path / "site"
    assert main(["build", str(src), "-o", str(site)]) == 0
    assert (site / "journey.schema.json").read_bytes() == schema_path().read_bytes()
