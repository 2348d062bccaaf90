"""Elapsed times and durations as people write them: ``90 s``, ``3 min``, ``2 h``, ``3 days``,
or ISO 8601 (``P3D``, ``PT1H30M``); in seconds.

Months and years are refused: their length varies, so a journey should say days or weeks.
"""

from __future__ import annotations

import re

#: Unit word (lower case) -> seconds.
UNITS: dict[str, float] = {
    **dict.fromkeys(("s", "sec", "secs", "second", "seconds"), 1.0),
    **dict.fromkeys(("min", "mins", "minute", "minutes"), 60.0),
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours"), 3600.0),
    **dict.fromkeys(("d", "day", "days"), 86400.0),
    **dict.fromkeys(("w", "wk", "wks", "week", "weeks"), 604800.0),
}
_NUMBER = r"[0-9]+(?:\.[0-9]+)?"
_PLAIN = re.compile(rf"({_NUMBER})\s*([A-Za-z]+)")
_PLAIN_ALL = re.compile(rf"(?:{_NUMBER}\s*[A-Za-z]+\s*)+")
_ISO = re.compile(
    rf"P(?:({_NUMBER})W)?(?:({_NUMBER})D)?(?:T(?:({_NUMBER})H)?(?:({_NUMBER})M)?(?:({_NUMBER})S)?)?"
)
_ISO_FACTORS = (604800.0, 86400.0, 3600.0, 60.0, 1.0)
#: The longest time a journey may give (100 years): a longer one is a typo or an attack, and
#: one of 10^400 days was infinite (every time-axis drawing failed).
LONGEST = 36500 * 86400.0
HINT = "write a number and a unit, like '0s', '90 s', '3 min', '2 h', '3 days', or ISO 8601 'P3D'"


class DurationError(ValueError):
    """A time that cannot be read; the message says what to write instead."""


def parse_duration(text: str) -> float:
    """Seconds in ``text`` (several parts add up: ``1 h 30 min``); DurationError if unreadable
    or longer than ``LONGEST``."""
    seconds = _seconds(text)
    if not seconds <= LONGEST:
        shown = text if len(text) <= 40 else text[:39] + "…"
        raise DurationError(f"'{shown}' is longer than 100 years (36,500 days); write a real time")
    return seconds


def _seconds(text: str) -> float:
    value = text.strip()
    upper = value.upper()
    iso = _ISO.fullmatch(upper)
    if iso and any(iso.groups()):
        return sum(float(g) * f for g, f in zip(iso.groups(), _ISO_FACTORS, strict=True) if g)
    if re.fullmatch(r"P[0-9.]*[YM].*", upper):
        raise DurationError(
            f"'{text}': months and years vary in length; write days or weeks (P30D, P4W)"
        )
    if not _PLAIN_ALL.fullmatch(value):
        raise DurationError(f"'{text}' is not a time; {HINT}")
    total = 0.0
    for part in _PLAIN.finditer(value):
        unit = part.group(2).lower()
        if unit not in UNITS:
            raise DurationError(f"'{text}': unknown unit '{part.group(2)}'; {HINT}")
        total += float(part.group(1)) * UNITS[unit]
    return total


def describe(seconds: float) -> str:
    """A short English reading of ``seconds`` in its largest whole unit: ``3 days``, ``90 s``."""
    for size, one, many in (
        (604800.0, "week", "weeks"),
        (86400.0, "day", "days"),
        (3600.0, "h", "h"),
        (60.0, "min", "min"),
    ):
        if seconds >= size:
            count = round(seconds / size, 1)
            text = f"{count:g}"
            return f"{text} {one if count == 1 else many}"
    return f"{seconds:g} s"
