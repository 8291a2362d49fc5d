"""Reads scoped to what a user may see. Every view, API endpoint, export and command that
reads project data goes through here, so an id from another project is simply not found."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from .models import Claim, ClaimStatus, Document, Membership, Project, Role

User = AbstractBaseUser | AnonymousUser


def projects_for(user: User) -> QuerySet[Project]:
    if not user.is_authenticated:
        return Project.objects.none()
    if user.is_superuser:
        return Project.objects.all()
    return Project.objects.filter(memberships__user=user)


def membership_for(user: User, project: Project) -> Membership | None:
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(user=user, project=project).first()


def role_in(user: User, project: Project) -> str | None:
    if user.is_authenticated and user.is_superuser:
        return Role.ADMIN
    membership = membership_for(user, project)
    return membership.role if membership else None


def get_project(user: User, slug: str) -> Project:
    try:
        return projects_for(user).get(slug=slug)
    except Project.DoesNotExist:
        raise Http404 from None


def documents_for(user: User) -> QuerySet[Document]:
    return Document.objects.filter(project__in=projects_for(user))


def get_document(user: User, pk: int) -> Document:
    try:
        return documents_for(user).select_related("project").get(pk=pk)
    except Document.DoesNotExist:
        raise Http404 from None


def claims_for(user: User) -> QuerySet[Claim]:
    return Claim.objects.alive().filter(document__project__in=projects_for(user))


def documents_with_progress(project: Project) -> QuerySet[Document]:
    done = [ClaimStatus.REVIEWED, ClaimStatus.APPROVED, ClaimStatus.PUBLISHED]
    alive = Q(claims__deleted_at__isnull=True)
    return (
        project.documents.defer("text", "links")
        .annotate(
            claim_count=Count("claims", filter=alive),
            reviewed_count=Count("claims", filter=alive & Q(claims__status__in=done)),
            approved_count=Count(
                "claims",
                filter=alive & Q(claims__status__in=[ClaimStatus.APPROVED, ClaimStatus.PUBLISHED]),
            ),
        )
        .order_by("-created_at")
    )


@dataclass(frozen=True)
class Segment:
    """A stretch of document text, either plain or one claim."""

    text: str
    claim: Claim | None = None


def document_segments(document: Document) -> list[Segment]:
    """The document text cut into plain stretches and claims, in order, for display."""
    text = document.text
    segments: list[Segment] = []
    cursor = 0
    for claim in document.claims.alive().order_by("start"):
        if claim.start > cursor:
            segments.append(Segment(text[cursor : claim.start]))
        segments.append(Segment(text[claim.start : claim.end], claim))
        cursor = claim.end
    if cursor < len(text):
        segments.append(Segment(text[cursor:]))
    return segments
