"""Language guess for a stretch of text: Russian or English, by the letters it uses."""

import re
from collections.abc import Iterator
from typing import Final

_CYRILLIC: Final = re.compile(r"[А-Яа-яЁё]")
_LATIN: Final = re.compile(r"[A-Za-z]")
# Counting every letter of a long paragraph is wasted work: the script settles early.
_SAMPLE: Final = 2000
# Web and e-mail addresses, @handles and #hashtags: Latin letters in any language.
_ADDRESS: Final = re.compile(r"(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|[@#]\w+")

SUPPORTED_LANGUAGES: Final = ("ru", "en")


def detect_language(text: str, default: str = "ru") -> str:
    """Return "ru" when Cyrillic letters outnumber Latin ones, "en" when Latin ones do.

    Text with no letters of either script gets ``default``. The letters of web and
    e-mail addresses, @handles and #hashtags count only when there are no others.
    """
    sample = text[:_SAMPLE]
    # Most lines use one script only; settle those without counting.
    if not _has_latin(sample):
        return "ru" if _CYRILLIC.search(sample) else default
    if not _CYRILLIC.search(sample):
        return "en"
    if "://" in sample or "www." in sample or "@" in sample or "#" in sample:
        # "Подробнее: https://kurgan-city.ru/news/12346" is Russian: its address says
        # nothing of the language it is written in.
        words = _ADDRESS.sub(" ", sample)
        has_cyrillic = _CYRILLIC.search(words) is not None
        if has_cyrillic != _has_latin(words):
            return "ru" if has_cyrillic else "en"
        if has_cyrillic:
            sample = words
    # Both scripts are there: Russian when Cyrillic letters are at least as many as Latin
    # ones. Counting the Cyrillic ones stops once they are; a Russian line with a Latin
    # name settles after a few letters instead of listing all of them.
    latin = len(_LATIN.findall(sample))
    for cyrillic, _ in enumerate(_CYRILLIC.finditer(sample), 1):
        if cyrillic >= latin:
            return "ru"
    return "en"


def _has_latin(sample: str) -> bool:
    # What [A-Za-z] finds, found faster: the ASCII characters alone, where only letters
    # change with case.
    ascii_only = sample.encode("ascii", "ignore")
    return ascii_only.upper() != ascii_only.lower()


# The characters str.splitlines() ends a line at, every one of them white space.
_BREAKS: Final = frozenset("\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029")


def iter_lines(text: str) -> Iterator[tuple[int, int]]:
    """Yield ``(start, end)`` of every non-blank line; line breaks are hard claim boundaries."""
    start = 0
    for piece in text.splitlines(keepends=True):
        length = len(piece)
        # Every piece but perhaps the last ends in one break, "\r\n" counting as one.
        if piece.endswith("\r\n"):
            end = start + length - 2
        elif piece[-1] in _BREAKS:
            end = start + length - 1
        else:
            end = start + length
        # The break is white space too: a piece of white space alone is a blank line.
        if not piece.isspace():
            yield start, end
        start += length
