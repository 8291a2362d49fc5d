"""Reviewers' verdicts: what a verdict needs, one per reviewer, and blind review."""

import pytest
from django.http import Http404

from annotations.models import ClaimStatus, Role, Source, Verdict
from annotations.selectors import verdict_get, verdict_visibility, verdicts_visible_to
from annotations.services.errors import Conflict, PermissionDenied, ValidationError
from annotations.services.verdicts import claim_set_final_verdict, verdict_submit, verdict_update
from annotations.services.workflow import claim_approve
from tests.factories import ClaimFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(project):
    return ClaimFactory(document__project=project)


def submit(claim, reviewer, rating="false", rationale="Official statistics say 2%.", **kwargs):
    return verdict_submit(claim=claim, actor=reviewer, rating=rating, rationale=rationale, **kwargs)


def test_a_verdict_has_a_rating_from_the_current_scale_and_a_rationale(claim, reviewer, project):
    rating = project.rating_scale.ratings.get(value="mostly_false")
    verdict = submit(claim, reviewer, rating=rating, rationale="  Exports grew 2%, not 5%.  ")
    assert (verdict.rating, verdict.rationale, verdict.version) == (
        rating,
        "Exports grew 2%, not 5%.",
        1,
    )
    assert claim.status == ClaimStatus.REVIEWED


@pytest.mark.parametrize("rationale", ["", "   ", "\n\t "])
def test_a_verdict_without_a_rationale_is_refused(claim, reviewer, rationale):
    with pytest.raises(ValidationError):
        submit(claim, reviewer, rationale=rationale)
    assert not Verdict.objects.exists()
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.UNREVIEWED


def test_a_rating_from_another_scale_is_refused(claim, reviewer):
    foreign = ProjectFactory().rating_scale.ratings.get(value="false")
    with pytest.raises(ValidationError):
        submit(claim, reviewer, rating=foreign)
    with pytest.raises(ValidationError):
        submit(claim, reviewer, rating="pants_on_fire")


def test_a_verdict_relies_only_on_the_claims_own_sources(claim, reviewer):
    own = Source.objects.create(claim=claim, url="https://stat.example/exports")
    foreign = Source.objects.create(claim=ClaimFactory(), url="https://elsewhere.example/")
    trashed = Source.objects.create(claim=claim, url="https://stat.example/old")
    trashed.deleted_at = trashed.created_at
    trashed.save()
    for bad in ([foreign], [trashed]):
        with pytest.raises(ValidationError):
            submit(claim, reviewer, sources=bad)
    verdict = submit(claim, reviewer, sources=[own])
    assert list(verdict.sources.all()) == [own]


def test_submitting_again_needs_the_version_one_saw(claim, reviewer):
    first = submit(claim, reviewer, rating="false")
    # From another tab that never saw the first verdict: refused, nothing overwritten.
    with pytest.raises(Conflict) as refused:
        submit(claim, reviewer, rating="true")
    assert refused.value.current == first
    again = submit(claim, reviewer, rating="true", expected_version=first.version)
    assert (again.pk, again.rating.value, again.version) == (first.pk, "true", 2)
    assert Verdict.objects.count() == 1


def test_a_stale_verdict_update_is_refused(claim, reviewer):
    verdict = submit(claim, reviewer, rating="false")
    verdict_update(verdict=verdict, actor=reviewer, expected_version=1, rationale="Second look.")
    with pytest.raises(Conflict) as refused:
        verdict_update(verdict=verdict, actor=reviewer, expected_version=1, rating="true")
    assert refused.value.current.rationale == "Second look."
    verdict.refresh_from_db()
    assert (verdict.rating.value, verdict.rationale, verdict.version) == (
        "false",
        "Second look.",
        2,
    )


def test_an_update_changes_only_the_fields_given(claim, reviewer):
    source = Source.objects.create(claim=claim, url="https://stat.example/exports")
    verdict = submit(claim, reviewer, rating="false", sources=[source])
    verdict_update(verdict=verdict, actor=reviewer, expected_version=1, rating="mostly_false")
    assert (verdict.rating.value, verdict.rationale) == (
        "mostly_false",
        "Official statistics say 2%.",
    )
    assert list(verdict.sources.all()) == [source]
    verdict_update(verdict=verdict, actor=reviewer, expected_version=2, sources=[])
    assert list(verdict.sources.all()) == []


def test_only_its_reviewer_changes_a_verdict(claim, reviewer, editor):
    verdict = submit(claim, reviewer)
    with pytest.raises(PermissionDenied):
        verdict_update(verdict=verdict, actor=editor, expected_version=1, rating="true")


def test_several_reviewers_judge_a_claim_independently(claim, member):
    first, second = member(Role.REVIEWER), member(Role.REVIEWER)
    submit(claim, first, rating="false")
    submit(claim, second, rating="half_true")
    assert sorted(claim.verdicts.values_list("rating__value", flat=True)) == ["false", "half_true"]


def test_verdicts_on_an_approved_claim_are_frozen(claim, reviewer, editor, member):
    verdict = submit(claim, reviewer)
    claim_set_final_verdict(claim=claim, actor=editor, verdict=verdict)
    claim_approve(claim=claim, actor=editor)
    with pytest.raises(ValidationError, match="reopen"):
        verdict_update(verdict=verdict, actor=reviewer, expected_version=1, rating="true")
    with pytest.raises(ValidationError, match="reopen"):
        submit(claim, member(Role.REVIEWER))


# --- Blind review ---------------------------------------------------------------------


@pytest.fixture
def judged(project, member):
    """A claim two reviewers have judged, and a third reviewer who has not yet."""
    claim = ClaimFactory(document__project=project)
    first, second, late = (member(Role.REVIEWER) for _ in range(3))
    verdicts = [submit(claim, first, rating="false"), submit(claim, second, rating="true")]
    return claim, verdicts, late


def test_without_blind_review_members_see_every_verdict(judged, member):
    claim, verdicts, late = judged
    assert list(verdicts_visible_to(late, claim)) == verdicts
    assert list(verdicts_visible_to(member(Role.VIEWER), claim)) == verdicts


def test_under_blind_review_a_reviewer_sees_others_only_after_giving_their_own(judged, project):
    project.blind_review = True
    project.save()
    claim, verdicts, late = judged
    assert list(verdicts_visible_to(late, claim)) == []
    with pytest.raises(Http404):
        verdict_get(late, verdicts[0].pk)

    own = submit(claim, late, rating="half_true")
    assert list(verdicts_visible_to(late, claim)) == [*verdicts, own]
    assert verdict_get(late, verdicts[0].pk) == verdicts[0]


def test_under_blind_review_a_reviewer_sees_their_own_verdict(judged, project):
    project.blind_review = True
    project.save()
    claim, verdicts, _late = judged
    first = verdicts[0].reviewer
    assert list(verdicts_visible_to(first, claim)) == verdicts


@pytest.mark.parametrize("role", [Role.EDITOR, Role.ADMIN])
def test_editors_always_see_every_verdict(judged, project, member, role):
    project.blind_review = True
    project.save()
    claim, verdicts, _late = judged
    assert list(verdicts_visible_to(member(role), claim)) == verdicts


def test_the_visibility_rule_for_lists_agrees_with_the_selector(judged, project, editor):
    project.blind_review = True
    project.save()
    claim, verdicts, late = judged
    first = verdicts[0].reviewer
    for user, expected in ((late, False), (first, True), (editor, True)):
        visible = verdict_visibility(user, project)
        assert [visible(claim, v) for v in verdicts] == [expected, expected]


def test_outsiders_see_no_verdicts(judged, outsider):
    claim, verdicts, _late = judged
    assert list(verdicts_visible_to(outsider, claim)) == []
    with pytest.raises(Http404):
        verdict_get(outsider, verdicts[0].pk)
