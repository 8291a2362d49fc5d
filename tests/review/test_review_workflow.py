"""A claim's way through review: assignment, verdicts, approval, publication and back."""

import pytest

from annotations.models import ClaimStatus, Role
from annotations.selectors import QueueFilters, queue_for
from annotations.services.errors import Conflict, ValidationError
from annotations.services.verdicts import claim_set_final_verdict, verdict_submit
from annotations.services.workflow import (
    claim_approve,
    claim_publish,
    claim_reopen,
    claim_unassign,
    claim_unpublish,
    claim_update,
    claims_assign,
)
from tests.factories import ClaimFactory, DocumentFactory, ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(project):
    return DocumentFactory(project=project, text="One claim. Another claim. A third claim.")


def make_claim(document, position=0):
    starts = [0, 11, 26]
    ends = [10, 25, 40]
    return ClaimFactory(
        document=document, position=position, start=starts[position], end=ends[position]
    )


def reviewed(claim, reviewer, rating="false"):
    verdict_submit(claim=claim, actor=reviewer, rating=rating, rationale="The data says otherwise.")
    claim.refresh_from_db()
    return claim


def approved(claim, reviewer, editor):
    verdict = verdict_submit(
        claim=claim, actor=reviewer, rating="false", rationale="The data says otherwise."
    )
    claim_set_final_verdict(claim=claim, actor=editor, verdict=verdict)
    return claim_approve(claim=claim, actor=editor)


def test_assigning_puts_unreviewed_claims_in_review_and_bumps_their_version(
    document, editor, reviewer
):
    claims = [make_claim(document, 0), make_claim(document, 1)]
    stored = claims_assign(claims=claims, actor=editor, assignee=reviewer)
    assert [(c.status, c.assignee, c.version) for c in stored] == [
        (ClaimStatus.IN_REVIEW, reviewer, 2),
        (ClaimStatus.IN_REVIEW, reviewer, 2),
    ]


def test_reassigning_a_reviewed_claim_keeps_it_reviewed(document, editor, reviewer, member):
    claim = reviewed(make_claim(document), reviewer)
    other = member(Role.REVIEWER)
    [stored] = claims_assign(claims=[claim], actor=editor, assignee=other)
    assert (stored.status, stored.assignee) == (ClaimStatus.REVIEWED, other)


@pytest.mark.parametrize("role", [Role.VIEWER, None])
def test_claims_can_only_be_given_to_reviewers_of_the_project(document, editor, member, role):
    assignee = member(role) if role else UserFactory()
    claim = make_claim(document)
    with pytest.raises(ValidationError):
        claims_assign(claims=[claim], actor=editor, assignee=assignee)
    claim.refresh_from_db()
    assert (claim.status, claim.assignee, claim.version) == (ClaimStatus.UNREVIEWED, None, 1)


def test_bulk_assignment_is_all_or_nothing(document, editor, reviewer):
    waiting = make_claim(document, 0)
    done = approved(make_claim(document, 1), reviewer, editor)
    with pytest.raises(ValidationError):
        claims_assign(claims=[waiting, done], actor=editor, assignee=reviewer)
    waiting.refresh_from_db()
    assert (waiting.status, waiting.assignee) == (ClaimStatus.UNREVIEWED, None)


def test_claims_of_two_projects_are_not_assigned_together(document, editor, reviewer):
    elsewhere = ClaimFactory(document__project=ProjectFactory())
    with pytest.raises(ValidationError):
        claims_assign(claims=[make_claim(document), elsewhere], actor=editor, assignee=reviewer)


def test_unassigning_sends_a_claim_in_review_back_to_unreviewed(document, editor, reviewer):
    [claim] = claims_assign(claims=[make_claim(document)], actor=editor, assignee=reviewer)
    claim_unassign(claim=claim, actor=editor)
    assert (claim.status, claim.assignee, claim.version) == (ClaimStatus.UNREVIEWED, None, 3)


def test_a_verdict_moves_a_claim_in_review_to_reviewed(document, editor, reviewer):
    [claim] = claims_assign(claims=[make_claim(document)], actor=editor, assignee=reviewer)
    reviewed(claim, reviewer)
    assert claim.status == ClaimStatus.REVIEWED
    assert claim.version == 3


def test_a_claim_goes_all_the_way_to_published_and_back(document, editor, reviewer):
    [claim] = claims_assign(claims=[make_claim(document)], actor=editor, assignee=reviewer)
    reviewed(claim, reviewer)
    claim_set_final_verdict(claim=claim, actor=editor, rating="mostly_false", rationale="Close.")
    claim_approve(claim=claim, actor=editor)
    assert claim.status == ClaimStatus.APPROVED

    claim_publish(claim=claim, actor=editor)
    assert claim.status == ClaimStatus.PUBLISHED
    assert claim.published_at is not None

    claim_unpublish(claim=claim, actor=editor)
    assert (claim.status, claim.published_at) == (ClaimStatus.APPROVED, None)

    claim_reopen(claim=claim, actor=editor)
    assert claim.status == ClaimStatus.IN_REVIEW
    # Reopening keeps the work done so far.
    assert claim.final_verdict.rating.value == "mostly_false"
    assert claim.verdicts.count() == 2


def _in_state(status, document, reviewer, editor):
    claim = make_claim(document)
    if status == ClaimStatus.UNREVIEWED:
        return claim
    if status == ClaimStatus.IN_REVIEW:
        return claims_assign(claims=[claim], actor=editor, assignee=reviewer)[0]
    if status == ClaimStatus.REVIEWED:
        return reviewed(claim, reviewer)
    approved(claim, reviewer, editor)
    if status == ClaimStatus.PUBLISHED:
        claim_publish(claim=claim, actor=editor)
    return claim


TRANSITIONS = {
    "approve": (claim_approve, {ClaimStatus.REVIEWED}),
    "publish": (claim_publish, {ClaimStatus.APPROVED}),
    "unpublish": (claim_unpublish, {ClaimStatus.PUBLISHED}),
    "reopen": (claim_reopen, {ClaimStatus.REVIEWED, ClaimStatus.APPROVED}),
}


@pytest.mark.parametrize("status", ClaimStatus.values)
@pytest.mark.parametrize("transition", TRANSITIONS)
def test_transitions_only_start_from_their_states(transition, status, document, reviewer, editor):
    service, allowed = TRANSITIONS[transition]
    claim = _in_state(status, document, reviewer, editor)
    if status == ClaimStatus.REVIEWED:
        claim_set_final_verdict(claim=claim, actor=editor, verdict=claim.verdicts.get())
    version = claim.version
    if status in allowed:
        service(claim=claim, actor=editor)
        assert claim.version == version + 1
    else:
        with pytest.raises(ValidationError):
            service(claim=claim, actor=editor)
        claim.refresh_from_db()
        assert (claim.status, claim.version) == (status, version)


def test_approving_needs_a_final_verdict(document, reviewer, editor):
    claim = reviewed(make_claim(document), reviewer)
    with pytest.raises(ValidationError, match="final verdict"):
        claim_approve(claim=claim, actor=editor)


def test_the_editor_can_give_the_final_verdict_as_their_own(document, reviewer, editor):
    claim = reviewed(make_claim(document), reviewer)
    claim_set_final_verdict(claim=claim, actor=editor, rating="half_true", rationale="  Partly.  ")
    final = claim.final_verdict
    assert (final.reviewer, final.rating.value, final.rationale) == (editor, "half_true", "Partly.")
    # Giving it again updates the editor's verdict instead of adding one.
    claim_set_final_verdict(claim=claim, actor=editor, rating="true", rationale="Checked again.")
    assert claim.verdicts.filter(reviewer=editor).count() == 1
    assert claim.final_verdict.rating.value == "true"


def test_a_final_verdict_on_an_unreviewed_claim_makes_it_reviewed(document, editor):
    claim = make_claim(document)
    claim_set_final_verdict(claim=claim, actor=editor, rating="true", rationale="Obvious.")
    assert claim.status == ClaimStatus.REVIEWED


def test_the_final_verdict_must_be_one_of_the_claims_verdicts(document, reviewer, editor):
    claim = reviewed(make_claim(document, 0), reviewer)
    other = reviewed(make_claim(document, 1), reviewer)
    with pytest.raises(ValidationError):
        claim_set_final_verdict(claim=claim, actor=editor, verdict=other.verdicts.get())
    with pytest.raises(ValidationError):
        claim_set_final_verdict(claim=claim, actor=editor)


def test_an_approved_claim_keeps_its_final_verdict_until_reopened(document, reviewer, editor):
    claim = approved(make_claim(document), reviewer, editor)
    with pytest.raises(ValidationError, match="reopen"):
        claim_set_final_verdict(claim=claim, actor=editor, rating="true", rationale="Changed.")


def test_a_transition_on_a_claim_changed_since_it_was_read_is_refused(document, reviewer, editor):
    claim = reviewed(make_claim(document), reviewer)
    claim_set_final_verdict(claim=claim, actor=editor, verdict=claim.verdicts.get())
    seen = claim.version
    claim_update(claim=claim, actor=reviewer, expected_version=seen, kind="opinion")
    with pytest.raises(Conflict) as refused:
        claim_approve(claim=claim, actor=editor, expected_version=seen)
    assert refused.value.current.kind == "opinion"
    assert refused.value.current.status == ClaimStatus.REVIEWED


def test_a_reviewer_overrides_the_kind_and_the_extracted_one_is_kept(document, reviewer):
    claim = make_claim(document)
    claim.extracted_kind = "fact"
    claim.save()
    claim_update(claim=claim, actor=reviewer, expected_version=claim.version, kind="opinion")
    assert (claim.kind, claim.extracted_kind, claim.kind_overridden) == ("opinion", "fact", True)
    with pytest.raises(ValidationError):
        claim_update(claim=claim, actor=reviewer, expected_version=claim.version, kind="gossip")


def test_a_stale_claim_update_is_refused(document, reviewer):
    claim = make_claim(document)
    claim_update(claim=claim, actor=reviewer, expected_version=1, kind="opinion")
    with pytest.raises(Conflict):
        claim_update(claim=claim, actor=reviewer, expected_version=1, kind="question")
    claim.refresh_from_db()
    assert (claim.kind, claim.version) == ("opinion", 2)


def test_my_queue_lists_the_claims_assigned_to_me_with_filters(project, editor, reviewer, member):
    first = DocumentFactory(project=project, text="One claim. Another claim. A third claim.")
    second = DocumentFactory(project=project, text="One claim. Another claim. A third claim.")
    a, b, c = make_claim(first, 0), make_claim(first, 1), make_claim(second, 0)
    someone_else = make_claim(first, 2)
    claims_assign(claims=[a, b, c], actor=editor, assignee=reviewer)
    claims_assign(claims=[someone_else], actor=editor, assignee=member(Role.REVIEWER))
    reviewed(b, reviewer, rating="false")
    reviewed(c, reviewer, rating="true")
    c.kind = "opinion"
    c.save()

    def queue(**filters):
        return list(queue_for(reviewer, QueueFilters(**filters)))

    assert queue() == [a, b, c]
    assert queue(status=ClaimStatus.IN_REVIEW) == [a]
    assert queue(status=[ClaimStatus.IN_REVIEW, ClaimStatus.REVIEWED]) == [a, b, c]
    assert queue(kind="opinion") == [c]
    assert queue(rating="false") == [b]
    assert queue(document=second.pk) == [c]
    assert queue(project=ProjectFactory()) == []
