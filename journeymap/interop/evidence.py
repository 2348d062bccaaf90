"""The per-touchpoint evidence table of a journey as text, JSON or Markdown (for CI posts).

Text and Markdown are in the journey's language (its words, digits and quotation marks);
JSON keeps its keys and plain numbers for programs.
"""

from __future__ import annotations

import json
from typing import Any

from babel.numbers import format_decimal

from journeymap.interop.export import md
from journeymap.model.evidence import Measure
from journeymap.model.journey import Journey, Touchpoint
from journeymap.source.diagnostics import printable
from journeymap.text.locale import Messages, messages


def _rows(journey: Journey) -> list[tuple[Touchpoint, Measure]]:
    """Each touchpoint's measures in journey order: everyone first, then per persona."""
    out = []
    for tp in journey.touchpoints:
        mine = [m for m in journey.measured if m.touchpoint == tp.id]
        out += [
            (tp, m) for m in sorted(mine, key=lambda m: (m.persona is not None, m.persona or ""))
        ]
    return out


def _num(t: Messages, value: float | None, digits: int = 1) -> str:
    """``value`` with ``digits`` decimals in the language's digits, a true minus."""
    if value is None:
        return ""
    pattern = "#,##0." + "0" * digits if digits else "#,##0"
    text = format_decimal(abs(value), format=pattern, locale=t.locale)
    return ("\u2212" if value < 0 and float(f"{value:.{digits}f}") else "") + text


def _signed(t: Messages, value: float | None, digits: int = 1, scale_min: int = -1) -> str:
    """``+1.4``, ``−0.3`` (a true minus), ``0``; on a scale that does not run through zero
    (1..5) a plain ``4.2``."""
    if value is None:
        return ""
    if float(f"{value:.{digits}f}") == 0:
        return "0"
    text = _num(t, value, digits)
    return text if scale_min >= 0 or value < 0 else "+" + text


def _cells(journey: Journey, tp: Touchpoint, m: Measure, t: Messages) -> dict[str, str]:
    """The table's cells for one measure, as plain text (escaped by each format)."""
    persona = journey.persona(m.persona).name if m.persona else t.plain("evidence.everyone")
    mapped = m.on_scale(journey.scale.min, journey.scale.max)
    if m.kind == "analytics":
        score = ", ".join(f"{x.name} {x.mean:.3g}" for x in m.metrics)
    else:
        score = _num(t, m.mean, 2)
        score += f" ± {_num(t, m.margin, 2)}" if m.margin is not None else ""
    nps = ""
    if m.nps is not None:
        margin = f" ± {_num(t, m.nps_margin, 0)}" if m.nps_margin is not None else ""
        counts = "/".join(_num(t, c, 0) for c in (m.promoters, m.passives, m.detractors))
        nps = f"{_signed(t, m.nps, 0)}{margin} ({counts})"
    measured = ""
    if mapped is not None and m.kind == "survey":
        measured = _signed(t, mapped[0], scale_min=journey.scale.min)
        measured += f" ± {_num(t, mapped[1])}" if mapped[1] is not None else ""
    assumed = tp.emotion(m.persona) if m.persona else tp.mean_emotion
    dates = f"{m.first_date}..{m.last_date}" if m.first_date else ""
    low = f" ({t.plain('measured.low_n')})" if m.low_n and m.kind == "survey" else ""
    return {
        "touchpoint": tp.name,
        "persona": persona,
        "source": m.source,
        "n": _num(t, m.n, 0) + low,
        "score": score,
        "nps": nps,
        "assumed": _signed(t, assumed, scale_min=journey.scale.min) if assumed is not None else "",
        "measured": measured,
        "dates": dates,
    }


#: The table's columns, in order.
COLUMNS = ("touchpoint", "persona", "source", "n", "score", "nps", "assumed", "measured", "dates")


def _table(journey: Journey) -> tuple[Messages, dict[str, str], list[dict[str, str]]]:
    """The journey's words, the headers of the columns that hold something, and the rows."""
    t = messages(journey.lang)
    rows = [_cells(journey, tp, m, t) for tp, m in _rows(journey)]
    heads = {k: t.plain(f"evidence.head.{k}") for k in COLUMNS if any(r[k] for r in rows)}
    return t, heads, rows


def to_text(journey: Journey) -> str:
    """An aligned plain-text table, user text escaped for a terminal, comments below."""
    t, heads, cells = _table(journey)
    title = printable(journey.title)
    if not cells:
        return t.plain("evidence.empty", title=title) + "\n"
    rows = [{k: printable(v) for k, v in r.items()} for r in cells]
    widths = {k: max(len(h), *(len(r[k]) for r in rows)) for k, h in heads.items()}
    lines = [title, ""]
    lines.append("  ".join(h.ljust(widths[k]) for k, h in heads.items()).rstrip())
    lines.append("  ".join("-" * widths[k] for k in heads))
    lines += ["  ".join(r[k].ljust(widths[k]) for k in heads).rstrip() for r in rows]
    quotes = _quotes(journey)
    if quotes:
        lines.append("")
        for name, text in quotes:
            lines.append(f"{printable(name)}: {t.plain('quote', text=printable(text))}")
    return "\n".join(lines) + "\n"


def _quotes(journey: Journey) -> list[tuple[str, str]]:
    return [(tp.name, c.text) for tp, m in _rows(journey) if m.persona is None for c in m.comments]


def to_markdown(journey: Journey) -> str:
    """A GitHub table (every cell through ``md``), comments as quotes below."""
    t, heads, rows = _table(journey)
    lines = ["## " + t.plain("evidence.title", title=md(journey.title)), ""]
    if not rows:
        return "\n".join([*lines, t.plain("evidence.none"), ""])
    lines.append("| " + " | ".join(md(h) for h in heads.values()) + " |")
    lines.append("|" + "|".join(" --- " for _ in heads) + "|")
    lines += ["| " + " | ".join(md(r[k]) or " " for k in heads) + " |" for r in rows]
    quotes = _quotes(journey)
    if quotes:
        lines.append("")
        lines += [f"- **{md(name)}:** {t.plain('quote', text=md(text))}" for name, text in quotes]
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
