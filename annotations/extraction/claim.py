"""The result of extraction: one claim with its offsets, kind, score and findings.

Kept in a module of its own and never compiled: callers pickle, copy and compare these
objects as plain dataclasses.
"""

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class ExtractedClaim:
    """One claim: ``text == document[start:end]``; entity and date offsets are document ones."""

    start: int
    end: int
    text: str
    kind: str
    checkworthiness: float
    reasons: list[str] = field(default_factory=list)
    entities: list[dict[str, Any]] = field(default_factory=list)
    dates: list[dict[str, Any]] = field(default_factory=list)
    quantities: list[dict[str, Any]] = field(default_factory=list)
    attribution: str | None = None
    language: str = "ru"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready copy of the claim."""
        return asdict(self)
