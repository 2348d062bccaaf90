"""The per-touchpoint evidence table of a journey as text, JSON or Markdown (for CI posts)."""

from __future__ import annotations

import json
from typing import Any

from journeymap.interop.export import md
from journeymap.model.evidence import Measure
from journeymap.model.journey import Journey, Touchpoint
from journeymap.source.diagnostics import printable


def _rows(journey: Journey) -> list[tuple[Touchpoint, Measure]]:
    """Each touchpoint's measures in journey order: everyone first, then per persona."""
    out = []
    for tp in journey.touchpoints:
        mine = [m for m in journey.measured if m.touchpoint == tp.id]
        out += [
            (tp, m) for m in sorted(mine, key=lambda m: (m.persona is not None, m.persona or ""))
        ]
    return out


def _num(value: float | None, digits: int = 1) -> str:
    return "" if value is None else f"{value:.{digits}f}".replace("-", "−")


def _signed(value: float | None, digits: int = 1, scale_min: int = -1) -> str:
    """``+1.4``, ``−0.3`` (a true minus), ``0``; on a scale that does not run through zero
    (1..5) a plain ``4.2``."""
    if value is None:
        return ""
    text = f"{value:+.{digits}f}"
    if float(text) == 0:
        return "0"
    return text.lstrip("+") if scale_min >= 0 else text.replace("-", "−")


def _cells(journey: Journey, tp: Touchpoint, m: Measure) -> dict[str, str]:
    """The table's cells for one measure, as plain text (escaped by each format)."""
    persona = journey.persona(m.persona).name if m.persona else "all"
    mapped = m.on_scale(journey.scale.min, journey.scale.max)
    if m.kind == "analytics":
        score = ", ".join(f"{x.name} {x.mean:.3g}" for x in m.metrics)
    else:
        score = _num(m.mean, 2) + (f" ± {_num(m.margin, 2)}" if m.margin is not None else "")
    nps = ""
    if m.nps is not None:
        margin = f" ± {m.nps_margin:.0f}" if m.nps_margin is not None else ""
        nps = f"{_signed(m.nps, 0)}{margin} ({m.promoters}/{m.passives}/{m.detractors})"
    measured = ""
    if mapped is not None and m.kind == "survey":
        measured = _signed(mapped[0], scale_min=journey.scale.min)
        measured += f" ± {mapped[1]:.1f}" if mapped[1] is not None else ""
    assumed = tp.emotion(m.persona) if m.persona else tp.mean_emotion
    dates = f"{m.first_date}..{m.last_date}" if m.first_date else ""
    return {
        "touchpoint": tp.name,
        "persona": persona,
        "source": m.source,
        "n": f"{m.n:,}" + (" (low n)" if m.low_n and m.kind == "survey" else ""),
        "score": score,
        "nps": nps,
        "assumed": _signed(assumed, scale_min=journey.scale.min) if assumed is not None else "",
        "measured": measured,
        "dates": dates,
    }


HEADERS = {
    "touchpoint": "touchpoint",
    "persona": "persona",
    "source": "source",
    "n": "n",
    "score": "score (95% CI)",
    "nps": "NPS (P/Pa/D)",
    "assumed": "assumed",
    "measured": "measured",
    "dates": "dates",
}


def to_text(journey: Journey) -> str:
    """An aligned plain-text table, user text escaped for a terminal, comments below."""
    rows = [
        {k: printable(v) for k, v in _cells(journey, tp, m).items()} for tp, m in _rows(journey)
    ]
    if not rows:
        return f"{printable(journey.title)}: no evidence\n"
    keys = [k for k in HEADERS if any(r[k] for r in rows)]
    widths = {k: max(len(HEADERS[k]), *(len(r[k]) for r in rows)) for k in keys}
    lines = [printable(journey.title), ""]
    lines.append("  ".join(HEADERS[k].ljust(widths[k]) for k in keys).rstrip())
    lines.append("  ".join("-" * widths[k] for k in keys))
    lines += ["  ".join(r[k].ljust(widths[k]) for k in keys).rstrip() for r in rows]
    quotes = _quotes(journey)
    if quotes:
        lines.append("")
        for name, text in quotes:
            lines.append(f"{printable(name)}: “{printable(text)}”")
    return "\n".join(lines) + "\n"


def _quotes(journey: Journey) -> list[tuple[str, str]]:
    return [(tp.name, c.text) for tp, m in _rows(journey) if m.persona is None for c in m.comments]


def to_markdown(journey: Journey) -> str:
    """A GitHub table (every cell through ``md``), comments as quotes below."""
    rows = [_cells(journey, tp, m) for tp, m in _rows(journey)]
    lines = [f"## Evidence: {md(journey.title)}", ""]
    if not rows:
        return "\n".join([*lines, "No evidence.", ""])
    keys = [k for k in HEADERS if any(r[k] for r in rows)]
    lines.append("| " + " | ".join(HEADERS[k] for k in keys) + " |")
    lines.append("|" + "|".join(" --- " for _ in keys) + "|")
    lines += ["| " + " | ".join(md(r[k]) or " " for k in keys) + " |" for r in rows]
    quotes = _quotes(journey)
    if quotes:
        lines.append("")
        lines += [f"- **{md(name)}:** “{md(text)}”" for name, text in quotes]
    return "\n".join(lines) + "\n"


def to_json(journey: Journey) -> str:
    """Every measure with its numbers (sorted keys, stable)."""
    items: list[dict[str, Any]] = []
    for tp, m in _rows(journey):
        mapped = m.on_scale(journey.scale.min, journey.scale.max)
        items.append(
            {
                "touchpoint": tp.id,
                "persona": m.persona,
                "source": m.source,
                "kind": m.kind,
                "scale": m.scale,
                "n": m.n,
                "mean": m.mean,
                "margin": m.margin,
                "nps": m.nps,
                "nps_margin": m.nps_margin,
                "promoters": m.promoters,
                "passives": m.passives,
                "detractors": m.detractors,
                "measured": mapped[0] if mapped and m.kind == "survey" else None,
                "measured_margin": mapped[1] if mapped and m.kind == "survey" else None,
                "assumed": tp.emotion(m.persona) if m.persona else tp.mean_emotion,
                "low_n": m.low_n,
                "first_date": m.first_date,
                "last_date": m.last_date,
                "metrics": {x.name: {"n": x.n, "mean": x.mean} for x in m.metrics},
                "comments": [
                    {"text": c.text, "score": c.score, "date": c.date} for c in m.comments
                ],
            }
        )
    data = {"journey": journey.id, "title": journey.title, "measures": items}
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
