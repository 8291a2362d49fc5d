"""Language guess for a stretch of text: Russian or English, by the letters it uses."""

import re
from collections.abc import Iterator

_CYRILLIC = re.compile(r"[А-Яа-яЁё]")
_LATIN = re.compile(r"[A-Za-z]")
# Counting every letter of a long paragraph is wasted work: the script settles early.
_SAMPLE = 2000

SUPPORTED_LANGUAGES = ("ru", "en")


def detect_language(text: str, default: str = "ru") -> str:
    """Return "ru" when Cyrillic letters outnumber Latin ones, "en" when Latin ones do.

    Text with no letters of either script gets ``default``.
    """
    sample = text[:_SAMPLE]
    # Most lines use one script only; settle those without counting.
    if not _LATIN.search(sample):
        return "ru" if _CYRILLIC.search(sample) else default
    if not _CYRILLIC.search(sample):
        return "en"
    # Both scripts are there: Russian when Cyrillic letters are at least as many as Latin
    # ones. Counting the Cyrillic ones stops once they are; a Russian line with a Latin
    # name settles after a few letters instead of listing all of them.
    latin = len(_LATIN.findall(sample))
    for cyrillic, _ in enumerate(_CYRILLIC.finditer(sample), 1):
        if cyrillic >= latin:
            return "ru"
    return "en"


# The same characters str.splitlines() treats as line ends. Written as one break and
# then any more, not as a run: an expression that opens with a single character class
# lets the engine skip ahead to the next break instead of trying every character.
_BREAK = r"[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]"
_LINE_BREAK = re.compile(f"{_BREAK}{_BREAK}*")


def iter_lines(text: str) -> Iterator[tuple[int, int]]:
    """Yield ``(start, end)`` of every non-blank line; line breaks are hard claim boundaries."""
    start = 0
    for match in _LINE_BREAK.finditer(text):
        if not text[start : match.start()].isspace() and match.start() > start:
            yield start, match.start()
        start = match.end()
    if start < len(text) and not text[start:].isspace():
        yield start, len(text)
