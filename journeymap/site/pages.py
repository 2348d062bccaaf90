"""Site pages: one page per journey, the index, and ``journeys.json``; all bytes, no I/O.

Every piece of user text reaches HTML through the autoescaping Jinja2 environment; the only
markup the page's script puts in unescaped is the map, flow and blueprint SVG our own
renderers made (they escape user text), which the page carries packed.
"""

from __future__ import annotations

import base64
import json
import os
import re
import time
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from journeymap.model.journey import SEVERITIES, Journey, Touchpoint
from journeymap.model.lang import DEFAULT_LANG
from journeymap.render.blueprint.layout import LANES
from journeymap.render.grid import xml_id
from journeymap.render.map.layout import measured_text, metric_text, quoted
from journeymap.render.marks import signed
from journeymap.site.atlas import facts, uncollected
from journeymap.text.locale import Messages, messages

PAGE_NAME = "index.html"
SOURCE_NAME = "source.yaml"
#: Severity order for display: worst first.
WORST_FIRST: tuple[str, ...] = tuple(reversed(SEVERITIES))
_PROLOGUE = re.compile(r"^\s*(<\?xml[^>]*\?>\s*)?(<!DOCTYPE[^>]*>\s*)?", re.IGNORECASE)


def _built_on() -> str | None:
    """The build date, only when SOURCE_DATE_EPOCH asks for one (output stays reproducible).

    Only the index shows it: journey pages are reused across builds and would go stale.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch or not epoch.strip().isdigit():
        return None
    return time.strftime("%Y-%m-%d", time.gmtime(int(epoch)))


def sparkline(journey: Journey) -> list[float | None]:
    """Per touchpoint, the personas' mean emotion mapped to 0..1 (None where nobody has one)."""
    out: list[float | None] = []
    for tp in journey.touchpoints:
        mean = tp.mean_emotion
        out.append(None if mean is None else round(journey.scale.normalise(mean), 4))
    return out


def sparkline_paths(
    values: Sequence[float | None], width: int = 120, height: int = 28
) -> list[str]:
    """SVG polyline ``points`` strings, one per unbroken run of values (gaps break the line)."""
    if not values:
        return []
    step = width / max(len(values) - 1, 1)
    runs: list[list[str]] = [[]]
    for i, value in enumerate(values):
        if value is None:
            runs.append([])
            continue
        y = 2 + (1 - value) * (height - 4)
        runs[-1].append(f"{i * step:.1f},{y:.1f}")
    return [" ".join(run) for run in runs if run]


def pain_counts(journey: Journey) -> dict[str, int]:
    """Number of pain points per severity, every severity present."""
    counts: dict[str, int] = dict.fromkeys(SEVERITIES, 0)
    for tp in journey.touchpoints:
        for note in tp.pain_points:
            counts[note.severity] += 1
    return counts


def summary(journey: Journey, slug: str, rel: str, files: Sequence[str]) -> dict[str, Any]:
    """The JSON summary of a journey for the index and ``journeys.json`` (paths site-relative)."""
    values = [v for tp in journey.touchpoints for v in tp.emotions.values()]
    times = [tp.at for tp in journey.touchpoints if tp.at is not None]
    return {
        "id": journey.id,
        "title": journey.title,
        "summary": journey.summary,
        "owner": journey.owner,
        "tags": list(journey.tags),
        "state": journey.state,
        "lang": journey.lang,
        "source": rel,
        "page": f"{slug}/{PAGE_NAME}",
        "yaml": f"{slug}/{SOURCE_NAME}",
        "stages": len(journey.stages),
        "touchpoints": len(journey.touchpoints),
        "personas": [p.name for p in journey.personas if not p.implicit],
        "moments_of_truth": sum(tp.moment_of_truth for tp in journey.touchpoints),
        "pain_points": pain_counts(journey),
        "opportunities": sum(len(tp.opportunities) for tp in journey.touchpoints),
        "blueprint": {
            "lanes": journey.has_blueprint,
            "actors": [{"id": a.id, "name": a.name, "kind": a.kind} for a in journey.actors],
            "steps": {
                "physical_evidence": sum(len(tp.evidence) for tp in journey.touchpoints),
                "frontstage": sum(len(tp.frontstage) for tp in journey.touchpoints),
                "backstage": sum(len(tp.backstage_actions) for tp in journey.touchpoints),
                "support": sum(len(tp.support) for tp in journey.touchpoints),
            },
            "fail_points": sum(n.fail_point for tp in journey.touchpoints for n in tp.pain_points),
            "timed": len(times),
            "elapsed": max(times, default=None),
        },
        "emotion": {
            "scale": [journey.scale.min, journey.scale.max],
            "lowest": min(values) if values else None,
            "mean": round(sum(values) / len(values), 4) if values else None,
            "sparkline": sparkline(journey),
        },
        "files": [f"{slug}/{name}" for name in sorted(files)],
        **({"evidence": evidence_summary(journey)} if journey.evidence else {}),
        "atlas": facts(journey),
    }


def evidence_summary(journey: Journey) -> dict[str, Any]:
    """What the surveys measured, per touchpoint, on the journey's scale; the largest gap
    between assumed and measured and where it is; and the NPS of all the journey's NPS
    answers (for sorting the index)."""
    items: list[dict[str, Any]] = []
    gaps: list[tuple[float, str, str]] = []
    counts = [0, 0, 0]  # promoters, passives, detractors
    for tp in journey.touchpoints:
        for x in journey.measures(tp.id):
            if x.kind != "survey" or x.mean is None:
                continue
            if x.nps is not None:
                counts = [counts[0] + x.promoters, counts[1] + x.passives, counts[2] + x.detractors]
            value, margin = x.on_scale(journey.scale.min, journey.scale.max) or (0.0, None)
            assumed = tp.mean_emotion
            if assumed is not None:
                gaps.append((round(abs(value - assumed), 4), tp.id, tp.name))
            items.append(
                {
                    "touchpoint": tp.id,
                    "source": x.source,
                    "n": x.n,
                    "mean": round(x.mean, 4),
                    "measured": round(value, 4),
                    "margin": None if margin is None else round(margin, 4),
                    "nps": None if x.nps is None else round(x.nps, 2),
                    "low_n": x.low_n,
                    "assumed": assumed,
                    "gap": None if assumed is None else round(value - assumed, 4),
                }
            )
    largest = max(gaps, key=lambda g: g[0], default=None)  # the first of equal gaps
    answers = sum(counts)
    nps = None
    if answers:
        promoters, passives, detractors = counts
        score = round(100 * (promoters - detractors) / answers, 2)
        nps = {"score": score, "n": answers, "promoters": promoters, "passives": passives,
               "detractors": detractors}  # fmt: skip
    return {
        "measures": items,
        "largest_gap": largest[0] if largest else None,
        "largest_gap_at": {"touchpoint": largest[1], "name": largest[2]} if largest else None,
        "nps": nps,
    }


#: Map lanes whose cells belong to one touchpoint (their ids are ``xml_id(journey, lane, tp)``).
MAP_LANES: tuple[str, ...] = (
    "touchpoints", "actions", "thoughts", "emo", "pain-points", "opportunities", "metrics",
    "owner", "backstage",
)  # fmt: skip


def touchpoint_details(journey: Journey) -> list[dict[str, Any]]:
    """Each touchpoint's full details for the page's viewer, with the ids of its map cells."""
    stages = {stage.id: stage.name for stage in journey.stages}
    m = messages(journey.lang)

    def words(key: str) -> str:
        return m(f"detail.{key}")

    out = []
    for tp in journey.touchpoints:
        facts: list[tuple[str, str]] = [(words("stage"), stages.get(tp.stage_id, ""))]
        if tp.channel_name:
            facts.append((words("channel"), tp.channel_name))
        facts += _emotions(journey, tp)
        for key, value in (("action", tp.action), ("thought", tp.thought)):
            if value:
                facts.append((words(key), value))
        for note in tp.pain_points:
            text = note.text + (f" ({note.owner})" if note.owner else "")
            facts.append((m("detail.pain", severity=m(f"severity.{note.severity}")), text))
        facts += [(words("opportunity"), note.text) for note in tp.opportunities]
        facts += [(words("metric"), metric_text(k, v, m)) for k, v in tp.metrics.items()]
        if tp.owner:
            facts.append((words("owner"), tp.owner))
        if journey.has_blueprint:
            facts += _blueprint_facts(journey, tp, m)
        elif tp.backstage:
            facts.append((words("backstage"), tp.backstage))
        if tp.moment_of_truth:
            facts.append((words("truth"), words("yes")))
        measured = [x for x in journey.measures(tp.id) if x.kind == "survey" and x.n]
        for x in measured:
            head, detail = measured_text(x, journey, m)
            facts.append((m("measured.lane"), f"{head} ({detail})"))
            facts += [(m("measured.lane"), quoted(c.text, m)) for c in x.comments]
        lanes = (*MAP_LANES, "measured") if measured else MAP_LANES
        elements = [xml_id(journey.id, lane, tp.id) for lane in lanes]
        if journey.has_blueprint:
            elements += [xml_id(journey.id, "bp", lane, tp.id) for lane in ("time", *LANES)]
        out.append({"id": tp.id, "name": tp.name, "facts": facts, "elements": elements})
    return out


def _blueprint_facts(journey: Journey, tp: Touchpoint, m: Messages) -> list[tuple[str, str]]:
    """What the blueprint shows of ``tp``: its time, evidence, staff and system steps (each
    with its actor), and its fail points."""
    facts = []
    when = []
    if tp.at is not None:
        when.append(m("blueprint.at", time=m.elapsed(tp.at)) if tp.at else m("blueprint.start"))
    if tp.duration is not None:
        when.append(m("blueprint.lasts", time=m.elapsed(tp.duration)))
    if when:
        facts.append((m("blueprint.lane.time"), m("list.sep").join(when)))
    facts += [(m("blueprint.lane.evidence"), item) for item in tp.evidence]
    lanes = (
        ("frontstage", tp.frontstage),
        ("backstage", tp.backstage_actions),
        ("support", tp.support),
    )
    for lane, steps in lanes:
        facts += [(m(f"blueprint.lane.{lane}"), journey.step_label(step)) for step in steps]
    facts += [(m("blueprint.fail_point"), n.text) for n in tp.pain_points if n.fail_point]
    return facts


def _emotions(journey: Journey, tp: Touchpoint) -> list[tuple[str, str]]:
    facts = []
    for persona in journey.personas:
        value = tp.emotion(persona.id)
        if value is not None:
            word = messages(journey.lang).scale_word(journey.scale, value)
            facts.append(
                (persona.name, signed(journey.scale.min, value) + (f" {word}" if word else ""))
            )
    return facts


def _packed_svg(path: Path) -> dict[str, Any] | None:
    """The SVG at ``path`` without its XML prologue, packed for the page's viewer: raw
    DEFLATE in base64 (``data``) and its unpacked size in bytes (``size``); None when absent.

    The viewer unpacks it into the page (the same DOM as inlining it), so a page opened from
    file:// keeps every link, title and touchpoint of the drawing, at about a ninth of its
    bytes: the file beside the page holds the drawing already.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return None
    raw = _PROLOGUE.sub("", text, count=1).encode("utf-8")
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed = packer.compress(raw) + packer.flush()
    return {"data": base64.b64encode(packed).decode("ascii"), "size": len(raw)}


def journey_page(
    journey: Journey,
    folder: Path,
    files: Sequence[str],
    templates: Path | None,
    notes: Sequence[str],
) -> bytes:
    """The journey's page; ``folder`` holds its rendered files (named in ``files``)."""
    from journeymap.render.templating import environment

    svg = _packed_svg(folder / "map.svg") if "map.svg" in files else None
    flow = _packed_svg(folder / "flow.svg") if "flow.svg" in files else None
    blueprint = _packed_svg(folder / "blueprint.svg") if "blueprint.svg" in files else None
    pains = [
        (
            severity,
            [
                (tp, note)
                for tp in journey.touchpoints
                for note in tp.pain_points
                if note.severity == severity
            ],
        )
        for severity in WORST_FIRST
    ]
    template = environment(templates).get_template("site/journey.html.j2")
    html = template.render(
        journey=journey,
        map_svg=svg,
        flow_svg=flow,
        blueprint_svg=blueprint,
        touchpoints=touchpoint_details(journey),
        files=list(files),
        pains=[(s, items) for s, items in pains if items],
        counts=pain_counts(journey),
        levels=[(s.name, s.detail) for s in journey.stages if s.detail]
        + [(tp.name, tp.detail) for tp in journey.touchpoints if tp.detail],
        notes=list(notes),
        t=messages(journey.lang),
    )
    return html.encode("utf-8")


def site_messages(summaries: Sequence[dict[str, Any]], lang: str | None = None) -> Messages:
    """The words of the site's own pages: the language every journey shares, else ``lang``
    (the project's), else English."""
    shared = {str(entry.get("lang") or DEFAULT_LANG) for entry in summaries}
    return messages(shared.pop() if len(shared) == 1 else lang or DEFAULT_LANG)


@uncollected
def index_page(
    summaries: Sequence[dict[str, Any]],
    templates: Path | None,
    title: str | None = None,
    atlas: dict[str, Any] | None = None,
    m: Messages | None = None,
) -> bytes:
    """The site's ``index.html`` headed ``title`` (default: "Customer journeys" in the
    language of ``m``, default ``site_messages``): every journey with its filterable facts."""
    from journeymap.render.templating import environment

    m = m or site_messages(summaries)
    rows = [
        dict(
            entry,
            spark=sparkline_paths(entry["emotion"]["sparkline"]),
            measured=_measured_cell(entry.get("evidence"), m),
        )
        for entry in sorted(summaries, key=lambda e: (e["title"].casefold(), e["page"]))
    ]
    tags = sorted({t for e in rows for t in e["tags"]}, key=lambda t: (t.casefold(), t))
    owners = sorted({e["owner"] for e in rows if e["owner"]}, key=lambda o: (o.casefold(), o))
    template = environment(templates).get_template("site/index.html.j2")
    html = template.render(
        journeys=rows,
        tags=tags,
        owners=owners,
        severities=WORST_FIRST,
        built_on=_built_on(),
        title=m("site.journeys") if title is None else title,
        atlas=atlas,
        t=m,
    )
    return html.encode("utf-8")


def _measured_cell(evidence: dict[str, Any] | None, m: Messages) -> dict[str, Any]:
    """The index's Measured cell of a journey summary's ``evidence``: its lines of text, and
    the NPS and largest gap the index sorts by ("" where there is none)."""
    lines: list[str] = []
    nps = (evidence or {}).get("nps")
    gap = (evidence or {}).get("largest_gap")
    if nps is not None:
        score = round(nps["score"])
        sign = "+" if score > 0 else "−" if score < 0 else ""
        count = m("measured.n", n=m.number(nps["n"]))
        lines.append(f"NPS {sign}{m.number(abs(score))} ({count})")
    if gap is not None:
        where = evidence["largest_gap_at"]["name"] if evidence else ""
        lines.append(m("index.gap", gap=m.number(round(gap, 1)), touchpoint=where))
    return {
        "lines": lines,
        "nps": "" if nps is None else f"{nps['score']:g}",
        "gap": "" if gap is None else f"{gap:g}",
    }


@uncollected
def journeys_json(
    summaries: Sequence[dict[str, Any]], atlas: dict[str, Any] | None = None
) -> bytes:
    """``journeys.json``: the summaries sorted by page path, and the site's ``atlas``
    aggregates, for dashboards (``schemas/site.schema.json``)."""
    journeys = [{k: v for k, v in e.items() if k != "atlas"} for e in summaries]
    data: dict[str, Any] = {"journeys": sorted(journeys, key=lambda e: e["page"])}
    if atlas is not None:
        data["atlas"] = atlas
    # Compact: indentation made up almost half of the file. Plain data from JSON and the
    # atlas: no cycles to look for (that check was about 6 % of the encoding).
    text = json.dumps(
        data, separators=(",", ":"), sort_keys=True, ensure_ascii=False, check_circular=False
    )
    return (text + "\n").encode()
