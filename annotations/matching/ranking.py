"""How alike two claims are, as a calibrated probability that they are the same claim.

A claim is prepared once (``prepare``): its content words folded to lemmas and concepts,
each with a weight (names weigh more, words found in half of all claims less), its
figures as plain values, and a sketch of its lemmas for fuzzy comparison. Two prepared
claims give a few features (``features``); a logistic model fitted on the development
set (``python -m annotations.matching.evaluation --fit``) turns them into a probability,
so that ``LIKELY_SAME`` means what it says on claims like those it was fitted on.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from rapidfuzz import fuzz

from .numbers import (
    EVERY,
    NUMBER_LEMMAS,
    ORDINAL_SHARES,
    figures_in_digits,
    figures_in_words,
    number_token,
    same_value,
)
from .words import LIGHT, _english, content_words, lemmas

NAME_WEIGHT: Final = 2.0
LIGHT_WEIGHT: Final = 0.3
WORD_WEIGHT: Final = 1.0

# Fitted by ``python -m annotations.matching.evaluation --fit`` on the development set;
# the order is that of ``FEATURES``.
FEATURES: Final = ("dice", "coverage", "numbers_matched", "numbers_unmatched", "fuzzy")
COEFFICIENTS: Final = (4.373, 2.062, 2.329, -15.211, 2.654)
INTERCEPT: Final = -7.022
# A score at or above this is shown as "likely the same claim".
LIKELY_SAME: Final = 0.5
# Below this a candidate shares words but hardly ever the claim: the panel leaves it out
# rather than show a reviewer unrelated claims (the API still ranks every candidate).
WORTH_SHOWING: Final = 0.1

_CYRILLIC: Final = re.compile(r"[а-яё]", re.IGNORECASE)


@dataclass(frozen=True)
class Prepared:
    """A claim as the matcher compares it."""

    text: str
    weights: dict[str, float]
    numbers: tuple[float, ...]
    sketch: str

    @property
    def total(self) -> float:
        return sum(self.weights.values())


def guess_language(text: str) -> str:
    letters = [char for char in text if char.isalpha()]
    cyrillic = sum(1 for char in letters if _CYRILLIC.match(char))
    return "ru" if letters and cyrillic * 2 >= len(letters) else "en"


def prepare(text: str, language: str | None = None) -> Prepared:
    """The claim ``text`` ready to be compared; ``language`` ("ru", "en") decides how a
    comma in a figure reads, and is guessed from the letters when not given."""
    return _prepare(text, language or guess_language(text))


def number_terms(text: str) -> str:
    """The figures of ``text`` as search-index words (``numbers.number_token``), space-
    separated: what a claim's full-text index holds besides its words, so that a claim
    is found by its figures in digits or in words alike. The language is guessed from
    the text, on the claims stored and the queries alike, so that both read a figure
    the same way."""
    if not _may_hold_figures(text):
        return ""
    values = prepare(text).numbers
    return " ".join(dict.fromkeys(number_token(value) for value in values))


def _may_hold_figures(text: str) -> bool:
    # Most claims' figures are in digits, and most claims without digits have no number
    # words either: those need no analysis of their words.
    if any(char.isdigit() for char in text):
        return True
    words = set(re.findall(r"\w+", text.lower().replace("ё", "е")))
    if not words.isdisjoint(_number_word_forms()):
        return True
    # English words are lemmatized as the matcher does ("sixties" is "sixty"), cheaply.
    lemmas = _number_lemmas()
    return any(_english(word) in lemmas for word in words if not _CYRILLIC.search(word))


@lru_cache(maxsize=1)
def _number_lemmas() -> frozenset[str]:
    return frozenset(NUMBER_LEMMAS | set(ORDINAL_SHARES) | EVERY)


@lru_cache(maxsize=1)
def _number_word_forms() -> frozenset[str]:
    """Every form of every word that may be (part of) a figure in words."""
    from ..extraction.morphology import morph_analyzer

    forms: set[str] = set()
    for lemma in NUMBER_LEMMAS | set(ORDINAL_SHARES) | EVERY:
        lemma = lemma.replace("ё", "е")
        forms.add(lemma)
        if _CYRILLIC.search(lemma):
            for parse in morph_analyzer().parse(lemma):
                forms.update(form.word.replace("ё", "е") for form in parse.lexeme)
    return frozenset(forms)


# The same archive claims are compared again on every request: kept prepared. A
# ``Prepared`` is never changed once made, so one may serve every caller.
@lru_cache(maxsize=50_000)
def _prepare(text: str, language: str) -> Prepared:
    analysed = lemmas(text)
    weights: dict[str, float] = {}
    for word in content_words(analysed):
        if word.name:
            weight = NAME_WEIGHT
        elif word.lemma in LIGHT:
            weight = LIGHT_WEIGHT
        else:
            weight = WORD_WEIGHT
        weights[word.lemma] = max(weight, weights.get(word.lemma, 0.0))
    numbers = [value for _, _, value in figures_in_digits(text, language)]
    numbers.extend(figures_in_words([item.lemma for item in analysed]))
    sketch = " ".join(sorted(weights))
    return Prepared(text=text, weights=weights, numbers=tuple(numbers), sketch=sketch)


def _numbers(query: Sequence[float], candidate: Sequence[float]) -> tuple[float, float]:
    """(share of figures matched, share left unmatched) over both claims' figures."""
    if not query and not candidate:
        return 0.0, 0.0
    matched_query = sum(1 for a in query if any(same_value(a, b) for b in candidate))
    matched_candidate = sum(1 for b in candidate if any(same_value(a, b) for a in query))
    total = len(query) + len(candidate)
    matched = (matched_query + matched_candidate) / total
    return matched, 1.0 - matched


def overlap(query: Prepared, candidate: Prepared) -> float:
    """The weighted share of words two claims have in common (Dice), cheap to compute."""
    shared = sum(
        max(weight, candidate.weights[lemma])
        for lemma, weight in query.weights.items()
        if lemma in candidate.weights
    )
    whole = query.total + candidate.total
    return 2 * shared / whole if whole else 0.0


def features(query: Prepared, candidate: Prepared) -> tuple[float, ...]:
    shared = sum(
        max(weight, candidate.weights[lemma])
        for lemma, weight in query.weights.items()
        if lemma in candidate.weights
    )
    whole = query.total + candidate.total
    dice = 2 * shared / whole if whole else 0.0
    coverage = min(1.0, shared / query.total) if query.total else 0.0
    matched, unmatched = _numbers(query.numbers, candidate.numbers)
    fuzzy = fuzz.token_set_ratio(query.sketch, candidate.sketch) / 100
    return (dice, coverage, matched, unmatched, fuzzy)


def probability(values: Sequence[float]) -> float:
    z = INTERCEPT + sum(weight * value for weight, value in zip(COEFFICIENTS, values, strict=True))
    return 1.0 / (1.0 + math.exp(-z))


def score(query: Prepared, candidate: Prepared) -> float:
    """The probability that ``candidate`` states the same claim as ``query``."""
    return probability(features(query, candidate))


@dataclass(frozen=True)
class Match:
    key: object
    score: float


def rank(
    query: Prepared, candidates: Iterable[tuple[object, Prepared]], limit: int = 10
) -> list[Match]:
    """The ``limit`` best of ``(key, prepared claim)`` candidates, best first; ties keep
    the candidates' order."""
    scored = [Match(key, score(query, prepared)) for key, prepared in candidates]
    scored.sort(key=lambda match: -match.score)
    return scored[:limit]
