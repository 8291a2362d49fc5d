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
# Of two claims equally sure of one passage, the surer method keeps it.
_METHOD_RANK = {"position": 0, "quote": 1, "context": 2, "fuzzy": 3}
# A claim whose neighbours now touch is still found elsewhere nearby only this surely.
_MOVED_MIN_CONFIDENCE = 0.85

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

    def priority(index: int) -> tuple[float, int, int]:
        anchor = found[index]
        return (-anchor.confidence, _METHOD_RANK.get(anchor.method, 9), spans[index][0])

    for index in sorted(range(len(found)), key=priority):
        anchor = found[index]
        if (
            anchor.anchored
            and anchor.method == "quote"
            and _overlaps(taken, anchor.start, anchor.end)
        ):
            # The same words stand elsewhere too (a repeated line): the next best of them.
            start, end = spans[index]
            anchor = _by_quote(old_text, new_text, start, end, shift.approximate(start), taken)
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

    if quote in new:
        return _by_quote(old, new, start, end, expected, [])

    reach = 2 * len(quote) + 400
    bracketed = _between_contexts(old, new, start, end, expected)
    if bracketed is not None:
        gap_start, gap_end = _trimmed(new, *bracketed)
        if gap_start >= gap_end:
            # The neighbours now touch. Removed, unless the words stand nearby anyway
            # (their paragraph moved as well as changed).
            nearby = _fuzzy(quote, new, max(0, expected - reach), expected + len(quote) + reach)
            if nearby.anchored and nearby.confidence >= _MOVED_MIN_CONFIDENCE:
                return nearby
            return Anchor(REMOVED, None, None, quote, 0.95, "context")
        wording = new[gap_start:gap_end]
        similarity = fuzz.ratio(quote, wording) / 100
        if similarity >= 0.6 and len(wording) <= 1.5 * len(quote) + 10:
            # Both neighbours confirm the passage between them: the claim, reworded.
            confidence = round(0.3 + 0.7 * similarity, 3)
            state = KEPT if wording == quote else EDITED
            return Anchor(state, gap_start, gap_end, wording, confidence, "context")
        if gap_end - gap_start <= 4 * len(quote) + 200:
            # Something was added next to it: the most alike passage between them.
            return _fuzzy(quote, new, gap_start, gap_end, method="context")
    return _fuzzy(quote, new, max(0, expected - reach), expected + len(quote) + reach)


def _by_quote(
    old: str, new: str, start: int, end: int, expected: int, taken: list[tuple[int, int]]
) -> Anchor:
    """The claim's exact words in ``new``: of several, the one whose surroundings match
    best, then the nearest to where it was expected; none where ``taken`` already is."""
    quote = old[start:end]
    occurrences = [
        at for at in _occurrences(new, quote) if not _overlaps(taken, at, at + len(quote))
    ]
    if not occurrences:
        return Anchor(UNANCHORED, None, None, quote, 0.0, "quote")
    best = max(
        occurrences,
        key=lambda at: (_context_fit(old, new, start, end, at), -abs(at - expected)),
    )
    confidence = 1.0 if len(occurrences) == 1 else 0.95
    return Anchor(KEPT, best, best + len(quote), quote, confidence, "quote")


def _fuzzy(quote: str, new: str, low: int, high: int, method: str = "fuzzy") -> Anchor:
    """The passage of ``new[low:high]`` most like ``quote``, with its ratio as confidence."""
    window = new[low:high]
    if not window.strip():
        return Anchor(UNANCHORED, None, None, quote, 0.0, method)
    aligned = fuzz.partial_ratio_alignment(quote, window)
    start, end = _best_bounds(quote, new, low + aligned.dest_start, low + aligned.dest_end)
    if start >= end:
        return Anchor(UNANCHORED, None, None, quote, 0.0, method)
    wording = new[start:end]
    confidence = round(fuzz.ratio(quote, wording) / 100, 3)
    state = KEPT if wording == quote else EDITED
    return Anchor(state, start, end, wording, confidence, method)


def _best_bounds(quote: str, text: str, start: int, end: int) -> tuple[int, int]:
    """Move an aligned passage's ends to the word boundaries nearby that make it most
    like ``quote``: the alignment may stop short of a first word or a closing stop."""
    reach = 24
    starts = [
        at
        for at in range(max(0, start - reach), min(len(text), start + reach) + 1)
        if at < len(text)
        and not text[at].isspace()
        and (at == 0 or text[at - 1].isspace() or not text[at - 1].isalnum())
        and not (at > 0 and text[at - 1].isalnum() and text[at].isalnum())
    ]
    ends = [
        at
        for at in range(max(1, end - reach), min(len(text), end + reach) + 1)
        if not text[at - 1].isspace()
        and (at == len(text) or not (text[at - 1].isalnum() and text[at].isalnum()))
    ]
    best = (-1.0, 0, start, end)
    for first in sorted(starts, key=lambda at: abs(at - start))[:12]:
        for last in sorted(ends, key=lambda at: abs(at - end))[:12]:
            if last <= first:
                continue
            score = fuzz.ratio(quote, text[first:last])
            closeness = -abs((last - first) - len(quote))
            if (score, closeness) > best[:2]:
                best = (score, closeness, first, last)
    return best[2], best[3]


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
        if not before or not after:
            # At the very start or end of the text one neighbour is missing, and the
            # other alone cannot say where the claim ends (text may be added there).
            return None
        hits = _occurrences(new, before)
        if not hits:
            continue
        gap_start = min(hits, key=lambda at: abs(at + len(before) - expected)) + len(before)
        hits = [at for at in _occurrences(new, after) if at >= gap_start]
        if not hits:
            continue
        return gap_start, hits[0]
    return None


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
