"""Transcripts are read as spoken debate, running text as written, a lone line as either."""

import pytest

from annotations.extraction import extract_claims
from annotations.extraction.features import describe
from annotations.extraction.learned import LearnedScorer
from annotations.extraction.transcripts import Genres, transcript_passages

ENGLISH_DEBATE = """MODERATOR: Welcome to the debate. Senator, the first question is yours.
SMITH: Thank you. Our state lost 40,000 factory jobs last year.
JONES: That's simply not true, and he knows it.
SMITH: Look at the figures from the labour department.
(APPLAUSE)
MODERATOR: Let's move on to housing."""

RUSSIAN_INTERVIEW = """Ведущий: Добрый день, у нас в студии директор водоканала.
Павлов: Здравствуйте.
Ведущий: Этим летом в трёх районах воду отключали на две недели.
Павлов: Трубам в этих районах больше пятидесяти лет.
В июле у нас было сорок две аварии."""

QUESTIONS_AND_ANSWERS = """Q: When will the bridge open?
A: In March, if the weather allows."""

RUSSIAN_PRESS = """[00:01:12] Губернатор: Коллеги, добрый день.
[00:01:20] Корреспондент: У меня вопрос про сельские школы.
[00:01:31] Губернатор: За пять лет в области закрыли 46 школ."""

RUSSIAN_STENOGRAM = """Председательствующий. Уважаемые коллеги, переходим к пункту 7.
Нилов Я. Е., председатель комитета. Законопроект внесён Правительством 2 сентября.
Председательствующий. Есть вопросы? Нет. Ставлю на голосование."""

# A Russian interview: each turn on its own line, opened by a dash.
RUSSIAN_DASH_INTERVIEW = """— Игорь Петрович, завод закрывают?
— Нет. Это слухи.
— А что с зарплатами?
— В январе мы повысили зарплаты на 10%."""

ENGLISH_NEWS = """The owner of the steel plant announced the closure of its last blast furnace.
About 2,000 people work at the site, according to the company.
The plant lost 310 million pounds last year as orders fell."""

RUSSIAN_OP_ED = """Пенсионная реформа не оправдала ни одного обещания.

Пенсионный возраст с 2019 года повысили на пять лет. Получается, что пенсионеры стали беднее.
Государству пора честно признать ошибку."""

# Labels that occur once each are a form or a notice, not turns of speech.
FIELDS = """Importer: BrightNest Inc., of St. Paul
Цена: 100 рублей
Note: the recall covers lamps sold in 2025."""

# Dashes open the items of a written list.
RUSSIAN_DASH_LIST = """В программу входят:
— ремонт 37 километров сетей;
— новые насосные станции?
— замена труб в трёх районах."""

# A live blog's entries open with the time of day, and are written.
LIVE_BLOG = """10:30 The minister arrived at the summit.
11:05 Talks began an hour late.
11:40 Protesters gathered outside."""


def spoken_lines(text: str) -> list[bool | None]:
    genres = Genres(text)
    spoken = []
    start = 0
    for line in text.split("\n"):
        if line:
            spoken.append(genres.spoken_at(start))
        start += len(line) + 1
    return spoken


@pytest.mark.parametrize(
    "text",
    [
        ENGLISH_DEBATE,
        RUSSIAN_INTERVIEW,
        QUESTIONS_AND_ANSWERS,
        RUSSIAN_PRESS,
        RUSSIAN_STENOGRAM,
        RUSSIAN_DASH_INTERVIEW,
    ],
)
def test_every_line_of_a_transcript_is_spoken(text):
    assert spoken_lines(text) == [True] * len([line for line in text.split("\n") if line])


@pytest.mark.parametrize(
    "text", [ENGLISH_NEWS, RUSSIAN_OP_ED, FIELDS, LIVE_BLOG, RUSSIAN_DASH_LIST]
)
def test_news_op_eds_forms_and_live_blogs_are_written(text):
    assert transcript_passages(text) == []
    assert set(spoken_lines(text)) == {False}


def test_a_transcript_quoted_in_a_news_story_is_spoken_and_the_story_written():
    story = "The debate turned on jobs.\n\n" + ENGLISH_DEBATE + "\n\nThe senator left early."
    ((start, end),) = transcript_passages(story)
    assert story[start:end] == ENGLISH_DEBATE
    assert spoken_lines(story) == [False] + [True] * 6 + [False]


@pytest.mark.parametrize(
    "text",
    [
        "Our state lost 40,000 factory jobs last year.",
        "SMITH: Our state lost 40,000 factory jobs last year.",
        "В июле было сорок две аварии. Трубам больше пятидесяти лет.",
    ],
)
def test_a_one_line_text_shows_no_genre(text):
    assert spoken_lines(text) == [None]


def scores(text: str, language: str, reading: str | None = None) -> list[float]:
    claims = extract_claims(text, language=language, scorer=LearnedScorer(reading=reading))
    return [claim.checkworthiness for claim in claims]


@pytest.mark.parametrize(("text", "language"), [(ENGLISH_DEBATE, "en"), (RUSSIAN_INTERVIEW, "ru")])
def test_extraction_reads_a_transcript_as_either_debate_or_written_text(text, language):
    # The debate reading alone suits debates but not interviews and briefings.
    either = scores(text, language, "either")
    assert scores(text, language) == either
    assert either != scores(text, language, "written")
    assert either != scores(text, language, "debate")


@pytest.mark.parametrize(("text", "language"), [(ENGLISH_NEWS, "en"), (RUSSIAN_OP_ED, "ru")])
def test_extraction_reads_news_and_op_eds_as_written(text, language):
    written = scores(text, language, "written")
    assert scores(text, language) == written != scores(text, language, "either")


def test_a_sentence_of_unknown_genre_is_read_as_either():
    sentence = "Our state lost 40,000 factory jobs last year, the most since 1990."
    features = describe(sentence, 0, "en", [])
    assert features.spoken is None
    either = LearnedScorer().score(features).checkworthiness
    spoken = LearnedScorer(debate=True).score(features).checkworthiness
    written = LearnedScorer(debate=False).score(features).checkworthiness
    assert spoken != written
    assert min(spoken, written) <= either <= max(spoken, written)
    assert either == LearnedScorer(reading="either").score(features).checkworthiness


def test_a_one_line_text_is_read_as_either_through_extraction():
    line = "SMITH: Our state lost 40,000 factory jobs last year. We added none."
    assert scores(line, "en") == scores(line, "en", "either") != scores(line, "en", "written")


STATEMENT = [
    "Thank you all for coming this morning.",
    "The budget I am sending to the council today closes a gap of 212 million dollars.",
    "We did it without raising the property tax.",
    "Library hours stay the same.",
    "The summer jobs programme grows a little.",
    "The police academy keeps its two classes a year.",
    "Nobody likes cuts, but families at home make them every day.",
    "I have been to every district to hear what people want.",
    "They want safe streets and open libraries.",
    "They do not want higher taxes.",
    "I think this budget does all three.",
    "The strike is the other thing I want to talk about.",
    "I am asking both sides to get back to the table today.",
    "The city is ready to help.",
]
PRESS_CONFERENCE = "\n".join(
    [
        f"MAYOR: {STATEMENT[0]}",
        *STATEMENT[1:],
        "REPORTER: Will the city put money in to settle the strike?",
        "MAYOR: We have offered a month of free fares once service resumes.",
        "REPORTER: And the water fees?",
        "MAYOR: About four dollars a month for a typical household.",
    ]
)


def test_a_press_conference_opened_by_a_long_statement_is_spoken_from_its_first_line():
    assert spoken_lines(PRESS_CONFERENCE) == [True] * 18


def test_a_speech_goes_on_between_the_notes_of_the_room():
    lines = [
        f"SENATOR: {STATEMENT[0]}",
        *STATEMENT[1:8],
        "(APPLAUSE)",
        *STATEMENT[8:],
        "(LAUGHTER)",
        *STATEMENT[1:8],
        "AUDIENCE: Four more years!",
        "SENATOR: Thank you.",
    ]
    # 22 lines of the senator's without a label: more than one turn may run, but the
    # room is heard every few lines.
    assert spoken_lines("\n".join(lines)) == [True] * len(lines)


def test_a_long_statement_ended_by_a_blank_line_does_not_join_the_transcript_after_it():
    story = "\n".join(
        [
            f"MAYOR: {STATEMENT[0]}",
            "",
            *STATEMENT[1:],
            "REPORTER: Will the city put money in to settle the strike?",
            "MAYOR: We have offered a month of free fares once service resumes.",
            "REPORTER: And the water fees?",
            "MAYOR: About four dollars a month for a typical household.",
        ]
    )
    assert spoken_lines(story) == [False] * 14 + [True] * 4


def test_a_label_repeated_far_apart_in_written_text_is_not_a_transcript():
    notice = "\n".join(["Note: prices include tax.", *STATEMENT[1:], "Note: offer ends Monday."])
    assert transcript_passages(notice) == []
