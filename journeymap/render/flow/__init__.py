"""The flow diagram: ``dot`` builds Graphviz source, ``svg`` runs ``dot`` and converts it.

``render(journey, options)`` returns the flow's artifacts (DOT, SVG, PDF, PNG).
"""

from journeymap.render.flow.svg import render

__all__ = ["render"]
