"""The descriptions of the project config, the journey format and the command line agree.

Each list is derived from its source (the CLI's parsers and constants, the ``Config`` fields,
the schemas' properties) and looked for in the others: the config schema, docs/config.md,
the commented ``journeymap.yaml`` that ``init`` writes, the journey schema, docs/format.md and
README's command table. A key or choice added in one place and not the others fails here.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import re
from pathlib import Path
from typing import Any

import pytest

from journeymap.check.config import read_config
from journeymap.commands import build, render
from journeymap.commands.cli import COMMANDS, PROJECT_COMMANDS, build_parser
from journeymap.commands.project import config_defaults
from journeymap.model.lang import LANGUAGES, is_tag, language_of
from journeymap.render.cards.render import CARD_FORMATS, CardOptions
from journeymap.render.options import AXES, FORMATS, PAPERS, SHEETS, THEMES
from journeymap.source.config import Config
from journeymap.source.diagnostics import JourneyError
from journeymap.source.evidence import REASONS
from journeymap.source.limits import Limits

ROOT = Path(__file__).resolve().parent.parent
CONFIG_SCHEMA = json.loads((ROOT / "schemas/config.schema.json").read_text(encoding="utf-8"))
JOURNEY_SCHEMA = json.loads((ROOT / "schemas/journey.schema.json").read_text(encoding="utf-8"))
CONFIG_DOC = (ROOT / "docs/config.md").read_text(encoding="utf-8")
FORMAT_DOC = (ROOT / "docs/format.md").read_text(encoding="utf-8")
README = (ROOT / "README.md").read_text(encoding="utf-8")
INIT = (ROOT / "templates/init/journeymap.yaml").read_text(encoding="utf-8")
PROPS = CONFIG_SCHEMA["properties"]
#: The sections of journeymap.yaml that are mappings of settings.
SECTIONS = ("render", "time", "cards", "site", "limits")


def _options(command: str) -> dict[str, argparse.Action]:
    """The options of ``journeymap COMMAND`` by their longest spelling."""
    parser = build_parser()
    (sub,) = (a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return {
        max(action.option_strings, key=len): action
        for action in sub.choices[command]._actions
        if action.option_strings
    }


def _enum(*path: str) -> list[Any]:
    node: dict[str, Any] = CONFIG_SCHEMA
    for key in path:
        node = node["properties"][key]
    node = node.get("items", node)
    return list(node["enum"])


def test_config_fields_are_the_schema_keys() -> None:
    """Config holds every top-level key the schema accepts, and nothing else."""
    fields = {f.name for f in dataclasses.fields(Config)} - {"path"}
    assert fields == set(PROPS)


@pytest.mark.parametrize(
    ("path", "choices"),
    [
        (("render", "what"), render.KINDS),
        (("render", "paper"), PAPERS),
        (("render", "formats"), render.ALL_FORMATS),
        (("render", "theme"), THEMES),
        (("render", "x"), AXES),
        (("cards", "formats"), CARD_FORMATS),
    ],
)
def test_config_choices_are_the_commands_choices(
    path: tuple[str, ...], choices: tuple[str, ...]
) -> None:
    assert _enum(*path) == list(choices)


def test_option_choices_match_the_schema() -> None:
    """Options with argparse choices take exactly what the config may set for them."""
    assert list(_options("build")["--paper"].choices or ()) == _enum("render", "paper")
    assert list(_options("cards")["--paper"].choices or ()) == _enum("cards", "paper")
    assert list(_options("cards")["--per-page"].choices or ()) == _enum("cards", "per_page")
    for command in ("curve", "build", "serve"):
        assert list(_options(command)["--theme"].choices or ()) == _enum("render", "theme")
    assert set(build.FORMATS) == set(FORMATS) == set(_enum("render", "formats")) - {"dot"}


def test_limits_are_the_limit_option_names() -> None:
    assert sorted(PROPS["limits"]["properties"]) == sorted(Limits.names())


def _config_keys() -> list[str]:
    """Every key journeymap.yaml accepts: top level, sections and evidence sources."""
    keys = list(PROPS)
    for section in SECTIONS:
        keys += PROPS[section]["properties"]
    source = CONFIG_SCHEMA["$defs"]["evidence_source"]["properties"]
    return keys + list(source) + list(source["columns"]["properties"])


@pytest.mark.parametrize("key", sorted(set(_config_keys())))
def test_every_config_key_is_in_docs_config(key: str) -> None:
    assert f"`{key}`" in CONFIG_DOC or re.search(rf"^\s*(- )?{key}:", CONFIG_DOC, re.M)


@pytest.mark.parametrize(
    "key", [*PROPS, *(f"{s}.{k}" for s in SECTIONS for k in PROPS[s]["properties"])]
)
def test_every_setting_is_in_the_init_config(key: str) -> None:
    """The commented journeymap.yaml of ``init`` shows each setting (limits by name)."""
    section, _, name = key.rpartition(".")
    if section == "limits":
        assert re.search(rf"\b{name}\b", INIT)
        return
    indent = "  " if section else ""
    assert re.search(rf"^(# )?{indent}{name}:", INIT, re.M), key


def test_the_init_config_uncommented_is_valid(tmp_path: Path) -> None:
    """Every commented setting of the init config, switched on, passes the config checks."""
    lines = []
    for line in INIT.replace("JOURNEYS", "journeys").splitlines():
        if re.fullmatch(r"#  - .*", line):  # an item of a list shown empty above it
            continue
        lines.append(re.sub(r"^# ((?: *[a-z_]+:| +- ).*)$", r"\1", line))
    (tmp_path / "data").mkdir()
    (tmp_path / "data/nps.csv").write_text("touchpoint,score\n", encoding="utf-8")
    path = tmp_path / "journeymap.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    config = read_config(path)
    assert set(config.render) == set(PROPS["render"]["properties"])
    assert set(config.cards) == set(PROPS["cards"]["properties"])
    assert set(config.time) == set(PROPS["time"]["properties"])
    assert config.evidence is not None and config.lang == "en"


def test_docs_config_example_sets_every_section_key(tmp_path: Path) -> None:
    """The example of docs/config.md shows every key of render, time, cards and site."""
    match = re.search(r"```yaml\n(.*?)```", CONFIG_DOC, re.S)
    assert match
    example = match.group(1)
    for section in SECTIONS[:-1]:
        block = re.search(rf"^{section}:\n((?:  .*\n)+)", example, re.M)
        assert block, section
        shown = set(re.findall(r"^  ([a-z_]+):", block.group(1), re.M))
        assert shown == set(PROPS[section]["properties"]), section


def test_shared_evidence_sources_are_a_journeys_sources_plus_journeys() -> None:
    shared = CONFIG_SCHEMA["$defs"]["evidence_source"]["properties"]
    own = JOURNEY_SCHEMA["$defs"]["evidence_source"]["properties"]
    assert set(shared) == set(own) | {"journeys"}

    def shape(node: Any) -> Any:  # the schema without its words
        if isinstance(node, dict):
            return {k: shape(v) for k, v in node.items() if k not in ("description", "title")}
        return [shape(v) for v in node] if isinstance(node, list) else node

    for key in own:
        assert shape(shared[key]) == shape(own[key]), key


def _journey_properties(node: Any) -> set[str]:
    if isinstance(node, dict):
        found = set(node.get("properties", {}))
        for value in node.values():
            found |= _journey_properties(value)
        return found
    if isinstance(node, list):
        return set().union(*map(_journey_properties, node)) if node else set()
    return set()


@pytest.mark.parametrize("key", sorted(_journey_properties(JOURNEY_SCHEMA)))
def test_every_journey_property_is_in_docs_format(key: str) -> None:
    assert f"`{key}" in FORMAT_DOC or re.search(rf"^\s*(- )?{key}:", FORMAT_DOC, re.M), key


def test_languages_agree() -> None:
    catalogs = {p.stem for p in (ROOT / "journeymap/text/catalogs").glob("*.json")}
    assert catalogs == set(LANGUAGES)
    listed = ", ".join(LANGUAGES)
    lang = JOURNEY_SCHEMA["$defs"]["journey"]["properties"]["lang"]["description"]
    assert listed in lang
    assert listed in PROPS["lang"]["description"]
    assert "".join(f"`{code}`" for code in LANGUAGES) in re.sub(
        r"\s*(?:,|and|\(\w+\))\s*", "", FORMAT_DOC
    )


def _readme_rows() -> dict[str, str]:
    """Command name -> the README table rows that show it (joined)."""
    rows: dict[str, str] = {}
    for line in README.splitlines():
        for name in re.findall(r"`journeymap (\w+)", line.split(" | ")[0]):
            rows[name] = rows.get(name, "") + line
    return rows


#: Options every project command takes, described once above the table.
COMMON = {"--help", "--root", "--limit"}


@pytest.mark.parametrize("command", list(COMMANDS))
def test_readme_table_shows_every_option(command: str) -> None:
    rows = _readme_rows()
    assert command in rows
    row = rows[command]
    for option, action in _options(command).items():
        if option in COMMON:
            continue
        spellings = [s for s in action.option_strings if s.startswith("--")]
        if isinstance(action, argparse.BooleanOptionalAction):
            spellings = [s for s in spellings if not s.startswith("--no-")] + [
                s for s in spellings if s.startswith("--no-")
            ]
        assert any(re.search(rf"{s}(?![\w-])", row) for s in spellings) or (
            "-o" in action.option_strings and re.search(r"-o (OUT|FILE|SITE)", row)
        ), f"README's row of {command} lacks {option}"


def test_readme_and_docs_name_the_common_options() -> None:
    assert "`--root DIR`" in README
    assert "`--limit NAME=N`" in CONFIG_DOC


def test_readme_lists_the_render_choices() -> None:
    row = _readme_rows()["render"]
    assert f"[--what {','.join(render.KINDS)}]" in row
    assert f"[--paper {'|'.join(('fit', *SHEETS))}[:fit]]".replace("|", "\\|") in row
    assert f"[--format {','.join(render.ALL_FORMATS)}]" in row
    assert f"[--x {'|'.join(AXES)}]".replace("|", "\\|") in row


def test_help_lists_the_render_choices(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args(["render", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert f"among {', '.join(render.KINDS)}" in text
    assert all(sheet in text for sheet in SHEETS) and "SHEET:fit" in text


def _codes() -> set[str]:
    """The diagnostic codes the checks and the loader give: their kebab-case literals (the
    reasons an evidence row is skipped, counted under bad-rows, are not codes)."""
    found: set[str] = set()
    for path in [
        *(ROOT / "journeymap/check").glob("*.py"),
        *(ROOT / "journeymap/source").glob("*.py"),
    ]:
        found |= set(re.findall(r'"([a-z]+(?:-[a-z]+)+)"', path.read_text(encoding="utf-8")))
    return found - set(REASONS)


@pytest.mark.parametrize("code", sorted(_codes()))
def test_every_diagnostic_code_is_documented(code: str) -> None:
    assert f"`{code}`" in FORMAT_DOC + CONFIG_DOC, code


@pytest.mark.parametrize("tag", ["pt-BR", "zh-Hant", "en", "pt_BR", "e", "pt-", "de-ch-1996", "ü"])
def test_the_config_lang_pattern_is_the_tag_shape(tag: str, tmp_path: Path) -> None:
    """The editor flags the tags the checker refuses as no tag; the checker's message for
    either names the languages, not the pattern."""
    assert bool(re.fullmatch(PROPS["lang"]["pattern"], tag)) == is_tag(tag)
    path = tmp_path / "journeymap.yaml"
    path.write_text(f"lang: {tag}\n", encoding="utf-8")
    if language_of(tag):
        assert read_config(path).lang == tag
        return
    with pytest.raises(JourneyError) as caught:
        read_config(path)
    ((diagnostic),) = caught.value.diagnostics
    assert (diagnostic.line, diagnostic.col, diagnostic.code) == (1, 7, "unknown-lang")
    assert f"use one of {', '.join(LANGUAGES)}" in diagnostic.message


#: Config settings that are the defaults of an option, in every command that has the option.
SETTING_OF = {
    "--theme": {"render": {"theme": "print"}},
    "--dpi": {"render": {"dpi": 150}},
    "--templates": {"render": {"templates": "tpl"}},
    "--measured": {"render": {"measured": True}},
    "--title": {"site": {"title": "T"}},
}


@pytest.mark.parametrize("option", list(SETTING_OF))
def test_a_setting_is_the_default_of_its_option_everywhere(option: str, tmp_path: Path) -> None:
    (tmp_path / "tpl").mkdir()
    path = tmp_path / "journeymap.yaml"
    path.write_text(json.dumps(SETTING_OF[option]), encoding="utf-8")
    config = read_config(path)
    having = 0
    for command in sorted(PROJECT_COMMANDS):
        for action in _options(command).values():
            if option in action.option_strings:
                having += 1
                assert action.dest in config_defaults(command, config), (command, option)
    assert having >= 2


def test_the_cards_settings_are_deck_options() -> None:
    """Config.deck hands the cards: settings to CardOptions by name (build and serve)."""
    fields = {f.name for f in dataclasses.fields(CardOptions)}
    assert set(PROPS["cards"]["properties"]) <= fields
