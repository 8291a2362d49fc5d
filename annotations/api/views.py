"""REST endpoints. Thin: reads through selectors, writes through services."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from .. import selectors
from ..fetching.warc import WARC_CONTENT_TYPE
from ..models import (
    Claim,
    ClaimKind,
    ClaimStatus,
    Document,
    FetchState,
    Membership,
    Snapshot,
    Source,
    Verdict,
)
from ..services import claims as claim_services
from ..services import documents as document_services
from ..services import projects as project_services
from ..services import sources as source_services
from ..services import versions as version_services
from ..views.captures import capture_response
from . import serializers as s
from .captures import ProjectCaptureExport
from .concurrency import expected_version, with_etag
from .exports import DocumentExport, ProjectExportImport
from .filters import FractionFilter, IdFilter, ProjectFilter, SinceFilter, WordsFilter
from .pagination import KeysetPagination
from .parsers import JSONParser
from .review import ClaimReviewActions, DocumentAgreement
from .similar import ClaimSimilarActions, ProjectSimilarActions


class Pagination(PageNumberPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000


class ClaimPagination(KeysetPagination):
    # Reading order (the unique document and position), or by last change for syncing.
    orderings = {
        "position": ("document_id", "position"),
        "updated": ("updated_at", "id"),
        "id": ("id",),
    }
    default_ordering = "position"
    seek_through = {"document_id": "document"}


class DocumentPagination(KeysetPagination):
    orderings = {"newest": ("-created_at", "-id"), "id": ("id",)}
    default_ordering = "newest"


class SyncPagination(KeysetPagination):
    orderings = {"id": ("id",), "updated": ("updated_at", "id")}
    default_ordering = "id"


UPDATED_SINCE_HELP = (
    "Only what changed at or after this moment (ISO 8601), e.g. the time a previous "
    "sync started; trashed rows are left out of the list."
)


class ProjectViewSet(
    ProjectExportImport,
    ProjectSimilarActions,
    ProjectCaptureExport,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = s.ProjectSerializer
    lookup_field = "slug"
    pagination_class = Pagination

    def get_queryset(self) -> QuerySet:
        return selectors.projects_for(self.request.user).order_by("name")

    def perform_create(self, serializer: s.ProjectSerializer) -> None:
        data = serializer.validated_data
        serializer.instance = project_services.project_create(
            name=data["name"],
            slug=data.get("slug", ""),
            created_by=self.request.user,
            language=data.get("language", "ru"),
            organization_name=data.get("organization_name", ""),
            organization_url=data.get("organization_url", ""),
        )

    @extend_schema(request=s.MemberInputSerializer, responses=s.MembershipSerializer(many=True))
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def members(self, request: Request, slug: str | None = None) -> Response:
        project = self.get_object()
        if request.method == "POST":
            data = s.MemberInputSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            membership = project_services.member_set_role(
                project=project, actor=request.user, **data.validated_data
            )
            return Response(s.MembershipSerializer(membership).data, status=status.HTTP_201_CREATED)
        memberships = Membership.objects.filter(project=project).select_related("user")
        return Response(s.MembershipSerializer(memberships, many=True).data)

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["delete"], url_path=r"members/(?P<username>[\w.@+-]+)")
    def remove_member(self, request: Request, slug: str | None, username: str) -> Response:
        project = self.get_object()
        project_services.member_remove(project=project, actor=request.user, username=username)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(responses=s.RatingScaleSerializer)
    @action(detail=True, methods=["get"])
    def scale(self, request: Request, slug: str | None = None) -> Response:
        project = self.get_object()
        return Response(s.RatingScaleSerializer(project.rating_scale).data)


# Ids in paths that could not name a row answer 404 from the router, not an overflow.
ID_PATTERN = r"[0-9]{1,18}"


class DocumentFilter(django_filters.FilterSet):
    project = ProjectFilter(field_name="project_id")
    status = django_filters.ChoiceFilter(choices=Document.Status.choices)
    q = WordsFilter(
        method="search",
        help_text="Words of the title or of the text, any word form.",
    )

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return selectors.search_documents(value, scope=queryset) if value.strip() else queryset

    class Meta:
        model = Document
        fields = ["project", "status"]


class DocumentViewSet(
    DocumentExport,
    DocumentAgreement,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    lookup_value_regex = ID_PATTERN
    pagination_class = DocumentPagination
    filterset_class = DocumentFilter
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self) -> QuerySet:
        queryset = selectors.documents_for(self.request.user).select_related("project")
        if self.action == "list":
            queryset = queryset.defer("text", "links")
        return queryset.order_by("-created_at", "-id")

    def get_serializer_class(self):
        return s.DocumentDetailSerializer if self.action == "retrieve" else s.DocumentSerializer

    @extend_schema(
        methods=["POST"],
        request=s.NewVersionSerializer,
        responses={201: s.VersionOutcomeSerializer},
        description="Store the article's text as it reads now as its next version; the "
        "claims are re-anchored onto it.",
    )
    @extend_schema(methods=["GET"], responses=s.DocumentSerializer(many=True))
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def versions(self, request: Request, pk: str | None = None) -> Response:
        document = self.get_object()
        if request.method == "POST":
            data = s.NewVersionSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            latest = version_services.document_latest_version(document)
            outcome = version_services.document_add_version(
                document=latest, actor=request.user, text=data.validated_data["text"]
            )
            body = {"document": outcome.document, "counts": dict(outcome.counts)}
            return Response(s.VersionOutcomeSerializer(body).data, status=status.HTTP_201_CREATED)
        versions = version_services.document_versions(document)
        return Response(s.DocumentSerializer(versions, many=True).data)

    @extend_schema(request=s.WatchSerializer, responses=s.DocumentSerializer)
    @action(detail=True, methods=["post"])
    def watch(self, request: Request, pk: str | None = None) -> Response:
        data = s.WatchSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        document = version_services.document_set_watched(
            document=self.get_object(), actor=request.user, watched=data.validated_data["watched"]
        )
        return Response(s.DocumentSerializer(document).data)

    @extend_schema(request=s.DocumentInputSerializer, responses={201: s.DocumentSerializer})
    def create(self, request: Request) -> Response:
        data = s.DocumentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        project = selectors.project_get(request.user, values["project"])
        common = {"project": project, "actor": request.user}
        if values.get("url"):
            document = document_services.document_create_from_url(
                **common, url=values["url"], title=values.get("title", "")
            )
        elif values.get("file"):
            upload = values["file"]
            document = document_services.document_create_from_upload(
                **common,
                data=upload.read(),
                filename=upload.name or "",
                title=values.get("title", ""),
                encoding=values.get("encoding") or None,
                language=values.get("language", ""),
            )
        else:
            document = document_services.document_create_from_markup(
                **common,
                title=values["title"],
                content=values["text"],
                source_format=values.get("format") or Document.Format.TEXT,
                language=values.get("language", ""),
                author=values.get("author", ""),
            )
        return Response(s.DocumentSerializer(document).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.DocumentDetailsSerializer, responses=s.DocumentSerializer)
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        """Correct a document's details (editor+): the fields given change, its text never."""
        document = self.get_object()
        given = s.DocumentDetailsSerializer(data=request.data, partial=True)
        given.is_valid(raise_exception=True)
        current = {
            "title": document.title,
            "author": document.author,
            "author_type": document.author_type,
            "source_url": document.source_url,
            "published_on": document.published_on,
        }
        updated = document_services.document_update_metadata(
            document=document, actor=request.user, **{**current, **given.validated_data}
        )
        return Response(s.DocumentSerializer(updated).data)


class ClaimFilter(django_filters.FilterSet):
    document = IdFilter(field_name="document_id")
    project = ProjectFilter(field_name="document__project_id")
    kind = django_filters.ChoiceFilter(choices=ClaimKind.choices)
    status = django_filters.ChoiceFilter(choices=ClaimStatus.choices)
    assignee = django_filters.CharFilter(field_name="assignee__username")
    rating = django_filters.CharFilter(method="filter_rating")
    min_checkworthiness = FractionFilter(field_name="checkworthiness", lookup_expr="gte")
    q = WordsFilter(
        method="search",
        help_text="Words of the claim, all of them, in any word form (Russian and English).",
    )
    updated_since = SinceFilter(help_text=UPDATED_SINCE_HELP)

    class Meta:
        model = Claim
        fields = ["document", "kind", "status", "assignee", "rating"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return selectors.search_claims(value, scope=queryset) if value.strip() else queryset

    def filter_rating(self, claims: QuerySet[Claim], name: str, value: str) -> QuerySet[Claim]:
        """Claims whose final verdict has this rating, among those whose verdicts the user
        may see: under blind review a filter must not tell a hidden rating."""
        visible = selectors.claims_showing_verdicts(self.request.user, claims)
        return visible.filter(final_verdict__rating__value=value)


def claim_queryset(user) -> QuerySet[Claim]:
    """Claims with everything the representation shows, in a fixed number of queries."""
    # A verdict shows its sources by id only.
    source_ids = Source.objects.only("id")
    # A page's claims share a few documents, and its verdicts a project's few ratings:
    # read once each rather than joined to every row, which builds one object per row.
    # A document's text, as long as the article, is never read for a claim.
    documents = Document.objects.defer(*DOCUMENT_BULK_FIELDS).select_related("project")
    return (
        selectors.claims_for(user)
        .select_related("assignee", "final_verdict__reviewer", "final_verdict__rating")
        .prefetch_related(
            Prefetch("document", queryset=documents),
            # Into a list (``to_attr``), as ``ClaimSerializer`` reads them: a manager's
            # cache costs a queryset for every claim of the page. (The verdicts stay in
            # the manager's cache, where the blind-review rule looks for them.)
            Prefetch("sources", queryset=source_queryset(), to_attr="live_sources"),
            Prefetch(
                "verdicts",
                queryset=Verdict.objects.select_related("reviewer").prefetch_related(
                    "rating", Prefetch("sources", queryset=source_ids)
                ),
            ),
            Prefetch("final_verdict__sources", queryset=source_ids),
        )
        .order_by("document_id", "position")
    )


# The document's fields of unbounded size, which no claim's representation shows.
DOCUMENT_BULK_FIELDS = (
    "text",
    "links",
    "status_message",
    "status_params",
    "watch_message",
    "watch_params",
)


class ClaimViewSet(
    ClaimReviewActions,
    ClaimSimilarActions,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    lookup_value_regex = ID_PATTERN
    serializer_class = s.ClaimSerializer
    pagination_class = ClaimPagination
    filterset_class = ClaimFilter

    def get_queryset(self) -> QuerySet:
        return claim_queryset(self.request.user)

    def get_serializer_context(self) -> dict:
        context = super().get_serializer_context()
        rules: dict[int, object] = {}
        user = self.request.user

        def visible(claim: Claim, verdict: Verdict) -> bool:
            # One rule per project, decided once per request (blind review, role).
            project = claim.document.project
            if project.pk not in rules:
                rules[project.pk] = selectors.verdict_visibility(user, project)
            return rules[project.pk](claim, verdict)

        context["visible_verdicts"] = visible
        return context

    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        claim = self.get_object()
        return with_etag(Response(self.get_serializer(claim).data), claim)

    def _claim(self, pk: str) -> Claim:
        return get_object_or_404(selectors.claims_for(self.request.user), pk=pk)

    def _claim_response(self, claim: Claim, code: int = status.HTTP_200_OK) -> Response:
        claim = self.get_queryset().get(pk=claim.pk)
        return with_etag(Response(self.get_serializer(claim).data, status=code), claim)

    @extend_schema(request=s.SplitSerializer, responses={201: s.ClaimSerializer(many=True)})
    @action(detail=True, methods=["post"])
    def split(self, request: Request, pk: str | None = None) -> Response:
        claim = self._claim(pk)
        data = s.SplitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        first, second = claim_services.claim_split(
            claim=claim,
            actor=request.user,
            at=data.validated_data["at"],
            expected_version=expected_version(request, claim),
        )
        claims = self.get_queryset().filter(pk__in=[first.pk, second.pk])
        return Response(self.get_serializer(claims, many=True).data, status=201)

    @extend_schema(request=None, responses=s.ClaimSerializer)
    @action(detail=True, methods=["post"])
    def merge(self, request: Request, pk: str | None = None) -> Response:
        claim = self._claim(pk)
        merged = claim_services.claim_merge(
            claim=claim, actor=request.user, expected_version=expected_version(request, claim)
        )
        return self._claim_response(merged)

    @extend_schema(request=s.BoundarySerializer, responses=s.ClaimSerializer)
    @action(detail=True, methods=["post"])
    def boundary(self, request: Request, pk: str | None = None) -> Response:
        claim = self._claim(pk)
        data = s.BoundarySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        moved = claim_services.claim_move_boundary(
            claim=claim,
            actor=request.user,
            expected_version=expected_version(request, claim),
            **data.validated_data,
        )
        return self._claim_response(moved)

    @extend_schema(
        methods=["POST"], request=s.SourceInputSerializer, responses={201: s.SourceSerializer}
    )
    @extend_schema(methods=["GET"], responses=s.SourceSerializer(many=True))
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def sources(self, request: Request, pk: str | None = None) -> Response:
        claim = self._claim(pk)
        if request.method == "POST":
            data = s.SourceInputSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            source = source_services.source_attach(
                claim=claim, actor=request.user, **data.validated_data
            )
            source = source_queryset().get(pk=source.pk)
            return Response(s.SourceSerializer(source).data, status=status.HTTP_201_CREATED)
        sources = source_queryset().filter(claim=claim)
        return Response(s.SourceSerializer(sources, many=True).data)


def source_queryset() -> QuerySet[Source]:
    """Sources outside the trash with what ``SourceSerializer`` shows: their snapshots,
    newest first, in a list (``snapshot_list``), without the page bodies."""
    snapshots = Snapshot.objects.defer("body", "text")
    return (
        Source.objects.filter(deleted_at__isnull=True)
        .select_related("added_by")
        .prefetch_related(Prefetch("snapshots", queryset=snapshots, to_attr="snapshot_list"))
    )


class SourceFilter(django_filters.FilterSet):
    claim = IdFilter(field_name="claim_id")
    document = IdFilter(field_name="claim__document_id")
    project = ProjectFilter(field_name="claim__document__project_id")
    fetch_state = django_filters.ChoiceFilter(choices=FetchState.choices)
    updated_since = SinceFilter(help_text=UPDATED_SINCE_HELP)

    class Meta:
        model = Source
        fields = ["claim", "document", "project", "fetch_state"]


class SourceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Sources of claims in the user's projects (neither in the trash); the list pages
    by cursor, for clients that keep a copy."""

    lookup_value_regex = ID_PATTERN
    serializer_class = s.SourceSerializer
    pagination_class = SyncPagination
    filterset_class = SourceFilter

    def get_queryset(self) -> QuerySet:
        # Joined rather than ``claim__in``, so that a page reads its rows by the index of
        # its ordering and checks each one's claim, instead of every claim first.
        return source_queryset().filter(
            claim__deleted_at__isnull=True,
            claim__document__project__in=selectors.projects_for(self.request.user),
        )

    @extend_schema(
        request=None,
        responses={(200, WARC_CONTENT_TYPE): OpenApiTypes.BINARY},
        description="The snapshot's archived capture: a gzipped WARC 1.1 file.",
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"snapshots/(?P<snapshot_id>\d+)/capture",
        url_name="capture",
    )
    def capture(self, request: Request, pk: str | None = None, snapshot_id: str = "") -> Any:
        source = self.get_object()
        snapshot = selectors.snapshot_get(request.user, int(snapshot_id), source_pk=source.pk)
        return capture_response(snapshot)

    @extend_schema(request=None, responses={202: s.SourceSerializer})
    @action(detail=True, methods=["post"])
    def refetch(self, request: Request, pk: str | None = None) -> Response:
        source = self.get_object()
        source_services.source_refetch(source=source, actor=request.user)
        source = self.get_queryset().get(pk=source.pk)
        return Response(s.SourceSerializer(source).data, status=status.HTTP_202_ACCEPTED)
