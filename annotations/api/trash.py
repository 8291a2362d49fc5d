"""The trash over the API: what a project's trash holds, and moving sources and comments
to the trash, back, and out for good. Claims and verdicts have these actions on their own
routes (``/claims/{id}/…``, ``/verdicts/{id}/…``). Every write goes through a service."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer
from rest_framework.views import APIView

from .. import selectors
from ..models import Comment, Source
from ..services import trash as trash_services
from . import serializers as s
from .pagination import KeysetPagination
from .views import source_queryset

ID = r"(?P<item>[0-9]{1,18})"
ITEM = OpenApiParameter("item", int, OpenApiParameter.PATH, description="The object's id.")
PAGE_SIZE = OpenApiParameter(
    "page_size", int, OpenApiParameter.QUERY, description="Rows of each kind (default 100)."
)


class TrashPagination(KeysetPagination):
    # Newest first, by each kind's partial index on (deleted_at, id) of the trashed rows.
    orderings = {"newest": ("-deleted_at", "-id")}
    default_ordering = "newest"


def _trash(request: Request) -> selectors.Trash:
    query = s.TrashQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    project = selectors.project_get(request.user, query.validated_data["project"])
    return selectors.trash_for(request.user, project)


# Each kind of trashed object: its rows (with what the serializer shows) and serializer.
KINDS: dict[str, tuple[Callable[[selectors.Trash], QuerySet], type[BaseSerializer]]] = {
    "claims": (lambda trash: trash.claims, s.TrashedClaimSerializer),
    "verdicts": (
        lambda trash: trash.verdicts.select_related("reviewer", "rating"),
        s.TrashedVerdictSerializer,
    ),
    "sources": (lambda trash: trash.sources, s.TrashedSourceSerializer),
    "comments": (lambda trash: trash.comments.select_related("author"), s.TrashedCommentSerializer),
}


class TrashView(APIView):
    """``GET /trash/?project=SLUG``: the first page of each kind, newest first, with the
    link to each kind's next page (``/trash/claims/``...); one object, a view of its own."""

    @extend_schema(parameters=[s.TrashQuerySerializer, PAGE_SIZE], responses=s.TrashSerializer)
    def get(self, request: Request) -> Response:
        trash = _trash(request)
        pagination = TrashPagination()
        size = pagination._page_size(request)
        body: dict = {"next": {}}
        for kind, (rows, serializer) in KINDS.items():
            page = pagination.page(rows(trash), ("-deleted_at", "-id"), size=size)
            body[kind] = serializer(page, many=True).data
            link = None
            if pagination.next_cursor is not None:
                query = {**request.query_params.dict(), "cursor": pagination.next_cursor}
                url = request.build_absolute_uri(reverse(f"trash-{kind}"))
                link = f"{url}?{urlencode(query)}"
            body["next"][kind] = link
        return Response(body)


class TrashKindView(ListAPIView):
    """``GET /trash/<kind>/?project=SLUG``: one kind's trashed objects, newest first, in
    cursor pages as the other big lists."""

    kind = "claims"
    pagination_class = TrashPagination

    def get_queryset(self) -> QuerySet:
        if getattr(self, "swagger_fake_view", False):  # the schema asks for the model only
            return self.get_serializer_class().Meta.model.objects.none()
        return KINDS[self.kind][0](_trash(self.request))

    def get_serializer_class(self) -> type[BaseSerializer]:
        return KINDS[self.kind][1]

    @classmethod
    def of(cls, kind: str) -> type[TrashKindView]:
        """The view of one kind, with its own name and serializer in the OpenAPI schema."""
        view = type(f"Trash{kind.title()}View", (cls,), {"kind": kind})
        return extend_schema_view(
            get=extend_schema(
                parameters=[s.TrashQuerySerializer],
                description=f"The {kind} in the project's trash, newest first.",
            )
        )(view)


class TrashViewSet(viewsets.ViewSet):
    """Sources and comments: to the trash, back, and out for good."""

    # --- Sources ------------------------------------------------------------------------

    @extend_schema(parameters=[ITEM], request=None, responses={204: None})
    @action(detail=False, methods=["post"], url_path=rf"sources/{ID}/delete")
    def source_delete(self, request: Request, item: str) -> Response:
        source = selectors.source_get(request.user, int(item))
        trash_services.source_delete(source=source, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(parameters=[ITEM], request=None, responses=s.SourceSerializer)
    @action(detail=False, methods=["post"], url_path=rf"sources/{ID}/restore")
    def source_restore(self, request: Request, item: str) -> Response:
        source = selectors.trash_item_get(request.user, Source, int(item))
        trash_services.source_restore(source=source, actor=request.user)
        return Response(s.SourceSerializer(source_queryset().get(pk=source.pk)).data)

    @extend_schema(parameters=[ITEM], request=None, responses={204: None})
    @action(detail=False, methods=["post"], url_path=rf"sources/{ID}/purge")
    def source_purge(self, request: Request, item: str) -> Response:
        source = selectors.purge_target_get(request.user, Source, int(item))
        trash_services.source_purge(source=source, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    # --- Comments -----------------------------------------------------------------------

    @extend_schema(parameters=[ITEM], request=None, responses={204: None})
    @action(detail=False, methods=["post"], url_path=rf"comments/{ID}/delete")
    def comment_delete(self, request: Request, item: str) -> Response:
        comment = selectors.comment_get(request.user, int(item))
        trash_services.comment_delete(comment=comment, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(parameters=[ITEM], request=None, responses=s.CommentSerializer)
    @action(detail=False, methods=["post"], url_path=rf"comments/{ID}/restore")
    def comment_restore(self, request: Request, item: str) -> Response:
        comment = selectors.trash_item_get(request.user, Comment, int(item))
        comment = trash_services.comment_restore(comment=comment, actor=request.user)
        return Response(s.CommentSerializer(comment).data)

    @extend_schema(parameters=[ITEM], request=None, responses={204: None})
    @action(detail=False, methods=["post"], url_path=rf"comments/{ID}/purge")
    def comment_purge(self, request: Request, item: str) -> Response:
        comment = selectors.purge_target_get(request.user, Comment, int(item))
        trash_services.comment_purge(comment=comment, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
