"""The languages journeymap writes its own words in, and how a journey's ``lang`` tag maps
to one of them.

A tag is BCP 47 (``de``, ``pt-BR``, ``zh-Hant``); its language subtag chooses the message
catalog, so ``pt-BR`` uses the ``pt`` catalog. The catalogs live in
``journeymap/text/catalogs/``, one file per language listed here.
"""

from __future__ import annotations

import re

#: Languages with a message catalog, English (the fallback) first.
LANGUAGES: tuple[str, ...] = (
    "en", "de", "fr", "es", "pt", "it", "nl", "pl", "ja", "zh", "ko", "ar", "he", "fa", "ur",
)  # fmt: skip
#: Languages written right to left.
RTL_LANGUAGES = frozenset({"ar", "he", "fa", "ur"})
DEFAULT_LANG = "en"
_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")


def language_of(tag: str) -> str | None:
    """The catalog language of ``tag`` (``pt-BR`` -> ``pt``), or None when it has none."""
    if not _TAG.fullmatch(tag):
        return None
    language = tag.split("-", 1)[0].lower()
    return language if language in LANGUAGES else None


def is_tag(tag: str) -> bool:
    """True when ``tag`` has the shape of a BCP 47 language tag."""
    return _TAG.fullmatch(tag) is not None


def is_rtl_language(tag: str) -> bool:
    """True when the language of ``tag`` is written right to left."""
    return tag.split("-", 1)[0].lower() in RTL_LANGUAGES


def lang_problem(tag: str) -> str | None:
    """What is wrong with ``tag`` as a ``lang`` value (naming the choices), or None."""
    if language_of(tag) is not None:
        return None
    what = "no catalog for the language" if is_tag(tag) else "not a BCP 47 language tag"
    return (
        f"lang '{tag}': {what}; use one of {', '.join(LANGUAGES)} "
        "(a region or script may follow, as in pt-BR)"
    )
