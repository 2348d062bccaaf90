"""The trends page (``build --history N``): per journey, sparklines of its mean emotion,
pain points by severity and measured score over the commits that changed it, dated by
those commits."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from journeymap.model.journey import SEVERITIES
from journeymap.text.locale import Messages

#: Size of one sparkline, in CSS px.
WIDTH, HEIGHT = 180, 44


def _x(i: int, n: int) -> float:
    return round(4 + (WIDTH - 8) * (i / (n - 1) if n > 1 else 0.5), 1)


def _y(value: float, top: float) -> float:
    """``value`` of 0..``top`` as a y coordinate (the top of the box is ``top``)."""
    share = value / top if top else 0.0
    return round(HEIGHT - 4 - share * (HEIGHT - 8), 1)


def spark(values: Sequence[float | None], top: float, labels: Sequence[str]) -> dict[str, Any]:
    """One sparkline: point runs (a gap where a value is None) and a titled dot per value."""
    n = len(values)
    runs: list[list[str]] = [[]]
    dots = []
    for i, value in enumerate(values):
        if value is None:
            runs.append([])
            continue
        x, y = _x(i, n), _y(value, top)
        runs[-1].append(f"{x},{y}")
        dots.append({"x": x, "y": y, "title": labels[i]})
    return {"runs": [" ".join(r) for r in runs if len(r) > 1], "dots": dots}


def rows(
    summaries: Sequence[dict[str, Any]], series: dict[str, list[dict[str, Any]]], m: Messages
) -> list[dict[str, Any]]:
    """Per journey of the site (by title), what its row of the trends page shows."""
    out = []
    for s in sorted(summaries, key=lambda s: (s["title"].casefold(), s["page"])):
        points = series.get(s["page"], [])
        heads = [f"{p['date']} · {p['commit'][:7]}" for p in points]

        def share(key: str, points: list[dict[str, Any]] = points) -> list[float | None]:
            return [p[key] for p in points]

        def said(value: float | None) -> str:
            return "–" if value is None else m.number(round(value, 2))

        emotion = share("emotion")
        measured = share("measured")
        most = max([max(p["pain_points"].values()) for p in points] + [1])
        pains = [
            dict(
                spark(
                    [p["pain_points"][sev] for p in points],
                    most,
                    [f"{h}: {p['pain_points'][sev]}" for h, p in zip(heads, points, strict=True)],
                ),
                severity=sev,
                last=points[-1]["pain_points"][sev] if points else 0,
            )
            for sev in reversed(SEVERITIES)
        ]
        out.append(
            {
                "title": s["title"],
                "page": s["page"],
                "points": points,
                "first": points[0]["date"] if points else None,
                "last": points[-1]["date"] if points else None,
                "emotion": spark(
                    emotion, 1.0, [f"{h}: {said(v)}" for h, v in zip(heads, emotion, strict=True)]
                ),
                "measured": spark(
                    measured,
                    1.0,
                    [f"{h}: {said(v)}" for h, v in zip(heads, measured, strict=True)],
                )
                if any(v is not None for v in measured)
                else None,
                "pains": pains,
                "emotion_last": said(emotion[-1]) if points else None,
                "measured_last": said(measured[-1]) if points else None,
                "most": most,
            }
        )
    return out


def trends_page(
    trend_rows: list[dict[str, Any]], count: int, templates: Path | None, title: str, m: Messages
) -> bytes:
    """``trends.html``: one row of sparklines per journey."""
    from journeymap.render.templating import environment

    html = (
        environment(templates)
        .get_template("site/atlas/trends.html.j2")
        .render(
            title=title,
            t=m,
            trends=True,
            rows=trend_rows,
            count=count,
            width=WIDTH,
            height=HEIGHT,
            severities=tuple(reversed(SEVERITIES)),
        )
    )
    return html.encode("utf-8")
