"""The journey page's blueprint view: in Chromium at 1,400 and 390 px from file://, the view
links, the blueprint in the pan/zoom viewer with its lane labels kept in sight and a click on
a cell giving the touchpoint's blueprint details; and which journeys get the view."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from test_site_browser import examples, probe, site  # noqa: F401 (fixtures)

import journeymap
from journeymap.site.pages import journey_page, summary, touchpoint_details
from journeymap.text.locale import messages

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "schemas" / "site.schema.json"
BACKSTAGE = messages("de")("detail.backstage")

BLUEPRINT = """
const out = {errors: window.__errors, width: window.innerWidth,
  scroll: document.documentElement.scrollWidth};
out.nav = Array.from(document.querySelectorAll('nav.views a')).map(a => [a.textContent,
  a.getAttribute('href'), !!document.getElementById(a.getAttribute('href').slice(1))]);
const view = document.querySelector('.viewer-blueprint');
const svg = view.querySelector('.viewer-content > svg');
out.svg = svg.getAttribute('class');
out.lines = Array.from(svg.querySelectorAll('.blueprint-line text')).map(t => t.textContent);
const stage = view.querySelector('.viewer-stage');
const box = stage.getBoundingClientRect();
out.stageRight = box.right;
const scale = () => parseFloat(view.getAttribute('data-scale'));
out.start = scale();
view.querySelector('[data-action="zoom-in"]').click();
out.zoomIn = scale();
const pointer = (type, id, x, y) => (type === 'pointerdown' ? stage : window).dispatchEvent(
  new PointerEvent(type, {pointerId: id, clientX: x, clientY: y, bubbles: true}));
pointer('pointerdown', 1, box.left + 300, box.top + 200);
pointer('pointermove', 1, box.left + 50, box.top + 150);
pointer('pointerup', 1, box.left + 50, box.top + 150);
out.panned = parseFloat(view.getAttribute('data-x'));
const labels = view.querySelector('.viewer-labels');
out.labels = !labels.hidden && labels.getBoundingClientRect().width > 50;
const data = JSON.parse(document.getElementById('jm-touchpoints').textContent);
const tp = data.find(t => t.facts.some(f => f[0] === 'Frontstage actions'));
const cell = document.getElementById(tp.elements.find(e => e.includes('-bp-customer-')));
pointer('pointerdown', 2, 0, 0); pointer('pointerup', 2, 0, 0);
cell.querySelector('text').dispatchEvent(new MouseEvent('click', {bubbles: true}));
const panel = view.querySelector('.viewer-details');
out.details = panel.hidden ? null : panel.textContent;
out.name = tp.name;
out.frontstage = tp.facts.filter(f => f[0] === 'Frontstage actions').map(f => f[1]);
out.href = view.querySelector('.viewer-full').getAttribute('href');
return out;
"""


@pytest.mark.browser
@pytest.mark.exe
@pytest.mark.slow
@pytest.mark.parametrize("width", [1400, 390])
def test_the_blueprint_view_pans_zooms_and_shows_a_touchpoints_lanes(
    site: Path,  # noqa: F811
    width: int,
) -> None:
    r = probe(site / "bank" / "index.html", BLUEPRINT, width)
    assert r["errors"] == [], r
    assert r["scroll"] <= r["width"] and r["stageRight"] <= r["width"]
    assert r["nav"] == [
        ["Journey map", "#map", True],
        ["Emotion curve", "#curve", True],
        ["Flow", "#flow", True],
        ["Service blueprint", "#blueprint", True],
    ]
    assert "blueprint" in r["svg"].split()
    assert r["lines"] == [
        "Line of interaction",
        "Line of visibility",
        "Line of internal interaction",
    ]
    assert r["zoomIn"] == pytest.approx(r["start"] * 1.25, rel=1e-3)
    assert r["panned"] < 0 and r["labels"]
    assert r["details"] and r["details"].startswith(r["name"])
    assert r["frontstage"] and all(step in r["details"] for step in r["frontstage"])
    assert r["href"] == "blueprint.svg" and (site / "bank" / "blueprint.svg").is_file()


def test_only_journeys_with_blueprint_lanes_get_the_view(site: Path) -> None:  # noqa: F811
    for page in sorted(site.glob("*/index.html")):
        html = page.read_text(encoding="utf-8")
        lanes = journeymap.load(site.parent / "examples" / f"{page.parent.name}.yaml").has_blueprint
        assert ('class="viewer viewer-blueprint"' in html) is lanes, page.parent.name
        assert ('href="#blueprint"' in html) is lanes, page.parent.name
        assert (page.parent / "blueprint.svg").is_file() is lanes, page.parent.name


def test_details_list_the_blueprint_lanes_with_their_actors(examples: Path) -> None:  # noqa: F811
    journey = journeymap.load(examples / "bank.yaml")
    details = {d["id"]: d for d in touchpoint_details(journey)}
    tp = next(tp for tp in journey.touchpoints if tp.frontstage and tp.support and tp.evidence)
    facts = details[tp.id]["facts"]
    assert [v for k, v in facts if k == "Physical evidence"] == list(tp.evidence)
    assert [v for k, v in facts if k == "Support processes"] == [
        journey.step_label(s) for s in tp.support
    ]
    actor = journey.actor(tp.frontstage[0].actor)
    assert actor is not None and f"({actor.name})" in dict(facts)["Frontstage actions"]
    assert f"jm-{journey.id}-bp-customer-{tp.id}" in details[tp.id]["elements"]
    fails = [n.text for t in journey.touchpoints for n in t.pain_points if n.fail_point]
    listed = [v for d in details.values() for k, v in d["facts"] if k == "Fail point"]
    assert listed == fails and fails


def test_a_journey_without_lanes_keeps_its_page(tmp_path: Path) -> None:
    path = tmp_path / "j.yaml"
    path.write_text(
        "journeymap: 1\ntitle: Termin\nlang: de\nstages:\n  - name: Anmeldung\n"
        "    touchpoints:\n      - name: Empfang\n        action: Ich melde mich an.\n"
        "        backstage: Zwei MFA teilen sich Telefon und Empfang.\n",
        encoding="utf-8",
    )
    journey = journeymap.load(path)
    assert not journey.has_blueprint
    page = journey_page(journey, tmp_path, ["map.svg", "flow.svg"], None, []).decode()
    assert "viewer-blueprint" not in page and "#blueprint" not in page
    facts = [f for d in touchpoint_details(journey) for f in d["facts"]]
    assert [v for k, v in facts if k == BACKSTAGE] == ["Zwei MFA teilen sich Telefon und Empfang."]
    lanes = {messages("de")(f"blueprint.lane.{lane}") for lane in ("evidence", "support")}
    assert not lanes & {k for k, _ in facts}


def test_the_summary_carries_the_blueprint_and_matches_the_schema(examples: Path) -> None:  # noqa: F811
    # One journey's entry, without the site-wide atlas.
    schema = dict(json.loads(SCHEMA.read_text(encoding="utf-8")), required=["journeys"])
    journey = journeymap.load(examples / "bank.yaml")
    # journeys.json carries the summary without its atlas facts.
    entry = summary(journey, "bank", "bank.yaml", ["blueprint.svg"])
    del entry["atlas"]
    jsonschema.Draft202012Validator(schema).validate({"journeys": [entry]})
    blueprint = entry["blueprint"]
    assert blueprint["lanes"] is True
    assert blueprint["steps"]["support"] == sum(len(tp.support) for tp in journey.touchpoints)
    assert blueprint["fail_points"] >= 3 and blueprint["elapsed"] > 86400
    bad = dict(entry, blueprint=dict(blueprint, steps={"support": -1}))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(schema).validate({"journeys": [bad]})


INSIDE = """
const out = {errors: window.__errors, outside: []};
document.querySelectorAll('.viewer-stage > .viewer-content > svg').forEach(svg => {
  const box = svg.getBoundingClientRect();
  svg.querySelectorAll('text').forEach(t => {
    const r = t.getBoundingClientRect();
    if (r.width && (r.left < box.left - 1 || r.right > box.right + 1)) {
      out.outside.push([svg.getAttribute('class'), t.textContent]);
    }
  });
});
out.views = document.querySelectorAll('.viewer').length;
return out;
"""


@pytest.mark.browser
@pytest.mark.exe
@pytest.mark.slow
@pytest.mark.parametrize("slug", ["mobile-he", "bakery-ar"])
def test_right_to_left_pages_draw_every_text_inside_its_drawing(
    site: Path,  # noqa: F811
    slug: str,
) -> None:
    # The page is dir="rtl"; the inline SVGs must still lay out text as they do on their own
    # (text-anchor="end" on the blueprint's line labels read in the page's direction ran
    # them off the drawing's right edge).
    r = probe(site / slug / "index.html", INSIDE, 1400)
    assert r["errors"] == [] and r["views"] == 3, r
    assert r["outside"] == []
