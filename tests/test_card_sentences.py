"""The role-play sentences read aloud: whole sentences per language, the user's words in
their slots as written, punctuation met once (``“Is it open?”`` takes no full stop after)."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from journeymap.model.journey import Action, Actor, Journey, Note, Persona, Stage, Touchpoint
from journeymap.render.cards import CardOptions, render
from journeymap.text.locale import ISOLATES, clean, ends_sentence, messages
from tests.card_page import read

#: Per language: persona (name, role, goal, frustration), the touchpoint (name, action),
#: the stage (name, goal), the pain point and the actor of a backstage step.
WORDS = {
    "en": (
        "Ana Lima",
        "Nurse",
        "Get a refund within a week.",
        "Being put on hold!",
        "Return at the desk",
        "I ask “where is the till?”",
        "After sales",
        "Refund the same day.",
        "Only one till is open. The queue is long.",
        "Supervisor",
    ),
    "de": (
        "Anna Weber",
        "Pflegerin",
        "Das Geld innerhalb einer Woche zurück.",
        "Warteschleifen!",
        "Rückgabe an der Kasse",
        "Ich frage: „Wo ist die Kasse?“",
        "Nach dem Kauf",
        "Erstattung am selben Tag.",
        "Nur eine Kasse ist offen. Die Schlange ist lang.",
        "Aufsicht",
    ),
    "ja": (
        "山田 花子",
        "看護師",
        "一週間以内に返金してほしい。",
        "電話で待たされること！",
        "カウンターで返品",
        "「レジはどこ？」と聞く。",
        "購入後",
        "当日中に返金される。",
        "レジが一つしか開いていない。 列が長い。",
        "責任者",
    ),
    "ar": (
        "سلمى حداد",
        "ممرضة",
        "استرداد المال خلال أسبوع.",
        "الانتظار على الهاتف!",
        "الإرجاع عند المكتب",
        "أسأل: أين الصندوق؟",
        "بعد البيع",
        "استرداد في اليوم نفسه.",
        "صندوق واحد فقط مفتوح. الطابور طويل.",
        "المشرف",
    ),
}


def _journey(lang: str) -> Journey:
    name, role, goal, frustration, tp_name, action, stage, stage_goal, pain, actor = WORDS[lang]
    persona = Persona("p", name, "#0072B2", role=role, goals=(goal,), frustrations=(frustration,))
    tp = Touchpoint(
        "t",
        tp_name,
        "s",
        0,
        channel="store",
        action=action,
        emotions={"p": -2},
        pain_points=(Note(pain, "high", owner="Retail ops"),),
        frontstage=(Action(pain, "a"),),
    )
    stages = (Stage("s", stage, 0, goal=stage_goal, touchpoints=(tp,)),)
    actors = (Actor("a", actor),)
    return Journey("j", "Returns", stages, (persona,), actors=actors, lang=lang)


def _card_text(lang: str) -> str:
    """Every line of the deck's HTML run together (with no space in Japanese), isolates
    and bullet marks dropped."""
    return _card_text_of(_journey(lang), lang)


def _card_text_of(journey: Journey, lang: str) -> str:
    options = CardOptions(formats=("html",), per_page=1)
    html = next(a.data for a in render(journey, options).artifacts if a.name.endswith(".html"))
    shown = [line for _, lines in read(html, furniture=False).cards for line in lines]
    lines = [line for line in shown if line.strip() not in ("", "•")]
    text = ("" if lang == "ja" else " ").join(lines)
    return "".join(c for c in text if c not in ISOLATES)


EXPECTED = {
    "en": (
        "You are Ana Lima (Nurse).",
        "The moment: “Return at the desk”, in the stage “After sales”. You feel frustrated."
        " In your words: “I ask ‘where is the till?’” WHAT YOU WANT",
        "Your goal: Get a refund within a week. WHAT BOTHERS YOU",
        "in the journey's words: “Refund the same day.” WHAT HELPS",
        "A known frustration of theirs: Being put on hold! Blaming",
        "They arrive frustrated and should leave satisfied.",
        "Supervisor: Only one till is open. The queue is long.",
        "About “Only one till is open”: what did the customer need most, and did they get it?",
        "what should the owner, Retail ops, change?",
    ),
    "de": (
        "Sie spielen Anna Weber (Pflegerin).",
        "Moment: „Rückgabe an der Kasse“, in der Phase „Nach dem Kauf“.",
        "In Ihren Worten: „Ich frage: ‚Wo ist die Kasse?‘“ WAS SIE WOLLEN",
        "in den Worten der Journey: „Erstattung am selben Tag.“ WAS HILFT",
        "Eine bekannte Frustration der Person: Warteschleifen! Die Schuld",
        "Aufsicht: Nur eine Kasse ist offen. Die Schlange ist lang.",
        "Zu „Nur eine Kasse ist offen“: Was hat",
        "und was muss die zuständige Stelle, Retail ops, ändern?",
    ),
    "ja": (
        "あなたは山田 花子（看護師）を演じます。",
        "場面：「カウンターで返品」（ステージ：「購入後」）。いまの気持ち：不満。"
        "あなたの言葉で：「『レジはどこ？』と聞く」。望んでいること",
        "（ジャーニーの記述より）：「当日中に返金される」。役に立つこと",
        "お客様がすでに不満に感じていること：電話で待たされること！お客様、",
        "責任者：レジが一つしか開いていない。列が長い。レジが",
        "「レジが一つしか開いていない」について：",
    ),
    "ar": (
        "تؤدي دور سلمى حداد (ممرضة).",
        "اللحظة: «الإرجاع عند المكتب»، في مرحلة «بعد البيع». شعورك الآن: محبط."
        " بكلماتك: «أسأل: أين الصندوق؟» ما تريده",
        "بكلمات الرحلة: «استرداد في اليوم نفسه.» ما يساعد",
        "إحباط معروف لدى هذا العميل: الانتظار على الهاتف! إلقاء",
        "المشرف: صندوق واحد فقط مفتوح. الطابور طويل.",
    ),
}


@pytest.mark.parametrize("lang", sorted(EXPECTED))
def test_exact_sentences_in_the_html(lang: str) -> None:
    text = _card_text(lang)
    for sentence in EXPECTED[lang]:
        assert sentence in text


#: Punctuation that never reads right on a card.
BAD = re.compile(r"\.\.(?!\.)|[.?!。？！؟…][”“»«」』’‘\"]?[.。]| [,.;:、。，]|。 |[,;:]\.|\?\?|!!")


@pytest.mark.parametrize("lang", ["en", "de", "fr", "ja", "ar", "he", "zh"])
def test_no_card_sentence_has_doubled_or_loose_punctuation(lang: str) -> None:
    text = _card_text(lang if lang in WORDS else "en")
    assert not BAD.findall(text)
    journey = _journey("en")
    deck = next(
        a.data
        for a in render(replace(journey, lang=lang), CardOptions(formats=("html",))).artifacts
        if a.name.endswith(".html")
    )
    for line in (line for _, lines in read(deck, furniture=False).cards for line in lines):
        assert not BAD.findall("".join(c for c in line if c not in ISOLATES)), line


#: Slot values as users write them: ending in every sentence mark, quoted, with emoji,
#: with right-to-left text inside left-to-right text and the other way round.
CORPUS = (
    "Refund the same day",
    "Refund the same day.",
    "Is it open?",
    "Not again!",
    "We wait…",
    "当日中に返金される。",
    "هل هو مفتوح؟",
    'She said "no".',
    "She said “no.”",
    "Pay with Apple Pay 📱.",
    "Ask for «الصندوق».",
    "Ask for Apple Pay ✅",
)


@pytest.mark.parametrize("lang", ["en", "de", "fr", "ja", "ar"])
@pytest.mark.parametrize("value", CORPUS)
def test_a_slot_meets_the_sentence_punctuation_once(lang: str, value: str) -> None:
    m = messages(lang)
    for sentence in (
        m.sentence(m("want.goal", goal=value)),
        m.sentence(m("staff.stage_goal", goal=m.quote(value))),
        m("place.moment", touchpoint=m.quote(value)),
        m("who.named", name=value),
        m.sentences([m("step.action", action=m.quote(value)), m("now.feel", feeling="ok")]),
    ):
        plain = "".join(c for c in sentence if c not in ISOLATES)
        assert not BAD.findall(plain), sentence
        assert ends_sentence(sentence), sentence
        # the user's words are kept as written (never re-cased), quotes aside
        core = value.rstrip(".。").strip('“”"')
        assert core.split()[0].strip('“”"«»') in plain


def test_helpers_join_and_quote_per_language() -> None:
    en, de, ja, fr = (messages(x) for x in ("en", "de", "ja", "fr"))
    assert en.sentence(en("want.goal", goal="Be seen today.")) == "Your goal: Be seen today."
    assert en("who.named", name="Is it me?") == "You are Is it me?"
    assert en.quote("I say “no”") == "“I say ‘no’”"
    assert en.quote('I say "no"') == '“I say "no"”'  # straight quotes stay as typed
    assert de.quote("Vermerk „dringlich“") == "„Vermerk ‚dringlich‘“"
    assert (
        ja.quote("部屋に入った瞬間に「来てよかった」と感じる。")
        == "「部屋に入った瞬間に『来てよかった』と感じる」"
    )
    assert fr.quote("Ça va ?") == "«\u00a0Ça va ?\u00a0»"
    assert ja.sentences(["場面：A。", "いまの気持ち：不満"]) == "場面：A。いまの気持ち：不満。"
    assert (
        clean("出口が分からない。\n 子どもたちは疲れた。")
        == "出口が分からない。子どもたちは疲れた。"
    )
    assert en("place.stage", touchpoint="Pay.", stage="Buy") == "The moment: Pay, in the stage Buy."
    for kept in ("Dr.", "Acme Inc.", "U.K.", "and so on etc.", "Wait..."):
        assert (
            en("place.stage", touchpoint=kept, stage="B") == f"The moment: {kept}, in the stage B."
        )
    assert en("person.role", name="Ana", role="Nurse.") == "Ana (Nurse.)"


@pytest.mark.parametrize(
    ("lang", "name", "expected"),
    [
        ("en", "The Millers (4)", "You are The Millers (4), Family from abroad."),
        ("ja", "ミラー家（4人）", "あなたは海外からの家族旅行のミラー家（4人）を演じます。"),
        ("de", "Anna Weber", "Sie spielen Anna Weber (Pflegerin)."),
    ],
)
def test_customer_and_staff_cards_name_the_persona_alike(
    lang: str, name: str, expected: str
) -> None:
    roles = {"en": "Family from abroad", "ja": "海外からの家族旅行", "de": "Pflegerin"}
    journey = _journey(lang)
    persona = replace(journey.personas[0], name=name, role=roles[lang])
    text = _card_text_of(replace(journey, personas=(persona,)), lang)
    assert expected in text
    named = expected.removeprefix("You are ").removeprefix("Sie spielen ").removesuffix(".")
    if lang == "ja":
        named = expected.removeprefix("あなたは").removesuffix("を演じます。")
    assert named in text.replace(expected, "")  # the staff card says the same
