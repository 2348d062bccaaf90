"""Bounds on input size, so a hostile or accidental file fails fast with a clear message."""

from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass(frozen=True)
class Limits:
    """Generous defaults; each can be raised with ``--limit NAME=VALUE``."""

    #: Bytes in one file.
    max_bytes: int = 10 * 1024 * 1024
    #: Nesting depth of mappings and sequences.
    max_depth: int = 48
    #: YAML values in one file, counting each alias as a copy of what it names.
    max_nodes: int = 1_000_000
    #: Characters in one text value.
    max_text: int = 50_000
    #: Touchpoints in one journey.
    max_touchpoints: int = 10_000

    @classmethod
    def names(cls) -> tuple[str, ...]:
        """The names accepted by ``--limit``."""
        return tuple(f.name for f in fields(cls))


DEFAULT_LIMITS = Limits()
