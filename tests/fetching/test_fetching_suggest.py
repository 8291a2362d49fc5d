"""Suggesting passages that may support a claim."""

from __future__ import annotations

from annotations.fetching.suggest import guess_language, lemma, sentence_spans, suggest_passages

RU_PAGE = (
    "Погода в Москве в среду была тёплой. "
    "Министр финансов заявила, что дефицит бюджета сократится вдвое к 2026 году. "
    "В Казани открыли новую школу на тысячу учеников. "
    "По словам министра, бюджетные расходы на оборону останутся прежними. "
    "Курс рубля почти не изменился."
)
EN_PAGE = (
    "The weather in London was warm on Wednesday. "
    "The finance minister said the budget deficit would be halved by 2026. "
    "A new school for a thousand pupils opened in Leeds. "
    "Defence spending will stay flat, according to the minister. "
    "The pound barely moved."
)


def test_it_ranks_russian_sentences_by_lemmas() -> None:
    suggestions = suggest_passages(RU_PAGE, "Министры заявляли о дефиците бюджетов", language="ru")
    assert suggestions[0].text.startswith("Министр финансов заявила")
    assert len(suggestions) <= 3
    for suggestion in suggestions:
        assert RU_PAGE[suggestion.start : suggestion.end] == suggestion.text
        assert suggestion.score > 0
    assert [s.score for s in suggestions] == sorted((s.score for s in suggestions), reverse=True)


def test_it_ranks_english_sentences() -> None:
    suggestions = suggest_passages(EN_PAGE, "Minister says deficits will be halved", language="en")
    assert suggestions[0].text == (
        "The finance minister said the budget deficit would be halved by 2026."
    )
    for suggestion in suggestions:
        assert EN_PAGE[suggestion.start : suggestion.end] == suggestion.text


def test_it_guesses_the_language() -> None:
    assert guess_language("Дефицит бюджета") == "ru"
    assert guess_language("Budget deficit") == "en"
    suggestions = suggest_passages(RU_PAGE, "дефицит бюджета")
    assert "дефицит бюджета" in suggestions[0].text


def test_it_respects_the_limit() -> None:
    assert len(suggest_passages(RU_PAGE, "министр", limit=1)) == 1
    assert suggest_passages(RU_PAGE, "министр", limit=0) == []


def test_nothing_is_suggested_without_shared_words() -> None:
    assert suggest_passages(RU_PAGE, "квантовая гравитация") == []
    assert suggest_passages(RU_PAGE, "и в на") == []
    assert suggest_passages("", "дефицит") == []


def test_lemmas_merge_word_forms() -> None:
    assert lemma("заявила") == lemma("заявил") == "заявить"
    assert lemma("бюджетов") == "бюджет"


def test_sentences_keep_their_offsets() -> None:
    for start, end in sentence_spans(RU_PAGE, "ru") + sentence_spans(EN_PAGE, "en"):
        assert end > start
    spans = sentence_spans(EN_PAGE, "en")
    assert [EN_PAGE[start:end] for start, end in spans][-1] == "The pound barely moved."
    assert len(spans) == 5
