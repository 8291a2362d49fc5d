"""The trash over the API: what a project's trash holds, and moving sources and comments
to the trash, back, and out for good. Claims and verdicts have these actions on their own
routes (``/claims/{id}/…``, ``/verdicts/{id}/…``). Every write goes through a service."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import selectors
from ..models import Comment, Source
from ..services import trash as trash_services
from . import serializers as s
from .views import source_queryset

ID = r"(?P<item>[0-9]{1,18})"
ITEM = OpenApiParameter("item", int, OpenApiParameter.PATH, description="The object's id.")


class TrashView(APIView):
    """``GET /trash/?project=SLUG``: one object, not a list, so a view of its own."""

    @extend_schema(parameters=[s.TrashQuerySerializer], responses=s.TrashSerializer)
    def get(self, request: Request) -> Response:
        query = s.TrashQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        project = selectors.get_project(request.user, query.validated_data["project"])
        trash = selectors.trash_for(request.user, project)
        return Response(
            s.TrashSerializer(
                {
                    "claims": trash.claims,
                    "verdicts": trash.verdicts.select_related("reviewer", "rating"),
                    "sources": trash.sources,
                    "comments": trash.comments.select_related("author"),
                }
            ).data
        )


class TrashViewSet(viewsets.ViewSet):
    """Sources and comments: to the trash, back, and out for good."""

    # --- Sources ------------------------------------------------------------------------

    @extend_schema(parameters=[ITEM], request=None, responses={204: None})
    @action(detail=False, methods=["post"], url_path=rf"sources/{ID}/delete")
    def source_delete(self, request: Request, item: str) -> Response:
        source = selectors.get_source(request.user, int(item))
        trash_services.source_delete(source=source, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(parameters=[ITEM], request=None, responses=s.SourceSerializer)
    @action(detail=False, methods=["post"], url_path=rf"sources/{ID}/restore")
    def source_restore(self, request: Request, item: str) -> Response:
        source = selectors.get_trashed(request.user, Source, int(item))
        trash_services.source_restore(source=source, actor=request.user)
        return Response(s.SourceSerializer(source_queryset().get(pk=source.pk)).data)

    @extend_schema(parameters=[ITEM], request=None, responses={204: None})
    @action(detail=False, methods=["post"], url_path=rf"sources/{ID}/purge")
    def source_purge(self, request: Request, item: str) -> Response:
        source = selectors.get_to_purge(request.user, Source, int(item))
        trash_services.source_purge(source=source, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    # --- Comments -----------------------------------------------------------------------

    @extend_schema(parameters=[ITEM], request=None, responses={204: None})
    @action(detail=False, methods=["post"], url_path=rf"comments/{ID}/delete")
    def comment_delete(self, request: Request, item: str) -> Response:
        comment = selectors.get_comment(request.user, int(item))
        trash_services.comment_delete(comment=comment, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(parameters=[ITEM], request=None, responses=s.CommentSerializer)
    @action(detail=False, methods=["post"], url_path=rf"comments/{ID}/restore")
    def comment_restore(self, request: Request, item: str) -> Response:
        comment = selectors.get_trashed(request.user, Comment, int(item))
        comment = trash_services.comment_restore(comment=comment, actor=request.user)
        return Response(s.CommentSerializer(comment).data)

    @extend_schema(parameters=[ITEM], request=None, responses={204: None})
    @action(detail=False, methods=["post"], url_path=rf"comments/{ID}/purge")
    def comment_purge(self, request: Request, item: str) -> Response:
        comment = selectors.get_to_purge(request.user, Comment, int(item))
        trash_services.comment_purge(comment=comment, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
