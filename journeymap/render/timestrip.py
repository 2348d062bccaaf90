"""The time strip under the emotion curve on the time axis (``--x time``), in matplotlib.

Between the plot and the touchpoint names runs a ruler: a tick at each touchpoint (a
hollow ring where its time is estimated), a bar as long as its ``duration``, a thin line
for each wait (dashed at a break), and over each break its label ("3 days later"). The
x positions are the time axis's (``journeymap.render.timescale``), in slots.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from journeymap.render.timescale import TimeAxis
from journeymap.text.fit import text_width
from journeymap.text.locale import Messages

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.transforms import Transform

#: Height of the strip, inches, and the size of its labels, points (the smallest text
#: a printed curve allows).
HEIGHT_IN = 0.45
LABEL_PT = 8.0
INK = "#1f3a5f"
PRINT_INK = "#000000"
WAIT_GREY = "#8a8a8a"


def labels(axis: TimeAxis, m: Messages) -> list[tuple[float, str]]:
    """(x, text) of each break's label: halfway between its two touchpoints."""
    return [
        (
            (axis.positions[gap.before] + axis.positions[gap.before + 1]) / 2,
            m.plain("time.later", time=m.elapsed(gap.seconds)),
        )
        for gap in axis.gaps
        if gap.is_break
    ]


def slot_for_labels(axis: TimeAxis, m: Messages) -> float:
    """The narrowest slot (inches) at which every break's label fits between its touchpoints."""
    need = 0.0
    for gap in axis.gaps:
        if gap.is_break:
            text = m.plain("time.later", time=m.elapsed(gap.seconds))
            inches = text_width(text, LABEL_PT) * 1.15 / 72 + 0.12
            room = axis.positions[gap.before + 1] - axis.positions[gap.before]
            need = max(need, inches / room)
    return need


def draw(
    ax: Axes, fig: Figure, along: Transform, axis: TimeAxis, m: Messages, print_theme: bool
) -> float:
    """Draw the strip under ``ax`` (``along``: data x, axes y); its height in points."""
    from matplotlib.collections import LineCollection
    from matplotlib.transforms import offset_copy

    height = HEIGHT_IN * 72
    ruler = offset_copy(along, fig=fig, y=-height * 0.68, units="points")
    above = offset_copy(along, fig=fig, y=-height * 0.3, units="points")
    ink = PRINT_INK if print_theme else INK
    line: dict[str, Any] = {"transform": ruler, "clip_on": False, "zorder": 3}
    positions = axis.positions
    waits: dict[bool, list[list[tuple[float, float]]]] = {False: [], True: []}
    bars: list[list[tuple[float, float]]] = []
    for i, tp in enumerate(axis.touchpoints):
        end = axis.end(i)
        if i + 1 < len(positions) and positions[i + 1] > end:
            waits[axis.gaps[i].is_break].append([(end, 0.0), (positions[i + 1], 0.0)])
        if tp.duration:
            bars.append([(positions[i], 0.0), (max(end, positions[i] + 0.04), 0.0)])
    # One collection per kind of mark: a long journey draws in one pass, not per touchpoint.
    for brk, segments in waits.items():
        style = "--" if brk else "-"
        ax.add_collection(
            LineCollection(segments, colors=WAIT_GREY, linewidths=1, linestyles=style, **line)
        )
    ax.add_collection(LineCollection(bars, colors=ink, linewidths=4.5, capstyle="butt", **line))
    given = [p for p, guess in zip(positions, axis.estimated, strict=True) if not guess]
    guessed = [p for p, guess in zip(positions, axis.estimated, strict=True) if guess]
    ax.plot(given, [0] * len(given), marker="|", markersize=9, markeredgewidth=1.6, color=ink,
            linestyle="none", **line)  # fmt: skip
    if guessed:
        ax.plot(guessed, [0] * len(guessed), marker="o", markersize=5, markerfacecolor="white",
                markeredgecolor=ink, linestyle="none", **line)  # fmt: skip
    for x, text in labels(axis, m):
        ax.text(
            x,
            0,
            text,
            transform=above,
            ha="center",
            va="center",
            fontsize=LABEL_PT,
            color="#333333",
            clip_on=False,
        )
    return height


def legend(axis: TimeAxis, m: Messages, print_theme: bool) -> list[tuple[Any, str]]:
    """Legend entries: the compressed axis and its breaks, durations, estimated times."""
    from matplotlib.lines import Line2D

    ink = PRINT_INK if print_theme else INK
    entries: list[tuple[Any, str]] = [
        (
            Line2D([], [], color=WAIT_GREY, linewidth=1, linestyle="--"),
            m.plain("time.legend", example=m.elapsed(axis.wait)),  # mirrored in RTL
        ),
    ]
    if any(tp.duration for tp in axis.touchpoints):
        entries.append(
            (
                Line2D([], [], color=ink, linewidth=4.5, solid_capstyle="butt"),
                m.plain("time.duration"),
            )
        )
    if any(axis.estimated):
        handle = Line2D(
            [],
            [],
            marker="o",
            markersize=5,
            markerfacecolor="white",
            markeredgecolor=ink,
            linestyle="none",
        )
        entries.append((handle, m.plain("time.estimated")))
    return entries
