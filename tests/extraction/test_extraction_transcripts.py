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
