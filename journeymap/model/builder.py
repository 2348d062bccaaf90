"""Turns checked data into the frozen model: words resolved, defaults filled in."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from journeymap.model.duration import parse_duration
from journeymap.model.evidence import sources_of
from journeymap.model.index import Entry, Index
from journeymap.model.journey import (
    PERSONA_PALETTE,
    Action,
    Actor,
    Channel,
    Journey,
    Level,
    Note,
    Persona,
    Scale,
    Scenario,
    Stage,
    Touchpoint,
)
from journeymap.model.lang import DEFAULT_LANG
from journeymap.model.slug import file_slug, normalise_id

IMPLICIT_PERSONA = "customer"


def _opt(data: dict[str, Any], key: str) -> str | None:
    value = data.get(key)
    return value if isinstance(value, str) and value.strip() else None


def _strs(data: dict[str, Any], key: str) -> tuple[str, ...]:
    return tuple(v for v in data.get(key) or () if isinstance(v, str))


def _notes(items: list[Any] | None) -> tuple[Note, ...]:
    notes = []
    for item in items or ():
        if isinstance(item, str):
            notes.append(Note(item))
        else:
            notes.append(
                Note(
                    item["text"],
                    item.get("severity", "medium"),
                    _opt(item, "owner"),
                    _opt(item, "id"),
                    item.get("fail_point") is True,
                )
            )
    return tuple(notes)


def _actions(value: Any, key: str) -> tuple[Action, ...]:
    """A blueprint lane: text, or a list of text and ``{text, <key>}`` mappings."""
    if isinstance(value, str):
        return (Action(value),) if value.strip() else ()
    actions = []
    for item in value or ():
        if isinstance(item, str):
            actions.append(Action(item))
        else:
            ref = item.get(key)
            actions.append(Action(item["text"], normalise_id(ref) if ref else None))
    return tuple(actions)


def _seconds(data: dict[str, Any], key: str) -> float | None:
    value = data.get(key)
    return parse_duration(value) if isinstance(value, str) else None


def _persona(entry: Entry, position: int) -> Persona:
    d = entry.data
    return Persona(
        id=entry.id,
        name=d["name"],
        color=d.get("color") or PERSONA_PALETTE[position % len(PERSONA_PALETTE)],
        role=_opt(d, "role"),
        description=_opt(d, "description"),
        goals=_strs(d, "goals"),
        needs=_strs(d, "needs"),
        frustrations=_strs(d, "frustrations"),
        quote=_opt(d, "quote"),
    )


def level(data: dict[str, Any], base: Path, titles: Mapping[Path, str]) -> Level | None:
    """The sub-journey a stage or touchpoint names (``journey:``, relative to ``base``),
    titled from ``titles`` (its file's name when absent)."""
    rel = data.get("journey")
    if not isinstance(rel, str):
        return None
    path = (base / rel).resolve()
    return Level(path, titles.get(path) or path.stem)


def build(
    index: Index,
    data: dict[str, Any],
    source: Path | None,
    titles: Mapping[Path, str] | None = None,
) -> Journey:
    """The :class:`Journey` of a document that passed every check; ``titles`` names its
    sub-journeys by resolved path."""
    base = source.parent if source else Path.cwd()
    here = source.resolve().parent if source else Path.cwd()  # as imports resolve
    titles = titles or {}
    personas = tuple(_persona(p, i) for i, p in enumerate(index.personas))
    if not personas:
        personas = (Persona(IMPLICIT_PERSONA, "Customer", PERSONA_PALETTE[0], implicit=True),)
    all_ids = tuple(p.id for p in personas)
    channels = tuple(
        Channel(c.id, c.data.get("name") or c.id, c.data.get("color")) for c in index.channels
    )
    channel_names = {c.id: c.name for c in channels}
    tp_ids = [t.id for t in index.touchpoints]

    stage_tps: dict[int, list[Touchpoint]] = {id(s): [] for s in index.stages}
    for position, (entry, stage) in enumerate(
        zip(index.touchpoints, index.touchpoint_stage, strict=True)
    ):
        d = entry.data
        members = tuple(normalise_id(p) for p in d["personas"]) if "personas" in d else all_ids
        emotion = d.get("emotion")
        if isinstance(emotion, dict):
            by_id = {normalise_id(k): index.emotion_value(v) for k, v in emotion.items()}
            emotions = {p: by_id[p] for p in members if by_id.get(p) is not None}
        elif emotion is not None:
            value = index.emotion_value(emotion)
            emotions = {p: value for p in members if value is not None}
        else:
            emotions = {}
        if "next" in d:
            next_ids = tuple(normalise_id(n) for n in d["next"])
        else:
            next_ids = (tp_ids[position + 1],) if position + 1 < len(tp_ids) else ()
        channel = _opt(d, "channel")
        backstage = _actions(d.get("backstage"), "actor")
        stage_tps[id(stage)].append(
            Touchpoint(
                id=entry.id,
                name=d["name"],
                stage_id=stage.id,
                index=position,
                channel=channel,
                channel_name=channel_names.get(channel, channel) if channel else None,
                personas=members,
                action=_opt(d, "action"),
                thought=_opt(d, "thought"),
                emotions=emotions,  # type: ignore[arg-type]
                pain_points=_notes(d.get("pain_points")),
                opportunities=_notes(d.get("opportunities")),
                metrics=dict(d.get("metrics") or {}),
                moment_of_truth=bool(d.get("moment_of_truth", False)),
                owner=_opt(d, "owner"),
                backstage=_opt(d, "backstage") or "; ".join(a.text for a in backstage) or None,
                next=next_ids,
                evidence=_strs(d, "evidence"),
                frontstage=_actions(d.get("frontstage"), "actor"),
                backstage_actions=backstage,
                support=_actions(d.get("support"), "system"),
                at=_seconds(d, "at"),
                duration=_seconds(d, "duration"),
                detail=level(d, here, titles),
            )
        )
    stages = tuple(
        Stage(
            id=s.id,
            name=s.data["name"],
            index=i,
            description=_opt(s.data, "description"),
            goal=_opt(s.data, "goal"),
            touchpoints=tuple(stage_tps[id(s)]),
            duration=_seconds(s.data, "duration"),
            detail=level(s.data, here, titles),
        )
        for i, s in enumerate(index.stages)
    )
    scenarios = tuple(_scenario(s) for s in index.scenarios)
    title = data["title"]
    return Journey(
        id=file_slug(source.stem) if source else file_slug(title),
        title=title,
        stages=stages,
        personas=personas,
        scale=Scale(index.scale_min, index.scale_max, dict(sorted(index.scale_labels.items()))),
        summary=_opt(data, "summary"),
        acc_title=_opt(data, "acc_title"),
        owner=_opt(data, "owner"),
        tags=_strs(data, "tags"),
        state=data.get("state", "current"),
        channels=channels,
        scenarios=scenarios,
        actors=tuple(
            Actor(
                a.id, a.data.get("name") or a.id, a.data.get("kind", "staff"), a.data.get("color")
            )
            for a in index.actors
        ),
        lang=data.get("lang", DEFAULT_LANG),
        source=source,
        evidence=sources_of(data.get("evidence"), base),
    )


def _scenario(entry: Entry) -> Scenario:
    d = entry.data
    customer = d.get("customer") or {}
    staff = d.get("staff") or {}
    return Scenario(
        id=entry.id,
        title=d["title"],
        touchpoint=normalise_id(d["touchpoint"]) if "touchpoint" in d else None,
        persona=normalise_id(d["persona"]) if "persona" in d else None,
        difficulty=d.get("difficulty", "medium"),
        duration_minutes=d.get("duration_minutes"),
        customer_brief=_opt(customer, "brief"),
        opening_line=_opt(customer, "opening_line"),
        staff_objective=_opt(staff, "objective"),
        guidance=_strs(staff, "guidance"),
        avoid=_strs(staff, "avoid"),
        debrief=_strs(d, "debrief"),
    )
