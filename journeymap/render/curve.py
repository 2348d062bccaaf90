"""Emotion curves drawn with matplotlib: one line per persona across the journey's touchpoints.

matplotlib is imported only inside the drawing functions and used without pyplot (a
``Figure`` on the Agg canvas): no global state, no window. User text is literal
(``text.parse_math`` off, no TeX), SVG text stays text, and the bytes are deterministic
(fixed SVG hash salt, no dates in SVG/PDF/PNG metadata).
"""

from __future__ import annotations

import html
import math
import re
import textwrap
import unicodedata
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import cache
from typing import TYPE_CHECKING, Any, NamedTuple

from journeymap.model.journey import SEVERITIES, Journey, Scale, Touchpoint
from journeymap.render import timestrip
from journeymap.render.marks import MPL_MARKERS, SHAPES, signed
from journeymap.render.options import SHEETS, Artifact, RenderOptions, RenderResult
from journeymap.render.smooth import monotone_curve
from journeymap.render.timescale import NoTimes, TimeAxis, axis_of, estimated_times, time_axis
from journeymap.source.diagnostics import RenderError, ToolMissingError
from journeymap.text import fit
from journeymap.text.locale import Messages, has_rtl, localised, messages

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

CURVE_FORMATS: tuple[str, ...] = ("svg", "pdf", "png")
FONT_PREFERENCE: tuple[str, ...] = (
    "DejaVu Sans",
    "Noto Sans CJK JP",
    "Noto Sans Arabic",
)
MARKERS: tuple[str, ...] = tuple(MPL_MARKERS[shape] for shape in SHAPES)
LINESTYLES: tuple[Any, ...] = ("-", "--", "-.", ":", (0, (6, 2, 1, 2, 1, 2)), (0, (1, 1)))
PRINT_GREYS: tuple[str, ...] = ("#000000", "#555555", "#8a8a8a", "#2b2b2b", "#6e6e6e", "#a0a0a0")
SEVERITY_SIZE: dict[str, float] = {"low": 11.0, "medium": 15.0, "high": 19.0, "critical": 24.0}
SEVERITY_RANK: dict[str, int] = {severity: rank for rank, severity in enumerate(SEVERITIES)}
#: Pain rings in the legend (on the chart each takes its persona's colour).
PAIN_LEGEND_COLOR = "#444444"
TRUTH_COLOR = "#E69F00"
NO_LIGATURES: tuple[str, ...] = ("-liga",)
#: Measured diamonds stand this far (in slots) right of their touchpoint.
MEASURED_SHIFT = 0.22
NO_MEASURES = "--measured: no survey evidence to overlay"
#: Agg cannot make images 2**16 pixels wide or more.
MAX_PIXELS = 65000


def normalised_scale(m: Messages) -> Scale:
    """The axis of a comparison of journeys on different scales: quarters of each one's
    scale, its ends named in the journey's language."""
    quarters = {1: "25 %", 2: "50 %", 3: "75 %"}
    return Scale(0, 4, {0: m.plain("compare.worst"), **quarters, 4: m.plain("compare.best")})


@dataclass
class Series:
    """One line: a label for the legend and a value (or None for a gap) per slot."""

    label: str
    color: str
    marker: str
    linestyle: Any
    values: list[float | None]
    alpha: float = 1.0
    #: Slots that are not part of this line's journey: the line runs past them.
    skip: frozenset[int] = frozenset()


@dataclass
class Slot:
    """One position on the x axis: a touchpoint (or touchpoints matched across journeys)."""

    id: str
    name: str
    stage: str
    pain: list[str] = field(default_factory=list)
    truth: bool = False


class Point(NamedTuple):
    """A measured score on the chart: its slot, value and 95% margin, and its sample size."""

    slot: int
    value: float
    margin: float
    low_n: bool
    n: int


@dataclass
class Chart:
    """Everything drawn in one figure."""

    title: str
    scale: Scale
    slots: list[Slot]
    series: list[Series]
    annotate: bool = True
    smooth: bool = True
    print_theme: bool = False
    #: Values are fractions of each journey's own scale (0 = worst, 1 = best), in quarters.
    normalised: bool = False
    #: Shown instead of axes when there is nothing to draw.
    empty: str | None = None
    #: The built-in words, in the (first) journey's language.
    m: Messages = field(default_factory=messages)
    #: Measured scores to overlay, each beside its touchpoint.
    measured: list[Point] = field(default_factory=list)
    #: The time axis when slots are placed by ``at`` (``--x time``), else None (0, 1, 2, ...).
    times: TimeAxis | None = None

    def at(self, slot: float) -> float:
        """The x of a slot (between two slots for a fraction): its time-axis position, or
        the slot itself when touchpoints follow one another."""
        if self.times is None:
            return slot
        positions = self.times.positions
        low = min(max(math.floor(slot), 0), len(positions) - 1)
        high = min(low + 1, len(positions) - 1)
        return positions[low] + (slot - low) * (positions[high] - positions[low])

    def edge(self, slot: int) -> float:
        """The x where slot ``slot``'s room begins: halfway from the one before it."""
        return self.at(slot) - 0.5 if slot == 0 else (self.at(slot - 1) + self.at(slot)) / 2

    #: Touchpoint names at 45° (narrow slots) whatever their number (a printed page).
    lean: bool = False

    def t(self, key: str, **slots: object) -> str:
        """Message ``key`` without bidi isolates (matplotlib draws them as boxes)."""
        return self.m.plain(key, **slots)


@cache
def _installed(name: str) -> bool:
    """Whether matplotlib knows a font family ``name`` (asking for a missing one logs noise)."""
    from matplotlib import font_manager

    return any(font.name == name for font in font_manager.fontManager.ttflist)


@cache
def _covered(name: str) -> frozenset[int]:
    """The code points font family ``name`` has glyphs for."""
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    path = font_manager.findfont(
        font_manager.FontProperties(family=name), fallback_to_default=False
    )
    return frozenset(FT2Font(path).get_charmap())


def _font_families(text: str | None) -> list[str]:
    """The font list for ``text``: the first installed preferred font, plus the fallback fonts
    only when ``text`` has characters the first lacks (each extra font costs a lookup per
    text drawn). ``None`` means any text: all installed preferred fonts.
    """
    names = [name for name in FONT_PREFERENCE if _installed(name)]
    if not names:
        return ["sans-serif"]
    if text is None:
        return names
    first = _covered(names[0])
    needed = {ord(c) for c in text if not c.isspace() and ord(c) not in first}
    return names if needed else names[:1]


def _chart_text(chart: Chart) -> str:
    """All the user and scale text a chart can draw (for choosing fonts)."""
    words = [chart.scale.describe(v) for v in range(chart.scale.min, chart.scale.max + 1)]
    parts = [chart.title, chart.empty or "", *words, *(s.label for s in chart.series)]
    parts += [text for slot in chart.slots for text in (slot.name, slot.stage)]
    return "\n".join(parts)


@contextmanager
def _style(text: str | None = None) -> Iterator[None]:
    """matplotlib settings for literal, deterministic, text-as-text output.

    ``text`` is what will be drawn, to pick the fonts (``None``: all preferred fonts).
    ``ps.fonttype`` 42 makes the PDF writer keep one font subset per file for all of the
    Basic Multilingual Plane (with 3, "−" would start a second embedding of the same file).
    """
    import matplotlib

    rc: dict[Any, Any] = {
        "svg.hashsalt": "journeymap",
        "svg.fonttype": "none",
        "pdf.fonttype": 42,
        "ps.fonttype": 42,
        "text.usetex": False,
        "text.parse_math": False,
        "font.family": _font_families(text),
        "font.size": 9.0,
        "axes.unicode_minus": True,
        "path.simplify": True,
    }
    with matplotlib.rc_context(rc):
        yield


_WIDE = "\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef"
#: Wrapping units: one CJK character, a run of other non-space characters, or spaces.
_TOKENS = re.compile(f"[{_WIDE}]|[^\\s{_WIDE}]+|\\s+")


def _cells(text: str) -> int:
    """Display width: wide (CJK) characters count twice."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _wrap(text: str, width: int) -> str:
    """``text`` in lines of at most ``width`` cells; CJK text breaks between characters.

    A word up to half as long again as a line stays whole (the line widens to it: German
    'Antragsformular' in 14 cells); a longer one is cut into the fewest pieces of equal
    length no longer than that, so no piece is a stray letter or two.
    """
    width = max(width, 4)
    lines: list[str] = []
    line = ""
    for token in _TOKENS.findall(text):
        if token.isspace():
            line += " "
            continue
        if line.strip() and _cells((line + token).strip()) > width:
            lines.append(line.strip())
            line = ""
        cells, widest = _cells(token), width * 3 // 2
        if cells > widest:  # a word much longer than a line: cut it evenly
            piece = math.ceil(len(token) / math.ceil(cells / widest))
            *pieces, token = textwrap.wrap(token, piece, break_long_words=True)
            lines.extend(pieces)
        line += token
    lines.append(line.strip())
    return "\n".join(x for x in lines if x)


def _short(text: str, cells: int) -> str:
    """``text`` cut to about ``cells`` display cells, with an ellipsis if cut."""
    flat = " ".join(text.split())
    if _cells(flat) <= cells:
        return flat
    out = ""
    for char in flat:
        if _cells(out + char) > cells - 1:
            break
        out += char
    return out.rstrip() + "\u2026"


def _persona_style(index: int, color: str, print_theme: bool) -> tuple[str, str, Any]:
    colour = PRINT_GREYS[index % len(PRINT_GREYS)] if print_theme else color
    return colour, MARKERS[index % len(MARKERS)], LINESTYLES[index % len(LINESTYLES)]


def _journey_chart(journey: Journey, options: RenderOptions) -> Chart:
    times = time_axis(journey, options.wait) if options.x == "time" else None
    tps = times.touchpoints if times else journey.touchpoints
    stage_names = {stage.id: stage.name for stage in journey.stages}
    slots = [
        Slot(
            id=tp.id,
            name=tp.name,
            stage=stage_names.get(tp.stage_id, ""),
            pain=[note.severity for note in tp.pain_points],
            truth=tp.moment_of_truth,
        )
        for tp in tps
    ]
    print_theme = options.theme == "print"
    series = []
    for i, persona in enumerate(journey.personas):
        values: list[float | None] = [
            None if (v := tp.emotion(persona.id)) is None else float(v) for tp in tps
        ]
        if all(v is None for v in values):
            continue
        colour, marker, style = _persona_style(i, persona.color, print_theme)
        series.append(Series(persona.name, colour, marker, style, values))
    m = messages(journey.lang)
    title = m.plain("curve.title", title=journey.title, state=m(f"curve.state.{journey.state}"))
    chart = Chart(title, journey.scale, slots, series, print_theme=print_theme, m=m)
    chart.times = times
    chart.empty = _nothing(chart)
    return chart


def _nothing(chart: Chart) -> str | None:
    """Why there is nothing to plot yet, or None."""
    if not chart.slots:
        return chart.t("curve.empty.touchpoints")
    if not chart.series:
        return chart.t("curve.empty.emotions")
    return None


#: Inches per character cell (for wrapping the empty chart's note) and per line, for 9-point
#: text; widths that size the figure are measured (``_extent``).
CELL_IN, LINE_IN = 0.075, 0.155
#: Inches per line of the 8-point rotated touchpoint names; per cell and line of the title.
SMALL_LINE_IN, TITLE_CELL_IN, TITLE_LINE_IN = 0.135, 0.11, 0.21
PLOT_HEIGHT_IN = 3.8
SIN45 = 0.7071


@dataclass
class Layout:
    """Sizes in inches, worked out from the text so that no two labels overlap."""

    width: float
    height: float
    left: float
    right: float
    top: float
    bottom: float
    slot: float
    rotate: bool
    names: list[str]
    #: Wrapped stage name, x of its centre, whether it is rotated.
    stages: list[tuple[str, float, bool]]
    title: str
    legend: list[str]


def _extent(text: str, points: float, bold: bool = False) -> tuple[float, int]:
    """(widest line in inches, number of lines) of wrapped ``text`` at ``points`` pt, measured
    with the advance widths of DejaVu Sans (the curve's first font; others are measured wide)."""
    rows = text.split("\n")
    return max(fit.text_width(r, points, bold) for r in rows) / 72, len(rows)


#: Height in inches of a line of the legend, and of the space between two entries (measured:
#: matplotlib spaces lines by 1.2 and entries by half an em).
LEGEND_LINE_IN, LEGEND_GAP_IN = 0.168, 0.05
#: Share of a line's measured width used for wrapping: hinted text runs a little wider.
HINTING_ROOM = 0.97


def _layout(chart: Chart, legend: Sequence[str]) -> Layout:
    """Figure size and margins: the figure widens with the touchpoints, labels wrap or rotate.

    Every label is measured (``_extent``), so none leaves the figure: the margins take the
    widest touchpoint name, scale word and legend line, and the figure grows taller when the
    legend is longer than the plot.
    """
    n = max(len(chart.slots), 1)
    units = chart.at(n - 1) + 1  # slots' worth of room the axis takes
    rotate = chart.lean or n > 12 or any(_cells(s.name) > 60 for s in chart.slots)
    names = [_wrap(s.name, 24 if rotate else 14) for s in chart.slots]
    size = 8 if rotate else 9
    extents = [_extent(t, size, s.truth) for t, s in zip(names, chart.slots, strict=True)]
    widest = max((w for w, _ in extents), default=0.0)
    rows = max((h for _, h in extents), default=1)
    if rotate:
        slot = max(0.28, (rows * SMALL_LINE_IN + 0.08) / SIN45)
        bottom = 0.3 + (widest + rows * SMALL_LINE_IN) * SIN45
    else:
        slot = max(1.25, widest + 0.1)
        bottom = 0.3 + rows * LINE_IN
    scale = chart.scale
    words = [
        _extent(_tick_word(scale, v, chart.normalised, chart.m), 9)[0]
        for v in range(scale.min, scale.max + 1)
    ]
    left = 0.3 + max(words, default=0.15)
    if rotate:  # the first names lean left past the axis
        reach = [w * SIN45 - (chart.at(i) + 0.5) * slot for i, (w, _) in enumerate(extents)]
        left = max(left, 0.15 + max(reach, default=0.0))
    legend = [_wrap(label, 30) for label in legend]
    legend_size = [_extent(t, 9) for t in legend]
    right = 0.75 + max((w for w, _ in legend_size), default=0.0)
    if chart.times is not None:
        slot = max(slot, timestrip.slot_for_labels(chart.times, chart.m))
        bottom += timestrip.HEIGHT_IN
    width = max(7.0, left + units * slot + right)
    slot = (width - left - right) / units
    stages = []
    stage_height = LINE_IN
    for name, first, last in _stage_runs(chart.slots):
        ends = chart.at(last) + 0.5 if last == n - 1 else chart.edge(last + 1)
        band = (ends - chart.edge(first)) * slot
        centre = (chart.at(first) + chart.at(last)) / 2
        if band >= 0.9:
            text = "\n".join(fit.wrap(name, (band - 0.1) * 72 * HINTING_ROOM, 9, True))
            stage_height = max(stage_height, (text.count("\n") + 1) * LINE_IN)
            stages.append((text, centre, False))
        else:
            text = _wrap(name, 40)
            w, h = _extent(text, 9, True)
            extent = (w + h * LINE_IN) * SIN45
            stage_height = max(stage_height, extent)
            right = max(right, extent - (units - 0.5 - centre) * slot + 0.1)
            stages.append((text, centre, True))
    width = max(width, left + units * slot + right)
    title = "\n".join(
        line
        for part in chart.title.split("\n")
        for line in fit.wrap(part, (width - 0.4) * 72 * HINTING_ROOM, 12, True)
    )
    top = 0.25 + title.count("\n") * TITLE_LINE_IN + TITLE_LINE_IN + stage_height + 0.1
    tall = sum(h * LEGEND_LINE_IN + LEGEND_GAP_IN for _, h in legend_size) + 0.1
    bottom = max(bottom, tall - PLOT_HEIGHT_IN)
    height = top + PLOT_HEIGHT_IN + bottom
    if chart.m.rtl:  # mirrored: the scale words and leaning names right, the legend left
        left, right = right, left
    return Layout(
        width, height, left, right, top, bottom, slot, rotate, names, stages, title, legend
    )


def _tick_word(scale: Scale, value: int, normalised: bool, m: Messages) -> str:
    word = m.scale_word(scale, value)
    if normalised:
        return word or str(value)
    return f"{word} ({signed(scale.min, value)})" if word else signed(scale.min, value)


def _stage_runs(slots: Sequence[Slot]) -> list[tuple[str, int, int]]:
    """(stage name, first slot, last slot) for each run of slots in one stage."""
    runs: list[tuple[str, int, int]] = []
    for i, slot in enumerate(slots):
        if runs and runs[-1][0] == slot.stage:
            runs[-1] = (slot.stage, runs[-1][1], i)
        else:
            runs.append((slot.stage, i, i))
    return runs


def _segments(series: Series) -> list[tuple[list[float], list[float]]]:
    """Runs of present values, as (xs, ys): a missing value breaks the line, skipped slots not."""
    runs: list[tuple[list[float], list[float]]] = []
    current: tuple[list[float], list[float]] | None = None
    for x, v in enumerate(series.values):
        if x in series.skip:
            continue
        if v is None:
            current = None
            continue
        if current is None:
            current = ([], [])
            runs.append(current)
        current[0].append(float(x))
        current[1].append(v)
    return runs


def _figure_of(ax: Axes) -> Figure:
    """The figure an axes is drawn in (always a whole Figure here, never a SubFigure)."""
    fig = ax.get_figure()
    assert isinstance(fig, _figure_class())
    return fig


def _figure_class() -> type[Figure]:
    from matplotlib.figure import Figure

    return Figure


def _draw_axes(ax: Axes, chart: Chart, layout: Layout) -> None:
    """Stage bands and names, scale words, touchpoint names (as texts: 500 ticks are slow)."""
    from matplotlib.transforms import blended_transform_factory, offset_copy

    scale = chart.scale
    n = len(chart.slots)
    runs = _stage_runs(chart.slots)
    for k, (_, first, last) in enumerate(runs):
        ends = chart.at(last) + 0.5 if last == n - 1 else chart.edge(last + 1)
        if k % 2 == 0:
            ax.axvspan(chart.edge(first), ends, color="#f0f0f0", zorder=0, linewidth=0)
        if k:
            ax.axvline(chart.edge(first), color="#bdbdbd", linewidth=0.8, zorder=0.5)
    for i, slot in enumerate(chart.slots):
        if slot.truth:
            ax.axvspan(
                chart.at(i) - 0.3,
                chart.at(i) + 0.3,
                color="#bdbdbd" if chart.print_theme else TRUTH_COLOR,
                alpha=0.25,
                zorder=0.6,
                linewidth=0,
                hatch="//" if chart.print_theme else None,
            )
    rtl = chart.m.rtl
    low, high = -0.5, chart.at(max(n, 1) - 1) + 0.5
    ax.set_xlim((high, low) if rtl else (low, high))  # right to left in RTL languages
    pad = _note_band(scale)
    ax.set_ylim(scale.min - pad, scale.max + pad)
    values = range(scale.min, scale.max + 1)
    ax.set_yticks(values, [_tick_word(scale, v, chart.normalised, chart.m) for v in values])
    ax.set_xticks([])
    ax.grid(axis="y", color="#dddddd", linewidth=0.6, zorder=0.4)
    xs = [chart.at(i) for i in range(n)]
    ax.vlines(xs, scale.min - pad, scale.max + pad, color="#e4e4e4", linewidth=0.5, zorder=0.45)
    for side in ("top", "left" if rtl else "right"):
        ax.spines[side].set_visible(False)
    if rtl:
        ax.yaxis.tick_right()
    fig = _figure_of(ax)
    along = blended_transform_factory(ax.transData, ax.transAxes)
    strip = 0.0
    if chart.times is not None:
        strip = timestrip.draw(ax, fig, along, chart.times, chart.m, chart.print_theme)
    below = offset_copy(along, fig=fig, y=-5 - strip, units="points")
    for i, (name, slot) in enumerate(zip(layout.names, chart.slots, strict=True)):
        weight = "bold" if slot.truth else "normal"
        if layout.rotate:
            ax.text(
                xs[i],
                0,
                name,
                transform=below,
                rotation=-45 if rtl else 45,
                rotation_mode="anchor",
                ha="left" if rtl else "right",
                va="top",
                fontsize=8,
                fontweight=weight,
            )
        else:
            ax.text(xs[i], 0, name, transform=below, ha="center", va="top", fontweight=weight)
    above = offset_copy(along, fig=fig, y=5, units="points")
    for name, centre, rotated in layout.stages:
        ax.text(
            centre,
            1,
            name,
            transform=above,
            ha=("right" if rtl else "left") if rotated else "center",
            va="bottom",
            rotation=(-45 if rtl else 45) if rotated else 0,
            rotation_mode="anchor",
            fontweight="bold",
        )


def _draw_series(ax: Axes, chart: Chart) -> list[Any]:
    """The persona lines (a NaN breaks a line at a gap); returns their legend handles."""
    from matplotlib.lines import Line2D

    handles = []
    for k, series in enumerate(chart.series):
        lx: list[float] = []
        ly: list[float] = []
        px: list[float] = []
        py: list[float] = []
        for xs, ys in _segments(series):
            xs = [chart.at(x) + _offset(chart, k) for x in xs]
            sx, sy = monotone_curve(xs, ys) if chart.smooth else (xs, ys)
            lx += [*sx, math.nan]
            ly += [*sy, math.nan]
            px += xs
            py += ys
        style: dict[str, Any] = {"color": series.color, "alpha": series.alpha}
        ax.plot(lx, ly, linestyle=series.linestyle, linewidth=2, zorder=2, **style)
        ax.plot(px, py, marker=series.marker, linestyle="none", markersize=6, zorder=3, **style)
        handles.append(
            Line2D([], [], linestyle=series.linestyle, marker=series.marker, linewidth=2, **style)
        )
    return handles


def _draw_measured(ax: Axes, chart: Chart) -> Any:
    """Measured means as diamonds with 95% error bars; a legend handle. Samples under 30
    answers are faint, with their n and "low n" written beside the bar."""
    colour = "#000000" if chart.print_theme else "#111827"
    handle = None
    for faint in (False, True):
        points = [p for p in chart.measured if p.low_n == faint]
        if not points:
            continue
        drawn = ax.errorbar(
            [chart.at(p.slot) + MEASURED_SHIFT for p in points],
            [p.value for p in points],
            yerr=[
                [p.value - _ends(chart, p)[0] for p in points],
                [_ends(chart, p)[1] - p.value for p in points],
            ],
            fmt="D",
            color=colour,
            markerfacecolor="white",
            markersize=6,
            capsize=4,
            elinewidth=1.5,
            alpha=0.4 if faint else 1.0,
            zorder=4,
        )
        handle = handle or drawn
    box = {"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": "none", "alpha": 0.85}
    for p in chart.measured:
        if not p.low_n:
            continue
        # On the side of the bar away from the assumed lines at that touchpoint.
        assumed = [v for s in chart.series if (v := s.values[p.slot]) is not None]
        below = bool(assumed) and sum(assumed) / len(assumed) > p.value
        ax.annotate(
            chart.t("measured.n", n=chart.m.number(p.n)) + "\n" + chart.t("measured.low_n"),
            (chart.at(p.slot) + MEASURED_SHIFT, _ends(chart, p)[0 if below else 1]),
            xytext=(0, -5 if below else 5),
            textcoords="offset points",
            ha="center",
            va="top" if below else "bottom",
            fontsize=8,
            color="#444444",
            bbox=box,
            zorder=5,
        )
    return handle


def _ends(chart: Chart, point: Point) -> tuple[float, float]:
    """The ends of a point's interval, clipped to the scale (a small sample's t interval can
    be wider than the whole scale)."""
    low, high = chart.scale.min, chart.scale.max
    return max(point.value - point.margin, low), min(point.value + point.margin, high)


def measured_points(
    journey: Journey, slots: Sequence[int], normalised: bool = False
) -> list[Point]:
    """The first survey measure of each touchpoint (the persona's own in a persona view) on
    the journey's scale, or in quarters of it when ``normalised``."""
    scale = journey.scale
    out = []
    for tp, slot in zip(journey.touchpoints, slots, strict=True):
        found = journey.surveys(tp.id)
        mapped = found[0].on_scale(scale.min, scale.max) if found else None
        if mapped is None:
            continue
        value, margin = mapped[0], mapped[1] or 0.0
        if normalised:
            span = (scale.max - scale.min) or 1
            value, margin = (value - scale.min) / span * 4, margin / span * 4
        out.append(Point(slot, value, margin, found[0].low_n, found[0].n))
    return out


def _offset(chart: Chart, series: int) -> float:
    """Sideways shift of a series, in slots, so equal values at one touchpoint stay visible."""
    count = len(chart.series)
    return (series - (count - 1) / 2) * min(0.12, 0.6 / max(count, 1))


def _note_band(scale: Scale) -> float:
    """Levels of empty band above the top and below the bottom of the scale, where the
    notes sit clear of every point and ring: ``NOTE_BAND_PT`` of the plot height."""
    levels = scale.max - scale.min
    plot_pt = PLOT_HEIGHT_IN * 72
    return max(1.1, NOTE_BAND_PT * levels / (plot_pt - 2 * NOTE_BAND_PT))


def _lowest_at(chart: Chart, i: int) -> tuple[int, float] | None:
    """(series, value) of the lowest point at slot ``i``; the first series on a tie."""
    present = [(v, k) for k, s in enumerate(chart.series) if (v := s.values[i]) is not None]
    if not present:
        return None
    value, k = min(present)
    return k, value


def _draw_pain(ax: Axes, chart: Chart) -> list[tuple[Any, str]]:
    """Rings sized by the worst pain point's severity; returns legend entries."""
    from matplotlib.lines import Line2D

    seen: set[str] = set()
    for i, slot in enumerate(chart.slots):
        lowest = _lowest_at(chart, i)
        if not slot.pain or lowest is None:
            continue
        k, y = lowest
        worst = max(slot.pain, key=SEVERITY_RANK.__getitem__)
        seen.add(worst)
        colour = "#000000" if chart.print_theme else chart.series[k].color
        ax.plot(
            [chart.at(i) + _offset(chart, k)],
            [y],
            marker="o",
            markersize=SEVERITY_SIZE[worst],
            markerfacecolor="none",
            markeredgecolor=colour,
            markeredgewidth=1.8,
            linestyle="none",
            zorder=4,
        )
    return [
        (
            Line2D(
                [],
                [],
                marker="o",
                markersize=SEVERITY_SIZE[sev] * 0.7,
                linestyle="none",
                markerfacecolor="none",
                markeredgecolor="#000000" if chart.print_theme else PAIN_LEGEND_COLOR,
                markeredgewidth=1.8,
            ),
            chart.t("curve.pain", severity=chart.m(f"severity.{sev}").lower()),
        )
        for sev in SEVERITY_RANK
        if sev in seen
    ]


def _extremes(chart: Chart) -> tuple[tuple[int, int] | None, tuple[int, int, int] | None]:
    """(series, slot) of the lowest point and (series, from slot, to slot) of the steepest drop."""
    lowest: tuple[int, int] | None = None
    low_value = math.inf
    for i in range(len(chart.slots)):
        for s, series in enumerate(chart.series):
            v = series.values[i]
            if v is not None and v < low_value:
                lowest, low_value = (s, i), v
    highest = max((v for series in chart.series for v in series.values if v is not None), default=0)
    if highest == low_value:  # one point, or a flat line: nothing is lower than the rest
        lowest = None
    # The largest fall between neighbouring points; on a tie, the earliest.
    falls = [
        (ys[k] - ys[k + 1], -xs[k], -s, xs[k + 1])
        for s, series in enumerate(chart.series)
        for xs, ys in _segments(series)
        for k in range(len(xs) - 1)
    ]
    fall, x, s, to = max(falls, default=(0.0, 0.0, 0, 0.0))
    drop = (-s, int(-x), int(to)) if fall > 0 else None
    return lowest, drop


#: Touchpoint and persona names in the notes are cut to this many cells (the axis shows them whole).
NOTE_NAME_CELLS = 40
#: Gap in points between a note and the axes' edge, the other note or its point.
NOTE_GAP_PT = 4.0
#: Height in points of the empty bands above and below the scale that hold the notes.
NOTE_BAND_PT = 60.0


def _annotate(ax: Axes, chart: Chart) -> list[Any]:
    """Name the lowest point and the steepest drop; returns the notes, placed by ``_place``."""
    lowest, drop = _extremes(chart)
    many = len(chart.series) > 1
    box = {"boxstyle": "round,pad=0.3", "facecolor": "white", "edgecolor": "#888888", "alpha": 0.9}
    arrow = {"arrowstyle": "->", "color": "#444444", "linewidth": 1}
    notes: list[tuple[str, tuple[float, float]]] = []
    if lowest is not None:
        s, i = lowest
        series, y = chart.series[s], chart.series[s].values[i] or 0.0
        who = _short(series.label, NOTE_NAME_CELLS) + chart.t("comma") if many else ""
        name = _short(chart.slots[i].name, NOTE_NAME_CELLS)
        word = _tick_word(chart.scale, int(y), chart.normalised, chart.m)
        lowest_note = chart.t("curve.lowest", touchpoint=name, feeling=f"{who}{word}")
        notes.append((lowest_note, (chart.at(i) + _offset(chart, s), y)))
    if drop is not None:
        s, a, b = drop
        series = chart.series[s]
        high, low = series.values[a] or 0.0, series.values[b] or 0.0
        who = f"{_short(series.label, NOTE_NAME_CELLS)} " if many else ""
        name = _short(chart.slots[b].name, NOTE_NAME_CELLS)
        fall = f"{high - low:g}" if not chart.normalised else f"{(high - low) * 25:g} %"
        middle = (chart.at((a + b) / 2) + _offset(chart, s), (high + low) / 2)
        change = who + chart.t("curve.falls", amount=fall)
        notes.append((chart.t("curve.drop", touchpoint=name, change=change), middle))
    return [
        ax.annotate(
            _wrap(text, 40),
            point,
            xytext=(0, 0),
            textcoords="axes fraction",
            ha="left",
            multialignment="right" if chart.m.rtl else "left",
            va="bottom",
            fontsize=8,
            bbox=box,
            arrowprops=arrow,
            zorder=6,
        )
        for text, point in notes
    ]


def _place(ax: Axes, notes: Sequence[Any]) -> None:
    """Move the notes inside the axes, the first at the bottom and the second at the top.

    Each sits beside its point, towards the middle; the stage names above the axes and the
    touchpoint names below stay clear. If the two notes would overlap, the second moves to
    the free side of the first. Positions are axes fractions, so they hold at any dpi.
    """
    from matplotlib.text import Text
    from matplotlib.transforms import Bbox

    fig = _figure_of(ax)
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    area = ax.get_window_extent(renderer)
    gap = NOTE_GAP_PT * fig.dpi / 72
    placed: list[Bbox] = []
    for k, note in enumerate(notes):
        note.update_positions(renderer)
        note.update_bbox_position_size(renderer)
        frame = note.get_bbox_patch().get_window_extent(renderer)
        text = Text.get_window_extent(note, renderer)
        pad_x, pad_y = text.x0 - frame.x0, text.y0 - frame.y0
        w, h = frame.width, frame.height
        px = ax.transData.transform(note.xy)[0]
        left_side = px > area.x0 + area.width / 2
        x = px - gap - w if left_side else px + gap
        y = area.y0 + gap if k == 0 else area.y1 - gap - h
        x = min(max(x, area.x0 + gap), area.x1 - gap - w)
        spot = Bbox.from_bounds(x, y, w, h)
        for other in placed:
            if spot.overlaps(other):
                x = other.x1 + gap if other.x0 - gap - w < area.x0 + gap else other.x0 - gap - w
                spot = Bbox.from_bounds(x, y, w, h)
        placed.append(spot)
        note.xyann = ((x + pad_x - area.x0) / area.width, (y + pad_y - area.y0) / area.height)


def _figure(chart: Chart) -> tuple[Figure, float]:
    """The drawn figure (inside the style context) and its width in inches."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch
    from matplotlib.text import Text

    entries: list[tuple[Any, str]] = []
    fig = Figure()
    FigureCanvasAgg(fig)
    if chart.empty is not None:
        return _empty(fig, chart), EMPTY_WIDTH_IN
    ax = fig.add_subplot()
    entries += zip(_draw_series(ax, chart), (s.label for s in chart.series), strict=True)
    entries += _draw_pain(ax, chart)
    if chart.measured:
        entries.append((_draw_measured(ax, chart), f"{chart.m('measured.lane')} (± 95 %)"))
    if chart.times is not None:
        entries += timestrip.legend(chart.times, chart.m, chart.print_theme)
    if any(slot.truth for slot in chart.slots):
        colour = "#bdbdbd" if chart.print_theme else TRUTH_COLOR
        patch = Patch(color=colour, alpha=0.25, hatch="//" if chart.print_theme else None)
        entries.append((patch, chart.t("curve.moment")))
    layout = _layout(chart, [label for _, label in entries])
    fig.set_size_inches(layout.width, layout.height)
    w, h = layout.width, layout.height
    fig.subplots_adjust(
        left=layout.left / w,
        right=1 - layout.right / w,
        top=1 - layout.top / h,
        bottom=layout.bottom / h,
    )
    _draw_axes(ax, chart, layout)
    if chart.annotate:
        _place(ax, _annotate(ax, chart))
    fig.suptitle(layout.title, fontsize=12, fontweight="bold", y=1 - 0.15 / h, va="top")
    # Explicit handles and labels: a label starting with "_" is kept, not dropped.
    rtl = chart.m.rtl  # the legend on the left, each mark after its words
    fig.legend(
        [handle for handle, _ in entries],
        layout.legend,
        loc="upper right" if rtl else "upper left",
        bbox_to_anchor=(
            (layout.left - 0.15) / w if rtl else 1 - (layout.right - 0.15) / w,
            1 - layout.top / h,
        ),
        frameon=False,
        borderaxespad=0,
        markerfirst=not rtl,
    )
    # No ligatures: the PDF writer puts every ligature ("fi") in a second subset of the same
    # font file, embedded (and run through fontTools) a second time.
    for text in fig.findobj(Text):
        text.set_fontfeatures(NO_LIGATURES)
    return fig, layout.width


EMPTY_WIDTH_IN = 7.0


def _empty(fig: Figure, chart: Chart) -> Figure:
    """A readable note instead of empty axes."""
    fig.set_size_inches(EMPTY_WIDTH_IN, 2.0)
    title = _wrap(chart.title, int((EMPTY_WIDTH_IN - 0.4) / TITLE_CELL_IN))
    fig.text(0.5, 0.9, title, ha="center", va="top", fontsize=12, fontweight="bold")
    note = _wrap(chart.empty or "", int((EMPTY_WIDTH_IN - 0.6) / (CELL_IN * 11 / 9)))
    fig.text(0.5, 0.35, note, ha="center", va="center", fontsize=11, color="#333333")
    return fig


def _save(chart: Chart, options: RenderOptions, stem: str) -> RenderResult:
    """Draw ``chart`` once as SVG with matplotlib; the PDF and PNG are converted from that SVG.

    rsvg-convert rasterises the SVG in less than half the time of matplotlib's Agg back end
    and writes the PDF in an eighth of the time of matplotlib's (which subsets the fonts
    with fontTools), each in a process of its own (so on the other core while the map is
    drawn). ``_layout`` keeps every label inside the figure, which rsvg-convert needs: it
    drops what lies outside the page. Without rsvg-convert, matplotlib draws them itself.
    """
    result = RenderResult()
    formats = [fmt for fmt in CURVE_FORMATS if fmt in options.formats]
    if not formats:
        return result
    from journeymap.output import convert

    drawn_by_matplotlib = False
    with warnings.catch_warnings(record=True) as caught, _style(_chart_text(chart)):
        warnings.simplefilter("always")
        fig, width = _figure(chart)
        svg = _savefig(fig, "svg", options.dpi, stem, chart.m.rtl)
        for fmt in formats:
            try:
                if fmt == "svg":
                    data = svg
                elif fmt == "pdf" and options.paper in SHEETS and chart.empty is None:
                    legend = [t.get_text() for t in fig.legends[0].get_texts()]
                    sheets = [
                        _savefig(_figure(page)[0], "svg", options.dpi, stem, chart.m.rtl)
                        for page in paged(chart, legend, options.paper)
                    ]
                    data = convert.svgs_to_paper_pdf(sheets, options.paper, timeout=options.timeout)
                    result.warnings += _small_pages(stem, sheets, options.paper)
                elif fmt == "pdf":
                    data = convert.svg_to_pdf(svg, paper=options.paper, timeout=options.timeout)
                else:
                    data = convert.svg_to_png(svg, dpi=options.dpi, timeout=options.timeout)
            except ToolMissingError:
                data = _savefig(fig, fmt, _png_dpi(width, options.dpi, stem, result), stem)
                drawn_by_matplotlib = True
            result.artifacts.append(Artifact(f"{stem}.{fmt}", data))
    for message in dict.fromkeys(str(w.message) for w in caught):
        if drawn_by_matplotlib or not _MISSING_GLYPH.match(message):
            result.warnings.append(f"{stem}: {message}")
    return result


#: matplotlib measuring a character its fonts lack (an emoji, Devanagari). The SVG keeps the
#: text as text, and rsvg-convert and browsers draw it with a font that has it (the layout
#: measures it wide): only a PDF or PNG matplotlib draws itself would show a box.
_MISSING_GLYPH = re.compile(r"Glyph \d+ .*missing from font")


def paged(chart: Chart, legend: Sequence[str], paper: str) -> list[Chart]:
    """``chart`` as a print set on ``paper``: itself when it fits a sheet (either way round)
    at its own size, whose smallest text is 8 pt; else charts of consecutive touchpoints,
    each as many as fit, titled with "page n of m" and their stages (on a time axis also
    their times): the fewest pages, then cuts at breaks of the time axis (or at the ends
    of stages), then runs as even as those allow. ``legend`` is the whole chart's legend."""
    from journeymap.output.convert import MARGIN_MM, PAPER_MM

    long, short = ((mm - 2 * MARGIN_MM) / 25.4 for mm in PAPER_MM[paper])

    def fits(page: Chart) -> bool:
        size = _layout(page, legend)
        w, h = size.width, size.height
        return (w <= long and h <= short) or (w <= short and h <= long)

    if fits(chart):
        return [chart]
    n = len(chart.slots)

    def fit_from(i: int, guess: int) -> int:
        """The end of the longest run from ``i`` that fits (at least one touchpoint),
        searched from ``guess`` (the end found for ``i - 1``)."""
        j = max(i + 1, min(guess, n))
        while j > i + 1 and not fits(_slice(chart, range(i, j), 99, 99)):
            j -= 1
        while j < n and fits(_slice(chart, range(i, j + 1), 99, 99)):
            j += 1
        return j

    reach: list[int] = []
    for i in range(n):
        reach.append(fit_from(i, reach[-1] if reach else 1))
    # A cut costs nothing at a break of the time axis (or, without one, a stage's end),
    # 1 at a stage's end on a time axis, 2 elsewhere; the last run's end costs nothing.
    ends = {last + 1 for _, _, last in _stage_runs(chart.slots)}
    breaks = {gap.before + 1 for gap in chart.times.gaps if gap.is_break} if chart.times else set()

    def cost(j: int) -> int:
        if j == n or j in (breaks or ends):
            return 0
        return 1 if j in ends else 2

    # Fewest pages, then the cheapest cuts, then the most even runs (no short last page).
    best: dict[int, tuple[tuple[int, int, int], int]] = {0: ((0, 0, 0), 0)}
    for i in range(n):
        if i not in best:
            continue
        (pages, cuts, squares), _ = best[i]
        for j in range(i + 1, reach[i] + 1):
            key = (pages + 1, cuts + cost(j), squares + (j - i) ** 2)
            if j not in best or key < best[j][0]:
                best[j] = (key, i)
    runs: list[range] = []
    j = n
    while j:
        i = best[j][1]
        runs.insert(0, range(i, j))
        j = i
    return [_slice(chart, r, k, len(runs)) for k, r in enumerate(runs, start=1)]


def _small_pages(stem: str, sheets: Sequence[bytes], paper: str) -> list[str]:
    """A warning for each page of ``sheets`` (SVG in pt, smallest text 8 pt) that ``paper``
    shrinks below 8 pt: one whose single touchpoint is still larger than the sheet."""
    from journeymap.output import convert

    out = []
    for number, sheet in enumerate(sheets, start=1):
        printed = 8.0 * convert.paper_scale(convert.svg_size(sheet), paper) / 0.75
        if printed < 7.99:
            out.append(
                f"{stem}.pdf page {number}: its smallest text prints at {printed:.1f} pt, "
                f"under 8 pt: the page is larger than a sheet of {paper} even with one "
                f"touchpoint (use a larger paper)"
            )
    return out


def _slice(chart: Chart, run: range, page: int, pages: int) -> Chart:
    """The touchpoints ``run`` of ``chart``, titled as page ``page`` of ``pages`` (on a
    time axis with the times of its first and last touchpoint)."""
    first, last = chart.slots[run.start].stage, chart.slots[run.stop - 1].stage
    one = first == last
    mark = chart.t(
        "map.page_one_stage" if one else "map.page", page=page, pages=pages, first=first, last=last
    )
    times = chart.times
    if times is not None:
        begin, end = (chart.m.elapsed(times.times[i]) for i in (run.start, run.stop - 1))
        if begin == end:
            mark = chart.t("curve.page_at", page=mark, time=begin)
        else:
            mark = chart.t("curve.page_time", page=mark, first=begin, last=end)
        times = _axis_slice(times, run)
    series = [
        replace(
            s,
            values=s.values[run.start : run.stop],
            skip=frozenset(i - run.start for i in s.skip if i in run),
        )
        for s in chart.series
    ]
    return replace(
        chart,
        title=f"{chart.title}\n{mark}",
        slots=chart.slots[run.start : run.stop],
        series=series,
        measured=[p._replace(slot=p.slot - run.start) for p in chart.measured if p.slot in run],
        lean=True,
        times=times,
    )


def _axis_slice(axis: TimeAxis, run: range) -> TimeAxis:
    """The touchpoints ``run`` of a time axis, positioned from the first of them."""
    origin = axis.positions[run.start]
    return replace(
        axis,
        touchpoints=axis.touchpoints[run.start : run.stop],
        times=axis.times[run.start : run.stop],
        estimated=axis.estimated[run.start : run.stop],
        positions=tuple(round(x - origin, 4) for x in axis.positions[run.start : run.stop]),
        gaps=tuple(
            replace(g, before=g.before - run.start)
            for g in axis.gaps
            if run.start <= g.before < run.stop - 1
        ),
    )


def _png_dpi(width: float, dpi: int, stem: str, result: RenderResult) -> int:
    """``dpi``, lowered (with a warning) where a ``width``-inch PNG would be too wide."""
    if width * dpi <= MAX_PIXELS:
        return dpi
    lowered = int(MAX_PIXELS / width)
    result.warnings.append(
        f"{stem}.png drawn at {lowered} dpi instead of {dpi}: the curve is {width:.0f} inches wide"
    )
    return lowered


_METADATA: dict[str, dict[str, Any]] = {
    "svg": {"Date": None, "Creator": "journeymap"},
    "pdf": {"CreationDate": None, "ModDate": None, "Creator": "journeymap"},
    "png": {"Software": None},
}


def _savefig(fig: Figure, fmt: str, dpi: int, stem: str, rtl: bool = False) -> bytes:
    """``fig`` in ``fmt`` through matplotlib's own back end, without dates; ``rtl``: the
    chart's language runs right to left (see :func:`_direction`)."""
    import io

    buffer = io.BytesIO()
    try:
        fig.savefig(buffer, format=fmt, dpi=dpi, metadata=_METADATA[fmt])
    except ValueError as exc:
        raise RenderError(f"could not draw {stem}.{fmt}: {exc}") from exc
    if fmt == "svg":
        svg = _compact(fit.script_fonts(buffer.getvalue().decode("utf-8")))
        return _SVG_TEXT.sub(lambda text: _direction(text, rtl), svg).encode("utf-8")
    return buffer.getvalue()


#: In matplotlib's SVG: a tag (it escapes ``>`` in attributes and text), and in a tag a path's
#: data, a position or size, a text's translation or its no-op rotation; the indentation.
_TAG = re.compile(r"<[^>]+>")
_PATH_DATA = re.compile(r' d="([^"]*)"')
_POSITION = re.compile(r' (?:x|y|width|height)="-?\d+\.\d{3,}"| transform="translate\([^)"]*\)')
_NO_ROTATION = re.compile(r' transform="rotate\(-0 [^)"]*\)"')
_INDENT = re.compile(r"\n +<")
_DECIMALS = re.compile(r"-?\d+\.\d{3,}")


def _hundredths(match: re.Match[str]) -> str:
    text = f"{float(match.group(0)):.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _rounded(text: str) -> str:
    return _DECIMALS.sub(_hundredths, text)


def _compact_tag(match: re.Match[str]) -> str:
    tag = match.group(0)
    if tag.startswith("<svg"):  # the page size stays exact
        return tag
    tag = _PATH_DATA.sub(lambda m: f' d="{_rounded(" ".join(m[1].split()))}"', tag)
    return _POSITION.sub(lambda m: _rounded(m[0]), _NO_ROTATION.sub("", tag))


def _compact(svg: str) -> str:
    """matplotlib's SVG with coordinates to 1/100 pt (it writes millionths), without its
    indentation and no-op rotations: a fifth smaller, the same picture. Only tags change,
    never the text between them."""
    return _INDENT.sub("\n<", _TAG.sub(_compact_tag, svg))


#: A text of matplotlib's SVG: its style, its other attributes, its (escaped) text.
_SVG_TEXT = re.compile(r'<text style="([^"]*)"([^>]*)>([^<]*)</text>')
_ANCHOR = re.compile(r"(?:; )?text-anchor: (\w+)")
#: The anchor that keeps a text on its place once it runs right to left.
_TURNED = {"start": "end", "middle": "middle", "end": "start"}


def _direction(match: re.Match[str], rtl: bool) -> str:
    """A text whose first strong character is right-to-left (an Arabic or Hebrew name, a
    title that starts in Arabic), or in a right-to-left chart (``rtl``) any text with such
    letters (a wrapped name's next line may start with "Max"), set right to left as the map
    sets it, on the same place: matplotlib writes every text left to right, which puts its
    runs in the wrong order ("إشعار عرض 5G" read as "5 ... G")."""
    style, attributes, text = match.groups()
    plain = html.unescape(text)
    if not (fit.is_rtl(plain) or (rtl and has_rtl(plain))):
        return match.group(0)
    anchor = _ANCHOR.search(style)
    turned = _TURNED[anchor.group(1) if anchor else "start"]
    style = f"{_ANCHOR.sub('', style)}; text-anchor: {turned}; direction: rtl"
    return f'<text style="{style}"{attributes}>{text}</text>'


def render(journey: Journey, options: RenderOptions, *, smooth: bool = True) -> RenderResult:
    """``curve.svg|pdf|png``: the journey's emotion curve, one line per persona.

    ``smooth`` (the default, as on the map) draws monotone cubic segments, which never
    overshoot the scale; ``False`` draws straight ones. ``options.measured`` overlays the
    measured scores with their 95% intervals.
    """
    chart = _journey_chart(localised(journey), options)
    chart.smooth = smooth
    notes = []
    if options.measured:
        order = chart.times.touchpoints if chart.times else journey.touchpoints
        slot_of = {tp.id: i for i, tp in enumerate(order)}
        slots = [slot_of[tp.id] for tp in journey.touchpoints]
        chart.measured = measured_points(journey, slots)
        if not chart.measured:
            notes.append(NO_MEASURES)
    result = _save(chart, options, "curve")
    result.warnings[:0] = notes
    return result


def _titled(journey: Journey, m: Messages) -> str:
    """The journey's title with its state, unless the title already says it."""
    title, state = journey.title, journey.state
    word = m.plain(f"compare.state.{state}")
    said = state in title.lower() or word.lower() in title.lower()
    return title if said else m.plain("curve.title", title=title, state=word)


def _merge_slots(journeys: Sequence[Journey]) -> tuple[list[Slot], list[list[int]]]:
    """Touchpoints of all journeys on one axis, matched by id, then by name.

    Returns the slots and, per journey, the slot of each of its touchpoints. A touchpoint
    matching none is placed after the slot of the journey's previous touchpoint.
    """
    slots: list[Slot] = []
    placed: list[list[Slot]] = []
    for journey in journeys:
        stage_names = {stage.id: stage.name for stage in journey.stages}
        taken: set[int] = set()
        mine: list[Slot] = []
        after: Slot | None = None
        for tp in journey.touchpoints:
            match = next((s for s in slots if id(s) not in taken and s.id == tp.id), None) or next(
                (s for s in slots if id(s) not in taken and s.name == tp.name), None
            )
            if match is None:
                match = Slot(tp.id, tp.name, stage_names.get(tp.stage_id, ""))
                at = next((i + 1 for i, s in enumerate(slots) if s is after), 0)
                slots.insert(at, match)
            taken.add(id(match))
            mine.append(match)
            after = match
        placed.append(mine)
    position = {id(slot): i for i, slot in enumerate(slots)}
    return slots, [[position[id(slot)] for slot in mine] for mine in placed]


def _time_slots(
    journeys: Sequence[Journey], wait: float
) -> tuple[list[Slot], list[list[int]], TimeAxis]:
    """Touchpoints of all journeys on one time axis, each at its own time (so a journey
    that gets there sooner ends further left), with each journey's slots and the axis."""
    moments: list[tuple[float, int, int, Touchpoint, bool]] = []
    for j, journey in enumerate(journeys):
        try:
            timed = estimated_times(journey.touchpoints)
        except NoTimes as exc:
            raise NoTimes(f"'{journey.title}': {exc}") from None
        for k, (tp, (seconds, guess)) in enumerate(zip(journey.touchpoints, timed, strict=True)):
            moments.append((seconds, j, k, tp, guess))
    moments.sort(key=lambda e: e[:3])
    where = [[0] * len(journey.touchpoints) for journey in journeys]
    slots = []
    for s, (_, j, k, tp, _) in enumerate(moments):
        where[j][k] = s
        stage = journeys[j].stage(tp.stage_id).name
        slots.append(Slot(tp.id, tp.name, stage))
    axis = axis_of([(tp, seconds, guess) for seconds, _, _, tp, guess in moments], wait)
    return slots, where, axis


def _slots(
    journeys: Sequence[Journey], options: RenderOptions
) -> tuple[list[Slot], list[list[int]], TimeAxis | None]:
    """The comparison's slots, each journey's, and the time axis (``--x time``) or None."""
    if options.x == "time":
        return _time_slots(journeys, options.wait)
    return (*_merge_slots(journeys), None)


def _comparison_chart(
    journeys: Sequence[Journey], options: RenderOptions, persona: str | None
) -> tuple[Chart, list[str]]:
    """The overlay chart, and warnings (differing scales)."""
    if not journeys:
        raise RenderError("no journeys to compare")
    print_theme = options.theme == "print"
    slots, where, times = _slots(journeys, options)
    first = journeys[0]
    ranges = list(dict.fromkeys((j.scale.min, j.scale.max) for j in journeys))
    mixed = len(ranges) > 1
    lines: list[tuple[Journey, int, str, str]] = []  # journey, journey no., persona id, colour
    for j, journey in enumerate(journeys):
        if persona is None:
            chosen = list(journey.personas)
        elif any(p.id == persona for p in journey.personas):
            chosen = [journey.persona(persona)]
        else:
            known = ", ".join(p.id for p in journey.personas) or "none"
            raise RenderError(
                f"persona '{persona}' is not in '{journey.title}' (its personas: {known})"
            )
        lines.extend((journey, j, p.id, p.color) for p in chosen)
    m = messages(first.lang)
    one_each = len(lines) == len(journeys)
    before_greys = ("#7a7a7a", "#b0b0b0", "#4d4d4d")
    after_colours = ("#0072B2", "#009E73", "#D55E00", "#AA4499")
    counts = {"current": 0, "future": 0}
    series = []
    for k, (journey, j, persona_id, colour) in enumerate(lines):
        future = journey.state == "future"
        if one_each:
            n = counts[journey.state]
            counts[journey.state] += 1
            palette = after_colours if future else before_greys
            colour = palette[n % len(palette)]
        if print_theme:
            colour = "#000000" if future else "#8a8a8a"
        values: list[float | None] = [None] * len(slots)
        skip = frozenset(range(len(slots))) - set(where[j])
        for tp, x in zip(journey.touchpoints, where[j], strict=True):
            value = tp.emotion(persona_id)
            if value is not None:
                values[x] = journey.scale.normalise(value) * 4 if mixed else float(value)
        when = "after" if future else "before"
        label = (
            m.plain(f"compare.{when}", title=_titled(journey, m))
            if one_each
            else m.plain(
                f"compare.persona_{when}",
                persona=journey.persona(persona_id).name,
                title=journey.title,
            )
        )
        series.append(
            Series(
                label,
                colour,
                MARKERS[k % len(MARKERS)],
                "-" if future else "--",
                values,
                alpha=1.0 if future else 0.85,
                skip=skip,
            )
        )
    series.sort(key=lambda s: s.linestyle == "-")  # "before" (dashed) lines first
    warnings_: list[str] = []
    scale = first.scale
    title = m.plain("compare.vs").join(_titled(j, m) for j in journeys)
    if persona:
        title = m.plain("compare.persona", persona=first.persona(persona).name, title=title)
    if mixed:
        scale = normalised_scale(m)
        spans = ", ".join(f"{low}..{high}" for low, high in ranges)
        title += "\n" + m.plain("compare.normalised", spans=spans)
        warnings_.append(
            f"compare: the journeys use different emotion scales ({spans}); each is drawn as "
            "a share of its own scale, from worst (0 %) to best (100 %)"
        )
    chart = Chart(
        title,
        scale,
        slots,
        series,
        annotate=False,
        print_theme=print_theme,
        m=m,
    )
    chart.normalised = mixed
    chart.times = times
    chart.series = [s for s in series if any(v is not None for v in s.values)]
    chart.empty = _nothing(chart)
    return chart, warnings_


def render_comparison(
    journeys: Sequence[Journey],
    options: RenderOptions,
    persona: str | None = None,
    *,
    smooth: bool = True,
) -> RenderResult:
    """``compare.svg|pdf|png``: the journeys' curves overlaid, "before" dashed grey, "after" solid.

    Touchpoints are matched by id, then by name. ``persona`` keeps only that persona's line
    of each journey (RenderError if a journey lacks it). ``options.measured`` overlays each
    journey's measured scores with 95% error bars.
    """
    journeys = [localised(j) for j in journeys]
    chart, notes = _comparison_chart(journeys, options, persona)
    chart.smooth = smooth
    if options.measured:
        _, where, _ = _slots(journeys, options)
        for journey, slots in zip(journeys, where, strict=True):
            chart.measured += measured_points(journey, slots, chart.normalised)
        if not chart.measured:
            notes.append(NO_MEASURES)
    result = _save(chart, options, "compare")
    result.warnings[:0] = notes
    return result
