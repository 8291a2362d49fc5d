"""What a scorer gets to see about one sentence: words, verbs, markers, anchors."""

import re
from dataclasses import dataclass, field
from typing import Any

from .attribution import find_attribution
from .dates import find_dates
from .lexicon import find_markers
from .morphology import (
    EXHORTATIVE,
    FUTURE,
    PAST,
    PREDICATE,
    PRESENT,
    english_flags,
    russian_flags,
)
from .quantities import find_quantities

_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_QUOTED = re.compile(r"«[^«»]*»|„[^„“]*“|“[^“”]*”|\"[^\"]*\"")
_ENDS_CLAUSE = re.compile(r"[.!?…:;,][)\]»\"”’]*$")
_CHARACTERISING = re.compile(
    r"(?<![\w-])(?:назвал[аио]?|называ(?:ет|ют)|охарактеризовал[аио]?|called|calls|described)(?![\w-])"
)
_TERMINAL = re.compile(r"[.!?…][)\]»\"”’]*$")
_QUESTION = re.compile(r"\?[)\]»\"”’.]*$")
# A perfective verb after these is a condition or a time clause, not a forecast.
# Finite verbs and predicative forms make a clause; an infinitive alone ("проверить
# запасы") is an instruction or a fragment.
CLAUSE = PAST | PRESENT | FUTURE | PREDICATE
_SUBORDINATORS = frozenset({"когда", "если", "пока", "чтобы", "ли", "как", "лишь", "едва"})
_FIRST_PERSON = {
    "ru": frozenset({"я", "мы", "мне", "нам", "меня", "нас", "мой", "наш", "моя", "наша"}),
    "en": frozenset({"i", "we", "me", "us", "my", "our"}),
}


@dataclass(frozen=True, slots=True)
class SentenceFeatures:
    """Observations about one claim-sized segment, in the document's coordinates."""

    text: str
    start: int
    language: str
    word_count: int
    entities: list[dict[str, Any]] = field(default_factory=list)
    dates: list[dict[str, Any]] = field(default_factory=list)
    quantities: list[dict[str, Any]] = field(default_factory=list)
    attribution: str | None = None
    markers: list[tuple[str, str]] = field(default_factory=list)
    past_verbs: list[str] = field(default_factory=list)
    present_verbs: list[str] = field(default_factory=list)
    future_verbs: list[str] = field(default_factory=list)
    has_verb: bool = False
    is_question: bool = False
    is_complete: bool = False
    is_heading: bool = False
    in_list: bool = False
    first_person: bool = False


def describe(
    text: str,
    start: int,
    language: str,
    entities: list[dict[str, Any]],
    *,
    whole_line: bool = False,
    in_list: bool = False,
) -> SentenceFeatures:
    """Collect the features of the segment ``text`` found at document offset ``start``.

    ``whole_line`` says the segment is alone on its line (so it may be a heading);
    ``in_list`` says it is a list item.
    """
    lowered = text.lower()
    if language == "en":
        # "i.e." would otherwise read as the pronoun "I".
        lowered = lowered.replace("i.e.", "i_e ").replace("e.g.", "e_g ")
    words = _words(lowered, language)
    quoted = _has_quote(text)
    # A quoted word or term ("«русофобии»") is the writer citing others; a quoted
    # statement of several words carries its speaker's stance and still counts.
    outside = _QUOTED.sub(_drop_short_quote, lowered) if quoted else lowered
    outside_words = words if outside is lowered else _words(outside, language)
    markers = list(find_markers(outside_words, language))
    if quoted and _CHARACTERISING.search(lowered):
        markers.append(("opinion", _CHARACTERISING.search(lowered).group() + " «…»"))

    flags_of = english_flags if language == "en" else russian_flags
    past: list[str] = []
    present: list[str] = []
    future: list[str] = []
    has_verb = False
    reporting = any(category == "reporting" for category, _ in markers)
    for index, word in enumerate(words):
        flags = flags_of(word)
        if word == "would" and reporting:
            # Reported future: "announced it would close".
            flags = FUTURE
        if not flags:
            continue
        if flags & CLAUSE:
            has_verb = True
        if flags & PAST:
            past.append(word)
        elif flags & PRESENT:
            present.append(word)
        elif flags & FUTURE and not _after_subordinator(words, index):
            if flags & EXHORTATIVE and index == 0:
                continue
            future.append(word)

    dates = find_dates(text, start)
    quantities = find_quantities(text, start, [(d["start"], d["end"]) for d in dates])
    attribution = None
    if reporting or _may_attribute(lowered):
        attribution = find_attribution(text, language)

    stripped = text.rstrip()
    return SentenceFeatures(
        text=text,
        start=start,
        language=language,
        word_count=len(words),
        entities=entities,
        dates=dates,
        quantities=quantities,
        attribution=attribution,
        markers=markers,
        past_verbs=past,
        present_verbs=present,
        future_verbs=future,
        has_verb=has_verb,
        is_question=bool(_QUESTION.search(stripped)),
        is_complete=bool(_TERMINAL.search(stripped)),
        is_heading=whole_line and not in_list and not _ENDS_CLAUSE.search(stripped),
        in_list=in_list,
        first_person=any(word in _FIRST_PERSON.get(language, ()) for word in outside_words),
    )


def _words(lowered: str, language: str) -> list[str]:
    words = _WORD.findall(lowered)
    return _split_contractions(words) if language == "en" else words


def _drop_short_quote(match: re.Match[str]) -> str:
    return " " if len(match.group().split()) < 4 else match.group()


def _has_quote(text: str) -> bool:
    return any(char in text for char in '«„“"')


def _may_attribute(lowered: str) -> bool:
    # Reporting verbs said inside a quotation ("«…», — сказал он") are still reporting.
    return "сказал" in lowered or "said" in lowered or "заявил" in lowered


def _split_contractions(words: list[str]) -> list[str]:
    result: list[str] = []
    for word in words:
        normalised = word.replace("’", "'")
        if normalised.endswith("'ll"):
            result.extend((normalised[:-3], "will"))
        else:
            result.append(normalised)
    return result


def _after_subordinator(words: list[str], index: int) -> bool:
    return any(word in _SUBORDINATORS for word in words[max(0, index - 4) : index])
