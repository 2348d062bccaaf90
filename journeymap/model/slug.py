"""Ids from names: the default id of anything that has a name, and safe file names."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from pathlib import PurePosixPath

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


def folder_names(rel_paths: Sequence[str]) -> list[str]:
    """An output folder per file (relative POSIX paths), in order: the file name's slug, or
    the slugged relative path where several files share one (``a/Bank.yaml`` -> ``a-bank``);
    a clash left after that gets ``-2``, ``-3``, ... No two names are alike, even by case."""
    base = [file_slug(PurePosixPath(rel).stem) for rel in rel_paths]
    counts = Counter(base)
    taken: set[str] = set()
    names = []
    for rel, stem in zip(rel_paths, base, strict=True):
        if counts[stem] > 1:
            stem = file_slug(str(PurePosixPath(rel).with_suffix("")).replace("/", "-"))
        name, number = stem, 2
        while name in taken:
            name, number = f"{stem}-{number}", number + 1
        taken.add(name)
        names.append(name)
    return names
