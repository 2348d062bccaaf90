"""Card deck rules: one body size per scenario, never below 8 pt; pain points on the staff
and observer cards of a hand-written scenario; facilitator entries kept whole."""

from __future__ import annotations

import re
from collections import defaultdict

import journeymap
from journeymap.render.cards import CardOptions, render
from journeymap.render.cards.layout import MIN_PRINT_PX
from tests.conftest import EXAMPLES

_CARD = re.compile(r'<div class="card card-(\w+)".*?(?=<div class="card |</section>)', re.S)
_BODY = re.compile(r'class="l k-(?:text|bullet|quote) (z\d+)[^"]*"')
_SIZE = re.compile(r"^\.(z\d+) \{ font-size: ([\d.]+)px; line-height: [\d.]+px; \}$", re.M)
_SCENARIO = re.compile(r'data-text="[^"]*?Scenario (\d+) of')


def _deck(name: str) -> str:
    journey = journeymap.load(EXAMPLES / name)
    result = render(journey, CardOptions(formats=("html",)))
    return result.artifacts[0].data.decode("utf-8")


def test_each_scenario_has_one_body_size_of_at_least_8_pt() -> None:
    sizes: dict[str, set[float]] = defaultdict(set)
    html = _deck("bank.yaml")
    size_of = {name: float(px) for name, px in _SIZE.findall(html)}
    for match in _CARD.finditer(html):
        if match.group(1) == "facilitator":
            continue
        scenario = _SCENARIO.search(match.group(0))
        assert scenario, "every card names its scenario"
        sizes[scenario.group(1)] |= {size_of[z] for z in _BODY.findall(match.group(0))}
    assert len(sizes) == 12
    for scenario, found in sizes.items():
        assert len(found) == 1, f"scenario {scenario}: body sizes {sorted(found)}"
        assert min(found) >= MIN_PRINT_PX - 0.01, f"scenario {scenario}: below 8 pt"


def test_authored_scenario_shows_the_touchpoints_pain_points_to_staff_and_observer() -> None:
    journey = journeymap.load(EXAMPLES / "bank.yaml")
    scenario = next(s for s in journey.scenarios if s.touchpoint)
    pains = journey.touchpoint(scenario.touchpoint or "").pain_points
    assert pains
    html = re.sub(r"\s+", " ", _deck("bank.yaml").replace("&#39;", "'").replace("&#34;", '"'))
    for kind in ("staff", "observer"):
        cards = " ".join(m.group(0) for m in _CARD.finditer(html) if m.group(1) == kind)
        assert "KNOWN PAIN POINTS HERE" in cards
        assert pains[0].text.split()[0] in cards


def test_a_facilitator_entry_never_splits_across_pages() -> None:
    html = _deck("bank.yaml")
    pages = [m.group(0) for m in _CARD.finditer(html) if m.group(1) == "facilitator"]
    assert len(pages) > 1
    for page in pages:
        lines = re.findall(r'class="l k-(\w+)[^"]*"', page)
        body = [k for k in lines if k not in ("band", "footer")]
        # a page starts with the sheet's title or an entry's lead line, never inside one
        assert body[0] in ("title", "strong"), body[:3]
