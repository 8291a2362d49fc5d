"""Extraction pauses Python's cyclic garbage collector while it splits and scores, and
always leaves it as it found it."""

from __future__ import annotations

import gc

import pytest

from annotations.extraction import RuleScorer, extract_claims

pytestmark = pytest.mark.usefixtures("collector_restored")

TEXT = "Москва подписала договор в 2020 году. Это хорошо? Цены вырастут."


class RecordingScorer(RuleScorer):
    def __init__(self) -> None:
        self.collector_on: list[bool] = []

    def score(self, features):
        self.collector_on.append(gc.isenabled())
        return super().score(features)


class FailingScorer(RuleScorer):
    def score(self, features):
        raise RuntimeError("model unavailable")


def test_scoring_runs_with_the_collector_paused_and_it_is_back_on_after():
    gc.enable()
    scorer = RecordingScorer()
    claims = extract_claims(TEXT, entities=False, scorer=scorer)
    assert len(claims) == 3
    assert scorer.collector_on == [False, False, False]
    assert gc.isenabled()


def test_a_collector_someone_turned_off_stays_off():
    gc.disable()
    extract_claims(TEXT, entities=False)
    assert not gc.isenabled()


def test_a_failing_scorer_leaves_the_collector_on():
    gc.enable()
    with pytest.raises(RuntimeError, match="model unavailable"):
        extract_claims(TEXT, entities=False, scorer=FailingScorer())
    assert gc.isenabled()


def test_what_the_extraction_leaves_alive_is_not_swept_by_the_next_collection():
    gc.enable()
    gc.collect()
    text = " ".join(f"В {2000 + n} году выручка выросла на {n}%." for n in range(400))
    collections: list[int] = []

    def record(phase, info):
        if phase == "start":
            collections.append(info["generation"])

    gc.callbacks.append(record)
    try:
        claims = extract_claims(text, entities=False)
        # Some allocations, as the caller's next lines would make.
        after = [[n] for n in range(200)]
    finally:
        gc.callbacks.remove(record)

    assert len(claims) == 400 and len(after) == 200
    # Thousands of objects were made during the pause; without the hand-over to the
    # oldest generation the first allocation after it would start a collection.
    assert collections == []
    assert gc.get_count()[0] < 700
    assert gc.is_tracked(claims[0]) and any(o is claims for o in gc.get_objects(generation=2))


def test_objects_the_process_froze_stay_frozen():
    gc.enable()
    marker = [object()]  # a container, so the collector tracks it
    gc.freeze()
    try:
        extract_claims(TEXT, entities=False)
        # Frozen objects are in no generation the collector lists; unfrozen, the marker
        # would be back in the oldest one.
        assert gc.get_freeze_count() > 0
        assert not any(tracked is marker for tracked in gc.get_objects())
    finally:
        gc.unfreeze()
    assert any(tracked is marker for tracked in gc.get_objects())
