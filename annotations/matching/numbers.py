"""Numbers in a claim as plain values, whatever their notation or language.

"5,7 млн", "5.7 million", "5 700 000" and "пять целых семь десятых миллиона" all give
5,700,000; "a third", "треть" and "каждый третий" give 33.3 (a share in percent, as "33%"
would). Figures in digits are read from the text; figures in words from the word lemmas
the caller has already made (see ``words.py``), so that Russian case forms ("двухсот
сорока") need no table of their own.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Final

# A figure in digits: groups of three after a space ("13 100 000") or a comma or dot
# ("437,000"; decided below), or plain digits with a decimal part ("7,4", "5.7").
_FIGURE: Final = re.compile(
    r"(?<![\w.,])(?P<number>\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?!\d)(?:[.,]\d+)?|\d+(?:[.,]\d+)*)"
    r"(?:\s?(?P<scale>тыс\.|тысяч\w*|млн\.?|миллион\w*|млрд\.?|миллиард\w*|трлн\.?"
    r"|триллион\w*|thousands?\b|millions?\b|billions?\b|trillions?\b|mln\b|bln\b))?"
    r"(?P<short>(?<=\d)(?:bn|tn|m|k)\b)?",
    re.IGNORECASE,
)
_SCALE_STEMS: Final = {
    "тыс": 1e3,
    "thousand": 1e3,
    "k": 1e3,
    "млн": 1e6,
    "миллион": 1e6,
    "million": 1e6,
    "mln": 1e6,
    "m": 1e6,
    "млрд": 1e9,
    "миллиард": 1e9,
    "billion": 1e9,
    "bln": 1e9,
    "bn": 1e9,
    "трлн": 1e12,
    "триллион": 1e12,
    "trillion": 1e12,
    "tn": 1e12,
}


def _scale(word: str | None) -> float:
    if not word:
        return 1.0
    word = word.lower().rstrip(".")
    for stem, factor in _SCALE_STEMS.items():
        if word == stem or (len(stem) > 2 and word.startswith(stem)):
            return factor
    return 1.0


def _digits_value(raw: str, language: str) -> float | None:
    """The value of a figure as written: the comma and dot read as a reader would."""
    raw = raw.replace(" ", "").replace("\u00a0", "").replace("\u202f", "")
    separators = [char for char in raw if char in ",."]
    if not separators:
        return float(raw)
    groups = re.split(r"[.,]", raw)
    if len(separators) > 1:
        if len(set(separators)) == 1:
            # "2,300,000" or "1.000.000": the one separator groups thousands.
            return float("".join(groups)) if all(len(g) == 3 for g in groups[1:]) else None
        # "1,234.5" or "1.234,5": the last one is the decimal point.
        whole, fraction = "".join(groups[:-1]), groups[-1]
        return float(f"{whole}.{fraction}")
    whole, fraction = groups
    # One comma before exactly three digits groups thousands in English ("437,000");
    # in Russian, as everywhere with another number of digits, it is a decimal comma.
    if separators[0] == "," and len(fraction) == 3 and language != "ru":
        return float(whole + fraction)
    return float(f"{whole}.{fraction}")


def figures_in_digits(text: str, language: str) -> list[tuple[int, int, float]]:
    """``(start, end, value)`` of each figure written in digits, with its scale word."""
    found = []
    for match in _FIGURE.finditer(text):
        try:
            value = _digits_value(match["number"], language)
        except ValueError:
            value = None
        if value is not None:
            found.append(
                (match.start(), match.end(), value * _scale(match["scale"] or match["short"]))
            )
    return found


# Lemmas of number words: pymorphy2 normal forms in Russian, simplemma's in English.
UNITS: Final = {
    "ноль": 0,
    "один": 1,
    "два": 2,
    "три": 3,
    "четыре": 4,
    "пять": 5,
    "шесть": 6,
    "семь": 7,
    "восемь": 8,
    "девять": 9,
    "десять": 10,
    "одиннадцать": 11,
    "двенадцать": 12,
    "тринадцать": 13,
    "четырнадцать": 14,
    "пятнадцать": 15,
    "шестнадцать": 16,
    "семнадцать": 17,
    "восемнадцать": 18,
    "девятнадцать": 19,
    "двадцать": 20,
    "тридцать": 30,
    "сорок": 40,
    "пятьдесят": 50,
    "шестьдесят": 60,
    "семьдесят": 70,
    "восемьдесят": 80,
    "девяносто": 90,
    "сто": 100,
    "двести": 200,
    "триста": 300,
    "четыреста": 400,
    "пятьсот": 500,
    "шестьсот": 600,
    "семьсот": 700,
    "восемьсот": 800,
    "девятьсот": 900,
    "полтора": 1.5,
    "полтораста": 150,
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
HUNDRED: Final = {"hundred"}
SCALES: Final = {
    "тысяча": 1e3,
    "миллион": 1e6,
    "миллиард": 1e9,
    "триллион": 1e12,
    "thousand": 1e3,
    "million": 1e6,
    "billion": 1e9,
    "trillion": 1e12,
}
# "пять целых семь десятых": the denominator word ends the decimal part.
DENOMINATORS: Final = {"десятый": 0.1, "сотый": 0.01, "тысячный": 0.001}
INTEGER_PART: Final = {"целый"}
POINT: Final = {"point"}
HALF_AFTER: Final = {("с", "половина"), ("and", "half")}
# Shares, as the percentage a figure would give: "half", "треть", "каждый пятый".
SHARES: Final = {
    "половина": 50.0,
    "треть": 100 / 3,
    "четверть": 25.0,
    "half": 50.0,
    "third": 100 / 3,
    "fifth": 20.0,
}
EVERY: Final = {"каждый"}
ORDINAL_SHARES: Final = {"второй": 50.0, "третий": 100 / 3, "четвёртый": 25.0, "пятый": 20.0}
ONE_IN: Final = {"2": 50.0, "3": 100 / 3, "4": 25.0, "5": 20.0, "10": 10.0}
NUMBER_LEMMAS: Final = (
    set(UNITS)
    | HUNDRED
    | set(SCALES)
    | set(DENOMINATORS)
    | INTEGER_PART
    | POINT
    | set(SHARES)
    | {"тыс", "млн", "млрд", "трлн", "bn", "tn", "mln"}
)


def figures_in_words(lemmas: Sequence[str]) -> list[float]:
    """Values of the numbers written in words in a claim's lemmas, in order."""
    values: list[float] = []
    index = 0
    count = len(lemmas)
    while index < count:
        lemma = lemmas[index]
        if lemma in EVERY and index + 1 < count and lemmas[index + 1] in ORDINAL_SHARES:
            values.append(ORDINAL_SHARES[lemmas[index + 1]])
            index += 2
            continue
        if lemma in SHARES:
            before = lemmas[index - 1] if index else ""
            # "Two thirds": the word before counts the shares.
            times = UNITS.get(before, 1) if before not in {"", "a", "one"} else 1
            if lemma != "third" or before in {"a", "one", "two"}:
                values.append(SHARES[lemma] * (times if isinstance(times, int) else 1))
            index += 1
            continue
        if lemma == "one" and index + 2 < count and lemmas[index + 1] == "in":
            share = ONE_IN.get(str(UNITS.get(lemmas[index + 2], lemmas[index + 2])))
            if share is not None:
                values.append(share)
                index += 3
                continue
        if lemma in UNITS and index + 1 < count and lemmas[index + 1] in SHARES:
            index += 1  # "two thirds": counted with the share that follows
            continue
        if lemma in UNITS or (lemma in SCALES and index and lemmas[index - 1] in {"a", "one"}):
            value, index = _read_number(lemmas, index)
            values.append(value)
            continue
        index += 1
    return values


def _read_number(lemmas: Sequence[str], index: int) -> tuple[float, int]:
    """The number in words that starts at ``index``, and the index after it."""
    total = 0.0
    current = 0.0
    value: float | None = None  # set once a decimal part has been read
    integer_part: float | None = None
    after_point = False
    decimals = 0.1
    count = len(lemmas)
    while index < count:
        lemma = lemmas[index]
        if after_point and lemma in UNITS and UNITS[lemma] < 10:
            current += UNITS[lemma] * decimals
            decimals /= 10
        elif lemma in UNITS:
            if value is not None:
                break
            current += UNITS[lemma]
        elif lemma in HUNDRED:
            current = (current or 1) * 100
        elif lemma in SCALES:
            if value is not None:
                value *= SCALES[lemma]
                index += 1
                break
            total += (current or 1) * SCALES[lemma]
            current = 0.0
            if integer_part is not None:
                break
        elif lemma in INTEGER_PART and integer_part is None and value is None:
            integer_part = total + current
            total = current = 0.0
        elif lemma in DENOMINATORS and integer_part is not None:
            value = integer_part + (total + current) * DENOMINATORS[lemma]
            integer_part = None
        elif lemma in POINT and not after_point:
            after_point = True
        elif (lemmas[index - 1], lemma) in HALF_AFTER and value is None:
            current += 0.5
        elif lemma in {"с", "and", "a"} and index + 1 < count:
            following = lemmas[index + 1]
            if following not in UNITS and following not in {"half", "половина", "a"}:
                break
        else:
            break
        index += 1
    if value is None:
        value = (integer_part or 0.0) + total + current
    return value, index


def same_value(a: float, b: float) -> bool:
    """Whether two figures are the same within rounding ("a third" and "33%")."""
    if a == b:
        return True
    return math.isclose(a, b, rel_tol=0.012)


def number_token(value: float) -> str:
    """A search-index word for a figure, the same whatever its notation: two significant
    digits and the power of ten, e.g. 5,700,000 → ``n57e6``, 33.3 and 33 → ``n33e1``.

    Letters and digits only, ending in a digit, so that every full-text tokenizer and
    stemmer leaves it whole. Close figures may share a token: it finds candidates, and
    the matcher then compares the figures themselves.
    """
    mantissa, exponent = f"{abs(value):.1e}".split("e")
    power = int(exponent)
    sign = "m" if power < 0 else ""
    return f"n{mantissa.replace('.', '')}e{sign}{abs(power)}"
