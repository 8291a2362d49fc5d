"""Publishing a fact-check: its public page's address, wording and ClaimReview.

A published claim is a public fact-check. Readers and search engines reach it at
``public_review_url``; the page carries the same ClaimReview (``claim_review``) that the
ClaimReview export lists, so the two never disagree about a review.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import AuthorType, Claim, ClaimStatus, Project, Publication, Role
from .errors import ValidationError
from .permissions import role_require
from .scales import claimreview_rating
from .urls import url_clean


def publication_of(claim: Claim) -> Publication | None:
    try:
        return claim.publication
    except Publication.DoesNotExist:
        return None


def publication_stamp(claim: Claim, *, published: bool) -> Publication:
    """Record that ``claim`` went public (or was withdrawn); the caller holds its lock."""
    now = timezone.now()
    publication, _created = Publication.objects.get_or_create(claim=claim)
    if published:
        publication.withdrawn_at = None
        if publication.first_published_at is None:
            publication.first_published_at = now
    else:
        publication.withdrawn_at = now
    publication.save()
    return publication


@transaction.atomic
def publication_update(
    *,
    claim: Claim,
    actor: AbstractBaseUser | None,
    summary: str | None = None,
    article_url: str | None = None,
    first_appearance_url: str | None = None,
) -> Publication:
    """Set how a claim's fact-check is published (editor+). Only the fields given change.

    Allowed before and after publication: an editor prepares the wording while the claim
    is still in review, and may correct it once it is public.
    """
    role_require(actor, claim.document.project, Role.EDITOR)
    locked = Claim.objects.select_for_update().get(pk=claim.pk)
    publication, _created = Publication.objects.get_or_create(claim=locked)
    errors: dict[str, str] = {}
    if summary is not None:
        summary = " ".join(summary.split())
        if len(summary) > 300:
            errors["summary"] = _("Keep the published wording under 300 characters.")
        publication.summary = summary
    for field, value in (
        ("article_url", article_url),
        ("first_appearance_url", first_appearance_url),
    ):
        if value is None:
            continue
        value = value.strip()
        if value:
            try:
                value = url_clean(value)
            except ValidationError as error:
                errors[field] = " ".join(error.messages)
        setattr(publication, field, value)
    if errors:
        raise ValidationError(errors)
    publication.save()
    return publication


def public_base_url(project: Project, site_url: str) -> str:
    """Where the project's public pages live: its own setting, else this site."""
    return (project.public_base_url or site_url).rstrip("/")


def public_page_url(claim: Claim, site_url: str) -> str:
    """The address of the claim's public page on this site (or the project's public host)."""
    path = reverse("public_claim", args=[claim.pk])
    return public_base_url(claim.document.project, site_url) + path


def public_review_url(claim: Claim, site_url: str) -> str:
    """Where readers find the fact-check: the newsroom's own article when it set one,
    else the public page."""
    publication = publication_of(claim)
    return review_url_for(
        claim.pk,
        article_url=publication.article_url if publication else "",
        public_base=public_base_url(claim.document.project, site_url),
    )


def author_type_of(author: str, author_type: str, entities: list[dict[str, Any]]) -> str:
    """Person or Organization for a document's author: as the editor set it, else as the
    claim's named entities suggest (a ministry named as an organisation)."""
    if author_type:
        return author_type
    wanted = author.casefold()
    for entity in entities:
        if entity.get("type") != "ORG":
            continue
        names = {str(entity.get("text", "")).casefold(), str(entity.get("normal", "")).casefold()}
        if wanted in names:
            return AuthorType.ORGANIZATION
    return AuthorType.PERSON


def review_url_for(claim_id: int, *, article_url: str, public_base: str) -> str:
    """The ClaimReview ``url``: the newsroom's own article, else the public page."""
    return article_url or public_base.rstrip("/") + reverse("public_claim", args=[claim_id])


def claim_review_build(
    *,
    url: str,
    text: str,
    summary: str,
    published: date | None,
    language: str,
    organization_name: str,
    organization_url: str,
    rating: dict[str, Any],
    author: str,
    author_type: str,
    entities: list[dict[str, Any]],
    appeared_on: date | None,
    appearance_url: str,
    first_appearance_url: str,
) -> dict[str, Any]:
    """One ClaimReview, per Google's fact-check markup, from plain values: the public
    page and the ClaimReview export both make theirs here."""
    item: dict[str, Any] = {"@type": "Claim"}
    if author:
        item["author"] = {"@type": author_type_of(author, author_type, entities), "name": author}
    if appeared_on is not None:
        item["datePublished"] = appeared_on.isoformat()
    if appearance_url:
        item["appearance"] = [{"@type": "CreativeWork", "url": appearance_url}]
    if first_appearance_url:
        item["firstAppearance"] = {"@type": "CreativeWork", "url": first_appearance_url}
    publisher: dict[str, Any] = {"@type": "Organization", "name": organization_name}
    if organization_url:
        publisher["url"] = organization_url
    review: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": url,
        "claimReviewed": summary or text,
        "author": publisher,
        "reviewRating": rating,
        "itemReviewed": item,
        "inLanguage": language,
    }
    if published is not None:
        review["datePublished"] = published.isoformat()
    return review


def claim_review(claim: Claim, *, site_url: str) -> dict[str, Any] | None:
    """The schema.org ClaimReview of a published claim, or None for a claim that is not
    public (not published, or without a final verdict)."""
    final = claim.final_verdict
    if claim.status != ClaimStatus.PUBLISHED or final is None or final.deleted_at is not None:
        return None
    document = claim.document
    project = document.project
    publication = publication_of(claim)
    published = (publication and publication.first_published_at) or claim.published_at
    return claim_review_build(
        url=public_review_url(claim, site_url),
        text=claim.text,
        summary=publication.summary if publication else "",
        published=timezone.localtime(published).date() if published else None,
        language=project.language,
        organization_name=project.organization_name or project.name,
        organization_url=project.organization_url,
        rating=claimreview_rating(final.rating, project.language),
        author=document.author,
        author_type=document.author_type,
        entities=claim.entities,
        appeared_on=document.published_on,
        appearance_url=document.source_url,
        first_appearance_url=publication.first_appearance_url if publication else "",
    )
