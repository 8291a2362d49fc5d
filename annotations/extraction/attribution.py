"""Who a statement is attributed to: "по данным Росстата", "according to Reuters"."""

import re
from typing import Final

from .lexicon import word_set

# Full stops may sit inside a source ("Dr. Alan Brooks", "U.S. officials").
_WORD: Final = r"[^,;:!?…()\[\]«»\"“”—–\s]+"
_WORDS_AFTER: Final = rf"(?P<source>{_WORD}(?:\s+{_WORD}){{0,5}})"
# A source ends where a new clause or a circumstance begins.
_SOURCE_ENDS: Final = word_set(
    "и со что который которая которые где когда and that which who where when"
)

_RU_LEAD: Final = (
    r"по\s+словам|по\s+данным|по\s+информации|по\s+сведениям|по\s+оценке|по\s+оценкам"
    r"|согласно|со\s+ссылкой\s+на|как\s+(?:сообщает|сообщил[аио]?|пишет|заявил[аио]?|отметил[аио]?)"
    r"|озвученн(?:ые|ый|ая|ых|ое)(?:\s+уже)?|заявил[аио]?\s+в|сообщил[аио]?\s+в|сообщает"
)
_EN_LEAD: Final = (
    r"according\s+to|citing|as\s+reported\s+by|reported\s+by|a\s+statement\s+from"
    r"|announced\s+by|quoted\s+by"
)
# "…," said the spokesman: the inverted order only follows a quote or a comma.
_EN_INVERTED: Final = r"(?<=[,\"”])\s*(?:said|says|told|wrote|added)"
_RU_VERB: Final = (
    r"заявил[аио]?|сообщил[аио]?|сообщает|отметил[аио]?|подчеркнул[аио]?|рассказал[аио]?"
    r"|объявил[аио]?|признал[аио]?|пояснил[аио]?|написал[аио]?|пишет|утверждает|уточнил[аио]?"
    r"|подтвердил[аио]?|опроверг(?:ла|ли)?|добавил[аио]?|сказал[аио]?"
)
_EN_TITLE: Final = r"(?:Mr|Mrs|Ms|Dr|Prof|Gov|Sen|Rep|Gen|Lt|Col|Sgt|St)\."
_EN_VERB: Final = (
    r"said|says|told|reported|reports|announced|stated|confirmed|claimed|claims|wrote|added"
    r"|noted|denied|insisted|argued|warned|tweeted|testified"
)

_LEAD: Final = {
    "ru": re.compile(rf"(?<![\w-])(?:{_RU_LEAD})\s+{_WORDS_AFTER}", re.IGNORECASE),
    "en": re.compile(rf"(?:\b(?:{_EN_LEAD})|{_EN_INVERTED})\s+{_WORDS_AFTER}", re.IGNORECASE),
}
_SUBJECT_VERB: Final = {
    "ru": re.compile(
        rf"(?:^|[,.;:—–«»\"]\s*|\s[-–—]\s)(?P<source>[А-ЯЁA-Z][^,.;:!?«»\"—–]{{1,80}}?)\s+(?:{_RU_VERB})(?![\w])"
    ),
    "en": re.compile(
        rf"(?:^|[,.;:—–\"”]\s*)(?P<source>(?:{_EN_TITLE}\s+)?[A-Z][^,.;:!?\"“”—–]{{1,80}}?)\s+(?:{_EN_VERB})\b"
    ),
}
_PRONOUNS: Final = word_set(
    "он она они мы я вы оно he she they we i you it this that there это this"
)
_LEADING_FILLER: Final = re.compile(r"^(?:уже|также|ещё|еще|the|an?|also)\s+", re.IGNORECASE)


def find_attribution(sentence: str, language: str) -> str | None:
    """Return the source the sentence attributes its statement to, or None.

    Looks first for a lead phrase followed by the source ("по данным X", "according to
    X", "said X"), then for a capitalised subject right before a reporting verb ("Министр
    заявил", "The ministry said"). Pronoun subjects do not count: they name no one.
    """
    language = language if language in _LEAD else "en"
    for pattern in (_LEAD[language], _SUBJECT_VERB[language]):
        for match in pattern.finditer(sentence):
            raw = match["source"].strip()
            if pattern is _LEAD[language] and language == "en" and not _names_someone(raw):
                continue
            source = _cut_source(_LEADING_FILLER.sub("", raw))
            if not source or source.lower() in _PRONOUNS:
                continue
            return source
    return None


def _cut_source(source: str) -> str:
    kept = []
    for word in source.split():
        if word.lower() in _SOURCE_ENDS or word[:1].isdigit():
            break
        kept.append(word)
    source = " ".join(kept).strip(" ,;:")
    # Keep the full stop of an abbreviation ("Corp.") but not a sentence's own.
    if source.endswith(".") and not _ABBREVIATED.search(source):
        source = source[:-1]
    return source


_ABBREVIATED: Final = re.compile(r"(?:^|\s)(?:[A-ZА-ЯЁ]|Corp|Inc|Ltd|Co|Jr|Sr|St|Dr|Mr|Mrs|Ms)\.$")


def _names_someone(source: str) -> bool:
    # "said on Monday" or "told reporters" names no one; "said the spokesman" does.
    words = source.split()
    first = words[0].lower()
    if first in {"on", "in", "at", "that", "to", "it", "he", "she", "they", "we", "reporters"}:
        return False
    return any(word[:1].isupper() for word in words) or first in {"the", "a", "an"}
