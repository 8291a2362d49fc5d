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
    PRESENT,
    VERB_LIKE,
    english_flags,
    russian_flags,
)
from .quantities import find_quantities

_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_QUOTED = re.compile(r"«[^«»]*»|„[^„“]*“|“[^“”]*”|\"[^\"]*\"")
_TERMINAL = re.compile(r"[.!?…][)\]»\"”’]*$")
_QUESTION = re.compile(r"\?[)\]»\"”’.]*$")
# A perfective verb after these is a condition or a time clause, not a forecast.
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
    first_person: bool = False


def describe(
    text: str, start: int, language: str, entities: list[dict[str, Any]]
) -> SentenceFeatures:
    """Collect the features of the segment ``text`` found at document offset ``start``."""
    lowered = text.lower()
    words = _WORD.findall(lowered)
    if language == "en":
        words = _split_contractions(words)
    # Markers inside a quotation belong to the person quoted, not to the writer.
    outside = _QUOTED.sub(" ", lowered) if _has_quote(text) else lowered
    outside_words = words if outside is lowered else _WORD.findall(outside)
    if language == "en" and outside is not lowered:
        outside_words = _split_contractions(outside_words)
    markers = list(find_markers(outside_words, language))

    flags_of = english_flags if language == "en" else russian_flags
    past: list[str] = []
    present: list[str] = []
    future: list[str] = []
    has_verb = False
    for index, word in enumerate(words):
        flags = flags_of(word)
        if not flags:
            continue
        if flags & VERB_LIKE:
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
    if any(category == "reporting" for category, _ in markers) or _may_attribute(lowered):
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
        first_person=any(word in _FIRST_PERSON.get(language, ()) for word in outside_words),
    )


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
