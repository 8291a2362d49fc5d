"""List markers inside a line: "1. … 2. …", "1) …", "а) …", "(b) …", bullets and dashes.

A marker found in running text only counts when it belongs to a run of consecutive
markers of the same style ("1." then "2."), and the run begins where a sentence could
begin. That keeps "статья 5. Далее" or "grew 2. Then" from being read as a list, while
still catching "…когда решит что это необходимо 2. Таким образом…", where the writer
forgot the full stop before the next item.
"""

import re
from dataclasses import dataclass
from typing import Final

_RU_LETTERS: Final = "абвгдежзиклмнопрстуфхцчшщэюя"
_EN_LETTERS: Final = "abcdefghijklmnopqrstuvwxyz"

_MARKER: Final = re.compile(
    r"(?<![\w.,\-/])"
    r"(?:(?P<num>\d{1,2})(?P<numsep>[.)])"
    r"|(?P<let>[а-яa-zА-ЯA-Z])\)"
    r"|\((?P<pnum>\d{1,2})\)"
    r"|\((?P<plet>[а-яa-z])\)"
    r")(?=\s+\S)",
)
# Emoji and pictographs, with their modifiers and joiners.
PICTOGRAPHS: Final = "\u2600-\u27bf\u2b00-\u2bff\U0001f000-\U0001faff"
# Bullets, dashes and Roman section numbers ("II. Основная часть") at a line start; a
# keycap digit ("1️⃣ …") numbers an item, and a pictograph before a dash ("👍 — да")
# stands for the option the item names.
_BULLET: Final = re.compile(
    r"\s*(?:[-–—*+]\s+|[•▪●○◦‣⁃·■□➢►✓✔]\s*|[IVXLC]{1,6}\.\s+(?=[A-ZА-ЯЁ«\"\d])"
    r"|\d{1,2}\ufe0f?\u20e3\s*"
    rf"|[{PICTOGRAPHS}][{PICTOGRAPHS}\ufe0f\u200d]*\s*[—–-]\s+)"
)
_SENTENCE_BEFORE: Final = re.compile(r"(?:[.:;!?…]|[.!?…][»\"”’)])\s*$")
_COLON_BEFORE: Final = re.compile(r":\s*$")


@dataclass(frozen=True, slots=True)
class Marker:
    """A list marker at ``start``; the item text begins at ``end`` (after the spaces)."""

    start: int
    end: int


def _style_and_value(match: re.Match[str]) -> tuple[str, int]:
    if match["num"]:
        return "num" + match["numsep"], int(match["num"])
    if match["pnum"]:
        return "(num)", int(match["pnum"])
    letter = match["let"] or match["plet"]
    style = "let)" if match["let"] else "(let)"
    if letter.isupper():
        style, letter = style + "upper", letter.lower()
    alphabet = _RU_LETTERS if letter in _RU_LETTERS else _EN_LETTERS
    script = "ru" if alphabet is _RU_LETTERS else "en"
    return f"{style}{script}", alphabet.find(letter) + 1


def _item_end(line: str, marker_end: int) -> int:
    position = marker_end
    while position < len(line) and line[position].isspace():
        position += 1
    return position


def _may_start_item(line: str, style: str, item_start: int) -> bool:
    # "1. первое" at a line start is a list, but inline "пункт 1. статьи" is not;
    # numbered items with a full stop must look like a new sentence.
    if not style.startswith("num."):
        return True
    first = line[item_start] if item_start < len(line) else ""
    return not first.islower()


def find_markers(line: str, lead_in: bool = False) -> list[Marker]:
    """Return the list markers of one line, in order.

    ``lead_in`` says the line before announced a list (it ends in a colon) or was an
    item itself, so a number opening this line marks an item even before a lower-case
    word ("1. unplug the heater;").
    """
    markers: list[Marker] = []
    bullet = _BULLET.match(line)
    if bullet and bullet.end() < len(line) and not line[bullet.end() :].isspace():
        markers.append(Marker(_leading_space(line), bullet.end()))

    candidates = []
    for match in _marker_matches(line):
        style, value = _style_and_value(match)
        if value <= 0:
            continue
        item_start = _item_end(line, match.end())
        upper = _may_start_item(line, style, item_start)
        at_line_start = line[: match.start()].strip() == "" or (
            bool(markers) and match.start() == markers[0].end
        )
        before = max(0, match.start() - 8)
        if upper:
            may_open = at_line_start or bool(_SENTENCE_BEFORE.search(line, before, match.start()))
        else:
            # "пункт 1. статьи": before a lower-case word a number opens a run only
            # where a colon announced it ("требования: 1. публиковать … 2. …") or at the
            # start of a line that continues a list.
            may_open = (at_line_start and lead_in) or bool(
                _COLON_BEFORE.search(line, before, match.start())
            )
        candidates.append((match.start(), item_start, style, value, at_line_start, may_open, upper))

    accepted: set[int] = set()
    for index, (_start, _end, style, value, at_line_start, may_open, upper) in enumerate(
        candidates
    ):
        if at_line_start and (upper or lead_in):
            accepted.add(index)
        if not may_open:
            continue
        # Follow the run 1, 2, 3… of the same style from a place a sentence may begin; a
        # run that opens in upper case takes only items that do too.
        expected = value + 1
        run = [index]
        for later in range(index + 1, len(candidates)):
            if (
                candidates[later][2] == style
                and candidates[later][3] == expected
                and (candidates[later][6] or not upper)
            ):
                run.append(later)
                expected += 1
        if len(run) >= 2:
            accepted.update(run)

    for index in sorted(accepted):
        start, item_start = candidates[index][0], candidates[index][1]
        if markers and start < markers[0].end:
            continue
        markers.append(Marker(start, item_start))
    markers.sort(key=lambda marker: marker.start)
    return markers


def _marker_matches(line: str) -> list[re.Match[str]]:
    """What ``_MARKER.finditer(line)`` finds, tried only where a marker may start.

    Every marker ends in "." or ")" at most four characters from its start, so only
    the few places before one need trying; the expression opens with a look-behind,
    which the engine would otherwise try at every character of the line.
    """
    starts: set[int] = set()
    for closer in ".)":
        position = line.find(closer)
        while position != -1:
            starts.update(range(max(0, position - 3), position))
            position = line.find(closer, position + 1)
    matches = []
    covered = 0
    for start in sorted(starts):
        if start < covered:
            continue
        match = _MARKER.match(line, start)
        if match is not None:
            matches.append(match)
            covered = match.end()
    return matches


def _leading_space(line: str) -> int:
    return len(line) - len(line.lstrip())
