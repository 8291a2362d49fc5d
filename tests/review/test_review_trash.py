"""The trash: soft delete and restore for reviewers, purge for admins only."""

import pytest
from django.http import Http404

from annotations.models import Claim, ClaimStatus, Comment, Role, Source, Verdict
from annotations.selectors import (
    claim_get,
    claims_for,
    queue_for,
    source_get,
    trash_for,
    trash_item_get,
    verdict_get,
)
from annotations.services.comments import comment_add
from annotations.services.errors import PermissionDenied, ValidationError
from annotations.services.trash import (
    claim_delete,
    claim_purge,
    claim_restore,
    source_delete,
    source_purge,
    source_restore,
    verdict_delete,
    verdict_purge,
    verdict_restore,
)
from annotations.services.verdicts import claim_set_final_verdict, verdict_submit
from annotations.services.workflow import claim_approve, claims_assign
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(project):
    return ClaimFactory(document__project=project)


@pytest.fixture
def admin(member):
    return member(Role.ADMIN)


def give_verdict(claim, reviewer, rating="false"):
    return verdict_submit(claim=claim, actor=reviewer, rating=rating, rationale="Checked.")


def test_a_trashed_claim_disappears_from_selectors_and_comes_back(claim, reviewer, editor):
    claims_assign(claims=[claim], actor=editor, assignee=reviewer)
    claim_delete(claim=claim, actor=reviewer)
    assert claim.deleted_at is not None
    assert not claims_for(reviewer).exists()
    assert not queue_for(reviewer).exists()
    with pytest.raises(Http404):
        claim_get(reviewer, claim.pk)
    assert trash_item_get(reviewer, Claim, claim.pk) == claim
    assert list(trash_for(reviewer, claim.document.project).claims) == [claim]

    claim_restore(claim=claim, actor=reviewer)
    assert claim_get(reviewer, claim.pk) == claim
    assert (claim.status, claim.assignee) == (ClaimStatus.IN_REVIEW, reviewer)


def test_a_trashed_claim_takes_no_work(claim, reviewer):
    claim_delete(claim=claim, actor=reviewer)
    with pytest.raises(ValidationError, match="trash"):
        give_verdict(claim, reviewer)
    with pytest.raises(ValidationError, match="trash"):
        comment_add(claim=claim, actor=reviewer, body="Hello?")


def test_an_approved_claim_cannot_be_trashed(claim, reviewer, editor):
    claim_set_final_verdict(claim=claim, actor=editor, verdict=give_verdict(claim, reviewer))
    claim_approve(claim=claim, actor=editor)
    with pytest.raises(ValidationError, match="reopen"):
        claim_delete(claim=claim, actor=editor)


def test_only_admins_purge_and_only_from_the_trash(claim, reviewer, editor, admin):
    verdict = give_verdict(claim, reviewer)
    comment_add(claim=claim, actor=reviewer, body="Source?")
    with pytest.raises(ValidationError, match="trash"):
        claim_purge(claim=claim, actor=admin)
    claim_delete(claim=claim, actor=reviewer)
    for nobody in (reviewer, editor):
        with pytest.raises(PermissionDenied):
            claim_purge(claim=claim, actor=nobody)
    claim_purge(claim=claim, actor=admin)
    assert not Claim.objects.filter(pk=claim.pk).exists()
    assert not Verdict.objects.filter(pk=verdict.pk).exists()
    assert not Comment.objects.exists()
    # The record of what was there stays.
    assert Claim.history.filter(id=claim.pk, history_type="-").get().history_user == admin


def test_a_trashed_verdict_is_hidden_and_its_claim_goes_back_into_review(claim, reviewer, editor):
    claims_assign(claims=[claim], actor=editor, assignee=reviewer)
    verdict = give_verdict(claim, reviewer)
    claim_set_final_verdict(claim=claim, actor=editor, verdict=verdict)

    verdict_delete(verdict=verdict, actor=reviewer)
    claim.refresh_from_db()
    assert (claim.status, claim.final_verdict) == (ClaimStatus.IN_REVIEW, None)
    with pytest.raises(Http404):
        verdict_get(editor, verdict.pk)

    verdict_restore(verdict=verdict, actor=reviewer)
    claim.refresh_from_db()
    assert verdict_get(editor, verdict.pk) == verdict
    # Back among the verdicts, but choosing the final one again is the editor's call.
    assert (claim.status, claim.final_verdict) == (ClaimStatus.REVIEWED, None)


def test_a_reviewer_trashes_only_their_own_verdict(claim, reviewer, editor, member):
    verdict = give_verdict(claim, reviewer)
    with pytest.raises(PermissionDenied):
        verdict_delete(verdict=verdict, actor=member(Role.REVIEWER))
    verdict_delete(verdict=verdict, actor=editor)
    assert Verdict.objects.get(pk=verdict.pk).deleted_at is not None


def test_giving_a_verdict_again_after_trashing_it_brings_it_back(claim, reviewer):
    verdict = give_verdict(claim, reviewer, rating="false")
    verdict_delete(verdict=verdict, actor=reviewer)
    again = give_verdict(claim, reviewer, rating="true")
    assert (again.pk, again.deleted_at, again.rating.value) == (verdict.pk, None, "true")


def test_a_verdict_is_purged_only_from_the_trash(claim, reviewer, admin):
    verdict = give_verdict(claim, reviewer)
    with pytest.raises(ValidationError):
        verdict_purge(verdict=verdict, actor=admin)
    verdict_delete(verdict=verdict, actor=reviewer)
    with pytest.raises(PermissionDenied):
        verdict_purge(verdict=verdict, actor=reviewer)
    verdict_purge(verdict=verdict, actor=admin)
    assert not Verdict.objects.exists()


def test_sources_go_to_the_trash_and_back(claim, reviewer, admin):
    source = Source.objects.create(claim=claim, url="https://stat.example/exports")
    verdict = verdict_submit(
        claim=claim, actor=reviewer, rating="false", rationale="Checked.", sources=[source]
    )
    source_delete(source=source, actor=reviewer)
    with pytest.raises(Http404):
        source_get(reviewer, source.pk)
    assert list(trash_for(reviewer, claim.document.project).sources) == [source]
    # The verdict still shows what it relied on at the time.
    assert list(verdict.sources.all()) == [source]

    source_restore(source=source, actor=reviewer)
    assert source_get(reviewer, source.pk) == source

    source_delete(source=source, actor=reviewer)
    with pytest.raises(PermissionDenied):
        source_purge(source=source, actor=reviewer)
    source_purge(source=source, actor=admin)
    assert not Source.objects.exists()


def test_viewers_cannot_use_the_trash(claim, member):
    viewer = member(Role.VIEWER)
    with pytest.raises(PermissionDenied):
        claim_delete(claim=claim, actor=viewer)
    with pytest.raises(PermissionDenied):
        source_delete(
            source=Source.objects.create(claim=claim, url="https://a.example/"), actor=viewer
        )


def test_trashing_twice_changes_nothing_the_second_time(claim, reviewer):
    claim_delete(claim=claim, actor=reviewer)
    version, deleted_at = claim.version, claim.deleted_at
    claim_delete(claim=claim, actor=reviewer)
    assert (claim.version, claim.deleted_at) == (version, deleted_at)
