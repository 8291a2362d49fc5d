"""Figures on the demo article and on the extraction test corpus, and how they are computed."""

import subprocess
import sys
from pathlib import Path

import pytest

from annotations.extraction.evaluation import evaluate, kind_scores, span_scores

ROOT = Path(__file__).resolve().parents[2]
DEMO_GOLD = ROOT / "annotations" / "fixtures" / "kz-ru-relations.ru.gold.json"
CORPUS = sorted((ROOT / "tests" / "data" / "extraction").glob("*.gold.json"))


@pytest.fixture(scope="module")
def demo():
    return evaluate([DEMO_GOLD])["total"]


@pytest.fixture(scope="module")
def corpus():
    return evaluate(CORPUS)


def test_the_demo_article_is_split_exactly_as_the_gold(demo):
    assert demo["spans"]["f1"] >= 0.95


def test_facts_in_the_demo_article_are_found_with_enough_precision(demo):
    assert demo["fact"]["recall"] >= 0.8
    assert demo["fact"]["precision"] >= 0.6


def test_the_corpus_covers_both_languages():
    names = " ".join(path.name for path in CORPUS)
    assert len(CORPUS) >= 10
    assert "ru-" in names and "en-" in names


def test_the_corpus_holds_at_least_200_gold_claims(corpus):
    assert corpus["total"]["spans"]["gold"] >= 200


def test_the_corpus_is_split_well(corpus):
    assert corpus["total"]["spans"]["f1"] >= 0.95
    for name, figures in corpus["files"].items():
        assert figures["spans"]["f1"] >= 0.85, name


def test_facts_in_the_corpus_are_found_with_enough_precision(corpus):
    assert corpus["total"]["fact"]["recall"] >= 0.8
    assert corpus["total"]["fact"]["precision"] >= 0.7


def test_other_kinds_in_the_corpus_are_recognised(corpus):
    total = corpus["total"]
    assert total["question"]["recall"] >= 0.9
    assert total["other"]["recall"] >= 0.7
    assert total["opinion"]["recall"] >= 0.6
    assert total["prediction"]["recall"] >= 0.6


def test_span_scores_count_only_exact_matches():
    gold = [{"start": 0, "end": 5}, {"start": 6, "end": 10}]
    predicted = [{"start": 0, "end": 5}, {"start": 6, "end": 9}, {"start": 11, "end": 12}]
    scores = span_scores(gold, predicted)
    assert scores["precision"] == pytest.approx(1 / 3)
    assert scores["recall"] == pytest.approx(1 / 2)
    assert scores["f1"] == pytest.approx(0.4)


def test_kind_scores_need_both_span_and_kind():
    gold = [{"start": 0, "end": 5, "kind": "fact"}, {"start": 6, "end": 10, "kind": "fact"}]
    predicted = [
        {"start": 0, "end": 5, "kind": "fact"},
        {"start": 6, "end": 10, "kind": "opinion"},
        {"start": 11, "end": 12, "kind": "fact"},
    ]
    scores = kind_scores(gold, predicted, "fact")
    assert scores["precision"] == pytest.approx(1 / 2)
    assert scores["recall"] == pytest.approx(1 / 2)


def test_scores_of_nothing_are_zero_not_an_error():
    assert span_scores([], [])["f1"] == 0.0


def test_the_evaluation_module_prints_figures_for_gold_files():
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "annotations.extraction.evaluation",
            str(DEMO_GOLD),
            "--no-entities",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert "spans  P=1.000 R=1.000 F1=1.000" in result.stdout
    assert "fact" in result.stdout


def test_facts_in_the_demo_article_are_found_without_entity_recognition():
    figures = evaluate([DEMO_GOLD], entities=False)["total"]
    assert figures["spans"]["f1"] >= 0.95
    assert figures["fact"]["recall"] >= 0.8
    assert figures["fact"]["precision"] >= 0.6


def test_documents_written_after_the_rules_are_split_well():
    held_out = [path for path in CORPUS if "-heldout-" in path.name]
    assert len(held_out) >= 10
    figures = evaluate(held_out)["total"]
    assert figures["spans"]["f1"] >= 0.95
    assert figures["fact"]["recall"] >= 0.75
    assert figures["fact"]["precision"] >= 0.8
