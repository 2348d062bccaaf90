"""Bounds on input size, so a hostile or accidental file fails fast with a clear message."""

from __future__ import annotations

from dataclasses import dataclass, field, fields

#: The largest value any limit may be raised to (beyond it sizes overflow, not serve).
CEILING = 1_000_000_000
#: The most commits ``build --history`` may ask for per journey.
MAX_HISTORY = 500


@dataclass(frozen=True)
class Limits:
    """Generous defaults; each can be raised with ``--limit NAME=VALUE`` up to its ceiling."""

    #: Bytes in one file.
    max_bytes: int = 10 * 1024 * 1024
    #: Nesting depth of mappings and sequences. Every value remembers its path, so the cost
    #: grows with the square of the depth: 1,000 levels take under a second, 20,000 took 29 s
    #: and 2 GB, so that is as far as it can be raised.
    max_depth: int = field(default=48, metadata={"ceiling": 1_000})
    #: YAML values in one file, counting each alias as a copy of what it names.
    max_nodes: int = 1_000_000
    #: Characters in one text value.
    max_text: int = 50_000
    #: Touchpoints in one journey.
    max_touchpoints: int = 10_000
    #: Personas of one journey, its libraries' included.
    max_personas: int = 100

    @classmethod
    def names(cls) -> tuple[str, ...]:
        """The names accepted by ``--limit``."""
        return tuple(f.name for f in fields(cls))

    @classmethod
    def ceiling(cls, name: str) -> int:
        """The largest value ``name`` may be raised to: what the code can serve."""
        return next(int(f.metadata.get("ceiling", CEILING)) for f in fields(cls) if f.name == name)


DEFAULT_LIMITS = Limits()
