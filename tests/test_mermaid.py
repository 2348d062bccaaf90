"""Mermaid journey export and import, checked with the grammar port (and live, the real Mermaid)."""

from __future__ import annotations

import functools
import html
import random
import re
from pathlib import Path

import mermaid_oracle
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import journeymap
from journeymap.check.validate import validate_file
from journeymap.commands.cli import main
from journeymap.interop.mermaid import export, journey_blocks, parse, to_score, to_yaml
from journeymap.interop.mermaid_grammar import MAX_TEXT, MermaidError, js_trim
from journeymap.model.journey import Journey, Persona, Scale, Stage, Touchpoint

EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "examples").glob("*.yaml"))
DOC_EXAMPLE = (mermaid_oracle.CORPUS / "mermaid-docs-user-journey.mmd").read_text(encoding="utf-8")
HOSTILE_NAMES = [
    "5%% off coupon",
    "Look %%{x -",
    "}%% after",
    "%% not a comment",
    "% single",
    "Ticket #1; really",
    "Alarm at 7:30",
    "Journey planner",
    "journey",
    "section: 5: Cat",
    "Title search",
    "accTitle: sneaky",
    "accDescr {",
    'Link <a href="x">here</a>',
    "Literal #59; code",
    "C♯ minor ∶ ﹔ ‚",
    "Two  spaces",
]


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _write(tmp_path: Path, data: dict[str, object], name: str = "j.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def hostile_journey(tmp_path: Path) -> journeymap.Journey:
    data = {
        "journeymap": 1,
        "title": "Returns: #1 priority; 5%% & <more> %%{init}%%",
        "summary": "Shown as accDescr: #2; 50%% {braces}",
        "personas": [
            {"id": "a", "name": "Smith, Jo: #2; 10%%", "color": "#0072B2"},
            {"id": "b", "name": "Journey Planner", "color": "#D55E00"},
            {"id": "c", "name": "Cat", "color": "#009E73"},
        ],
        "stages": [
            {"name": "section 8; notes %%{x", "touchpoints": [
                {"name": name, "emotion": {"a": 1, "b": 1, "c": -3},
                 "pain_points": ["Hurts %%{ here"], "channel": "web; app"}
                for name in HOSTILE_NAMES
            ]},
            {"name": "After }%%", "touchpoints": [{"name": "Still here", "personas": ["b"]}]},
        ],
    }  # fmt: skip
    return journeymap.load(_write(tmp_path, data, "hostile.yaml"))


def _names(journey: journeymap.Journey) -> list[list[str]]:
    return [[_plain(tp.name) for tp in stage.touchpoints] for stage in journey.stages]


def _read_back(text: str) -> list[list[str]]:
    return [[_plain(t.name) for t in s.tasks] for s in parse(text).sections]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_exports_to_what_mermaid_reads_back(path: Path) -> None:
    journey = journeymap.load(path)
    diagram = parse(export(journey))
    assert diagram.title == journey.title
    assert [s.name for s in diagram.sections] == [s.name for s in journey.stages]
    assert _read_back(export(journey)) == _names(journey)
    declared = {p.id: p.name for p in journey.personas if not p.implicit}
    expected = [[declared[p] for p in tp.personas if p in declared] for tp in journey.touchpoints]
    assert [list(t.actors) for t in diagram.tasks if t.actors != ("",)] == [
        e for e in expected if e
    ] or all(not e for e in expected)


def test_hostile_names_survive_mermaids_parser(tmp_path: Path) -> None:
    journey = hostile_journey(tmp_path)
    text = export(journey)
    diagram = parse(text)
    assert diagram.title == journey.title
    assert diagram.acc_descr == journey.summary
    assert [s.name for s in diagram.sections] == ["section 8; notes %%{x", "After }%%"]
    assert _read_back(text) == _names(journey)
    assert diagram.tasks[0].actors == ("Smith, Jo: #2; 10%%", "Journey Planner", "Cat")
    assert "%%{" not in text.replace("% %{", "")  # comments cannot open a directive either


def test_each_touchpoint_exports_its_worst_score_and_lists_the_others(tmp_path: Path) -> None:
    journey = hostile_journey(tmp_path)
    text = export(journey)
    first = parse(text).tasks[0]
    assert first.score == to_score(-3, journey.scale) == 1  # not the mean (3)
    lines = text.splitlines()
    task_line = next(i for i, line in enumerate(lines) if "5#37;#37; off coupon" in line)
    assert lines[task_line + 1].strip().startswith("%% score is the worst of: Smith, Jo")
    assert "%% pain point (medium): Hurts % %{ here" in text
    assert "%% channel: web; app" in text
    gap = parse(text).tasks[-1]
    assert gap.name == "Still here" and gap.score == 3 and gap.actors == ("Journey Planner",)
    assert "%% no emotion recorded" in text


def touched(journey: journeymap.Journey) -> set[str]:
    return {p for tp in journey.touchpoints for p in tp.personas}


def _without_comments(text: str) -> str:
    return "".join(line for line in text.splitlines(True) if not line.lstrip().startswith("%%"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_import_of_an_export_keeps_all_that_mermaid_carries(path: Path, tmp_path: Path) -> None:
    journey = journeymap.load(path)
    first = export(journey)
    imported = tmp_path / "back.yaml"
    imported.write_text(to_yaml(parse(first)).yaml, encoding="utf-8")
    result = validate_file(imported)
    assert result.journey is not None, result.diagnostics
    back = result.journey
    assert (back.title, back.summary) == (journey.title, journey.summary)
    assert _names(back) == _names(journey)
    named = {p.name for p in journey.personas if not p.implicit and p.id in touched(journey)}
    assert {p.name for p in back.personas if not p.implicit} == named
    scores = [t.score for t in parse(first).tasks]
    assert [min(tp.emotions.values(), default=3) for tp in back.touchpoints] == scores
    assert _without_comments(export(back)) == _without_comments(first)


def test_documented_example_imports_as_mermaid_reads_it(tmp_path: Path) -> None:
    out = tmp_path / "day.yaml"
    source = tmp_path / "day.mmd"
    source.write_text(DOC_EXAMPLE, encoding="utf-8")
    assert main(["import", "mermaid", str(source), "-o", str(out)]) == 0
    journey = journeymap.load(out)
    assert journey.title == "My working day"
    assert (journey.scale.min, journey.scale.max) == (1, 5)
    assert [s.name for s in journey.stages] == ["Go to work", "Go home"]
    assert [p.name for p in journey.personas] == ["Me", "Cat"]
    work = journey.touchpoint("do-work")
    assert work.personas == ("me", "cat") and work.emotions == {"me": 1, "cat": 1}
    assert not any(tp.pain_points for tp in journey.touchpoints)  # nothing invented
    assert _without_comments(export(journey)) == DOC_EXAMPLE


def test_scores_outside_one_to_five_decimals_and_words(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "scores.mmd"
    source.write_text(
        "journey\n  title Scores\n  section S\n    Zero: 0: Me\n    Nine: 9: Me\n"
        "    Half: 2.5: Me\n    Word: high: Me\n    Nobody: 4\n    Someone: 2: You\n",
        encoding="utf-8",
    )
    out = tmp_path / "scores.yaml"
    assert main(["import", "mermaid", str(source), "-o", str(out)]) == 0
    notes = capsys.readouterr().err
    assert "scores.mmd:6:5: note: score 2.5 is not a whole number: kept as 3" in notes
    assert "scores.mmd:7:5: note: the score is not a number to Mermaid (NaN)" in notes
    assert "the scale is 0..9" in notes
    journey = journeymap.load(out)
    assert (journey.scale.min, journey.scale.max) == (0, 9)
    assert [tp.emotions for tp in journey.touchpoints][:4] == [
        {"me": 0},
        {"me": 9},
        {"me": 3},
        {},
    ]
    nobody = journey.touchpoint("nobody")
    assert nobody.personas == () and nobody.emotions == {}  # belongs to nobody in particular
    assert "    personas: []\n    emotion: 4\n" in out.read_text(encoding="utf-8")  # score kept
    assert "scores.mmd:8:5: note: task 'Nobody' has no actors" in notes


def test_front_matter_acc_fields_and_sectionless_tasks(tmp_path: Path) -> None:
    source = tmp_path / "fm.mmd"
    source.write_text(
        "---\ntitle: From front matter\n---\njourney\n  accDescr {\n    Two\n    lines\n  }\n"
        "  Early: 4\n  section Later\n    Late: 2\n",
        encoding="utf-8",
    )
    out = tmp_path / "fm.yaml"
    assert main(["import", "mermaid", str(source), "-o", str(out)]) == 0
    journey = journeymap.load(out)
    assert journey.title == "From front matter" and journey.summary == "Two\nlines"
    assert [s.name for s in journey.stages] == ["", "Later"]  # no invented section name
    text = export(journey)
    assert text.startswith("journey\n    title From front matter\n    accDescr {\n")
    assert [s.name for s in parse(text).sections] == [None, "Later"]


def test_acc_title_is_kept_beside_the_title_and_reaches_the_svg(tmp_path: Path) -> None:
    source = tmp_path / "acc.mmd"
    source.write_text(
        "journey\n  title Returns\n  accTitle: Returning a parcel, step by step\n"
        "  section Send\n    Print label: 3: Me\n",
        encoding="utf-8",
    )
    out = tmp_path / "acc.yaml"
    assert main(["import", "mermaid", str(source), "-o", str(out)]) == 0
    journey = journeymap.load(out)
    assert journey.title == "Returns"
    assert journey.acc_title == "Returning a parcel, step by step"
    diagram = parse(export(journey))
    assert (diagram.title, diagram.acc_title) == ("Returns", "Returning a parcel, step by step")
    from journeymap.render.map import render
    from journeymap.render.options import RenderOptions

    svg = render(journey, RenderOptions(formats=("svg",))).artifacts[0].data.decode()
    assert re.search(r"<title id=\"[^\"]*-title\">Returning a parcel, step by step</title>", svg)


@pytest.mark.parametrize(
    "text",
    ["journey\n", "journey", "journey\n  title Only a title\n", "journey\n  %% nothing\n"],
)
def test_header_only_diagrams_give_valid_journeys(text: str, tmp_path: Path) -> None:
    source = tmp_path / "empty.mmd"
    source.write_text(text, encoding="utf-8")
    out = tmp_path / "empty.yaml"
    assert main(["import", "mermaid", str(source), "-o", str(out)]) == 0
    assert validate_file(out).journey is not None


@pytest.mark.parametrize(
    ("text", "where", "words"),
    [
        ("journey\n  section S\n    Ticket #1: 3: Me\n", "3:12", "ends a task name at '#'"),
        ("journey\n  section S\n    Read; write: 3: Me\n", "3:9", "ends a task name at ';'"),
        ("journey\n  section S\n    Journey planner: 3: Me\n", "3:5", "word 'journey'"),
        ("journey\n  section A:B\n    T: 3: Me\n", "2:12", "cannot contain ':'"),
        ("JOURNEY\n  section S\n", "1:1", "lower case"),
        ("journey\n  accTitle The title\n", "2:21", "needs ': score'"),
        ("journey\n  accDescr {\n    open\n", "3:5", "never closed"),
        ("journey\n  section S\n  accDescr:  \n\n", "3:3", "ends with an empty 'accDescr:'"),
        ("---\ntitle: [x\n---\njourney\n", "2:1", "front matter"),
    ],
)
def test_what_mermaid_rejects_is_a_located_error(
    text: str, where: str, words: str, tmp_path: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "bad.mmd"
    source.write_text(text, encoding="utf-8")
    assert main(["import", "mermaid", str(source)]) == 1
    err = capsys.readouterr().err
    assert f"bad.mmd:{where}: error: " in err and words in err, err


def test_markdown_with_several_journey_blocks(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    doc = tmp_path / "doc.md"
    doc.write_text(
        f"# Two\n\n```mermaid\n{DOC_EXAMPLE}```\n\n```mermaid\nflowchart TD\n  A-->B\n```\n\n"
        "```mermaid\njourney\n  title Second\n  section S\n    Bad #1: 3: Me\n```\n",
        encoding="utf-8",
    )
    assert [n for _, n in journey_blocks(doc.read_text(encoding="utf-8"))] == [3, 20]
    assert main(["import", "mermaid", str(doc)]) == 2  # which one?
    assert main(["import", "mermaid", str(doc), "--block", "1"]) == 0
    assert "title: My working day" in capsys.readouterr().out
    assert main(["import", "mermaid", str(doc), "-o", str(tmp_path / "out.yaml")]) == 1
    assert "doc.md:24:9: error: " in capsys.readouterr().err  # the file's own line
    assert not (tmp_path / "out-1.yaml").exists()  # nothing written when one block fails
    prose = tmp_path / "prose.md"
    prose.write_text("# Notes\n\nNo diagram here.\n", encoding="utf-8")
    assert main(["import", "mermaid", str(prose)]) == 1
    assert "prose.md:1:1: error: no ```mermaid block holds a journey diagram" in (
        capsys.readouterr().err
    )


def test_input_size_is_limited(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(MermaidError, match="at most 50,000"):
        parse("journey\n" + "  T: 3: Me\n" * (MAX_TEXT // 10))
    big = tmp_path / "big.mmd"
    big.write_bytes(b"journey\n" + b"%% padding\n" * 200_000)
    assert main(["import", "mermaid", str(big), "--limit", "max_bytes=100000"]) == 1
    assert "over the limit of 100,000" in capsys.readouterr().err


def test_scores_map_the_scale_onto_one_to_five() -> None:
    for scale in (Scale(), Scale(1, 5, {}), Scale(-2, 2, {}), Scale(0, 10, {})):
        assert to_score(scale.min, scale) == 1 and to_score(scale.max, scale) == 5
    assert [to_score(v, Scale(1, 5, {})) for v in range(1, 6)] == [1, 2, 3, 4, 5]


def test_export_command_wraps_markdown_in_a_fence(tmp_path: Path) -> None:
    out = tmp_path / "journey.md"
    assert main(["export", "--to", "mermaid", str(EXAMPLES[0]), "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith("```mermaid\njourney\n") and text.endswith("```\n")


@pytest.mark.browser
def test_the_real_mermaid_renders_every_export_with_all_its_tasks(tmp_path: Path) -> None:
    if not mermaid_oracle.available():
        pytest.skip("needs chromium and tests/mermaid/refresh.py --install")
    journeys = [journeymap.load(p) for p in EXAMPLES] + [hostile_journey(tmp_path)]
    results = mermaid_oracle.ask([export(j) for j in journeys])
    for journey, result in zip(journeys, results, strict=True):
        assert result["accepted"], (journey.id, result.get("error"))
        assert result["svg"]["task_lines"] == len(journey.touchpoints), journey.id
        assert [_plain(t["task"]) for t in result["tasks"]] == [
            _plain(tp.name) for tp in journey.touchpoints
        ]
        assert result["title"] is not None
        assert [s.strip() for s in result["sections"]] == [s.name for s in journey.stages]


HOSTILE_ALPHABET = "#;:%,{}\"'<>&=!\t  aJj\u2028é♯∶﹔‚"
HOSTILE_WORDS = [
    "journey",
    "Journey ",
    "title ",
    "section ",
    "accTitle:",
    "accDescr{",
    "%%{",
    "}%%",
    "style:",
    "classDef:",
]
NAMES = st.lists(
    st.sampled_from(list(HOSTILE_ALPHABET) + HOSTILE_WORDS), min_size=1, max_size=8
).map("".join)


def _journey_of(names: list[str]) -> Journey:
    personas = (Persona("a", names[0], "#000000"), Persona("b", names[-1], "#111111"))
    touchpoints = tuple(
        Touchpoint(f"t{i}", name, "s", i, personas=("a", "b"), emotions={"a": i % 7 - 3})
        for i, name in enumerate(names)
    )
    stages = (Stage("s", names[0], 0, touchpoints=touchpoints), Stage("u", names[-1], 1))
    return Journey("j", names[-1], stages, personas, summary=names[0])


def _as_mermaid_keeps(name: str) -> str:
    return js_trim(re.sub(r"[\r\n]+", " ", name))


@settings(max_examples=150, deadline=None)
@given(st.lists(NAMES, min_size=1, max_size=5))
def test_any_names_survive_the_grammar_port(names: list[str]) -> None:
    journey = _journey_of(names)
    diagram = parse(export(journey))
    assert js_trim(diagram.title or "") == _as_mermaid_keeps(names[-1])
    assert js_trim(diagram.acc_descr or "") == _as_mermaid_keeps(names[0])
    assert [js_trim(s.name or "") for s in diagram.sections] == [
        _as_mermaid_keeps(names[0]),
        _as_mermaid_keeps(names[-1]),
    ]
    assert [js_trim(t.name) for t in diagram.tasks] == [_as_mermaid_keeps(n) for n in names]
    assert {t.actors for t in diagram.tasks} == {
        (_as_mermaid_keeps(names[0]), _as_mermaid_keeps(names[-1]))
    }


@pytest.mark.browser
def test_the_real_mermaid_reads_generated_hostile_names_back() -> None:
    if not mermaid_oracle.available():
        pytest.skip("needs chromium and tests/mermaid/refresh.py --install")
    rng = random.Random(15)
    pieces = list(HOSTILE_ALPHABET) + HOSTILE_WORDS
    batches = [
        [("".join(rng.choices(pieces, k=rng.randint(1, 8)))) for _ in range(8)] for _ in range(40)
    ]
    results = mermaid_oracle.ask([export(_journey_of(names)) for names in batches])
    for names, result in zip(batches, results, strict=True):
        assert result["accepted"], (names, result.get("error"))
        assert result["svg"]["task_lines"] == len(names)
        assert [js_trim(t["task"]) for t in result["tasks"]] == [
            _as_mermaid_keeps(n) for n in names
        ]
        assert js_trim(html.unescape(result["title"] or "")) == _as_mermaid_keeps(names[-1])
        assert js_trim(html.unescape(result["accDescr"] or "")) == _as_mermaid_keeps(names[0])
        assert [js_trim(s) for s in result["sections"]] == [
            _as_mermaid_keeps(names[0]),
            _as_mermaid_keeps(names[-1]),
        ]
        for task in result["tasks"]:
            assert task["people"] == [_as_mermaid_keeps(names[0]), _as_mermaid_keeps(names[-1])]


def _held(diagram_text: str, tmp_path: Path) -> Journey | None:
    """The journey ``import mermaid`` makes of a diagram, None when journeymap cannot hold it."""
    path = tmp_path / "imported.yaml"
    path.write_text(to_yaml(parse(diagram_text)).yaml, encoding="utf-8")
    return validate_file(path).journey


def _carried(reading: dict[str, object]) -> dict[str, object]:
    """What an import and export must carry of a reading (``we_read``/``mermaid_reads``):
    names as journeymap can hold them (a refused control character is U+FFFD, line breaks in
    the title are spaces), sections with tasks or a name, and each task's actors."""

    def held(text: str | None) -> str:
        return re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f]", "\ufffd", text or "")

    tasks = [(held(s), held(t), actors) for s, t, _, actors in reading["tasks"]]  # type: ignore[attr-defined]
    return {
        "title": _plain(held(reading["title"] or reading["acc_title"])) or None,  # type: ignore[arg-type]
        "acc_descr": held(reading["acc_descr"]) or None,  # type: ignore[arg-type]
        "sections": [held(s) for s in reading["sections"] if s],  # type: ignore[attr-defined]
        "tasks": [(s, t, [held(a) for a in actors]) for s, t, actors in tasks],
    }


@functools.cache
def _round_trips() -> list[tuple[str, str, str, list[float | str]]]:
    """(name, diagram, its export, the scores it must keep) for each corpus diagram Mermaid
    accepts and journeymap can hold."""
    import tempfile

    from test_mermaid_corpus import CASES, we_read

    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for path in CASES:
            text = path.read_bytes().decode("utf-8")
            first = we_read(text)
            journey = _held(text, Path(tmp)) if first["accepted"] else None
            if journey is None:
                continue
            try:
                exported = export(journey)
            except journeymap.JourneyError:
                continue  # over Mermaid's size limit: test_export_over_mermaids_limit_is_refused
            actors = any(task[3] for task in first["tasks"])
            scores = [s for *_, s, _ in first["tasks"] if isinstance(s, int | float)]
            scale = all(1 <= s <= 5 for s in scores)  # else the scale widens: scores move
            kept: list[float | str] = [  # 1..5 kept; a task without actors among others: none
                s if scale and isinstance(s, int) and (who or not actors) else "*"
                for *_, s, who in first["tasks"]
            ]
            out.append((path.stem, text, exported, kept))
    return out


def _scores(reading: dict[str, object]) -> list[float | str]:
    return [task[2] for task in reading["tasks"]]  # type: ignore[attr-defined]


def test_imported_corpus_diagrams_export_to_what_they_said() -> None:
    from test_mermaid_corpus import we_read

    assert len(_round_trips()) >= 120
    for name, text, exported, kept in _round_trips():
        first, back = we_read(text), we_read(exported)
        assert back["accepted"], name
        assert _carried(back) == _carried(first) | {"title": _carried(back)["title"]}, name
        assert _carried(first)["title"] in (None, _carried(back)["title"]), name
        assert [k if k == "*" else s for k, s in zip(kept, _scores(back), strict=True)] == kept, (
            name
        )


@pytest.mark.browser
def test_the_real_mermaid_reads_imported_corpus_exports_as_the_originals() -> None:
    if not mermaid_oracle.available():
        pytest.skip("needs chromium and tests/mermaid/refresh.py --install")
    from test_mermaid_corpus import mermaid_reads

    originals = mermaid_oracle.ask([text for _, text, _, _ in _round_trips()])
    exports = mermaid_oracle.ask([exported for _, _, exported, _ in _round_trips()])
    for (name, _, _, kept), first, back in zip(_round_trips(), originals, exports, strict=True):
        first, back = mermaid_reads(first), mermaid_reads(back)
        assert back["accepted"], name
        assert _carried(back) == _carried(first) | {"title": _carried(back)["title"]}, name
        assert [k if k == "*" else s for k, s in zip(kept, _scores(back), strict=True)] == kept, (
            name
        )


@pytest.mark.parametrize(
    ("diagram", "kept"),
    [
        ("---\ntitle: 1e21\n---\njourney\n  section 0o17\n    1e5: 3: true, null\n", "1e+21"),
        ("journey\n  title .5\n  section S\n    A\u2028B: 3: Me\u2029You\n", ".5"),
    ],
)
def test_imported_text_that_yaml_could_misread_stays_text(
    diagram: str, kept: str, tmp_path: Path
) -> None:
    journey = _held(diagram, tmp_path)
    assert journey is not None and journey.title == kept
    read = parse(diagram)
    assert [tp.name for tp in journey.touchpoints] == [t.name for t in read.tasks]
    assert [p.name for p in journey.personas] == list(read.tasks[0].actors)
    assert [s.name for s in journey.stages] == [s.name for s in read.sections]


def test_a_long_name_gets_a_short_id_and_a_refused_character_a_note(tmp_path: Path) -> None:
    long = "Compare every plan " * 40
    diagram = f"journey\n  section S\n    {long}: 3: Me\n    Bell #7; rings: 2: Me\n"
    imported = to_yaml(parse(diagram))
    path = tmp_path / "long.yaml"
    path.write_text(imported.yaml, encoding="utf-8")
    journey = journeymap.load(path)
    first, bell = journey.touchpoints
    assert first.name == long.strip() and len(first.id) <= 80
    assert bell.name == "Bell \ufffd rings"
    assert (4, 5, "U+0007 cannot be in a journey: written as U+FFFD in 'Bell \ufffd rings'") in (
        imported.warnings
    )


def test_export_over_mermaids_limit_is_refused(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    data = {
        "journeymap": 1,
        "title": "Big",
        "stages": [
            {"name": "S", "touchpoints": [{"name": f"Step {i} " + "x" * 150} for i in range(320)]}
        ],
    }
    source = _write(tmp_path, data, "big.yaml")
    out = tmp_path / "big.md"
    assert main(["export", "--to", "mermaid", str(source), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"{source}:1:1: error: cannot export to Mermaid: the diagram has 5" in err, err
    assert "Mermaid renders at most 50,000" in err and not out.exists()


def test_markdown_fences_as_commonmark_reads_them(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    journey = "journey\r\n    title {}\r\n    section S\r\n      T: 3: Me\r\n"
    doc = tmp_path / "doc.md"
    doc.write_bytes(
        (
            "# CRLF, indented, with an info string, in a longer fence, unclosed\r\n\r\n"
            f"```mermaid\r\n{journey.format('CRLF')}```\r\n"
            f"- In a list:\r\n\r\n  ```mermaid\r\n  {journey.format('Indented')}  ```\r\n"
            f'~~~ Mermaid title="x"\r\n{journey.format("Info")}~~~~\r\n'
            f"````markdown\r\n```mermaid\r\n{journey.format('Example')}```\r\n````\r\n"
            f"```mermaid\r\n{journey.format('Open')}"
        ).encode()
    )
    text = doc.read_bytes().decode("utf-8")
    blocks = journey_blocks(text, markdown=True)
    assert [parse(body).title for body, _ in blocks] == ["CRLF", "Indented", "Info", "Open"]
    assert [n for _, n in blocks] == [3, 11, 17, 31]
    assert text.split("\r\n")[11] == "  journey"
    assert main(["import", "mermaid", str(doc), "--block", "2"]) == 0
    assert "title: Indented" in capsys.readouterr().out
    broken = tmp_path / "broken.md"
    broken.write_text("Intro\n\n   ```mermaid\n   journey\n     section S\n       Bad #1: 3\n```\n")
    assert main(["import", "mermaid", str(broken)]) == 1
    assert "broken.md:6:12: error: Mermaid ends a task name at '#'" in capsys.readouterr().err


@pytest.mark.parametrize(
    "text",
    [
        "journey\n  section S\n    T" + "style:#" * 7000 + ": 3: Me\n",
        "journey\n  section S\n    T" + " " * 49000 + "x: 3: Me\n",
        "journey\n" + " \n" * 24500 + "x\n",
        "journey\n  title " + "<a" * 24500 + "\n",
        "---" + "\n" * 49000 + "x",
    ],
    ids=["style-quirk", "blank-run", "blank-lines", "open-tags", "open-front-matter"],
)
def test_no_diagram_under_the_limit_takes_long(text: str) -> None:
    import contextlib
    import time

    started = time.perf_counter()
    with contextlib.suppress(MermaidError):  # accepted or refused as Mermaid: timed here
        parse(text)
    assert time.perf_counter() - started < 2  # each took seconds to minutes (quadratic regexes)
