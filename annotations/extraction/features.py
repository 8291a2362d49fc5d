"""What a scorer gets to see about one sentence: words, verbs, markers, anchors."""

import re
from typing import Any, NamedTuple

from .attribution import find_attribution
from .dates import find_dates
from .lexicon import find_markers
from .morphology import (
    EXHORTATIVE,
    FUTURE,
    PAST,
    PREDICATE,
    PRESENT,
    RUSSIAN_FLAGS,
    english_flags,
    russian_flags,
)
from .quantities import NUMBER_WORD_FORMS as _NUMBER_WORD_FORMS
from .quantities import find_quantities

# Letters of the supported languages only: a general Unicode class is twice as slow, and
# words in other scripts carry no marker or verb the rules could use.
_LETTERS = "а-яёa-zà-öø-ÿіїєґәғқңөұүһ"
_WORD = re.compile(rf"[{_LETTERS}]+(?:[-'’][{_LETTERS}]+)*")
_QUOTED = re.compile(r"«[^«»]*»|„[^„“]*“|“[^“”]*”|\"[^\"]*\"")
_CHARACTERISING = re.compile(
    r"(?<![\w-])(?:назвал[аио]?|называ(?:ет|ют)|охарактеризовал[аио]?|called|calls|described)(?![\w-])"
)
_DIGIT = re.compile(r"\d")
# Web addresses, bare domains and e-mail addresses: a pointer a checker can follow.
_REFERENCE = re.compile(
    r"(?:https?://|www\.)[^\s<>«»\"()]+[^\s<>«»\"().,;:!?]"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?:ru|com|org|net|gov|edu|kz|by|ua|uk|de|io|рф)\b"
)
# Words an address splits into ("amurobl.ru" → "amurobl", "ru"): a cheap test first.
_REFERENCE_WORDS = frozenset(
    {"http", "https", "www", "ru", "com", "org", "net", "gov", "edu", "kz", "by", "ua", "uk"}
    | {"de", "io", "рф"}
)
_CLOSERS = ")]»\"”’' \t"
_SENTENCE_ENDS = frozenset(".!?…")
_CLAUSE_ENDS = frozenset(".!?…:;,")
# A perfective verb after these is a condition or a time clause, not a forecast.
# Finite verbs and predicative forms make a clause; an infinitive alone ("проверить
# запасы") is an instruction or a fragment.
CLAUSE = PAST | PRESENT | FUTURE | PREDICATE
_SUBORDINATORS = frozenset({"когда", "если", "пока", "чтобы", "ли", "как", "лишь", "едва"})
_FIRST_PERSON = {
    "ru": frozenset({"я", "мы", "мне", "нам", "меня", "нас", "мой", "наш", "моя", "наша"}),
    "en": frozenset({"i", "we", "me", "us", "my", "our"}),
}


# A named tuple: one is built per sentence on the hot path, and it builds fastest.
class SentenceFeatures(NamedTuple):
    """Observations about one claim-sized segment, in the document's coordinates."""

    text: str
    start: int
    language: str
    word_count: int
    entities: list[dict[str, Any]]
    dates: list[dict[str, Any]]
    quantities: list[dict[str, Any]]
    attribution: str | None
    markers: list[tuple[str, str]]
    references: list[str]
    past_verbs: list[str]
    present_verbs: list[str]
    future_verbs: list[str]
    has_verb: bool
    is_question: bool
    is_complete: bool
    is_heading: bool
    in_list: bool
    first_person: bool


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
    english = language == "en"
    lowered = text.lower()
    if english and "." in lowered:
        # "i.e." would otherwise read as the pronoun "I".
        lowered = lowered.replace("i.e.", "i_e ").replace("e.g.", "e_g ")
    words = _words(lowered, english)
    quoted = "«" in text or '"' in text or "“" in text or "„" in text
    # A quoted word or term ("«русофобии»") is the writer citing others; a quoted
    # statement of several words carries its speaker's stance and still counts.
    outside = _QUOTED.sub(_drop_short_quote, lowered) if quoted else lowered
    outside_words = words if outside == lowered else _words(outside, english)
    markers = find_markers(outside_words, language)
    if quoted:
        characterising = _CHARACTERISING.search(lowered)
        if characterising:
            markers.append(("opinion", characterising.group() + " «…»"))
    reporting = bool(markers) and any(category == "reporting" for category, _ in markers)

    past, present, future, has_verb = _verbs(words, english, reporting)

    dates = find_dates(text, start, words)
    # "fell in May": the month, not the modal verb.
    if (
        english
        and ("modal", "may") in markers
        and any("may" in date["text"].lower() for date in dates)
    ):
        markers = [marker for marker in markers if marker != ("modal", "may")]
    digits = _DIGIT.search(text) is not None
    quantities = (
        find_quantities(
            text, start, [(date["start"], date["end"]) for date in dates] if dates else None, words
        )
        if digits or not _NUMBER_WORD_FORMS.isdisjoint(words)
        else []
    )
    attribution = None
    if reporting:
        attribution = find_attribution(text, language)

    references = (
        _REFERENCE.findall(text) if "@" in text or not _REFERENCE_WORDS.isdisjoint(words) else []
    )

    closed = text.rstrip(_CLOSERS)
    last = closed[-1:]
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
        references=references,
        past_verbs=past,
        present_verbs=present,
        future_verbs=future,
        has_verb=has_verb,
        is_question=last == "?" or (last == "." and closed.rstrip(".").endswith("?")),
        is_complete=last in _SENTENCE_ENDS,
        is_heading=whole_line
        and not in_list
        and (last not in _CLAUSE_ENDS or (last == ":" and len(words) <= 4)),
        in_list=in_list,
        first_person=not _FIRST_PERSON[language].isdisjoint(outside_words),
    )


def _verbs(
    words: list[str], english: bool, reporting: bool
) -> tuple[list[str], list[str], list[str], bool]:
    """Past, present and future verbs among ``words``, and whether any clause verb is there."""
    if english:
        flags_list = [english_flags(word) for word in words]
        if reporting and "would" in words:
            # Reported future: "announced it would close".
            flags_list = [
                FUTURE if word == "would" else flags
                for word, flags in zip(words, flags_list, strict=True)
            ]
    else:
        try:
            flags_list = list(map(RUSSIAN_FLAGS.__getitem__, words))
        except KeyError:
            # A word not seen before: analyse the sentence's words, then look up again.
            flags_list = [russian_flags(word) for word in words]
    past: list[str] = []
    present: list[str] = []
    future: list[str] = []
    has_verb = False
    # Most words are not verbs; walk only the ones that are.
    for index in [index for index, flags in enumerate(flags_list) if flags]:
        flags = flags_list[index]
        word = words[index]
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
    return past, present, future, has_verb


def _words(lowered: str, english: bool) -> list[str]:
    words = _WORD.findall(lowered)
    if english and ("'" in lowered or "’" in lowered):
        return _split_contractions(words)
    return words


def _drop_short_quote(match: re.Match[str]) -> str:
    return " " if len(match.group().split()) < 4 else match.group()


def _has_quote(text: str) -> bool:
    return any(char in text for char in '«„“"')


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
