"""Levels: a stage or touchpoint names the sub-journey that details it (``journey:``); it is
checked like an import, the maps link both ways, and a site links pages and shows the tree."""

from __future__ import annotations

import base64
import json
import re
import shutil
import xml.etree.ElementTree as ET
import zlib
from pathlib import Path

import pytest
from test_atlas import site as site  # the atlas fixture's site: its journeys have levels

from journeymap.check.validate import load, validate_file
from journeymap.commands.cli import main
from journeymap.render.options import RenderOptions
from journeymap.site.build import build_site
from journeymap.site.cache import MANIFEST, ManifestError, parse_manifest

FIXTURE = Path(__file__).parent / "atlas"
SVG = "{http://www.w3.org/2000/svg}"


def journey(path: Path, *lines: str, title: str | None = None) -> Path:
    """A small journey file: one stage 'S' with a touchpoint 'T'; ``lines`` go under it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    body = "\n".join(
        [
            "journeymap: 1",
            f"title: {title or path.stem}",
            "stages:",
            "  - name: S",
            "    touchpoints:",
            "      - name: T",
            *lines,
        ]
    )
    path.write_text(body + "\n", encoding="utf-8")
    return path


def errors(path: Path, root: Path) -> list[str]:
    result = validate_file(path, root)
    return [f"{d.line}:{d.col}: {d.code}: {d.message}" for d in result.diagnostics]


def test_a_stage_and_a_touchpoint_name_their_sub_journeys(tmp_path: Path) -> None:
    journey(tmp_path / "detail" / "buy.yaml", title="Buying in detail")
    top = tmp_path / "top.yaml"
    top.write_text(
        "journeymap: 1\ntitle: Top\nstages:\n  - name: Buy\n    journey: detail/buy.yaml\n"
        "    touchpoints:\n      - name: Pay\n        journey: ./detail/../detail/buy.yaml\n",
        encoding="utf-8",
    )
    loaded = load(top, tmp_path)
    target = (tmp_path / "detail" / "buy.yaml").resolve()
    assert loaded.stages[0].detail is not None
    assert (loaded.stages[0].detail.path, loaded.stages[0].detail.title) == (
        target,
        "Buying in detail",
    )
    assert loaded.touchpoints[0].detail == loaded.stages[0].detail
    assert [level.path for level in loaded.details] == [target, target]


def test_missing_outside_and_library_sub_journeys_are_located_errors(tmp_path: Path) -> None:
    root = tmp_path / "project"
    (tmp_path / "outside.yaml").write_text("journeymap: 1\n", encoding="utf-8")
    (root / "lib.yaml").parent.mkdir(parents=True)
    (root / "lib.yaml").write_text("journeymap: 1\nkind: library\n", encoding="utf-8")
    (root / "broken.yaml").write_text("journeymap: 1\ntitle: 'open\n", encoding="utf-8")
    top = journey(
        root / "top.yaml",
        "        journey: nowhere.yaml",
        "      - name: U",
        "        journey: ../outside.yaml",
        "      - name: V",
        "        journey: lib.yaml",
        "      - name: W",
        "        journey: broken.yaml",
    )
    found = errors(top, root)
    assert found[:3] == [
        "7:18: bad-level: sub-journey 'nowhere.yaml' not found (looked for "
        f"{(root / 'nowhere.yaml').resolve()})",
        "9:18: bad-level: sub-journey '../outside.yaml' leaves the project root "
        f"({root.resolve()}); keep detailed journeys inside it (or choose the root with --root)",
        "11:18: bad-level: sub-journey 'lib.yaml' is a library (kind: library), not a journey; "
        "name a journey file, or list a library under 'imports'",
    ]
    assert found[3].startswith("13:18: bad-level: sub-journey 'broken.yaml' cannot be read: ")
    assert len(found) == 4


def test_cycles_are_refused_with_the_cycle_shown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    journey(tmp_path / "a.yaml", "        journey: b.yaml")
    journey(tmp_path / "b.yaml", "        journey: sub/c.yaml")
    journey(tmp_path / "sub" / "c.yaml", "        journey: ../a.yaml")
    journey(tmp_path / "self.yaml", "        journey: self.yaml")
    journey(tmp_path / "d.yaml", "        journey: a.yaml")  # names a cycle it is not in
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "--root", ".", "a.yaml", "sub/c.yaml", "self.yaml", "d.yaml"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[:3] == [
        "a.yaml:7:18: error: sub-journey cycle: a.yaml -> b.yaml -> sub/c.yaml -> a.yaml",
        "self.yaml:7:18: error: sub-journey cycle: self.yaml -> self.yaml",
        "sub/c.yaml:7:18: error: sub-journey cycle: sub/c.yaml -> a.yaml -> b.yaml -> sub/c.yaml",
    ]
    assert not any(line.startswith("d.yaml") for line in out)


def links(svg: Path) -> list[tuple[str, str]]:
    """Each link of an SVG: its address and the text inside it."""
    root = ET.parse(svg).getroot()
    return [
        (a.get("href") or "", " ".join(t.text or "" for t in a.iter(f"{SVG}text")))
        for a in root.iter(f"{SVG}a")
    ]


def test_render_links_the_maps_rendered_together(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = tmp_path / "src"
    shutil.copytree(FIXTURE, src)
    monkeypatch.chdir(src)
    assert (
        main(["render", "alpha.yaml", "beta.yaml", "gamma.yaml", "-o", "../out", "--format", "svg"])
        == 0
    )
    out = tmp_path / "out"
    assert links(out / "alpha" / "map.svg") == [("../gamma/map.svg", "Detailed map: Gamma")]
    assert links(out / "beta" / "map.svg") == [("../gamma/map.svg", "Detailed map: Gamma")]
    assert links(out / "gamma" / "map.svg") == [
        ("../alpha/map.svg", "Part of: Alpha <b>&</b>"),
        ("../beta/map.svg", "Part of: Beta"),
    ]
    # Alone, the map still says which journey details the stage, without a link.
    assert main(["render", "alpha.yaml", "-o", "../one", "--format", "svg"]) == 0
    text = (tmp_path / "one" / "alpha" / "map.svg").read_text(encoding="utf-8")
    assert "Detailed map: Gamma" in text and "<a " not in text


def test_site_pages_link_levels_both_ways(site: Path) -> None:
    assert links(site / "alpha" / "map.svg") == [("../gamma/index.html", "Detailed map: Gamma")]
    page = (site / "alpha" / "index.html").read_text(encoding="utf-8")
    assert '<li><strong>Discover</strong>: <a href="../gamma/index.html">Gamma</a></li>' in page
    assert page.count('<a href="../gamma/index.html">') == 1  # the list; the map comes packed
    packed = re.search(r'viewer-map".*?class="viewer-svg" data-size="\d+">([^<]+)', page, re.S)
    assert packed, "the page carries its map for the viewer"
    inline = zlib.decompress(base64.b64decode(packed[1]), -15).decode()
    assert inline.count('<a href="../gamma/index.html">') == 1  # the map the viewer unpacks
    gamma = (site / "gamma" / "index.html").read_text(encoding="utf-8")
    assert (
        '<p class="part-of"><a href="../alpha/index.html">Part of: Alpha &lt;b&gt;&amp;&lt;/b&gt;'
        '</a> <span class="sep" aria-hidden="true">·</span> '
        '<a href="../beta/index.html">Part of: Beta</a></p>'
    ) in gamma


def test_index_shows_the_tree_and_journeys_json_carries_it(site: Path) -> None:
    data = json.loads((site / "journeys.json").read_text(encoding="utf-8"))
    assert data["atlas"]["tree"] == [
        {
            "title": "Alpha <b>&</b>",
            "page": "alpha/index.html",
            "stage": None,
            "touchpoint": None,
            "children": [
                {
                    "title": "Gamma",
                    "page": "gamma/index.html",
                    "stage": "Discover",
                    "touchpoint": None,
                    "children": [],
                }
            ],
        },
        {
            "title": "Beta",
            "page": "beta/index.html",
            "stage": None,
            "touchpoint": None,
            "children": [
                {
                    "title": "Gamma",
                    "page": "gamma/index.html",
                    "stage": "Order",
                    "touchpoint": "Pay",
                    "children": [],
                }
            ],
        },
    ]
    levels = {j["title"]: j["levels"] for j in data["journeys"]}
    assert levels["Gamma"] == {
        "details": [],
        "part_of": [
            {"title": "Alpha <b>&</b>", "page": "alpha/index.html"},
            {"title": "Beta", "page": "beta/index.html"},
        ],
    }
    index = (site / "index.html").read_text(encoding="utf-8")
    assert (
        '<li><a href="beta/index.html"><bdi>Beta</bdi></a><ul><li><a href="gamma/index.html">'
        '<bdi>Gamma</bdi></a> <span class="muted">(<bdi>Order</bdi> › <bdi>Pay</bdi>)</span>'
    ) in index


def test_a_rebuild_redoes_the_journeys_whose_levels_changed(tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(FIXTURE, src)
    out = tmp_path / "site"
    options = RenderOptions(formats=("svg",))
    assert build_site([src], out, options, jobs=1).published
    gamma = src / "gamma.yaml"
    gamma.write_text(gamma.read_text().replace("title: Gamma", "title: Gamma two"))
    report = build_site([src], out, options, jobs=1)  # the parents' labels name it
    assert [o.rel for o in report.outcomes] == ["alpha.yaml", "beta.yaml", "gamma.yaml"]
    assert links(out / "alpha" / "map.svg") == [("../gamma/index.html", "Detailed map: Gamma two")]
    beta = src / "beta.yaml"
    beta.write_text(beta.read_text().replace("        journey: gamma.yaml\n", ""))
    report = build_site([src], out, options, jobs=1)  # gamma is no longer part of beta
    assert [o.rel for o in report.outcomes] == ["beta.yaml", "gamma.yaml"]
    assert "alpha.yaml" in report.reused
    assert links(out / "gamma" / "map.svg") == [("../alpha/index.html", "Part of: Alpha <b>&</b>")]


def test_a_failed_parent_is_not_linked_from_its_detail(tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(FIXTURE, src)
    out = tmp_path / "site"
    options = RenderOptions(formats=("svg",))
    beta = src / "beta.yaml"
    beta.write_text(beta.read_text().replace("emotion: 0", "emotion: 9"))
    report = build_site([src], out, options, jobs=1, keep_going=True)
    assert [o.rel for o in report.failed] == ["beta.yaml"]
    assert report.published
    assert links(out / "gamma" / "map.svg") == [("../alpha/index.html", "Part of: Alpha <b>&</b>")]
    assert not (out / "beta").exists()


@pytest.mark.parametrize(
    "levels",
    [
        {"details": [], "part_of": [{"title": "x", "page": "javascript:alert(1)"}]},
        {"details": [], "part_of": [{"title": "x", "page": "../../etc/index.html"}]},
        {
            "details": [
                {"file": "../x.yaml", "title": "x", "stage": "s", "touchpoint": None, "page": None}
            ],
            "part_of": [],
        },
        {"details": "all", "part_of": []},
    ],
)
def test_a_tampered_levels_summary_is_refused(site: Path, levels: object) -> None:
    data = json.loads((site / MANIFEST).read_text(encoding="utf-8"))
    entry = next(e for e in data["entries"].values() if not e["library"])
    entry["summary"]["levels"] = levels
    with pytest.raises(ManifestError, match="summary field levels has the wrong type"):
        parse_manifest(data)
