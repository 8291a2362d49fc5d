"""ClaimReview: schema.org JSON-LD for search engines, one object per published claim.

Follows Google's fact-check markup: the export is a JSON array of ``ClaimReview``
objects, each with ``claimReviewed``, ``reviewRating``, ``url``, ``author`` and
``datePublished``, and ``itemReviewed`` describing the claim where it appeared.
Only published claims with a final verdict are included (see ``published_claims``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from ..models import Claim, ClaimStatus
from .encoding import Fragment, dumps
from .rows import DocumentStart, Fields, RatingBook, Walk, final_verdict

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


# What a review is made of, besides its document's parts.
CLAIM_FIELDS = Fields(
    id="id",
    text="text",
    entities="entities",
    published_at="published_at",
    rating_id=final_verdict("rating_id"),
)


def claimreview_stream(walk: Walk, *, ratings: RatingBook, base_url: str) -> Iterator[str]:
    """Yield a JSON array of ClaimReview objects in pieces, a chunk of claims at a time.

    What claims share (their document's author and appearance, a rating) is encoded
    once, as a fragment of JSON text, rather than for every claim.
    """
    yield "["
    written = 0
    zone = timezone.get_current_timezone()
    review_ratings: dict[int, Fragment] = {}
    parts: _DocumentParts | None = None
    for item in walk(claim_fields=CLAIM_FIELDS):
        if isinstance(item, DocumentStart):
            continue
        if parts is None or parts.document is not item.document:
            parts = _DocumentParts(item.document)
        reviews = []
        for row in item.claims:
            claim = CLAIM_FIELDS.record(row)
            rating_id = claim["rating_id"]
            if rating_id is None:
                continue
            if rating_id not in review_ratings:
                review_ratings[rating_id] = Fragment(dumps(ratings.claimreview(rating_id)))
            review: dict[str, Any] = {
                "@context": "https://schema.org",
                "@type": "ClaimReview",
                "url": review_url(base_url, claim["id"]),
                "claimReviewed": claim["text"],
                "author": parts.author,
                "reviewRating": review_ratings[rating_id],
                "itemReviewed": parts.item_reviewed(claim["entities"]),
            }
            if claim["published_at"] is not None:
                # Published on the day it was where the newsroom is.
                published = timezone.localtime(claim["published_at"], zone)
                review["datePublished"] = published.date().isoformat()
            reviews.append(review)
        if reviews:
            yield ("," if written else "") + dumps(reviews)[1:-1]
            written += len(reviews)
    yield "]\n"


class _DocumentParts:
    """The parts of a review that come from its document, as JSON fragments."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        project = document["project"]
        author: dict[str, Any] = {
            "@type": "Organization",
            "name": project["organization_name"] or project["name"],
        }
        if project["organization_url"]:
            author["url"] = project["organization_url"]
        self.author = Fragment(dumps(author))
        self._items: dict[str, Fragment] = {}

    def item_reviewed(self, entities: list[dict[str, Any]]) -> Fragment:
        document = self.document
        kind = _author_type(document["author"], entities) if document["author"] else ""
        if kind not in self._items:
            self._items[kind] = Fragment(dumps(_item_reviewed(document, kind)))
        return self._items[kind]


def _item_reviewed(document: dict[str, Any], author_type: str) -> dict[str, Any]:
    item: dict[str, Any] = {"@type": "Claim"}
    if document["author"]:
        item["author"] = {"@type": author_type, "name": document["author"]}
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
