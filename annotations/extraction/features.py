"""What a scorer gets to see about one sentence: words, verbs, markers, anchors."""

import re
from string import ascii_uppercase
from typing import Any, Final, NamedTuple

from .attribution import find_attribution
from .dates import ANCHOR_WORDS, find_dates
from .discourse import is_procedural, is_reference_entry, quoted_words
from .lexicon import MARKER_KEYS, find_markers, word_set
from .morphology import (
    EXHORTATIVE,
    FUTURE,
    IMPERATIVE,
    INFINITIVE,
    PAST,
    PREDICATE,
    PRESENT,
    english_flags,
    is_russian_name,
    russian_flags,
)
from .quantities import NUMBER_WORD_FORMS as _NUMBER_WORD_FORMS
from .quantities import find_quantities

# Letters of the supported languages only: a general Unicode class is slower, and words
# in other scripts carry no marker or verb the rules could use.
_LETTERS: Final = "а-яёa-zà-öø-ÿіїєґәғқңөұүһ"
# Possessive repeats: a word never gives letters back, so the engine need not keep the
# places to backtrack to.
_WORD: Final = re.compile(rf"[{_LETTERS}]++(?:[-'’][{_LETTERS}]++)*+")
_QUOTED: Final = re.compile(r"«[^«»]*»|„[^„“]*“|“[^“”]*”|\"[^\"]*\"")
_CHARACTERISING: Final = re.compile(
    r"(?<![\w-])(?:назвал[аио]?|называ(?:ет|ют)|охарактеризовал[аио]?|called|calls|described)(?![\w-])"
)
# The expression opens with a look-behind, so the engine tries it at every character;
# these stems, one of which it needs, are found far faster by plain substring tests.
_CHARACTERISING_STEMS: Final = (
    "назвал",
    "называ",
    "охарактеризовал",
    "called",
    "calls",
    "described",
)
_DIGIT: Final = re.compile(r"\d")
# Web addresses, bare domains and e-mail addresses: a pointer a checker can follow.
_REFERENCE: Final = re.compile(
    r"(?:https?://|www\.)[^\s<>«»\"()]+[^\s<>«»\"().,;:!?]"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?:ru|com|org|net|gov|edu|kz|by|ua|uk|de|io|рф)\b"
)
# Words an address splits into ("amurobl.ru" → "amurobl", "ru"): a cheap test first.
_REFERENCE_WORDS: Final = frozenset(
    {"http", "https", "www", "ru", "com", "org", "net", "gov", "edu", "kz", "by", "ua", "uk"}
    | {"de", "io", "рф"}
)
_CLOSERS: Final = ")]»\"”’' \t"
_SENTENCE_ENDS: Final = frozenset(".!?…")
_CLAUSE_ENDS: Final = frozenset(".!?…:;,")
# A perfective verb after these is a condition or a time clause, not a forecast.
# Finite verbs and predicative forms make a clause; an infinitive alone ("проверить
# запасы") is an instruction or a fragment.
CLAUSE: Final = PAST | PRESENT | FUTURE | PREDICATE
_SUBORDINATORS: Final = frozenset({"когда", "если", "пока", "чтобы", "ли", "как", "лишь", "едва"})
# The writer or speaker as the one who acts or owns: "мы считаем", "my family". Objects
# ("joins us", "сообщили нам") say who heard it, not whose view it is.
_FIRST_PERSON: Final = {
    "ru": frozenset({"я", "мы", "мой", "наш", "моя", "наша", "мои", "наши"}),
    "en": frozenset({"i", "we", "my", "our"}),
}
# English contractions: the verb behind them makes a clause ("It's advisory.").
_CONTRACTED: Final = {
    "'s": "is",
    "'re": "are",
    "'m": "am",
    "'ve": "have",
    "'d": "would",
    "'ll": "will",
}
# Only after these does "'s" stand for "is" rather than a possessive ("California's").
_IS_AFTER: Final = frozenset({"it", "he", "she", "that", "there", "what", "who", "here", "where"})
# A subject right before "-s" makes it a present-tense verb: "it directs", "he joins".
_SUBJECTS: Final = frozenset({"it", "he", "she", "this", "that", "which", "who"})
# Russian bylines open with these words; English ones with any name.
_BYLINE_STARTS: Final = ("Автор", "Текст", "Фото", *ascii_uppercase)
# Their first letters: one set test spares most sentences the prefix comparisons.
_BYLINE_FIRST: Final = frozenset(start[0] for start in _BYLINE_STARTS)
_BYLINE: Final = re.compile(
    r"(?:Автор(?:ы)?\s+[—–-]|Текст\s*:|Фото\s*:|By\s+[A-Z]|The\s+(?:author|writer)\s+is\b"
    r"|[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){1,2}\s+is\s+an?\s+(?:[\w-]+\s+){0,2}"
    r"(?:columnist|contributor|correspondent|editor|writer|reporter)\b"
    # An agency's credit line: "Reporting by X; editing by Y".
    r"|Reporting\s+by\s+[A-Z])"
)
# A transcript's speaker label: a name in capitals ("СОМОВ:", "MS. MORENO:", "ВЕДУЩИЙ
# (Павел Лебедев):"), a titled name ("Mr Bell:", "Professor Hart:"), a surname with
# initials ("Нилов Я. Е.:"), each perhaps after a question number ("Q5 Mr Reed:"). A
# single capitalised word needs five letters: "ВТБ:", "МВД:" name a source, not a speaker.
_SPEAKER: Final = re.compile(
    r"(?:Q\d+\s+)?(?:"
    r"[A-ZА-ЯЁ][A-ZА-ЯЁ'’-]{4,}(?:\s*\([^()]{1,60}\))?"
    r"|(?:[A-ZА-ЯЁ][A-ZА-ЯЁ'’-]+\.?\s+){1,3}[A-ZА-ЯЁ][A-ZА-ЯЁ'’-]+(?:\s*\([^()]{1,60}\))?"
    r"|(?:Mr|Mrs|Ms|Dr|Prof|Professor|Sir|Lord|Lady|Baroness|Chair|Senator|Judge)\.?"
    r"(?:\s+[A-Z][\w'’-]+){1,3}"
    r"|[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?\s+[А-ЯЁ]\.\s?(?:[А-ЯЁ]\.)?"
    r"|Q\d+)\s*:\s+(?=\S)"
)
_SPEAKER_REACH: Final = 80
# A dash between two words stands for the missing "is" of a Russian clause; an
# abbreviation's full stop may end the left side ("1897 г. — 6,4 тыс. чел.").
_COPULA_DASH: Final = re.compile(r"[\w.][»\")]?\s+[—–]\s+(\w+)")
# After the dash only a time: an announcement ("Разбор — вечером."), no statement.
_ONLY_WHEN: Final = word_set(
    """
    утром днём днем вечером ночью завтра послезавтра сегодня позже позднее скоро потом
    """
)


def _copula_dash(text: str, present_bits: int) -> bool:
    """Whether a dash in ``text`` stands for the missing "is" of a clause."""
    if present_bits & INFINITIVE:
        # "жалобу — без удовлетворения" after "оставить": the dash repeats the
        # infinitive, and an infinitive alone makes no clause.
        return False
    dash = _COPULA_DASH.search(text)
    if dash is None:
        return False
    rest = text[dash.end() :].strip(" .!…")
    return not (not rest and dash.group(1).lower() in _ONLY_WHEN)


# What else a word may be, beside a verb: one cached look-up per word then tells which
# of the costlier searches a sentence needs at all.
_VERB_BITS: Final = 0xFF
_MARKER_WORD: Final = 1 << 8
_DATE_WORD: Final = 1 << 9
_NUMBER_WORD: Final = 1 << 10
_ADDRESS_WORD: Final = 1 << 11
_FIRST_PERSON_WORD: Final = 1 << 12
_COPULA_WORD: Final = 1 << 13  # "это"
_WORD_BITS: Final[dict[str, dict[str, int]]] = {"ru": {}, "en": {}}
_WORD_BITS_LIMIT: Final = 500_000


def _word_bits(word: str, language: str) -> int:
    bits = english_flags(word) if language == "en" else russian_flags(word)
    if word in MARKER_KEYS[language]:
        bits |= _MARKER_WORD
    if word in ANCHOR_WORDS:
        bits |= _DATE_WORD
    if word in _NUMBER_WORD_FORMS:
        bits |= _NUMBER_WORD
    if word in _REFERENCE_WORDS:
        bits |= _ADDRESS_WORD
    if word in _FIRST_PERSON[language]:
        bits |= _FIRST_PERSON_WORD
    if word == "это":
        bits |= _COPULA_WORD
    known = _WORD_BITS[language]
    if len(known) >= _WORD_BITS_LIMIT:
        known.clear()
    known[word] = bits
    return bits


def _bits_of(words: list[str], language: str) -> list[int]:
    known = _WORD_BITS[language]
    try:
        return [known[word] for word in words]
    except KeyError:
        # A word not seen before: look the sentence's words up one by one.
        return [known[word] if word in known else _word_bits(word, language) for word in words]


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
    imperative: bool = False
    names: list[str] = []
    procedural: bool = False  # runs a meeting: "Ставлю на голосование.", "I yield back."
    quoted_view: bool = False  # reported words with nothing in them to check
    scheduled: bool = False  # a verbless item of a plan (with its date) or of a forecast
    citation: bool = False  # an entry of a reference list: "Поспелов Е. М. … — С. 102."
    field: bool = False  # a label and its value: "Importer: BrightNest Inc., of St. Paul"
    argued: bool = False  # an undated point of a list of someone's arguments
    # Said in a transcript (True), written (False), or not known (None): see transcripts.
    spoken: bool | None = None


def describe(
    text: str,
    start: int,
    language: str,
    entities: list[dict[str, Any]],
    *,
    whole_line: bool = False,
    in_list: bool = False,
    names: bool = False,
    in_plan: bool = False,
    in_argument: bool = False,
    in_forecast: bool = False,
    spoken: bool | None = None,
) -> SentenceFeatures:
    """Collect the features of the segment ``text`` found at document offset ``start``.

    ``whole_line`` says the segment is alone on its line (so it may be a heading);
    ``in_list`` says it is a list item. ``names`` asks for capitalised words that look
    like names, a cheap stand-in for entities when recognition is off. ``in_plan`` says
    the list the segment belongs to was announced as a schedule or a plan;
    ``in_argument`` says it was announced as the points someone argued, ``in_forecast``
    as forecasts. ``spoken`` says whether the segment was said in a transcript (True),
    written (False) or neither is known (None).
    """
    english = language == "en"
    segment_text, segment_start = text, start
    label = _SPEAKER.match(text) if ":" in text[:_SPEAKER_REACH] else None
    if label is not None:
        # "СОМОВ: Подождите…", "Q5 Mr Reed: Can I just—": the speaker's name is who
        # talks, not what is said; the turn's own first word decides a command, and the
        # name is no entity of the claim.
        text, start = text[label.end() :], start + label.end()
    lowered = text.lower()
    if english:
        if "." in lowered:
            # "i.e." would otherwise read as the pronoun "I".
            lowered = lowered.replace("i.e.", "ie ").replace("e.g.", "eg ")
        words = _words(lowered, english)
    else:
        words = _WORD.findall(lowered)
    quoted = "«" in text or '"' in text or "“" in text or "„" in text
    outside_words = words
    if quoted:
        # A quoted word or term ("«русофобии»") is the writer citing others; a quoted
        # statement of several words carries its speaker's stance and still counts.
        outside = _QUOTED.sub(_drop_short_quote, lowered)
        if outside != lowered:
            outside_words = _words(outside, english)
    bits_list = _bits_of(words, language)
    present_bits = 0
    for bits in bits_list:
        present_bits |= bits
    markers = find_markers(outside_words, language) if present_bits & _MARKER_WORD else []
    if quoted:
        characterising = any(stem in lowered for stem in _CHARACTERISING_STEMS) and (
            _CHARACTERISING.search(lowered)
        )
        if characterising:
            markers.append(("opinion", characterising.group() + " «…»"))
    reporting = bool(markers) and any(category == "reporting" for category, _ in markers)
    if ("hedge", "likely") in markers and _compares_likelihood(text, words):
        # "12% less likely to develop dementia": a measured comparison, not a hedge.
        markers = [marker for marker in markers if marker != ("hedge", "likely")]
    if reporting and not quoted:
        # "Patients should not stop …, the authors stress": an obligation in indirect
        # speech is what someone said, not the writer's own call.
        markers = [marker for marker in markers if marker[1] not in _REPORTED_OBLIGATIONS]

    past, present, future, has_verb, imperative = (
        _verbs(words, bits_list, english, reporting)
        # English verbs are also told by their neighbours ("it directs").
        if english or present_bits & _VERB_BITS
        else ([], [], [], False, False)
    )
    if not imperative and words and not reporting:
        imperative = _instructs(words, bits_list, english)
    if markers and not english and ("modal", "следует") in markers:
        # "следует в объезд" is "goes"; only "следует сделать" is an obligation.
        markers = _drop_unless_infinitive_follows(markers, words, "следует")
    if has_verb and not english and not (past or present or future):
        # Only a short form made the clause; a capitalised one is a name ("Доклад
        # Нилова"), unless it opens the sentence.
        has_verb = any(
            russian_flags(word) & PREDICATE
            and (word in text or (index == 0 and not is_russian_name(word)))
            for index, word in enumerate(words)
        )
    if english and not has_verb and (present_bits & _VERB_BITS) == 0:
        # "Tom Reyes farms near Fresno": after a full name, an "-s" word is its verb,
        # which no word list could hold.
        verb = _VERB_AFTER_NAME.search(text)
        if verb is not None and _third_person(verb.group(1)):
            present = [*present, verb.group(1)]
            has_verb = True
    finite = has_verb
    if (
        not has_verb
        and not english
        and (
            present_bits & _COPULA_WORD
            or (("—" in text or "–" in text) and _copula_dash(text, present_bits))
        )
    ):
        has_verb = True

    field = (
        whole_line
        and ":" in text[:_FIELD_REACH]
        and _is_field(text, words, bits_list, english, has_verb)
    )

    digits = _DIGIT.search(text) is not None
    dates = (
        find_dates(text, start, words, lowered=lowered, digits=digits)
        if digits or present_bits & _DATE_WORD
        else []
    )
    # "fell in May": the month, not the modal verb.
    if (
        english
        and dates
        and ("modal", "may") in markers
        and any("may" in date["text"].lower() for date in dates)
    ):
        markers = [marker for marker in markers if marker != ("modal", "may")]
    quantities = (
        find_quantities(
            text,
            start,
            [(date["start"], date["end"]) for date in dates] if dates else None,
            words,
            digits=digits,
        )
        if digits or present_bits & _NUMBER_WORD
        else []
    )
    if dates and markers and not english and _past_plan(words, markers):
        # "капремонт должен был пройти в 2020-м": a dated plan of the past, which was
        # or was not carried out, is a matter of record.
        markers = [marker for marker in markers if marker[1] not in _OBLIGED]
    if markers and _within_deadline(words, bits_list, markers):
        # "Оно может быть обжаловано в течение шести месяцев", "may be appealed within
        # 30 days": a right granted with a time limit is a rule, not a possibility.
        markers = [marker for marker in markers if marker[1] not in _PERMISSIONS]
    if markers and past and (dates or quantities):
        # "Таким образом, с 1989 г. население сократилось на 28%": a connective before
        # a dated or measured event sums facts up rather than argues.
        markers = [marker for marker in markers if marker[1] not in _CONNECTIVES]
    attribution = None
    if reporting:
        attribution = find_attribution(text, language)

    references = (
        _REFERENCE.findall(text)
        if "@" in text or (present_bits & _ADDRESS_WORD and _may_hold_reference(lowered, words))
        else []
    )

    closed = text.rstrip(_CLOSERS)
    last = closed[-1:]
    byline = (
        segment_text[:1] in _BYLINE_FIRST
        and segment_text.startswith(_BYLINE_STARTS)
        and (
            _BYLINE.match(segment_text) is not None or "contributed to this report" in segment_text
        )
    )
    # Positional, in field order: keyword arguments cost more than the rest of this
    # function's bookkeeping.
    return SentenceFeatures(
        segment_text,
        segment_start,
        language,
        len(words),  # word_count
        entities,
        dates,
        quantities,
        attribution,
        markers,
        references,
        past,
        present,
        future,
        has_verb,
        # is_question: "?", "?..", "?!" and "!?" all close a question.
        last == "?" or (last in "!." and "?" in closed[len(closed.rstrip("!?.…")) :]),
        last in _SENTENCE_ENDS,  # is_complete
        # is_heading
        byline
        or (
            whole_line
            and not in_list
            # "Key facts:" heads a list; "Программа предусматривает:" opens one.
            and (last not in _CLAUSE_ENDS or (last == ":" and len(words) <= 4 and not has_verb))
            # A post ends in an emoji, a headline does not.
            and (last.isascii() or last.isalnum())
        ),
        in_list,
        # first_person
        bool(present_bits & _FIRST_PERSON_WORD) and _first_person(text, outside_words, language),
        imperative,
        _names(segment_text) if names else [],
        is_procedural(text, language),  # procedural
        # quoted_view: when and how much would make even a quoted view a checkable report.
        quoted
        and reporting
        and not (dates or _measures(text, start, quantities))
        and _holds_nothing_to_check(text, language),
        in_list and not finite and ((in_plan and bool(dates)) or in_forecast),  # scheduled
        whole_line and is_reference_entry(segment_text),  # citation
        field,
        in_argument and in_list and not (dates or quantities),  # argued
        spoken,
    )


# "Sold At:", "Consumer Contact:", "Members present:", "Адрес:": a label of one to three
# words, the first capitalised, that opens a line of a form or a notice.
_FIELD: Final = re.compile(r"[A-ZА-ЯЁ][\w'’-]*(?:\s+[\w'’-]+){0,2}\s*:\s+(?=\S)")
_FIELD_REACH: Final = 40


def _is_field(
    text: str, words: list[str], bits_list: list[int], english: bool, has_verb: bool
) -> bool:
    """True when a line is a label and a value with no clause of its own after the label.

    "Hazard: The cord can overheat." states a fact after its label; "Importer:
    BrightNest Inc., of St. Paul, Minn." only fills a field in.
    """
    label = _FIELD.match(text)
    if label is None:
        return False
    skip = len(_words(label.group().lower(), english))
    if skip >= len(words):
        return False
    if not has_verb:
        return True
    # A verb in the label ("Sold At:") does not make the value a clause.
    value = bits_list[skip:]
    if not english:
        value = [bits & CLAUSE for bits in value]
        return not any(value) and _COPULA_DASH.search(text, label.end()) is None
    return not any(bits & CLAUSE for bits in value)


# Numbers that point to a document or a rule ("ст. 73", "No. 14", "№ 5") measure nothing.
_REFERENCE_NUMBER: Final = re.compile(
    r"(?:\b(?:ст|ч|п|пп|гл|No|no|Nos|art|Art|sec|Sec)\.|№|§|\b(?:article|section|статьи|статья))\s*$"
)


_NUMBER: Final = re.compile(r"\d+")


def _measures(text: str, start: int, quantities: list[dict[str, Any]]) -> bool:
    return any(
        _REFERENCE_NUMBER.search(
            text, max(0, quantity["start"] - start - 10), quantity["start"] - start
        )
        is None
        for quantity in quantities
    )


def _holds_nothing_to_check(text: str, language: str) -> bool:
    # A quote with a number or an event in it reports something; one without is a view.
    words = quoted_words(text)
    if words is None or any(
        _REFERENCE_NUMBER.search(words, max(0, number.start() - 10), number.start()) is None
        for number in _NUMBER.finditer(words)
    ):
        return False
    flags = english_flags if language == "en" else russian_flags
    return not any(
        flags(word) & PAST and word not in _NOT_EVENTS
        for word in _words(words.lower(), language == "en")
    )


# Past forms that link or assist rather than report an event: "it was a mistake",
# "based on this".
_NOT_EVENTS: Final = frozenset(
    {"was", "were", "had", "been", "did", "based", "был", "была", "было", "были"}
)


def _first_person(text: str, words: list[str], language: str) -> bool:
    if _FIRST_PERSON[language].isdisjoint(words):
        return False
    pronouns = _FIRST_PERSON[language].intersection(words)
    if pronouns != {"я"} and pronouns != {"i"}:
        return bool(pronouns)
    # "Нилов Я. Е.", "J. I. Smith": an initial, not the pronoun.
    return _PRONOUN_NOT_INITIAL.search(text) is not None


_PRONOUN_NOT_INITIAL: Final = re.compile(r"(?<![\w.])(?:[яЯ]|I)(?![\w.])")


def _names(text: str) -> list[str]:
    found = _CAPITALISED.findall(text)
    if not found:
        return found
    # The sentence's first word is capitalised anyway; an acronym ("ФСБ") still counts.
    first = found[0]
    if not first.isupper() and text.lstrip(_OPENERS).startswith(first):
        del found[0]
    if _NOT_NAMES.isdisjoint(found):
        return found
    return [name for name in found if name not in _NOT_NAMES]


_CAPITALISED: Final = re.compile(r"[A-ZА-ЯЁ][\w-]*")
_OPENERS: Final = " \t«\"“„'(—–-"
_NOT_NAMES: Final = frozenset({"Mr", "Mrs", "Ms", "Dr", "Q", "A", "I", "UPD", "PS", "Я"})


def _may_hold_reference(lowered: str, words: list[str]) -> bool:
    if "://" in lowered or "www." in lowered:
        return True
    # "РФ" or "by" alone are words; an address has them after a dot ("amurobl.ru").
    return any("." + word in lowered for word in _REFERENCE_WORDS.intersection(words))


def _drop_unless_infinitive_follows(
    markers: list[tuple[str, str]], words: list[str], word: str
) -> list[tuple[str, str]]:
    position = words.index(word) if word in words else -1
    following = words[position + 1 : position + 3] if position >= 0 else []
    if any(russian_flags(later) & INFINITIVE for later in following):
        return markers
    return [marker for marker in markers if marker != ("modal", word)]


def _verbs(
    words: list[str], bits_list: list[int], english: bool, reporting: bool
) -> tuple[list[str], list[str], list[str], bool, bool]:
    """Past, present and future verbs among ``words``, whether any clause verb is there,
    and whether the sentence opens with a command."""
    flags_list = bits_list
    if english:
        flags_list = [bits & _VERB_BITS for bits in bits_list]
        if reporting and "would" in words:
            # Reported future: "announced it would close".
            flags_list = [
                FUTURE if word == "would" else flags
                for word, flags in zip(words, flags_list, strict=True)
            ]
        if words and flags_list[0] & PAST and words[0].endswith("ed"):
            # A finite verb needs a subject before it: "Related coverage", "Updated
            # at noon" open with a participle.
            flags_list[0] = 0
        if not _SUBJECTS.isdisjoint(words) or "not" in words:
            flags_list = [
                PRESENT if not flags and index and _present_here(words, index, word) else flags
                for index, (word, flags) in enumerate(zip(words, flags_list, strict=True))
            ]
    past: list[str] = []
    present: list[str] = []
    future: list[str] = []
    has_verb = False
    imperative = False
    # Most words are not verbs; walk only the ones that are.
    for index in [index for index, flags in enumerate(flags_list) if flags & _VERB_BITS]:
        flags = flags_list[index]
        word = words[index]
        if flags & IMPERATIVE and (
            index == 0
            or words[index - 1] in _POLITE
            or _fronted_object_command(words, flags_list, index)
        ):
            # "Включите режим голосования", "Пожалуйста, покажите": a command.
            imperative = True
            continue
        if flags & CLAUSE:
            has_verb = True
        if flags & PAST:
            past.append(word)
        elif flags & PRESENT:
            present.append(word)
        elif flags & FUTURE and not _after_subordinator(words, index):
            if (flags & EXHORTATIVE or word in _SPEECH_ACTS) and index == 0:
                # "Напомним, …", "Напомню, …": the speaker's aside, not a forecast.
                continue
            future.append(word)
    return past, present, future, has_verb, imperative


_OBLIGED: Final = frozenset({"должен", "должна", "должно", "должны"})
_WAS: Final = frozenset({"был", "была", "было", "были"})


def _past_plan(words: list[str], markers: list[tuple[str, str]]) -> bool:
    if not any(phrase in _OBLIGED for _, phrase in markers):
        return False
    return any(
        word in _OBLIGED and words[index + 1] in _WAS for index, word in enumerate(words[:-1])
    )


_PERMISSIONS: Final = frozenset({"может", "могут", "may", "can"})
_BE: Final = frozenset({"быть", "be"})
_DEADLINE: Final = frozenset({"течение", "within"})


def _within_deadline(
    words: list[str], bits_list: list[int], markers: list[tuple[str, str]]
) -> bool:
    if _DEADLINE.isdisjoint(words) or not any(phrase in _PERMISSIONS for _, phrase in markers):
        return False
    # The modal, "быть"/"be", then a participle: "может быть обжаловано".
    return any(
        word in _PERMISSIONS
        and words[index + 1] in _BE
        and bits_list[index + 2] & (PAST | PREDICATE)
        for index, word in enumerate(words[:-2])
    )


_CONNECTIVES: Final = frozenset(
    {"таким образом", "следовательно", "поэтому", "therefore", "thus", "hence"}
)
_COMPARATIVES: Final = frozenset({"more", "less", "as", "times", "most", "least", "equally"})


def _compares_likelihood(text: str, words: list[str]) -> bool:
    # A measure must come with it: "more likely caused by a leak" still hedges.
    if _DIGIT.search(text) is None and "twice" not in words and "half" not in words:
        return False
    return any(
        word == "likely" and index and words[index - 1] in _COMPARATIVES
        for index, word in enumerate(words)
    )


_REPORTED_OBLIGATIONS: Final = frozenset(
    {"should", "must", "ought to", "need to", "needs to", "has to", "have to"}
    | {"должен", "должна", "должно", "должны", "нужно", "надо", "необходимо", "следует"}
)
_POLITE: Final = frozenset({"пожалуйста", "please"})
# Speech acts in the first person future that frame what follows.
_SPEECH_ACTS: Final = frozenset(
    {"напомню", "отмечу", "подчеркну", "добавлю", "скажу", "повторю", "уточню", "замечу"}
)
# Words before a Russian "-те" form that make it a statement, not a command: "вы
# смотрите", "если хотите", "как видите".
_NOT_BEFORE_COMMAND: Final = frozenset(
    {"вы", "если", "как", "что", "когда", "пока", "чтобы", "ли", "не", "и", "а", "но", "где"}
)


def _fronted_object_command(words: list[str], flags_list: list[int], index: int) -> bool:
    # "Ваши вопросы присылайте на …", "Заявки подавайте до 1 мая": an object may come
    # before the command, but a subject or a conjunction would make it a statement.
    return 0 < index <= 2 and not any(
        flags_list[before] & _VERB_BITS or words[before] in _NOT_BEFORE_COMMAND
        for before in range(index)
    )


# What a reader or a customer is told to do: "Follow our coverage at …", "Learn more at
# …", "Consumers should stop using …". A bare verb opens an English command when a
# determiner, pronoun, adverb or preposition follows it; alone, "Share prices" or "Call
# centres" start statements.
_EN_COMMANDS: Final = word_set(
    """
    follow learn visit call send read subscribe sign click contact see check share download
    watch listen join register email e-mail find stop return unplug upload remember tell
    discard dispose
    """
)
_EN_AFTER_COMMAND: Final = word_set(
    """
    our us your the a an this these it them me more up in on at to for from with here now
    out about all any
    """
)
# Addressees of an instruction: "Consumers should …", "Жителям рекомендуется …".
_ADDRESSEES: Final = word_set(
    """
    consumers customers users readers residents patients parents drivers passengers
    travellers travelers viewers listeners owners buyers subscribers visitors
    жителям гражданам водителям пассажирам родителям потребителям покупателям
    владельцам пользователям зрителям читателям посетителям
    """
)
_INSTRUCTION_MODALS: Final = frozenset(
    {"should", "must", "следует", "необходимо", "нужно", "рекомендуется", "надо", "стоит"}
)
# "-ем", "-им": a one- or two-word line in the first person plural calls on the
# readers ("Голосуем 👇", "Держимся!") rather than reports.
_WE_ENDINGS: Final = ("ем", "ём", "им", "емся", "ёмся", "имся")


def _instructs(words: list[str], bits_list: list[int], english: bool) -> bool:
    """True when a sentence tells its readers what to do, without a command form."""
    if english:
        if len(words) > 1 and words[0] in _EN_COMMANDS and words[1] in _EN_AFTER_COMMAND:
            return True
    elif len(words) <= 2 and bits_list[0] & (PRESENT | FUTURE) and words[0].endswith(_WE_ENDINGS):
        return True
    if _ADDRESSEES.isdisjoint(words):
        return False
    for index, word in enumerate(words[:-1]):
        if word in _ADDRESSEES and words[index + 1] in _INSTRUCTION_MODALS:
            if not english:
                return True
            # "Consumers should stop using …", "… consumers should:" instruct; "Parents
            # should also ask …" in a column is the writer's advice, an opinion.
            action = words[index + 2 : index + 4]
            return not action or not _EN_COMMANDS.isdisjoint(action)
    return False


def _present_here(words: list[str], index: int, word: str) -> bool:
    before = words[index - 1]
    # "it now goes": one adverb may stand between the subject and its verb.
    if before in _BETWEEN and index > 1:
        before = words[index - 2]
    if before in _SUBJECTS:
        return _third_person(word)
    # "it does not raise taxes": the plain verb after a negated "do".
    return before == "not" and index > 1 and words[index - 2] in _DO


_BETWEEN: Final = frozenset(
    {"now", "also", "still", "only", "already", "often", "never", "usually"}
)
_DO: Final = frozenset({"does", "do", "doesn't", "don't"})


_VERB_AFTER_NAME: Final = re.compile(r"\b[A-Z][a-z]+ [A-Z][a-z]+ ([a-z]{3,}s)\b")


def _third_person(word: str) -> bool:
    return len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is"))


def _words(lowered: str, english: bool) -> list[str]:
    words = _WORD.findall(lowered)
    if english and ("'" in lowered or "’" in lowered):
        return _split_contractions(words)
    return words


def _drop_short_quote(match: re.Match[str]) -> str:
    return " " if len(match.group().split()) < 4 else match.group()


def _split_contractions(words: list[str]) -> list[str]:
    result: list[str] = []
    for word in words:
        normalised = word.replace("’", "'")
        head, apostrophe, tail = normalised.rpartition("'")
        verb = _CONTRACTED.get(apostrophe + tail) if apostrophe else None
        if verb is None or (tail == "s" and head not in _IS_AFTER):
            result.append(normalised)
        else:
            result.extend((head, verb))
    return result


def _after_subordinator(words: list[str], index: int) -> bool:
    return any(word in _SUBORDINATORS for word in words[max(0, index - 4) : index])
