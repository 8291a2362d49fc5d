"""The learned scorer: calibrated check-worthiness, kinds, reasons, and its retraining."""

import json
import os
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from annotations.extraction import LearnedScorer, extract_claims
from annotations.extraction.checkworthiness import (
    HELDOUT_DIR,
    baseline_score,
    heldout_sentences,
    roc_auc,
)
from annotations.extraction.learned import MODEL_PATH, ScorerModel
from annotations.extraction.training import claimbuster, sentence_features
from annotations.templatetags.claim_reasons import reason_label
from tests.helpers import manage


def only(text: str, **options):
    claims = extract_claims(text, **options)
    assert len(claims) == 1, claims
    return claims[0]


@pytest.fixture(scope="module")
def heldout_probabilities():
    # ClaimBuster's sentences are spoken debate, and read as such.
    scorer = LearnedScorer(debate=True)
    items = claimbuster(heldout=True)
    scored = [scorer.score(sentence_features(item.text, "en")) for item in items]
    return [item.checkworthy for item in items], [result.checkworthiness for result in scored]


def test_probabilities_on_unseen_sentences_are_calibrated(heldout_probabilities):
    labels, probabilities = heldout_probabilities
    # Within each band of predicted probability, the share of check-worthy sentences is
    # close to the band's average prediction.
    bands: dict[int, list[tuple[float, bool]]] = {}
    for probability, label in zip(probabilities, labels, strict=True):
        bands.setdefault(min(int(probability * 5), 4), []).append((probability, label))
    error = 0.0
    for members in bands.values():
        predicted = sum(probability for probability, _ in members) / len(members)
        observed = sum(label for _, label in members) / len(members)
        if len(members) >= 40:
            assert abs(predicted - observed) < 0.15, (predicted, observed, len(members))
        error += len(members) * abs(predicted - observed)
    assert error / len(labels) < 0.08


def test_it_ranks_unseen_sentences_better_than_digits_then_length(heldout_probabilities):
    labels, probabilities = heldout_probabilities
    items = claimbuster(heldout=True)
    baseline = roc_auc(labels, [baseline_score(item.text) for item in items])
    assert roc_auc(labels, probabilities) >= baseline + 0.1


@pytest.mark.parametrize("language", ["en", "ru"])
def test_it_ranks_the_sentences_written_after_the_model_well(language):
    items = heldout_sentences(HELDOUT_DIR / f"heldout-{language}.tsv")
    items += heldout_sentences(HELDOUT_DIR / f"heldout-{language}-running.tsv")
    scores = [
        max(claim.checkworthiness for claim in extract_claims(item.text, language=language))
        for item in items
    ]
    assert roc_auc([item.checkworthy for item in items], scores) >= 0.85


def test_retraining_reproduces_the_shipped_model(tmp_path):
    retrained = tmp_path / "scorer.json"
    call_command("train_scorer", "--output", str(retrained), stdout=StringIO())
    # Another process orders its dicts by another string hash, and still fits the same
    # weights to the last digit.
    again = tmp_path / "again.json"
    result = manage(
        "train_scorer", "--output", str(again), env={**os.environ, "PYTHONHASHSEED": "7"}
    )
    assert result.returncode == 0, result.stderr
    assert again.read_bytes() == retrained.read_bytes()
    shipped, fresh = ScorerModel.load(MODEL_PATH), ScorerModel.load(retrained)
    assert fresh.fact_thresholds == shipped.fact_thresholds
    assert fresh.debate_threshold == shipped.debate_threshold
    shipped_scorer, fresh_scorer = LearnedScorer(MODEL_PATH), LearnedScorer(retrained)
    for item in (
        heldout_sentences(HELDOUT_DIR / "heldout-ru-running.tsv") + claimbuster(heldout=True)[:100]
    ):
        features = sentence_features(item.text, item.language)
        expected = shipped_scorer.score(features)
        got = fresh_scorer.score(features)
        assert got.kind == expected.kind, item.text
        assert got.checkworthiness == pytest.approx(expected.checkworthiness, abs=0.011)
        assert shipped.probability(_values(features)) == pytest.approx(
            fresh.probability(_values(features)), abs=1e-4
        )


def _values(features):
    from annotations.extraction.scoring import RuleScorer
    from annotations.extraction.vectors import vectorise

    return vectorise(features, RuleScorer().score(features))


def test_training_refuses_a_folder_that_does_not_exist(tmp_path):
    with pytest.raises(CommandError, match="No such folder"):
        call_command("train_scorer", "--output", str(tmp_path / "missing" / "scorer.json"))


def test_the_model_is_data_and_is_read_on_first_use_only():
    record = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    assert set(record) >= {"features", "checkworthy", "kinds"}
    assert sorted(record["kinds"]["classes"]) == sorted(
        ["fact", "opinion", "prediction", "question", "other"]
    )
    code = (
        "import annotations.extraction.claims as claims; "
        "print(claims._DEFAULT_SCORER._model is None); "
        "claims.extract_claims('Цены выросли на 5%.', entities=False); "
        "print(claims._DEFAULT_SCORER._model is None)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert result.stdout.split() == ["True", "False"]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Министр заявил, что в прошлом году безработица снизилась до 3%.", "fact"),
        ("По словам министра, в 2023 году экспорт зерна вырос на 12%.", "fact"),
        ("The minister said unemployment fell to 4 percent last year.", "fact"),
        ("According to the ministry, 1,200 people were evacuated on Monday.", "fact"),
        ("Министр заявил, что цены вырастут в следующем году.", "prediction"),
        ("The minister said prices will rise next year.", "prediction"),
        ("По словам министра, это решение — большая ошибка.", "opinion"),
        ("The senator said the plan is a disgrace.", "opinion"),
    ],
)
def test_an_attributed_claim_keeps_the_kind_of_what_was_said(text, kind):
    assert only(text).kind == kind


@pytest.mark.parametrize(
    "text",
    [
        "Население Казахстана — более 20 млн человек.",
        "Инфляция в октябре — 0,8%, за год — 7,4%.",
        "Unemployment in March: 3.9 percent, the lowest since 2001.",
        "Revenue up 12% in the third quarter, to $4.1 billion.",
    ],
)
def test_a_factual_sentence_without_a_verb_is_a_fact(text):
    claim = only(text)
    assert claim.kind == "fact"
    assert claim.checkworthiness >= 0.5


def test_reasons_are_codes_of_the_features_that_weighed_most():
    claim = only("Казахстан и Узбекистан в начале декабря подписали декларацию о союзе.")
    assert claim.kind == "fact"
    assert "verb.past:подписали" in claim.reasons
    assert 1 <= len(claim.reasons) <= 8
    assert all(" " not in reason.partition(":")[0] for reason in claim.reasons)
    # Words too short to mean anything alone are never a reason.
    assert not any(reason in ("word:в", "word:о") for reason in claim.reasons)


def test_a_fact_shows_what_made_it_worth_checking():
    claim = only("Unemployment fell to 3.5% in May, the lowest since 1969.")
    assert claim.kind == "fact"
    assert "quantity:3.5%" in claim.reasons


def test_an_opinion_shows_its_marker_as_a_reason():
    claim = only("Я считаю, что реформа провалилась.", entities=False)
    assert claim.kind == "opinion"
    assert claim.checkworthiness < 0.5
    assert any(reason.startswith("marker.opinion:") for reason in claim.reasons)


def test_a_russian_sentence_is_also_read_by_the_meaning_of_its_words():
    from annotations.extraction.meaning import sentence_meaning
    from annotations.extraction.vectors import MEANING_WEIGHT, words_of

    def meaning(text):
        return sentence_meaning(words_of(text))

    def closeness(first, second):
        return sum(a * b for a, b in zip(meaning(first), meaning(second), strict=True))

    # Sentences of like meaning lie closer than sentences that share a word.
    prices = "Цены на продукты резко выросли."
    assert closeness(prices, "Стоимость еды заметно увеличилась.") > closeness(
        prices, "Продукты привезли в школу утром."
    )
    assert meaning("Qwxz йцщх.") == []
    russian = _values(sentence_features(prices, "ru"))
    dimensions = [value for name, value in russian.items() if name.startswith("meaning.ru.")]
    assert len(dimensions) == 300
    assert sum(value * value for value in dimensions) == pytest.approx(MEANING_WEIGHT**2)
    english = _values(sentence_features("Food prices rose sharply.", "en"))
    assert not any(name.startswith("meaning.") for name in english)
    # The model weighs them, and a reviewer sees them as one reason, translated.
    weights = ScorerModel.load(MODEL_PATH).checkworthy.weights
    assert sum(1 for name in weights if name.startswith("meaning.ru.")) >= 250
    claim = only("Реформа образования провалилась: деньги потрачены впустую.")
    assert claim.kind == "opinion"
    assert "meaning" in claim.reasons
    assert not any(reason.startswith("meaning.") for reason in claim.reasons)
    with translation.override("ru"):
        assert reason_label("meaning") == "смысл слов"
