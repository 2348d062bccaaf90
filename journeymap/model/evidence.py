"""Measured evidence: declared data sources and the statistics read from them.

A journey's emotions are the team's assumptions; an :class:`EvidenceSource` names a survey
or analytics export, and a :class:`Measure` is what its rows say about one touchpoint (and
persona): the sample size, the mean score with its 95% confidence interval (Student's t
with n - 1 degrees of freedom, so small samples get honestly wide intervals), NPS with
promoters, passives and detractors, analytics metrics, the date range and a few comments.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from journeymap.model.stats import t95

if TYPE_CHECKING:  # the reader (csv, json, the file checks) loads only when evidence is read
    from journeymap.source.evidence import Pick, Tally

Kind = Literal["survey", "analytics"]
Format = Literal["csv", "jsonl", "parquet"]

#: The named scales: (lowest, highest) score.
SCALES: dict[str, tuple[float, float]] = {"nps": (0, 10), "csat": (1, 5), "ces": (1, 7)}
#: Below this many answers a measure is drawn faint and labelled "low n".
LOW_N = 30


@dataclass(frozen=True)
class EvidenceSource:
    """One declared export (``evidence:`` in the journey)."""

    id: str
    #: The file, resolved against the journey's folder.
    file: Path
    kind: Kind = "survey"
    format: Format = "csv"
    #: Role (touchpoint, score, metric, comment, persona, date) -> column name.
    columns: Mapping[str, str] = field(default_factory=dict)
    #: ``nps``, ``csat``, ``ces``, or ``custom`` for a ``{min, max}`` scale.
    scale: str = "nps"
    low: float = 0
    high: float = 10
    since: str | None = None
    until: str | None = None
    encoding: str = "utf-8-sig"
    delimiter: str = ","
    pick: Pick = "recent"
    #: Days after which the newest answer counts as stale (a lint warning), or None.
    max_age: int | None = None
    #: SQL over the file (a table named ``source``), run by DuckDB; its result's columns
    #: are the ones ``columns`` names.
    query: str | None = None


@dataclass(frozen=True)
class Comment:
    """A customer's own words (e-mail addresses and phone numbers masked)."""

    text: str
    score: float
    date: str | None = None


@dataclass(frozen=True)
class Metric:
    """An analytics measurement: its mean over ``n`` rows."""

    name: str
    n: int
    mean: float


@dataclass(frozen=True)
class Measure:
    """What one source says about one touchpoint (for one persona, or all of them)."""

    source: str
    touchpoint: str
    #: The persona id, or None for everyone.
    persona: str | None
    kind: Kind
    scale: str
    low: float
    high: float
    n: int = 0
    mean: float | None = None
    #: Half the width of the 95% confidence interval of the mean (None below 2 answers).
    margin: float | None = None
    promoters: int = 0
    passives: int = 0
    detractors: int = 0
    first_date: str | None = None
    last_date: str | None = None
    comments: tuple[Comment, ...] = ()
    metrics: tuple[Metric, ...] = ()

    @property
    def nps(self) -> float | None:
        """Net Promoter Score, -100..100 (NPS scale only)."""
        if self.scale != "nps" or not self.n:
            return None
        return 100 * (self.promoters - self.detractors) / self.n

    @property
    def nps_margin(self) -> float | None:
        """Half the 95% interval of the NPS: each answer is +100, 0 or -100."""
        if self.scale != "nps" or self.n < 2:
            return None
        n = self.n
        net = (self.promoters - self.detractors) / n
        variance = (self.promoters + self.detractors - n * net * net) / (n - 1)
        return 100 * t95(n) * math.sqrt(max(variance, 0.0) / n)

    @property
    def low_n(self) -> bool:
        """Fewer than ``LOW_N`` answers: drawn faint, labelled."""
        return self.n < LOW_N

    def on_scale(self, low: int, high: int) -> tuple[float, float | None] | None:
        """The mean (and its margin) mapped linearly onto an emotion scale ``low..high``."""
        if self.mean is None or self.high == self.low:
            return None
        factor = (high - low) / (self.high - self.low)
        value = low + (self.mean - self.low) * factor
        return value, None if self.margin is None else self.margin * factor


def measure(source: EvidenceSource, touchpoint: str, persona: str | None, tally: Tally) -> Measure:
    """The statistics of one tally."""
    scores = tally.scores
    n = scores.n
    mean = scores.total / n if n else None
    margin = None
    if n >= 2 and mean is not None:
        variance = (scores.squares - n * mean * mean) / (n - 1)
        margin = t95(n) * math.sqrt(max(variance, 0.0) / n)
    metrics = tuple(
        Metric(name, m.n, m.total / m.n) for name, m in sorted(tally.metrics.items()) if m.n
    )
    if source.kind == "analytics":
        n = sum(m.n for m in metrics)
    return Measure(
        source=source.id,
        touchpoint=touchpoint,
        persona=persona,
        kind=source.kind,
        scale=source.scale,
        low=source.low,
        high=source.high,
        n=n,
        mean=mean,
        margin=margin,
        promoters=tally.promoters,
        passives=tally.passives,
        detractors=tally.detractors,
        first_date=tally.first_date,
        last_date=tally.last_date,
        comments=tuple(Comment(text, score, day) for text, score, day in tally.picked()),
        metrics=metrics,
    )


def sources_of(items: object, base: Path) -> tuple[EvidenceSource, ...]:
    """The checked ``evidence:`` list as sources, files resolved against ``base``."""
    out = []
    for item in items if isinstance(items, list) else ():
        scale = item.get("scale", "nps")
        if isinstance(scale, dict):
            name, (low, high) = "custom", (scale["min"], scale["max"])
        else:
            name, (low, high) = scale, SCALES[scale]
        out.append(
            EvidenceSource(
                id=item["id"],
                file=base / item["file"],
                kind=item.get("kind", "survey"),
                format=item.get("format", "csv"),
                columns=dict(item.get("columns") or {}),
                scale=name,
                low=low,
                high=high,
                since=_day(item.get("since")),
                until=_day(item.get("until")),
                encoding=item.get("encoding", "utf-8-sig"),
                delimiter=item.get("delimiter", ","),
                pick=item.get("pick", "recent"),
                max_age=item.get("max_age"),
                query=item.get("query"),
            )
        )
    return tuple(out)


def _day(value: object) -> str | None:
    return None if value is None else str(value)[:10]
