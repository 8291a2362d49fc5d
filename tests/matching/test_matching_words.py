"""The matcher reads word forms, synonyms and figures in any notation alike."""

import pytest

from annotations.matching.numbers import figures_in_digits, figures_in_words, same_value
from annotations.matching.ranking import LIKELY_SAME, prepare, rank, score
from annotations.matching.words import content_words, lemmas


def values(text: str, language: str) -> list[float]:
    prepared = prepare(text, language)
    return sorted(prepared.numbers)


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("5,7 млн человек", "ru", 5_700_000),
        ("5.7 million people", "en", 5_700_000),
        ("пять целых семь десятых миллиона человек", "ru", 5_700_000),
        ("5 700 000 человек", "ru", 5_700_000),
        ("5,700,000 people", "en", 5_700_000),
        ("$5.7m", "en", 5_700_000),
        ("двухсот сорока миллиардов долларов", "ru", 240e9),
        ("one hundred twenty thousand jobs", "en", 120_000),
        ("thirty-four trillion dollars", "en", 34e12),
        ("семь с половиной процентов", "ru", 7.5),
        ("three point four percent", "en", 3.4),
        ("полтора триллиона рублей", "ru", 1.5e12),
        ("45 тыс. рублей", "ru", 45_000),
        ("$69bn", "en", 69e9),
        ("каждый пятый житель", "ru", 20.0),
        ("a third of them", "en", 100 / 3),
        ("two thirds of the cobalt", "en", 200 / 3),
    ],
)
def test_a_figure_has_one_value_in_every_notation(text, language, expected):
    found = values(text, language)
    assert len(found) == 1, found
    assert same_value(found[0], expected), (found, expected)


def test_a_comma_reads_as_a_russian_or_english_reader_reads_it():
    assert [v for _, _, v in figures_in_digits("рост на 7,400", "ru")] == [7.4]
    assert [v for _, _, v in figures_in_digits("437,000 immigrants", "en")] == [437_000]
    assert [v for _, _, v in figures_in_digits("grew 3,6%", "en")] == [3.6]


def test_a_share_is_as_near_as_its_rounded_percentage():
    assert same_value(100 / 3, 33.3)
    assert not same_value(33.3, 35)
    assert figures_in_words(["каждый", "третий"]) == [pytest.approx(100 / 3)]


def test_russian_word_forms_fold_to_one_lemma():
    one = {word.lemma for word in content_words(lemmas("Экспорт зерна из Казахстана вырос"))}
    other = {word.lemma for word in content_words(lemmas("экспорту зерну в Казахстане растёт"))}
    assert one == other


def test_english_word_forms_fold_to_one_lemma():
    one = {word.lemma for word in content_words(lemmas("Children died in crashes"))}
    other = {word.lemma for word in content_words(lemmas("a child dies in a crash"))}
    assert one == other


def test_synonyms_and_demonyms_fold_to_one_concept():
    words = {word.lemma for word in content_words(lemmas("Российская экономика выросла"))}
    assert words == {"~russia", "~economy", "~up"}
    words = {word.lemma for word in content_words(lemmas("The US economy grew"))}
    assert words == {"~usa", "~economy", "~up"}


def test_a_name_weighs_more_than_a_word_and_a_common_word_less():
    prepared = prepare("Население Москвы превысило 13 млн человек", "ru")
    assert prepared.weights["~moscow"] > prepared.weights["население"]
    assert prepared.weights["~people"] < prepared.weights["население"]


def test_the_same_claim_reworded_scores_as_likely_the_same():
    claim = prepare("Инфляция в России по итогам 2023 года составила 7,4%.")
    reworded = prepare("Инфляция в РФ за 2023 год — семь целых четыре десятых процента.")
    assert score(reworded, claim) >= LIKELY_SAME


def test_another_figure_makes_another_claim():
    claim = prepare("Инфляция в России по итогам 2023 года составила 7,4%.")
    other_year = prepare("Инфляция в России по итогам 2022 года составила 11,9%.")
    query = prepare("Российская инфляция в 2023 году достигла 7,4 процента.")
    assert score(query, claim) >= LIKELY_SAME > score(query, other_year)
    assert [m.key for m in rank(query, [("2022", other_year), ("2023", claim)])] == [
        "2023",
        "2022",
    ]


def test_another_place_makes_another_claim():
    claim = prepare("Unemployment in Canada fell to 5% in 2023.")
    other = prepare("Unemployment in Mexico fell to 5% in 2023.")
    query = prepare("In 2023 the Canadian jobless rate dropped to five percent.")
    assert score(query, claim) > score(query, other)


def test_unrelated_claims_score_near_zero():
    query = prepare("The vaccine is 95% effective at preventing severe illness.")
    other = prepare("The mayor promised to plant one million trees by 2030.")
    assert score(query, other) < 0.05
