"""The words on the cards: whole sentences from the journey's language catalog, with the
journey's own words in named slots (never re-cased, never glued into English).

Every function returns ``Section`` tuples; a section whose source field is missing is left
out, so no card shows an empty heading.
"""

from __future__ import annotations

from dataclasses import dataclass

from journeymap.model.journey import (
    Action,
    Journey,
    Note,
    Persona,
    Scale,
    Scenario,
    Stage,
    Touchpoint,
)
from journeymap.text.locale import Messages, clean

#: How long a role-play lasts when the scenario does not say, by difficulty.
DEFAULT_MINUTES: dict[str, int] = {"easy": 8, "medium": 10, "hard": 15}
#: Difficulty of a generated scenario, by the severity of its pain point.
DIFFICULTY_BY_SEVERITY: dict[str, str] = {"medium": "easy", "high": "medium", "critical": "hard"}
#: How many earlier touchpoints the customer brief recalls.
HISTORY_LENGTH = 3


@dataclass(frozen=True)
class Section:
    """One block of a card: an optional heading, then paragraphs, bullets or a quote (in its
    quotation marks);
    ``strong`` is a bold lead line before the heading (the facilitator's scenario titles)."""

    heading: str | None = None
    paragraphs: tuple[str, ...] = ()
    bullets: tuple[str, ...] = ()
    quote: str | None = None
    strong: str | None = None
    #: Kept on one page or card with the sections it is ``joined`` to, when they fit.
    keep: bool = False
    joined: bool = False


def feeling(m: Messages, scale: Scale, value: int | None) -> str | None:
    """The emotion ``value`` in words: the scale's word, else a plain description."""
    if value is None:
        return None
    word = m.scale_word(scale, value)
    if word:
        return word
    if value < 0:
        return m("feeling.negative")
    return m("feeling.positive") if value > 0 else m("feeling.neutral")


def first_sentence(text: str) -> str:
    """The first sentence of ``text`` (up to ". " or "; " or "。"), without its full stop;
    never cut further, so a card shows every word of it."""
    text = clean(text)
    for stop in (". ", "; ", "。"):
        head, found, _ = text.partition(stop)
        if found:
            text = head
    return text.rstrip(".。")


def _who(m: Messages, persona: Persona | None) -> Section | None:
    """Who the customer plays: the same name and role the staff card shows, then the
    persona's description."""
    named = _named(m, persona)
    if named is None or persona is None:
        return None
    lines = [m("who.named", name=named)]
    if persona.description:
        lines.append(persona.description)
    return Section(m("head.who"), (m.sentences(lines),))


def _named(m: Messages, persona: Persona | None) -> str | None:
    """The customer's name with their role (``Ana Lima (Nurse)``; a name that ends in a
    bracket takes its role another way), or None when anonymous."""
    if persona is None or persona.implicit:
        return None
    name = clean(persona.name)
    if not persona.role:
        return name
    key = "person.role_bracketed" if name[-1:] in ")）]】" else "person.role"
    return m(key, name=name, role=clean(persona.role))


def _situation(
    m: Messages, persona: Persona | None, stage: Stage | None, tp: Touchpoint | None
) -> list[str]:
    """The staff card's situation: who comes to them, at which moment, stage and channel."""
    named = _named(m, persona)
    arrives = m("staff.arrives", customer=named) if named else m("staff.arrives_anonymous")
    return [arrives, *_where(m, stage, tp)]


def _where(m: Messages, stage: Stage | None, tp: Touchpoint | None) -> list[str]:
    """The moment, its stage and its channel, as sentences of their own."""
    if tp is None:
        return []
    name = m.quote(clean(tp.name))
    if stage is not None:
        place = [m("place.stage", touchpoint=name, stage=m.quote(clean(stage.name)))]
    else:
        place = [m("place.moment", touchpoint=name)]
    if tp.channel_name:
        place.append(m("place.channel", channel=clean(tp.channel_name)))
    return place


def customer_sections(
    m: Messages,
    journey: Journey,
    persona: Persona | None,
    stage: Stage | None,
    tp: Touchpoint | None,
    note: Note | None,
) -> tuple[Section, ...]:
    """The generated customer brief: who, what happened so far, where now, wants, bothers."""
    sections = [s for s in (_who(m, persona),) if s]
    pid = persona.id if persona else None
    if tp is not None and pid is not None:
        earlier = [
            t
            for t in journey.touchpoints
            if t.index < tp.index and (not t.personas or pid in t.personas)
        ][-HISTORY_LENGTH:]
        steps = []
        for t in earlier:
            how = feeling(m, journey.scale, t.emotion(pid))
            if t.action:
                what = m("step.action", action=m.quote(clean(t.action)))
            else:
                what = m("step.visit", touchpoint=m.quote(clean(t.name)))
            steps.append(m.sentences([what, m("step.felt", feeling=how) if how else ""]))
        if steps:
            sections.append(Section(m("head.so_far"), tuple(steps)))
    if tp is not None:
        now = _where(m, stage, tp)
        how = feeling(m, journey.scale, tp.emotion(pid)) if pid else None
        if how:
            now.append(m("now.feel", feeling=how))
        if tp.action:
            now.append(m("step.action", action=m.quote(clean(tp.action))))
        sections.append(Section(m("head.where"), (m.sentences(now),)))
    wants = []
    if persona and persona.goals:
        wants.append(m.sentence(m("want.goal", goal=clean(persona.goals[0]))))
    if persona and persona.needs:
        wants.append(m.sentence(m("want.need", need=clean(persona.needs[0]))))
    if wants:
        sections.append(Section(m("head.want"), (m.sentences(wants),)))
    if note is not None:
        bother = [m.sentence(m("bother.what", text=clean(note.text)))]
        if note.severity in ("high", "critical"):
            bother.append(m("bother.matters"))
        sections.append(Section(m("head.bothers"), (m.sentences(bother),)))
    return tuple(sections)


def _pains(m: Messages, tp: Touchpoint | None) -> tuple[Section, ...]:
    """The touchpoint's pain points, worst first, for the staff and observer cards."""
    if tp is None or not tp.pain_points:
        return ()
    order = ("critical", "high", "medium", "low")
    notes = sorted(tp.pain_points, key=lambda n: order.index(n.severity))
    items = tuple(
        m("pain.item", text=clean(n.text), severity=m(f"severity.{n.severity}")) for n in notes
    )
    return (Section(m("head.pains"), bullets=items),)


def _has_lanes(tp: Touchpoint) -> bool:
    """True when ``tp`` has blueprint steps beyond a plain backstage text."""
    return bool(tp.frontstage or tp.support or any(s.actor for s in tp.backstage_actions))


def _step(m: Messages, journey: Journey, step: Action) -> str:
    """A blueprint step led by who does it (``Branch advisor: Books the slot``); the text
    alone when it is the actor's own name (a system's step)."""
    actor = journey.actor(step.actor)
    who = clean(actor.name if actor else step.actor)
    text = clean(step.text)
    return m("rely.step", actor=who, text=text) if who and who != text else text


def blueprint_sections(m: Messages, journey: Journey, tp: Touchpoint | None) -> tuple[Section, ...]:
    """For the staff card, from the blueprint: what frontstage colleagues, backstage and
    support do at this moment ("what you can rely on"), and where the service can break.
    Nothing for a touchpoint without blueprint lanes (a text ``backstage`` is in the situation)."""
    if tp is None:
        return ()
    sections = []
    steps = (*tp.frontstage, *tp.backstage_actions, *tp.support)
    if _has_lanes(tp):
        items = tuple(m.sentence(_step(m, journey, s)) for s in steps)
        sections.append(Section(m("head.rely"), bullets=items))
    fails = tuple(m.sentence(clean(n.text)) for n in tp.pain_points if n.fail_point)
    if fails:
        sections.append(Section(m("head.fail_points"), bullets=fails))
    return tuple(sections)


def staff_sections(
    m: Messages,
    journey: Journey,
    persona: Persona | None,
    stage: Stage | None,
    tp: Touchpoint | None,
    note: Note | None,
) -> tuple[Section, ...]:
    """The generated staff brief: situation, objective, guidance, avoid, success."""
    situation = _situation(m, persona, stage, tp)
    if tp is not None and tp.backstage and not _has_lanes(tp):  # else under head.rely
        situation.append(m.sentence(m("staff.backstage", text=clean(tp.backstage))))
    sections = [Section(m("head.situation"), (m.sentences(situation),))]
    objective = m("staff.objective")
    if stage is not None and stage.goal:
        goal = m.sentence(m("staff.stage_goal", goal=m.quote(clean(stage.goal))))
        objective = m.sentences([objective, goal])
    sections.append(Section(m("head.objective"), (objective,)))
    guidance = [m.sentence(o.text) for o in (tp.opportunities if tp else ())]
    guidance.insert(0, m("staff.listen"))
    sections.append(Section(m("head.helps"), bullets=tuple(guidance)))
    avoid = [
        m.sentence(m("staff.avoid_feeling", frustration=clean(f))) for f in _frustrations(persona)
    ]
    avoid.append(m("staff.avoid_blame"))
    if note is not None and note.severity in ("high", "critical"):
        avoid.append(m("staff.avoid_promise"))
    sections.append(Section(m("head.avoid"), bullets=tuple(avoid)))
    sections.append(Section(m("head.success"), (success(m, journey, persona, tp),)))
    return tuple(sections)


def _frustrations(persona: Persona | None) -> tuple[str, ...]:
    return persona.frustrations[:2] if persona else ()


def success(m: Messages, journey: Journey, persona: Persona | None, tp: Touchpoint | None) -> str:
    """What a good outcome sounds like, with the emotion the customer should leave with."""
    text = m("staff.success")
    now = tp.emotion(persona.id) if tp is not None and persona is not None else None
    if now is not None:
        target = min(journey.scale.max, max(now + 2, 1))
        before, after = feeling(m, journey.scale, now), feeling(m, journey.scale, target)
        if before != after:
            text = m.sentences([text, m("staff.mood", before=before, after=after)])
    return text


def debrief_questions(m: Messages, tp: Touchpoint | None, note: Note) -> tuple[str, ...]:
    """Debrief questions fitted to the pain point and its severity."""
    issue = m.quote(first_sentence(note.text))
    questions = [m("debrief.need", issue=issue)]
    if note.severity in ("high", "critical"):
        questions.append(m("debrief.tone"))
        questions.append(m("debrief.stay"))
    else:
        questions.append(m("debrief.easier"))
    if note.owner:
        questions.append(m("debrief.fix_owner", owner=note.owner))
    else:
        questions.append(m("debrief.fix"))
    if tp is not None and tp.moment_of_truth:
        questions.append(m("debrief.truth"))
    return tuple(questions)


def authored_customer(
    m: Messages, persona: Persona | None, scenario: Scenario
) -> tuple[Section, ...]:
    """The customer brief of a hand-written scenario, as written (plus who they play)."""
    sections = [s for s in (_who(m, persona),) if s]
    if scenario.customer_brief:
        sections.append(Section(m("head.your_situation"), (clean(scenario.customer_brief),)))
    return tuple(sections)


def authored_staff(
    m: Messages,
    persona: Persona | None,
    stage: Stage | None,
    tp: Touchpoint | None,
    scenario: Scenario,
) -> tuple[Section, ...]:
    """The staff brief of a hand-written scenario, as written, with the touchpoint's pain
    points."""
    sections = []
    if tp is not None or (persona is not None and not persona.implicit):
        situation = m.sentences(_situation(m, persona, stage, tp))
        sections.append(Section(m("head.situation"), (situation,)))
    if scenario.staff_objective:
        sections.append(Section(m("head.objective"), (clean(scenario.staff_objective),)))
    sections.extend(_pains(m, tp))
    if scenario.guidance:
        sections.append(Section(m("head.helps"), bullets=tuple(map(clean, scenario.guidance))))
    if scenario.avoid:
        sections.append(Section(m("head.avoid"), bullets=tuple(map(clean, scenario.avoid))))
    return tuple(sections)


def observer_sections(
    m: Messages,
    objective: str | None,
    debrief: tuple[str, ...],
    minutes: int,
    tp: Touchpoint | None = None,
) -> tuple[Section, ...]:
    """The observer card: the objective, the moment's pain points (for hand-written
    scenarios), what to watch for, and the questions for the debrief."""
    watch = [m("watch.words"), m("watch.promise"), m.count("watch.time", minutes)]
    sections = []
    if objective:
        sections.append(Section(m("head.staff_objective"), (clean(objective),)))
    sections.extend(_pains(m, tp))
    sections.append(Section(m("head.watch"), bullets=tuple(watch)))
    if debrief:
        sections.append(Section(m("head.debrief"), bullets=debrief))
    return tuple(sections)
