"""The time axis (``--x time``): touchpoints placed by ``at`` on a compressed time scale.

Touchpoints go in the order of their time (file order among equal times). The distance
between two neighbours is one column plus room for the time between them: linear up to
the wait threshold (an hour by default, half a column at most), and past it a *break* whose
room grows with the logarithm of the wait (a day takes twice an hour's room, five
weeks three times), labelled "3 days later". So seconds and weeks both stay readable.

A touchpoint without ``at`` is placed between its neighbours in file order (evenly
between the timed ones around it) and marked as estimated. Positions are in columns; the
map multiplies them by its column width, the curve uses them as they are.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from dataclasses import dataclass, replace

from journeymap.model.journey import Journey, Touchpoint
from journeymap.render.options import RenderOptions
from journeymap.source.diagnostics import RenderError

#: Default wait threshold (seconds): a gap in ``at`` at least this long is a break.
WAIT = 3600.0
#: Room (in columns) of a gap just under the threshold; shorter gaps get a linear share.
SHORT_ROOM = 0.5
#: Room of a gap at the threshold, and what each doubling of it adds.
BREAK_ROOM = 0.45
PER_DOUBLING = 0.1


class NoTimes(RenderError):
    """The time axis was asked for a journey none of whose touchpoints has ``at``."""

    MESSAGE = (
        "the time axis needs times: no touchpoint has 'at' (the time since the journey "
        "starts, like 'at: 0s' or 'at: 3 days'); add them, or draw it in order (--x order)"
    )


@dataclass(frozen=True)
class Gap:
    """The time between two neighbours on the axis (``before`` and ``before + 1``)."""

    before: int
    seconds: float
    #: At least the wait threshold: drawn as a break and labelled.
    is_break: bool


@dataclass(frozen=True)
class TimeAxis:
    """Touchpoints in time order with their times and positions (in columns, from 0)."""

    touchpoints: tuple[Touchpoint, ...]
    times: tuple[float, ...]
    #: True where the touchpoint has no ``at`` and its time is estimated.
    estimated: tuple[bool, ...]
    positions: tuple[float, ...]
    gaps: tuple[Gap, ...]
    wait: float = WAIT

    def x(self, seconds: float) -> float:
        """The position of a time: linear between the two touchpoints around it; before
        the first or after the last, the first's or last's position."""
        times, positions = self.times, self.positions
        k = bisect_right(times, seconds) - 1
        if k < 0:
            return positions[0]
        if k >= len(times) - 1:
            return positions[-1]
        span = times[k + 1] - times[k]
        share = (seconds - times[k]) / span if span > 0 else 0.0
        return positions[k] + share * (positions[k + 1] - positions[k])

    def end(self, i: int) -> float:
        """The position where touchpoint ``i`` ends (``at`` plus ``duration``); past the
        last touchpoint's time, a little further inside its column."""
        seconds = self.times[i] + (self.touchpoints[i].duration or 0.0)
        if seconds <= self.times[-1]:
            return self.x(seconds)
        return self.positions[-1] + 0.45 * min(1.0, room(seconds - self.times[-1], self.wait))


def timed(options: RenderOptions, journey: Journey) -> RenderOptions:
    """``options`` for ``journey``: a default time axis (of the project config) falls back to
    order for a journey none of whose touchpoints has ``at``."""
    if options.x == "time" and all(tp.at is None for tp in journey.touchpoints):
        return replace(options, x="order")
    return options


def room(seconds: float, wait: float = WAIT) -> float:
    """Extra room (columns) for ``seconds`` between two neighbours."""
    if seconds <= 0:
        return 0.0
    if seconds < wait:
        return SHORT_ROOM * seconds / wait
    return BREAK_ROOM + PER_DOUBLING * math.log2(seconds / wait)


def estimated_times(touchpoints: tuple[Touchpoint, ...]) -> list[tuple[float, bool]]:
    """(time, estimated) of each touchpoint in file order; NoTimes if none has ``at``.

    A touchpoint without ``at`` gets a time evenly between the timed touchpoints before and
    after it in file order; before the first timed one, that one's time; after the last,
    the last one's end (``at`` plus ``duration``).
    """
    known = [i for i, tp in enumerate(touchpoints) if tp.at is not None]
    if not known:
        raise NoTimes(NoTimes.MESSAGE)
    out: list[tuple[float, bool]] = []
    k = 0  # known[k] is the first timed touchpoint at or after i
    for i, tp in enumerate(touchpoints):
        if tp.at is not None:
            out.append((tp.at, False))
            k += 1
            continue
        before = touchpoints[known[k - 1]] if k > 0 else None
        after = touchpoints[known[k]] if k < len(known) else None
        if before is None or before.at is None:
            assert after is not None and after.at is not None
            out.append((after.at, True))
        elif after is None or after.at is None:
            out.append((before.at + (before.duration or 0.0), True))
        else:
            share = (i - known[k - 1]) / (known[k] - known[k - 1])
            out.append((before.at + share * max(0.0, after.at - before.at), True))
    return out


def time_axis(journey: Journey, wait: float = WAIT) -> TimeAxis:
    """The time axis of ``journey``; NoTimes when no touchpoint has ``at``."""
    tps = journey.touchpoints
    timed = estimated_times(tps)
    return axis_of([(tp, t, guess) for tp, (t, guess) in zip(tps, timed, strict=True)], wait)


def axis_of(moments: list[tuple[Touchpoint, float, bool]], wait: float = WAIT) -> TimeAxis:
    """The time axis of touchpoints with their (time, estimated): in time order, the list's
    order among equal times (also touchpoints of several journeys)."""
    order = sorted(range(len(moments)), key=lambda i: (moments[i][1], i))
    times = tuple(moments[i][1] for i in order)
    positions = [0.0]
    gaps = []
    for k in range(1, len(order)):
        seconds = times[k] - times[k - 1]
        positions.append(positions[-1] + 1.0 + room(seconds, wait))
        gaps.append(Gap(k - 1, seconds, seconds >= wait))
    return TimeAxis(
        touchpoints=tuple(moments[i][0] for i in order),
        times=times,
        estimated=tuple(moments[i][2] for i in order),
        positions=tuple(round(p, 4) for p in positions),
        gaps=tuple(gaps),
        wait=wait,
    )
