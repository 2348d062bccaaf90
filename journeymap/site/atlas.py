"""The journey atlas: site-wide aggregates of every journey (backlog, owners, personas,
channels), computed from the built journeys' summaries so reused journeys cost nothing.

Each journey's worker stores ``facts(journey)`` in its summary; ``aggregate`` joins them.
Everything here is plain data (sorted, deterministic); ``atlas_pages`` renders it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from journeymap.model.journey import SEVERITIES, Journey, Note
from journeymap.model.slug import file_slug
from journeymap.site.levels import tree
from journeymap.text.locale import Messages

#: How much a pain point of each severity weighs in its priority (each step doubles).
SEVERITY_WEIGHT: dict[str, int] = {"low": 1, "medium": 2, "high": 4, "critical": 8}
#: The weight of an opportunity (it has no severity).
OPPORTUNITY_WEIGHT = 1
#: A pain point or opportunity at a moment of truth counts this many times over.
TRUTH_FACTOR = 2
#: The priority, as the backlog page explains it.
PRIORITY_RULE = (
    "priority = severity weight (low 1, medium 2, high 4, critical 8; an opportunity 1)"
    " × personas reached (distinct personas across all its places, at least 1)"
    " × 2 when any place is a moment of truth"
    " × (1 + measured gap: how far the measured score at any place falls below the emotion"
    " assumed there, as a share of the scale, 0 to 1)"
)


def priority(severity: str | None, personas: int, moment_of_truth: bool, gap: float = 0.0) -> float:
    """The backlog priority of an item (see ``PRIORITY_RULE``); ``gap`` is its measured gap
    (0..1). Whole numbers stay whole (``8``, not ``8.0``)."""
    weight = SEVERITY_WEIGHT[severity] if severity else OPPORTUNITY_WEIGHT
    value = weight * max(personas, 1) * (TRUTH_FACTOR if moment_of_truth else 1)
    scaled = round(value * (1 + min(max(gap, 0.0), 1.0)), 2)
    return int(scaled) if scaled == int(scaled) else scaled


def measured_gap(measured: dict[str, Any] | None, scale: Sequence[float]) -> float:
    """How far a place's measured mean falls below the emotion assumed there, as a share of
    the journey's scale (0 when it is not lower, or nothing is measured or assumed)."""
    if not measured or measured.get("gap") is None or len(scale) != 2:
        return 0.0
    span = scale[1] - scale[0]
    return round(min(-measured["gap"] / span, 1.0), 4) if span > 0 and measured["gap"] < 0 else 0.0


def owner_key(name: str) -> str:
    """Owners compare case- and space-insensitively: ``' CX  team'`` == ``'cx Team'``."""
    return " ".join(name.split()).casefold()


def _note(kind: str, note: Note, touchpoint: int) -> dict[str, Any]:
    return {
        "kind": kind,
        "id": note.id,
        "text": note.text,
        "severity": note.severity if kind == "pain" else None,
        "owner": note.owner,
        "touchpoint": touchpoint,
    }


def _curve(journey: Journey, persona_id: str) -> list[float | None]:
    """The persona's emotion at each touchpoint it takes, mapped to 0..1 (None: a gap)."""
    values = [tp.emotion(persona_id) for tp in journey.touchpoints if persona_id in tp.personas]
    return [None if v is None else round(journey.scale.normalise(v), 4) for v in values]


def facts(journey: Journey) -> dict[str, Any]:
    """What the atlas needs of one journey, as JSON-ready data (kept in its summary)."""
    stages = {stage.id: stage for stage in journey.stages}
    index = {tp.id: i for i, tp in enumerate(journey.touchpoints)}
    personas = [
        {
            "id": p.id,
            "name": p.name,
            "implicit": p.implicit,
            "color": p.color,
            "role": p.role,
            "description": p.description,
            "goals": list(p.goals),
            "needs": list(p.needs),
            "frustrations": list(p.frustrations),
            "quote": p.quote,
            "curve": _curve(journey, p.id),
        }
        for p in journey.personas
    ]
    touchpoints = [
        {
            "id": tp.id,
            "name": tp.name,
            "stage": stages[tp.stage_id].name,
            "stage_index": stages[tp.stage_id].index,
            "channel": tp.channel_name,
            "personas": list(tp.personas),
            "owner": tp.owner,
            "moment_of_truth": tp.moment_of_truth,
            "next": [index[n] for n in tp.next if n in index],
        }
        for tp in journey.touchpoints
    ]
    notes = [
        _note(kind, note, i)
        for i, tp in enumerate(journey.touchpoints)
        for kind, group in (("pain", tp.pain_points), ("opportunity", tp.opportunities))
        for note in group
    ]
    return {"personas": personas, "touchpoints": touchpoints, "notes": notes}


def _sorted(values: Iterable[str]) -> list[str]:
    return sorted(set(values), key=lambda v: (v.casefold(), v))


def _slugs(keys: Sequence[str], prefix: str) -> dict[str, str]:
    """A distinct page name per key (its part before a NUL): ``prefix-<ascii slug>.html``,
    ``-2``, ... on clashes; a key with nothing ASCII is named by the start of its sha256."""
    out: dict[str, str] = {}
    taken: set[str] = set()
    for key in keys:
        stem = file_slug(key.split("\0")[0], "") or hashlib.sha256(key.encode()).hexdigest()[:10]
        number = 2
        name = stem
        while name in taken:
            name, number = f"{stem}-{number}", number + 1
        taken.add(name)
        out[key] = f"{prefix}-{name}.html"
    return out


def _persona_key(persona: dict[str, Any], page: str) -> str:
    """Personas with the same id and name are one persona (a shared library's); an implicit
    stand-in is its journey's own."""
    if persona["implicit"]:
        return f"\0{page}"
    return f"{persona['id']}\0{persona['name']}"


def aggregate(summaries: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Site-wide atlas data from the journeys' summaries (deterministic, sorted)."""
    journeys = sorted(
        (s for s in summaries if isinstance(s.get("atlas"), dict)), key=lambda s: s["page"]
    )
    items: dict[str, dict[str, Any]] = {}
    people: dict[str, dict[str, Any]] = {}
    owners: dict[str, dict[str, Any]] = {}
    spellings: dict[str, set[str]] = {}

    def owner(name: str | None) -> str | None:
        if not name or not name.strip():
            return None
        key = owner_key(name)
        spellings.setdefault(key, set()).add(" ".join(name.split()))
        owners.setdefault(key, {"journeys": [], "touchpoints": [], "items": []})
        return key

    switches: list[dict[str, Any]] = []
    matrices: list[dict[str, Any]] = []
    for j in journeys:
        data = j["atlas"]
        page = j["page"]
        ref = {"title": j["title"], "page": page}
        keys = {p["id"]: _persona_key(p, page) for p in data["personas"]}
        taken = {p for tp in data["touchpoints"] for p in tp["personas"]}
        for p in data["personas"]:
            if p["implicit"] or p["id"] not in taken:
                continue
            entry = people.setdefault(keys[p["id"]], {"card": p, "journeys": []})
            entry["journeys"].append(dict(ref, curve=p["curve"]))
        journey_owner = owner(j.get("owner"))
        if journey_owner:
            owners[journey_owner]["journeys"].append(ref)
        tps = data["touchpoints"]
        measured = _measured(j)
        for tp in tps:
            tp_owner = owner(tp["owner"])
            if tp_owner:
                owners[tp_owner]["touchpoints"].append(dict(ref, touchpoint=tp["name"]))
        for n, note in enumerate(data["notes"]):
            tp = tps[note["touchpoint"]]
            effective = owner(note["owner"]) or owner(tp["owner"]) or journey_owner
            where = note["id"] if note["id"] else f"{page}\0{n}"
            ident = f"{note['kind']}\0{where}"
            item = items.setdefault(
                ident,
                {"kind": note["kind"], "id": note["id"], "text": note["text"], "places": []},
            )
            item["places"].append(
                dict(
                    ref,
                    stage=tp["stage"],
                    touchpoint=tp["name"],
                    channel=tp["channel"],
                    personas=[keys[p] for p in tp["personas"] if p in keys],
                    severity=note["severity"],
                    owner=effective,
                    moment_of_truth=tp["moment_of_truth"],
                    measured=measured.get(tp["id"]),
                    gap=measured_gap(measured.get(tp["id"]), j["emotion"]["scale"]),
                    tags=j["tags"],
                )
            )
        switches += _switches(ref, tps, data["notes"])
        matrices.append(dict(ref, **_matrix(tps)))
    names = {key: _display(spell) for key, spell in spellings.items()}
    persona_names = {key: entry["card"]["name"] for key, entry in people.items()} | {
        f"\0{j['page']}": "" for j in journeys
    }
    backlog = [_item(item, names, persona_names) for item in items.values()]
    backlog.sort(key=lambda i: (-i["priority"], -_rank(i["severity"]), i["text"], i["key"]))
    owner_pages = _slugs(sorted(owners), "owner")
    persona_pages = _slugs(sorted(people), "persona")
    for i, item in enumerate(backlog):
        item["key"] = f"item-{i + 1}"
        mine = sorted({p["owner_key"] for p in item["places"] if p["owner_key"]})
        for key in mine:
            owners[key]["items"].append(item)
        item["owner_pages"] = [{"name": names[k], "page": owner_pages[k]} for k in mine]
        item["row"] = _row(item)
    return {
        "backlog": backlog,
        "facets": {name: _sorted(v for item in backlog for v in item[name]) for name in FACETS},
        "owners": [
            {
                "name": names[key],
                "page": owner_pages[key],
                "journeys": owners[key]["journeys"],
                "touchpoints": owners[key]["touchpoints"],
                "items": owners[key]["items"],
                "worst": _worst(i["severity"] for i in owners[key]["items"]),
            }
            for key in sorted(owners, key=lambda k: (names[k].casefold(), k))
        ],
        "personas": [
            dict(people[key]["card"], page=persona_pages[key], journeys=people[key]["journeys"])
            for key in sorted(people, key=lambda k: (people[k]["card"]["name"].casefold(), k))
        ],
        "channels": _site_matrix(matrices),
        "matrices": matrices,
        "switches": switches,
        "figures": _figures(journeys, backlog, owners),
        "tree": tree(journeys),
    }


#: The columns of the backlog's CSV download, one row per item (the page's script writes
#: them from each row's ``_row`` data, quoting and neutralising every cell).
CSV_COLUMNS: tuple[str, ...] = (
    "priority", "kind", "id", "text", "severity", "moment_of_truth", "personas_reached",
    "measured_gap",
    "journeys", "places", "channels", "personas", "owners", "tags",
)  # fmt: skip
#: The lists a backlog row is filtered by (its select boxes), by name.
FACETS: tuple[str, ...] = ("owners", "journeys", "tags", "personas", "channels")


def _row(item: dict[str, Any]) -> dict[str, Any]:
    """What the backlog page's script reads of a row: one value per CSV column (lists stay
    lists: they are the row's facets, and the search looks in all of it)."""
    places = [f"{p['title']} > {p['stage']} > {p['touchpoint']}" for p in item["places"]]
    return {c: item[c] for c in CSV_COLUMNS if c != "places"} | {"places": places}


def _measured(summary: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Per touchpoint id, the first survey measure of the journey's evidence (its mean on the
    journey's scale, the emotion assumed there, the gap and the number of answers)."""
    out: dict[str, dict[str, Any]] = {}
    for m in (summary.get("evidence") or {}).get("measures", []):
        keys = ("source", "n", "measured", "assumed", "gap")
        out.setdefault(m["touchpoint"], {k: m.get(k) for k in keys})
    return out


def _display(spellings: set[str]) -> str:
    """The one spelling shown for an owner (deterministic: the first in sort order)."""
    return min(spellings, key=lambda s: (s.casefold(), s))


def _worst(severities: Iterable[str | None]) -> str | None:
    """The worst severity among ``severities`` (None when there is none)."""
    found = [s for s in severities if s]
    return max(found, key=_rank) if found else None


def _rank(severity: str | None) -> int:
    return SEVERITIES.index(severity) if severity in SEVERITIES else -1


def _item(
    item: dict[str, Any], names: dict[str, str], persona_names: dict[str, str]
) -> dict[str, Any]:
    places = item["places"]
    reached = {p for place in places for p in place["personas"]}
    severity = _worst(p["severity"] for p in places)
    truth = any(p["moment_of_truth"] for p in places)
    gap = max(p.pop("gap") for p in places)
    for place in places:
        place["owner_key"] = place.pop("owner")
        place["owner"] = names.get(place["owner_key"] or "", "")
        place["personas"] = _sorted(persona_names[p] for p in place["personas"] if persona_names[p])
    return {
        "key": "",
        "kind": item["kind"],
        "id": item["id"],
        "text": item["text"],
        "severity": severity,
        "moment_of_truth": truth,
        "personas_reached": max(len(reached), 1),
        "measured_gap": gap,
        "priority": priority(severity, len(reached), truth, gap),
        "places": places,
        "journeys": _sorted(p["title"] for p in places),
        "owners": _sorted(p["owner"] for p in places if p["owner"]),
        "personas": _sorted(n for p in places for n in p["personas"]),
        "channels": _sorted(p["channel"] for p in places if p["channel"]),
        "tags": _sorted(t for p in places for t in p["tags"]),
    }


def _switches(
    ref: dict[str, str], tps: list[dict[str, Any]], notes: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Every step from one touchpoint to the next that changes channel (both channels known)."""
    pained = {n["touchpoint"] for n in notes if n["kind"] == "pain"}
    out = []
    for i, tp in enumerate(tps):
        for target in tp["next"]:
            to = tps[target]
            if tp["channel"] and to["channel"] and tp["channel"] != to["channel"]:
                out.append(
                    dict(
                        ref,
                        source=tp["name"],
                        source_channel=tp["channel"],
                        target=to["name"],
                        target_channel=to["channel"],
                        pain=i in pained or target in pained,
                    )
                )
    return out


def _matrix(tps: list[dict[str, Any]]) -> dict[str, Any]:
    """One journey's stages × channels: touchpoint counts (a touchpoint without one: '')."""
    channels = _sorted(tp["channel"] or "" for tp in tps)
    stages: list[str] = []
    for tp in sorted(tps, key=lambda t: t["stage_index"]):
        if tp["stage"] not in stages:
            stages.append(tp["stage"])
    counts = {s: dict.fromkeys(channels, 0) for s in stages}
    for tp in tps:
        counts[tp["stage"]][tp["channel"] or ""] += 1
    return {
        "channels": channels,
        "rows": [{"stage": s, "counts": [counts[s][c] for c in channels]} for s in stages],
    }


def _site_matrix(matrices: list[dict[str, Any]]) -> dict[str, Any]:
    """Across the site: stage names (compared case-insensitively) × channels."""
    channels = _sorted(c for m in matrices for c in m["channels"])
    totals: dict[str, dict[str, int]] = {}
    shown: dict[str, str] = {}
    for m in matrices:
        for row in m["rows"]:
            key = owner_key(row["stage"])
            shown.setdefault(key, row["stage"])
            line = totals.setdefault(key, dict.fromkeys(channels, 0))
            for channel, count in zip(m["channels"], row["counts"], strict=True):
                line[channel] += count
    return {
        "channels": channels,
        "rows": [
            {"stage": shown[k], "counts": [totals[k][c] for c in channels]}
            for k in sorted(totals, key=lambda k: (k, shown[k]))
        ],
    }


def _figures(
    journeys: list[dict[str, Any]], backlog: list[dict[str, Any]], owners: dict[str, Any]
) -> dict[str, Any]:
    pains = dict.fromkeys(reversed(SEVERITIES), 0)
    for item in backlog:
        if item["kind"] == "pain":
            pains[item["severity"]] += 1
    return {
        "journeys": len(journeys),
        "touchpoints": sum(len(j["atlas"]["touchpoints"]) for j in journeys),
        "pain_points": pains,
        "opportunities": sum(item["kind"] == "opportunity" for item in backlog),
        "owners": len(owners),
    }


def public(data: dict[str, Any]) -> dict[str, Any]:
    """The atlas as ``journeys.json`` publishes it (``schemas/site.schema.json``): each item
    once, owners naming their items by key."""
    place_keys = (
        "title", "page", "stage", "touchpoint", "channel", "personas", "severity", "measured",
    )  # fmt: skip

    def place(p: dict[str, Any]) -> dict[str, Any]:
        out = {k: p[k] for k in place_keys}
        return dict(out, owner=p["owner"] or None, moment_of_truth=p["moment_of_truth"])

    hidden = ("places", "owner_pages", "row")
    backlog = [
        {k: v for k, v in item.items() if k not in hidden}
        | {"places": [place(p) for p in item["places"]]}
        for item in data["backlog"]
    ]
    owners = [dict(o, items=[i["key"] for i in o["items"]]) for o in data["owners"]]
    return {
        "priority": {
            "rule": PRIORITY_RULE,
            "severity_weight": SEVERITY_WEIGHT,
            "opportunity_weight": OPPORTUNITY_WEIGHT,
            "moment_of_truth_factor": TRUTH_FACTOR,
            "measured_gap_max": 1,
        },
        "figures": data["figures"],
        "backlog": backlog,
        "owners": owners,
        "personas": [{k: v for k, v in p.items() if k != "curve"} for p in data["personas"]],
        "channels": data["channels"],
        "matrices": data["matrices"],
        "switches": data["switches"],
        "tree": data["tree"],
    }


def priority_rule(m: Messages) -> str:
    """``PRIORITY_RULE`` in the site's language, with the weights it uses."""
    weights = {severity: m.number(w) for severity, w in SEVERITY_WEIGHT.items()}
    rule = m("atlas.rule", **weights, opportunity=OPPORTUNITY_WEIGHT, factor=TRUTH_FACTOR)
    return rule + m("atlas.rule_gap")


def atlas_pages(
    data: dict[str, Any], templates: Path | None, title: str, m: Messages
) -> dict[str, bytes]:
    """The atlas's top-level pages, by file name, in the language of ``m``."""
    from journeymap.render.templating import environment

    env = environment(templates)

    def page(name: str, **context: Any) -> bytes:
        html = env.get_template(f"site/atlas/{name}.html.j2").render(
            title=title,
            severities=tuple(reversed(SEVERITIES)),
            t=m,
            trends=bool(data.get("trends")),
            **context,
        )
        return html.encode("utf-8")

    rule = priority_rule(m)
    out = {
        "backlog.html": page("backlog", atlas=data, rule=rule, columns=CSV_COLUMNS),
        "channels.html": page("channels", atlas=data),
    }
    for entry in data["owners"]:
        out[entry["page"]] = page("owner", owner=entry)
    for entry in data["personas"]:
        out[entry["page"]] = page("persona", persona=entry, curves=_curves(entry["journeys"]))
    return out


def _curves(journeys: list[dict[str, Any]], width: int = 160, height: int = 60) -> list[Any]:
    """Per journey, the persona's curve on one normalised axis: SVG polyline point runs, and
    a dot at each point (a run of one point draws no line)."""
    from journeymap.site.pages import sparkline_paths

    out = []
    for j in journeys:
        runs = sparkline_paths(j["curve"], width, height)
        dots = [point.split(",") for run in runs for point in run.split()]
        out.append(dict(j, runs=runs, dots=dots))
    return out
