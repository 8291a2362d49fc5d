"""How far independent reviewers agree, for editors deciding where to look again.

Two numbers over the claims that at least two reviewers judged:

* percent agreement: for each claim, the share of pairs of verdicts with the same rating,
  averaged over the claims. Every rating counts here, including the ones outside the
  truth scale ("unverifiable", "not a factual claim"): two reviewers who both found a
  claim unverifiable agree. Ratings are compared by their value (``mostly_false``), so
  verdicts on different versions of a scale compare as people expect.
* Krippendorff's alpha on the ordinal truth scale (``Rating.numeric_value``). Ratings
  without a numeric value have no place on that scale, so they are left out of alpha
  (treated as missing values) rather than forced into an order they do not have. Alpha
  is ``None`` when it is undefined: fewer than two comparable values in one claim, or
  no variation at all (everyone gave the same rating).

Alpha compares disagreement within claims to disagreement across all ratings, so it is
meant for a document or more. For one claim it can only be 0 (reviewers differ) or
undefined (they agree); percent agreement is the number to read there.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import combinations

import krippendorff
import numpy as np

from ..models import Claim, Document, Verdict


@dataclass(frozen=True)
class Agreement:
    n_claims: int
    """Claims judged by at least two reviewers: the ones the numbers describe."""
    n_verdicts: int
    """Verdicts on those claims."""
    percent_agreement: float | None
    """Between 0 and 1; ``None`` when no claim has two verdicts."""
    alpha: float | None
    """Krippendorff's alpha, ordinal; ``None`` when undefined."""


def agreement_for_claim(claim: Claim) -> Agreement:
    """Agreement among the verdicts on one claim (alive verdicts only)."""
    return _agreement(Verdict.objects.filter(claim=claim))


def agreement_for_document(document: Document) -> Agreement:
    """Agreement over the claims of a document (claims and verdicts not in the trash)."""
    return _agreement(
        Verdict.objects.filter(claim__document=document, claim__deleted_at__isnull=True)
    )


def _agreement(verdicts) -> Agreement:
    ratings: dict[int, list[tuple[str, int | None]]] = defaultdict(list)
    rows = verdicts.filter(deleted_at__isnull=True).values_list(
        "claim_id", "rating__value", "rating__numeric_value"
    )
    for claim_id, value, numeric in rows:
        ratings[claim_id].append((value, numeric))
    judged = [pairs for pairs in ratings.values() if len(pairs) >= 2]
    if not judged:
        return Agreement(n_claims=0, n_verdicts=0, percent_agreement=None, alpha=None)
    return Agreement(
        n_claims=len(judged),
        n_verdicts=sum(len(pairs) for pairs in judged),
        percent_agreement=sum(_pairwise_agreement([v for v, _n in p]) for p in judged)
        / len(judged),
        alpha=_ordinal_alpha([[n for _v, n in p if n is not None] for p in judged]),
    )


def _pairwise_agreement(values: list[str]) -> float:
    pairs = list(combinations(values, 2))
    return sum(a == b for a, b in pairs) / len(pairs)


def _ordinal_alpha(units: list[list[int]]) -> float | None:
    # Only claims with two or more values on the scale can be compared.
    units = [values for values in units if len(values) >= 2]
    domain = sorted({value for values in units for value in values})
    if len(domain) < 2:
        return None
    counts = np.zeros((len(units), len(domain)))
    for row, values in enumerate(units):
        for value, count in Counter(values).items():
            counts[row, domain.index(value)] = count
    alpha = krippendorff.alpha(
        value_counts=counts, value_domain=domain, level_of_measurement="ordinal"
    )
    return None if math.isnan(alpha) else float(alpha)
