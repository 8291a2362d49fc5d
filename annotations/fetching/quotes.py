"""Finding a reviewer's quoted statement in a page's text.

Three passes, cheapest first: the quote verbatim; the quote after normalising what
typesetting changes (case, quotes, dashes, ё, whitespace, invisible characters, HTML
entities); then an approximate match, scored with rapidfuzz on a few candidate
windows that are picked cheaply from where the quote's words occur. Offsets always
refer to the original ``page_text``.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from collections import Counter
from dataclasses import asdict, dataclass

from rapidfuzz import fuzz

CONTEXT_CHARS = 150

_QUOTE_MARKS = "«»“”„‟\"'‘’‚‛`´‹›″′＂"
_DASHES = "‐‑‒–—―−⁃﹘﹣－"
_SPACES = (
    "\t\n\r\x0b\x0c\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
    "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
_ONE_TO_ONE = {
    **dict.fromkeys(_QUOTE_MARKS, '"'),
    **dict.fromkeys(_DASHES, "-"),
    **dict.fromkeys(_SPACES, " "),
    "ё": "е",
}
# Everything the normalisation changes in length: runs of spaces and invisible
# characters, HTML entities left in extracted text, the ellipsis character.
_ENTITY = r"&(?:#[0-9]{1,7}|#x[0-9a-f]{1,6}|[a-z][a-z0-9]{1,31});"
_SPACE_ENTITY = r"&(?:nbsp|#160|#xa0);"
# The lookahead lets the scan skip ordinary characters without trying each branch.
_RESHAPED = re.compile(
    rf"(?=[ {_INVISIBLE}&…])"
    rf"(?:(?:[ {_INVISIBLE}]|{_SPACE_ENTITY}){{2,}}|[{_INVISIBLE}]|{_ENTITY}|…)"
)
_WORD = re.compile(r"\w+")
_STOPWORDS = frozenset(
    {
        *("the", "and", "for", "that", "with", "this", "from", "was", "were", "are", "has"),
        *("have", "had", "but", "not", "you", "his", "her", "its", "они", "она", "оно", "что"),
        *("как", "это", "так", "его", "для", "при", "или", "который", "которые", "также"),
        *("только", "все", "было", "были", "будет", "может", "этого", "этой", "этом"),
    }
)
_MAX_HITS = 15_000
_CANDIDATE_WINDOWS = 6


@dataclass(frozen=True)
class QuoteMatch:
    """Where a quote was found; ``page_text[start:end] == passage``."""

    found: bool
    method: str
    score: float
    start: int
    end: int
    passage: str
    context_before: str
    context_after: str

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class NormalizedText:
    """A normalised text with a map back to the original's offsets.

    The map is a list of segments: each starts at ``norm_starts[k]`` in the normalised
    text and ``orig_starts[k]`` in the original; identity segments correspond char by
    char, replaced ones map as a whole to ``orig_starts[k]:orig_ends[k]``.
    """

    text: str
    norm_starts: list[int]
    orig_starts: list[int]
    orig_ends: list[int]
    identity: list[bool]

    def original_start(self, index: int) -> int:
        k = bisect_right(self.norm_starts, index) - 1
        if self.identity[k]:
            return self.orig_starts[k] + index - self.norm_starts[k]
        return self.orig_starts[k]

    def original_end(self, index: int) -> int:
        """The original offset just after normalised character ``index - 1``."""
        last = index - 1
        k = bisect_right(self.norm_starts, last) - 1
        if self.identity[k]:
            return self.orig_starts[k] + last - self.norm_starts[k] + 1
        return self.orig_ends[k]


def normalize(text: str) -> NormalizedText:
    """Normalise ``text`` for comparison, keeping the way back to its offsets."""
    folded = _fold_chars(text)
    pieces: list[str] = []
    norm_starts: list[int] = []
    orig_starts: list[int] = []
    orig_ends: list[int] = []
    identity: list[bool] = []
    norm_pos = 0
    orig_pos = 0
    for match in _RESHAPED.finditer(folded):
        start, end = match.span()
        replacement = _replacement(match.group())
        if replacement is None:
            continue
        if start > orig_pos:
            norm_starts.append(norm_pos)
            orig_starts.append(orig_pos)
            orig_ends.append(start)
            identity.append(True)
            pieces.append(folded[orig_pos:start])
            norm_pos += start - orig_pos
        if replacement:
            norm_starts.append(norm_pos)
            orig_starts.append(start)
            orig_ends.append(end)
            identity.append(False)
            pieces.append(replacement)
            norm_pos += len(replacement)
        orig_pos = end
    if orig_pos < len(folded) or not norm_starts:
        norm_starts.append(norm_pos)
        orig_starts.append(orig_pos)
        orig_ends.append(len(folded))
        identity.append(True)
        pieces.append(folded[orig_pos:])
    return NormalizedText("".join(pieces), norm_starts, orig_starts, orig_ends, identity)


def locate_quote(page_text: str, quote: str, *, min_score: float = 85.0) -> QuoteMatch | None:
    """Find ``quote`` in ``page_text``; None when nothing scores ``min_score`` or more.

    The first of several equally good matches wins, so results are deterministic.
    """
    needle = quote.strip()
    if not needle or not page_text:
        return None
    index = page_text.find(needle)
    if index != -1:
        return _match(page_text, "exact", 100.0, index, index + len(needle))
    with_marks = normalize(needle).text.strip(" ")
    normalized_quote = with_marks.strip('"')
    if not normalized_quote.strip():
        return None
    page = normalize(page_text)
    # The quote with its own quotation marks is the more specific text; a reviewer may
    # also have added marks the page does not have.
    for candidate in dict.fromkeys((with_marks, normalized_quote.strip())):
        index = page.text.find(candidate)
        if index != -1:
            start = page.original_start(index)
            end = page.original_end(index + len(candidate))
            return _match(page_text, "normalized", 100.0, start, end)
    normalized_quote = normalized_quote.strip()
    found = _best_fuzzy_span(page.text, normalized_quote, min_score)
    if found is None:
        return None
    score, start, end = found
    return _match(page_text, "fuzzy", score, page.original_start(start), page.original_end(end))


def _fold_chars(text: str) -> str:
    lowered = text.lower()
    if len(lowered) != len(text):
        # A few characters ("İ") lower-case to two; keep those as they are so the
        # one-to-one part of the map stays one-to-one.
        lowered = "".join(char.lower() if len(char.lower()) == 1 else char for char in text)
    # One C-speed scan per character is several times faster on a large page than
    # ``str.translate`` (a dictionary lookup per character) or a regex callback.
    for char, replacement in _ONE_TO_ONE.items():
        if char in lowered:
            lowered = lowered.replace(char, replacement)
    return lowered


def _replacement(found: str) -> str | None:
    """What a reshaped run becomes; None leaves it untouched."""
    if found == "…":
        return "..."
    if found.startswith("&"):
        decoded = html.unescape(found)
        if decoded == found:
            return None
        decoded = _fold_chars(decoded)
        return " " if decoded.isspace() else decoded.strip(_INVISIBLE)
    return " " if " " in found or "&" in found else ""


def _best_fuzzy_span(text: str, quote: str, min_score: float) -> tuple[float, int, int] | None:
    best: tuple[float, int, int] | None = None
    for window_start, window_end in _candidate_windows(text, quote):
        margin = len(quote) // 2 + 10
        region_start = max(0, window_start - margin)
        region = text[region_start : window_end + margin]
        alignment = fuzz.partial_ratio_alignment(quote, region, score_cutoff=min_score - 15)
        if alignment is None:
            continue
        span = _refine_span(
            text, quote, region_start + alignment.dest_start, region_start + alignment.dest_end
        )
        if span and (best is None or span[0] > best[0]):
            best = span
    if best is None or best[0] < min_score:
        return None
    return best


def _candidate_windows(text: str, quote: str) -> list[tuple[int, int]]:
    """Stretches of ``text`` about as long as ``quote`` holding most of its words.

    Words are looked up by prefix, so inflected forms ("заявил"/"заявила") still count,
    and with ``str.find``, which keeps a 1 MB page within the time budget.
    """
    words = [word for word in _WORD.findall(quote) if len(word) >= 3] or _WORD.findall(quote)
    keys = sorted({word[:5] for word in words if word not in _STOPWORDS} or {w[:5] for w in words})
    if not keys:
        return []
    counts = {key: text.count(key) for key in keys}
    present = sorted((key for key in keys if counts[key]), key=lambda key: (counts[key], key))
    # The rarest words pin a passage down; common ones only add hits to walk through.
    informative: list[str] = []
    total_hits = 0
    for key in present:
        if len(informative) >= 3 and total_hits + counts[key] > _MAX_HITS:
            break
        informative.append(key)
        total_hits += counts[key]
    hits: list[tuple[int, int]] = []
    for key_id, key in enumerate(informative):
        position = text.find(key)
        while position != -1:
            if position == 0 or not text[position - 1].isalnum():
                hits.append((position, key_id))
            position = text.find(key, position + 1)
    if not hits:
        return []
    hits.sort()
    width = int(len(quote) * 1.3) + 20
    in_window: Counter[int] = Counter()
    scored: list[tuple[int, int, int]] = []
    left = 0
    for position, key_id in hits:
        in_window[key_id] += 1
        while position - hits[left][0] > width:
            in_window[hits[left][1]] -= 1
            if not in_window[hits[left][1]]:
                del in_window[hits[left][1]]
            left += 1
        scored.append((len(in_window), hits[left][0], position))
    scored.sort(key=lambda item: (-item[0], item[1]))
    windows: list[tuple[int, int]] = []
    for _distinct, start, end in scored:
        if all(
            end < other_start - width or start > other_end + width
            for other_start, other_end in windows
        ):
            windows.append((start, end + len(quote) // 4 + 10))
            if len(windows) == _CANDIDATE_WINDOWS:
                break
    return windows


def _refine_span(text: str, quote: str, start: int, end: int) -> tuple[float, int, int] | None:
    """Snap a rough alignment to word boundaries, keeping the best-scoring span."""
    slack = max(12, len(quote) // 8)
    starts = _word_starts(text, start - slack, start + slack) or [start]
    ends = _word_ends(text, end - slack, end + slack) or [end]
    best: tuple[float, int, int] | None = None
    for span_start in starts:
        for span_end in ends:
            if span_end <= span_start:
                continue
            score = fuzz.ratio(quote, text[span_start:span_end])
            if best is None or score > best[0]:
                best = (score, span_start, span_end)
    if best is None:
        return None
    return (round(best[0], 1), best[1], best[2])


def _word_starts(text: str, low: int, high: int) -> list[int]:
    low, high = max(0, low), min(len(text), high)
    return [
        index
        for index in range(low, high)
        if text[index].isalnum() and (index == 0 or not text[index - 1].isalnum())
    ]


def _word_ends(text: str, low: int, high: int) -> list[int]:
    low, high = max(1, low), min(len(text), high)
    ends = []
    for index in range(low, high + 1):
        before, after = text[index - 1], text[index] if index < len(text) else " "
        if before.isalnum() and not after.isalnum():
            ends.append(index)
            if after not in ' "' and not after.isalnum():
                ends.append(index + 1)
    return ends


def _match(page_text: str, method: str, score: float, start: int, end: int) -> QuoteMatch:
    return QuoteMatch(
        found=True,
        method=method,
        score=score,
        start=start,
        end=end,
        passage=page_text[start:end],
        context_before=page_text[max(0, start - CONTEXT_CHARS) : start],
        context_after=page_text[end : end + CONTEXT_CHARS],
    )
