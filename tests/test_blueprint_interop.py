"""Blueprint lanes and times outside the pictures: Mermaid comments, diff, JSON export,
site, staff cards."""

from __future__ import annotations

import json
from pathlib import Path

from journeymap.check.validate import load
from journeymap.interop.diff import compare, to_markdown
from journeymap.interop.export import to_json
from journeymap.interop.mermaid import export
from journeymap.render.cards.scenarios import collect
from journeymap.render.options import RenderOptions
from journeymap.site.build import build_site

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
    assert "### Service blueprint" in summary and "### Times" in summary
    assert "- Physical evidence of Fill in the form: ~~Receipt~~" in summary
    assert "- Time after the start at Card arrives: 2 hours → 3 hours" in summary
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


def test_site_links_the_blueprint_of_journeys_that_have_one(tmp_path: Path) -> None:
    src = tmp_path / "journeys"
    src.mkdir()
    (src / "with.yaml").write_bytes(VALID.read_bytes())
    plain = "journeymap: 1\ntitle: Plain\nstages:\n  - name: S\n    touchpoints:\n      - name: A\n"
    (src / "plain.yaml").write_text(plain, encoding="utf-8")
    site = tmp_path / "site"
    build_site([src], site, RenderOptions(formats=("svg",)), jobs=1)
    page = (site / "with" / "index.html").read_text(encoding="utf-8")
    assert '<h2 id="blueprint">Service blueprint</h2>' in page
    assert 'class="viewer viewer-blueprint"' in page and '<a href="#blueprint">' in page
    assert (site / "with" / "blueprint.svg").is_file()
    assert not (site / "plain" / "blueprint.svg").exists()
    assert 'id="blueprint"' not in (site / "plain" / "index.html").read_text(encoding="utf-8")
    summaries = {s["id"]: s for s in json.loads((site / "journeys.json").read_bytes())["journeys"]}
    assert summaries["with"]["blueprint"] == {
        "lanes": True,
        "steps": {"physical_evidence": 3, "frontstage": 2, "backstage": 3, "support": 4},
        "actors": [
            {"id": "clerk", "name": "Counter clerk", "kind": "staff"},
            {"id": "core", "name": "Core banking", "kind": "system"},
            {"id": "post", "name": "post", "kind": "staff"},
        ],
        "fail_points": 1,
        "timed": 4,
        "elapsed": 777600,
    }
    assert summaries["plain"]["blueprint"]["actors"] == []
    assert summaries["plain"]["blueprint"]["lanes"] is False


def test_staff_card_lists_what_you_can_rely_on_and_the_fail_points() -> None:
    plays = {p.touchpoint.id: p for p in collect(load(VALID)) if p.touchpoint}
    staff = {s.heading: s for s in plays["fill-in-the-form"].staff}
    assert staff["What you can rely on"].bullets == (
        "Greets the customer.",
        "Counter clerk: Checks the ID.",
        "Scans the form.",
        "Core banking: Stores the application.",
    )
    assert staff["Where the service can break"].bullets == ("The scanner jams.",)
    assert "Behind the scenes" not in staff["The situation"].paragraphs[0]


def test_staff_card_of_a_journey_without_lanes_is_as_before(tmp_path: Path) -> None:
    from test_blueprint_render import _without_lanes

    journey = load(
        _without_lanes(Path(__file__).parent.parent / "examples" / "hotel-ja.yaml", tmp_path)
    )
    assert not journey.has_blueprint
    for play in collect(journey):
        headings = [s.heading for s in play.staff]
        assert not {"頼りにできること", "サービスが失敗しうる点"} & set(headings)
