"""The atlas of a larger site: the examples plus 50 generated journeys (shared personas,
owners in several spellings, pain points sharing ids, channel switches, levels). Every page
is there, every link resolves, the counts agree with a count made from the YAML itself, and
Chromium clicks through the backlog, an owner, a persona, the channel matrix and a level
link at a desktop and a phone width."""

from __future__ import annotations

import json
import shutil
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
import yaml

from journeymap.render.options import RenderOptions
from journeymap.site.build import build_site
from journeymap.source.loader import load_bytes

pytestmark = pytest.mark.slow
EXAMPLES = Path(__file__).parent.parent / "examples"
COUNT = 50
CHANNELS = ("web", "phone", "store", "email")
SEVERITIES = ("low", "medium", "high", "critical")
LIBRARY = """journeymap: 1
kind: library
personas:
  - {id: gp1, name: Gen One, goals: [Pay quickly]}
  - {id: gp2, name: Gen Two}
  - {id: gp3, name: Gen Three}
channels:
  - {id: web, name: Website}
  - {id: phone, name: Phone}
  - {id: store, name: Store}
  - {id: email, name: Email}
"""


def generated(n: int) -> dict[str, Any]:
    """Journey ``n``: 3 stages of 2 or 3 touchpoints; the first five detail their first
    stage in journey n + 5."""
    stages = []
    k = 0
    for s in range(3):
        tps = []
        for _ in range(2 + (n + s) % 2):
            people = ["gp1", "gp2", "gp3"][: 1 + (n + k) % 3]
            tp: dict[str, Any] = {
                "name": f"Step {s}.{k}",
                "channel": CHANNELS[(n + k) % 4],
                "personas": people,
                "emotion": {p: ((n + k + i) % 7) - 3 for i, p in enumerate(people)},
                "owner": (" team  %d " if k % 2 else "Team %d") % ((n + k) % 6),
            }
            if (n + k) % 3 == 0:
                pain = {"text": f"Pain {n}.{k}", "severity": SEVERITIES[(n + k) % 4]}
                if k % 4 == 0:
                    pain["id"] = f"shared-{k}"  # one item across journeys
                tp["pain_points"] = [pain]
            if (n + k) % 5 == 0:
                tp["opportunities"] = [f"Idea {n}.{k}"]
            tp["moment_of_truth"] = (n + k) % 7 == 0
            tps.append(tp)
            k += 1
        stages.append({"name": f"Stage {s}", "touchpoints": tps})
    if n < 5:
        stages[0]["journey"] = f"j{n + 5:02}.yaml"
    return {
        "journeymap": 1,
        "title": f"Generated {n:02}",
        "owner": f"Team {n % 6}",
        "tags": [f"gen-{n % 4}"],
        "imports": ["../shared-gen/people.yaml"],
        "stages": stages,
    }


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("generated") / "src"
    shutil.copytree(EXAMPLES, root)
    (root / "shared-gen").mkdir()
    (root / "shared-gen" / "people.yaml").write_text(LIBRARY, encoding="utf-8")
    (root / "gen").mkdir()
    for n in range(COUNT):
        text = yaml.safe_dump(generated(n), sort_keys=False, allow_unicode=True)
        (root / "gen" / f"j{n:02}.yaml").write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def site(source: Path) -> Path:
    out = source.parent / "site"
    report = build_site([source], out, RenderOptions(formats=("svg",)), jobs=2, root=source)
    assert report.published and not report.failed, [(o.rel, o.errors) for o in report.failed]
    return out


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href and not href.startswith(("#", "mailto:")):
            self.links.append(href)


def oracle(source: Path) -> dict[str, Any]:
    """Counts made from the YAML alone: backlog items (a pain point id shared across
    journeys is one item), owners (case and spaces ignored), journeys."""
    items: set[str] = set()
    owners: set[str] = set()
    journeys = 0
    for path in sorted(source.rglob("*.yaml")):
        data = load_bytes(path.read_bytes(), path.name).data  # the YAML only, not a check
        if not isinstance(data, dict) or data.get("kind") == "library" or "stages" not in data:
            continue
        journeys += 1
        if data.get("owner"):
            owners.add(" ".join(data["owner"].split()).casefold())
        for stage in data["stages"]:
            for i, tp in enumerate(stage.get("touchpoints") or []):
                if tp.get("owner"):
                    owners.add(" ".join(tp["owner"].split()).casefold())
                for kind in ("pain_points", "opportunities"):
                    for j, note in enumerate(tp.get(kind) or []):
                        note = note if isinstance(note, dict) else {"text": note}
                        if note.get("owner"):
                            owners.add(" ".join(note["owner"].split()).casefold())
                        place = f"{path}:{stage['name']}:{i}:{j}"
                        items.add(f"{kind}:{note['id']}" if note.get("id") else f"{kind}:{place}")
    return {"items": len(items), "owners": len(owners), "journeys": journeys}


def test_every_page_is_there_and_every_link_resolves(site: Path, source: Path) -> None:
    data = json.loads((site / "journeys.json").read_text(encoding="utf-8"))
    atlas = data["atlas"]
    expected = oracle(source)
    assert (
        len(data["journeys"])
        == expected["journeys"]
        == COUNT
        + len([p for p in EXAMPLES.rglob("*.yaml") if "kind: library" not in p.read_text()])
    )
    assert len(atlas["backlog"]) == expected["items"]
    assert atlas["figures"]["owners"] == len(atlas["owners"]) == expected["owners"]
    pages = ["index.html", "backlog.html", "channels.html"]
    pages += [o["page"] for o in atlas["owners"]] + [p["page"] for p in atlas["personas"]]
    pages += [j["page"] for j in data["journeys"]]
    assert any(p["name"] == "Gen One" and len(p["journeys"]) == COUNT for p in atlas["personas"])
    assert [node["title"] for node in atlas["tree"]][:5] == [f"Generated {n:02}" for n in range(5)]
    for page in pages:
        parser = Links()
        parser.feed((site / page).read_text(encoding="utf-8"))
        for href in parser.links:
            target = (site / page).parent / unquote(urlsplit(href).path)
            assert target.resolve().is_file(), f"{page}: {href}"


@pytest.mark.browser
@pytest.mark.parametrize("width", [1400, 390])
def test_click_through_the_atlas(site: Path, width: int, tmp_path: Path) -> None:
    from test_atlas_browser import click, sized

    widths: dict[str, int] = {}
    with sized(width) as b:

        def look(name: str) -> None:
            widths[name] = int(b.evaluate("document.documentElement.scrollWidth"))
            b.screenshot(tmp_path / f"{name}-{width}.png")

        b.navigate((site / "backlog.html").as_uri())
        shown = b.evaluate(
            "(function () { const set = (id, v) => { const el = document.getElementById(id);"
            " el.value = v; el.dispatchEvent(new Event('change')); };"
            " document.querySelector('th button[data-sort=\"severity\"]').click();"
            " set('filter-owners', 'Team 1');"
            " const rows = Array.from(document.querySelectorAll('tr.item')).filter(r => !r.hidden);"
            " return JSON.stringify(rows.map(r => r.dataset.severity)); })()"
        )
        severities = json.loads(shown)
        assert severities and severities == sorted(
            severities, key=lambda s: -("none", *SEVERITIES).index(s)
        )
        look("backlog")
        assert "/owner-" in click(b, "tr.item:not([hidden]) a[href^='owner-']")
        look("owner")
        b.navigate((site / "index.html").as_uri())
        b.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        assert click(b, "a[href='persona-gp1.html']").endswith("/persona-gp1.html")
        look("persona")
        assert click(b, "nav a[href='channels.html']").endswith("/channels.html")
        look("channels")
        b.navigate((site / "index.html").as_uri())
        assert click(b, ".atlas-tree a[href='j00/index.html']").endswith("/j00/index.html")
        assert click(b, "svg a[href='../j05/index.html']").endswith("/j05/index.html")
        look("level")
    assert all(w <= width for w in widths.values()), widths
