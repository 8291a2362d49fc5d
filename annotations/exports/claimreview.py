"""ClaimReview: schema.org JSON-LD for search engines, one object per published claim.

The export is a JSON array of the ``ClaimReview`` objects that the claims' public pages
carry (``services.publishing.claim_review_build``, per Google's fact-check markup).
Only published claims with a final verdict are included (see ``published_claims``).
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils import timezone

from ..models import Claim, ClaimStatus
from ..services.publishing import claim_review_build, review_url_for
from .encoding import dumps
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


# What a review is made of, besides its document's and project's parts.
CLAIM_FIELDS = Fields(
    id="id",
    text="text",
    entities="entities",
    published_at="published_at",
    rating_id=final_verdict("rating_id"),
    summary="publication__summary",
    article_url="publication__article_url",
    first_appearance_url="publication__first_appearance_url",
    first_published_at="publication__first_published_at",
)


def claimreview_stream(walk: Walk, *, ratings: RatingBook, base_url: str) -> Iterator[str]:
    """Yield a JSON array of ClaimReview objects in pieces, a chunk of claims at a time.

    Each review is the one the claim's public page carries (``claim_review_build``):
    its ``url`` is the newsroom's article when the editor set one, else the public page
    under the project's public address, else under ``base_url``.
    """
    yield "["
    written = 0
    zone = timezone.get_current_timezone()
    for item in walk(claim_fields=CLAIM_FIELDS):
        if isinstance(item, DocumentStart):
            continue
        document = item.document
        project = document["project"]
        language = project["language"]
        reviews = []
        for row in item.claims:
            claim = CLAIM_FIELDS.record(row)
            if claim["rating_id"] is None:
                continue
            # Published on the day it first was, where the newsroom is.
            published = claim["first_published_at"] or claim["published_at"]
            reviews.append(
                claim_review_build(
                    url=review_url_for(
                        claim["id"],
                        article_url=claim["article_url"] or "",
                        public_base=project["public_base_url"] or base_url,
                    ),
                    text=claim["text"],
                    summary=claim["summary"] or "",
                    published=timezone.localtime(published, zone).date() if published else None,
                    language=language,
                    organization_name=project["organization_name"] or project["name"],
                    organization_url=project["organization_url"],
                    rating=ratings.claimreview(claim["rating_id"], language),
                    author=document["author"],
                    author_type=document["author_type"],
                    entities=claim["entities"],
                    appeared_on=document["published_on"],
                    appearance_url=document["source_url"],
                    first_appearance_url=claim["first_appearance_url"] or "",
                )
            )
        if reviews:
            yield ("," if written else "") + dumps(reviews)[1:-1]
            written += len(reviews)
    yield "]\n"
