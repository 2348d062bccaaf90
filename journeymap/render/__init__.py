"""Renderers: each takes a :class:`~journeymap.model.Journey` and returns files as bytes.

Renderers never write files, print or exit; :mod:`journeymap.write` and the CLI do that.
"""

from journeymap.render.options import Artifact, RenderOptions, RenderResult

__all__ = ["Artifact", "RenderOptions", "RenderResult"]
