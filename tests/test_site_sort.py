"""The site index sorts journeys by NPS or by the gap between assumed and measured."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
from chromium import evaluate

from journeymap.render.options import RenderOptions
from journeymap.site.build import build_site

SCHEMA = Path(__file__).parent.parent / "schemas" / "site.schema.json"

JOURNEY = """\
journeymap: 1
title: {title}
stages:
  - id: s
    name: Stage
    touchpoints:
      - id: a
        name: {a}
        emotion: {ea}
      - id: b
        name: {b}
        emotion: {eb}
{evidence}"""
EVIDENCE = "evidence:\n  - id: nps\n    file: {file}\n    scale: {scale}\n"


def _rows(touchpoint: str, scores: list[int]) -> str:
    return "".join(f"{touchpoint},{s}\n" for s in scores)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four journeys: Sign-up NPS +12.5, Billing NPS -60, Delivery CSAT only, Onboarding none."""
    root = tmp_path_factory.mktemp("sort")
    journeys = root / "journeys"
    journeys.mkdir()

    def journey(name: str, title: str, a: str, b: str, ea: int, eb: int, data: str = "",
                scale: str = "nps") -> None:  # fmt: skip
        evidence = ""
        if data:
            (journeys / f"{name}.csv").write_text("touchpoint,score\n" + data, encoding="utf-8")
            evidence = EVIDENCE.format(file=f"{name}.csv", scale=scale)
        text = JOURNEY.format(title=title, a=a, b=b, ea=ea, eb=eb, evidence=evidence)
        (journeys / f"{name}.yaml").write_text(text, encoding="utf-8")

    # a: 10 10 9 8 3 (mean 8 -> +1.8 on -3..3, assumed +1: gap 0.8); b: 0 2 10 (mean 4 -> -0.6,
    # assumed -1: 0.4). Promoters 4, passives 1, detractors 3 of 8: NPS +12.5.
    journey("signup", "Sign-up", "Landing page", "Verify e-mail", 1, -1,
            _rows("a", [10, 10, 9, 8, 3]) + _rows("b", [0, 2, 10]))  # fmt: skip
    # a: 9 (+2.4, assumed +2: 0.4); b: 1 2 3 4 (mean 2.5 -> -1.5, assumed +2: gap 3.5).
    # Promoters 1, detractors 4 of 5: NPS -60.
    journey("billing", "Billing", "Invoice", "Dispute a charge", 2, 2,
            _rows("a", [9]) + _rows("b", [1, 2, 3, 4]))  # fmt: skip
    # CSAT 1..5: b's mean 3 is 0 on -3..3, assumed -3: gap 3.0 (a has no answers). No NPS.
    journey("delivery", "Delivery", "Book a slot", "Courier", 0, -3, _rows("b", [2, 3, 4]),
            scale="csat")  # fmt: skip
    journey("onboarding", "Onboarding", "Welcome call", "First project", 0, 1)
    out = root / "site"
    assert build_site([journeys], out, RenderOptions(formats=("svg",)), jobs=1).published
    return out


def test_journeys_json_carries_the_nps_and_where_the_largest_gap_is(site: Path) -> None:
    data = json.loads((site / "journeys.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8"))).validate(data)
    evidence = {j["title"]: j.get("evidence") for j in data["journeys"]}
    signup, billing, delivery = evidence["Sign-up"], evidence["Billing"], evidence["Delivery"]
    assert signup is not None and billing is not None and delivery is not None
    assert signup["nps"] == dict(score=12.5, n=8, promoters=4, passives=1, detractors=3)
    assert billing["nps"] == dict(score=-60.0, n=5, promoters=1, passives=0, detractors=4)
    assert delivery["nps"] is None
    assert (signup["largest_gap"], signup["largest_gap_at"]) == (
        0.8,
        {"touchpoint": "a", "name": "Landing page"},
    )
    assert billing["largest_gap"] == 3.5 and billing["largest_gap_at"]["name"] == "Dispute a charge"
    assert delivery["largest_gap"] == 3.0
    assert evidence["Onboarding"] is None


def test_the_index_shows_the_figures_and_offers_the_sorts(site: Path) -> None:
    page = (site / "index.html").read_text(encoding="utf-8")
    options = re.findall(r'<option value="([a-z-]+)">', page)
    assert options == ["title", "nps-low", "nps-high", "gap"]
    cells = re.findall(r'<td data-label="Measured">(.*?)</td>', page)
    text = [re.sub(r"<[^>]+>", " ", c).split() for c in cells]
    assert [" ".join(t) for t in text] == [
        "NPS −60 (n = 5) largest gap 3.5 at Dispute a charge",  # title order: Billing first
        "largest gap 3 at Courier",
        "no evidence",
        "NPS +12 (n = 8) largest gap 0.8 at Landing page",
    ]


def test_an_index_without_evidence_has_no_measured_column(examples: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert build_site([examples / "bank.yaml"], out, RenderOptions(formats=("svg",)), jobs=1)
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "sort-by" not in page.split("<script>")[0] and ">Measured<" not in page


@pytest.mark.browser
def test_sorting_reorders_the_rows_and_keeps_filtering(site: Path) -> None:
    order = evaluate(
        site / "index.html",
        """
        const select = document.getElementById("sort-by");
        const titles = () => Array.from(document.querySelectorAll("tr.journey"))
          .filter(r => !r.hidden).map(r => r.querySelector("a").textContent);
        const out = {};
        for (const how of ["gap", "nps-low", "nps-high", "title"]) {
          select.value = how;
          select.dispatchEvent(new Event("change"));
          out[how] = titles();
        }
        select.value = "gap";
        select.dispatchEvent(new Event("change"));
        const text = document.getElementById("filter-text");
        text.value = "i";  // Billing, Delivery, Onboarding, Sign-up all hold an i
        text.dispatchEvent(new Event("input"));
        text.value = "ng";  // Billing, Onboarding
        text.dispatchEvent(new Event("input"));
        out.filtered = titles();
        return out;
        """,
    )
    assert order == {
        "gap": ["Billing", "Delivery", "Sign-up", "Onboarding"],
        "nps-low": ["Billing", "Sign-up", "Delivery", "Onboarding"],
        "nps-high": ["Sign-up", "Billing", "Delivery", "Onboarding"],
        "title": ["Billing", "Delivery", "Onboarding", "Sign-up"],
        "filtered": ["Billing", "Onboarding"],
    }
