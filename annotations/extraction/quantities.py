"""Numbers with their scale and unit: "2,1%", "$5 million", "150 тыс. человек"."""

import re
from collections.abc import Iterable
from operator import itemgetter
from typing import Any, Final

from .lexicon import word_set

# Starts with a bare digit so the regex engine can skip ahead to digits; the look-behind
# after it rejects digits glued to a word or to another number.
_NUMBER: Final = r"\d(?<![\w.,]\d)(?:\d{0,2}(?:[ \u00a0\u202f]\d{3})+(?:[.,]\d+)?|\d*(?:[.,]\d+)*)"
_SCALE: Final = (
    r"тыс\.|тысяч[аиу]?|млн\.?|миллион(?:а|ов)?|млрд\.?|миллиард(?:а|ов)?|трлн\.?"
    r"|триллион(?:а|ов)?|thousand|million|billion|trillion|bn|m\b|k\b"
)
_UNIT: Final = (
    r"%|процент(?:а|ов)?|percent|per\s+cent|руб(?:\.|л(?:ь|я|ей))?|₽|доллар(?:а|ов)?"
    r"|долл\.|евро|тенге|юан(?:ь|я|ей)|dollars?|euros?|pounds?|yuan|rubles?|roubles?"
    r"|человек|people|persons?|жител(?:ь|я|ей)|residents?|тонн?|tonnes?|tons?|км|кг|km|kg"
    r"|кв\.\s*м|метр(?:а|ов)?|metres?|meters?|миль|miles?|лет|года?|years?|дн(?:я|ей)|days?"
    r"|раз(?:а)?|times|голос(?:а|ов)?|votes?|мест(?:а)?|seats?|баррел(?:ь|я|ей)|barrels?"
)


def _opening(alternation: str) -> str:
    """A look-ahead for the characters the top-level alternatives of ``alternation`` open with.

    The engine tries alternatives one by one; after most numbers no scale or unit
    follows, and one character test then spares it the sixty tries. Every alternative
    opens with a plain character, so the look-ahead admits exactly the places where one
    of them may match.
    """
    depth = 0
    openings = {alternation[0]}
    for index, char in enumerate(alternation):
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            openings.add(alternation[index + 1])
    assert not openings & set("\\([."), openings
    return "(?=[" + "".join(re.escape(char) for char in sorted(openings)) + "])"


_QUANTITY: Final = re.compile(
    rf"(?P<number>{_NUMBER})(?![\w.,]\d)"
    rf"(?:\s?{_opening(_SCALE)}(?P<scale>{_SCALE}))?"
    rf"(?:\s?{_opening(_UNIT)}(?P<unit>{_UNIT}))?",
    re.IGNORECASE,
)
_DIGIT: Final = re.compile(r"\d")
# Word forms that may start a number written in words; checked before the expression.
NUMBER_WORD_FORMS: Final = word_set(
    """
    полтора полторы два две три четыре пять шесть семь восемь девять десять двадцать
    тридцать сто двести тысяча тысячи миллион миллиона миллиард half two three four five
    six seven eight nine ten twenty thirty hundred thousand million billion dozens
    hundreds thousands millions
    """
)
_NUMBER_WORDS: Final = re.compile(
    r"(?<![\w-])(?:полтора|полторы|два|две|три|четыре|пять|шесть|семь|восемь|девять|десять"
    r"|двадцать|тридцать|сто|двести|тысяча|тысячи|миллион|миллиона|миллиард|half|two|three"
    r"|four|five|six|seven|eight|nine|ten|twenty|thirty|hundred|thousand|million|billion"
    r"|dozens|hundreds|thousands|millions)(?![\w-])",
    re.IGNORECASE,
)


def find_quantities(
    text: str,
    offset: int = 0,
    skip: list[tuple[int, int]] | None = None,
    words: Iterable[str] | None = None,
    *,
    digits: bool | None = None,
) -> list[dict[str, Any]]:
    """Return numbers in ``text`` with optional scale and unit.

    Spans in ``skip`` (document offsets, e.g. dates already found) are not reported
    again as bare numbers. ``words``, the lower-case words of ``text`` if the caller has
    them, spare a search for numbers written in words when there can be none; so does
    ``digits``, whether ``text`` holds a digit, for the search for numbers in figures.
    """
    skip = skip or []
    found: list[dict[str, Any]] = []
    if digits is None:
        digits = _DIGIT.search(text) is not None
    if digits:
        for match in _QUANTITY.finditer(text):
            start = offset + match.start()
            currency = _currency_before(text, match.start())
            if currency:
                start -= len(currency)
                surface = (currency + match.group()).rstrip()
            else:
                surface = match.group().rstrip()
            if skip and any(a <= start < b for a, b in skip):
                continue
            found.append(
                {
                    "start": start,
                    "end": start + len(surface),
                    "text": surface,
                    "value": _value(match),
                    "unit": currency.strip() or _unit(match),
                }
            )
    if NUMBER_WORD_FORMS.isdisjoint(words if words is not None else text.lower().split()):
        found.sort(key=_START)
        return found
    taken: list[tuple[int, int]] = [(item["start"], item["end"]) for item in found]
    for match in _NUMBER_WORDS.finditer(text):
        start = offset + match.start()
        if any(a <= start < b for a, b in taken):
            continue
        found.append(
            {
                "start": start,
                "end": offset + match.end(),
                "text": match.group(),
                "value": None,
                "unit": None,
            }
        )
    found.sort(key=_START)
    return found


_START: Final = itemgetter("start")
_SCALES: Final = {
    "тыс": 1e3,
    "тысяч": 1e3,
    "thousand": 1e3,
    "k": 1e3,
    "млн": 1e6,
    "миллион": 1e6,
    "million": 1e6,
    "m": 1e6,
    "млрд": 1e9,
    "миллиард": 1e9,
    "billion": 1e9,
    "bn": 1e9,
    "трлн": 1e12,
    "триллион": 1e12,
    "trillion": 1e12,
}


def _currency_before(text: str, position: int) -> str:
    """A currency sign right before the number ("$5", "€ 10"), with its space."""
    if position and text[position - 1] in _CURRENCY:
        return text[position - 1]
    if position > 1 and text[position - 1] == " " and text[position - 2] in _CURRENCY:
        return text[position - 2 : position]
    return ""


_CURRENCY: Final = "$€£₽"


def _value(match: re.Match[str]) -> float | None:
    raw = match["number"]
    if raw.isdecimal():
        # Most numbers are plain digits: nothing to clean up, no separator to read.
        number = float(raw)
    else:
        raw = raw.replace(" ", "").replace("\u00a0", "").replace("\u202f", "")
        if raw.count(",") == 1 and "." not in raw:
            raw = raw.replace(",", ".")
        try:
            number = float(raw)
        except ValueError:
            return None
    scale = match["scale"]
    if not scale:
        return number
    scale = scale.lower().rstrip(".")
    for stem, factor in _SCALES.items():
        if scale == stem or (len(stem) > 2 and scale.startswith(stem)):
            return number * factor
    return number


def _unit(match: re.Match[str]) -> str | None:
    unit = match["unit"]
    return " ".join(unit.lower().split()) if unit else None
