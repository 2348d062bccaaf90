"""Card deck rules: one body size per scenario, never below 8 pt; pain points on the staff
and observer cards of a hand-written scenario; facilitator entries kept whole."""

from __future__ import annotations

import re
from collections import defaultdict

import journeymap
from journeymap.render.cards import CardOptions, render
from journeymap.render.cards.layout import MIN_PRINT_PX, Geometry
from journeymap.render.cards.render import Deck, build_deck
from journeymap.render.cards.scenarios import collect
from journeymap.text.locale import localised
from tests.card_page import read
from tests.conftest import EXAMPLES

_SCENARIO = re.compile(r"Scenario (\d+) of")


def _deck(name: str) -> Deck:
    journey = localised(journeymap.load(EXAMPLES / name))
    return build_deck(journey, collect(journey), Geometry("a4", 4), False)


def _page(name: str) -> str:
    journey = journeymap.load(EXAMPLES / name)
    result = render(journey, CardOptions(formats=("html",)))
    return result.artifacts[0].data.decode("utf-8")


def test_each_scenario_has_one_body_size_of_at_least_8_pt() -> None:
    sizes: dict[str, set[float]] = defaultdict(set)
    for sheet in _deck("bank.yaml").sheets:
        for placed in sheet.cards:
            card = placed.card
            if card.kind == "facilitator":
                continue
            scenario = _SCENARIO.search(
                " ".join(line.text for line in card.lines if line.kind == "footer")
            )
            assert scenario, "every card names its scenario"
            body = {line.size for line in card.lines if line.kind in ("text", "bullet", "quote")}
            sizes[scenario.group(1)] |= body
    assert len(sizes) == 12
    for number, found in sizes.items():
        assert len(found) == 1, f"scenario {number}: body sizes {sorted(found)}"
        assert min(found) >= MIN_PRINT_PX - 0.01, f"scenario {number}: below 8 pt"


def test_authored_scenario_shows_the_touchpoints_pain_points_to_staff_and_observer() -> None:
    journey = journeymap.load(EXAMPLES / "bank.yaml")
    scenario = next(s for s in journey.scenarios if s.touchpoint)
    pains = journey.touchpoint(scenario.touchpoint or "").pain_points
    assert pains
    page = read(_page("bank.yaml"))
    for kind in ("staff", "observer"):
        cards = " ".join(" ".join(lines) for k, lines in page.cards if k == kind)
        assert "KNOWN PAIN POINTS HERE" in cards
        assert pains[0].text.split()[0] in cards


def test_a_facilitator_entry_never_splits_across_pages() -> None:
    pages = [
        p.card for s in _deck("bank.yaml").sheets for p in s.cards if p.card.kind == "facilitator"
    ]
    assert len(pages) > 1
    for page in pages:
        body = [line.kind for line in page.lines if line.kind not in ("band", "footer")]
        # a page starts with the sheet's title or an entry's lead line, never inside one
        assert body[0] in ("title", "strong"), body[:3]
