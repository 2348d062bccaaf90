"""The Jinja2 environment every template-based renderer uses.

Templates are looked up in the user's ``--templates`` folder first, then in the built-in
``templates/`` folder. Autoescaping is on for every template, whatever its extension
(``select_autoescape()`` would leave ``.svg`` and ``.j2`` unescaped), undefined names are
errors, and user text is only ever passed in as data: it is never compiled as a template.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import jinja2

from journeymap.resources import templates_dir


def _always(_name: str | None) -> bool:
    """Autoescape every template, including ``.svg`` and ``.j2`` ones and string templates."""
    return True


@cache
def _environment(search_path: tuple[str, ...]) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(list(search_path)),
        autoescape=_always,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )


def environment(templates: Path | None = None) -> jinja2.Environment:
    """The environment loading from ``templates`` (if given) and then the built-in templates.

    Template names are relative to either folder, e.g. ``map/map.svg.j2``.
    """
    paths = [str(templates.resolve())] if templates is not None else []
    paths.append(str(templates_dir()))
    return _environment(tuple(paths))
