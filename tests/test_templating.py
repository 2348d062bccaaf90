"""The shared Jinja2 environment: search order, autoescaping everywhere, strict undefined."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from journeymap.render.templating import environment
from journeymap.source.diagnostics import RenderError


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
    with pytest.raises(RenderError, match="'missing' is undefined") as info:
        environment().from_string("{{ missing.attr }}").render()
    assert isinstance(info.value.__cause__, jinja2.UndefinedError)


def test_user_text_is_data_not_template() -> None:
    out = environment().from_string("{{ text }}").render(text="{{ 7*7 }}{% if 1 %}x{% endif %}")
    assert out == "{{ 7*7 }}{% if 1 %}x{% endif %}"


def test_same_arguments_share_one_environment(tmp_path: Path) -> None:
    assert environment(tmp_path) is environment(tmp_path)
    assert environment() is environment(None)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("{{ nope }}", "template map/map.svg.j2: 'nope' is undefined"),
        ("{% if %}", "template map/map.svg.j2, line 1: Expected an expression"),
    ],
)
def test_a_broken_user_template_is_a_render_error_not_a_crash(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], body: str, message: str
) -> None:
    from journeymap.commands.cli import main

    (tmp_path / "tpl" / "map").mkdir(parents=True)
    (tmp_path / "tpl" / "map" / "map.svg.j2").write_text(body)
    examples = Path(__file__).resolve().parent.parent / "examples"
    code = main(
        [
            "render",
            str(examples / "bank.yaml"),
            "-o",
            str(tmp_path / "out"),
            "--what",
            "map",
            "--format",
            "svg",
            "--templates",
            str(tmp_path / "tpl"),
        ]
    )
    assert code == 1
    assert message in capsys.readouterr().err
