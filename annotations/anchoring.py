"""Re-anchoring claims from one version of a text onto the next (pure Python).

Each claim is a span of the old text. On the new text it is looked for, cheapest and
surest first:

1. **position**: the span lies in a stretch the two versions share (a line diff says
   where each old stretch went), so its new position is known exactly;
2. **quote**: its exact words occur in the new text; among several occurrences the one
   whose surroundings match best (then the one nearest where it was expected) wins;
3. **context**: the words just before and just after it are found, in order, in the new
   text. Nothing between them means the claim was removed; something between them is the
   claim as reworded, if it resembles the old wording;
4. **fuzzy**: the passage most like it near where it was expected, scored by rapidfuzz.

Every result carries a confidence in [0, 1]. Below ``min_confidence`` a claim is left
unanchored for a reviewer to place, never attached to a passage that only looks alike.
A claim is called removed only on evidence: its neighbours now stand next to each other.
"""

from __future__ import annotations

import difflib
from bisect import bisect_right
from dataclasses import dataclass

from rapidfuzz import fuzz

KEPT = "kept"
EDITED = "edited"
UNANCHORED = "unanchored"
REMOVED = "removed"

CONTEXT_CHARS = (48, 24, 12)
_MAX_OCCURRENCES = 200

__all__ = ["EDITED", "KEPT", "REMOVED", "UNANCHORED", "Anchor", "reanchor"]


@dataclass(frozen=True)
class Anchor:
    """Where a claim stands in the new text; ``start``/``end`` are None unless anchored.

    ``state`` is ``kept`` (same words), ``edited`` (reworded: ``text`` is the new
    wording), ``unanchored`` (not placed with enough confidence) or ``removed``.
    """

    state: str
    start: int | None
    end: int | None
    text: str
    confidence: float
    method: str

    @property
    def anchored(self) -> bool:
        return self.state in (KEPT, EDITED)


def reanchor(
    old_text: str,
    new_text: str,
    spans: list[tuple[int, int]],
    *,
    min_confidence: float = 0.75,
) -> list[Anchor]:
    """Anchor each ``(start, end)`` span of ``old_text`` onto ``new_text``, in order.

    Two claims never end up overlapping: the less certain one is left unanchored.
    """
    shift = _LineShift(old_text, new_text)
    found = [_anchor_one(old_text, new_text, start, end, shift) for start, end in spans]
    results: list[Anchor | None] = [None] * len(found)
    taken: list[tuple[int, int]] = []
    for index in sorted(range(len(found)), key=lambda i: -found[i].confidence):
        anchor = found[index]
        if anchor.anchored and (
            anchor.confidence < min_confidence or _overlaps(taken, anchor.start, anchor.end)
        ):
            anchor = Anchor(UNANCHORED, None, None, anchor.text, anchor.confidence, anchor.method)
        if anchor.anchored:
            taken.append((anchor.start, anchor.end))
        results[index] = anchor
    return [anchor for anchor in results if anchor is not None]


def _anchor_one(old: str, new: str, start: int, end: int, shift: _LineShift) -> Anchor:
    quote = old[start:end]
    exact = shift.exact(start, end)
    if exact is not None and new[exact : exact + len(quote)] == quote:
        return Anchor(KEPT, exact, exact + len(quote), quote, 1.0, "position")
    expected = shift.approximate(start)

    occurrences = _occurrences(new, quote)
    if occurrences:
        best = max(
            occurrences,
            key=lambda at: (_context_fit(old, new, start, end, at), -abs(at - expected)),
        )
        confidence = 1.0 if len(occurrences) == 1 else 0.95
        return Anchor(KEPT, best, best + len(quote), quote, confidence, "quote")

    bracketed = _between_contexts(old, new, start, end, expected)
    if bracketed is not None:
        gap_start, gap_end = _trimmed(new, *bracketed)
        if gap_start >= gap_end:
            return Anchor(REMOVED, None, None, quote, 0.95, "context")
        wording = new[gap_start:gap_end]
        if len(wording) <= 3 * len(quote) + 40:
            similarity = fuzz.ratio(quote, wording) / 100
            confidence = 0.3 + 0.7 * similarity
            return Anchor(EDITED, gap_start, gap_end, wording, round(confidence, 3), "context")

    return _fuzzy(quote, new, expected)


def _fuzzy(quote: str, new: str, expected: int) -> Anchor:
    reach = 2 * len(quote) + 400
    low = max(0, expected - reach)
    window = new[low : expected + len(quote) + reach]
    if not window.strip():
        return Anchor(UNANCHORED, None, None, quote, 0.0, "fuzzy")
    aligned = fuzz.partial_ratio_alignment(quote, window)
    start, end = _word_bounds(new, low + aligned.dest_start, low + aligned.dest_end)
    start, end = _trimmed(new, start, end)
    # The alignment stops at the last letter; the closing stop or quote mark comes along.
    while end < len(new) and quote and not quote[-1].isalnum() and new[end] in quote[-2:]:
        end += 1
    if start >= end:
        return Anchor(UNANCHORED, None, None, quote, 0.0, "fuzzy")
    wording = new[start:end]
    confidence = round(fuzz.ratio(quote, wording) / 100, 3)
    state = KEPT if wording == quote else EDITED
    return Anchor(state, start, end, wording, confidence, "fuzzy")


class _LineShift:
    """Where each stretch of the old text went in the new one, from a diff of lines."""

    def __init__(self, old: str, new: str) -> None:
        old_lines = old.splitlines(keepends=True)
        new_lines = new.splitlines(keepends=True)
        old_starts = _line_starts(old_lines)
        new_starts = _line_starts(new_lines)
        matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
        # (old start, old end, new start, equal?) per block, in old-text order.
        self.blocks: list[tuple[int, int, int, bool]] = []
        for tag, i1, i2, j1, _j2 in matcher.get_opcodes():
            if i1 == i2:
                continue
            self.blocks.append((old_starts[i1], old_starts[i2], new_starts[j1], tag == "equal"))
        self.block_starts = [block[0] for block in self.blocks]

    def _block(self, offset: int) -> tuple[int, int, int, bool] | None:
        index = bisect_right(self.block_starts, offset) - 1
        return self.blocks[index] if index >= 0 else None

    def exact(self, start: int, end: int) -> int | None:
        """The new start of a span lying wholly inside an unchanged stretch."""
        block = self._block(start)
        if block is None or not block[3] or end > block[1]:
            return None
        return block[2] + start - block[0]

    def approximate(self, start: int) -> int:
        block = self._block(start)
        if block is None:
            return start
        return block[2] + start - block[0]


def _line_starts(lines: list[str]) -> list[int]:
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    return starts


def _occurrences(text: str, needle: str) -> list[int]:
    found: list[int] = []
    at = text.find(needle)
    while at != -1 and len(found) < _MAX_OCCURRENCES:
        found.append(at)
        at = text.find(needle, at + 1)
    return found


def _context_fit(old: str, new: str, start: int, end: int, at: int) -> int:
    """How many characters around ``at`` in ``new`` match those around the old span."""
    before = 0
    limit = min(start, at, CONTEXT_CHARS[0])
    while before < limit and old[start - before - 1] == new[at - before - 1]:
        before += 1
    after = 0
    new_end = at + (end - start)
    limit = min(len(old) - end, len(new) - new_end, CONTEXT_CHARS[0])
    while after < limit and old[end + after] == new[new_end + after]:
        after += 1
    return before + after


def _between_contexts(
    old: str, new: str, start: int, end: int, expected: int
) -> tuple[int, int] | None:
    """The stretch of ``new`` between the claim's old neighbours, if both are found."""
    for size in CONTEXT_CHARS:
        # Whitespace next to the claim is left out: removing a sentence removes one of
        # the two spaces around it.
        before = old[max(0, start - size) : start].rstrip()
        after = old[end : end + size].lstrip()
        if (start > 0 and not before) or (end < len(old) and not after):
            continue
        if before:
            hits = _occurrences(new, before)
            if not hits:
                continue
            gap_start = min(hits, key=lambda at: abs(at + len(before) - expected)) + len(before)
        else:
            gap_start = 0
        if after:
            hits = [at for at in _occurrences(new, after) if at >= gap_start]
            if not hits:
                continue
            gap_end = hits[0]
        else:
            gap_end = len(new)
        return gap_start, gap_end
    return None


def _word_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    while start > 0 and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while end < len(text) and end > 0 and text[end - 1].isalnum() and text[end].isalnum():
        end += 1
    return start, end


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _overlaps(taken: list[tuple[int, int]], start: int | None, end: int | None) -> bool:
    if start is None or end is None:
        return False
    return any(start < other_end and other_start < end for other_start, other_end in taken)
