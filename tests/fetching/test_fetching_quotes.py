"""Finding the statement a reviewer quoted, however the page typeset it."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotations.fetching.quotes import locate_quote, normalize

RU_PAGE = (
    "Новости экономики. Министр финансов Анна Смирнова заявила:\u00a0«Дефицит бюджета "
    "сократится вдвое к\u00a02026\u00a0году» — об этом сообщает пресс-служба ведомства. "
    "Ещё она добавила, что  расходы на\n  об\u00adразование вырастут на 12 процентов. "
    "Эксперты отнеслись к прогнозу скептически &mdash; доходы от экспорта снижаются."
)
EN_PAGE = (
    "Economy news. Finance minister Anna Smith said: “The budget deficit will be halved "
    "by 2026” — the ministry’s press office reported. She added that spending on "
    "education would rise by 12 percent. Experts were skeptical &amp; pointed to falling "
    "export revenue."
)


def check_offsets(page: str, match) -> None:
    assert match.found
    assert page[match.start : match.end] == match.passage
    assert match.context_before == page[max(0, match.start - 150) : match.start]
    assert match.context_after == page[match.end : match.end + 150]


@pytest.mark.parametrize(
    ("page", "quote"),
    [
        (RU_PAGE, "Министр финансов Анна Смирнова заявила"),
        (EN_PAGE, "spending on education would rise by 12 percent"),
    ],
)
def test_it_finds_a_verbatim_quote(page: str, quote: str) -> None:
    match = locate_quote(page, quote)
    check_offsets(page, match)
    assert (match.method, match.score, match.passage) == ("exact", 100.0, quote)


@pytest.mark.parametrize(
    ("page", "quote", "expected"),
    [
        (RU_PAGE, '"Дефицит бюджета сократится вдвое к 2026 году"', "«Дефицит бюджета"),
        (RU_PAGE, "'Дефицит бюджета сократится вдвое'", "Дефицит бюджета сократится вдвое"),
        (RU_PAGE, "дефицит БЮДЖЕТА сократится", "Дефицит бюджета сократится"),
        (RU_PAGE, "ещё она добавила, что расходы на образование", "Ещё она добавила"),
        (RU_PAGE, "Еще она добавила", "Ещё она добавила"),
        (RU_PAGE, "к 2026 году» - об этом", "к\u00a02026\u00a0году» — об этом"),
        (RU_PAGE, "расходы на образование", "расходы на\n  об\u00adразование"),
        (RU_PAGE, "сообщает пресс–служба", "сообщает пресс-служба"),
        (RU_PAGE, "скептически — доходы", "скептически &mdash; доходы"),
        (EN_PAGE, 'said: "The budget deficit will be halved by 2026"', "said: “The budget"),
        (EN_PAGE, "the ministry's press office", "the ministry’s press office"),
        (EN_PAGE, '2026" - the ministry', "2026” — the ministry"),
        (EN_PAGE, "skeptical & pointed", "skeptical &amp; pointed"),
        (
            "Он сказал &nbsp; что\u00a0&#160;всё",
            "сказал что все",
            "сказал &nbsp; что\u00a0&#160;всё",
        ),
        (EN_PAGE, "  THE BUDGET   deficit\u200b will ", "The budget deficit will"),
    ],
)
def test_it_finds_a_quote_typeset_differently(page: str, quote: str, expected: str) -> None:
    match = locate_quote(page, quote)
    check_offsets(page, match)
    assert match.method == "normalized"
    assert match.score == 100.0
    assert match.passage.startswith(expected) or match.passage == expected


@pytest.mark.parametrize(
    ("page", "quote", "expected"),
    [
        (
            RU_PAGE,
            "Министр финансов Анна Смирнова сказала: «Дефицит бюджета сократится вдвое",
            "Министр финансов Анна Смирнова заявила:\u00a0«Дефицит бюджета сократится вдвое",
        ),
        (
            RU_PAGE,
            "расходы на образование вырастут на 15 процентов",
            "расходы на\n  об\u00adразование вырастут на 12 процентов",
        ),
        (
            EN_PAGE,
            "She added that spending on schools would rise by 12 percent",
            "She added that spending on education would rise by 12 percent",
        ),
    ],
)
def test_it_finds_a_quote_with_altered_wording(page: str, quote: str, expected: str) -> None:
    match = locate_quote(page, quote)
    check_offsets(page, match)
    assert match.method == "fuzzy"
    assert 85 <= match.score < 100
    assert match.passage == expected


@pytest.mark.parametrize(
    ("page", "quote"),
    [
        (RU_PAGE, "Президент подписал указ о повышении пенсий"),
        (EN_PAGE, "The president signed a decree raising pensions"),
        (EN_PAGE, "   "),
        ("", "anything"),
    ],
)
def test_it_returns_none_for_a_missing_quote(page: str, quote: str) -> None:
    assert locate_quote(page, quote) is None


def test_a_higher_threshold_rejects_a_loose_match() -> None:
    quote = "She added that spending on schools would rise by 12 percent"
    assert locate_quote(EN_PAGE, quote, min_score=99) is None


def test_the_first_of_repeated_quotes_wins() -> None:
    page = "Он сказал «да». Потом снова: «да». И ещё раз — «да»."
    assert locate_quote(page, '"да"').start == page.index("«да»")
    assert locate_quote(page * 3, "«да»").start == page.index("«да»")


def test_it_is_deterministic() -> None:
    quote = "расходы на образование вырастут на 15 процентов"
    assert len({locate_quote(RU_PAGE, quote) for _ in range(5)}) == 1


def test_the_normalised_text_maps_back_to_the_original() -> None:
    original = "A\u00a0&amp;  B\u200b\u00ad C…  «D»"
    normalized = normalize(original)
    assert normalized.text == 'a\u0020& b c... "d"'.replace("\u0020", " ")
    for index in range(len(normalized.text)):
        start = normalized.original_start(index)
        end = normalized.original_end(index + 1)
        assert start < end
        assert original[start:end]


NOISE = st.sampled_from(["\u00a0", "  ", "\u00ad", "\u200b", "&nbsp;", "\n", "—", "«", "ё"])
WORDS = st.sampled_from(["бюджет", "дефицит", "budget", "ёлка", "said", "—", "«да»", "12%"])


@settings(max_examples=150, deadline=None)
@given(
    before=st.lists(st.one_of(WORDS, NOISE), max_size=12),
    quoted=st.lists(st.one_of(WORDS, NOISE), min_size=1, max_size=8),
    after=st.lists(st.one_of(WORDS, NOISE), max_size=12),
)
def test_offsets_always_slice_back_to_the_passage(before, quoted, after) -> None:
    page = " ".join(before) + " " + " ".join(quoted) + " " + " ".join(after)
    quote = " ".join(quoted)
    match = locate_quote(page, quote)
    if not quote.strip():
        assert match is None
        return
    assert match is not None
    check_offsets(page, match)
    assert match.method == "exact"
    # The same quote retyped without typography must still be found, and map back.
    retyped = locate_quote(page, quote.replace("\u00a0", " ").replace("ё", "е").upper())
    if retyped is not None:
        check_offsets(page, retyped)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=60), st.text(min_size=1, max_size=15))
def test_any_match_slices_back(page: str, quote: str) -> None:
    match = locate_quote(page, quote)
    if match is not None:
        check_offsets(page, match)
        assert match.end > match.start
