"""How a claim's fact-check is published: its wording, addresses and ClaimReview."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import selectors
from ..models import Claim, ClaimStatus
from ..services.publishing import (
    claim_review,
    public_page_url,
    public_review_url,
    publication_of,
    publication_update,
)


class PublicationSerializer(serializers.Serializer):
    summary = serializers.CharField(
        allow_blank=True,
        required=False,
        help_text="The claim as published (ClaimReview claimReviewed); the claim's text when "
        "empty.",
    )
    article_url = serializers.CharField(
        allow_blank=True,
        required=False,
        help_text="The newsroom's own article for this fact-check; the public page when empty.",
    )
    first_appearance_url = serializers.CharField(
        allow_blank=True, required=False, help_text="Where the claim was first made."
    )
    public = serializers.BooleanField(read_only=True)
    public_url = serializers.CharField(
        read_only=True, help_text="The fact-check's public page on this site."
    )
    review_url = serializers.CharField(
        read_only=True, help_text="Where readers find the fact-check (ClaimReview url)."
    )
    first_published_at = serializers.DateTimeField(read_only=True, allow_null=True)
    withdrawn_at = serializers.DateTimeField(read_only=True, allow_null=True)
    claimreview = serializers.JSONField(
        read_only=True, allow_null=True, help_text="The ClaimReview while the claim is public."
    )


def _representation(claim: Claim, request: Request) -> dict[str, Any]:
    site_url = request.build_absolute_uri("/").rstrip("/")
    publication = publication_of(claim)
    return {
        "summary": publication.summary if publication else "",
        "article_url": publication.article_url if publication else "",
        "first_appearance_url": publication.first_appearance_url if publication else "",
        "public": claim.status == ClaimStatus.PUBLISHED,
        "public_url": public_page_url(claim, site_url),
        "review_url": public_review_url(claim, site_url),
        "first_published_at": publication.first_published_at if publication else None,
        "withdrawn_at": publication.withdrawn_at if publication else None,
        "claimreview": claim_review(claim, site_url=site_url),
    }


class ClaimPublicationView(APIView):
    """``/claims/{id}/publication/``: read by any member, changed by editors."""

    @extend_schema(responses=PublicationSerializer, operation_id="v1_claims_publication_retrieve")
    def get(self, request: Request, pk: int) -> Response:
        claim = selectors.claim_get(request.user, pk)
        return Response(PublicationSerializer(_representation(claim, request)).data)

    @extend_schema(
        request=PublicationSerializer,
        responses=PublicationSerializer,
        operation_id="v1_claims_publication_partial_update",
    )
    def patch(self, request: Request, pk: int) -> Response:
        claim = selectors.claim_get(request.user, pk)
        given = PublicationSerializer(data=request.data, partial=True)
        given.is_valid(raise_exception=True)
        publication_update(claim=claim, actor=request.user, **given.validated_data)
        claim = selectors.claim_get(request.user, pk)
        return Response(PublicationSerializer(_representation(claim, request)).data)
