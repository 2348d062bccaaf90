"""Mermaid ``journey`` diagrams: export a Journey, import a diagram as journeymap YAML.

Mermaid's user-journey grammar (``journey.jison``) gives every task one score from 1 to 5
and a comma-separated list of actors. Choices made here:

* Scores: our scale maps linearly onto 1..5, rounded half up; a task's score is the mean of
  its personas' emotions; a touchpoint nobody has an emotion for gets the middle score 3.
  Import maps 1..5 back linearly onto the default -3..3 scale (round half up), so
  export -> import -> export gives the same scores.
* Characters Mermaid cannot take in names are replaced by look-alikes: ``:`` -> ``∶``
  (U+2236 RATIO), ``#`` -> ``♯`` (U+266F), ``;`` -> ``﹔`` (U+FE54), and in actor names
  ``,`` -> ``‚`` (U+201A); line breaks and tabs become spaces. A task name that would start with a
  Mermaid keyword (``journey``, ``title``, ``section``, ``accTitle``, ``accDescr``, ``%%``)
  gets an invisible U+2060 WORD JOINER in front. Import turns all of these back.
* Import gives a journey without lint warnings: a touchpoint whose score lands in the
  bottom two levels of the scale gets one placeholder pain point saying what to fill in.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from journeymap.model.journey import DEFAULT_SCALE_LABELS, PERSONA_PALETTE, Journey, Scale
from journeymap.model.slug import slug

#: ASCII character -> the look-alike written in its place.
LOOK_ALIKES: dict[str, str] = {":": "\u2236", "#": "\u266f", ";": "\ufe54"}
ACTOR_COMMA = "\u201a"
WORD_JOINER = "\u2060"
_KEYWORD = re.compile(r"^(journey|title\s|section\s|acctitle|accdescr|%%)", re.IGNORECASE)
_SPACE = re.compile(r"\s+")
_FENCE = re.compile(r"^```+[ \t]*mermaid[ \t]*$(.*?)^```", re.MULTILINE | re.DOTALL | re.IGNORECASE)
DEFAULT_SCALE = Scale()
PLACEHOLDER_PAIN = "Imported from Mermaid with a low score; describe what hurts here."


class MermaidError(ValueError):
    """The text is not a Mermaid journey diagram we can read; ``line`` is 1-based."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line


def _round_half_up(value: float) -> int:
    return math.floor(value + 0.5)


def to_score(value: float, scale: Scale) -> int:
    """An emotion on ``scale`` as a Mermaid score 1..5."""
    return min(5, max(1, _round_half_up(1 + 4 * scale.normalise(value))))


def from_score(score: int, scale: Scale = DEFAULT_SCALE) -> int:
    """A Mermaid score 1..5 as an emotion on ``scale``."""
    return _round_half_up(scale.min + (score - 1) * (scale.max - scale.min) / 4)


def escape(text: str, *, actor: bool = False, task: bool = False) -> str:
    """``text`` made safe for one Mermaid name (see the module docstring).

    ``actor`` also replaces commas; ``task`` guards a name that would start like a keyword
    (only task names start a line on their own).
    """
    out = _SPACE.sub(" ", text).strip()
    for plain, look_alike in LOOK_ALIKES.items():
        out = out.replace(plain, look_alike)
    if actor:
        out = out.replace(",", ACTOR_COMMA)
    if task and _KEYWORD.match(out):
        out = WORD_JOINER + out
    return out or "(unnamed)"


def unescape(text: str) -> str:
    """The name ``escape`` was given, as far as it can be recovered."""
    out = text.replace(WORD_JOINER, "").replace(ACTOR_COMMA, ",")
    for plain, look_alike in LOOK_ALIKES.items():
        out = out.replace(look_alike, plain)
    return out.strip()


def export(journey: Journey) -> str:
    """The journey as a Mermaid ``journey`` block (without the Markdown fence)."""
    names = {p.id: escape(p.name, actor=True) for p in journey.personas}
    lines = ["journey", f"    title {escape(journey.title)}"]
    for stage in journey.stages:
        lines.append(f"    section {escape(stage.name)}")
        for tp in stage.touchpoints:
            mean = tp.mean_emotion
            score = 3 if mean is None else to_score(mean, journey.scale)
            actors = ", ".join(names[p] for p in tp.personas)
            lines.append(f"      {escape(tp.name, task=True)}: {score}: {actors}".rstrip())
    return "\n".join(lines) + "\n"


@dataclass
class Diagram:
    """A parsed Mermaid journey: title, and sections of (task, score, actors)."""

    title: str | None = None
    sections: list[tuple[str, list[tuple[str, int, list[str]]]]] = field(default_factory=list)


def _body(text: str) -> tuple[str, int]:
    """The diagram text: the first ```` ```mermaid ```` journey fence of Markdown, else all of
    ``text``; and the number of lines before it."""
    for match in _FENCE.finditer(text):
        if match.group(1).strip().lower().startswith("journey"):
            return match.group(1), text.count("\n", 0, match.start(1))
    return text, 0


def parse(text: str) -> Diagram:
    """Read a Mermaid journey diagram, alone or in a Markdown ```` ```mermaid ```` fence."""
    diagram = Diagram()
    started = False
    body, before = _body(text)
    for number, raw in enumerate(body.splitlines(), before + 1):
        line = raw.strip()
        if not line or line.startswith(("%%", "#", "```")):
            continue
        lowered = line.lower()
        if not started:
            if lowered != "journey":
                raise MermaidError(number, "a Mermaid user journey starts with 'journey'")
            started = True
        elif lowered.startswith(("acctitle", "accdescr")):
            continue
        elif re.match(r"title\s", lowered):
            diagram.title = unescape(line[6:])
        elif re.match(r"section\s", lowered):
            diagram.sections.append((unescape(line[8:]), []))
        else:
            diagram.sections[-1:] = diagram.sections[-1:] or [("Journey", [])]
            diagram.sections[-1][1].append(_task(number, line))
    if not started:
        raise MermaidError(1, "no 'journey' diagram found")
    return diagram


def _task(number: int, line: str) -> tuple[str, int, list[str]]:
    """``Task name: score: Actor1, Actor2`` as (name, score, actors)."""
    name, sep, data = line.partition(":")
    if not sep or not name.strip():
        raise MermaidError(number, f"expected 'Task name: score: actors', got {line!r}")
    score_text, _, actors_text = data.partition(":")
    try:
        score = int(score_text.strip())
    except ValueError:
        raise MermaidError(number, f"the score must be a whole number 1-5: {line!r}") from None
    if not 1 <= score <= 5:
        raise MermaidError(number, f"the score must be between 1 and 5, not {score}")
    actors = [unescape(a) for a in actors_text.split(",") if a.strip()]
    return unescape(name), score, actors


def _unique(text: str, taken: set[str], fallback: str) -> str:
    base = slug(text) or fallback
    out, n = base, 2
    while out in taken:
        out, n = f"{base}-{n}", n + 1
    taken.add(out)
    return out


def to_yaml(diagram: Diagram, title: str = "Imported journey") -> str:
    """journeymap YAML (format 1) for ``diagram``: sections as stages, actors as personas."""
    import yaml

    persona_ids: dict[str, str] = {}
    persona_taken: set[str] = set()
    personas: list[dict[str, str]] = []
    for _, tasks in diagram.sections:
        for _, _, actors in tasks:
            for actor in actors:
                if actor not in persona_ids:
                    persona_ids[actor] = _unique(actor, persona_taken, "persona")
                    color = PERSONA_PALETTE[len(personas) % len(PERSONA_PALETTE)]
                    personas.append({"id": persona_ids[actor], "name": actor, "color": color})
    stage_taken: set[str] = set()
    tp_taken: set[str] = set()
    low = sorted(DEFAULT_SCALE_LABELS)[:2]
    stages = []
    for name, tasks in diagram.sections:
        touchpoints = []
        for task, score, actors in tasks:
            tp: dict[str, object] = {"id": _unique(task, tp_taken, "touchpoint"), "name": task}
            if actors:
                tp["personas"] = list(dict.fromkeys(persona_ids[a] for a in actors))
            tp["emotion"] = from_score(score)
            if tp["emotion"] in low:
                tp["pain_points"] = [PLACEHOLDER_PAIN]
            touchpoints.append(tp)
        stage: dict[str, object] = {"id": _unique(name, stage_taken, "stage"), "name": name}
        stage["touchpoints"] = touchpoints
        stages.append(stage)
    data: dict[str, object] = {"journeymap": 1, "title": diagram.title or title}
    if personas:
        data["personas"] = personas
    data["stages"] = stages
    header = "# Imported from a Mermaid journey diagram by journeymap import mermaid.\n"
    return header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
