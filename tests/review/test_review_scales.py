"""Editing a project's rating scale never rewrites the verdicts already given."""

import pytest

from annotations.models import Rating, RatingScale
from annotations.services.agreement import agreement_for_claim
from annotations.services.errors import ValidationError
from annotations.services.scales import RatingSpec, claimreview_rating, scale_update
from annotations.services.verdicts import verdict_submit, verdict_update
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db


THREE_STEPS = [
    {"value": "true", "label": "Correct", "colour": "#00aa00", "numeric_value": 3},
    {"value": "mixed", "label": "Mixed", "colour": "#aaaa00", "numeric_value": 2},
    {"value": "false", "label": "Wrong", "colour": "#aa0000", "numeric_value": 1},
    RatingSpec(value="unverifiable", label="Can't tell"),
]


def test_a_scale_nobody_used_is_edited_in_place(project, editor):
    before = project.rating_scale
    scale = scale_update(project=project, actor=editor, ratings=THREE_STEPS)
    assert (scale.pk, scale.version) == (before.pk, 1)
    assert list(scale.ratings.values_list("value", "label", "position")) == [
        ("true", "Correct", 0),
        ("mixed", "Mixed", 1),
        ("false", "Wrong", 2),
        ("unverifiable", "Can't tell", 3),
    ]


def test_a_scale_in_use_gets_a_new_version_and_old_verdicts_keep_their_ratings(
    project, editor, reviewer
):
    old_scale = project.rating_scale
    claim = ClaimFactory(document__project=project)
    verdict = verdict_submit(claim=claim, actor=reviewer, rating="false", rationale="No.")
    old_rating = verdict.rating

    scale = scale_update(project=project, actor=editor, ratings=THREE_STEPS)
    project.refresh_from_db()

    assert (scale.name, scale.version) == (old_scale.name, 2)
    assert project.rating_scale == scale
    verdict.refresh_from_db()
    assert verdict.rating == old_rating
    assert (verdict.rating.label, verdict.rating.scale) == ("False", old_scale)
    assert old_scale.ratings.count() == 8
    # New verdicts use the new scale; the old rating is no longer on offer.
    with pytest.raises(ValidationError):
        verdict_update(verdict=verdict, actor=reviewer, expected_version=1, rating=old_rating)
    verdict_update(verdict=verdict, actor=reviewer, expected_version=1, rationale="Still no.")
    assert verdict.rating == old_rating
    verdict_update(verdict=verdict, actor=reviewer, expected_version=2, rating="mixed")
    assert verdict.rating.scale == scale


def test_each_edit_of_a_used_scale_adds_a_version(project, editor, reviewer):
    claim = ClaimFactory(document__project=project)
    verdict_submit(claim=claim, actor=reviewer, rating="false", rationale="No.")
    scale_update(project=project, actor=editor, ratings=THREE_STEPS)
    verdict_update(verdict=claim.verdicts.get(), actor=reviewer, expected_version=1, rating="mixed")
    scale_update(project=project, actor=editor, ratings=THREE_STEPS[:2])
    assert list(RatingScale.objects.filter(project=project).values_list("version", flat=True)) == [
        1,
        2,
        3,
    ]


def test_verdicts_on_different_scale_versions_compare_by_rating_value(project, editor, member):
    claim = ClaimFactory(document__project=project)
    first, second = member(), member()
    verdict_submit(claim=claim, actor=first, rating="false", rationale="No.")
    scale_update(project=project, actor=editor, ratings=THREE_STEPS)
    verdict_submit(claim=claim, actor=second, rating="false", rationale="No.")
    assert agreement_for_claim(claim).percent_agreement == 1.0


@pytest.mark.parametrize(
    "ratings",
    [
        [],
        [{"value": "a", "label": "A"}, {"value": "a", "label": "Again"}],
        [
            {"value": "a", "label": "A", "numeric_value": 1},
            {"value": "b", "label": "B", "numeric_value": 1},
        ],
        [{"value": "a", "label": "  "}],
        [{"value": "not a slug", "label": "A"}],
        [{"value": "a", "label": "A", "colour": "red"}],
        [{"label": "No value"}],
    ],
    ids=["empty", "same-value", "same-number", "no-label", "bad-value", "bad-colour", "missing"],
)
def test_an_invalid_scale_is_refused_and_nothing_changes(project, editor, ratings):
    before = list(Rating.objects.values_list("pk", flat=True))
    with pytest.raises(ValidationError):
        scale_update(project=project, actor=editor, ratings=ratings)
    assert list(Rating.objects.values_list("pk", flat=True)) == before


def test_ratings_map_to_claimreview(project):
    ratings = project.rating_scale.ratings
    assert claimreview_rating(ratings.get(value="mostly_false")) == {
        "@type": "Rating",
        "ratingValue": 3,
        "bestRating": 6,
        "worstRating": 1,
        "alternateName": "Mostly false",
    }
    # Outside the truth scale there is no number to give, only the name.
    assert claimreview_rating(ratings.get(value="unverifiable")) == {
        "@type": "Rating",
        "alternateName": "Unverifiable",
    }
