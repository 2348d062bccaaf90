"""The journey model: frozen dataclasses built only from validated data.

Renderers take these objects and nothing else. Every default is already filled in
and every emotion word is resolved to its number, so no renderer needs to know
the YAML format.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from dataclasses import replace as _replace
from pathlib import Path
from typing import Literal

from journeymap.model.evidence import EvidenceSource, Measure

Severity = Literal["low", "medium", "high", "critical"]
SEVERITIES: tuple[Severity, ...] = ("low", "medium", "high", "critical")
State = Literal["current", "future"]
Difficulty = Literal["easy", "medium", "hard"]
ActorKind = Literal["staff", "system"]

DEFAULT_SCALE_LABELS: dict[int, str] = {
    -3: "angry",
    -2: "frustrated",
    -1: "uneasy",
    0: "neutral",
    1: "satisfied",
    2: "happy",
    3: "delighted",
}

#: Okabe-Ito's blue, vermillion and green, then darker hues: eight colours that stay apart
#: for the common colour-vision deficiencies, each at least 3 : 1 against white.
PERSONA_PALETTE: tuple[str, ...] = (
    "#0072B2",
    "#D55E00",
    "#009E73",
    "#AA4499",
    "#8C6D00",
    "#882255",
    "#000000",
    "#5E5E5E",
)


@dataclass(frozen=True)
class Scale:
    """The emotion scale: integers from ``min`` to ``max``, some of them named."""

    min: int = -3
    max: int = 3
    labels: Mapping[int, str] = field(default_factory=lambda: dict(DEFAULT_SCALE_LABELS))

    def word(self, value: int) -> str | None:
        """The word for ``value``, or None when the scale names no word for it."""
        return self.labels.get(value)

    def describe(self, value: int) -> str:
        """The word for ``value`` if there is one, else the number as text."""
        return self.labels.get(value, str(value))

    def normalise(self, value: float) -> float:
        """``value`` mapped to 0..1 across the scale (0 = min, 1 = max)."""
        return 0.5 if self.max == self.min else (value - self.min) / (self.max - self.min)


@dataclass(frozen=True)
class Persona:
    """Someone who takes the journey."""

    id: str
    name: str
    color: str
    role: str | None = None
    description: str | None = None
    goals: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    frustrations: tuple[str, ...] = ()
    quote: str | None = None
    #: True for the stand-in persona of a journey that declares none.
    implicit: bool = False


@dataclass(frozen=True)
class Channel:
    """A declared channel (web, phone, branch, ...)."""

    id: str
    name: str
    color: str | None = None


@dataclass(frozen=True)
class Actor:
    """A staff role or a system that serves the customer behind the scenes (blueprints)."""

    id: str
    name: str
    kind: ActorKind = "staff"
    color: str | None = None


@dataclass(frozen=True)
class Action:
    """One step of a blueprint lane: what someone or something does, and who (an actor id)."""

    text: str
    actor: str | None = None


@dataclass(frozen=True)
class Note:
    """A pain point or an opportunity."""

    text: str
    severity: Severity = "medium"
    owner: str | None = None
    id: str | None = None
    #: True for a pain point marked as an operational failure point (``fail_point: true``).
    fail_point: bool = False


@dataclass(frozen=True)
class Level:
    """A link between levels of a journey: the sub-journey a stage or touchpoint names
    (``journey:``), or an end-to-end journey this one is part of."""

    #: The other journey's file (resolved).
    path: Path
    #: Its title (the file's name when it has none).
    title: str
    #: Where a map links to it (relative to the map); None: shown, not linked.
    href: str | None = None


@dataclass(frozen=True)
class Touchpoint:
    """One moment of the journey, inside a stage."""

    id: str
    name: str
    stage_id: str
    #: Position in the whole journey, 0-based, in file order.
    index: int
    channel: str | None = None
    #: The channel as shown: the declared channel's name, else the raw string.
    channel_name: str | None = None
    personas: tuple[str, ...] = ()
    action: str | None = None
    thought: str | None = None
    #: Persona id -> emotion on the scale; a persona absent here has a gap.
    emotions: Mapping[str, int] = field(default_factory=dict)
    pain_points: tuple[Note, ...] = ()
    opportunities: tuple[Note, ...] = ()
    metrics: Mapping[str, int | float] = field(default_factory=dict)
    moment_of_truth: bool = False
    owner: str | None = None
    #: The backstage as one text, as the map shows it (a list's steps joined by "; ").
    backstage: str | None = None
    #: Ids of the touchpoints that follow this one.
    next: tuple[str, ...] = ()
    #: Blueprint lanes: what the customer sees or receives, staff actions they see, actions
    #: behind the line of visibility (``backstage`` as steps), and supporting systems.
    evidence: tuple[str, ...] = ()
    frontstage: tuple[Action, ...] = ()
    backstage_actions: tuple[Action, ...] = ()
    support: tuple[Action, ...] = ()
    #: Seconds since the journey starts, and how long the moment lasts, when given.
    at: float | None = None
    duration: float | None = None
    #: The sub-journey that details this moment (``journey:``).
    detail: Level | None = None

    def emotion(self, persona_id: str) -> int | None:
        """The emotion ``persona_id`` feels here, or None (a gap)."""
        return self.emotions.get(persona_id)

    @property
    def mean_emotion(self) -> float | None:
        """The mean of the personas' emotions here, or None when nobody has one."""
        values = list(self.emotions.values())
        return sum(values) / len(values) if values else None


@dataclass(frozen=True)
class Stage:
    """A phase of the journey holding touchpoints in order."""

    id: str
    name: str
    index: int
    description: str | None = None
    goal: str | None = None
    touchpoints: tuple[Touchpoint, ...] = ()
    #: How long the stage lasts, in seconds, when given.
    duration: float | None = None
    #: The sub-journey that details this stage (``journey:``).
    detail: Level | None = None


@dataclass(frozen=True)
class Scenario:
    """A hand-written training role-play scenario."""

    id: str
    title: str
    touchpoint: str | None = None
    persona: str | None = None
    difficulty: Difficulty = "medium"
    duration_minutes: int | None = None
    customer_brief: str | None = None
    opening_line: str | None = None
    staff_objective: str | None = None
    guidance: tuple[str, ...] = ()
    avoid: tuple[str, ...] = ()
    debrief: tuple[str, ...] = ()


@dataclass(frozen=True)
class Journey:
    """A whole journey file, validated, with imports merged and defaults filled in."""

    id: str
    title: str
    stages: tuple[Stage, ...]
    personas: tuple[Persona, ...]
    scale: Scale = field(default_factory=Scale)
    summary: str | None = None
    owner: str | None = None
    tags: tuple[str, ...] = ()
    state: State = "current"
    channels: tuple[Channel, ...] = ()
    scenarios: tuple[Scenario, ...] = ()
    #: Staff roles and systems named by the blueprint lanes.
    actors: tuple[Actor, ...] = ()
    #: The BCP 47 language tag of the journey's text; built-in words follow it.
    lang: str = "en"
    #: A title for screen readers when it should differ from ``title`` (Mermaid's accTitle).
    acc_title: str | None = None
    #: The file the journey came from, when it came from one.
    source: Path | None = None
    #: The persona id when this is one persona's view (``for_persona``), else None.
    view_of: str | None = None
    #: Declared survey and analytics exports (``evidence:``).
    evidence: tuple[EvidenceSource, ...] = ()
    #: What they measured, per source, touchpoint and persona (filled by validation).
    measured: tuple[Measure, ...] = ()
    #: The end-to-end journeys whose stages or touchpoints this one details.
    part_of: tuple[Level, ...] = ()

    def measures(self, touchpoint_id: str, persona_id: str | None = None) -> list[Measure]:
        """The measures of one touchpoint (for everyone, or one persona), source order."""
        return [
            m for m in self.measured if m.touchpoint == touchpoint_id and m.persona == persona_id
        ]

    def surveys(self, touchpoint_id: str) -> list[Measure]:
        """The survey measures of one touchpoint that have a mean: in a persona view
        (``for_persona``) the persona's own where a source has them, else everyone's."""
        own = self.measures(touchpoint_id, self.view_of) if self.view_of else []
        found = own or self.measures(touchpoint_id)
        return [x for x in found if x.kind == "survey" and x.mean is not None]

    @property
    def touchpoints(self) -> tuple[Touchpoint, ...]:
        """Every touchpoint in file order."""
        return tuple(tp for stage in self.stages for tp in stage.touchpoints)

    def touchpoint(self, touchpoint_id: str) -> Touchpoint:
        """The touchpoint with this id (KeyError if there is none)."""
        for tp in self.touchpoints:
            if tp.id == touchpoint_id:
                return tp
        raise KeyError(touchpoint_id)

    def persona(self, persona_id: str) -> Persona:
        """The persona with this id (KeyError if there is none)."""
        for persona in self.personas:
            if persona.id == persona_id:
                return persona
        raise KeyError(persona_id)

    def stage(self, stage_id: str) -> Stage:
        """The stage with this id (KeyError if there is none)."""
        for stage in self.stages:
            if stage.id == stage_id:
                return stage
        raise KeyError(stage_id)

    def actor(self, actor_id: str | None) -> Actor | None:
        """The declared actor with this id, or None."""
        return next((a for a in self.actors if a.id == actor_id), None)

    def step_label(self, step: Action) -> str:
        """A blueprint step as one text: ``Checks the ID (Counter clerk)``."""
        actor = self.actor(step.actor)
        who = actor.name if actor else step.actor
        return f"{step.text} ({who})" if who else step.text

    @property
    def has_blueprint(self) -> bool:
        """True when some touchpoint fills a blueprint-only lane (evidence, frontstage, support)."""
        return any(tp.evidence or tp.frontstage or tp.support for tp in self.touchpoints)

    @property
    def details(self) -> tuple[Level, ...]:
        """The sub-journeys named by its stages and touchpoints, in file order."""
        found = [s.detail for s in self.stages] + [tp.detail for tp in self.touchpoints]
        return tuple(level for level in found if level is not None)

    def relinked(
        self, link: Callable[[Level], Level], part_of: tuple[Level, ...] | None = None
    ) -> Journey:
        """This journey with each sub-journey link passed through ``link`` (and ``part_of``
        replaced when given): how a site or an output folder points maps at each other."""

        def again(level: Level | None) -> Level | None:
            return None if level is None else link(level)

        stages = tuple(
            _replace(
                stage,
                detail=again(stage.detail),
                touchpoints=tuple(
                    _replace(tp, detail=again(tp.detail)) for tp in stage.touchpoints
                ),
            )
            for stage in self.stages
        )
        return _replace(self, stages=stages, part_of=self.part_of if part_of is None else part_of)

    def channel(self, channel_id: str) -> Channel | None:
        """The declared channel with this id, or None."""
        return next((c for c in self.channels if c.id == channel_id), None)

    def for_persona(self, persona_id: str) -> Journey:
        """This journey as one persona lives it: only their touchpoints and emotions.

        Stages left empty are kept (the persona passes through them); a ``next`` link to a
        touchpoint the persona does not take is followed on to the ones they do take. The
        id gains the persona's id, so two views of one journey on a page have distinct
        element ids.
        """
        persona = self.persona(persona_id)
        kept = {tp.id for tp in self.touchpoints if persona_id in tp.personas}
        by_id = {tp.id: tp for tp in self.touchpoints}

        def onward(source: str, targets: tuple[str, ...]) -> tuple[str, ...]:
            found: dict[str, None] = {}
            queue, seen = list(targets), {source}
            while queue:
                target = queue.pop(0)
                if target in seen:
                    continue
                seen.add(target)
                if target in kept:
                    found[target] = None
                else:
                    queue.extend(by_id[target].next)
            return tuple(found)

        stages = []
        for stage in self.stages:
            tps = tuple(
                _replace(
                    tp,
                    personas=(persona_id,),
                    emotions={k: v for k, v in tp.emotions.items() if k == persona_id},
                    next=onward(tp.id, tp.next),
                )
                for tp in stage.touchpoints
                if tp.id in kept
            )
            stages.append(_replace(stage, touchpoints=tps))
        scenarios = tuple(s for s in self.scenarios if s.persona in (None, persona_id))
        return _replace(
            self,
            id=f"{self.id}-{persona_id}",
            stages=tuple(stages),
            personas=(persona,),
            scenarios=scenarios,
            view_of=persona_id,
        )
