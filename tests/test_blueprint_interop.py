"""Blueprint lanes and times outside the pictures: Mermaid comments, diff, JSON export."""

from __future__ import annotations

import json
from pathlib import Path

from journeymap.check.validate import load
from journeymap.interop.diff import compare, to_markdown
from journeymap.interop.export import to_json
from journeymap.interop.mermaid import export

VALID = Path(__file__).parent / "cases" / "valid" / "blueprint-and-time.yaml"


def test_mermaid_lists_the_lanes_and_times_as_comments() -> None:
    text = export(load(VALID))
    for line in (
        "      %% evidence: Receipt",
        "      %% frontstage: Greets the customer; Checks the ID (Counter clerk)",
        "      %% support: Stores the application (Core banking)",
        "      %% backstage: Prints the card (post); Posts it",
        "      %% at: 1.5 h",
        "      %% duration: 3 days",
        "      %% pain point (medium, fail point): The scanner jams",
        "      %% pain point (medium): Plain pain point",
    ):
        assert line in text.splitlines()


def test_diff_reports_lane_and_time_changes(tmp_path: Path) -> None:
    text = VALID.read_text(encoding="utf-8")
    changed = text.replace("Checks the ID, actor: clerk", "Checks the ID twice, actor: clerk")
    changed = changed.replace("at: PT2H", "at: PT3H").replace(
        "[Paper form, Receipt]", "[Paper form]"
    )
    new = tmp_path / "new.yaml"
    new.write_text(changed, encoding="utf-8")
    d = compare(load(VALID), load(new))
    assert not d.empty
    assert d.times == [("card-arrives", "at", 7200, 10800)]
    assert d.lanes == [
        ("fill-in-the-form", "evidence", ["Receipt"], []),
        (
            "fill-in-the-form",
            "frontstage",
            ["Checks the ID (Counter clerk)"],
            ["Checks the ID twice (Counter clerk)"],
        ),
    ]
    summary = to_markdown(d)
    assert "### Blueprint" in summary and "- At of Card arrives: 2 h → 3 h" in summary
    assert compare(load(VALID), load(VALID)).empty


def test_json_export_carries_lanes_actors_and_times() -> None:
    data = json.loads(to_json(load(VALID)))
    assert data["actors"][1] == {
        "id": "core",
        "name": "Core banking",
        "kind": "system",
        "color": "#0072B2",
    }
    tp = data["stages"][0]["touchpoints"][0]
    assert tp["evidence"] == ["Paper form", "Receipt"]
    assert tp["frontstage"][1] == {"text": "Checks the ID", "actor": "clerk"}
    assert (tp["at"], tp["duration"]) == (0, 90)
    assert tp["pain_points"][0]["fail_point"] is True
    assert data["stages"][0]["duration"] == 259200
