"""The schema through the real yaml-language-server (the engine of VS Code's YAML extension),
in a repository set up by ``journeymap init``: completion where users type, hover text,
diagnostics in plain words for the common mistakes, and no schema load error, offline."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from journeymap.commands.cli import main
from tests.lsp import ROOT, Client, require_server

pytestmark = pytest.mark.exe

WORDS = ["angry", "frustrated", "uneasy", "neutral", "satisfied", "happy", "delighted"]
BASE = {"validate": True, "hover": True, "completion": True, "schemaStore": {"enable": False}}


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A git repository after ``journeymap init journeys``, plus a workflow file."""
    require_server()
    root = tmp_path_factory.mktemp("repo")
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    assert main(["init", str(root / "journeys")]) == 0
    (root / ".github" / "workflows").mkdir(parents=True)
    (root / ".github/workflows/ci.yml").write_text("on: push\njobs: {}\n", encoding="utf-8")
    return root


def _settings(repo: Path, with_vscode: bool) -> dict[str, Any]:
    """What VS Code sends: the ``yaml.*`` keys of .vscode/settings.json, nested."""
    yaml = dict(BASE)
    if with_vscode:
        vscode = json.loads((repo / ".vscode/settings.json").read_text(encoding="utf-8"))
        yaml["schemas"] = vscode["yaml.schemas"]
    return {"yaml": yaml}


@pytest.fixture(scope="module")
def server(repo: Path) -> Iterator[Client]:
    """One server for the module, configured from the settings ``init`` wrote."""
    client = Client(repo, _settings(repo, with_vscode=True))
    client.start()
    yield client
    client.close()


def _open(client: Client, path: Path, text: str) -> tuple[str, list[dict[str, Any]]]:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    uri = client.open(path, text)
    return uri, client.diagnostics(uri)


def _labels(items: list[dict[str, Any]]) -> list[str]:
    return [str(item["label"]) for item in items]


def _at(text: str, marker: str) -> tuple[int, int]:
    """0-based line and character just after the first ``marker``."""
    before = text[: text.index(marker) + len(marker)]
    return before.count("\n"), len(before.rsplit("\n", 1)[-1])


def test_the_starter_opens_with_no_diagnostics_from_the_modeline_alone(repo: Path) -> None:
    """No yaml.schemas at all: the relative $schema lines init wrote (the journey's and
    journeymap.yaml's) resolve offline."""
    client = Client(repo, _settings(repo, with_vscode=False))
    client.start()
    try:
        starter = repo / "journeys/journey.yaml"
        text = starter.read_text(encoding="utf-8")
        uri = client.open(starter, text)
        assert client.diagnostics(uri) == []
        line, char = _at(text, "        emotion: ")
        assert set(WORDS) <= set(_labels(client.completion(uri, line, char)))
        broken = text.replace("emotion: neutral", "emotion: sad", 1)
        other = repo / "journeys/broken-copy.yaml"
        _, problems = _open(client, other, broken)
        assert [p["message"] for p in problems] == [
            "On the default scale an emotion is a whole number from -3 to 3 or one of: "
            + ", ".join(WORDS)
            + " (a 'scale' of your own can define other words)."
        ]
        config = repo / "journeymap.yaml"  # finds the config schema copy by its first line
        text = config.read_text(encoding="utf-8")
        uri = client.open(config, text)
        assert client.diagnostics(uri) == []
        assert client.hover(uri, *_at(text, "  tit")).startswith("#### site: build defaults")
    finally:
        client.close()


COMPLETE = """\
journeymap: 1
title: Returns
kind: \n\
state: \n\
personas:
  - {id: sam, name: Sam}
stages:
  - name: Return
    touchpoints:
      - name: Print the label
        channel: \n\
        emotion: \n\
        pain_points:
          - text: No printer at home
            severity: \n\
      - name: Drop off
        \n\
        moment_of_truth: true
      - name: Wait for the refund
        emotion:
          sam: \n\
"""


@pytest.mark.parametrize(
    ("marker", "expected"),
    [
        ("kind: ", ["journey", "library"]),
        ("state: ", ["current", "future"]),
        ("channel: ", ["web", "app", "email", "phone", "chat", "store"]),
        ("emotion: ", WORDS),
        ("          sam: ", WORDS),
        ("severity: ", ["low", "medium", "high", "critical"]),
        ("Drop off\n        ", ["channel", "emotion", "pain_points", "opportunities", "thought"]),
    ],
)
def test_completion_where_users_type(
    server: Client, repo: Path, marker: str, expected: list[str]
) -> None:
    """A file in journeys/ without a $schema line gets the schema from .vscode/settings.json."""
    uri, _ = _open(server, repo / "journeys/returns.yaml", COMPLETE)
    line, char = _at(COMPLETE, marker)
    labels = _labels(server.completion(uri, line, char))
    assert set(expected) <= set(labels), labels
    if marker == "kind: ":
        assert labels == ["journey", "library"]


def test_scale_completion_inserts_a_usable_scale(server: Client, repo: Path) -> None:
    text = "journeymap: 1\ntitle: T\nsc\nstages:\n  - name: S\n"
    uri, _ = _open(server, repo / "journeys/scale-key.yaml", text)
    items = {i["label"]: i for i in server.completion(uri, 2, 2)}
    assert items["scale"]["insertText"] == "scale:\n  min: ${1:-3}\n  max: ${2:3}"
    text = "journeymap: 1\ntitle: T\nscale: \nstages:\n  - name: S\n"
    uri, _ = _open(server, repo / "journeys/scale-value.yaml", text)
    (snippet,) = server.completion(uri, 2, 7)
    assert "min: 1\n  max: 5\n  labels:\n    1: ${1:very unhappy}" in snippet["insertText"]


def test_hover_explains_emotion_with_the_default_scale(server: Client, repo: Path) -> None:
    uri, _ = _open(server, repo / "journeys/hover.yaml", COMPLETE)
    line, char = _at(COMPLETE, "        emo")
    text = server.hover(uri, line, char)
    assert text.startswith("#### Emotion")
    assert "| -2 | `frustrated` |" in text
    assert "A journey's own `scale` replaces these numbers and words." in text
    line, char = _at(COMPLETE, "            sev")
    assert "How much it hurts: `low`, `medium` (the default), `high` or `critical`." in (
        server.hover(uri, line, char)
    )


MISTAKES = """\
journeymap: "1"
title: Mistakes
personas:
  - id: sam
    name: Sam
    color: #0072B2
stages:
  - name: Only
    touchpoints:
      - name: A
        emotion: sad
      - name: B
        emotion: {}
        moment_of_truth: yes
        pain_points:
          - 42
          - {text: Slow, severity: High}
"""


def test_common_mistakes_get_plain_messages_on_their_line(server: Client, repo: Path) -> None:
    _, problems = _open(server, repo / "journeys/mistakes.yaml", MISTAKES)
    found = sorted((p["range"]["start"]["line"] + 1, p["message"]) for p in problems)
    assert found == [
        (1, "The format version is the number 1, without quotes: journeymap: 1"),
        (
            6,
            "A colour is #rgb or #rrggbb in quotes, like \"#0072B2\" (without quotes, '#' "
            "starts a comment).",
        ),
        (
            11,
            "On the default scale an emotion is a whole number from -3 to 3 or one of: "
            + ", ".join(WORDS)
            + " (a 'scale' of your own can define other words).",
        ),
        (
            13,
            "An emotion is a whole number on the scale, a scale word, or a mapping of persona "
            "ids to numbers or words with at least one persona, like {sam: happy}.",
        ),
        (14, "Write true or false (yes, no, on and off are text in YAML 1.2)."),
        (
            16,
            'A pain point is text (put a number in quotes, like "42") or a mapping with text '
            "and optional severity, owner and id.",
        ),
        (17, "Severity is one of: low, medium, high, critical (lower case)."),
    ]


def test_a_custom_scale_allows_its_own_words(server: Client, repo: Path) -> None:
    text = (
        "journeymap: 1\ntitle: T\nscale: {min: 1, max: 3, labels: {1: sad, 3: glad}}\n"
        "stages:\n  - name: S\n    touchpoints:\n      - {name: A, emotion: sad}\n"
    )
    _, problems = _open(server, repo / "journeys/custom.yaml", text)
    assert problems == []


def test_other_yaml_files_are_left_alone(server: Client, repo: Path) -> None:
    workflow = repo / ".github/workflows/ci.yml"
    uri = server.open(workflow, workflow.read_text(encoding="utf-8"))
    assert server.diagnostics(uri) == []


CONFIG = """\
render:
  what: [map, ]
  paper: \n\
  x: \n\
  measured: true
  \n\
time:
  \n\
cards:
  comments: false
evidence:
  - id: nps
    file: data/nps.csv
    format: \n\
    query: SELECT * FROM source
"""


@pytest.mark.parametrize(
    ("marker", "expected"),
    [
        ("[map, ", ["curve", "flow", "blueprint"]),
        ("paper: ", ["fit", "a4", "letter", "a3:fit", "tabloid:fit"]),
        ("x: ", ["order", "time"]),
        ("measured: true\n  ", ["formats", "theme", "dpi", "templates"]),
        ("time:\n  ", ["wait", "silent_wait"]),
        ("format: ", ["csv", "jsonl", "parquet"]),
    ],
)
def test_the_config_completes_its_keys_and_values(
    server: Client, repo: Path, marker: str, expected: list[str]
) -> None:
    """journeymap.yaml completes from the copy init wrote, by its modeline alone."""
    config = (repo / "journeymap.yaml").read_text(encoding="utf-8")
    assert config.startswith("# yaml-language-server: $schema=.journeymap/config.schema.json\n")
    assert (repo / ".journeymap/config.schema.json").read_bytes() == (
        ROOT / "schemas/config.schema.json"
    ).read_bytes()
    text = config.split("\n", 1)[0] + "\n" + CONFIG
    uri, _ = _open(server, repo / f"config-{len(marker)}-{marker[:3]}.yaml", text)
    line, char = _at(text, marker)
    labels = _labels(server.completion(uri, line, char))
    assert set(expected) <= set(labels), labels


def test_the_settings_map_the_config_and_hover_explains_it(server: Client, repo: Path) -> None:
    """A journeymap.yaml without the modeline completes through .vscode/settings.json, and
    hover shows each setting's description."""
    text = "\n" + CONFIG.replace("[map, ]", "[map]")
    uri = server.open(repo / "journeymap.yaml", text)  # the editor's text, not the file's
    problems = [p["message"] for p in server.diagnostics(uri)]
    assert problems and all(p.startswith(("Value is not", "Incorrect type")) for p in problems)
    assert {"journeys", "lang", "site", "limits"} <= set(_labels(server.completion(uri, 0, 0)))
    hover = server.hover(uri, *_at(text, "  comm"))
    assert hover.startswith("#### cards: deck defaults")
    assert "real (masked) customer comment" in hover
    assert "on a compressed time scale" in server.hover(uri, *_at(text, "  x"))
    assert "SQL run by DuckDB" in server.hover(uri, *_at(text, "    quer"))


LEVELS = """\
journeymap: 1
title: Levels
evidence:
  - id: nps
    file: data/nps.parquet
    format: parquet
    query: SELECT * FROM source
stages:
  - name: Order
    journey: order.yaml
    \n\
    touchpoints:
      - name: Pay
        \n\
"""


def test_a_journey_completes_and_explains_the_new_keys(server: Client, repo: Path) -> None:
    uri, problems = _open(server, repo / "journeys/levels.yaml", LEVELS)
    assert problems == []
    stage = _labels(server.completion(uri, *_at(LEVELS, "order.yaml\n    ")))
    assert "goal" in stage and "journey" not in stage  # given already
    touchpoint = _labels(server.completion(uri, *_at(LEVELS, "Pay\n        ")))
    assert {"journey", "at", "duration", "evidence", "frontstage"} <= set(touchpoint)
    assert "details this stage" in server.hover(uri, *_at(LEVELS, "    journ"))
    assert "SQL run by DuckDB" in server.hover(uri, *_at(LEVELS, "    quer"))
    assert "parquet" in server.hover(uri, *_at(LEVELS, "    form"))
