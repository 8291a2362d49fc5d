"""ClaimReview: schema.org JSON-LD for search engines, one object per published claim.

Follows Google's fact-check markup: the export is a JSON array of ``ClaimReview``
objects, each with ``claimReviewed``, ``reviewRating``, ``url``, ``author`` and
``datePublished``, and ``itemReviewed`` describing the claim where it appeared.
Only published claims with a final verdict are included (see ``published_claims``).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, tzinfo
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from ..models import Claim, ClaimStatus
from .encoding import dumps
from .rows import ClaimChunk, DocumentStart, RatingBook

# Google shows the claim in search results in full only up to this length.
CLAIM_REVIEWED_MAX_CHARS = 75


def published_claims(claims: QuerySet[Claim]) -> QuerySet[Claim]:
    """The claims a ClaimReview export may show: published, with a live final verdict."""
    return claims.filter(
        status=ClaimStatus.PUBLISHED,
        final_verdict__isnull=False,
        final_verdict__deleted_at__isnull=True,
    )


def review_url(base_url: str, claim_id: int) -> str:
    """Where the fact-check of a claim is published."""
    return f"{base_url}/claims/{claim_id}/"


def claimreview_stream(
    items: Iterator[DocumentStart | ClaimChunk], *, ratings: RatingBook, base_url: str
) -> Iterator[str]:
    """Yield a JSON array of ClaimReview objects in pieces, a chunk of claims at a time."""
    yield "["
    written = 0
    # Dates are published in the current time zone; looked up once, not per claim.
    zone = timezone.get_current_timezone()
    for item in items:
        if isinstance(item, DocumentStart):
            continue
        reviews = [
            _review(row, item.document, ratings, base_url, zone)
            for row in item.claims
            if row["final_verdict"] is not None
        ]
        if reviews:
            body = dumps(reviews)[1:-1]
            yield ("," if written else "") + body
            written += len(reviews)
    yield "]\n"


def _review(
    row: dict[str, Any],
    document: dict[str, Any],
    ratings: RatingBook,
    base_url: str,
    zone: tzinfo,
) -> dict[str, Any]:
    project = document["project"]
    final = row["final_verdict"]
    author: dict[str, Any] = {
        "@type": "Organization",
        "name": project["organization_name"] or project["name"],
    }
    if project["organization_url"]:
        author["url"] = project["organization_url"]
    review: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": review_url(base_url, row["id"]),
        "claimReviewed": row["text"],
        "author": author,
        "reviewRating": ratings.claimreview(final["rating_id"]),
        "itemReviewed": _item_reviewed(row, document),
    }
    if row["published_at"] is not None:
        published = datetime.fromisoformat(row["published_at"])
        review["datePublished"] = timezone.localtime(published, zone).date().isoformat()
    return review


def _item_reviewed(row: dict[str, Any], document: dict[str, Any]) -> dict[str, Any]:
    item: dict[str, Any] = {"@type": "Claim"}
    if document["author"]:
        item["author"] = {
            "@type": _author_type(document["author"], row["entities"]),
            "name": document["author"],
        }
    if document["published_on"] is not None:
        item["datePublished"] = document["published_on"].isoformat()
    if document["source_url"]:
        item["appearance"] = {"@type": "CreativeWork", "url": document["source_url"]}
    return item


def _author_type(name: str, entities: list[dict[str, Any]]) -> str:
    # A document's author is a person unless the claim's own entities name it as an
    # organisation (a ministry, a newspaper); there is nothing better to go on.
    wanted = name.casefold()
    for entity in entities:
        if entity.get("type") != "ORG":
            continue
        names = {str(entity.get("text", "")).casefold(), str(entity.get("normal", "")).casefold()}
        if wanted in names:
            return "Organization"
    return "Person"
