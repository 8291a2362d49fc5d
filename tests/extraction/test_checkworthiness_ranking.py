"""Mean average precision of ranking a transcript's lines for a fact-checker."""

import pytest

from annotations.extraction.checkworthiness import (
    LabelledDocument,
    Ranked,
    average_precision,
    debate_sets,
    heldout_sentences,
    kind_figures,
    mean_average_precision,
    rank_transcripts,
)
from annotations.extraction.scoring import Scored


@pytest.mark.parametrize(
    ("labels", "scores", "expected"),
    [
        # Every positive first.
        ([True, True, False, False], [0.9, 0.8, 0.2, 0.1], 1.0),
        # Positives at ranks 1 and 3: (1/1 + 2/3) / 2.
        ([True, False, True, False], [0.9, 0.8, 0.7, 0.1], 5 / 6),
        # Positives at ranks 3 and 4, the scores out of document order: (1/3 + 2/4) / 2.
        ([False, True, False, False, True], [0.1, 0.2, 0.9, 0.8, 0.3], 5 / 12),
        # One positive, ranked last of four.
        ([True, False, False, False], [0.0, 0.5, 0.6, 0.7], 1 / 4),
        # Ties keep document order.
        ([False, True], [0.5, 0.5], 1 / 2),
        ([True, False], [0.5, 0.5], 1.0),
        # Nothing to find.
        ([False, False], [0.3, 0.4], 0.0),
    ],
)
def test_average_precision_matches_hand_computed_rankings(labels, scores, expected):
    assert average_precision(labels, scores) == pytest.approx(expected)


def test_mean_average_precision_is_the_mean_over_transcripts():
    ranked = [
        Ranked("a", 10, 1, 10, {"model": 1.0}),
        Ranked("b", 100, 5, 100, {"model": 0.2}),
    ]
    assert mean_average_precision(ranked, "model") == pytest.approx(0.6)


class _Says:
    """Scores a sentence by one word in it, so that the expected ranking is plain."""

    def __init__(self, word: str) -> None:
        self.word = word

    def score(self, features) -> Scored:
        found = self.word in features.text.lower()
        return Scored("fact" if found else "other", 0.9 if found else 0.1, [])


TRANSCRIPT = LabelledDocument(
    "transcript",
    "en",
    [
        ("0", "HOST: Welcome back to the programme."),
        ("0", "GUEST: Thank you for having me, it is a pleasure."),
        ("1", "HOST: Unemployment fell to 4 percent in March."),
        ("0", "(APPLAUSE)"),
        ("0", "GUEST: I disagree with that, and I think everyone knows why."),
        ("1", "The council closed two libraries last year."),
    ],
    "an interview",
)


def test_each_line_is_scored_in_its_whole_transcript():
    [ranked] = rank_transcripts([TRANSCRIPT], {"libraries": _Says("libraries")})
    assert (ranked.title, ranked.lines, ranked.picked) == ("an interview", 6, 2)
    # The library line first; the unemployment line ties with the lines before it and
    # keeps its place in the document, fourth: (1/1 + 2/4) / 2.
    assert ranked.precision["libraries"] == pytest.approx(3 / 4)
    # The line with a digit first, then longer lines: the library line, shortest but one,
    # comes fourth.
    assert ranked.precision["baseline"] == pytest.approx(3 / 4)
    # Speakers take turns and the room is heard: every line is read as a transcript's.
    assert ranked.spoken == 6


@pytest.mark.parametrize("transcripts", debate_sets().values(), ids=debate_sets().keys())
def test_the_shipped_transcripts_are_labelled_line_by_line(transcripts):
    assert 5 <= len(transcripts) <= 7
    for transcript in transcripts:
        assert transcript.genre == "transcript" and transcript.title
        assert 80 <= len(transcript.lines) <= 150
        labels = [label for label, _ in transcript.lines]
        assert set(labels) == {"0", "1"}
        # Picked lines are rare, as when fact-checkers choose what to check.
        assert labels.count("1") / len(labels) <= 0.12


def test_kind_figures_count_each_kind_against_its_label(tmp_path):
    path = tmp_path / "blind-2026-12-31-ru.tsv"
    path.write_text(
        "fact\tБюджет вырос на 5%.\n"
        "opinion\tЭто позор.\n"
        "opinion\tРеформа провалилась.\n"
        "prediction\tЦены вырастут.\n"
        "other\tДобрый вечер.\n",
        encoding="utf-8",
    )
    items = heldout_sentences(path)
    assert [item.kind for item in items] == ["fact", "opinion", "opinion", "prediction", "other"]
    assert [item.checkworthy for item in items] == [True, False, False, False, False]
    judged = [(0.9, "fact"), (0.1, "opinion"), (0.6, "fact"), (0.2, "prediction"), (0.1, "opinion")]
    result = kind_figures(items, judged)
    assert result["sentences"] == 5
    assert result["accuracy"] == pytest.approx(3 / 5)
    assert result["fact"] == pytest.approx((1 / 2, 1.0))
    assert result["opinion"] == pytest.approx((1 / 2, 1 / 2))
    assert result["prediction"] == pytest.approx((1.0, 1.0))
    # Given to nothing: no precision; labelled on nothing: no recall.
    assert result["other"] == (None, 0.0)
    assert result["question"] == (None, None)
