"""The project: one import root for every command, and journeymap.yaml read by every command."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
from team_repo import git, make_team_repo

from journeymap.check.schema import ANNOTATIONS, KEYWORDS
from journeymap.commands.cli import main
from journeymap.source.config import config_schema
from journeymap.source.limits import Limits

RETURNS = "journeys/team-a/returns.yaml"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return make_team_repo(tmp_path / "repo")


def _validate(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, list[tuple]]:
    code = main(["validate", "--format", "json", *argv])
    payload = json.loads(capsys.readouterr().out)
    found = [
        (Path(d["path"]).name, d["line"], d["col"], d["code"], d["message"])
        for d in payload["diagnostics"]
    ]
    return code, found


def test_a_file_validates_the_same_however_it_is_named(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Alone, by its folder, from its folder, from another folder, and by the whole tree."""
    (repo / RETURNS).write_text(
        (repo / RETURNS)
        .read_text(encoding="utf-8")
        .replace("personas: [gift-recipient]", "personas: [gift-recipiant]"),
        encoding="utf-8",
    )
    monkeypatch.chdir(repo)
    runs = {"alone": _validate([RETURNS], capsys)}
    runs["folder"] = _validate(["journeys/team-a"], capsys)
    runs["tree"] = _validate(["journeys"], capsys)
    runs["configured"] = _validate([], capsys)
    monkeypatch.chdir(repo / "journeys" / "team-a")
    runs["from its folder"] = _validate(["returns.yaml"], capsys)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    runs["from elsewhere"] = _validate([str(repo / RETURNS)], capsys)
    code, found = runs["alone"]
    assert code == 1
    # The import itself is fine: the library's personas are known, one is misspelt.
    text = (repo / RETURNS).read_text(encoding="utf-8").splitlines()
    line = next(n for n, t in enumerate(text, 1) if "personas: [gift-recipiant]" in t)
    assert (line, 20, "unknown persona 'gift-recipiant'; did you mean 'gift-recipient'?") in [
        (f[1], f[2], f[4]) for f in found
    ]
    for name, run in runs.items():
        assert run == (code, found), name


def test_without_git_or_config_the_current_folder_is_the_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = make_team_repo(tmp_path / "plain", init_git=False)
    monkeypatch.chdir(repo)
    assert _validate([RETURNS], capsys) == (0, [])
    # --root narrows it: now the import leaves the root, located at the import.
    code, found = _validate(["--root", "journeys/team-a", RETURNS], capsys)
    assert code == 1
    assert ("bad-import", 18) in [(f[3], f[1]) for f in found]
    assert any("import '../shared/retail.yaml' leaves the project root" in f[4] for f in found)


def test_render_cards_and_diff_git_follow_imports_out_of_the_folder(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(repo)
    assert main(["render", RETURNS, "-o", "out", "--what", "map", "--format", "svg"]) == 0
    assert (repo / "out" / "returns" / "map.svg").is_file()
    assert main(["cards", RETURNS, "-o", "out", "--format", "html"]) == 0
    assert (repo / "out" / "returns" / "cards.html").is_file()
    assert main(["export", "--to", "json", RETURNS]) == 0
    capsys.readouterr()
    text = (repo / RETURNS).read_text(encoding="utf-8")
    (repo / RETURNS).write_text(text.replace("Check the returns policy", "Read the policy"))
    assert "Check the returns policy" in text
    assert main(["diff", "--git", "HEAD", RETURNS]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    assert "Read the policy" in captured.out
    git(repo, "commit", "-qam", "reword")
    assert main(["diff", "--git", "HEAD~1", RETURNS]) == 0
    assert "Read the policy" in capsys.readouterr().out


def _config(repo: Path, text: str) -> None:
    (repo / "journeymap.yaml").write_text(text, encoding="utf-8")


def test_an_invalid_config_is_a_located_error_for_every_command(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _config(repo, "journeys: [journeys]\nrender:\n  theme: neon\n  formts: [svg]\n")
    monkeypatch.chdir(repo)
    for argv in (["validate"], ["render", "-o", "out"], ["cards", "journeys/team-b/bank.yaml"]):
        assert main(argv) == 1
        err = capsys.readouterr().err.splitlines()
        assert err == [
            "journeymap.yaml:3:10: error: 'theme' must be one of default, print, not 'neon'"
            " (project config; see docs/config.md)",
            "journeymap.yaml:4:3: error: unknown key 'formts' in render; did you mean "
            "'formats'? (project config; see docs/config.md)",
        ]
    assert not (repo / "out").exists()
    _config(repo, "journeys: [journeys\n")
    assert main(["validate"]) == 1
    assert re.match(r"journeymap\.yaml:\d+:\d+: error: ", capsys.readouterr().err)


def test_config_settings_are_defaults_the_command_line_overrides(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _config(
        repo,
        "journeys: [journeys/team-b]\noutput: build/maps\nrender: {formats: [svg], what: [map]}\n",
    )
    monkeypatch.chdir(repo / "journeys" / "team-a")  # any folder of the project
    assert main(["render"]) == 0
    assert sorted(p.name for p in (repo / "build" / "maps" / "bank").iterdir()) == ["map.svg"]
    assert main(["render", "--what", "curve", "-o", str(repo / "other")]) == 0
    assert sorted(p.name for p in (repo / "other" / "bank").iterdir()) == ["curve.svg"]
    assert not (repo / "build" / "maps" / "returns").exists()


def test_excludes_and_the_config_file_are_never_journeys(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "journeys" / "drafts").mkdir()
    (repo / "journeys" / "drafts" / "idea.yaml").write_text("title: [unfinished\n")
    _config(repo, "journeys: [.]\nexclude: [journeys/drafts, '*.yml']\n")
    monkeypatch.chdir(repo)
    assert main(["validate"]) == 0
    assert "3 files checked: all valid" in capsys.readouterr().out
    assert main(["validate", "journeys/drafts/idea.yaml"]) == 1  # named: checked
    capsys.readouterr()


def test_no_paths_without_config_or_journeys_folder_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["validate"]) == 2
    assert "give a PATH, or list the journey folders under 'journeys:'" in capsys.readouterr().err


def test_init_writes_a_commented_config_that_validates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    git(tmp_path, "init", "-q")
    (tmp_path / "docs").mkdir()
    monkeypatch.chdir(tmp_path / "docs")
    assert main(["init", "../journeys"]) == 0
    config = (tmp_path / "journeymap.yaml").read_text(encoding="utf-8")
    assert "journeys:\n  - journeys\n" in config
    assert config.count("\n#") > 10
    assert main(["validate"]) == 0
    assert "1 file checked: all valid" in capsys.readouterr().out
    assert main(["init", "../journeys", "--name", "second.yaml"]) == 0
    assert "kept the project config" in capsys.readouterr().out


def test_folder_runs_skip_journeys_without_the_persona_or_stage(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(repo)
    argv = ["render", "journeys", "-o", "out", "--what", "map", "--format", "svg"]
    assert main([*argv, "--persona", "bracket-buyer"]) == 0
    err = capsys.readouterr().err
    assert "journeys/team-b/bank.yaml: note: skipped: no persona 'bracket-buyer' here" in err
    assert "journeys/shared/retail.yaml: note: skipped: a library (kind: library)" in err
    assert sorted(p.name for p in (repo / "out").iterdir()) == ["returns"]
    assert main(["cards", "journeys", "-o", "cards", "--format", "html", "--stage", "refund"]) == 0
    assert "bank.yaml: note: skipped: no stage 'refund' here" in capsys.readouterr().err
    assert main([*argv, "--persona", "nobody"]) == 2
    assert "--persona nobody: no journey has such a persona" in capsys.readouterr().err


def test_a_library_alone_says_it_was_skipped(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(repo)
    assert main(["cards", "journeys/shared/retail.yaml", "-o", "out"]) == 0
    assert "nothing to draw" in capsys.readouterr().err


def test_github_format_paths_are_relative_to_the_workspace(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / RETURNS).write_text("journeymap: 1\ntitle: x\nstages: []\n")
    monkeypatch.chdir(repo / "journeys")
    monkeypatch.setenv("GITHUB_WORKSPACE", str(repo))
    assert main(["validate", "--format", "github", "team-a"]) == 1
    assert f"file={RETURNS}," in capsys.readouterr().out
    monkeypatch.delenv("GITHUB_WORKSPACE")
    assert main(["validate", "--format", "github", "team-a"]) == 1
    assert "file=team-a/returns.yaml," in capsys.readouterr().out


def test_config_schema_is_valid_and_uses_only_what_the_interpreter_knows() -> None:
    schema = config_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    limits = schema["properties"]["limits"]["properties"]
    assert set(limits) == set(Limits.names())
    assert all(limits[name]["maximum"] == Limits.ceiling(name) for name in limits)

    def keywords(node: object) -> set[str]:
        if isinstance(node, list):
            return set().union(*map(keywords, node)) if node else set()
        if not isinstance(node, dict):
            return set()
        named = ("properties", "$defs")  # their keys are names, not keywords
        found = set(node) - set(named)
        children = [v for k in named for v in node.get(k, {}).values()]
        children += [v for k, v in node.items() if k not in named]
        return found | set().union(*map(keywords, children))

    assert keywords(schema) <= KEYWORDS | ANNOTATIONS


def test_build_takes_its_folder_and_title_from_the_config(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _config(
        repo, "journeys: [journeys/team-a]\nsite: {title: 'Retail <journeys>', output: public}\n"
    )
    monkeypatch.chdir(repo)
    assert main(["build", "--format", "svg", "--jobs", "1"]) == 0  # team-a imports ../shared
    index = (repo / "public" / "index.html").read_text(encoding="utf-8")
    assert "<title>Retail &lt;journeys&gt;</title>" in index
    assert "public: published; 1 rendered" in capsys.readouterr().out
    _config(repo, "journeys: [.]\nexclude: [journeys/team-b, '*.yml', public]\n")
    assert main(["build", "-o", "site", "--format", "svg", "--jobs", "1"]) == 0
    assert "site: published; 1 rendered" in capsys.readouterr().out  # not the config itself


def test_the_config_language_is_the_default_of_journeys_without_one(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _config(repo, "lang: de\n")
    monkeypatch.chdir(repo)
    argv = ["cards", "journeys/team-b/bank.yaml", "--format", "html", "--source", "generated"]
    assert main([*argv, "-o", "de"]) == 0
    german = (repo / "de" / "bank" / "cards.html").read_text(encoding="utf-8")
    assert 'lang="de"' in german
    _config(repo, "{}\n")
    assert main([*argv, "-o", "en"]) == 0
    assert 'lang="de"' not in (repo / "en" / "bank" / "cards.html").read_text(encoding="utf-8")


def test_the_sites_decks_follow_the_cards_settings(
    examples: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """build and serve print the decks as 'journeymap cards' does with the same config, and
    a changed setting rebuilds them."""
    (tmp_path / "bank.yaml").write_bytes((examples / "bank.yaml").read_bytes())
    config = tmp_path / "journeymap.yaml"
    config.write_text(
        "cards: {paper: letter, per_page: 2, duplex: true, comments: false}\n", encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    assert main(["build", "bank.yaml", "-o", "site"]) == 0
    assert main(["cards", "bank.yaml", "-o", "out", "--format", "html"]) == 0
    deck = (tmp_path / "site/bank/cards.html").read_text(encoding="utf-8")
    assert deck == (tmp_path / "out/bank/cards.html").read_text(encoding="utf-8")
    assert "@page{size:215.9mm 279.4mm;" in deck
    config.write_text("cards: {paper: a4}\n", encoding="utf-8")
    assert main(["build", "bank.yaml", "-o", "site"]) == 0
    deck = (tmp_path / "site/bank/cards.html").read_text(encoding="utf-8")
    assert "@page{size:210mm 297mm;" in deck
