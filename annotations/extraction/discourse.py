"""What a sentence does in its setting: runs a meeting, quotes a view, lists a plan."""

import re
from typing import Final

from .lexicon import word_set

# Lines that run a meeting or a debate rather than state anything: "Ставлю на
# голосование.", "Переходим ко второму вопросу.", "I yield back.", "The clerk will call
# the roll." An optional address ("Коллеги,") may come first.
_PROCEDURAL: Final = {
    "ru": re.compile(
        r"^(?:(?:уважаемые\s+)?коллеги,\s*)?(?:"
        r"ставлю\s+на\s+голосование|прошу\s+(?:поддержать|голосовать|проголосовать"
        r"|занять\s+(?:свои\s+)?места|внимания|определиться)|переходим\s+к"
        r"|начинаем\s+(?:заседание|работу|рассмотрение)|объявляю\s+(?:перерыв|заседание"
        r"|голосование|результаты)|(?:заседание|голосование|обсуждение)\s+(?:объявляется"
        r"|открыто|закрыто|окончено|завершено)|слово\s+(?:для\s+\w+\s+)?предоставляется"
        r"|(?:доклад|выступление)\s+окончен|вопросов\s+нет|вопросы\s+исчерпаны"
        r"|пожалуйста,\s+(?:голосуйте|ваш\s+вопрос)"
        # A broadcast's opening and closing: "У нас в студии …", "На этом наше время …".
        r"|у\s+нас\s+в\s+студии|в\s+нашей\s+студии"
        r"|на\s+этом\s+(?:наш[аеи]?\s+)?(?:время|эфир|программа|выпуск|передача|всё)"
        # A court's operative formula before the ruling itself: "Судебная коллегия ОПРЕДЕЛИЛА:".
        r"|(?:[\w-]+\s+){0,3}(?:суд|коллегия|президиум)\s+"
        r"(?:определил|постановил|решил|приговорил)а?\s*:\s*$)",
        re.IGNORECASE,
    ),
    "en": re.compile(
        r"^(?:i\s+rise\s+(?:in|to|today)|i\s+yield|i\s+urge\s+(?:an?\s+)?(?:aye|yes|no|nay)"
        r"|i\s+move\s+(?:that|to|the)|the\s+chair\s+recognizes|the\s+clerk\s+will"
        r"|the\s+question\s+is\s+on|without\s+objection|so\s+ordered"
        r"|we\s+(?:will|'ll|shall)\s+now\s+(?:move|turn|hear|proceed|go|take)"
        r"|(?:that|this)\s+concludes|let's\s+move\s+on"
        # A conference call's operator and hosts: "Our first question comes from …",
        # "I would now like to turn the call over to …", "You may now disconnect."
        r"|(?:our|the)\s+(?:first|next|last|final|following)\s+question\s+(?:comes|is)\s+from"
        r"|(?:i\s+would|i'd)\s+(?:now\s+)?like\s+to\s+(?:turn|hand)\s+(?:the\s+call|it)\s+over"
        r"|(?:and\s+)?with\s+that,?\s+(?:i'll|i\s+will)\s+(?:turn|hand)\s+(?:it|the\s+call)\s+over"
        r"|we\s+will\s+now\s+(?:begin|open)\s+the\s+question|you\s+may\s+now\s+disconnect"
        r"|thanks?(?:\s+you)?\s+for\s+taking\s+my\s+questions?"
        r"|the\s+(?:senate|house|committee|meeting|session)\s+(?:will\s+come\s+to\s+order"
        r"|is\s+adjourned|stands\s+(?:adjourned|in\s+recess)))\b",
        re.IGNORECASE,
    ),
}
_LEAD_IN: Final = " \t«\"“„'(—–-"
# A transcript's speaker label stays with the first sentence: "THE PRESIDENT: The chair…",
# "Operator: Our next question…", "Priya Natarajan: Thanks for taking my question."
_LABEL: Final = re.compile(
    r"^(?:[A-Z][A-Z.,' -]+|Operator|[A-Z][a-z]+(?:\s[A-Z]\.)?(?:\s[A-Z][a-z'’-]+){1,2}):\s+"
)


# The words the formulas above open with. A sentence whose first word is another plain
# word is ruled out before the long alternation is tried; a first word with letters
# beyond the plain alphabets, which the case-blind match may still equate with these, is
# tried. A court's formula may open with any word and an English speaker label may come
# first, but both hold a colon, and a sentence with one is always tried.
_OPENING_WORDS: Final = {
    "ru": word_set(
        """
        уважаемые коллеги ставлю прошу переходим начинаем объявляю заседание голосование
        обсуждение слово доклад выступление вопросов вопросы пожалуйста у в на
        """
    ),
    "en": word_set("i the without so we that this let our and with you thanks thank"),
}
_FIRST_WORD: Final = re.compile(r"[^\W\d_]+")
_PLAIN_WORD: Final = re.compile(r"[а-яёa-z]+")
# Plain letters no formula opens with. The case-blind match equates a plain letter only
# with its other case (and with letters outside the plain alphabets), so a sentence
# opening with one of these is ruled out by its first character alone.
_PLAIN_LETTERS: Final = "abcdefghijklmnopqrstuvwxyzабвгдеёжзийклмнопрстуфхцчшщъыьэюя"
_NOT_OPENING: Final = {
    language: frozenset(
        letter
        for letter in _PLAIN_LETTERS + _PLAIN_LETTERS.upper()
        if letter.lower() not in {word[0] for word in words}
    )
    for language, words in _OPENING_WORDS.items()
}


def is_procedural(text: str, language: str) -> bool:
    """True when the sentence runs a meeting: it calls a vote, gives the floor, moves on."""
    known = language if language in _PROCEDURAL else "en"
    text = text.lstrip(_LEAD_IN)
    if ":" not in text:
        if text[:1] in _NOT_OPENING[known]:
            return False
        first = _FIRST_WORD.match(text)
        if first is None:
            return False
        word = first.group().lower()
        if word not in _OPENING_WORDS[known] and _PLAIN_WORD.fullmatch(word):
            return False
    if language == "en":
        text = _LABEL.sub("", text, count=1)
    return _PROCEDURAL[known].match(text) is not None


# Direct speech opening the sentence and followed by its speaker: "«…», — сказал он.",
# "“…,” she added." (the comma inside the quote, as English puts it).
_SPEECH_FIRST: Final = re.compile(
    r"^\s*(?:«(?P<a>[^«»]+)»|“(?P<b>[^“”]+)”|\"(?P<c>[^\"]+)\")(?:\s*[,—–-]|(?<=[,!?][\"”»]))"
)
# A speaker's own words quoted as the end of a reported clause: "…, ситуация
# «остаётся напряжённой».", "…the bill was "a blank check."" A lower-case start tells a
# quoted phrase from a quoted title («О внесении изменений…»).
_QUOTED_TAIL: Final = re.compile(
    r"(?:«(?P<a>[a-zа-яё][^«»]*)»|“(?P<b>[a-zа-яё][^“”]*)”|\"(?P<c>[a-zа-яё][^\"]*)\")"
    r"[.!…]*[»\"”]?\s*$"
)


# Direct speech introduced by a colon and closing the sentence: "…told us: "Heat pumps
# work. The problem is installers."", "…говорила: «Мы не видим оснований…»."
_SPEECH_LAST: Final = re.compile(
    r":\s*(?:«(?P<a>[^«»]+)»|“(?P<b>[^“”]+)”|\"(?P<c>[^\"]+)\")[.!…]*\s*$"
)


def quoted_words(text: str) -> str | None:
    """The speaker's words a reported sentence rests on, or None.

    Direct speech that opens the sentence, a quoted lower-case phrase that ends it, or
    direct speech after a colon that ends it; what a scorer then asks is whether those
    words hold anything to check.
    """
    for pattern in (_SPEECH_FIRST, _QUOTED_TAIL, _SPEECH_LAST):
        match = pattern.search(text)
        if match:
            return match["a"] or match["b"] or match["c"]
    return None


# A list lead that announces a timetable: its dated items are plans, not records.
_PLAN_LEAD: Final = re.compile(
    r"(?<![\w-])(?:срок\w*|график\w*|план\w*|предусматрива\w+|будут|будет|намечен\w*"
    r"|schedule\w*|timetable|fixtures|upcoming|remaining|plan\w*|will|expected|due)(?![\w-])",
    re.IGNORECASE,
)


# A list lead that announces forecasts: its items, verbless or hedged, are predictions.
_FORECAST_LEAD: Final = re.compile(
    r"(?<![\w-])(?:прогноз\w*|ожидани\w*|forecast\w*|outlook|projections?|predictions?)(?![\w-])",
    re.IGNORECASE,
)
# "Прогнозы аналитиков 👇": a pointing hand stands for the colon.
_LEAD_END: Final = (":", "👇", "⬇️", "⬇")


def leads_a_forecast(lead: str) -> bool:
    """True when ``lead`` (a line ending in a colon or 👇) announces forecasts."""
    return lead.rstrip().endswith(_LEAD_END) and _FORECAST_LEAD.search(lead) is not None


# A list lead that reports someone's arguments: "…, указав, что:", "…argued that:".
_ARGUMENT_LEAD: Final = re.compile(r"(?:\bчто|\bthat)\s*:\s*$", re.IGNORECASE)


def leads_an_argument(lead: str) -> bool:
    """True when ``lead`` announces the points a party argued, not facts of its own."""
    return lead.endswith(":") and _ARGUMENT_LEAD.search(lead) is not None


def leads_a_plan(lead: str) -> bool:
    """True when ``lead`` (a line ending in a colon) announces a schedule or a plan."""
    return lead.rstrip().endswith(":") and _PLAN_LEAD.search(lead) is not None


# An entry of a reference list: "Поспелов Е. М. Названия. — М.: АСТ, 2008. — С. 102.",
# "Smith J., et al. Title. Neurology. 2025;104(9):e213. " Its full stops separate the
# parts of one citation, and it states nothing a checker would rate.
# The signs around a dash open with it, so the engine skips from dash to dash instead
# of trying every character of a long line.
_DASH_SIGN: Final = re.compile(
    r"[—–]\s(?:(?<=\.\s[—–]\s)(?:[А-ЯЁA-Z]\.|[А-ЯЁA-Z][а-яёa-z]+)[,:]"
    r"|(?:С\.|P\.|pp?\.)\s\d|\d+\sс\.)"
)
_OTHER_SIGN: Final = re.compile(r"\bet\sal\.|\d{4};\s?\d+(?:\(\d+\))?:\s?\w")


def is_reference_entry(line: str) -> bool:
    """True when ``line`` is a bibliographic reference rather than running text."""
    # Cheap tests first: every sign holds a dash, "et al." or a semicolon.
    dash = "—" in line or "–" in line
    if not dash and ";" not in line and "et al" not in line:
        return False
    if dash and _DASH_SIGN.search(line) is not None:
        return True
    return (";" in line or "et" in line) and _OTHER_SIGN.search(line) is not None
