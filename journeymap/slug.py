"""Ids from names: the default id of anything that has a name, and safe file names."""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[\W_]+")


def normalise_id(value: str) -> str:
    """Ids are compared after Unicode NFC normalisation."""
    return unicodedata.normalize("NFC", value)


def slug(text: str) -> str:
    """``'Call support (2nd line)'`` -> ``'call-support-2nd-line'``; letters of any script stay."""
    return _NON_WORD.sub("-", unicodedata.normalize("NFC", text).casefold()).strip("-")


def file_slug(text: str, fallback: str = "journey") -> str:
    """An ASCII-only, lower-case file name part; ``fallback`` when nothing ASCII is left."""
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return slug(ascii_)[:80].strip("-") or fallback
