"""The shared Jinja2 environment: search order, autoescaping everywhere, strict undefined."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from journeymap.render.templating import environment


def test_autoescape_is_on_for_svg_and_j2_templates(tmp_path: Path) -> None:
    for name in ("a.svg", "b.svg.j2", "c.j2", "d.html", "e.txt"):
        (tmp_path / name).write_text("<t>{{ value }}</t>", encoding="utf-8")
        out = environment(tmp_path).get_template(name).render(value="<b>&\"'")
        assert out == "<t>&lt;b&gt;&amp;&#34;&#39;</t>", name


def test_user_folder_comes_before_builtins(tmp_path: Path) -> None:
    (tmp_path / "map" / "themes").mkdir(parents=True)
    (tmp_path / "map" / "themes" / "print.css").write_text("mine", encoding="utf-8")
    assert environment(tmp_path).get_template("map/themes/print.css").render() == "mine"
    assert "jm-print" in environment().get_template("map/themes/print.css").render()
    # Templates the user does not override still come from the built-ins.
    assert environment(tmp_path).get_template("map/themes/default.css").render()


def test_undefined_names_are_errors() -> None:
    with pytest.raises(jinja2.UndefinedError):
        environment().from_string("{{ missing.attr }}").render()


def test_user_text_is_data_not_template() -> None:
    out = environment().from_string("{{ text }}").render(text="{{ 7*7 }}{% if 1 %}x{% endif %}")
    assert out == "{{ 7*7 }}{% if 1 %}x{% endif %}"


def test_same_arguments_share_one_environment(tmp_path: Path) -> None:
    assert environment(tmp_path) is environment(tmp_path)
    assert environment() is environment(None)
