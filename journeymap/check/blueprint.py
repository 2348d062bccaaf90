"""Checks of the service-blueprint and time keys: actor references, times, and time order."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from journeymap.model.duration import DurationError, describe, parse_duration
from journeymap.model.index import Entry
from journeymap.model.slug import normalise_id

if TYPE_CHECKING:
    from journeymap.check.semantics import Checker

#: Blueprint lane -> the key its mapping items use to name an actor.
LANES: dict[str, str] = {"frontstage": "actor", "backstage": "actor", "support": "system"}
#: Keys only a service blueprint uses (a text ``backstage`` is older than blueprints).
BLUEPRINT_KEYS = ("evidence", "frontstage", "support")
#: A wait at least this long (seconds) needs something that tells the customer what happens.
SILENT_WAIT = 86400.0


def check_blueprint(checker: Checker) -> None:
    """Report unknown actors, unreadable times, and ``at`` going back along the default path."""
    index = checker.index
    actors = checker.vocabulary("actor")
    for tp in index.touchpoints:
        for lane, key in LANES.items():
            items = tp.data.get(lane)
            for i, item in enumerate(items if isinstance(items, list) else ()):
                ref = item.get(key) if isinstance(item, dict) else None
                if isinstance(ref, str) and normalise_id(ref) not in actors:
                    message = checker.unknown("actor", ref)
                    if not actors.words:
                        message += "; declare it under 'actors' (id, name, kind)"
                    checker.report(
                        checker.doc, (*tp.path, lane, i, key), message, "unknown-reference"
                    )
    for stage in index.stages:
        _seconds(checker, stage, "duration")
    times: dict[int, float] = {}
    for position, tp in enumerate(index.touchpoints):
        _seconds(checker, tp, "duration")
        at = _seconds(checker, tp, "at")
        if at is not None:
            times[position] = at
    _check_order(checker, times)


def _seconds(checker: Checker, entry: Entry, key: str) -> float | None:
    value: Any = entry.data.get(key)
    if not isinstance(value, str):
        return None  # absent, or the schema reports the type
    try:
        return parse_duration(value)
    except DurationError as exc:
        checker.report(checker.doc, (*entry.path, key), f"{key}: {exc}", "bad-time")
        return None


def _check_order(checker: Checker, times: dict[int, float]) -> None:
    """Warn where ``at`` is earlier than an earlier touchpoint's on the default path (each
    touchpoint's first ``next``, else the next in file order)."""
    tps = checker.index.touchpoints
    if not times or not tps:
        return
    by_id = {tp.id: (i, tp) for i, tp in reversed(list(enumerate(tps)))}
    position: int | None = 0
    seen: set[int] = set()
    latest: tuple[float, str] | None = None
    while position is not None and position not in seen:
        seen.add(position)
        tp = tps[position]
        at = times.get(position)
        if at is not None:
            if latest is not None and at < latest[0]:
                checker.report(
                    checker.doc,
                    (*tp.path, "at"),
                    f"touchpoint '{tp.id}' is at {tp.data['at']}, before '{latest[1]}' which "
                    "comes earlier on the default path; 'at' is the time since the journey "
                    "starts, so it should not go back",
                    "time-goes-back",
                    "warning",
                )
            else:
                latest = (at, tp.id)
        nxt = tp.data.get("next")
        if isinstance(nxt, list):
            first = nxt[0] if nxt and isinstance(nxt[0], str) else None
            found = by_id.get(normalise_id(first)) if first else None
            position = found[0] if found else None
        else:
            position = position + 1 if position + 1 < len(tps) else None


def lint_blueprint(checker: Checker) -> None:
    """Warnings for blueprints: a customer action nothing serves (only when the journey uses
    blueprint lanes at all), and a long wait after a touchpoint that gives the customer nothing."""
    tps = checker.index.touchpoints
    if any(key in tp.data for tp in tps for key in BLUEPRINT_KEYS) or any(
        isinstance(tp.data.get("backstage"), list) for tp in tps
    ):
        for tp in tps:
            if not any(tp.data.get(lane) for lane in LANES):
                where = (*tp.path, "action") if "action" in tp.data else tp.path
                checker.report(
                    checker.doc,
                    where,
                    f"touchpoint '{tp.id}': nothing serves this customer action in the "
                    "blueprint; add what staff or systems do under 'frontstage', 'backstage' "
                    "or 'support'",
                    "unserved-action",
                    "warning",
                )
    at = {i: _quiet_seconds(tp.data.get("at")) for i, tp in enumerate(tps)}
    lasts = {i: _quiet_seconds(tp.data.get("duration")) or 0.0 for i, tp in enumerate(tps)}
    position = {tp.id: i for i, tp in reversed(list(enumerate(tps)))}
    for i, tp in enumerate(tps):
        start = at[i]
        if start is None or tp.data.get("evidence"):
            continue
        for target in _next_positions(tps, i, position):
            later = at[target]
            if later is None or later - start - lasts[i] < checker.silent_wait:
                continue
            checker.report(
                checker.doc,
                (*tps[target].path, "at"),
                f"the customer waits {describe(later - start - lasts[i])} after "
                f"'{tp.id}' for '{tps[target].id}', and nothing there tells them what happens "
                f"next; add the letter, e-mail or screen that does under 'evidence' of '{tp.id}'",
                "silent-wait",
                "warning",
            )


def _quiet_seconds(value: Any) -> float | None:
    """Seconds of a readable time, else None (the checks have reported the rest)."""
    if not isinstance(value, str):
        return None
    try:
        return parse_duration(value)
    except DurationError:
        return None


def _next_positions(tps: list[Entry], i: int, position: dict[str, int]) -> list[int]:
    """Positions of the touchpoints that can follow touchpoint ``i``."""
    nxt = tps[i].data.get("next")
    if isinstance(nxt, list):
        ids = (normalise_id(n) for n in nxt if isinstance(n, str))
        return [position[n] for n in ids if n in position]
    return [i + 1] if i + 1 < len(tps) else []
