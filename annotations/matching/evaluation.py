"""How well reworded claims find the claim they reword among many unrelated ones.

The test set lives in ``tests/data/matching``: per language a development split
(``*-dev.jsonl``, the one the ranker is tuned and fitted on) and a held-out split
(``*-heldout.jsonl``, scored, never tuned to), each item a claim and rewordings of it;
and ``distractors-*.txt``, at least 10,000 unrelated claims. Every claim of both splits
sits in the archive with the distractors; every rewording of the split asks for its own.

    python -m annotations.matching.evaluation [--split dev|heldout] [--ranker naive|matcher]
    python -m annotations.matching.evaluation --fit      # refit the calibration on dev

Candidates are found as the database does it (words in common, see ``overlap``, and
every figure in common however written, see ``numbers.number_token``), the best
``CANDIDATES`` of each then ranked by the calibrated score. The naive ranker is
rapidfuzz's token-set ratio over the lower-cased texts of the whole archive.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .numbers import number_token
from .ranking import FEATURES, LIKELY_SAME, Prepared, features, overlap, prepare, probability

DATA = Path(__file__).resolve().parent.parent.parent / "tests" / "data" / "matching"
LANGUAGES = ("ru", "en")
CANDIDATES = 200


@dataclass(frozen=True)
class Query:
    text: str
    target: int  # index of the claim it rewords in the archive
    kinds: tuple[str, ...]


@dataclass(frozen=True)
class TestSet:
    archive: list[str]
    queries: list[Query]


def load(language: str, split: str, data: Path = DATA) -> TestSet:
    archive: list[str] = []
    queries: list[Query] = []
    for name in ("dev", "heldout"):
        with (data / f"{language}-{name}.jsonl").open(encoding="utf-8") as lines:
            for line in lines:
                item = json.loads(line)
                archive.append(item["claim"])
                if name == split:
                    for rewording in item["rewordings"]:
                        queries.append(
                            Query(rewording["text"], len(archive) - 1, tuple(rewording["kinds"]))
                        )
    archive.extend((data / f"distractors-{language}.txt").read_text(encoding="utf-8").split("\n"))
    return TestSet([claim for claim in archive if claim], queries)


def figures(ranks: Sequence[int | None]) -> dict[str, float]:
    """recall@1, recall@5 and MRR of 1-based ranks (None: not found at all)."""
    count = len(ranks)
    return {
        "recall@1": sum(1 for rank in ranks if rank == 1) / count,
        "recall@5": sum(1 for rank in ranks if rank is not None and rank <= 5) / count,
        "mrr": sum(1 / rank for rank in ranks if rank) / count,
        "queries": count,
    }


class Index:
    """The archive prepared once, with an inverted index standing in for full-text search."""

    def __init__(self, archive: list[str], language: str) -> None:
        self.prepared = [prepare(claim, language) for claim in archive]
        self.postings: dict[str, list[int]] = defaultdict(list)
        # The figure words the database indexes with each claim (``number_terms``).
        self.figures: dict[str, set[int]] = defaultdict(set)
        for position, claim in enumerate(self.prepared):
            for lemma in claim.weights:
                self.postings[lemma].append(position)
            for value in claim.numbers:
                self.figures[number_token(value)].add(position)

    def candidates(self, query: Prepared) -> list[int]:
        found: set[int] = set()
        for lemma in query.weights:
            found.update(self.postings.get(lemma, ()))
        ordered = sorted(found, key=lambda i: -overlap(query, self.prepared[i]))[:CANDIDATES]
        # And the claims with every figure of the query, however written.
        tokens = {number_token(value) for value in query.numbers}
        if tokens:
            alike = set.intersection(*(self.figures.get(token, set()) for token in tokens))
            alike.difference_update(ordered)
            ordered += sorted(alike, key=lambda i: -overlap(query, self.prepared[i]))[:CANDIDATES]
        return ordered

    def ranked(self, query: Prepared) -> list[tuple[int, float]]:
        scored = [
            (i, probability(features(query, self.prepared[i]))) for i in self.candidates(query)
        ]
        scored.sort(key=lambda pair: -pair[1])
        return scored


def matcher_ranks(
    test: TestSet, language: str, index: Index | None = None
) -> tuple[list[int | None], list[dict]]:
    """1-based ranks of each query's target, and what was ranked above it. Both splits of
    a language share one archive, so one ``index`` serves both."""
    index = index or Index(test.archive, language)
    ranks: list[int | None] = []
    details = []
    for query in test.queries:
        ranked = index.ranked(prepare(query.text, language))
        positions = [i for i, _ in ranked]
        rank = positions.index(query.target) + 1 if query.target in positions else None
        ranks.append(rank)
        details.append(
            {
                "query": query.text,
                "target": test.archive[query.target],
                "rank": rank,
                "top": [(test.archive[i], round(s, 3)) for i, s in ranked[:3]],
                "target_score": next((s for i, s in ranked if i == query.target), None),
            }
        )
    return ranks, details


def naive_ranks(test: TestSet) -> list[int | None]:
    from rapidfuzz import fuzz, process

    choices = [claim.lower() for claim in test.archive]
    matrix = process.cdist(
        [query.text.lower() for query in test.queries], choices, scorer=fuzz.token_set_ratio
    )
    ranks: list[int | None] = []
    for row, query in zip(matrix, test.queries, strict=True):
        target_score = row[query.target]
        # Ties are broken against the target: a tie is no win.
        ranks.append(int((row >= target_score).sum()))
    return ranks


def calibration(
    test: TestSet, language: str, index: Index | None = None, threshold: float = LIKELY_SAME
) -> dict[str, Any]:
    """Precision and recall of "likely the same claim" (score ≥ threshold) over the
    candidates of every query: the target should be above it, nothing else."""
    index = index or Index(test.archive, language)
    true_above = false_above = 0
    for query in test.queries:
        for i, value in index.ranked(prepare(query.text, language)):
            if value >= threshold:
                if i == query.target:
                    true_above += 1
                else:
                    false_above += 1
    above = true_above + false_above
    return {
        "threshold": threshold,
        "precision": true_above / above if above else 0.0,
        "recall": true_above / len(test.queries),
    }


def fit(data: Path = DATA) -> tuple[list[float], float]:
    """Logistic regression (Newton's method) of target vs. other candidates on dev."""
    import numpy

    rows: list[tuple[float, ...]] = []
    labels: list[float] = []
    for language in LANGUAGES:
        test = load(language, "dev", data)
        index = Index(test.archive, language)
        for query in test.queries:
            prepared = prepare(query.text, language)
            for i in index.candidates(prepared)[:50]:
                rows.append(features(prepared, index.prepared[i]))
                labels.append(1.0 if i == query.target else 0.0)
            if query.target not in index.candidates(prepared)[:50]:
                rows.append(features(prepared, index.prepared[query.target]))
                labels.append(1.0)
    x = numpy.hstack([numpy.ones((len(rows), 1)), numpy.array(rows)])
    y = numpy.array(labels)
    beta = numpy.zeros(x.shape[1])
    # A little ridge keeps the weights finite when the classes separate.
    ridge = 1e-2 * numpy.eye(x.shape[1])
    ridge[0, 0] = 0
    for _ in range(50):
        p = 1 / (1 + numpy.exp(-x @ beta))
        gradient = x.T @ (p - y) + ridge @ beta
        hessian = (x * (p * (1 - p))[:, None]).T @ x + ridge
        step = numpy.linalg.solve(hessian, gradient)
        beta -= step
        if math.sqrt(float(step @ step)) < 1e-8:
            break
    return [float(b) for b in beta[1:]], float(beta[0])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", choices=["dev", "heldout"], default="dev")
    parser.add_argument("--ranker", choices=["naive", "matcher"], default="matcher")
    parser.add_argument("--language", choices=LANGUAGES)
    parser.add_argument("--fit", action="store_true", help="print refitted coefficients")
    parser.add_argument("--misses", action="store_true", help="print queries not ranked 1st")
    args = parser.parse_args(argv)
    if args.fit:
        coefficients, intercept = fit()
        print("FEATURES =", FEATURES)
        print("COEFFICIENTS =", tuple(round(c, 3) for c in coefficients))
        print("INTERCEPT =", round(intercept, 3))
        return 0
    for language in [args.language] if args.language else LANGUAGES:
        test = load(language, args.split)
        if args.ranker == "naive":
            ranks = naive_ranks(test)
            details: list[dict] = []
        else:
            index = Index(test.archive, language)
            ranks, details = matcher_ranks(test, language, index)
        result = figures(ranks)
        print(
            f"{language} {args.split} {args.ranker}: recall@1 {result['recall@1']:.3f}  "
            f"recall@5 {result['recall@5']:.3f}  MRR {result['mrr']:.3f}  "
            f"({result['queries']} queries, {len(test.archive)} claims in the archive)"
        )
        if args.ranker == "matcher":
            calibrated = calibration(test, language, index)
            print(
                f"   score ≥ {calibrated['threshold']}: precision {calibrated['precision']:.3f} "
                f"recall {calibrated['recall']:.3f}"
            )
        if args.misses:
            for detail in details:
                if detail["rank"] != 1:
                    print(json.dumps(detail, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
