""" "Checked before?" endpoints: similar claims, "same claim as", carrying a rating over,
and importing other fact-checkers' ClaimReview into a project's reference archive."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from .. import selectors, similar
from ..models import ReferenceReview
from ..services import matching as matching_services
from ..services import references as reference_services
from .concurrency import with_etag

MAX_TEXT_CHARS = 5_000

_RESULT = inline_serializer(
    "SimilarClaim",
    {
        "claim": serializers.IntegerField(allow_null=True),
        "text": serializers.CharField(),
        "score": serializers.FloatField(),
        "document": serializers.IntegerField(allow_null=True),
        "status": serializers.CharField(allow_null=True),
        "final_rating": serializers.CharField(allow_null=True),
        "source": serializers.ChoiceField(choices=["project", "reference"]),
        "likely_same": serializers.BooleanField(),
        "project": serializers.CharField(allow_null=True),
        "document_title": serializers.CharField(allow_null=True),
        "final_rating_label": serializers.CharField(allow_null=True),
        "reviewed_on": serializers.DateField(allow_null=True),
        "reference": serializers.IntegerField(allow_null=True),
        "publisher": serializers.CharField(allow_null=True),
        "url": serializers.URLField(allow_null=True),
    },
    many=True,
)
_RESULTS = inline_serializer("SimilarClaims", {"results": _RESULT})
_LIMIT = OpenApiParameter(
    "limit",
    {"type": "integer", "minimum": 1, "maximum": similar.MAX_LIMIT},
    description=_("How many matches, best first (default %(default)s, at most %(max)s).")
    % {"default": similar.DEFAULT_LIMIT, "max": similar.MAX_LIMIT},
)


def _limit(request: Request) -> int:
    raw = request.query_params.get("limit")
    if raw is None or raw == "":
        return similar.DEFAULT_LIMIT
    try:
        limit = int(raw)
    except ValueError:
        limit = 0
    if not 1 <= limit <= similar.MAX_LIMIT:
        raise ValidationError(
            {"limit": [_("Give a whole number from 1 to %(max)s.") % {"max": similar.MAX_LIMIT}]}
        )
    return limit


def _results(matches: list[similar.Similar]) -> Response:
    return Response({"results": [match.as_dict() for match in matches]})


class SameAsInput(serializers.Serializer):
    claim = serializers.IntegerField(min_value=1)


class CarryOverInput(serializers.Serializer):
    claim = serializers.IntegerField(min_value=1, required=False)
    reference = serializers.IntegerField(min_value=1, required=False)
    rating = serializers.CharField(required=False, allow_blank=True, max_length=40)

    def validate(self, data: dict) -> dict:
        if ("claim" in data) == ("reference" in data):
            raise serializers.ValidationError(
                _("Give the earlier claim or the reference review, not both.")
            )
        return data


class ClaimSimilarActions:
    """Actions on one claim (mixed into the claim endpoints)."""

    @extend_schema(parameters=[_LIMIT], responses=_RESULTS)
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def similar(self, request: Request, pk: str | None = None) -> Response:
        claim = selectors.claim_get(request.user, pk)
        return _results(similar.similar_to_claim(request.user, claim, limit=_limit(request)))

    @extend_schema(request=SameAsInput, responses={200: OpenApiTypes.OBJECT})
    @action(
        detail=True,
        methods=["post", "delete"],
        url_path="same-as",
        pagination_class=None,
        filterset_class=None,
    )
    def same_as(self, request: Request, pk: str | None = None) -> Response:
        """Link the claim as the same claim as an earlier one (POST), or undo it (DELETE)."""
        claim = selectors.claim_get(request.user, pk)
        if request.method == "DELETE":
            claim = matching_services.claim_unlink_same(claim=claim, actor=request.user)
        else:
            data = SameAsInput(data=request.data)
            data.is_valid(raise_exception=True)
            try:
                earlier = selectors.claim_get(request.user, data.validated_data["claim"])
            except Exception:
                raise ValidationError({"claim": [_("No such claim in your projects.")]}) from None
            claim = matching_services.claim_link_same(
                claim=claim, same_as=earlier, actor=request.user
            )
        return with_etag(
            Response({"claim": claim.pk, "same_as": claim.same_as_id, "version": claim.version}),
            claim,
        )

    @extend_schema(request=CarryOverInput, responses={201: OpenApiTypes.OBJECT})
    @action(
        detail=True,
        methods=["post"],
        url_path="carry-over",
        pagination_class=None,
        filterset_class=None,
    )
    def carry_over(self, request: Request, pk: str | None = None) -> Response:
        """Make an earlier claim's final rating, or an imported review's, this claim's
        final verdict (editor), with a reference to it."""
        claim = selectors.claim_get(request.user, pk)
        data = CarryOverInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        earlier = reference = None
        if "claim" in values:
            try:
                earlier = selectors.claim_get(request.user, values["claim"])
            except Exception:
                raise ValidationError({"claim": [_("No such claim in your projects.")]}) from None
        else:
            reference = ReferenceReview.objects.filter(
                pk=values["reference"], project__in=selectors.projects_for(request.user)
            ).first()
            if reference is None:
                raise ValidationError({"reference": [_("No such review in your projects.")]})
        verdict = matching_services.verdict_carry_over(
            claim=claim,
            actor=request.user,
            earlier=earlier,
            reference=reference,
            rating=values.get("rating", ""),
        )
        return Response(
            {
                "verdict": verdict.pk,
                "rating": verdict.rating.value,
                "rationale": verdict.rationale,
                "carried_from": verdict.carried_from_id,
                "carried_from_reference": verdict.carried_from_reference_id,
            },
            status=status.HTTP_201_CREATED,
        )


class ReferenceImportInput(serializers.Serializer):
    file = serializers.FileField(required=False)
    url = serializers.URLField(required=False, max_length=2000)

    def validate(self, data: dict) -> dict:
        if ("file" in data) == ("url" in data):
            raise serializers.ValidationError(_("Upload a file or give an address, not both."))
        return data


class ProjectSimilarActions:
    """Actions on a project (mixed into the project endpoints)."""

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "text",
                {"type": "string", "pattern": r"\S", "maxLength": MAX_TEXT_CHARS},
                required=True,
                description=_("A claim."),
            ),
            _LIMIT,
        ],
        responses=_RESULTS,
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def similar(self, request: Request, slug: str | None = None) -> Response:
        """Claims of this project, the others the user may read, and the project's
        reference reviews most like ``text``."""
        project = selectors.project_get(request.user, slug)
        text = (request.query_params.get("text") or "").strip()
        if not text:
            raise ValidationError({"text": [_("Give the text of a claim to look for.")]})
        if len(text) > MAX_TEXT_CHARS:
            raise ValidationError(
                {"text": [_("A claim is at most %(max)s characters.") % {"max": MAX_TEXT_CHARS}]}
            )
        limit = _limit(request)
        return _results(
            similar.similar_to_text(request.user, text, language=project.language, limit=limit)
        )

    @extend_schema(
        request={
            "multipart/form-data": ReferenceImportInput,
            "application/json": ReferenceImportInput,
        },
        responses={201: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="references",
        parser_classes=[MultiPartParser, FormParser, JSONParser],
        pagination_class=None,
    )
    def references(self, request: Request, slug: str | None = None) -> Response:
        """Import other fact-checkers' ClaimReview JSON-LD (a file, or a page or feed at
        an address) into the project's reference archive: all items or none."""
        project = selectors.project_get(request.user, slug)
        data = ReferenceImportInput(data=request.data)
        data.is_valid(raise_exception=True)
        if "file" in data.validated_data:
            upload = data.validated_data["file"]
            if upload.size > reference_services.MAX_IMPORT_BYTES:
                raise ValidationError({"file": [_("The file is too large.")]})
            raw = upload.read()
            result = reference_services.references_import(
                project=project, actor=request.user, raw=raw
            )
        else:
            result = reference_services.references_import_url(
                project=project, actor=request.user, url=data.validated_data["url"]
            )
        return Response(
            {"imported": result.created, "updated": result.updated, "items": result.count},
            status=status.HTTP_201_CREATED,
        )
