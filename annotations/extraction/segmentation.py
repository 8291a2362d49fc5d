"""Split a document into claim-sized segments with exact offsets.

Sentence boundaries come from field-made splitters (razdel for Russian, pysbd for
English), run line by line because line breaks are hard boundaries. Their output is then
corrected where they are known to slip: boundaries inside URLs, numbers and quotes, after
abbreviations and initials are dropped, and list markers add boundaries of their own.
"""

import re
from dataclasses import dataclass
from functools import lru_cache

from razdel import sentenize

from .abbreviations import MAYBE_FINAL, NEVER_FINAL
from .enumeration import Marker, find_markers
from .language import detect_language, iter_lines


@dataclass(frozen=True, slots=True)
class Segment:
    """One claim-sized piece of the document: ``text[start:end]``, in ``language``."""

    start: int
    end: int
    language: str
    listed: bool = False  # it follows a list marker or bullet
    whole_line: bool = False  # nothing else shares its line: a heading, caption or item


_PROTECTED = re.compile(
    r"(?:https?://|ftp://|www\.)[^\s<>«»\"]+"
    r"|[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+"
    r"|\d+(?:[.,:]\d+)+",
)
_URL_TAIL = ".,;:!?)]}'’”"
_LAST_TOKENS = re.compile(r"(\S+)(\s+)(\S+)$|(\S+)$")
_INITIALS = re.compile(r"^[(«\"“„']?(?:[A-ZА-ЯЁ]\.){1,3}$")
_HAS_CONTENT = re.compile(r"\w")
_LONE_MARKER = re.compile(r"\(?(?:\d{1,2}|[а-яa-z])[.)]")

_QUOTE_PAIRS = {"«": "»", "„": "“", "“": "”", "‹": "›"}


def split_segments(text: str, language: str | None = None) -> list[Segment]:
    """Return the claim-sized segments of ``text`` in order, never overlapping.

    Each segment is stripped of list markers and surrounding whitespace and holds at
    least one letter or digit. ``language`` forces "ru" or "en"; otherwise every line
    is judged by its own letters, so a mixed document is split with the right tool.
    """
    default = language or detect_language(text)
    segments: list[Segment] = []
    for line_start, line_end in iter_lines(text):
        line = text[line_start:line_end]
        line_language = language or detect_language(line, default)
        pieces = split_line(line, line_language)
        for start, end, listed in pieces:
            segments.append(
                Segment(
                    line_start + start,
                    line_start + end,
                    line_language,
                    listed=listed,
                    whole_line=len(pieces) == 1,
                )
            )
    return segments


def split_line(line: str, language: str) -> list[tuple[int, int, bool]]:
    """Split one line (no line breaks inside) into stripped ``(start, end, listed)`` pieces.

    ``listed`` tells whether the piece followed a list marker.
    """
    boundaries = _library_boundaries(line, language)
    if len(boundaries) > 1:
        boundaries = _drop_false_boundaries(line, boundaries)
    markers = find_markers(line) if _may_hold_marker(line) else []
    return _cut(line, boundaries, markers)


def _may_hold_marker(line: str) -> bool:
    # A cheap guard: most sentences hold neither a bullet nor a "1." / "a)" marker.
    head = line.lstrip()[:1]
    return head in "-–—*+•▪●○◦‣⁃·■□➢►✓✔" or ")" in line or bool(_DIGIT_DOT.search(line))


_DIGIT_DOT = re.compile(r"\d\.\s")


def _library_boundaries(line: str, language: str) -> list[int]:
    """Return the start offsets of the sentences the library finds, 0 first."""
    if language == "en":
        return _english_boundaries(line)
    starts = [sentence.start for sentence in sentenize(line)]
    return [0, *starts[1:]]


def _english_boundaries(line: str) -> list[int]:
    boundaries = [0]
    cursor = 0
    for sentence in _english_segmenter().segment(line):
        piece = sentence.strip()
        if not piece:
            continue
        # pysbd's own offsets drift on repeated sentences; find each piece ourselves.
        found = line.find(piece, cursor)
        if found == -1:
            continue
        if found > 0:
            boundaries.append(found)
        cursor = found + len(piece)
    return boundaries


@lru_cache(maxsize=1)
def _english_segmenter():
    import pysbd

    return pysbd.Segmenter(language="en", clean=False)


def _drop_false_boundaries(line: str, boundaries: list[int]) -> list[int]:
    protected = [
        (match.start(), match.end() - _trailing_punctuation(match.group()))
        for match in _PROTECTED.finditer(line)
    ]
    quoted = _quoted_regions(line)
    kept = [boundaries[0]]
    for boundary in boundaries[1:]:
        if any(start < boundary < end for start, end in protected):
            continue
        if any(start < boundary <= end for start, end in quoted):
            continue
        if _joins_abbreviation(line, boundary):
            continue
        kept.append(boundary)
    return kept


def _trailing_punctuation(token: str) -> int:
    return len(token) - len(token.rstrip(_URL_TAIL))


def _joins_abbreviation(line: str, boundary: int) -> bool:
    """True when the text before ``boundary`` ends in an abbreviation or initial."""
    before = line[:boundary].rstrip()
    if not before.endswith("."):
        return False
    after = line[boundary:].lstrip()
    following = after[:1]
    next_token = after.split(maxsplit=1)[0] if after else ""
    # "No. G.17", "гг. XX–XXI": a number-like token after the stop continues the sentence.
    continues = following.islower() or any(char.isdigit() for char in next_token)
    match = _LAST_TOKENS.search(before)
    if match is None:
        return False
    last = (match.group(3) or match.group(4)).lower().lstrip("(«\"“„'")
    candidates = [last]
    if match.group(1):
        # "т. д." and "e. g." are written with a space as often as without.
        candidates.insert(0, match.group(1).lower().lstrip("(«\"“„'") + last)
    for candidate in candidates:
        if candidate in NEVER_FINAL:
            return True
        if candidate in MAYBE_FINAL:
            return continues
    token = match.group(3) or match.group(4)
    if _INITIALS.match(token) and following[:1].isupper():
        return True
    # Real sentences start with a capital, a digit or a quote; a lower-case start after
    # a full stop means the full stop belonged to something else.
    return following.islower()


def _quoted_regions(line: str) -> list[tuple[int, int]]:
    """Return ``(open, close)`` offsets of balanced quotations in the line."""
    regions: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []
    straight_open: int | None = None
    russian_low_quotes = "„" in line
    for position, char in enumerate(line):
        if char == '"':
            if straight_open is None:
                straight_open = position
            else:
                regions.append((straight_open, position))
                straight_open = None
            continue
        closer = _QUOTE_PAIRS.get(char)
        if char == "“" and russian_low_quotes and stack and stack[-1][0] == "„":
            closer = None
        if closer is not None:
            stack.append((char, position))
            continue
        for index in range(len(stack) - 1, -1, -1):
            if _QUOTE_PAIRS[stack[index][0]] == char:
                regions.append((stack[index][1], position))
                del stack[index:]
                break
    return regions


def _cut(line: str, boundaries: list[int], markers: list[Marker]) -> list[tuple[int, int, bool]]:
    cuts = set(boundaries)
    skip_to: dict[int, int] = {}
    for marker in markers:
        # A library boundary between the marker and its item would strand the marker.
        cuts.difference_update(range(marker.start + 1, marker.end + 1))
        cuts.add(marker.start)
        skip_to[marker.start] = marker.end
    ordered = sorted(cuts)
    pieces: list[tuple[int, int, bool]] = []
    for index, cut in enumerate(ordered):
        end = ordered[index + 1] if index + 1 < len(ordered) else len(line)
        start = skip_to.get(cut, cut)
        piece = line[start:end]
        stripped = piece.strip()
        if not stripped or not _HAS_CONTENT.search(stripped) or _LONE_MARKER.fullmatch(stripped):
            continue
        offset = start + (len(piece) - len(piece.lstrip()))
        pieces.append((offset, offset + len(stripped), cut in skip_to))
    return pieces
