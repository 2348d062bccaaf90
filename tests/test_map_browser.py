"""The journey map in headless Chromium: every text's rendered box lies inside its cell."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_map import EXAMPLES, stress_journey

import journeymap
from journeymap.model.journey import Journey
from journeymap.render.map.svg import render_svg
from journeymap.render.options import RenderOptions

#: For each text, the rectangle of the box holding it (the first child of its group).
SCRIPT = """
const out = [];
for (const t of document.querySelectorAll('svg text')) {
  const rect = t.parentNode.querySelector(':scope > rect.bg');
  const a = t.getBoundingClientRect(), b = rect.getBoundingClientRect();
  const slack = 1.0;
  if (a.left < b.left - slack || a.right > b.right + slack ||
      a.top < b.top - slack || a.bottom > b.bottom + slack || a.width === 0) {
    out.push({text: t.textContent.slice(0, 60), cell: t.parentNode.getAttribute('class'),
              text_box: [a.left, a.top, a.right, a.bottom],
              cell_box: [b.left, b.top, b.right, b.bottom]});
  }
}
return {count: document.querySelectorAll('svg text').length, outside: out.slice(0, 20)};
"""


def outside(journey: Journey, tmp_path: Path, theme: str = "default") -> dict[str, object]:
    from chromium import evaluate

    page = tmp_path / f"{journey.id}-{theme}.svg"
    page.write_bytes(render_svg(journey, RenderOptions(theme=theme)))
    return evaluate(page, SCRIPT)  # type: ignore[no-any-return]


@pytest.mark.exe
@pytest.mark.browser
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_example_text_stays_inside_its_cell(example: Path, tmp_path: Path) -> None:
    result = outside(journeymap.load(example), tmp_path)
    assert result["count"] and result["outside"] == []


@pytest.mark.exe
@pytest.mark.browser
@pytest.mark.parametrize("theme", ["default", "print"])
def test_stress_text_stays_inside_its_cell(theme: str, tmp_path: Path) -> None:
    result = outside(stress_journey(), tmp_path, theme)
    assert result["count"] and result["outside"] == []
