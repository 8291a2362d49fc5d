from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from django.utils import timezone

from annotations.exports import export_stream, export_warnings, warnings_header
from annotations.models import Claim, Document, Publication
from annotations.services.workflow import claim_unpublish
from tests.helpers import newsroom, schemaorg_problems

BASE = "https://factcheck.example"


def reviews(**kwargs) -> list[dict]:
    kwargs.setdefault("documents", Document.objects.all())
    return json.loads("".join(export_stream(fmt="claimreview", base_url=BASE, **kwargs)))


def test_only_published_claims_appear(db):
    room = newsroom()
    found = reviews()

    assert [review["claimReviewed"] for review in found] == [c.text for c in room.claims[:2]]


def test_an_unpublished_claim_leaves_the_export(db):
    room = newsroom()
    claim_unpublish(claim=room.claims[0], actor=room.editor)

    assert [review["claimReviewed"] for review in reviews()] == [room.claims[1].text]


def test_each_review_has_the_fields_search_engines_require(db):
    room = newsroom()
    first = room.claims[0]
    review = reviews()[0]

    assert review["@context"] == "https://schema.org"
    assert review["@type"] == "ClaimReview"
    # The claim's public page, the one whose JSON-LD is this review.
    assert review["url"] == f"https://factcheck.example/fact-checks/{first.pk}/"
    assert review["inLanguage"] == "ru"
    assert review["claimReviewed"] == first.text
    assert review["datePublished"] == first.published_at.date().isoformat()
    assert review["author"] == {
        "@type": "Organization",
        "name": "Проверка фактов",
        "url": "https://factcheck.example/",
    }
    assert review["itemReviewed"] == {
        "@type": "Claim",
        "author": {"@type": "Person", "name": "Министерство экономики"},
        "datePublished": "2024-03-01",
        "appearance": [{"@type": "CreativeWork", "url": "https://news.example/exports"}],
    }
    assert schemaorg_problems(review, "ClaimReview") == []


def test_the_review_rating_places_the_verdict_on_the_truth_scale(db):
    newsroom()
    mostly_false, true = (review["reviewRating"] for review in reviews())

    # The default scale runs from misleading (1) to true (6).
    assert mostly_false == {
        "@type": "Rating",
        "ratingValue": 3,
        "bestRating": 6,
        "worstRating": 1,
        "alternateName": "В основном ложь",
    }
    assert true["ratingValue"] == 6
    # Named in the project's language, as its public pages name it.
    assert true["alternateName"] == "Правда"


def test_the_author_is_an_organisation_when_the_claim_names_it_so(db):
    room = newsroom()
    Claim.objects.filter(pk=room.claims[0].pk).update(
        entities=[{"start": 0, "end": 5, "text": "Министерство экономики", "type": "ORG"}]
    )

    assert reviews()[0]["itemReviewed"]["author"]["@type"] == "Organization"


def test_a_long_claim_gives_a_warning_not_a_failure(db):
    room = newsroom()
    long_claim = room.claims[1]
    assert len(long_claim.text) > 75

    warnings = export_warnings(documents=Document.objects.all(), fmt="claimreview", base_url=BASE)

    assert [(w.code, w.claim_id) for w in warnings] == [("claim-reviewed-too-long", long_claim.pk)]
    assert str(len(long_claim.text)) in warnings[0].message
    assert len(reviews()) == 2
    assert warnings_header(warnings) == f"claim-reviewed-too-long;claim={long_claim.pk}"


def test_it_warns_that_review_urls_are_relative_without_a_base_url(db):
    newsroom()
    warnings = export_warnings(documents=Document.objects.all(), fmt="claimreview")

    assert warnings[0].code == "relative-review-url"
    found = json.loads("".join(export_stream(documents=Document.objects.all(), fmt="claimreview")))
    assert found[0]["url"].startswith("/fact-checks/")


def test_other_formats_have_no_warnings(db):
    newsroom()
    for fmt in ("native", "webannotation", "csv"):
        assert export_warnings(documents=Document.objects.all(), fmt=fmt) == []


def test_the_warnings_header_stays_short(db):
    from annotations.exports import ExportWarning

    many = [ExportWarning("claim-reviewed-too-long", "…", claim_id=n) for n in range(30)]

    header = warnings_header(many, limit=2)

    assert header == (
        "claim-reviewed-too-long;claim=0, claim-reviewed-too-long;claim=1, more;count=28"
    )
    header.encode("ascii")


def test_a_project_without_published_claims_exports_an_empty_list(db):
    room = newsroom()
    assert reviews(claims=Claim.objects.filter(pk=room.claims[2].pk)) == []


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2024, 3, 2, 23, 59, 59, 999999, tzinfo=UTC),
        datetime(2024, 3, 3, 0, 0, tzinfo=UTC),
        datetime(999, 12, 31, 12, 0, tzinfo=UTC),
    ],
)
def test_the_date_published_is_the_day_of_the_publication_in_utc(db, moment):
    room = newsroom()
    Claim.objects.filter(document=room.document).update(published_at=moment)
    # A republished fact-check keeps the day it was first published.
    Publication.objects.filter(claim__document=room.document).update(first_published_at=moment)

    with timezone.override("UTC"):
        text = "".join(export_stream(documents=Document.objects.all(), fmt="claimreview"))

    assert {review["datePublished"] for review in json.loads(text)} == {moment.date().isoformat()}


def test_the_export_and_the_public_page_carry_the_same_review(db, client):
    from annotations.services.publishing import publication_update

    room = newsroom()
    first = room.claims[0]
    publication_update(
        claim=first,
        actor=room.editor,
        summary="Экспорт вырос",
        article_url="https://newsroom.example/checks/1",
        first_appearance_url="https://t.me/example/1",
    )
    stream = export_stream(
        documents=Document.objects.all(), fmt="claimreview", base_url="http://testserver"
    )
    found = json.loads("".join(stream))[0]
    page = client.get(f"/fact-checks/{first.pk}/").content.decode()
    embedded = json.loads(
        page.split('<script type="application/ld+json">')[1].split("</script>")[0]
    )
    assert found == embedded
    assert found["url"] == "https://newsroom.example/checks/1"
    assert found["claimReviewed"] == "Экспорт вырос"
