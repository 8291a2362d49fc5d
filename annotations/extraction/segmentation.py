"""Split a document into claim-sized segments with exact offsets.

Sentence boundaries come from field-made splitters: razdel for Russian (one pass over
the whole text) and sentencex for English (line by line); line breaks are hard
boundaries.
Their output is then corrected where they are known to slip: boundaries inside URLs,
numbers and quotes, after abbreviations and initials, inside a wire dateline and after
a verbless date phrase are dropped; boundaries missed after a sentence-final
abbreviation or unit, after a transcript's speaker label, after an emoji and before list
markers or a closing run of hashtags are added.
"""

import re
from bisect import bisect_left, bisect_right
from typing import Final, NamedTuple

from razdel import sentenize
from sentencex import segment

from .abbreviations import MAYBE_FINAL, NEVER_FINAL
from .discourse import is_reference_entry
from .enumeration import PICTOGRAPHS, Marker, find_markers
from .language import detect_language, iter_lines
from .lexicon import word_set
from .morphology import FUTURE, PAST, PREDICATE, PRESENT, russian_flags


class Segment(NamedTuple):
    """One claim-sized piece of the document: ``text[start:end]``, in ``language``."""

    start: int
    end: int
    language: str
    listed: bool = False  # it follows a list marker or bullet
    whole_line: bool = False  # nothing else shares its line: a heading, caption or item


_PROTECTED: Final = re.compile(
    r"(?:https?://|ftp://|www\.)[^\s<>«»\"]+"
    r"|[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+"
    r"|\d+(?:[.,:]\d+)+",
)
_URL_TAIL: Final = ".,;:!?)]}'’”"
_INITIALS: Final = re.compile(r"^[(«\"“„']?(?:[A-ZА-ЯЁ]\.){1,3}$")
_HAS_CONTENT: Final = re.compile(r"\w")
_LONE_MARKER: Final = re.compile(r"\(?(?:\d{1,2}|[а-яa-z])[.)]|\[\d{1,3}\]|[¹²³⁴⁵⁶⁷⁸⁹⁰]+")

_QUOTE_PAIRS: Final = {"«": "»", "„": "“", "“": "”", "‹": "›"}
_QUOTE_CHAR: Final = re.compile(r"[«»„“”‹›\"]")


def split_segments(text: str, language: str | None = None) -> list[Segment]:
    """Return the claim-sized segments of ``text`` in order, never overlapping.

    Each segment is stripped of list markers and surrounding whitespace and holds at
    least one letter or digit. ``language`` forces "ru" or "en"; otherwise every line
    is judged by its own letters, so a mixed document is split with the right tool.
    """
    default = language or detect_language(text)
    # A document in one script needs no judging line by line.
    single = language or _single_script(text)
    segments: list[Segment] = []
    russian_starts: list[int] | None = None
    # Emoji are rare; one pass over the document tells which lines hold any.
    pictographs = [match.start() for match in _HAS_PICTOGRAPH.finditer(text)]
    lines = list(iter_lines(text))
    lead_in = False
    openers = _line_openers(text, lines) if pictographs else None
    for index, (line_start, line_end) in enumerate(lines):
        line = text[line_start:line_end]
        line_language = single or detect_language(line, default)
        lower_starts: list[int] = []
        if line_language == "en":
            boundaries = _english_boundaries(line)
            if ". " in line or "! " in line or "? " in line:
                lower_starts = _lower_case_starts(line)
        else:
            if russian_starts is None:
                # One pass of razdel over the whole text costs far less than a call per
                # line; line breaks are added as boundaries anyway.
                russian_starts = [sentence.start for sentence in sentenize(text)]
            boundaries = _within(russian_starts, line_start, line_end)
        pieces = _split_with(
            line,
            boundaries,
            bool(pictographs) and _any_within(pictographs, line_start, line_end),
            openers is not None and _in_bullet_run(openers, index),
            lead_in,
            lower_starts,
        )
        # A colon at a line's end announces a list; an item may be followed by another.
        lead_in = line.rstrip().endswith(":") or (bool(pieces) and pieces[0][2])
        if len(pieces) == 1:
            start, end, listed = pieces[0]
            segments.append(
                Segment(line_start + start, line_start + end, line_language, listed, True)
            )
            continue
        for start, end, listed in pieces:
            segments.append(
                Segment(line_start + start, line_start + end, line_language, listed, False)
            )
    return segments


def _single_script(text: str) -> str | None:
    if not _LATIN_LETTER.search(text):
        return "ru"
    if not _CYRILLIC_LETTER.search(text):
        return "en"
    return None


_LATIN_LETTER: Final = re.compile(r"[A-Za-z]")
_CYRILLIC_LETTER: Final = re.compile(r"[А-Яа-яЁё]")


def _split_with(
    line: str,
    boundaries: list[int],
    pictographs: bool = True,
    bullet_run: bool = False,
    lead_in: bool = False,
    lower_starts: list[int] | None = None,
) -> list[tuple[int, int, bool]]:
    """Cut ``line`` at the corrected ``boundaries``; ``pictographs`` says it may hold emoji.

    ``lower_starts`` are sentence starts in lower case that need no correction."""
    if len(boundaries) > 1 and is_reference_entry(line):
        # A citation's parts ("Title. — М.: АСТ, 2008. — С. 102.") are not sentences.
        return _cut(line, [0], find_markers(line, lead_in) if _may_hold_marker(line) else [])
    if len(boundaries) > 1:
        boundaries = _drop_false_boundaries(line, boundaries)
    if lower_starts:
        boundaries = sorted({*boundaries, *lower_starts})
    if ". " in line:
        boundaries = _add_missed_boundaries(line, boundaries)
    if '"' in line or "”" in line:
        boundaries = _add_quote_boundaries(line, boundaries)
    if "[" in line or (not line.isascii() and _has_superscript(line)):
        boundaries = _add_footnote_boundaries(line, boundaries)
    if pictographs and not line.isascii():
        # Emoji and pictographs are outside ASCII; most English lines skip the search.
        boundaries = _add_pictograph_boundaries(line, boundaries, bullet_run)
    markers = find_markers(line, lead_in) if _may_hold_marker(line) else []
    if bullet_run:
        markers = _with_pictograph_bullet(line, markers)
    return _cut(line, boundaries, markers)


def _with_pictograph_bullet(line: str, markers: list[Marker]) -> list[Marker]:
    # A pictograph that opens this line and its neighbours is the list's bullet.
    opener = _LEADING_PICTOGRAPH.match(line)
    if opener is None or (markers and markers[0].start <= opener.start(1)):
        return markers
    item = opener.end(1)
    while item < len(line) and line[item].isspace():
        item += 1
    return [Marker(opener.start(1), item), *markers]


# A quotation closed after its sentence's end and a new one opened: '…changing." "I
# wouldn't…,' she said.' Straight quotes pair either way, so splitters keep both as one.
_QUOTE_AFTER_QUOTE: Final = re.compile(r"[.!?…][\"”]\s+(?=[\"“][A-ZА-ЯЁ])")


def _add_quote_boundaries(line: str, boundaries: list[int]) -> list[int]:
    added = [match.end() for match in _QUOTE_AFTER_QUOTE.finditer(line)]
    if not added:
        return boundaries
    return sorted(set(boundaries).union(added))


# A footnote mark right after a sentence's end ("…ошибочна.[1] Далее", "…city.² Then"):
# the sentence ends there, and the mark, a pointer to a note, belongs to no claim.
_FOOTNOTE: Final = re.compile(r"(?<=[.!?…»\"”)])(?:\[\d{1,3}\]|[¹²³⁴⁵⁶⁷⁸⁹⁰]+)")
_SUPERSCRIPTS: Final = "¹²³⁴⁵⁶⁷⁸⁹⁰"


def _has_superscript(line: str) -> bool:
    # Ten substring tests run far faster than a character class tried at every position.
    return any(digit in line for digit in _SUPERSCRIPTS)


def _add_footnote_boundaries(line: str, boundaries: list[int]) -> list[int]:
    added: list[int] = []
    for match in _FOOTNOTE.finditer(line):
        # Everything between the two cuts is the mark alone, which _cut drops.
        added.extend((match.start(), match.end()))
    if not added:
        return boundaries
    return sorted(set(boundaries).union(added))


def _any_within(positions: list[int], start: int, end: int) -> bool:
    """Whether any of the sorted ``positions`` lies in ``[start, end)``."""
    index = bisect_left(positions, start)
    return index < len(positions) and positions[index] < end


def _may_hold_marker(line: str) -> bool:
    # A cheap guard: most sentences hold neither a bullet nor a "1." / "a)" marker.
    head = line.lstrip()[:1]
    return (
        head in "-–—*+•▪●○◦‣⁃·■□➢►✓✔IVXLC"
        or ")" in line
        or bool(_DIGIT_DOT.search(line))
        # Keycap digits and pictographs: outside ASCII, which most lines never leave.
        or (not head.isascii() and _HAS_PICTOGRAPH.match(head) is not None)
        or "\u20e3" in line[:8]
    )


# A digit, a full stop and a space, found from the full stop: a literal first lets the
# engine skip ahead instead of trying every character.
_DIGIT_DOT: Final = re.compile(r"\.(?<=\d\.)\s")


def _within(starts: list[int], line_start: int, line_end: int) -> list[int]:
    """Sentence starts strictly inside the line, relative to it, with 0 first."""
    first = bisect_right(starts, line_start)
    last = bisect_left(starts, line_end, first)
    if first == last:
        return [0]
    return [0, *[start - line_start for start in starts[first:last]]]


def _english_boundaries(line: str) -> list[int]:
    boundaries = [0]
    cursor = 0
    for sentence in english_sentences(line):
        piece = sentence.strip()
        if not piece:
            continue
        found = line.find(piece, cursor)
        if found == -1:
            continue
        # A piece with no word in it (a lone ellipsis, a run of dots) belongs to the
        # sentence before.
        if found > 0 and _HAS_CONTENT.search(piece):
            boundaries.append(found)
        cursor = found + len(piece)
    return boundaries


# English on the web often opens a sentence in lower case ("…in march. it stopped
# working", "great service! the staff were friendly"). A full stop, an exclamation or a
# question mark after a plain word or a figure ends a sentence when a word that
# typically opens one follows: a pronoun, a determiner, a conjunction, a greeting, a
# modal, a negation or an adverb or adjective of a review. An ellipsis does not
# ("understandable... they have"), nor an abbreviation ("approx. five", "9 in. wide").
_LOWER_CASE_START: Final = re.compile(r"(?<=[a-z0-9%)])(\.|[!?]+)[ \t]+([a-z]+)")
_LOWER_CASE_OPENERS: Final = word_set(
    """
    i we you he she it they me my our your his her its their this that these those there
    here the a an some any no every each all both either neither one someone somebody
    anyone anybody everyone everybody everything nothing nobody something and but so or
    yet then also now still well ok okay yes yeah hi hello thanks thank please sorry lol
    what why how when where who which if not never very really just highly definitely
    honestly seriously maybe probably overall anyway btw unfortunately luckily sadly
    would will can could should might must great good nice bad terrible awful awesome
    amazing excellent perfect horrible best worst
    """
)
# After a unit that follows a figure ("7 ft. and 3 in. wide") these go on the sentence
# rather than open one; the other openers still do ("wait 24 hrs. we waited").
_CONTINUING: Final = word_set("and but or so yet then also now still well")
# A figure's own full stop ("3.5", "$12.99") is no abbreviation's.
_FIGURE: Final = re.compile(r"[$€£]?\d[\d.,:/-]*(?:st|nd|rd|th|am|pm|k|m|%)?")


def _lower_case_starts(line: str) -> list[int]:
    starts = []
    for match in _LOWER_CASE_START.finditer(line):
        opener = match.group(2)
        if opener not in _LOWER_CASE_OPENERS:
            continue
        head = line[max(0, match.start() - 64) : match.start()].split()
        token = head[-1].lstrip("(\"“'") if head else ""
        if match.group(1) == "." and _FIGURE.fullmatch(token.lower()):
            # A figure ends a sentence ("at 7. it arrived", "lost 2-0. the ref") unless
            # it opens the line, as a numbered item does ("1. the first step").
            if len(head) < 2 or line[: match.start()].strip() == token:
                continue
        elif (
            match.group(1) == "."
            and (
                "." in token
                or token.lower() + "." in NEVER_FINAL
                or token.lower() + "." in MAYBE_FINAL
                or (token[:1].isupper() and len(token) <= 4)
                # A unit after a number: "9 in. wide", "a 36-ft. trawler".
                or (len(head) > 1 and head[-2][-1:].isdigit() and opener in _CONTINUING)
                or (len(head) > 1 and head[-2][-1:].isdigit() and len(token) < 2)
                or any(character.isdigit() for character in token[:-1])
                or len(token) < 2
            )
        ):
            continue
        starts.append(match.start(2))
    return starts


def english_sentences(line: str) -> list[str]:
    """The sentences sentencex finds in ``line``: compiled code, far faster than pysbd on
    our English documents (bench/history/extraction.md), which it splits the same way
    but for a state abbreviation ending a sentence ("…near Peoria, Ill. A tree fell…"),
    which the corrections below split."""
    return list(segment("en", line))


def _drop_false_boundaries(line: str, boundaries: list[int]) -> list[int]:
    protected: list[tuple[int, int]] | None = None
    quoted = _quoted_regions(line) if _has_quote(line) else []
    # "МОСКВА, 13 марта. /ТАСС/. Текст": a wire dateline opens the first sentence.
    dateline = _DATELINE.match(line) if line[:2].isupper() else None
    kept = [boundaries[0]]
    for boundary in boundaries[1:]:
        if dateline is not None and boundary <= dateline.end():
            continue
        following = line[boundary : boundary + 1]
        # No sentence opens with a comma, a semicolon or a colon ("…of Portland, Ore.; a
        # sister…"), nor with a dash glued to the full stop before it ("Mon.–Thu.").
        if following in _CLAUSE_PUNCTUATION or (
            following in _DASHES and not line[boundary - 1].isspace()
        ):
            continue
        # URLs, e-mails and numbers hold no spaces, so only a boundary glued to the
        # previous character can fall inside one.
        if not line[boundary - 1].isspace():
            if protected is None:
                protected = [
                    (match.start(), match.end() - _trailing_punctuation(match.group()))
                    for match in _PROTECTED.finditer(line)
                ]
            if any(start < boundary < end for start, end in protected):
                continue
        if quoted and any(start < boundary <= end for start, end in quoted):
            continue
        # Only nearby words matter; slicing whole line halves would be quadratic.
        before = line[max(0, boundary - 64) : boundary].rstrip()
        # A time stamp opening a line belongs to what is said at that time:
        # "(00:02:15) Mortgage rates: where are we?", "[00:12:31] MARCUS: …".
        if before.endswith((")", "]")) and _TIMESTAMP.fullmatch(line[kept[-1] : boundary].strip()):
            continue
        # Both checks below are about a full stop right before the boundary.
        if before.endswith("."):
            if _joins_abbreviation(line, boundary, before):
                continue
            if (
                before.endswith(_YEAR_ABBREVIATION_ENDS)
                and _ends_in_year_abbreviation(line, boundary)
                and not _has_verb(
                    # The words just before are enough, and a bounded look keeps long
                    # lines linear.
                    line[max(kept[-1], boundary - _VERB_LOOKBACK) : boundary]
                )
            ):
                # "По версии следствия, в 2022–2023 гг. Носков получил…": a date phrase
                # with no verb of its own cannot be a sentence.
                continue
        kept.append(boundary)
    return kept


_CLAUSE_PUNCTUATION: Final = frozenset(",;:")
_DASHES: Final = frozenset("-–—")
_TIMESTAMP: Final = re.compile(r"[(\[]\d{1,2}:\d{2}(?::\d{2})?[)\]]")
_VERB_LOOKBACK: Final = 200
_YEAR_ABBREVIATION: Final = re.compile(r"\d\s*(?:гг?|вв?)\.\s*$")
# What the text before such a boundary, stripped, must end with.
_YEAR_ABBREVIATION_ENDS: Final = ("г.", "в.")


def _ends_in_year_abbreviation(line: str, boundary: int) -> bool:
    return _YEAR_ABBREVIATION.search(line, max(0, boundary - 12), boundary) is not None


def _has_verb(piece: str) -> bool:
    return any(russian_flags(word) & _CLAUSE for word in _RUSSIAN_WORD.findall(piece.lower()))


_CLAUSE: Final = PAST | PRESENT | FUTURE | PREDICATE


_RUSSIAN_WORD: Final = re.compile(r"[а-яё]+(?:-[а-яё]+)*")


def _add_missed_boundaries(line: str, boundaries: list[int]) -> list[int]:
    """Split after an abbreviation that ends a sentence ("…в 2019 г. Он ушёл").

    Splitters keep "г." or "обл." attached to what follows, which is right before a
    name ("г. Москва") but wrong before a word that only starts sentences. A speaker
    label of a transcript ("Нилов Я. Е. Спасибо…") is cut off its first sentence too.
    """
    added = []
    for match in _STOP_THEN_CAPITAL.finditer(line):
        stop = match.start()
        token_start = max(
            line.rfind(" ", 0, stop), line.rfind("\t", 0, stop), line.rfind("\xa0", 0, stop)
        )
        token = line[token_start + 1 : stop + 1]
        lowered = token.lower()
        if lowered not in MAYBE_FINAL and lowered not in NEVER_FINAL:
            continue
        word = match.group(1)
        # What precedes the token on this line; nothing when it opens the line.
        preceding = line[: max(token_start, 0)].rstrip()
        if (
            (
                lowered in MAYBE_FINAL
                and word in _SENTENCE_OPENERS
                # "В. А. Орлов": capital initials are never a sentence's last word.
                and not _INITIALS.match(token)
            )
            or (
                # "…на 4 см. Сводка": after a number "см." is a unit; a capital opens a sentence.
                lowered in NEVER_FINAL and len(word) > 1 and preceding[-1:].isdigit()
            )
            or (
                # "…3,02 млрд руб. против 3,61 млрд руб. в 1 п/г 2024 г. Капитальные…":
                # after a year "г." is "год", and a sentence with its own clause ends
                # there; "В 2024 г. Москва…" has none and goes on.
                lowered in _YEAR_TOKENS
                and len(word) > 1
                and preceding[-1:].isdigit()
                and _states_something(line[_piece_start(boundaries, stop) : token_start + 1])
            )
        ):
            added.append(match.start(1))
    label = _SPEAKER_LABEL.match(line)
    if label and _is_surname(label.group(1)):
        added.append(label.end())
    if not added:
        return boundaries
    return sorted(set(boundaries).union(added))


_YEAR_TOKENS: Final = frozenset({"г.", "гг."})


def _piece_start(boundaries: list[int], position: int) -> int:
    """The last of the sorted ``boundaries`` at or before ``position``."""
    return boundaries[max(0, bisect_right(boundaries, position) - 1)]


def _states_something(piece: str) -> bool:
    # A verb, or a dash standing for "is" between two words: "Выручка — 184,9 млрд руб.".
    return " — " in piece or " – " in piece or _has_verb(piece)


# A surname and initials alone at a line start, then a capital: "Нилов Я. Е. Уважаемые…".
# Initials before a surname ("Губернатор В. А. Орлов") look the same, hence the test of
# the first word.
_SPEAKER_LABEL: Final = re.compile(
    r"\s*([А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?)\s+[А-ЯЁ]\.(?:\s?[А-ЯЁ]\.)?\s+(?![А-ЯЁ]\.)"
    r"(?=[А-ЯЁ«\"—–-])"
)


def _is_surname(word: str) -> bool:
    from .morphology import morph_analyzer

    parses = morph_analyzer().parse(word)
    return any(not parse.is_known or {"Surn", "Name"} & parse.tag.grammemes for parse in parses)


# "МОСКВА, 13 марта. /ТАСС/." or "МОСКВА, 13 мар — РИА Новости.": a place in capitals, a
# date and the agency, before the first sentence of a wire report.
_DATELINE: Final = re.compile(
    r"\s*[A-ZА-ЯЁ][A-ZА-ЯЁ\-]+(?:\s[A-ZА-ЯЁ][A-ZА-ЯЁ\-]+){0,2},\s[^.\n]{1,30}?"
    r"(?:\.\s*/[^/\n]{2,30}/\.?|\s[—–-]\s[^.\n]{2,30}\.)\s+"
)

# Emoji and pictographs, with their modifiers and joiners.
_PICTOGRAPH: Final = PICTOGRAPHS
_PICTOGRAPH_TAIL: Final = f"[{_PICTOGRAPH}\ufe0f\u200d\u20e3]*"
# A post's sentence often ends in an emoji instead of a full stop; a run of hashtags
# after the last sentence or a link is a tag line, not part of the sentence.
_PICTOGRAPH_END: Final = re.compile(
    rf"[{_PICTOGRAPH}]{_PICTOGRAPH_TAIL}\s+(?=[A-ZА-ЯЁ«\"“\d])"
    rf"|(?:[{_PICTOGRAPH}]{_PICTOGRAPH_TAIL}|(?:https?://|www\.)\S+)\s+(?=#\w\S*(?:\s+#\w\S*)*\s*$)"
)
_HAS_PICTOGRAPH: Final = re.compile(f"[{_PICTOGRAPH}]")
_LEADING_PICTOGRAPH: Final = re.compile(rf"\s*([{_PICTOGRAPH}]{_PICTOGRAPH_TAIL})\s")


def _line_openers(text: str, lines: list[tuple[int, int]]) -> list[str | None]:
    """The pictograph each line opens with, if any."""
    openers: list[str | None] = []
    for line_start, line_end in lines:
        opener = _LEADING_PICTOGRAPH.match(text, line_start, line_end)
        openers.append(opener.group(1) if opener else None)
    return openers


def _in_bullet_run(openers: list[str | None], index: int) -> bool:
    # "📌 Сбер: …" / "📌 ВТБ: …": the same pictograph opening neighbouring lines marks
    # items; alone ("🔥 ЦБ vs инфляция", "👁 15,2K") it belongs to its heading or counter.
    opener = openers[index]
    if opener is None:
        return False
    return (index > 0 and openers[index - 1] == opener) or (
        index + 1 < len(openers) and openers[index + 1] == opener
    )


def _add_pictograph_boundaries(line: str, boundaries: list[int], bullet_run: bool) -> list[int]:
    if not _HAS_PICTOGRAPH.search(line):
        return boundaries
    added = [
        match.end()
        for match in _PICTOGRAPH_END.finditer(line)
        if bullet_run or line[: match.start()].strip()
    ]
    if not added:
        return boundaries
    return sorted(set(boundaries).union(added))


# A full stop, then a capitalised word: the place to look for a missed boundary.
_STOP_THEN_CAPITAL: Final = re.compile(r"\.\s+([A-ZА-ЯЁ][a-zа-яё]*)")
# Pronouns, conjunctions and prepositions: capitalised, they open a sentence rather than
# continue a name.
_SENTENCE_OPENERS: Final = word_set(
    """
    Это Этот Эта Эти Он Она Они Оно Мы Я Вы Но А И В На По С Со К Для При После До Как
    Так Там Тогда Теперь Сейчас Однако Кроме Также Поэтому Если Когда Хотя Всего Всё
    It He She They We This That These Those The In On At But And However Then There
    A An I You Our Its Their His Her My Thank Thanks Please Yes
    """
)


_TIME_ZONES: Final = word_set(
    """
    ET EST EDT CT CST CDT MT MST MDT PT PST PDT AKST HST GMT UTC BST CET CEST EET EEST
    MSK МСК мск
    """
)


def _trailing_punctuation(token: str) -> int:
    return len(token) - len(token.rstrip(_URL_TAIL))


def _joins_abbreviation(line: str, boundary: int, before: str) -> bool:
    """True when ``before``, the stripped text before ``boundary``, ends in an abbreviation
    or initial."""
    if not before.endswith("."):
        return False
    after = line[boundary : boundary + 64].lstrip()
    following = after[:1]
    # Real sentences start with a capital, a digit or a quote; a lower-case start after
    # a full stop means the full stop belonged to something else.
    if following.islower():
        return True
    words = before.rsplit(None, 2)
    token = words[-1]
    last = token.lower().lstrip("(«\"“„'")
    # "т. д." and "e. g." are written with a space as often as without.
    candidates = (words[-2].lower().lstrip("(«\"“„'") + last, last) if len(words) > 1 else (last,)
    for candidate in candidates:
        if candidate in NEVER_FINAL:
            # "на 4 см. Сводка": after a number, "см." is a unit and may end a sentence.
            if len(words) < 2 or not words[-2][-1:].isdigit():
                return True
            return _continues(after)
        if candidate in MAYBE_FINAL:
            return _continues(after)
    return following.isupper() and _INITIALS.match(token) is not None


def _continues(after: str) -> bool:
    """Whether the upper-case or digit start ``after`` an abbreviation continues its sentence."""
    next_token = after.split(maxsplit=1)[0] if after else ""
    # "No. G.17", "гг. XX–XXI": a number-like token after the stop continues the sentence.
    # "6:00 a.m. EST": a time zone after the time continues it too.
    return any(char.isdigit() for char in next_token) or next_token.rstrip(".,;:)") in _TIME_ZONES


def _has_quote(line: str) -> bool:
    # Substring tests run far faster than a character-class search over the line.
    return any(char in line for char in _QUOTES)


_QUOTES: Final = '«»„“”‹›"'


def _quoted_regions(line: str) -> list[tuple[int, int]]:
    """Return ``(open, close)`` offsets of balanced quotations in the line."""
    regions: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []
    straight_open: int | None = None
    russian_low_quotes = "„" in line
    for found in _QUOTE_CHAR.finditer(line):
        position, char = found.start(), found.group()
        if char == '"':
            if straight_open is None:
                straight_open = position
            else:
                regions.append((straight_open, position))
                straight_open = None
            continue
        closer = _QUOTE_PAIRS.get(char)
        if char == "“" and russian_low_quotes and stack and stack[-1][0] == "„":
            closer = None
        if closer is not None:
            stack.append((char, position))
            continue
        for index in range(len(stack) - 1, -1, -1):
            if _QUOTE_PAIRS[stack[index][0]] == char:
                regions.append((stack[index][1], position))
                del stack[index:]
                break
    return regions


def _cut(line: str, boundaries: list[int], markers: list[Marker]) -> list[tuple[int, int, bool]]:
    # Boundaries arrive sorted and distinct; only markers change them.
    ordered = boundaries
    skip_to: dict[int, int] = {}
    if markers:
        cuts = set(boundaries)
        for marker in markers:
            # A library boundary between the marker and its item would strand the marker.
            cuts.difference_update(range(marker.start + 1, marker.end + 1))
            cuts.add(marker.start)
            skip_to[marker.start] = marker.end
        ordered = sorted(cuts)
    pieces: list[tuple[int, int, bool]] = []
    for index, cut in enumerate(ordered):
        end = ordered[index + 1] if index + 1 < len(ordered) else len(line)
        start = skip_to.get(cut, cut)
        piece = line[start:end]
        stripped = piece.strip()
        if not stripped:
            continue
        # Most pieces open with a letter and are longer than any lone marker ("12)").
        if not (stripped[0].isalpha() and len(stripped) > 4) and (
            not _HAS_CONTENT.search(stripped) or _LONE_MARKER.fullmatch(stripped)
        ):
            continue
        offset = start + (len(piece) - len(piece.lstrip()))
        pieces.append((offset, offset + len(stripped), cut in skip_to))
    return pieces
