"""Absolute and relative date expressions, with a normalised value where one exists.

Plain regular expressions rather than a grammar library: they run on every sentence
even with entities off, and the forms that matter to fact-checkers are few ("в конце
2020 года", "01.12.2021", "last year", "on 5 May 2019").
"""

import re
from collections.abc import Iterable
from typing import Any, Final

from .lexicon import word_set

_RU_MONTHS: Final = {
    "январ": 1,
    "феврал": 2,
    "март": 3,
    "апрел": 4,
    "ма": 5,
    "июн": 6,
    "июл": 7,
    "август": 8,
    "сентябр": 9,
    "октябр": 10,
    "ноябр": 11,
    "декабр": 12,
}
_EN_MONTHS: Final = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}

_RU_MONTH: Final = (
    r"(?:январ[ьяе]|феврал[ьяе]|марта?|марте|апрел[ьяе]|ма[йяе]|июн[ьяе]|июл[ьяе]"
    r"|августа?|августе|сентябр[ьяе]|октябр[ьяе]|ноябр[ьяе]|декабр[ьяе])"
)
_EN_MONTH: Final = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December|Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)"
)
_YEAR_SOURCE: Final = r"(?:1[6-9]\d\d|20\d\d)"
_RU_PART: Final = r"(?:в\s+(?:начале|конце|середине|первой\s+половине|второй\s+половине)|к\s+концу|с\s+начала|до\s+конца)"  # noqa: E501
_RU_YEAR_WORD: Final = r"(?:году|года|год|гг?\.|годах|годов|годы)"
_RU_SEASON: Final = r"(?:летом|зимой|весной|осенью|(?:этим|прошлым|следующим)\s+(?:летом|осенью|весной)|(?:этой|прошлой|следующей)\s+(?:зимой|весной|осенью))"  # noqa: E501
_RU_RELATIVE: Final = (
    r"(?:в\s+(?:прошлом|этом|текущем|следующем|позапрошлом)\s+(?:году|месяце)"
    r"|на\s+(?:прошлой|этой|следующей)\s+неделе|вчера|позавчера|сегодня|завтра"
    r"|в\s+(?:понедельник|вторник|среду|четверг|пятницу|субботу|воскресенье)"
    r"|(?:несколько|\d+)\s+(?:лет|дней|месяцев|недель)\s+назад)"
)
_EN_RELATIVE: Final = (
    r"(?:(?:last|this|next|past)\s+(?:year|month|week|summer|winter|spring|autumn|fall)"
    r"|yesterday|today|tomorrow|(?:on\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday"
    r"|Saturday|Sunday)|(?:a\s+few|several|\d+)\s+(?:years|days|months|weeks)\s+ago"
    r"|in\s+the\s+(?:summer|winter|spring|autumn|fall))"
)

_DATE: Final = re.compile(
    rf"""
    (?P<dmy>\b(?P<d1>[0-3]?\d)\.(?P<m1>[01]?\d)\.(?P<y1>{_YEAR_SOURCE})\b)
    |(?P<iso>\b(?P<y2>{_YEAR_SOURCE})-(?P<m2>[01]\d)-(?P<d2>[0-3]\d)\b)
    |(?P<ru>(?:(?P<rupart>{_RU_PART})\s+)?(?:(?P<d3>[0-3]?\d)\s+)?(?<![а-яё])(?P<m3>{_RU_MONTH})
        (?:\s+(?P<y3>{_YEAR_SOURCE})(?:\s*{_RU_YEAR_WORD})?)?(?![а-яё]))
    |(?P<ruyear>(?:(?P<rupart2>{_RU_PART})\s+)?(?:в\s+|с\s+|до\s+|к\s+)?
        (?P<y4>{_YEAR_SOURCE})(?:\s*[-–—]\s*(?P<y4b>{_YEAR_SOURCE}))?(?:-?х)?\s*{_RU_YEAR_WORD}(?![а-яё]))
    |(?P<en1>\b(?P<d5>[0-3]?\d)(?:st|nd|rd|th)?\s+(?P<m5>{_EN_MONTH})(?:,?\s+(?P<y5>{_YEAR_SOURCE}))?\b)
    |(?P<en2>\b(?:(?P<en2lead>in|since|by|until|from|during|early|late|mid-)\s+)?(?P<m6>{_EN_MONTH})(?:\s+(?P<d6>[0-3]?\d)(?:st|nd|rd|th)?)?(?:,?\s+(?P<y6>{_YEAR_SOURCE}))?\b)
    |(?P<enyear>\b(?:in|since|by|until|from|before|after|during|of|early|late|mid-?)\s+
        (?:(?:early|late|the\s+end\s+of|the\s+start\s+of)\s+)?(?P<y7>{_YEAR_SOURCE})s?\b)
    |(?P<rurel>(?<![а-яё]){_RU_SEASON}(?:\s+(?P<y8>{_YEAR_SOURCE})\s*{_RU_YEAR_WORD})?(?![а-яё])
        |(?<![а-яё]){_RU_RELATIVE}(?![а-яё]))
    |(?P<enrel>\b{_EN_RELATIVE}\b)
    """,
    re.IGNORECASE | re.VERBOSE,
)
_TOKEN: Final = re.compile(r"\w+")
# "Not after a digit" is checked after the first digit rather than before it: a pattern
# that opens with a look-behind is tried at every character, one that opens with a
# digit lets the engine skip to the digits.
_YEAR: Final = re.compile(r"(?:1(?<!\d1)[6-9]|2(?<!\d2)0)\d\d(?!\d)")
# Words that anchor a date expression; a date is only looked for around one of these or
# around a year, which keeps the large expression above off most of the text. Relative
# dates anchor on their noun ("в прошлом году", "last week"), not on the common adjective.
_ANCHOR_WORDS: Final = word_set(
    """
    январь января январе февраль февраля феврале март марта марте апрель апреля апреле
    май мая мае июнь июня июне июль июля июле август августа августе сентябрь сентября
    сентябре октябрь октября октябре ноябрь ноября ноябре декабрь декабря декабре
    летом зимой весной осенью году месяце неделе вчера позавчера сегодня завтра назад
    понедельник вторник среду четверг
    пятницу субботу воскресенье january february march april may june july august
    september october november december jan feb mar apr jun jul aug sep sept oct nov dec
    year month week yesterday today tomorrow ago summer winter spring autumn fall
    monday tuesday wednesday thursday friday saturday sunday
    """
)
ANCHOR_WORDS: Final = _ANCHOR_WORDS
# Words that may open a date expression before its anchor (a digit may too).
_LEAD_STARTS: Final = word_set(
    """
    в к с до на несколько летом зимой весной осенью этим прошлым следующим этой прошлой
    следующей in since by until from during early late mid before after of last this next
    past a several on the
    """
)
# "в первой половине 2020 года": the longest lead-in is three words before the anchor.
_LEAD_WORDS: Final = 3
_LEAD_CHARS: Final = 32
_DIGIT: Final = re.compile(r"\d")


def find_dates(
    text: str,
    offset: int = 0,
    words: Iterable[str] | None = None,
    *,
    lowered: str | None = None,
    digits: bool | None = None,
) -> list[dict[str, Any]]:
    """Return date expressions in ``text``; offsets are shifted by ``offset``.

    ``words``, the lower-case words of ``text``, ``lowered``, the text in lower case,
    and ``digits``, whether it holds a digit, spare the work when the caller has them.
    """
    if lowered is None or len(lowered) != len(text):
        lowered = text.lower()
        if len(lowered) != len(text):
            # Lower-casing changed the length (rare scripts): search the original instead.
            lowered = text
    present = _ANCHOR_WORDS.intersection(words if words is not None else _TOKEN.findall(lowered))
    if digits is None:
        digits = _has_digit(text)
    anchors = [match.start() for match in _YEAR.finditer(text)] if digits else []
    for word in present:
        anchors.extend(_whole_word_positions(lowered, word))
    if not anchors:
        return []
    anchors.sort()
    dates = []
    covered = 0
    for anchor in anchors:
        if anchor < covered:
            continue
        match = _match_around(text, lowered, anchor, covered)
        if match is None:
            continue
        covered = match.end()
        surface = match.group().rstrip()
        value = _normalise(match)
        if not surface or value is None:
            continue
        dates.append(
            {
                "start": offset + match.start(),
                "end": offset + match.start() + len(surface),
                "text": surface,
                "value": value,
            }
        )
    return dates


def _has_digit(text: str) -> bool:
    return _DIGIT.search(text) is not None


def _whole_word_positions(lowered: str, word: str) -> list[int]:
    positions = []
    found = lowered.find(word)
    while found != -1:
        end = found + len(word)
        if (found == 0 or not lowered[found - 1].isalnum()) and (
            end == len(lowered) or not lowered[end].isalnum()
        ):
            positions.append(found)
        found = lowered.find(word, end)
    return positions


def _match_around(text: str, lowered: str, anchor: int, covered: int) -> re.Match[str] | None:
    window = max(covered, anchor - _LEAD_CHARS)
    # Try the earliest plausible start first so that lead-ins ("в конце") are kept; only
    # a digit or a lead word can open a date expression.
    leads = [
        match.start()
        for match in _TOKEN.finditer(lowered, window, anchor)
        if match.group() in _LEAD_STARTS or match.group()[0].isdigit()
    ]
    for start in [*leads[-_LEAD_WORDS:], anchor]:
        match = _DATE.match(text, start)
        if match is not None and match.end() > anchor:
            return match
    return None


def _normalise(match: re.Match[str]) -> dict[str, Any] | None:
    # Each alternative of the expression is one named group around everything it
    # matches, so the group that closed last names the alternative; only its own groups
    # need reading.
    group = match.group
    kind = match.lastgroup
    if kind == "dmy":
        return _checked(int(group("y1")), int(group("m1")), int(group("d1")))
    if kind == "iso":
        return _checked(int(group("y2")), int(group("m2")), int(group("d2")))
    if kind == "ru":
        partial = _partial(group("y3"), _ru_month(group("m3")), group("d3"))
        return _with_part(partial, group("rupart"))
    if kind == "ruyear":
        value: dict[str, Any] = {"year": int(group("y4"))}
        if group("y4b"):
            value["year_end"] = int(group("y4b"))
        return _with_part(value, group("rupart2"))
    if kind == "en1":
        return _partial(group("y5"), _en_month(group("m5")), group("d5"))
    if kind == "en2":
        # "May" alone is far more often a verb than a month, unless it is "in May".
        month_name = group("m6")
        bare_may = month_name.lower() == "may" and not (group("d6") or group("y6"))
        if bare_may and not (group("en2lead") and month_name == "May"):
            return None
        return _partial(group("y6"), _en_month(month_name), group("d6"))
    if kind == "enyear":
        return {"year": int(group("y7"))}
    if kind == "rurel":
        value = {"relative": _relative_name(match.group())}
        if group("y8"):
            value["year"] = int(group("y8"))
        return value
    return {"relative": _relative_name(match.group())}


def _checked(year: int, month: int, day: int) -> dict[str, Any] | None:
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return {"year": year, "month": month, "day": day}


def _partial(year: str | None, month: int, day: str | None) -> dict[str, Any]:
    value: dict[str, Any] = {}
    if year:
        value["year"] = int(year)
    value["month"] = month
    if day and 1 <= int(day) <= 31:
        value["day"] = int(day)
    return value


def _with_part(value: dict[str, Any], part: str | None) -> dict[str, Any]:
    if part:
        lowered = " ".join(part.lower().split())
        for key, name in (
            ("начал", "start"),
            ("конц", "end"),
            ("середин", "middle"),
            ("первой", "first_half"),
            ("второй", "second_half"),
        ):
            if key in lowered:
                value["part"] = name
                break
    return value


# Longest stems first: "март" before "ма".
_RU_MONTH_STEMS: Final = sorted(_RU_MONTHS.items(), key=lambda item: -len(item[0]))


def _ru_month(word: str) -> int:
    lowered = word.lower()
    for stem, number in _RU_MONTH_STEMS:
        if lowered.startswith(stem):
            return number
    return 0


def _en_month(word: str) -> int:
    return _EN_MONTHS.get(word.lower().rstrip("."), 0)


def _relative_name(surface: str) -> str:
    return " ".join(surface.lower().split())
