"""The Jinja2 environment every template-based renderer uses.

Templates are looked up in the user's ``--templates`` folder first, then in the built-in
``templates/`` folder. Autoescaping is on for every template, whatever its extension
(``select_autoescape()`` would leave ``.svg`` and ``.j2`` unescaped), undefined names are
errors, and user text is only ever passed in as data: it is never compiled as a template.
Templates run in Jinja2's immutable sandbox: a ``--templates`` folder (or ``render:
templates:`` in a pull request's ``journeymap.yaml``) can change what is drawn, but cannot
reach Python internals (``cycler.__init__.__globals__.os``) or mutate the data it is given.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
import jinja2.sandbox

from journeymap.source.diagnostics import RenderError
from journeymap.source.resources import templates_dir


def _problem(name: str | None, exc: jinja2.TemplateError) -> RenderError:
    line = getattr(exc, "lineno", None)
    where = f"template {name or '?'}" + (f", line {line}" if line else "")
    return RenderError(
        f"{where}: {exc.message or type(exc).__name__}; if it is one of yours (--templates), "
        "fix it or remove it to use the built-in one"
    )


class _Template(jinja2.Template):
    """A template whose errors (an undefined name, a failed filter) are RenderErrors."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        try:
            return super().render(*args, **kwargs)
        except jinja2.TemplateError as exc:
            raise _problem(self.name, exc) from exc


class _Environment(jinja2.sandbox.ImmutableSandboxedEnvironment):
    """A sandboxed environment whose load errors (syntax, missing file) are RenderErrors;
    an unsafe attribute or call in a template is a RenderError too."""

    template_class = _Template

    def get_template(self, name: Any, *args: Any, **kwargs: Any) -> jinja2.Template:
        try:
            return super().get_template(name, *args, **kwargs)
        except jinja2.TemplateError as exc:
            raise _problem(str(name), exc) from exc


def _always(_name: str | None) -> bool:
    """Autoescape every template, including ``.svg`` and ``.j2`` ones and string templates."""
    return True


#: ``tojson`` writes compact JSON (no spaces after separators): pages carry one object per
#: backlog row and per touchpoint, and the spaces were a tenth of their data.
COMPACT_JSON: dict[str, Any] = {"sort_keys": True, "separators": (",", ":")}


#: A template bigger than this is not one (a planted device or a huge file).
MAX_TEMPLATE_BYTES = 4 * 1024 * 1024


class _Loader(jinja2.FileSystemLoader):
    """Loads a template only as a regular file inside its folder (see
    :func:`~journeymap.source.files.problem_in_folder`), of at most ``MAX_TEMPLATE_BYTES``."""

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Any]:
        from journeymap.source.files import open_regular, problem_in_folder

        parts = jinja2.loaders.split_template_path(template)
        for folder in self.searchpath:
            path = Path(folder, *parts)
            if not os.path.lexists(path):
                continue
            why = problem_in_folder(Path(folder), path)
            if why is None:
                try:
                    with open_regular(path) as handle:
                        data = handle.read(MAX_TEMPLATE_BYTES + 1)
                except OSError as exc:
                    why = f"cannot be read ({exc.strerror})"
                else:
                    if len(data) > MAX_TEMPLATE_BYTES:
                        why = f"is over {MAX_TEMPLATE_BYTES:,} bytes"
            if why is not None:
                raise jinja2.TemplateError(f"{path} {why}; journeymap did not read it")
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                raise jinja2.TemplateError(f"{path} is not UTF-8 text") from None
            return text, str(path), lambda: True
        raise jinja2.TemplateNotFound(template)


@cache
def _environment(search_path: Sequence[str]) -> jinja2.Environment:
    env = _Environment(
        loader=_Loader(list(search_path)),
        autoescape=_always,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.policies["json.dumps_kwargs"] = COMPACT_JSON
    return env


def environment(templates: Path | None = None) -> jinja2.Environment:
    """The environment loading from ``templates`` (if given) and then the built-in templates.

    Template names are relative to either folder, e.g. ``map/map.svg.j2``.
    """
    paths = [str(templates.resolve())] if templates is not None else []
    paths.append(str(templates_dir()))
    return _environment(tuple(paths))


def forget_templates() -> None:
    """Drop the cached environments so edited templates are read again (``serve``)."""
    _environment.cache_clear()
