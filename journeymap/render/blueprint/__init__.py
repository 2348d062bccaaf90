"""The service blueprint: ``layout`` computes the geometry (on the map's layout engine),
``svg`` draws it through the templates.

``render(journey, options)`` returns the blueprint's artifacts (SVG, and PDF/PNG through output).
"""

from journeymap.render.blueprint.svg import render

__all__ = ["render"]
