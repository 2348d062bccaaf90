"""Writes the example's survey and analytics exports (seeded, so the same bytes every run).

``python examples/data/generate_checkout.py`` rewrites ``checkout-survey.csv`` (about 3,000
post-purchase answers, CSAT 1-5, some with comments, a few from before the survey period)
and ``checkout-funnel.csv`` (conversion, drop-off and seconds per page).
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent

#: step -> (answers, mean CSAT) as the survey found them.
STEPS = {
    "compare": (640, 3.6),
    "Size guide": (410, 4.1),
    "cart": (720, 4.2),
    "payment": (820, 2.3),
    "delivery-slot": (390, 4.0),
    "first-ride": (22, 4.7),
}
COMMENTS = {
    "compare": ["Too many models that look the same", "The range filter helped a lot"],
    "Size guide": ["Chart was clear", "Between two sizes, no advice"],
    "cart": ["Easy", "Liked seeing the delivery date in the basket"],
    "payment": [
        "Bank window froze and I had to start again",
        "Paid twice, please call me on +44 7700 900123",
        "Card declined three times, then worked",
        "Mail me the receipt at priya.k@example.com, the page never loaded",
    ],
    "delivery-slot": ["Would like a Saturday slot", "Two-hour window was fine"],
    "first-ride": ["Brilliant bike", "Saddle was loose out of the box"],
}


def survey(path: Path, rng: random.Random) -> None:
    """The post-purchase survey export."""
    rows = []
    for step, (count, mean) in STEPS.items():
        for _ in range(count):
            rating = min(5, max(1, round(rng.gauss(mean, 0.9))))
            segment = rng.choice(["commuter", "enthusiast", "Priya, commuter"])
            verbatim = rng.choice(COMMENTS[step]) if rng.random() < 0.15 else ""
            day = f"2026-{rng.randint(7, 9):02d}-{rng.randint(1, 28):02d}"
            rows.append([step, segment, str(rating), verbatim, day])
    rng.shuffle(rows)
    rows[250][4] = "2026-06-30"  # before 'since': left out
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["step", "segment", "rating", "verbatim", "answered_at"])
        for row in rows:
            out.writerow(row)


def funnel(path: Path) -> None:
    """The web analytics export: one row per page and metric."""
    metrics = {
        "compare": {"conversion": 0.41, "seconds": 212},
        "size-guide": {"conversion": 0.77, "seconds": 64},
        "cart": {"conversion": 0.68, "drop_off": 0.32},
        "payment": {"conversion": 0.54, "drop_off": 0.46, "seconds": 148},
        "delivery-slot": {"conversion": 0.93, "seconds": 41},
    }
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["page", "metric", "value"])
        for page, values in metrics.items():
            for name, value in values.items():
                out.writerow([page, name, value])


if __name__ == "__main__":
    rng = random.Random(18)
    survey(HERE / "checkout-survey.csv", rng)
    funnel(HERE / "checkout-funnel.csv")
