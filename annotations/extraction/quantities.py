"""Numbers with their scale and unit: "2,1%", "$5 million", "150 тыс. человек"."""

import re
from typing import Any

_NUMBER = r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)*"
_SCALE = (
    r"тыс\.|тысяч[аиу]?|млн\.?|миллион(?:а|ов)?|млрд\.?|миллиард(?:а|ов)?|трлн\.?"
    r"|триллион(?:а|ов)?|thousand|million|billion|trillion|bn|m\b|k\b"
)
_UNIT = (
    r"%|процент(?:а|ов)?|percent|per\s+cent|руб(?:\.|л(?:ь|я|ей))?|₽|доллар(?:а|ов)?"
    r"|долл\.|евро|тенге|юан(?:ь|я|ей)|dollars?|euros?|pounds?|yuan|rubles?|roubles?"
    r"|человек|people|persons?|жител(?:ь|я|ей)|residents?|тонн?|tonnes?|tons?|км|кг|km|kg"
    r"|кв\.\s*м|метр(?:а|ов)?|metres?|meters?|миль|miles?|лет|года?|years?|дн(?:я|ей)|days?"
    r"|раз(?:а)?|times|голос(?:а|ов)?|votes?|мест(?:а)?|seats?|баррел(?:ь|я|ей)|barrels?"
)
_QUANTITY = re.compile(
    rf"(?P<currency>[$€£₽]\s?)?(?<![\w.,])(?P<number>{_NUMBER})(?![\w.,]\d)"
    rf"(?:\s?(?P<scale>{_SCALE}))?(?:\s?(?P<unit>{_UNIT}))?",
    re.IGNORECASE,
)
_NUMBER_WORDS = re.compile(
    r"(?<![\w-])(?:полтора|полторы|два|две|три|четыре|пять|шесть|семь|восемь|девять|десять"
    r"|двадцать|тридцать|сто|двести|тысяча|тысячи|миллион|миллиона|миллиард|half|two|three"
    r"|four|five|six|seven|eight|nine|ten|twenty|thirty|hundred|thousand|million|billion"
    r"|dozens|hundreds|thousands|millions)(?![\w-])",
    re.IGNORECASE,
)


def find_quantities(
    text: str, offset: int = 0, skip: list[tuple[int, int]] | None = None
) -> list[dict[str, Any]]:
    """Return numbers in ``text`` with optional scale and unit.

    Spans in ``skip`` (document offsets, e.g. dates already found) are not reported
    again as bare numbers.
    """
    skip = skip or []
    found = []
    if any(char.isdigit() for char in text):
        for match in _QUANTITY.finditer(text):
            start = offset + match.start()
            if any(a <= start < b for a, b in skip):
                continue
            surface = match.group().rstrip()
            found.append(
                {
                    "start": start,
                    "end": start + len(surface),
                    "text": surface,
                    "value": _value(match),
                    "unit": _unit(match),
                }
            )
    taken = [(item["start"], item["end"]) for item in found]
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
    found.sort(key=lambda item: item["start"])
    return found


_SCALES = {
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


def _value(match: re.Match[str]) -> float | None:
    raw = re.sub(r"[ \u00a0\u202f]", "", match["number"])
    if raw.count(",") == 1 and "." not in raw:
        raw = raw.replace(",", ".")
    try:
        number = float(raw)
    except ValueError:
        return None
    scale = (match["scale"] or "").lower().rstrip(".")
    for stem, factor in _SCALES.items():
        if scale and (scale == stem or (len(stem) > 2 and scale.startswith(stem))):
            return number * factor
    return number


def _unit(match: re.Match[str]) -> str | None:
    if match["currency"]:
        return match["currency"].strip()
    unit = match["unit"]
    return " ".join(unit.lower().split()) if unit else None
