"""Which parts of a text are transcripts of speech, and which are written text.

The check-worthiness model reads a sentence differently in a spoken debate (where many
plain statements are small talk) and in written text (see ``vectors.as_debate``).
Nothing tells extraction a document's genre, so it looks at the text's shape:

- A **transcript passage** is a run of lines that open with a speaker's label
  ("TRUMP:", "Ведущий:", "Q:", "REPORTER (Daily Post):", optionally after a time code
  "[00:12:31]"; a stenogram's "Председательствующий." or "Нилов Я. Е.,") where the
  turns are taken: a speaker speaks again, or a question ("Q:", "Вопрос:") is answered
  ("A:", "Ответ:"), or the room is heard ("(APPLAUSE)", "(смех)"). Field lists
  ("Price: 100 rubles", "Цена: 100 рублей") have labels too, but each only once. A
  Russian interview's turns are lines opened by a dash, where a question is answered at
  least twice. Lines without a label inside the run continue a turn, for at most 12
  lines after the last label or note of the room ("(APPLAUSE)" on a line of its own: a
  speech goes on between them); the last turn runs on to the next blank line. A turn
  longer than that ends the run, unless it is the turn that opens a transcript and its
  speaker speaks again in the turns that follow, with no blank line between (a press
  conference's opening statement).
- Everything else in a text of more than one line is **written text**.
- A text of one line outside any transcript (a sentence scored alone, a one-line
  paste) shows **no evidence** either way.
"""

import re
from bisect import bisect_right
from itertools import pairwise
from typing import Final

# "[00:12:31]", "(12:31)", "00:12:31": a time code before the speaker. A bare "10:30"
# opens live-blog entries too, which are written, so it needs brackets or seconds.
_TIME_CODE: Final = r"(?:[\[(]\d{1,2}:\d{2}(?::\d{2})?[\])]|\d{1,2}:\d{2}:\d{2})"
# A speaker: one to four words, each capitalised or in capitals ("MR. SMITH", "Sergey
# Pavlov", "Г-н Иванов", "Q"), perhaps with who they are in brackets, then a colon and
# what they say on the same line.
_NAME_WORD: Final = r"[A-ZА-ЯЁ][\w'’.-]*"
_SPEAKER_LINE: Final = re.compile(
    rf"[ \t]*(?:{_TIME_CODE}[ \t]*)?"
    rf"(?P<speaker>{_NAME_WORD}(?:[ \t]+{_NAME_WORD}){{0,3}})"
    r"(?:[ \t]*\([^()\n]{1,60}\))?[ \t]*:[ \t]+\S",
)
_TIME_CODE_LINE: Final = re.compile(rf"[ \t]*{_TIME_CODE}")
# A stenogram names the speaker and ends the name with a full stop or a comma:
# "Председательствующий. Уважаемые коллеги…", "Нилов Я. Е., председатель Комитета…".
_STENOGRAM_LINE: Final = re.compile(
    r"[ \t]*(?P<speaker>Председательствующ(?:ий|ая)|[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?"
    r"[ \t]+[А-ЯЁ]\.[ \t]?[А-ЯЁ]\.)[.,][ \t]+\S"
)
# A Russian interview gives each turn its own line opened by a dash: "— Это правда?" /
# "— Нет. Это слухи."
_DASH_TURN: Final = re.compile(r"[ \t]*[—–][ \t]+\S")
_DASH_QUESTION: Final = "—?"
_DASH_ANSWER: Final = "—"
# What a transcriber writes for what is heard but not said.
_ROOM: Final = re.compile(
    r"[\[(](?:applause|laughter|crosstalk|inaudible|booing|cheers|"
    r"аплодисменты|смех|шум в зале|неразборчиво|перебивает)[\])]",
    re.IGNORECASE,
)
_ROOM_LINE: Final = re.compile(rf"[ \t]*{_ROOM.pattern}[ \t]*", re.IGNORECASE)
_QUESTIONS: Final = frozenset({"q", "question", "в", "вопрос"})
_ANSWERS: Final = frozenset({"a", "answer", "о", "ответ"})
# How many lines without a label a turn may run on inside a transcript passage.
_LONGEST_TURN: Final = 12


def transcript_passages(text: str) -> list[tuple[int, int]]:
    """Spans ``(start, end)`` of ``text`` that are transcripts, in order."""
    lines = _lines(text)
    runs: list[list[tuple[int, int, str]]] = []  # labelled lines and their speakers
    run: list[tuple[int, int, str]] = []
    since_label = 0
    for index, (start, end) in enumerate(lines):
        speaker = _speaker(text, start, end)
        if speaker is not None:
            if run and since_label > _LONGEST_TURN:
                runs.append(run)
                run = []
            run.append((index, start, speaker))
            since_label = 0
        elif _heard(text, start, end):
            since_label = 0  # the transcriber still writes down the room: the speech goes on
        elif start < end:
            since_label += 1
    runs.append(run)
    passages = []
    before: list[tuple[int, int, str]] = []  # the run before, when it took no turns
    for run in runs:
        if not _turns_taken(text, lines, run):
            before = run
            continue
        # A long opening statement (a press conference's, a speech's before the first
        # question) takes no turns by itself; its speaker speaking again in the transcript
        # that follows, with no blank line between to end the turn, shows that it opened it.
        if _named(before) & _named(run) and all(
            start < end for start, end in lines[before[-1][0] : run[0][0]]
        ):
            run = before + run
        passages.extend(_passage(text, lines, run))
        before = []
    return passages


def _lines(text: str) -> list[tuple[int, int]]:
    spans = []
    start = 0
    for line in text.split("\n"):
        end = start + len(line)
        stripped = line.strip()
        if stripped:
            spans.append((start, end))
        else:
            spans.append((start, start))  # a blank line ends a turn
        start = end + 1
    return spans


def _speaker(text: str, start: int, end: int) -> str | None:
    line = text[start:end]
    found = _SPEAKER_LINE.match(line) or _STENOGRAM_LINE.match(line)
    if found is not None:
        return found["speaker"].lower()
    if _DASH_TURN.match(line):
        return _DASH_QUESTION if line.rstrip().endswith("?") else _DASH_ANSWER
    if _TIME_CODE_LINE.match(line):
        return ""  # a time code without a name: a turn of someone not named
    return None


def _heard(text: str, start: int, end: int) -> bool:
    """Whether the line ``text[start:end]`` only notes what the room did ("(APPLAUSE)")."""
    return _ROOM_LINE.fullmatch(text, start, end) is not None


def _named(run: list[tuple[int, int, str]]) -> set[str]:
    return {speaker for _, _, speaker in run} - {_DASH_QUESTION, _DASH_ANSWER, ""}


def _passage(
    text: str, lines: list[tuple[int, int]], run: list[tuple[int, int, str]]
) -> list[tuple[int, int]]:
    start = run[0][1]
    last = run[-1][0]
    end = lines[last][1]
    said = 0
    for line_start, line_end in lines[last + 1 :]:
        if line_start == line_end:
            break
        if _heard(text, line_start, line_end):
            said = 0
        else:
            said += 1
            if said > _LONGEST_TURN:
                break
        end = line_end
    return [(start, end)]


def _turns_taken(text: str, lines: list[tuple[int, int]], run: list[tuple[int, int, str]]) -> bool:
    if len(run) < 2:
        return False
    speakers = [speaker for _, _, speaker in run]
    dashes = [speaker for speaker in speakers if speaker in (_DASH_QUESTION, _DASH_ANSWER)]
    if dashes:
        # Dashes open the items of written lists too: a dialogue asks and is answered,
        # more than once.
        answered = sum(
            1
            for asked, said in pairwise(dashes)
            if asked == _DASH_QUESTION and said == _DASH_ANSWER
        )
        if answered >= 2:
            return True
        speakers = [speaker for speaker in speakers if speaker not in dashes]
    if len(set(speakers)) < len(speakers):
        return True
    if _QUESTIONS & set(speakers) and _ANSWERS & set(speakers):
        return True
    first, last = run[0][0], run[-1][0]
    return _ROOM.search(text, lines[first][0], lines[last][1]) is not None


class Genres:
    """How each part of one text is to be read: ``spoken_at(offset)`` is True inside a
    transcript passage, False in written text, None when the text shows neither."""

    def __init__(self, text: str) -> None:
        self.passages = transcript_passages(text)
        self._starts = [start for start, _ in self.passages]
        lines = sum(1 for line in text.split("\n") if line.strip())
        self._outside: bool | None = False if lines > 1 else None

    def spoken_at(self, offset: int) -> bool | None:
        index = bisect_right(self._starts, offset) - 1
        if index >= 0 and offset < self.passages[index][1]:
            return True
        return self._outside
