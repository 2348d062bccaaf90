"""Marks every view shares: persona marker shapes, the emotion colours, contrast arithmetic.

The map, the curve and the flow draw persona ``i`` with ``SHAPES[i]`` (``MPL_MARKERS[i]``
in matplotlib) in the persona's colour, so a reader who learns a persona on one view
knows it on the others. Emotion colours run from dark (worst) to light (best) with
strictly rising luminance, so they stay apart in grayscale; each comes with a text
colour of at least 4.5 : 1 contrast.
"""

from __future__ import annotations

import math

#: Persona marker shapes, by persona position; eight shapes for eight palette colours.
SHAPES: tuple[str, ...] = (
    "circle",
    "square",
    "triangle",
    "diamond",
    "down",
    "plus",
    "x",
    "star",
)
#: The same shapes as matplotlib marker codes.
MPL_MARKERS: dict[str, str] = {
    "circle": "o",
    "square": "s",
    "triangle": "^",
    "diamond": "D",
    "down": "v",
    "plus": "P",
    "x": "X",
    "star": "*",
}

#: Emotion fills from the worst to the best level (7 bins across any scale), luminance
#: 0.06 to 0.88 in even steps, each with its text colour.
EMOTION_FILLS: tuple[tuple[str, str], ...] = (
    ("#881818", "#ffffff"),
    ("#c33c29", "#ffffff"),
    ("#e3773b", "#000000"),
    ("#b7b2a7", "#000000"),
    ("#aed1e0", "#000000"),
    ("#cee2f1", "#000000"),
    ("#eaf2fb", "#000000"),
)
#: The print theme's emotion fills: greys of the same luminances.
EMOTION_GREYS: tuple[tuple[str, str], ...] = (
    ("#444444", "#ffffff"),
    ("#6b6b6b", "#ffffff"),
    ("#949494", "#000000"),
    ("#b2b2b2", "#000000"),
    ("#cbcbcb", "#000000"),
    ("#e0e0e0", "#000000"),
    ("#f2f2f2", "#000000"),
)


def shape(persona: int) -> str:
    """The marker shape of the persona at position ``persona``."""
    return SHAPES[persona % len(SHAPES)]


def emotion_bin(normalised: float) -> int:
    """The colour bin (0 = worst .. 6 = best) of an emotion mapped to 0..1 on its scale."""
    step = round(normalised * (len(EMOTION_FILLS) - 1))
    return min(max(step, 0), len(EMOTION_FILLS) - 1)


def signed(scale_min: int, value: int) -> str:
    """``value`` as shown: with a sign on scales that run through zero, plain otherwise."""
    if scale_min >= 0 or value == 0:
        return str(value).replace("-", "−")
    return f"+{value}" if value > 0 else f"−{-value}"


def num(value: float) -> str:
    """A coordinate as short, stable text: at most two decimals, no trailing zeros."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def marker_path(persona: int, x: float, y: float, r: float = 5.0) -> str:
    """SVG path data of persona ``persona``'s marker shape centred on ``(x, y)``."""
    kind = shape(persona)
    if kind == "circle":
        return (
            f"M{num(x - r)} {num(y)}a{num(r)} {num(r)} 0 1 0 {num(2 * r)} 0"
            f"a{num(r)} {num(r)} 0 1 0 {num(-2 * r)} 0Z"
        )
    if kind == "square":
        s = r * 0.9
        corners = [(-s, -s), (s, -s), (s, s), (-s, s)]
    elif kind == "triangle":
        corners = [(0, -r * 1.15), (r * 1.1, r * 0.8), (-r * 1.1, r * 0.8)]
    elif kind == "down":
        corners = [(0, r * 1.15), (r * 1.1, -r * 0.8), (-r * 1.1, -r * 0.8)]
    elif kind == "diamond":
        corners = [(0, -r * 1.2), (r * 1.2, 0), (0, r * 1.2), (-r * 1.2, 0)]
    elif kind == "star":
        radii = [r * 1.25 if k % 2 == 0 else r * 0.55 for k in range(10)]
        corners = [
            (math.sin(k * math.pi / 5) * rad, -math.cos(k * math.pi / 5) * rad)
            for k, rad in enumerate(radii)
        ]
    else:
        a, b = r * 0.4, r * 1.1
        corners = [
            (-a, -b), (a, -b), (a, -a), (b, -a), (b, a), (a, a),
            (a, b), (-a, b), (-a, a), (-b, a), (-b, -a), (-a, -a),
        ]  # fmt: skip
        if kind == "x":
            c = math.sqrt(0.5)
            corners = [((px - py) * c, (px + py) * c) for px, py in corners]
    return "M" + "L".join(f"{num(x + px)} {num(y + py)}" for px, py in corners) + "Z"


def luminance(colour: str) -> float:
    """WCAG relative luminance of ``#rrggbb``."""
    channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def grey_level(colour: str) -> float:
    """The grey (0 black .. 1 white) a grayscale conversion gives ``#rrggbb`` (Rec. 601 luma)."""
    r, g, b = (int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return 0.299 * r + 0.587 * g + 0.114 * b


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two ``#rrggbb`` colours (1 to 21)."""
    low, high = sorted((luminance(a), luminance(b)))
    return (high + 0.05) / (low + 0.05)
