"""Compare two versions of a journey and summarise the changes as Markdown for a review.

Stages, touchpoints and personas are matched by id; pain points by their id when they have
one, else by touchpoint and text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from journeymap.interop.export import code, md
from journeymap.model.evidence import Measure
from journeymap.model.journey import Journey, Note, Touchpoint
from journeymap.text.locale import Messages, localised, messages

_RULE = "| --- | --- | --- | --- | --- |"


@dataclass
class JourneyDiff:
    """Everything that changed from ``old`` to ``new``."""

    old: Journey
    new: Journey
    stages_added: list[str] = field(default_factory=list)
    stages_removed: list[str] = field(default_factory=list)
    #: (id, old name, new name)
    stages_renamed: list[tuple[str, str, str]] = field(default_factory=list)
    touchpoints_added: list[str] = field(default_factory=list)
    touchpoints_removed: list[str] = field(default_factory=list)
    touchpoints_renamed: list[tuple[str, str, str]] = field(default_factory=list)
    #: (touchpoint id, old stage id, new stage id)
    touchpoints_moved: list[tuple[str, str, str]] = field(default_factory=list)
    #: (touchpoint id, persona id, old, new); None is a gap.
    emotions: list[tuple[str, str, int | None, int | None]] = field(default_factory=list)
    #: (touchpoint id, note) in the journey it belongs to.
    pains_added: list[tuple[str, Note]] = field(default_factory=list)
    pains_resolved: list[tuple[str, Note]] = field(default_factory=list)
    #: (touchpoint id, note id, old severity, new severity)
    pains_severity: list[tuple[str, str, str, str]] = field(default_factory=list)
    #: (touchpoint id, metric, old, new); None is absent.
    metrics: list[tuple[str, str, float | None, float | None]] = field(default_factory=list)
    #: (touchpoint id, blueprint lane, steps removed, steps added), steps as shown.
    lanes: list[tuple[str, str, list[str], list[str]]] = field(default_factory=list)
    #: (touchpoint id, "at" or "duration", old seconds, new seconds); None is absent.
    times: list[tuple[str, str, float | None, float | None]] = field(default_factory=list)
    #: (touchpoint id, source id, old, new) survey measures whose n or mean changed.
    measured: list[tuple[str, str, Measure | None, Measure | None]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """Nothing that this summary reports changed."""
        return not any(
            getattr(self, name)
            for name in (
                "stages_added", "stages_removed", "stages_renamed", "touchpoints_added",
                "touchpoints_removed", "touchpoints_renamed", "touchpoints_moved", "emotions",
                "pains_added", "pains_resolved", "pains_severity", "metrics", "lanes", "times",
                "measured",
            )
        )  # fmt: skip


def _pain_keys(tps: tuple[Touchpoint, ...]) -> dict[tuple[str, ...], tuple[str, Note]]:
    out: dict[tuple[str, ...], tuple[str, Note]] = {}
    for tp in tps:
        for note in tp.pain_points:
            key = ("id", note.id) if note.id else ("text", tp.id, " ".join(note.text.split()))
            out[key] = (tp.id, note)
    return out


def _lanes(tp: Touchpoint, journey: Journey) -> dict[str, list[str]]:
    """The blueprint lanes of ``tp``, each step as text with its actor's name."""
    return {
        "evidence": list(tp.evidence),
        "frontstage": [journey.step_label(s) for s in tp.frontstage],
        "backstage": [journey.step_label(s) for s in tp.backstage_actions],
        "support": [journey.step_label(s) for s in tp.support],
    }


def _emotion_order(item: tuple[str, str, int | None, int | None]) -> tuple[int, int]:
    _, _, old, new = item
    if old is None or new is None:
        return (1, 0)
    return (0, -abs(new - old))


def compare(old: Journey, new: Journey) -> JourneyDiff:
    """The differences between two versions of a journey."""
    old, new = localised(old), localised(new)
    d = JourneyDiff(old, new)
    old_stages = {s.id: s for s in old.stages}
    new_stages = {s.id: s for s in new.stages}
    d.stages_added = [s for s in new_stages if s not in old_stages]
    d.stages_removed = [s for s in old_stages if s not in new_stages]
    d.stages_renamed = [
        (sid, old_stages[sid].name, s.name)
        for sid, s in new_stages.items()
        if sid in old_stages and old_stages[sid].name != s.name
    ]
    old_tps = {t.id: t for t in old.touchpoints}
    new_tps = {t.id: t for t in new.touchpoints}
    d.touchpoints_added = [t for t in new_tps if t not in old_tps]
    d.touchpoints_removed = [t for t in old_tps if t not in new_tps]
    both = [t for t in new_tps if t in old_tps]
    for tid in both:
        a, b = old_tps[tid], new_tps[tid]
        if a.name != b.name:
            d.touchpoints_renamed.append((tid, a.name, b.name))
        if a.stage_id != b.stage_id:
            d.touchpoints_moved.append((tid, a.stage_id, b.stage_id))
        personas = dict.fromkeys([*a.personas, *a.emotions, *b.personas, *b.emotions])
        for pid in personas:
            if a.emotion(pid) != b.emotion(pid):
                d.emotions.append((tid, pid, a.emotion(pid), b.emotion(pid)))
        for name in dict.fromkeys([*a.metrics, *b.metrics]):
            if a.metrics.get(name) != b.metrics.get(name):
                d.metrics.append((tid, name, a.metrics.get(name), b.metrics.get(name)))
        before, after = _lanes(a, old), _lanes(b, new)
        for lane, steps in after.items():
            gone = [x for x in before[lane] if x not in steps]
            came = [x for x in steps if x not in before[lane]]
            if gone or came:
                d.lanes.append((tid, lane, gone, came))
        for key in ("at", "duration"):
            if getattr(a, key) != getattr(b, key):
                d.times.append((tid, key, getattr(a, key), getattr(b, key)))
    d.emotions.sort(key=_emotion_order)
    d.measured = _measured(old, new)
    old_pains, new_pains = _pain_keys(old.touchpoints), _pain_keys(new.touchpoints)
    d.pains_added = [v for k, v in new_pains.items() if k not in old_pains]
    d.pains_resolved = [v for k, v in old_pains.items() if k not in new_pains]
    d.pains_severity = [
        (tid, note.id or "", old_pains[k][1].severity, note.severity)
        for k, (tid, note) in new_pains.items()
        if k in old_pains and old_pains[k][1].severity != note.severity
    ]
    return d


def _measured(old: Journey, new: Journey) -> list[tuple[str, str, Measure | None, Measure | None]]:
    """Survey measures (everyone) whose n or mean changed, in the new journey's order."""

    def survey(journey: Journey) -> dict[tuple[str, str], Measure]:
        return {
            (x.touchpoint, x.source): x
            for x in journey.measured
            if x.persona is None and x.kind == "survey"
        }

    before, after = survey(old), survey(new)
    out: list[tuple[str, str, Measure | None, Measure | None]] = []
    for key in dict.fromkeys([*after, *before]):
        a, b = before.get(key), after.get(key)
        if a is None or b is None or (a.n, a.mean) != (b.n, b.mean):
            out.append((key[0], key[1], a, b))
    return out


def _on_scale(x: Measure | None, journey: Journey) -> float | None:
    mapped = x.on_scale(journey.scale.min, journey.scale.max) if x else None
    return mapped[0] if mapped else None


def _measure_cell(x: Measure | None, journey: Journey, m: Messages) -> str:
    mapped = x.on_scale(journey.scale.min, journey.scale.max) if x else None
    if x is None or mapped is None:
        return "—"
    value, margin = mapped
    spread = f" ± {margin:.1f}" if margin is not None else ""
    return f"{value:+.1f}{spread}".replace("-", "−") + f" ({m.plain('measured.n', n=x.n)})"


def _number(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:g}"


def _level(value: int, journey: Journey) -> str:
    """An emotion's value beside its word: signed on a scale through zero (``+3``), plain on
    one that is not (``5`` on 1..5, as the map and curve show it)."""
    return str(value) if journey.scale.min >= 0 else f"{value:+d}"


def _time(seconds: float | None, m: Messages) -> str:
    return "—" if seconds is None else m.elapsed(seconds)


def to_markdown(d: JourneyDiff) -> str:
    """The review summary, in the new version's language: headline counts, then one section
    per kind of change."""
    old, new = d.old, d.new
    m = messages(new.lang)
    t = m.plain  # Markdown: no bidi isolates around the markup
    tp_name = {tp.id: tp.name for tp in (*old.touchpoints, *new.touchpoints)}
    stage_name = {s.id: s.name for s in (*old.stages, *new.stages)}
    person = {p.id: p.name for p in (*old.personas, *new.personas)}
    title = md(new.title) if old.title == new.title else f"{md(old.title)} → {md(new.title)}"
    lines = [f"## {t('diff.title', title=title)}", ""]
    if d.empty:
        return "\n".join([*lines, t("diff.none")]) + "\n"
    counts = [
        m.count("diff.count.added", len(d.touchpoints_added)),
        m.count("diff.count.removed", len(d.touchpoints_removed)),
        m.count("diff.count.emotions", len(d.emotions)),
        m.count("diff.count.pains", len(d.pains_added)),
        m.count("diff.count.resolved", len(d.pains_resolved)),
    ]
    lines += [m.sentence(t("comma").join(counts)), ""]

    def section(heading: str, items: list[str]) -> None:
        if items:
            lines.extend([f"### {heading}", "", *items, ""])

    def changed(names: dict[str, str], added: list[str], removed: list[str]) -> list[str]:
        return [
            f"- {t(key, name=f'**{md(names[i])}**', id=code(i))}"
            for key, ids in (("diff.added", added), ("diff.removed", removed))
            for i in ids
        ]

    def renamed(items: list[tuple[str, str, str]]) -> list[str]:
        return [
            "- " + t("diff.renamed", old=md(a), new=f"**{md(b)}**", id=code(i)) for i, a, b in items
        ]

    section(
        t("diff.stages"),
        changed(stage_name, d.stages_added, d.stages_removed) + renamed(d.stages_renamed),
    )
    moved = [
        "- "
        + t(
            "diff.moved", name=f"**{md(tp_name[i])}**", old=md(stage_name[a]), new=md(stage_name[b])
        )
        for i, a, b in d.touchpoints_moved
    ]
    section(
        t("lane.touchpoints"),
        changed(tp_name, d.touchpoints_added, d.touchpoints_removed)
        + renamed(d.touchpoints_renamed)
        + moved,
    )

    def table(*heads: str) -> list[str]:
        return ["| " + " | ".join(t(f"diff.head.{h}") for h in heads) + " |", _RULE]

    if d.emotions:
        rows = table("touchpoint", "persona", "before", "after", "change")
        for tid, pid, a, b in d.emotions:
            change = f"{b - a:+d}" if a is not None and b is not None else "—"
            before = "—" if a is None else f"{md(m.describe(old.scale, a))} ({_level(a, old)})"
            after = "—" if b is None else f"{md(m.describe(new.scale, b))} ({_level(b, new)})"
            who = md(person.get(pid, pid))
            rows.append(f"| {md(tp_name[tid])} | {who} | {before} | {after} | {change} |")
        section(t("diff.emotions"), rows)

    def severity(name: str) -> str:
        return t(f"severity.{name}")

    pains = [
        t(
            "diff.pain_added",
            touchpoint=md(tp_name[i]),
            severity=severity(n.severity),
            text=md(n.text),
        )
        for i, n in d.pains_added
    ]
    pains += [
        t("diff.pain_resolved", touchpoint=md(tp_name[i]), text=f"~~{md(n.text)}~~")
        for i, n in d.pains_resolved
    ]
    pains += [
        t(
            "diff.pain_severity",
            id=code(n),
            touchpoint=md(tp_name[i]),
            old=severity(a),
            new=severity(b),
        )
        for i, n, a, b in d.pains_severity
    ]
    section(t("lane.pain_points"), [f"- {line}" for line in pains])
    if d.metrics:
        rows = table("touchpoint", "metric", "before", "after", "change")
        for tid, name, was, now in d.metrics:
            change = f"{now - was:+g}" if was is not None and now is not None else "—"
            rows.append(
                f"| {md(tp_name[tid])} | {md(name)} | {_number(was)} | {_number(now)} | {change} |"
            )
        section(t("lane.metrics"), rows)
    if d.measured:
        rows = table("touchpoint", "source", "before", "after", "change")
        for tid, sid, before_m, after_m in d.measured:
            was_v, now_v = _on_scale(before_m, old), _on_scale(after_m, new)
            change = (
                f"{now_v - was_v:+.1f}".replace("-", "−")
                if was_v is not None and now_v is not None
                else "—"
            )
            rows.append(
                f"| {md(tp_name.get(tid, tid))} | {md(sid)} | {_measure_cell(before_m, old, m)} | "
                f"{_measure_cell(after_m, new, m)} | {change} |"
            )
        section(t("diff.measured"), rows)
    section(
        t("blueprint.kind"),
        [
            "- "
            + t(
                "diff.lane",
                lane=t(f"blueprint.lane.{lane}"),
                touchpoint=md(tp_name[i]),
                changes="; ".join(
                    [*(f"~~{md(x)}~~" for x in gone), *(t("diff.step", step=md(x)) for x in came)]
                ),
            )
            for i, lane, gone, came in d.lanes
        ],
    )
    section(
        t("diff.times"),
        [
            "- "
            + t(f"diff.time.{key}", touchpoint=md(tp_name[i]), old=_time(a, m), new=_time(b, m))
            for i, key, a, b in d.times
        ],
    )
    return "\n".join(lines).rstrip("\n") + "\n"
