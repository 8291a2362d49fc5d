"""Importing other fact-checkers' ClaimReview into a project's reference archive: valid
items all in, any bad item refused with a message per item and nothing written; matches
against them show the publisher, rating and link."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from annotations.models import ReferenceReview, Role
from annotations.services.matching import verdict_carry_over
from tests.factories import MembershipFactory, ProjectFactory
from tests.helpers import document_of_claims

pytest_plugins = ["tests.fetch_server"]


def review(claim: str, *, url: str, rating: str = "False", publisher: str = "FactCheck.org"):
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": url,
        "claimReviewed": claim,
        "datePublished": "2024-03-12",
        "inLanguage": "en",
        "author": {"@type": "Organization", "name": publisher, "url": "https://example.org"},
        "itemReviewed": {
            "@type": "Claim",
            "author": {"@type": "Person", "name": "A Senator"},
            "datePublished": "2024-03-01",
        },
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": 1,
            "bestRating": 5,
            "worstRating": 1,
            "alternateName": rating,
        },
    }


FEED = [
    review(
        "Only 9% of plastic waste has ever been recycled.",
        url="https://example.org/plastic",
        rating="True",
    ),
    review(
        "The vaccine is 95% effective at preventing severe illness.",
        url="https://example.org/vaccine",
        rating="Mostly True",
    ),
]


@pytest.fixture
def newsroom(db):
    project = ProjectFactory(language="en")
    editor = MembershipFactory(project=project, role=Role.EDITOR).user
    return project, editor


def api(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def upload(client, project, content: bytes, name: str = "reviews.json"):
    return client.post(
        f"/api/v1/projects/{project.slug}/references/",
        {"file": SimpleUploadedFile(name, content, content_type="application/json")},
        format="multipart",
    )


def test_a_feed_is_imported_and_matched_with_publisher_rating_and_link(newsroom):
    project, editor = newsroom
    feed = {"@type": "DataFeed", "dataFeedElement": [{"@type": "DataFeedItem", "item": FEED}]}
    response = upload(api(editor), project, json.dumps(feed).encode())
    assert response.status_code == 201, response.json()
    assert response.json() == {"imported": 2, "updated": 0, "items": 2}
    stored = ReferenceReview.objects.get(url="https://example.org/plastic")
    assert stored.publisher == "FactCheck.org"
    assert stored.claim_author == "A Senator"
    assert str(stored.date_published) == "2024-03-12"
    results = (
        api(editor)
        .get(
            f"/api/v1/projects/{project.slug}/similar/",
            {"text": "Just nine percent of all plastic waste has ever been recycled."},
        )
        .json()["results"]
    )
    assert results[0]["source"] == "reference"
    assert results[0]["claim"] is None
    assert results[0]["publisher"] == "FactCheck.org"
    assert results[0]["final_rating"] == "True"
    assert results[0]["url"] == "https://example.org/plastic"


def test_importing_again_updates_instead_of_doubling(newsroom):
    project, editor = newsroom
    upload(api(editor), project, json.dumps(FEED).encode())
    changed = [dict(FEED[0], reviewRating={"alternateName": "Half True"}), FEED[1]]
    response = upload(api(editor), project, json.dumps(changed).encode())
    assert response.json() == {"imported": 0, "updated": 2, "items": 2}
    assert ReferenceReview.objects.filter(project=project).count() == 2
    assert ReferenceReview.objects.get(url="https://example.org/plastic").rating_label == (
        "Half True"
    )


def test_one_bad_item_refuses_the_whole_import_with_a_message_per_item(newsroom):
    project, editor = newsroom
    bad = [
        FEED[0],
        dict(FEED[1], claimReviewed=""),
        dict(FEED[1], url="javascript:alert(1)", reviewRating={}),
    ]
    response = upload(api(editor), project, json.dumps(bad).encode())
    assert response.status_code == 400
    items = response.json()["fields"]["items"]
    assert len(items) == 2
    assert items[0].startswith("Review 2:") and "claimReviewed" in items[0]
    assert items[1].startswith("Review 3:") and "url" in items[1] and "reviewRating" in items[1]
    assert not ReferenceReview.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"{not json", "not valid JSON"),
        (b'{"@type": "NewsArticle", "headline": "x"}', "No ClaimReview"),
        (b"plain words, no markup", "Neither JSON"),
        (b'<html><script type="application/ld+json">{oops</script></html>', "not valid JSON"),
    ],
)
def test_input_that_is_not_claimreview_is_refused_clearly(newsroom, content, message):
    project, editor = newsroom
    response = upload(api(editor), project, content)
    assert response.status_code == 400
    assert message in response.json()["detail"]
    assert not ReferenceReview.objects.exists()


def test_a_reviewer_may_not_import(newsroom):
    project, _editor = newsroom
    reviewer = MembershipFactory(project=project, role=Role.REVIEWER).user
    response = upload(api(reviewer), project, json.dumps(FEED).encode())
    assert response.status_code == 403
    assert not ReferenceReview.objects.exists()


def test_a_page_is_fetched_through_the_safe_fetcher(newsroom, fetch_server):
    project, editor = newsroom
    page = (
        "<html><head><script type='application/ld+json'>"
        + json.dumps(FEED[0])
        + "</script></head><body>A review</body></html>"
    )
    url = fetch_server.serve("/review", page)
    with override_settings(FETCH_ALLOWED_NETWORKS=["127.0.0.1/32"]):
        response = api(editor).post(
            f"/api/v1/projects/{project.slug}/references/", {"url": url}, format="json"
        )
    assert response.status_code == 201, response.json()
    assert ReferenceReview.objects.get().url == "https://example.org/plastic"


def test_a_private_address_is_refused_by_the_fetcher(newsroom, fetch_server):
    project, editor = newsroom
    url = fetch_server.serve("/review", json.dumps(FEED))
    response = api(editor).post(
        f"/api/v1/projects/{project.slug}/references/", {"url": url}, format="json"
    )
    assert response.status_code == 400
    assert "url" in response.json()["fields"]
    assert fetch_server.requests == []


def test_an_editor_carries_a_reviews_rating_over(newsroom):
    project, editor = newsroom
    upload(api(editor), project, json.dumps(FEED).encode())
    reference = ReferenceReview.objects.get(url="https://example.org/vaccine")
    claim = document_of_claims(
        project, ["The vaccine prevents severe illness with 95 percent efficacy."], language="en"
    ).claims.get()
    verdict = verdict_carry_over(claim=claim, actor=editor, reference=reference)
    assert verdict.rating.value == "mostly_true"
    assert verdict.carried_from_reference_id == reference.pk
    assert "https://example.org/vaccine" in verdict.rationale
