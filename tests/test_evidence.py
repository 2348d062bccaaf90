"""Evidence sources: the streaming reader, the statistics, located reports and the lints."""

from __future__ import annotations

import math
import os
from datetime import date
from pathlib import Path

import pytest

from journeymap.check.evidence import declared_in, lint
from journeymap.check.validate import Session, validate_file
from journeymap.source.evidence import Layout, mask, read

JOURNEY = """\
journeymap: 1
title: Checkout
personas:
  - id: new
    name: New customer
  - id: back
    name: Returning
evidence:
  - id: survey
    file: survey.csv
{extra}stages:
  - id: buy
    name: Buy
    touchpoints:
      - id: cart
        name: Shopping cart
        emotion: {emotion}
        pain_points: [Slow]
      - id: pay
        name: Payment
        emotion: satisfied
        pain_points: [Card declined]
"""


def project(
    tmp_path: Path,
    csv: str | bytes,
    extra: str = "    scale: csat\n",
    emotion: str = "neutral",
    name: str = "survey.csv",
) -> Path:
    """A journey with one evidence source, its file holding ``csv``."""
    (tmp_path / "j.yaml").write_text(JOURNEY.format(extra=extra, emotion=emotion), "utf-8")
    data = csv.encode("utf-8") if isinstance(csv, str) else csv
    (tmp_path / name).write_bytes(data)
    return tmp_path / "j.yaml"


def messages(path: Path) -> list[str]:
    """Every diagnostic of validating ``path``, as text, paths shown relative to its folder."""
    result = validate_file(path, root=path.parent)
    return [str(d).replace(str(path.parent) + "/", "") for d in result.diagnostics]


def test_csat_mean_and_interval_are_the_hand_computed_ones(tmp_path: Path) -> None:
    rows = "".join(f"cart,{s}\n" for s in (1, 2, 3, 4, 5))
    result = validate_file(project(tmp_path, "touchpoint,score\n" + rows), root=tmp_path)
    journey = result.journey
    assert journey is not None
    (m,) = journey.measures("cart")
    # mean 3, sample variance 2.5, standard error sqrt(2.5 / 5) = 0.70711; 5 answers: Student's
    # t with 4 degrees of freedom, t(0.975, 4) = 2.776445 (not the normal 1.96)
    assert m.n == 5 and m.mean == 3
    assert m.margin == pytest.approx(2.776445 * math.sqrt(0.5), abs=1e-6)
    assert m.margin == pytest.approx(1.963243, abs=1e-6)
    # 1..5 onto -3..3: 3 -> 0, the margin times 6 / 4
    value, margin = m.on_scale(-3, 3)  # type: ignore[misc]
    assert value == 0 and margin == pytest.approx(2.944865, abs=1e-6)
    assert journey.measures("pay") == []


def test_nps_with_promoters_passives_detractors_and_its_interval(tmp_path: Path) -> None:
    rows = "".join(f"cart,{s}\n" for s in (10, 10, 9, 8, 3))
    path = project(tmp_path, "touchpoint,score\n" + rows, extra="    scale: nps\n")
    journey = validate_file(path, root=tmp_path).journey
    assert journey is not None
    (m,) = journey.measures("cart")
    assert (m.promoters, m.passives, m.detractors) == (3, 1, 1)
    assert m.nps == 40
    # answers +1 +1 +1 0 -1: mean 0.4, sample variance (4 - 5 * 0.16) / 4 = 0.8,
    # standard error sqrt(0.8 / 5) = 0.4, so NPS 40 +- t(0.975, 4) * 40 = 111.0578
    assert m.nps_margin == pytest.approx(111.0578, abs=1e-4)
    assert m.mean == 8.0


def test_bad_rows_are_counted_with_their_first_lines_never_a_crash(tmp_path: Path) -> None:
    text = (
        "touchpoint,score,comment\n"
        "cart,4,fine\n"
        "cart,x,\n"  # line 3: not a number
        "cart,9,\n"  # line 4: outside 1..5
        "cart,4\n"  # line 5: ragged
        "chekout,3,\n"  # line 6: unknown touchpoint
        "cart,nan,\n"  # line 7: NaN is outside the scale
        ",3,\n"  # line 8: no touchpoint
    )
    found = messages(project(tmp_path, text, extra="    scale: csat\n"))
    assert "survey.csv:3:1: warning: 1 row has a score that is not a number and is skipped " \
        "(first on line 3)" in found  # fmt: skip
    assert "survey.csv:4:1: warning: 2 rows have a score outside the scale and are skipped " \
        "(first on lines 4, 7)" in found  # fmt: skip
    assert any(m.startswith("survey.csv:5:1: warning: 1 row has a different number") for m in found)
    assert any(m.startswith("survey.csv:8:1: warning: 1 row names no touchpoint") for m in found)
    assert (
        "survey.csv:6:1: warning: 1 row names touchpoint 'chekout', which the journey does not "
        "have; they are skipped" in found
    )


def test_an_unknown_touchpoint_name_gets_did_you_mean(tmp_path: Path) -> None:
    found = messages(project(tmp_path, "touchpoint,score\nShoping cart,4\nPayment,5\n"))
    assert any("'Shoping cart'" in m and "did you mean 'Shopping cart'?" in m for m in found)


def test_rows_name_touchpoints_and_personas_by_id_or_name(tmp_path: Path) -> None:
    text = "touchpoint,score,who\ncart,4,new\nSHOPPING CART,2,Returning\npay,5,New customer\n"
    extra = "    scale: csat\n    columns: {persona: who}\n"
    journey = validate_file(project(tmp_path, text, extra=extra), root=tmp_path).journey
    assert journey is not None
    assert [m.n for m in journey.measures("cart")] == [2]
    assert [m.mean for m in journey.measures("cart", "back")] == [2]
    assert [m.mean for m in journey.measures("pay", "new")] == [5]


def test_empty_missing_and_outside_files_are_errors_in_the_journey(tmp_path: Path) -> None:
    path = project(tmp_path, "")
    assert messages(path) == [
        "j.yaml:10:11: error: evidence file 'survey.csv' is empty; export the data with a "
        "header row"
    ] or any("is empty" in m and m.startswith("j.yaml:10:11: error") for m in messages(path))
    (tmp_path / "survey.csv").unlink()
    found = messages(path)
    assert len(found) == 1 and found[0].startswith("j.yaml:10:11: error: evidence file ")
    assert "not found" in found[0]
    inner = tmp_path / "inner"
    inner.mkdir()
    (inner / "j.yaml").write_text(path.read_text().replace("survey.csv", "../survey.csv"))
    (tmp_path / "survey.csv").write_text("touchpoint,score\ncart,4\n")
    found = messages(inner / "j.yaml")
    assert any("leaves the project" in m and ":10:11: error" in m for m in found)


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    path = project(tmp_path, "touchpoint,score\n")
    (tmp_path / "survey.csv").unlink()
    os.mkfifo(tmp_path / "survey.csv")
    found = messages(path)
    assert any("is not a regular file" in m and "error" in m for m in found)


def test_wrong_delimiter_is_a_located_error_that_says_what_to_set(tmp_path: Path) -> None:
    found = messages(project(tmp_path, "touchpoint;score\ncart;4\n"))
    assert found == [
        "survey.csv:1:1: error: this file has one column only; its fields seem to be separated "
        "by ';': set 'delimiter: \";\"' on the source (or export with commas)"
    ]
    extra = '    scale: csat\n    delimiter: ";"\n'
    journey = validate_file(project(tmp_path, "touchpoint;score\ncart;4\n", extra), tmp_path)
    assert journey.journey is not None and journey.journey.measures("cart")[0].n == 1


def test_a_missing_column_points_at_the_columns_entry(tmp_path: Path) -> None:
    extra = "    scale: csat\n    columns:\n      score: rating\n"
    found = messages(project(tmp_path, "touchpoint,score\ncart,4\n", extra))
    assert found == [
        "j.yaml:13:14: error: evidence file 'survey.csv' has no column 'rating' for the score; "
        "its header has: touchpoint, score"
    ]


def test_bom_and_an_encoding_override(tmp_path: Path) -> None:
    path = project(tmp_path, b"\xef\xbb\xbftouchpoint,score,comment\ncart,4,ok\n")
    journey = validate_file(path, root=tmp_path).journey
    assert journey is not None and journey.measures("cart")[0].n == 1
    latin = "touchpoint,score,comment\ncart,2,Caf\xe9 closed\n".encode("cp1252")
    extra = "    scale: csat\n    encoding: cp1252\n    columns: {comment: comment}\n"
    journey = validate_file(project(tmp_path, latin, extra), root=tmp_path).journey
    assert journey is not None
    assert journey.measures("cart")[0].comments[0].text == "Café closed"
    found = messages(project(tmp_path, latin))
    assert any("is not valid utf-8-sig text" in m and "set 'encoding:'" in m for m in found)
    found = messages(project(tmp_path, latin, "    encoding: klingon\n"))
    assert any("unknown encoding 'klingon'" in m for m in found)


def test_a_10_mb_field_is_one_counted_row(tmp_path: Path) -> None:
    huge = "x" * (10 * 1024 * 1024)
    text = f'touchpoint,score,comment\ncart,4,ok\ncart,5,"{huge}"\ncart,3,fine\n'
    path = project(tmp_path, text, extra="    scale: csat\n    columns: {comment: comment}\n")
    result = validate_file(path, root=tmp_path)
    assert result.journey is not None
    (m,) = result.journey.measures("cart")
    assert m.n == 2 and m.mean == 3.5
    assert any(d.code == "bad-rows" and "cannot be read as CSV" in d.message
               for d in result.diagnostics)  # fmt: skip


def test_comments_most_recent_or_lowest_and_masked(tmp_path: Path) -> None:
    text = (
        "touchpoint,score,comment,date\n"
        "cart,1,awful; write to jo.bloggs@example.co.uk,2026-01-01\n"
        "cart,5,great,2026-03-01\n"
        "cart,4,call me on +44 20 7946 0958,2026-04-01\n"
        "cart,2,meh,2026-02-01\n"
        "cart,3,ok,2026-05-01\n"
    )
    cols = "    columns: {comment: comment, date: date}\n"
    journey = validate_file(project(tmp_path, text, "    scale: csat\n" + cols), tmp_path).journey
    assert journey is not None
    m = journey.measures("cart")[0]
    assert [c.text for c in m.comments] == ["ok", "call me on [phone]", "great"]
    assert (m.first_date, m.last_date) == ("2026-01-01", "2026-05-01")
    extra = "    scale: csat\n    pick: lowest\n" + cols
    journey = validate_file(project(tmp_path, text, extra), tmp_path).journey
    assert journey is not None
    assert [c.text for c in journey.measures("cart")[0].comments] == [
        "awful; write to [e-mail]",
        "meh",
        "ok",
    ]


def test_since_and_until_keep_only_rows_in_range(tmp_path: Path) -> None:
    text = "touchpoint,score,date\ncart,1,2026-01-01\ncart,5,2026-02-01T10:00Z\ncart,3,2026-03-01\n"
    extra = "    scale: csat\n    since: 2026-01-15\n    until: '2026-02-28'\n"
    extra += "    columns: {date: date}\n"
    journey = validate_file(project(tmp_path, text, extra), tmp_path).journey
    assert journey is not None and journey.measures("cart")[0].mean == 5


def test_jsonl_and_analytics_metrics(tmp_path: Path) -> None:
    text = (
        '{"step": "cart", "name": "conversion", "value": 0.5}\n'
        '{"step": "cart", "name": "conversion", "value": 0.7}\n'
        '{"step": "pay", "name": "seconds", "value": 40}\n'
        "not json\n"
    )
    extra = (
        "    kind: analytics\n    format: jsonl\n    scale: {min: 0, max: 1000}\n"
        "    columns: {touchpoint: step, metric: name, score: value}\n"
    )
    result = validate_file(project(tmp_path, text, extra, name="survey.csv"), tmp_path)
    assert result.journey is not None
    (cart,) = result.journey.measures("cart")
    assert [(x.name, x.n, x.mean) for x in cart.metrics] == [("conversion", 2, 0.6)]
    assert any("1 row is not a JSON object" in d.message and d.line == 4
               for d in result.diagnostics)  # fmt: skip


def test_assumed_outside_measured_and_stale_evidence_warn(tmp_path: Path) -> None:
    rows = "".join(f"cart,{4 + i % 2},2026-01-0{1 + i % 9}\n" for i in range(40))
    extra = "    scale: csat\n    max_age: 30\n    columns: {date: date}\n"
    path = project(tmp_path, "touchpoint,score,date\n" + rows, extra, emotion="-1")
    session = Session(tmp_path)
    result = session.validate(path)
    assert result.journey is not None
    found = [str(d).replace(str(tmp_path) + "/", "") for d in result.diagnostics]
    assert (
        "j.yaml:20:18: warning: touchpoint 'cart': assumed −1, customers say +2.2 ± 0.2, "
        "n = 40 (source 'survey'); check the emotion against the evidence" in found
    )
    assert any(
        m.startswith("j.yaml:25:22: warning: touchpoint 'pay' has pain points but no")
        for m in found
    )
    doc, _ = session.read(path)
    assert doc is not None
    from journeymap.check.semantics import Checker
    from journeymap.source.limits import DEFAULT_LIMITS

    checker = Checker(doc, [], DEFAULT_LIMITS)
    checker.run()
    declared = declared_in(doc, result.journey.evidence)
    stale = lint(checker.index, result.journey, declared, on=date(2026, 3, 1))
    assert any("is stale: its newest answer is from 2026-01-09, 51 days ago" in d.message
               for d in stale)  # fmt: skip
    assert not any(
        d.code == "stale-evidence"
        for d in lint(checker.index, result.journey, declared, on=date(2026, 1, 20))
    )


def test_a_journey_without_evidence_has_no_measures(examples: Path) -> None:
    journey = validate_file(examples / "bank.yaml").journey
    assert journey is not None and journey.evidence == () and journey.measured == ()


def test_mask() -> None:
    assert mask("a.b+c@mail.example.org or 0049 30 1234567") == "[e-mail] or [phone]"
    assert mask("order 12345 on 2026-01-01") == "order 12345 on 2026-01-01"


def test_reader_keeps_constant_state(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    with path.open("w") as handle:
        handle.write("touchpoint,score\n")
        for i in range(20_000):
            handle.write(f"tp-{i % 7},{i % 11}\n")
    reading = read(path, Layout())
    assert reading.rows == reading.used == 20_000
    assert len(reading.tallies) == 7


def test_evidence_command_prints_text_markdown_and_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from journeymap.commands.cli import main

    text = (
        "touchpoint,score,comment\n"
        'cart,10,"Great | *bold* <b>x</b> mail a@b.example"\n'
        "cart,9,\x1b[31mred\n"
        "cart,3,\n"
        "pay,7,\n"
    )
    path = project(tmp_path, text, extra="    scale: nps\n    columns: {comment: comment}\n")
    path.write_text(path.read_text().replace("name: Shopping cart", "name: 'Cart | [x](y)'"))
    assert main(["evidence", str(path)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\\x1b[31mred" in out
    # scores 10, 9, 3: mean 7.33, s = 3.786, t(0.975, 2) = 4.3027, 4.3027 * s / sqrt(3) = 9.40;
    # answers +1 +1 -1: NPS +33, s = 1.155, 4.3027 * 115.5 / sqrt(3) = 287
    assert "Cart | [x](y)  all      survey  3 (low n)  7.33 ± 9.40     +33 ± 287 (2/0/1)  0" in out
    assert "Payment        all      survey  1 (low n)  7.00            0 (0/1/0)" in out
    assert "[e-mail]" in out and "a@b.example" not in out
    assert main(["evidence", "--format", "markdown", str(path)]) == 0
    md_out = capsys.readouterr().out
    assert "| Cart \\| \\[x\\](y) | all | survey |" in md_out
    assert "\\<b\\>x\\</b\\>" in md_out and "<b>" not in md_out
    assert main(["evidence", "--format", "json", str(path), "-o", str(tmp_path / "e.json")]) == 0
    import json

    data = json.loads((tmp_path / "e.json").read_text())
    cart = data["measures"][0]
    assert (cart["touchpoint"], cart["n"], cart["promoters"], cart["detractors"]) == (
        "cart",
        3,
        2,
        1,
    )
    assert cart["nps"] == pytest.approx(100 / 3)
    assert main(["evidence", str(tmp_path / "nope.yaml")]) == 2


def test_evidence_table_is_in_the_journeys_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from journeymap.commands.cli import main

    rows = "touchpoint,score,comment\ncart,4,Sehr gut\ncart,5,\ncart,2,\n" + "pay,3,\n" * 30
    path = project(tmp_path, rows, extra="    scale: csat\n    columns: {comment: comment}\n")
    path.write_text(path.read_text().replace("title:", "lang: de\ntitle:", 1))
    assert main(["evidence", str(path)]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    head = "Kontaktpunkt   Persona  Quelle  n              Wert (95-%-KI)  Angenommen  Gemessen"
    assert head in lines
    # 4, 5, 2: mean 3.667, s = 1.528, t(0.975, 2) = 4.3027: 4.3027 x 1.528 / sqrt(3) = 3.79
    cart = "Shopping cart  alle     survey  3 (kleines n)  3,67 ± 3,79     0           +1,0 ± 5,7"
    pay = "Payment        alle     survey  30             3,00 ± 0,00     +1,0        0 ± 0,0"
    assert cart in lines and pay in lines
    assert lines[-1] == "Shopping cart: „Sehr gut“"
    assert main(["evidence", "--format", "markdown", str(path)]) == 0
    md_out = capsys.readouterr().out
    assert md_out.startswith("## Messdaten: ")
    assert "| Kontaktpunkt | Persona | Quelle | n | Wert (95-%-KI) |" in md_out
    path.write_text(path.read_text().replace("lang: de", "lang: ar"))
    (tmp_path / "survey.csv").write_text("touchpoint,score,comment\n")
    assert main(["evidence", str(path)]) == 0
    assert capsys.readouterr().out.endswith(": لا توجد قياسات\n")


def test_json_export_keeps_old_journeys_and_relative_evidence_paths(examples: Path) -> None:
    import json

    from journeymap.interop.export import to_json

    old = json.loads(to_json(load_example(examples, "bank.yaml")))
    assert "evidence" not in old and "measured" not in old
    data = json.loads(to_json(load_example(examples, "checkout-evidence.yaml")))
    assert [s["file"] for s in data["evidence"]] == [
        "data/checkout-survey.csv",
        "data/checkout-funnel.csv",
    ]
    assert data["measured"][0]["touchpoint"] == "compare"


def load_example(examples: Path, name: str):  # type: ignore[no-untyped-def]
    """An example journey, loaded."""
    journey = validate_file(examples / name).journey
    assert journey is not None
    return journey


def test_diff_reports_measured_changes(tmp_path: Path) -> None:
    from journeymap.interop.diff import compare, to_markdown

    old_dir, new_dir = tmp_path / "old", tmp_path / "new"
    old_dir.mkdir()
    new_dir.mkdir()
    # mean 2 (s = 1.41, t(0.975, 1) = 12.706, 12.706 * 1.41 / sqrt 2 = 12.71) is -1.5 ± 19.06
    # on -3..3
    old = project(old_dir, "touchpoint,score\ncart,1\ncart,3\n")
    new = project(new_dir, "touchpoint,score\ncart,4\ncart,4\ncart,4\npay,5\n")  # 4: +1.5
    a = validate_file(old, root=old_dir).journey
    b = validate_file(new, root=new_dir).journey
    assert a is not None and b is not None
    d = compare(a, b)
    assert [(t, s, x is None, y is None) for t, s, x, y in d.measured] == [
        ("cart", "survey", False, False),
        ("pay", "survey", True, False),
    ]
    text = to_markdown(d)
    assert "### Measured (on the journey's scale)" in text
    assert "| Shopping cart | survey | −1.5 ± 19.1 (n = 2) | +1.5 ± 0.0 (n = 3) | +3.0 |" in text
    assert "| Payment | survey | — | +3.0 (n = 1) | — |" in text
    assert compare(b, b).measured == []


def test_diff_git_reads_the_evidence_at_the_revision(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import subprocess

    from journeymap.commands.cli import main

    path = project(tmp_path, "touchpoint,score\ncart,1\ncart,3\n")
    git = ["git", "-C", str(tmp_path), "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "data"], check=True)
    (tmp_path / "survey.csv").write_text("touchpoint,score\ncart,4\ncart,4\ncart,4\n")
    assert main(["diff", "--git", "HEAD", str(path)]) == 0, capsys.readouterr().err
    out = capsys.readouterr().out
    assert "| Shopping cart | survey | −1.5 ± 19.1 (n = 2) | +1.5 ± 0.0 (n = 3) | +3.0 |" in out
