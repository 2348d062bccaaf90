"""Monotone cubic smoothing (Fritsch–Carlson / PCHIP): never overshoots its points."""

from __future__ import annotations

from collections.abc import Sequence


def _tangents(xs: Sequence[float], ys: Sequence[float]) -> list[float]:
    """PCHIP tangents: zero at local extrema, weighted harmonic means elsewhere."""
    n = len(xs)
    h = [xs[k + 1] - xs[k] for k in range(n - 1)]
    d = [(ys[k + 1] - ys[k]) / h[k] for k in range(n - 1)]
    m = [d[0], *([0.0] * (n - 2)), d[-1]]
    for k in range(1, n - 1):
        if d[k - 1] * d[k] > 0:
            w1, w2 = 2 * h[k] + h[k - 1], h[k] + 2 * h[k - 1]
            m[k] = (w1 + w2) / (w1 / d[k - 1] + w2 / d[k])
    return m


def monotone_curve(
    xs: Sequence[float], ys: Sequence[float], samples: int = 12
) -> tuple[list[float], list[float]]:
    """Points along a monotone cubic through ``(xs, ys)`` (``xs`` increasing).

    Between two neighbouring points the curve stays within their two values, so it
    never leaves the emotion scale. ``samples`` points are drawn per segment.
    """
    if len(xs) < 3:
        return list(xs), list(ys)
    m = _tangents(xs, ys)
    out_x: list[float] = [xs[0]]
    out_y: list[float] = [ys[0]]
    for k in range(len(xs) - 1):
        h = xs[k + 1] - xs[k]
        for i in range(1, samples + 1):
            t = i / samples
            h00 = 2 * t**3 - 3 * t**2 + 1
            h10 = t**3 - 2 * t**2 + t
            h01 = -2 * t**3 + 3 * t**2
            h11 = t**3 - t**2
            y = h00 * ys[k] + h10 * h * m[k] + h01 * ys[k + 1] + h11 * h * m[k + 1]
            lo, hi = sorted((ys[k], ys[k + 1]))
            out_x.append(xs[k] + t * h)
            out_y.append(min(max(y, lo), hi))
    return out_x, out_y
