"""The published JSON Schema: meta-valid, documented, and agreeing with jsonschema."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from journeymap.check.schema import ANNOTATIONS, KEYWORDS, Checker, journey_schema
from journeymap.source.loader import load_bytes
from journeymap.source.resources import schema_path

ROOT = Path(__file__).resolve().parent.parent
CASES = Path(__file__).parent / "cases"
DATA_FILES = sorted(ROOT.glob("examples/**/*.yaml")) + sorted((CASES / "valid").glob("*.yaml"))


def _schemas(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for key, value in node.items():
            if key in ("properties", "$defs"):
                for sub in value.values():
                    yield from _schemas(sub)
            elif key in ("items", "additionalProperties", "if", "then", "else", "propertyNames"):
                yield from _schemas(value)
            elif key in ("oneOf", "anyOf"):
                for sub in value:
                    yield from _schemas(sub)


def test_schema_is_valid_2020_12() -> None:
    schema = json.loads(schema_path().read_text())
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def test_schema_uses_only_keywords_our_checker_evaluates() -> None:
    for sub in _schemas(journey_schema()):
        assert set(sub) <= KEYWORDS | ANNOTATIONS, set(sub) - KEYWORDS - ANNOTATIONS


def test_every_property_has_a_description() -> None:
    for sub in _schemas(journey_schema()):
        for name, prop in sub.get("properties", {}).items():
            assert prop.get("description"), f"property {name} has no description"


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: p.name)
def test_jsonschema_accepts_every_valid_file(path: Path) -> None:
    data = load_bytes(path.read_bytes(), str(path)).data
    jsonschema.Draft202012Validator(journey_schema()).validate(data)


@pytest.mark.parametrize(
    "data",
    [
        {"journeymap": 1, "title": "x"},
        {"journeymap": True, "title": "x", "stages": [{"name": "a"}]},
        {"journeymap": 1, "title": "x", "stages": [{"name": "a", "touchpionts": []}]},
        {
            "journeymap": 1,
            "title": "x",
            "stages": [
                {
                    "name": "a",
                    "touchpoints": [
                        {"name": "t", "emotion": [1]},
                        {"name": "u", "pain_points": [{"severity": "low"}]},
                    ],
                }
            ],
        },
        {"journeymap": 1, "kind": "library", "personas": [{"id": "a"}]},
        {
            "journeymap": 1,
            "title": "x",
            "stages": [{"name": "a"}],
            "scale": {"min": 1, "max": 5, "labels": {"x": "y"}},
        },
        {
            "journeymap": 1,
            "title": "x",
            "stages": [{"name": "a"}],
            "personas": [{"id": "has space", "name": "n", "color": "red"}],
        },
    ],
)
def test_checker_and_jsonschema_agree_on_invalid_data(data: dict[str, Any]) -> None:
    ours = Checker(journey_schema()).check(data, journey_schema())
    theirs = list(jsonschema.Draft202012Validator(journey_schema()).iter_errors(data))
    assert ours and theirs


@pytest.mark.exe
def test_check_jsonschema_accepts_the_examples() -> None:
    tool = shutil.which("check-jsonschema")
    if tool is None:
        pytest.skip("check-jsonschema is not installed")
    files = [str(p) for p in sorted(ROOT.glob("examples/**/*.yaml"))]
    proc = subprocess.run(
        [tool, "--schemafile", str(schema_path()), *files],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def _journey(emotion: Any, scale: dict[str, Any] | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "journeymap": 1,
        "title": "x",
        "personas": [{"id": "sam", "name": "Sam"}],
        "stages": [{"name": "a", "touchpoints": [{"name": "t", "emotion": emotion}]}],
    }
    if scale is not None:
        data["scale"] = scale
    return data


@pytest.mark.parametrize("emotion", ["happy", "Happy", " DELIGHTED ", -3, 3, {"sam": "uneasy"}])
def test_editor_schema_accepts_default_scale_emotions(emotion: Any) -> None:
    jsonschema.Draft202012Validator(journey_schema()).validate(_journey(emotion))


@pytest.mark.parametrize("emotion", ["sad", 4, -4, {"sam": "sad"}, {"sam": 9}])
def test_editor_schema_flags_what_the_default_scale_lacks(emotion: Any) -> None:
    """The editor sees `emotion: sad` as wrong; our checker leaves it to the semantic check,
    which knows the journey's real scale and suggests the nearest word (one message, not two)."""
    data = _journey(emotion)
    assert list(jsonschema.Draft202012Validator(journey_schema()).iter_errors(data))
    assert Checker(journey_schema()).check(data, journey_schema()) == []


def test_a_scale_of_your_own_allows_its_own_words() -> None:
    data = _journey("sad", {"min": 1, "max": 5, "labels": {"1": "sad"}})
    jsonschema.Draft202012Validator(journey_schema()).validate(data)


def test_kind_offers_both_values_in_a_journey() -> None:
    assert journey_schema()["$defs"]["journey"]["properties"]["kind"]["enum"] == [
        "journey",
        "library",
    ]


def test_schema_text_has_no_known_typos() -> None:
    text = schema_path().read_text(encoding="utf-8")
    for typo in ("A opportunity", "opportunitys"):
        assert typo not in text
    notes = journey_schema()["$defs"]["touchpoint"]["properties"]["opportunities"]["items"]
    assert "hurts" not in notes["then"]["properties"]["severity"]["description"]


def test_scale_snippets_insert_valid_scales() -> None:
    import re

    snippets = journey_schema()["$defs"]["scale"]["defaultSnippets"]
    assert snippets
    for snippet in snippets:
        body = json.loads(re.sub(r"\$\{\d+:([^}]*)\}", r"\1", json.dumps(snippet["body"])))
        assert body["min"] < body["max"]
        scale = {"min": body["min"], "max": body["max"], "labels": body["labels"]}
        jsonschema.Draft202012Validator(journey_schema()).validate(_journey(body["min"], scale))
