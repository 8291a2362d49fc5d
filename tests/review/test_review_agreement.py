"""Agreement between reviewers, checked against numbers worked out by hand."""

import pytest

from annotations.models import Role
from annotations.services.agreement import (
    Agreement,
    agreement_for_claim,
    agreement_for_document,
)
from annotations.services.trash import claim_delete, verdict_delete
from annotations.services.verdicts import verdict_submit
from tests.factories import ClaimFactory, DocumentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def judge(project, member):
    """``judge(["true", "false"])``: a claim with a verdict per rating, each by another reviewer."""
    document = DocumentFactory(project=project, text="A claim to check. " * 10)
    reviewers = [member(Role.REVIEWER) for _ in range(3)]
    positions = iter(range(10))

    def make(ratings):
        position = next(positions)
        claim = ClaimFactory(
            document=document,
            position=position,
            start=position * 18,
            end=position * 18 + 17,
        )
        for reviewer, rating in zip(reviewers, ratings, strict=False):
            verdict_submit(claim=claim, actor=reviewer, rating=rating, rationale="Checked.")
        return claim

    make.document = document
    make.reviewers = reviewers
    return make


def test_agreement_over_a_document_matches_the_hand_computation(judge):
    # The default scale puts true=6, mostly_false=3, false=2 on the ordinal truth scale;
    # unverifiable has no place on it.
    judge(["true", "true"])  # agree
    judge(["false", "mostly_false"])  # differ by one step
    judge(["true", "false"])  # differ widely
    judge(["unverifiable", "unverifiable"])  # agree, outside the truth scale
    judge(["true", "unverifiable"])  # differ; only one value on the truth scale
    judge(["true"])  # one verdict: nothing to compare

    result = agreement_for_document(judge.document)

    # Percent agreement: claims with two verdicts agree 1, 0, 0, 1, 0 -> 2/5.
    #
    # Alpha uses the three claims with two values on the truth scale:
    # (6, 6), (2, 3), (6, 2). Value counts: n2 = 2, n3 = 1, n6 = 3, n = 6.
    # Coincidences (both orders of each pair): o66 = 2, o23 = o32 = 1, o26 = o62 = 1.
    # Ordinal distances d(c, k) = (sum of n from c to k - (nc + nk) / 2) ** 2:
    #   d(2, 3) = (3 - 1.5) ** 2 = 2.25, d(2, 6) = (6 - 2.5) ** 2 = 12.25,
    #   d(3, 6) = (4 - 2) ** 2 = 4.
    # Observed: 2 * 2.25 + 2 * 12.25 = 29.
    # Expected: 2 * (2*1*2.25 + 2*3*12.25 + 1*3*4) / (n - 1) = 180 / 5 = 36.
    # Alpha = 1 - 29 / 36 = 7 / 36.
    assert result == Agreement(
        n_claims=5,
        n_verdicts=10,
        percent_agreement=pytest.approx(2 / 5),
        alpha=pytest.approx(7 / 36),
    )


def test_agreement_on_one_claim_counts_agreeing_pairs(judge):
    claim = judge(["true", "true", "false"])
    # Pairs: (true, true) agree, (true, false) twice differ -> 1/3. Alpha over a single
    # claim is 1 - observed/expected with both taken from the same three values: 0.
    assert agreement_for_claim(claim) == Agreement(
        n_claims=1, n_verdicts=3, percent_agreement=pytest.approx(1 / 3), alpha=0.0
    )


def test_alpha_is_undefined_when_everyone_agrees(judge):
    claim = judge(["false", "false"])
    assert agreement_for_claim(claim) == Agreement(
        n_claims=1, n_verdicts=2, percent_agreement=1.0, alpha=None
    )


def test_a_claim_with_one_verdict_gives_no_numbers(judge):
    claim = judge(["false"])
    assert agreement_for_claim(claim) == Agreement(
        n_claims=0, n_verdicts=0, percent_agreement=None, alpha=None
    )


def test_trashed_verdicts_and_claims_do_not_count(judge, editor):
    kept = judge(["true", "true", "false"])
    verdict_delete(verdict=kept.verdicts.get(rating__value="false"), actor=editor)
    gone = judge(["true", "false"])
    claim_delete(claim=gone, actor=editor)
    assert agreement_for_document(judge.document) == Agreement(
        n_claims=1, n_verdicts=2, percent_agreement=1.0, alpha=None
    )
