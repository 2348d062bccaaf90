"""The words on the cards: natural sentences built from the journey, never raw ids.

Every function returns ``Section`` tuples; a section whose source field is missing is left
out, so no card shows an empty heading.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from journeymap.model.journey import Journey, Note, Persona, Scale, Scenario, Stage, Touchpoint

#: How long a role-play lasts when the scenario does not say, by difficulty.
DEFAULT_MINUTES: dict[str, int] = {"easy": 8, "medium": 10, "hard": 15}
#: Difficulty of a generated scenario, by the severity of its pain point.
DIFFICULTY_BY_SEVERITY: dict[str, str] = {"medium": "easy", "high": "medium", "critical": "hard"}
#: How many earlier touchpoints the customer brief recalls.
HISTORY_LENGTH = 3


@dataclass(frozen=True)
class Section:
    """One block of a card: an optional heading, then paragraphs, bullets or a quote;
    ``strong`` is a bold lead line before the heading (the facilitator's scenario titles)."""

    heading: str | None = None
    paragraphs: tuple[str, ...] = ()
    bullets: tuple[str, ...] = ()
    quote: str | None = None
    strong: str | None = None


def _clean(text: str | None) -> str:
    """``text`` with runs of whitespace collapsed (YAML folded text keeps none of value)."""
    return " ".join((text or "").split())


def sentence(text: str) -> str:
    """``text`` ending in a full stop unless it already ends in punctuation."""
    text = _clean(text)
    if text and text[-1] not in ".!?…。！？":
        text += "."
    return text


def lower_first(text: str) -> str:
    """``text`` with its first letter lower-cased, unless the second is upper case too
    (an acronym such as ``PIN``) or the first word is ``I``."""
    text = _clean(text)
    first = text.split(" ", 1)[0]
    if not first or (len(first) > 1 and first.isupper()) or first == "I" or first.startswith("I'"):
        return text
    return text[0].lower() + text[1:]


def feeling(scale: Scale, value: int | None) -> str | None:
    """The emotion ``value`` in words: the scale's word, else a plain description."""
    if value is None:
        return None
    word = scale.word(value)
    if word:
        return word
    if value < 0:
        return "unhappy"
    return "content" if value > 0 else "neutral"


def first_sentence(text: str) -> str:
    """The first sentence of ``text`` (up to ". " or "; "), without its full stop; never cut
    further, so a card shows every word of it."""
    text = _clean(text)
    for stop in (". ", "; "):
        head, found, _ = text.partition(stop)
        if found:
            text = head
    return text.rstrip(".")


def join_words(items: Iterable[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    items = list(items)
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


#: Channels one is *in* rather than *using*.
_PLACES = frozenset({"branch", "store", "shop", "clinic", "hotel", "reception", "office"})


def _who(persona: Persona | None) -> Section | None:
    if persona is None or persona.implicit:
        return None
    lines = [
        f"You are {persona.name}" + (f", {lower_first(persona.role)}." if persona.role else ".")
    ]
    if persona.description:
        lines.append(sentence(persona.description))
    return Section("Who you are", (" ".join(lines),))


def _staff_who(persona: Persona | None) -> str:
    if persona is None or persona.implicit:
        return "A customer"
    return persona.name + (f" ({lower_first(persona.role)})" if persona.role else "")


def _where(stage: Stage | None, tp: Touchpoint | None) -> str:
    """``"Register for the mobile app" (Decision and set-up, in the app)``-style place text."""
    if tp is None:
        return ""
    place = f"“{_clean(tp.name)}”"
    if stage is not None:
        place += f", in the {_clean(stage.name)} stage"
    if tp.channel_name:
        channel = lower_first(tp.channel_name)
        place += f", in the {channel}" if channel in _PLACES else f", using the {channel}"
    return place


def customer_sections(
    journey: Journey,
    persona: Persona | None,
    stage: Stage | None,
    tp: Touchpoint | None,
    note: Note | None,
) -> tuple[Section, ...]:
    """The generated customer brief: who, what happened so far, where now, wants, bothers."""
    sections = [s for s in (_who(persona),) if s]
    pid = persona.id if persona else None
    if tp is not None and pid is not None:
        earlier = [
            t
            for t in journey.touchpoints
            if t.index < tp.index and (not t.personas or pid in t.personas)
        ][-HISTORY_LENGTH:]
        steps = []
        for t in earlier:
            how = feeling(journey.scale, t.emotion(pid))
            what = (
                f"“{sentence(t.action)}”" if t.action else f"You went through “{_clean(t.name)}”."
            )
            steps.append(what + (f" You felt {how}." if how else ""))
        if steps:
            sections.append(Section("What happened so far", tuple(steps)))
    if tp is not None:
        now = [f"You are now at {_where(stage, tp)}."]
        how = feeling(journey.scale, tp.emotion(pid)) if pid else None
        if how:
            now.append(f"You feel {how}.")
        if tp.action:
            now.append(f"In your words: “{_clean(tp.action)}”")
        sections.append(Section("Where you are", (" ".join(now),)))
    wants = []
    if persona and persona.goals:
        wants.append(f"You want to {lower_first(persona.goals[0]).rstrip('.')}.")
    if persona and persona.needs:
        wants.append(f"You need {lower_first(persona.needs[0]).rstrip('.')}.")
    if wants:
        sections.append(Section("What you want", (" ".join(wants),)))
    if note is not None:
        bother = [f"What gets to you: {lower_first(sentence(note.text))}"]
        if note.severity in ("high", "critical"):
            bother.append("This matters a lot to you; do not let it go easily.")
        sections.append(Section("What bothers you", (" ".join(bother),)))
    return tuple(sections)


def staff_sections(
    journey: Journey,
    persona: Persona | None,
    stage: Stage | None,
    tp: Touchpoint | None,
    note: Note | None,
) -> tuple[Section, ...]:
    """The generated staff brief: situation, objective, guidance, avoid, success."""
    situation = [f"{_staff_who(persona)} comes to you"]
    if tp is not None:
        situation[0] += f" at {_where(stage, tp)}"
    situation[0] += "."
    if tp is not None and tp.backstage:
        situation.append(f"Behind the scenes: {lower_first(sentence(tp.backstage))}")
    sections = [Section("The situation", (" ".join(situation),))]
    goal = stage.goal if stage and stage.goal else None
    objective = "Find out what the customer needs, deal with what is in your power today, and "
    objective += "agree a clear next step they can rely on."
    if goal:
        objective += f" The aim at this stage: {lower_first(sentence(goal))}"
    sections.append(Section("Your objective", (objective,)))
    guidance = [sentence(o.text) for o in (tp.opportunities if tp else ())]
    guidance.insert(0, "Listen to the whole story before you explain anything.")
    sections.append(Section("What helps", bullets=tuple(guidance)))
    avoid = [
        sentence(f"Anything that feels like: {lower_first(f)}") for f in _frustrations(persona)
    ]
    avoid.append("Blaming the customer, a colleague or “the system”.")
    if note is not None and note.severity in ("high", "critical"):
        avoid.append("Promising an outcome or a date you cannot control.")
    sections.append(Section("What to avoid", bullets=tuple(avoid)))
    sections.append(Section("Success looks like", (success(journey, persona, tp),)))
    return tuple(sections)


def _frustrations(persona: Persona | None) -> tuple[str, ...]:
    return persona.frustrations[:2] if persona else ()


def success(journey: Journey, persona: Persona | None, tp: Touchpoint | None) -> str:
    """What a good outcome sounds like, with the emotion the customer should leave with."""
    text = "The customer can say in their own words what happens next and when."
    now = tp.emotion(persona.id) if tp is not None and persona is not None else None
    if now is not None:
        target = min(journey.scale.max, max(now + 2, 1))
        before, after = feeling(journey.scale, now), feeling(journey.scale, target)
        if before != after:
            text += f" They arrived {before} and leave {after}."
    return text


def debrief_questions(tp: Touchpoint | None, note: Note) -> tuple[str, ...]:
    """Debrief questions fitted to the pain point and its severity."""
    issue = lower_first(first_sentence(note.text))
    questions = [f"What did the customer need most when {issue}, and did they get it?"]
    if note.severity in ("high", "critical"):
        questions.append("At what point did the customer's tone change, and what caused it?")
        questions.append("Would this customer still stay with us? What decided it?")
    else:
        questions.append("What one thing would have made this moment easier for the customer?")
    fix = f" and what needs {note.owner} to change" if note.owner else " and what needs a change"
    questions.append(f"What could staff fix on the spot{fix}?")
    if tp is not None and tp.moment_of_truth:
        questions.append(
            "This is a moment of truth: what would the customer tell a friend afterwards?"
        )
    return tuple(questions)


def authored_customer(persona: Persona | None, scenario: Scenario) -> tuple[Section, ...]:
    """The customer brief of a hand-written scenario, as written (plus who they play)."""
    sections = [s for s in (_who(persona),) if s]
    if scenario.customer_brief:
        sections.append(Section("Your situation", (_clean(scenario.customer_brief),)))
    return tuple(sections)


def authored_staff(
    persona: Persona | None, stage: Stage | None, tp: Touchpoint | None, scenario: Scenario
) -> tuple[Section, ...]:
    """The staff brief of a hand-written scenario, as written."""
    sections = []
    if tp is not None or (persona is not None and not persona.implicit):
        where = f" at {_where(stage, tp)}" if tp is not None else ""
        sections.append(Section("The situation", (f"{_staff_who(persona)} comes to you{where}.",)))
    if scenario.staff_objective:
        sections.append(Section("Your objective", (_clean(scenario.staff_objective),)))
    if scenario.guidance:
        sections.append(Section("What helps", bullets=tuple(map(_clean, scenario.guidance))))
    if scenario.avoid:
        sections.append(Section("What to avoid", bullets=tuple(map(_clean, scenario.avoid))))
    return tuple(sections)


def observer_sections(
    objective: str | None, debrief: tuple[str, ...], minutes: int
) -> tuple[Section, ...]:
    """The observer card: what to watch for, and the questions for the debrief."""
    watch = [
        "Note the exact words where the customer's mood changes, for better or worse.",
        "Note what the staff member promised, and whether it is in their power.",
        f"Call time after {minutes} minutes.",
    ]
    sections = []
    if objective:
        sections.append(Section("The staff member's objective", (_clean(objective),)))
    sections.append(Section("Watch for", bullets=tuple(watch)))
    if debrief:
        sections.append(Section("Debrief questions", bullets=debrief))
    return tuple(sections)
