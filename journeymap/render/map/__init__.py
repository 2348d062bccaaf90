"""The journey map: ``layout`` computes the geometry, ``svg`` draws it through the templates.

``render(journey, options)`` returns the map's artifacts (SVG, and PDF/PNG through output).
"""

from journeymap.render.map.svg import render

__all__ = ["render"]
