"""Training role-play cards: customer, staff and observer cards and a facilitator sheet.

``render(journey, CardOptions(...))`` returns ``cards.html`` and ``cards.pdf`` as bytes.
"""

from __future__ import annotations

from journeymap.render.cards.render import CardOptions, render

__all__ = ["CardOptions", "render"]
