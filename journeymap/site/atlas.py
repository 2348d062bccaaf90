"""The journey atlas: site-wide aggregates of every journey (backlog, owners, personas,
channels), computed from the built journeys' summaries so reused journeys cost nothing.

Each journey's worker stores ``facts(journey)`` in its summary; ``aggregate`` joins them.
Everything here is plain data (sorted, deterministic); ``atlas_pages`` renders it.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import json
import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from journeymap.model.journey import SEVERITIES, Journey, Note
from journeymap.model.slug import file_slug
from journeymap.site.levels import tree
from journeymap.text.locale import Messages

if TYPE_CHECKING:
    from markupsafe import Markup

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


_P = ParamSpec("_P")
_R = TypeVar("_R")


def uncollected(function: Callable[_P, _R]) -> Callable[_P, _R]:
    """``function`` run with Python's cycle collector paused (as it was, after).

    The atlas functions make hundreds of thousands of dicts and lists that all stay alive
    till the pages are written, and no cycles among them: each collection that their
    allocations set off walked them all again, a third of their time for 200 journeys.
    """

    @functools.wraps(function)
    def run(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        if not gc.isenabled():
            return function(*args, **kwargs)
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            gc.enable()

    return run


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
    unique = set(values)
    return sorted(unique, key=_folded) if len(unique) > 1 else list(unique)


def _folded(value: str) -> tuple[str, str]:
    return value.casefold(), value


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


@uncollected
def aggregate(summaries: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Site-wide atlas data from the journeys' summaries (deterministic, sorted).

    Linear in the notes: what a place takes from its touchpoint (owner, personas, measure)
    is worked out once per touchpoint, and an item's worst severity, moment of truth, gap
    and personas reached are gathered as its places are added.
    """
    journeys = sorted(
        (s for s in summaries if isinstance(s.get("atlas"), dict)), key=lambda s: s["page"]
    )
    items: dict[str, dict[str, Any]] = {}
    people: dict[str, dict[str, Any]] = {}
    owners: dict[str, dict[str, Any]] = {}
    spellings: dict[str, set[str]] = {}
    known: dict[str, str | None] = {}  # each spelling met so far: its owner key
    journey_tags: dict[str, list[str]] = {}

    def owner(name: str | None) -> str | None:
        if name in known:
            return known[name]
        if not name or not name.strip():
            return None
        key = owner_key(name)
        spellings.setdefault(key, set()).add(" ".join(name.split()))
        owners.setdefault(key, {"journeys": [], "touchpoints": [], "items": []})
        known[name] = key
        return key

    switches: list[dict[str, Any]] = []
    matrices: list[dict[str, Any]] = []
    for j in journeys:
        data = j["atlas"]
        page = j["page"]
        title = j["title"]
        ref = {"title": title, "page": page}
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
        scale = j["emotion"]["scale"]
        tags = j["tags"]
        sorted_tags = _sorted(tags)  # shared by this journey's items: not to be changed
        journey_tags[page] = tags
        tp_owners = []
        tp_personas = []
        tp_measured = []
        for tp in tps:
            tp_owner = owner(tp["owner"])
            if tp_owner:
                owners[tp_owner]["touchpoints"].append(dict(ref, touchpoint=tp["name"]))
            tp_owners.append(tp_owner)
            tp_personas.append([keys[p] for p in tp["personas"] if p in keys])
            found = measured.get(tp["id"])
            tp_measured.append((found, measured_gap(found, scale) if found else 0.0))
        for n, note in enumerate(data["notes"]):
            at = note["touchpoint"]
            tp = tps[at]
            effective = owner(note["owner"]) or tp_owners[at] or journey_owner
            kind = note["kind"]
            ident = f"{kind}\0{note['id']}" if note["id"] else f"{kind}\0{page}\0{n}"
            found, gap = tp_measured[at]
            personas = tp_personas[at]
            severity = note["severity"]
            truth = tp["moment_of_truth"]
            # A place as journeys.json has it (public() passes it on as it is); _item names
            # its personas and owner (keys here).
            place = {
                "title": title,
                "page": page,
                "stage": tp["stage"],
                "touchpoint": tp["name"],
                "channel": tp["channel"],
                "personas": personas,
                "severity": severity,
                "measured": found,
                "owner": effective,
                "moment_of_truth": truth,
            }
            item = items.get(ident)
            if item is None:
                # The item as the backlog will hold it; _item fills in the rest.
                items[ident] = {
                    "key": "",
                    "kind": kind,
                    "id": note["id"],
                    "text": note["text"],
                    "severity": severity or None,
                    "moment_of_truth": bool(truth),
                    "personas_reached": personas,  # the keys reached; a set from 2 places
                    "measured_gap": gap,
                    "priority": 0,
                    "places": [place],
                    "tags": sorted_tags,
                }
                continue
            places = item["places"]
            places.append(place)
            if severity and (not item["severity"] or _rank(severity) > _rank(item["severity"])):
                item["severity"] = severity
            item["moment_of_truth"] = item["moment_of_truth"] or bool(truth)
            item["measured_gap"] = max(item["measured_gap"], gap)
            if len(places) == 2:
                item["personas_reached"] = set(item["personas_reached"])
            item["personas_reached"].update(personas)
        switches += _switches(ref, tps, data["notes"])
        matrices.append(dict(ref, **_matrix(tps)))
    names = {key: _display(spell) for key, spell in spellings.items()}
    persona_names = {key: entry["card"]["name"] for key, entry in people.items()} | {
        f"\0{j['page']}": "" for j in journeys
    }
    shown: dict[tuple[str, ...], list[str]] = {}  # the persona names of each key list
    backlog = [_item(item, names, persona_names, shown, journey_tags) for item in items.values()]
    backlog.sort(key=lambda i: (-i["priority"], -_rank(i["severity"]), i["text"], i["key"]))
    owner_pages = _slugs(sorted(owners), "owner")
    persona_pages = _slugs(sorted(people), "persona")
    keys_of = {name: key for key, name in names.items()}  # one key per name, and back
    for i, item in enumerate(backlog):
        item["key"] = f"item-{i + 1}"
        # Sorted by key, as the names are: a name's casefold is its key.
        mine = [keys_of[name] for name in item["owners"]]
        for key in mine:
            owners[key]["items"].append(item)
        item["owner_pages"] = [{"name": names[k], "page": owner_pages[k]} for k in mine]
        item["row"] = _row(item)
    return {
        "backlog": backlog,
        "facets": {name: _sorted({v for item in backlog for v in item[name]}) for name in FACETS},
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


_ROW_COLUMNS = tuple(c for c in CSV_COLUMNS if c != "places")


def _row(item: dict[str, Any]) -> dict[str, Any]:
    """What the backlog page's script reads of a row: one value per CSV column (lists stay
    lists: they are the row's facets, and the search looks in all of it)."""
    row = {c: item[c] for c in _ROW_COLUMNS}
    row["places"] = [f"{p['title']} > {p['stage']} > {p['touchpoint']}" for p in item["places"]]
    return row


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
    item: dict[str, Any],
    names: dict[str, str],
    persona_names: dict[str, str],
    shown: dict[tuple[str, ...], list[str]],
    journey_tags: dict[str, list[str]],
) -> dict[str, Any]:
    """A backlog item from what ``aggregate`` gathered: its places' owners and personas by
    name (``shown`` keeps the names of each list of persona keys, a list that places and
    items share and nobody changes), its priority and facets."""
    places = item["places"]
    for place in places:
        key = place["owner"]
        place["owner"] = names[key] if key else None
        keys = tuple(place["personas"])
        found = shown.get(keys)
        if found is None:
            found = shown[keys] = _sorted(persona_names[p] for p in keys if persona_names[p])
        place["personas"] = found
    reached = len(set(item["personas_reached"]))
    severity, truth, gap = item["severity"], item["moment_of_truth"], item["measured_gap"]
    item["personas_reached"] = max(reached, 1)
    item["priority"] = priority(severity, reached, truth, gap)
    if len(places) == 1:
        (one,) = places
        item["journeys"] = [one["title"]]
        item["owners"] = [one["owner"]] if one["owner"] else []
        item["personas"] = one["personas"]
        item["channels"] = [one["channel"]] if one["channel"] else []
        tags = item.pop("tags")  # the journey's, sorted
    else:
        item["journeys"] = _sorted(p["title"] for p in places)
        item["owners"] = _sorted(p["owner"] for p in places if p["owner"])
        item["personas"] = _sorted(n for p in places for n in p["personas"])
        item["channels"] = _sorted(p["channel"] for p in places if p["channel"])
        tags = _sorted(t for p in places for t in journey_tags[p["page"]])
        del item["tags"]
    item["tags"] = tags
    return item


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


@uncollected
def public(data: dict[str, Any]) -> dict[str, Any]:
    """The atlas as ``journeys.json`` publishes it (``schemas/site.schema.json``): each item
    once, owners naming their items by key."""
    hidden = {"owner_pages", "row"}  # its places are as journeys.json has them
    backlog = [{k: v for k, v in item.items() if k not in hidden} for item in data["backlog"]]
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


@uncollected
def atlas_pages(
    data: dict[str, Any], templates: Path | None, title: str, m: Messages
) -> dict[str, bytes]:
    """The atlas's top-level pages, by file name, in the language of ``m``.

    The pages' long lists (backlog rows, an owner's items and touchpoints, the channel
    switches and matrices, persona curves) come as HTML from ``_Lists``; the templates
    still get the data they are made from.
    """
    from markupsafe import Markup

    from journeymap.render.templating import environment

    env = environment(templates)
    html = _Lists(m)

    def page(name: str, lists: dict[str, str] | None = None, **context: Any) -> bytes:
        """The page ``name``; each of ``lists`` (HTML, by variable) goes in where the
        template writes it as bytes, not through the template's output (the backlog's
        rows are 20 MB, and each step of that output copied them)."""
        marks = {key: f"<\0{key}\0>" for key in lists or {}}
        text = env.get_template(f"site/atlas/{name}.html.j2").render(
            title=title,
            severities=tuple(reversed(SEVERITIES)),
            t=m,
            trends=bool(data.get("trends")),
            **context,
            **{key: Markup(mark) for key, mark in marks.items()},
        )
        if not lists:
            return text.encode("utf-8")
        encoded = {marks[key]: value.encode("utf-8") for key, value in lists.items()}
        return b"".join(
            encoded[piece] if piece in encoded else piece.encode("utf-8")
            for piece in _MARK.split(text)
        )

    rule = priority_rule(m)
    out = {
        "backlog.html": page(
            "backlog",
            atlas=data,
            rule=rule,
            columns=CSV_COLUMNS,
            lists={"rows": html.backlog(data["backlog"])},
        ),
        "channels.html": page(
            "channels",
            atlas=data,
            pained=sum(1 for s in data["switches"] if s["pain"]),
            switch_rows=html.switches(data["switches"]),
            across=html.matrix(data["channels"]),
            matrices=html.matrices(data["matrices"]),
        ),
    }
    for entry in data["owners"]:
        out[entry["page"]] = page(
            "owner",
            owner=entry,
            lists={"item_rows": html.owned(entry["items"])},
            touchpoint_list=html.touchpoints(entry["touchpoints"]),
        )
    for entry in data["personas"]:
        curves = _curves(entry["journeys"])
        out[entry["page"]] = page(
            "persona", persona=entry, curves=curves, figures=html.curves(entry, curves)
        )
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


#: Where ``atlas_pages`` puts a list in a page: a ``<`` that no escaped text can hold.
_MARK = re.compile("(<\0[a-z_]+\0>)")


def escape(value: object) -> str:
    """``value`` as the templates' autoescape writes it (markupsafe's escape, as text)."""
    from markupsafe import escape as markup_escape

    return str(markup_escape(value))


class _Escaped(dict[str, str]):
    """Text as autoescape writes it, each text escaped once (titles, stages and names
    repeat on every row)."""

    def __missing__(self, text: str) -> str:
        value = self[text] = escape(text)
        return value


class _Words(dict[str, str]):
    """The language's words by message id, escaped (each made once)."""

    def __init__(self, m: Messages) -> None:
        super().__init__()
        self.t = m

    def __missing__(self, key: str) -> str:
        value = self[key] = escape(self.t(key))
        return value


class _Counted(dict[tuple[str, int], str]):
    """``count(key, n)`` escaped, by ``(key, n)`` (each made once: CLDR plural rules are
    slow)."""

    def __init__(self, m: Messages) -> None:
        super().__init__()
        self.t = m

    def __missing__(self, key: tuple[str, int]) -> str:
        value = self[key] = escape(self.t.count(*key))
        return value


class _Lists:
    """The atlas pages' long lists as HTML, byte for byte what their template loops wrote.

    Written here rather than in the templates: the sandbox checks every attribute a
    template reads and every call it makes, and the loops over a 200-journey site's 18,000
    backlog items (and their owner pages) were nearly all of a build's time after its
    workers. Text is escaped as autoescape does; repeated text and the words of the
    language are escaped once.
    """

    def __init__(self, m: Messages) -> None:
        from journeymap.render.templating import COMPACT_JSON

        self.t = m
        self.json = json.JSONEncoder(**COMPACT_JSON, check_circular=False)  # no cycles
        self.e = _Escaped()
        self.w = _Words(m)
        self.n = _Counted(m)
        self._measures: dict[tuple[Any, ...], str] = {}
        self._owned: dict[str, str] = {}
        self._severity: dict[str, str] = {}

    def severity(self, severity: str) -> str:
        """The severity's badge."""
        found = self._severity.get(severity)
        if found is None:
            found = self._severity[severity] = (
                f'<span class="sev sev-{escape(severity)}">{self.w["severity." + severity]}</span>'
            )
        return found

    def _measure(self, measured: dict[str, Any]) -> str:
        """A place's measured score (its touchpoint's first survey measure)."""
        value, n, assumed = measured["measured"], measured["n"], measured["assumed"]
        if value is None:
            return ""
        ident = (type(value), value, type(n), n, type(assumed), assumed)
        found = self._measures.get(ident)
        if found is None:
            t = self.t
            found = '<br><span class="measured">' + escape(
                t("atlas.measured", value=t.signed(value))
            )
            if n:
                found += f" ({escape(t('measured.n', n=n))})"
            if assumed is not None:
                found += escape(t("atlas.assumed", value=t.signed(assumed)))
            found = self._measures[ident] = found + "</span>"
        return found

    def backlog(self, items: list[dict[str, Any]]) -> str:
        """The backlog table's rows (``backlog.html.j2`` puts them in its ``<tbody>``)."""
        e, w, n, encode = self.e, self.w, self.n, self.json.encode
        prio, item_, sev, where = (
            w["atlas.priority"], w["atlas.item"], w["atlas.severity"], w["atlas.where"]
        )  # fmt: skip
        personas, owner, truth = w["site.personas"], w["atlas.owner"], w["moment_of_truth"]
        yes = f'<span class="truth">{w["detail.yes"]}</span>'
        no = f'<span class="muted">{w["atlas.no"]}</span>'
        none = '<span class="muted">—</span>'
        out = []
        for rank, i in enumerate(items):
            places = i["places"]
            severity = i["severity"]
            priority_ = escape(i["priority"])
            where_ = []
            for p in places:
                channel, measured = p["channel"], p["measured"]
                where_.append(
                    f'<li><a href="{e[p["page"]]}"><bdi>{e[p["title"]]}</bdi></a>'
                    f" › <bdi>{e[p['stage']]}</bdi> › <bdi>{e[p['touchpoint']]}</bdi>"
                    + (f' <span class="tag"><bdi>{e[channel]}</bdi></span>' if channel else "")
                    + (self._measure(measured) if measured else "")
                    + "</li>"
                )
            kind = str(i["kind"])
            badge = self.severity(str(severity)) if severity else none
            count = f" · {n['atlas.places', len(places)]}" if len(places) > 1 else ""
            ident = f' <span class="muted">#{escape(i["id"])}</span>' if i["id"] else ""
            names = " · ".join([f"<bdi>{e[name]}</bdi>" for name in i["personas"]])
            pages = ", ".join(
                [
                    f'<a href="{e[o["page"]]}"><bdi>{e[o["name"]]}</bdi></a>'
                    for o in i["owner_pages"]
                ]
            )
            row = (
                encode(i["row"])
                .replace("<", "\\u003c")
                .replace(">", "\\u003e")
                .replace("&", "\\u0026")
                .replace("'", "\\u0027")
            )
            out.append(
                f'<tr class="item kind-{e[kind]}" id="{e[i["key"]]}" data-priority="{priority_}"'
                f' data-rank="{rank}" data-severity="{e[str(severity or "none")]}"'
                f" data-row='{row}'>\n"
                f'<td data-label="{prio}"><strong>{priority_}</strong></td>\n'
                f'<td data-label="{item_}"><bdi class="item-text">{escape(i["text"])}</bdi>{ident}'
                f'<br><span class="muted">{w["atlas.kind." + kind]}{count}</span></td>\n'
                f'<td data-label="{sev}">{badge}</td>\n'
                f'<td data-label="{where}"><ul class="places">{"".join(where_)}</ul></td>\n'
                f'<td data-label="{personas}">{names} <span class="muted">'
                f"({n['atlas.reached', i['personas_reached']]})</span></td>\n"
                f'<td data-label="{owner}">{pages}</td>\n'
                f'<td data-label="{truth}">{yes if i["moment_of_truth"] else no}</td>\n'
                "</tr>\n"
            )
        return "".join(out)

    def owned(self, items: list[dict[str, Any]]) -> str:
        """An owner page's item rows; an item's row is made once for all its owners."""
        rows = self._owned
        return "".join([rows.get(i["key"]) or self._owned_row(i) for i in items])

    def _owned_row(self, i: dict[str, Any]) -> str:
        e, w = self.e, self.w
        severity = i["severity"]
        truth = f' <span class="truth">{w["curve.moment"]}</span>' if i["moment_of_truth"] else ""
        shown = (
            self.severity(str(severity))
            if severity
            else f'<span class="muted">{w["atlas.kind.opportunity"]}</span>'
        )
        places = "".join(
            [
                f'<li><a href="{e[p["page"]]}"><bdi>{e[p["title"]]}</bdi></a>'
                f" › <bdi>{e[p['stage']]}</bdi> › <bdi>{e[p['touchpoint']]}</bdi></li>"
                for p in i["places"]
            ]
        )
        prio = w["atlas.priority"]
        row = self._owned[i["key"]] = (
            '<tr class="owned-item">\n'
            f'<td data-label="{prio}"><strong>{escape(i["priority"])}</strong></td>\n'
            f'<td data-label="{w["atlas.item"]}"><a href="backlog.html#{e[i["key"]]}">'
            f"{escape(i['text'])}</a>{truth}</td>\n"
            f'<td data-label="{w["atlas.severity"]}">{shown}</td>\n'
            f'<td data-label="{w["atlas.where"]}"><ul class="places">{places}</ul></td>\n'
            "</tr>\n"
        )
        return row

    def touchpoints(self, touchpoints: list[dict[str, Any]]) -> Markup:
        """An owner page's touchpoints, as list items."""
        from markupsafe import Markup

        e = self.e
        return Markup(
            "".join(
                f'<li><a href="{e[tp["page"]]}"><bdi>{e[tp["title"]]}</bdi></a>'
                f" › <bdi>{e[tp['touchpoint']]}</bdi></li>"
                for tp in touchpoints
            )
        )

    def switches(self, switches: list[dict[str, Any]]) -> Markup:
        """The channel page's switch rows."""
        from markupsafe import Markup

        e, w = self.e, self.w
        journey, source, target, pain = (
            w[k] for k in ("atlas.journey", "atlas.from", "atlas.to", "atlas.pain_point")
        )
        yes = w["detail.yes"]
        return Markup(
            "".join(
                f'<tr class="switch{" switch-pain" if s["pain"] else ""}">\n'
                f'<td data-label="{journey}"><a href="{e[s["page"]]}">{e[s["title"]]}</a></td>\n'
                f'<td data-label="{source}">{e[s["source"]]}'
                f' <span class="tag">{e[s["source_channel"]]}</span></td>\n'
                f'<td data-label="{target}">{e[s["target"]]}'
                f' <span class="tag">{e[s["target_channel"]]}</span></td>\n'
                f'<td data-label="{pain}">{yes if s["pain"] else ""}</td>\n'
                "</tr>"
                for s in switches
            )
        )

    def matrix(self, matrix: dict[str, Any]) -> Markup:
        """One stages × channels table."""
        from markupsafe import Markup

        e, w = self.e, self.w
        heads = "".join(
            f"<th>{e[c] if c else w['atlas.no_channel']}</th>" for c in matrix["channels"]
        )
        rows = "".join(
            f'<tr><th scope="row">{e[row["stage"]]}</th>'
            + "".join(
                f'<td class="count">{escape(n)}</td>' if n else '<td class="count zero">·</td>'
                for n in row["counts"]
            )
            + "</tr>"
            for row in matrix["rows"]
        )
        return Markup(
            '<div class="matrix-wrap"><table class="matrix">\n'
            f"<thead><tr><th>{w['lane.stage']}</th>{heads}</tr></thead>\n"
            f"<tbody>{rows}</tbody>\n"
            "</table></div>"
        )

    def matrices(self, matrices: list[dict[str, Any]]) -> Markup:
        """Each journey's heading and stages × channels table."""
        from markupsafe import Markup

        e = self.e
        return Markup(
            "".join(
                f'<h3><a href="{e[m["page"]]}">{e[m["title"]]}</a></h3>\n{self.matrix(m)}\n'
                for m in matrices
            )
        )

    def curves(self, persona: dict[str, Any], curves: list[dict[str, Any]]) -> Markup:
        """A persona page's figures: its curve in each journey."""
        from markupsafe import Markup

        e = self.e
        color = e[persona["color"]]
        out = []
        for j in curves:
            label = escape(self.t("atlas.curve_label", name=persona["name"], title=j["title"]))
            # The points are numbers sparkline_paths wrote: nothing in them to escape.
            lines = "".join(
                [f'<polyline points="{points}" stroke="{color}"/>' for points in j["runs"]]
            )
            dots = "".join(
                [f'<circle cx="{x}" cy="{y}" r="2.5" fill="{color}"/>' for x, y in j["dots"]]
            )
            out.append(
                '<figure class="journey-curve"><svg class="curve" width="168" height="68"'
                f' viewBox="-4 -4 168 68" role="img" aria-label="{label}">'
                f'<line x1="0" y1="30" x2="160" y2="30"/>{lines}{dots}</svg>'
                f'<figcaption><a href="{e[j["page"]]}">{e[j["title"]]}</a></figcaption></figure>\n'
            )
        return Markup("".join(out))
