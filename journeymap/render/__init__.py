"""Renderers: map/, curve, flow/, cards/ each take a Journey and return files as bytes.

May import output, text, check, model and source; never interop, site or commands. Renderers
never write files, print or exit: :mod:`journeymap.output.write` and the CLI do that.
"""

from journeymap.render.options import Artifact, RenderOptions, RenderResult

__all__ = ["Artifact", "RenderOptions", "RenderResult"]
