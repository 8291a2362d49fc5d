"""Reviewers correct where the extractor cut: split, merge, move a boundary."""

from itertools import pairwise

import pytest

from annotations.models import Claim, Source, SourceOrigin, Verdict
from annotations.services.claims import (
    claim_merge,
    claim_move_boundary,
    claim_split,
    claim_unmerge,
)
from annotations.services.documents import document_create
from annotations.services.errors import Conflict, PermissionDenied, ValidationError
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TEXT = (
    "The ministry said exports grew by 5% in 2023, and imports fell by 2%.\n"
    "Officials expect growth to continue next year. I think that is optimistic."
)


@pytest.fixture
def document(project, reviewer):
    return document_create(project=project, actor=reviewer, title="Trade", text=TEXT, language="en")


def alive(document):
    return list(document.claims.alive().order_by("start"))


def assert_consistent(document):
    claims = alive(document)
    for claim in claims:
        assert document.text[claim.start : claim.end] == claim.text
        assert claim.text == claim.text.strip()
    for left, right in pairwise(claims):
        assert left.end <= right.start
    positions = [c.position for c in claims]
    assert positions == sorted(positions)


def test_splitting_a_claim_makes_two_claims_that_slice_back(document, reviewer):
    claim = alive(document)[0]
    at = document.text.index(", and imports")
    first, second = claim_split(claim=claim, actor=reviewer, at=at + 1)
    assert first.text == "The ministry said exports grew by 5% in 2023,"
    assert second.text == "and imports fell by 2%."
    assert first.pk == claim.pk and first.version == claim.version + 1
    assert_consistent(document)


def test_a_split_keeps_the_verdicts_on_the_first_part(document, reviewer, project):
    claim = alive(document)[0]
    rating = project.rating_scale.ratings.get(value="true")
    Verdict.objects.create(claim=claim, reviewer=reviewer, rating=rating, rationale="Stats office.")
    first, second = claim_split(claim=claim, actor=reviewer, at=document.text.index("and imports"))
    assert first.verdicts.count() == 1
    assert second.verdicts.count() == 0
    assert second.status == "unreviewed"


def test_a_split_outside_the_claim_or_leaving_a_blank_part_is_refused(document, reviewer):
    claim = alive(document)[0]
    for at in (claim.start, claim.end, claim.end + 5, claim.start + 0):
        with pytest.raises(ValidationError):
            claim_split(claim=claim, actor=reviewer, at=at)
    assert_consistent(document)


def test_merging_joins_a_claim_with_the_next_and_moves_its_sources(document, reviewer):
    # The two claims of the second line.
    first, second = alive(document)[-2:]
    assert "\n" not in document.text[first.start : second.end]
    Source.objects.create(claim=second, url="https://example.org/report", added_by=reviewer)
    merged = claim_merge(claim=first, actor=reviewer)
    assert merged.start == first.start and merged.end == second.end
    assert merged.text == document.text[first.start : second.end]
    assert merged.sources.count() == 1
    assert not Claim.objects.filter(pk=second.pk).exists()
    assert_consistent(document)


def test_claims_of_different_paragraphs_are_not_merged(document, reviewer):
    first, second = alive(document)[:2]
    assert "\n" in document.text[first.end : second.start]
    with pytest.raises(ValidationError, match="another paragraph"):
        claim_merge(claim=first, actor=reviewer)
    assert [c.pk for c in alive(document)[:2]] == [first.pk, second.pk]


def test_a_merge_is_undone_with_what_moved(document, reviewer, project):
    first, second = alive(document)[-2:]
    source = Source.objects.create(claim=second, url="https://example.org/a", added_by=reviewer)
    merged = claim_merge(claim=first, actor=reviewer)
    restored = claim_unmerge(claim=merged, actor=reviewer, undo=merged.merge_undo)
    assert restored.text == second.text and restored.start == second.start
    first.refresh_from_db()
    assert first.text == document.text[first.start : first.end] == first.text.strip()
    assert list(restored.sources.all()) == [source]
    assert_consistent(document)


def test_a_split_leaves_no_dangling_dash(project, reviewer):
    text = "Exports grew by 5% — imports fell by 2% in 2023."
    document = document_create(project=project, actor=reviewer, title="T", text=text, language="en")
    claim = alive(document)[0]
    first, second = claim_split(claim=claim, actor=reviewer, at=text.index("imports"))
    assert first.text == "Exports grew by 5%"
    assert second.text == "imports fell by 2% in 2023."


def test_merging_is_refused_when_one_reviewer_judged_both_claims(document, reviewer, project):
    first, second = alive(document)[-2:]
    rating = project.rating_scale.ratings.get(value="true")
    for claim in (first, second):
        Verdict.objects.create(claim=claim, reviewer=reviewer, rating=rating, rationale="Checked.")
    with pytest.raises(ValidationError):
        claim_merge(claim=first, actor=reviewer)
    assert len(alive(document)) >= 3


def test_moving_a_boundary_takes_text_from_the_neighbour(document, reviewer):
    first, second = alive(document)[:2]
    # Pull the first claim's end forward into the next line: the neighbour shrinks.
    new_end = document.text.index("growth") - 1
    moved = claim_move_boundary(claim=first, actor=reviewer, end=new_end)
    assert moved.text.endswith("Officials expect")
    second.refresh_from_db()
    assert second.text.startswith("growth to continue")
    assert_consistent(document)


def test_a_move_that_would_empty_a_neighbour_is_refused(document, reviewer):
    first, second = alive(document)[:2]
    with pytest.raises(ValidationError):
        claim_move_boundary(claim=first, actor=reviewer, end=second.end)
    assert_consistent(document)


def test_a_stale_correction_is_refused_with_a_conflict(document, reviewer):
    claim = alive(document)[0]
    claim_split(claim=claim, actor=reviewer, at=document.text.index("and imports"))
    with pytest.raises(Conflict):
        claim_move_boundary(claim=claim, actor=reviewer, end=claim.end - 1, expected_version=1)


def test_viewers_and_outsiders_cannot_correct_claims(document, member):
    claim = alive(document)[0]
    for user in (member("viewer"), UserFactory()):
        with pytest.raises(PermissionDenied):
            claim_split(claim=claim, actor=user, at=claim.start + 10)


def test_corrections_are_recorded_in_history(document, reviewer):
    claim = alive(document)[0]
    claim_split(claim=claim, actor=reviewer, at=document.text.index("and imports"))
    latest = claim.history.latest()
    assert latest.history_type == "~"
    assert latest.text != claim.history.earliest().text


def test_links_in_the_text_follow_the_part_that_contains_them(project, reviewer):
    text = "Exports grew, the agency said. Imports fell, per the report."
    link_start = text.index("report")
    document = document_create(
        project=project,
        actor=reviewer,
        title="Linked",
        text=text,
        language="en",
        links=[{"start": link_start, "end": link_start + 6, "url": "https://example.org/r"}],
    )
    claims = alive(document)
    if len(claims) == 1:
        _first, second = claim_split(claim=claims[0], actor=reviewer, at=text.index("Imports"))
    else:
        second = claims[1]
    source = Source.objects.get(origin=SourceOrigin.DOCUMENT_LINK)
    assert source.claim_id == second.pk
