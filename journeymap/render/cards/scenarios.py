"""Scenarios for the deck: the journey's hand-written ones and generated ones for every
medium-or-worse pain point that no hand-written scenario covers; filters and shuffling.

A generated scenario opens with a real customer's comment from the journey's survey evidence
(already masked) when the touchpoint has an unhappy one, else with the touchpoint's thought.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Literal

from journeymap.model.evidence import Comment
from journeymap.model.journey import SEVERITIES, Journey, Note, Persona, Scenario, Stage, Touchpoint
from journeymap.render.cards import text
from journeymap.render.cards.text import Section
from journeymap.text.locale import Messages, clean, messages

Source = Literal["authored", "generated"]
SOURCES: tuple[str, ...] = ("authored", "generated", "all")
DIFFICULTIES: tuple[str, ...] = ("easy", "medium", "hard")


def _play_tips(m: Messages) -> Section:
    return Section(m("head.play"), bullets=(m("play.stay"), m("play.soften")))


@dataclass(frozen=True)
class RealComment:
    """A customer's own (masked) words used as a scenario's opening line, and their source."""

    comment: Comment
    source: str


@dataclass(frozen=True)
class Play:
    """A scenario ready for the cards: its context and the words on each role's card."""

    id: str
    title: str
    source: Source
    difficulty: str
    duration_minutes: int
    persona: Persona | None
    stage: Stage | None
    touchpoint: Touchpoint | None
    #: The pain point a generated scenario is about.
    pain_point: Note | None
    customer: tuple[Section, ...]
    staff: tuple[Section, ...]
    observer: tuple[Section, ...]
    debrief: tuple[str, ...]
    #: The real comment the customer opens with (generated scenarios), for the facilitator.
    real_comment: RealComment | None = None


def _stage_of(journey: Journey, tp: Touchpoint | None) -> Stage | None:
    return journey.stage(tp.stage_id) if tp is not None else None


def _lookup_touchpoint(journey: Journey, tid: str | None) -> Touchpoint | None:
    try:
        return journey.touchpoint(tid) if tid else None
    except KeyError:
        return None


def _lookup_persona(journey: Journey, pid: str | None) -> Persona | None:
    try:
        return journey.persona(pid) if pid else None
    except KeyError:
        return None


def _opening(m: Messages, line: str | None, real: bool = False) -> tuple[Section, ...]:
    cleaned = clean(line)
    heading = m("head.opening_real" if real else "head.opening")
    return (Section(heading, quote=m.quote(cleaned)),) if cleaned else ()


def real_comment(journey: Journey, tp: Touchpoint, persona: Persona | None) -> RealComment | None:
    """The unhappiest survey comment at ``tp`` (scored in the lower half of its scale), the
    persona's own first; the most recent of equal scores. None when there is none."""
    who = [persona.id] if persona is not None and not persona.implicit else []
    for pid in (*who, None):
        found = [
            RealComment(c, x.source)
            for x in journey.measures(tp.id, pid)
            if x.kind == "survey"
            for c in x.comments
            if c.text.strip() and c.score <= (x.low + x.high) / 2
        ]
        if found:
            found.sort(key=lambda r: r.comment.date or "", reverse=True)
            return min(found, key=lambda r: r.comment.score)
    return None


def authored(journey: Journey, scenario: Scenario) -> Play:
    """A hand-written scenario, used as written."""
    m = messages(journey.lang)
    tp = _lookup_touchpoint(journey, scenario.touchpoint)
    stage = _stage_of(journey, tp)
    persona = _lookup_persona(journey, scenario.persona)
    minutes = scenario.duration_minutes or text.DEFAULT_MINUTES[scenario.difficulty]
    debrief = tuple(map(clean, scenario.debrief))
    customer = text.authored_customer(m, persona, scenario) + _opening(m, scenario.opening_line)
    return Play(
        id=scenario.id,
        title=clean(scenario.title),
        source="authored",
        difficulty=scenario.difficulty,
        duration_minutes=minutes,
        persona=persona,
        stage=stage,
        touchpoint=tp,
        pain_point=None,
        customer=(*customer, _play_tips(m)),
        staff=(
            *text.authored_staff(m, persona, stage, tp, scenario),
            *text.blueprint_sections(m, journey, tp),
        ),
        observer=text.observer_sections(m, scenario.staff_objective, debrief, minutes, tp),
        debrief=debrief,
    )


def _player(journey: Journey, tp: Touchpoint) -> Persona | None:
    """The persona who feels worst at ``tp`` (first in file order on a tie)."""
    ids = tp.personas or tuple(p.id for p in journey.personas)
    candidates = [p for p in journey.personas if p.id in ids]
    if not candidates:
        return None
    return min(candidates, key=lambda p: (tp.emotion(p.id) is None, tp.emotion(p.id) or 0))


def generated(
    journey: Journey, tp: Touchpoint, note: Note, number: int, comments: bool = True
) -> Play:
    """A scenario written from the journey around one pain point; with ``comments`` the
    customer opens with a real comment from the evidence where there is one."""
    m = messages(journey.lang)
    stage = _stage_of(journey, tp)
    persona = _player(journey, tp)
    real = real_comment(journey, tp, persona) if comments else None
    difficulty = text.DIFFICULTY_BY_SEVERITY.get(note.severity, "medium")
    minutes = text.DEFAULT_MINUTES[difficulty]
    debrief = text.debrief_questions(m, tp, note)
    customer = text.customer_sections(m, journey, persona, stage, tp, note)
    if real is not None:
        customer += _opening(m, real.comment.text, real=True)
    else:
        customer += _opening(m, tp.thought)
    staff = text.staff_sections(m, journey, persona, stage, tp, note)
    staff += text.blueprint_sections(m, journey, tp)
    objective = next((s.paragraphs[0] for s in staff if s.heading == m("head.objective")), None)
    return Play(
        id=f"generated-{number}-{note.id or tp.id}",
        title=text.first_sentence(note.text),
        source="generated",
        difficulty=difficulty,
        duration_minutes=minutes,
        persona=persona,
        stage=stage,
        touchpoint=tp,
        pain_point=note,
        customer=(*customer, _play_tips(m)),
        staff=staff,
        observer=text.observer_sections(m, objective, debrief, minutes),
        debrief=debrief,
        real_comment=real,
    )


def uncovered_pain_points(journey: Journey) -> list[tuple[Touchpoint, Note]]:
    """Pain points of severity medium or above at touchpoints no authored scenario is set at."""
    covered = {s.touchpoint for s in journey.scenarios if s.touchpoint}
    floor = SEVERITIES.index("medium")
    return [
        (tp, note)
        for tp in journey.touchpoints
        if tp.id not in covered
        for note in tp.pain_points
        if SEVERITIES.index(note.severity) >= floor
    ]


def collect(journey: Journey, source: str = "all", comments: bool = True) -> list[Play]:
    """Every scenario of ``source`` in journey order (authored before generated at a moment);
    ``comments``: generated ones may open with a real customer comment."""
    plays: list[tuple[tuple[int, int, int], Play]] = []
    if source in ("authored", "all"):
        for order, scenario in enumerate(journey.scenarios):
            play = authored(journey, scenario)
            index = play.touchpoint.index if play.touchpoint else -1
            plays.append(((index, 0, order), play))
    if source in ("generated", "all"):
        for order, (tp, note) in enumerate(uncovered_pain_points(journey), start=1):
            play = generated(journey, tp, note, order, comments)
            plays.append(((tp.index, 1, order), play))
    return [play for _, play in sorted(plays, key=lambda item: item[0])]


def select(
    plays: list[Play],
    *,
    persona: str | None = None,
    stage: str | None = None,
    difficulty: str | None = None,
    shuffle: int | None = None,
) -> list[Play]:
    """Plays matching the filters (a play for no persona matches every persona), in order
    or shuffled deterministically by ``shuffle``."""
    chosen = [
        p
        for p in plays
        if (persona is None or p.persona is None or p.persona.id == persona)
        and (stage is None or (p.stage is not None and p.stage.id == stage))
        and (difficulty is None or p.difficulty == difficulty)
    ]
    if shuffle is not None:
        random.Random(shuffle).shuffle(chosen)
    return chosen
