"""The journey atlas: backlog, owner, persona and channel pages across the site, checked
against values computed by hand for the journeys in ``tests/atlas/``."""

from __future__ import annotations

import json
import shutil
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from journeymap.render.options import RenderOptions
from journeymap.site.atlas import aggregate, owner_key, priority, public
from journeymap.site.build import build_site
from journeymap.site.cache import MANIFEST, Manifest
from journeymap.site.pages import journeys_json

FIXTURE = Path(__file__).parent / "atlas"
SCHEMA = Path(__file__).parent.parent / "schemas" / "site.schema.json"


class Elements(HTMLParser):
    """Every start tag with its attributes, and the text inside each element by tag path."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(path: Path) -> Elements:
    parser = Elements()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("atlas") / "site"
    report = build_site([FIXTURE], out, RenderOptions(formats=("svg",)), jobs=1)
    assert report.published and not report.failed
    return out


@pytest.fixture(scope="module")
def atlas(site: Path) -> dict[str, Any]:
    """The aggregates, from the summaries the build keeps in its manifest."""
    entries = Manifest.read(site).entries.values()
    return aggregate([e.summary for e in entries if not e.library])


def test_priority_by_hand() -> None:
    assert priority("critical", 1, True) == 8 * 1 * 2
    assert priority("high", 2, False) == 4 * 2
    assert priority("low", 0, False) == 1  # a journey without personas reaches one
    assert priority(None, 3, True) == 1 * 3 * 2  # an opportunity weighs 1
    assert priority("high", 2, False, 0.5) == 4 * 2 * 1.5  # half the scale below: x 1.5
    assert priority("low", 1, False, 3.0) == 2  # the gap factor is at most 2
    assert priority("medium", 1, True, 0.125) == 4.5


def test_owner_names_ignore_case_and_spaces() -> None:
    assert owner_key("  cx   Team ") == owner_key("CX team") == "cx team"


def test_backlog_items_priorities_and_merged_places(atlas: dict[str, Any]) -> None:
    rows = [
        (i["text"], i["kind"], i["severity"], i["personas_reached"], i["priority"], i["owners"])
        for i in atlas["backlog"]
    ]
    assert rows == [
        ("Hold music", "pain", "critical", 1, 16, ["Support"]),  # 8 x 1 persona x 2 (truth)
        # one id in two journeys: worst severity (high), Ana + Ben reached: 4 x 2
        ("=SUM(A1) slow <script>", "pain", "high", 2, 8, ["CX Team", "Support"]),
        ("Call back", "opportunity", None, 1, 2, ["CX Team"]),  # 1 x 1 x 2 (truth)
        ("Spam", "pain", "low", 1, 1, []),  # the implicit persona counts once; nobody owns it
    ]
    slow = atlas["backlog"][1]
    assert [(p["title"], p["touchpoint"], p["severity"]) for p in slow["places"]] == [
        ("Alpha <b>&</b>", "Search", "high"),
        ("Beta", "Pay", "medium"),
    ]


def test_figures_owners_personas_switches(atlas: dict[str, Any]) -> None:
    assert atlas["figures"] == {
        "journeys": 3,
        "touchpoints": 4,
        "pain_points": {"critical": 1, "high": 1, "medium": 0, "low": 1},
        "opportunities": 1,
        "owners": 2,
    }
    owners = {o["name"]: [i["text"] for i in o["items"]] for o in atlas["owners"]}
    assert owners == {
        "CX Team": ["=SUM(A1) slow <script>", "Call back"],  # journey and touchpoint owner
        "Support": ["Hold music", "=SUM(A1) slow <script>"],  # note and journey owner
    }
    people = {p["name"]: [j["title"] for j in p["journeys"]] for p in atlas["personas"]}
    assert people == {"Ana": ["Alpha <b>&</b>"], "Ben": ["Alpha <b>&</b>", "Beta"]}
    ben = next(p for p in atlas["personas"] if p["name"] == "Ben")
    assert [j["curve"] for j in ben["journeys"]] == [[round(2 / 6, 4)], [0.5]]
    assert [(s["source"], s["target"], s["pain"]) for s in atlas["switches"]] == [
        ("Search", "Call", True)
    ]


def test_backlog_page_rows_escaped_and_explained(site: Path) -> None:
    page = parse(site / "backlog.html")
    rows = [a for tag, a in page.tags if tag == "tr" and "item" in a.get("class", "")]
    assert [int(r["data-priority"]) for r in rows] == [16, 8, 2, 1]
    row = json.loads(rows[1]["data-row"])
    assert row["journeys"] == ["Alpha <b>&</b>", "Beta"]
    assert row["personas"] == ["Ana", "Ben"]
    assert row["text"] == "=SUM(A1) slow <script>"
    assert row["places"] == ["Alpha <b>&</b> > Discover > Search", "Beta > Order > Pay"]
    assert "priority = severity weight" in "".join(page.text)
    raw = (site / "backlog.html").read_text(encoding="utf-8")
    assert "slow <script>" not in raw and "&lt;script&gt;" in raw
    assert "<b>&</b>" not in raw


def test_pages_and_index_links(site: Path, atlas: dict[str, Any]) -> None:
    names = {"backlog.html", "channels.html", "owner-cx-team.html", "owner-support.html"}
    names |= {"persona-ana.html", "persona-ben.html"}
    assert names <= {p.name for p in site.iterdir()}
    index = parse(site / "index.html")
    links = {a["href"] for tag, a in index.tags if tag == "a"}
    assert names <= links
    text = " ".join("".join(index.text).split())
    assert "3 journeys" in text and "4 touchpoints" in text and "2 owners" in text
    assert "1 Critical 1 High 0 Medium 1 Low" in text
    owner = " ".join("".join(parse(site / "owner-support.html").text).split())
    assert owner.index("Hold music") < owner.index("=SUM(A1) slow")  # worst first
    manifest = json.loads((site / MANIFEST).read_text())
    assert names <= set(manifest["top"])  # a rebuild removes pages of owners that left


def test_channel_page_highlights_a_switch_with_pain(site: Path) -> None:
    page = parse(site / "channels.html")
    switches = [a for tag, a in page.tags if tag == "tr" and "switch" in a.get("class", "")]
    assert [a["class"] for a in switches] == ["switch switch-pain"]


def test_journeys_json_has_the_atlas_and_matches_its_schema(site: Path) -> None:
    data = json.loads((site / "journeys.json").read_text(encoding="utf-8"))
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(data)
    atlas = data["atlas"]
    assert [(i["key"], i["priority"]) for i in atlas["backlog"]] == [
        ("item-1", 16), ("item-2", 8), ("item-3", 2), ("item-4", 1),
    ]  # fmt: skip
    assert {o["name"]: o["items"] for o in atlas["owners"]} == {
        "CX Team": ["item-2", "item-3"],
        "Support": ["item-1", "item-2"],
    }
    assert atlas["priority"]["severity_weight"] == {"low": 1, "medium": 2, "high": 4, "critical": 8}
    assert atlas["figures"]["owners"] == 2
    assert all("atlas" not in j for j in data["journeys"])
    broken = dict(data, atlas=dict(atlas, figures={}))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(schema).validate(broken)


def test_every_atlas_link_resolves(site: Path) -> None:
    pages = ["backlog.html", "channels.html", "index.html"]
    pages += [p.name for p in site.glob("owner-*.html")] + [
        p.name for p in site.glob("persona-*.html")
    ]
    for name in pages:
        for tag, attrs in parse(site / name).tags:
            if tag == "a" and attrs.get("href", "#") != "#":
                target = attrs["href"].split("#", 1)[0]
                assert "://" not in target and (site / target).is_file(), (name, target)


def test_measured_evidence_reaches_the_places(site: Path) -> None:
    summaries = [dict(e.summary) for e in Manifest.read(site).entries.values() if not e.library]
    beta = next(s for s in summaries if s["title"] == "Beta")
    measure = {"touchpoint": "pay", "source": "survey", "n": 40, "mean": 2.5, "measured": -0.5,
               "assumed": 0.0, "gap": -0.5, "margin": 0.2, "nps": None, "low_n": False}  # fmt: skip
    beta["evidence"] = {"measures": [measure], "largest_gap": 0.5, "nps": None,
                        "largest_gap_at": {"touchpoint": "pay", "name": "Pay"}}  # fmt: skip
    data = aggregate(summaries)
    published = json.loads(journeys_json(summaries, public(data)))
    jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text())).validate(published)
    slow = next(i for i in data["backlog"] if i["id"] == "slow")
    assert [p["measured"] for p in slow["places"]] == [
        None,
        {"source": "survey", "n": 40, "measured": -0.5, "assumed": 0.0, "gap": -0.5},
    ]
    # measured 0.5 below the assumed 0 on a -3..3 scale: a gap of 0.5 / 6 of the scale;
    # high 4 x Ana and Ben 2 x no moment of truth 1 x (1 + 0.0833) = 8.67 (was 8)
    assert (slow["measured_gap"], slow["priority"]) == (0.0833, 8.67)
    assert [i["text"] for i in data["backlog"]][:3] == ["Hold music", slow["text"], "Call back"]
    measure |= {"measured": 0.5, "gap": 0.5}  # measured better than assumed: no gap
    data = aggregate(summaries)
    slow = next(i for i in data["backlog"] if i["id"] == "slow")
    assert (slow["measured_gap"], slow["priority"]) == (0, 8)


def test_a_rebuild_reuses_unchanged_journeys_and_redoes_the_atlas(tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(FIXTURE, src)
    out = tmp_path / "site"
    options = RenderOptions(formats=("svg",))
    assert build_site([src], out, options, jobs=1).published
    gamma = (src / "gamma.yaml").read_text(encoding="utf-8")
    (src / "gamma.yaml").write_text(gamma.replace("severity: low", "severity: critical"))
    report = build_site([src], out, options, jobs=1)
    assert [o.rel for o in report.outcomes] == ["gamma.yaml"]
    assert "alpha.yaml" in report.reused
    data = json.loads((out / "journeys.json").read_text(encoding="utf-8"))["atlas"]
    assert [(i["text"], i["priority"]) for i in data["backlog"]] == [
        ("Hold music", 16),
        ("Spam", 8),
        ("=SUM(A1) slow <script>", 8),
        ("Call back", 2),
    ]  # a tie goes to the worse severity: critical 8 x 1 before high 4 x 2
