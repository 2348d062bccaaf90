"""Cards: a generated scenario opens with a real (masked) customer comment from the evidence,
and the facilitator sheet says so."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from journeymap.check.validate import load
from journeymap.commands.cli import main
from journeymap.render.cards import CardOptions, render
from journeymap.render.cards.scenarios import collect

JOURNEY = """\
journeymap: 1
title: Parking permit
lang: {lang}
personas:
  - id: carer
    name: Ana
  - id: driver
    name: Ben
evidence:
  - id: permits
    file: survey.csv
    scale: csat
    columns: {{touchpoint: step, score: rating, comment: said, persona: who, date: day}}
stages:
  - id: apply
    name: Apply
    touchpoints:
      - id: form
        name: Online form
        emotion: {{carer: -2, driver: 0}}
        thought: Why is this so hard?
        pain_points:
          - text: The form rejects carers
            severity: high
      - id: pay
        name: Payment
        emotion: -1
        thought: Another fee.
        pain_points:
          - text: Card declined
            severity: medium
"""

#: At the form: Ana's unhappiest own comment is the 1 of 2026-03-02 (a 1 of 2026-03-01 and a
#: happy 5 lose; Ben's 1 is not hers). At payment only a happy comment: no real opening.
SURVEY = """\
step,rating,said,who,day
form,1,Older complaint,carer,2026-03-01
form,1,"Rejected again, mail me at ana@example.org",carer,2026-03-02
form,5,Lovely,carer,2026-03-03
form,1,Ben is cross,driver,2026-03-04
form,2,Not good,carer,2026-03-05
pay,5,Quick payment,carer,2026-03-01
"""


def journey_at(tmp_path: Path, lang: str = "en") -> Path:
    (tmp_path / "permit.yaml").write_text(JOURNEY.format(lang=lang), encoding="utf-8")
    (tmp_path / "survey.csv").write_text(SURVEY, encoding="utf-8")
    return tmp_path / "permit.yaml"


def test_the_unhappiest_own_comment_opens_the_scenario(tmp_path: Path) -> None:
    journey = load(journey_at(tmp_path), root=tmp_path)
    form, pay = collect(journey, "generated")
    assert form.persona is not None and form.persona.id == "carer"
    assert form.real_comment is not None and form.real_comment.source == "permits"
    chosen = form.real_comment.comment
    assert (chosen.text, chosen.score, chosen.date) == (
        "Rejected again, mail me at [e-mail]",
        1,
        "2026-03-02",
    )
    opening = form.customer[-2]
    assert opening.heading == "Your opening line (a real customer's words)"
    assert opening.quote == "“Rejected again, mail me at [e-mail]”"
    # Only a happy comment at payment: the team's thought opens it.
    assert pay.real_comment is None
    assert pay.customer[-2].heading == "Your opening line" and "Another fee." in str(
        pay.customer[-2].quote
    )
    off = collect(journey, "generated", comments=False)
    assert all(p.real_comment is None for p in off)
    assert off[0].customer[-2].quote == "“Why is this so hard?”"


def test_everyone_s_comments_serve_when_the_persona_has_none(tmp_path: Path) -> None:
    path = journey_at(tmp_path)
    text = SURVEY.replace(",carer,2026-03-0", ",,2026-03-0")  # Ana's answers lose their persona
    (tmp_path / "survey.csv").write_text(text, encoding="utf-8")
    form = collect(load(path, root=tmp_path), "generated")[0]
    assert form.real_comment is not None
    assert form.real_comment.comment.text == "Ben is cross"  # the most recent of the 1s


def test_the_pdf_marks_the_real_words_on_the_card_and_the_facilitator_sheet(
    tmp_path: Path,
) -> None:
    journey = load(journey_at(tmp_path), root=tmp_path)
    pdf = render(journey, CardOptions(formats=("pdf",))).artifacts[0].data
    (tmp_path / "cards.pdf").write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-raw", str(tmp_path / "cards.pdf"), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    sheet = " ".join(text.split("\f")[0].split())
    assert (
        "Opening line: a real customer's comment from “permits” (2026-03-02), with personal "
        "data masked. Hand out: customer card 1" in sheet
    )
    assert sheet.count("a real customer's comment") == 1  # not for the payment scenario
    cards = " ".join(text.split())
    assert "YOUR OPENING LINE (A REAL CUSTOMER'S WORDS) “Rejected again, mail me at [e-mail]”" in (
        cards
    )
    assert "ana@example.org" not in text


@pytest.mark.parametrize(
    ("lang", "heading", "sheet"),
    [
        ("de", "Ihr erster Satz (echte Kundenworte)", "Erster Satz: ein echter Kundenkommentar"),
        ("ja", "最初のひとこと（実際のお客様の言葉）", "にある実際のお客様のコメントです"),
        ("ar", "جملتك الأولى (كلمات عميل حقيقي)", "تعليق حقيقي لعميل"),
    ],
)
def test_the_marks_are_in_the_journey_s_language(
    tmp_path: Path, lang: str, heading: str, sheet: str
) -> None:
    journey = load(journey_at(tmp_path, lang), root=tmp_path)
    html = render(journey, CardOptions(formats=("html",))).artifacts[0].data.decode()
    assert heading.upper() in html and sheet in html  # headings are set in capitals


def test_cards_no_comments_and_the_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    journey_at(tmp_path)
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    html = tmp_path / "out" / "permit" / "cards.html"
    assert main(["cards", "permit.yaml", "-o", "out", "--format", "html"]) == 0
    assert "real customer" in html.read_text(encoding="utf-8")
    assert main(["cards", "permit.yaml", "-o", "out", "--format", "html", "--no-comments"]) == 0
    assert "real customer" not in html.read_text(encoding="utf-8")
    (tmp_path / "journeymap.yaml").write_text("cards:\n  comments: false\n", encoding="utf-8")
    assert main(["cards", "permit.yaml", "-o", "out", "--format", "html"]) == 0
    assert "real customer" not in html.read_text(encoding="utf-8")
    assert main(["cards", "permit.yaml", "-o", "out", "--format", "html", "--comments"]) == 0
    assert "real customer" in html.read_text(encoding="utf-8")


def test_a_deck_without_evidence_is_unchanged(examples: Path) -> None:
    bank = load(examples / "bank.yaml")
    options = CardOptions(formats=("html",))
    with_comments = render(bank, options).artifacts[0].data
    without = render(bank, CardOptions(formats=("html",), comments=False)).artifacts[0].data
    assert with_comments == without
