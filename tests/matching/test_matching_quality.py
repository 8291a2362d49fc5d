"""Figures of the claim matcher on its own test set: reworded claims among 10,000 others."""

import pytest

from annotations.matching.evaluation import (
    Index,
    calibration,
    figures,
    load,
    matcher_ranks,
    naive_ranks,
)


@pytest.fixture(scope="module", params=["ru", "en"])
def language_index(request):
    language = request.param
    test = load(language, "heldout")
    return language, Index(test.archive, language)


def test_the_test_set_hides_each_language_among_ten_thousand_claims():
    for language in ("ru", "en"):
        for split in ("dev", "heldout"):
            test = load(language, split)
            assert len(test.archive) >= 10_000
            assert len(test.queries) >= 90
            kinds = {kind for query in test.queries for kind in query.kinds}
            assert kinds == {"synonyms", "order", "forms", "numbers"}


def test_reworded_claims_are_found_among_the_first_five(language_index):
    language, index = language_index
    for split in ("dev", "heldout"):
        result = figures(matcher_ranks(load(language, split), language, index)[0])
        assert result["recall@5"] >= 0.95, (split, result)
        assert result["recall@1"] >= 0.9, (split, result)


def test_the_matcher_ranks_better_than_fuzzy_matching_of_the_texts(language_index):
    language, index = language_index
    test = load(language, "heldout")
    matcher = figures(matcher_ranks(test, language, index)[0])
    naive = figures(naive_ranks(test))
    assert matcher["mrr"] > naive["mrr"]
    assert matcher["recall@1"] > naive["recall@1"]


def test_a_likely_match_is_mostly_the_same_claim(language_index):
    language, index = language_index
    calibrated = calibration(load(language, "heldout"), language, index)
    assert calibrated["precision"] >= 0.8
    assert calibrated["recall"] >= 0.8
