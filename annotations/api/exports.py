"""Export and import endpoints: streamed downloads and all-or-nothing uploads."""

from __future__ import annotations

from dataclasses import asdict

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FileUploadParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from .. import exports, selectors
from ..exports.importing import import_native
from ..models import Document
from .parsers import JSONParser

USERS_PARAMETER = OpenApiParameter(
    "users",
    str,
    required=False,
    description=_(
        "Credit the work of the file's users to users of this installation: "
        "old=new pairs separated by commas, e.g. anna=anna.k,boris=b.petrov. Others are "
        "found by username among the project's members, or made as inactive placeholders "
        "when this installation has no account of that name."
    ),
)


def users_mapping(value: str) -> dict[str, str]:
    """``old=new,old2=new2`` as a dict; a 400 naming ``users`` for anything else."""
    users = {}
    for pair in (pair for pair in value.split(",") if pair.strip()):
        old, equals, new = pair.partition("=")
        if not equals or not old.strip() or not new.strip():
            raise ValidationError(
                {"users": _("Give old=new pairs of usernames, separated by commas.")}
            )
        users[old.strip()] = new.strip()
    return users


# What each format's download looks like, by content type.
EXPORT_RESPONSES = {
    (200, "application/json"): OpenApiTypes.OBJECT,
    (200, "application/ld+json"): OpenApiTypes.ANY,
    (200, "text/csv"): OpenApiTypes.STR,
    (200, "application/jsonl"): OpenApiTypes.STR,
}

FORMAT_PARAMETER = OpenApiParameter(
    "format",
    str,
    enum=list(exports.FORMATS),
    default="native",
    description=_("native, claimreview, webannotation, csv or jsonl"),
)


DELIMITER_PARAMETER = OpenApiParameter(
    "delimiter",
    str,
    enum=list(exports.DELIMITER_NAMES),
    required=False,
    description=_(
        "CSV cell separator (default: semicolon for a language that writes a decimal comma, "
        "such as Russian; else comma)."
    ),
)


def export_response(
    request: Request, *, fmt: str, name: str, documents: QuerySet[Document]
) -> StreamingHttpResponse:
    """A streamed download of an export; warnings (ClaimReview) go in X-Export-Warnings."""
    if fmt not in exports.FORMATS:
        raise ValidationError(
            {"format": [_("Choose one of: %(formats)s.") % {"formats": ", ".join(exports.FORMATS)}]}
        )
    # Under blind review the export holds only what the reader may see (see selectors).
    scope = selectors.export_scope(request.user, documents)
    delimiter = request.query_params.get("delimiter")
    if delimiter is not None and delimiter not in exports.DELIMITER_NAMES:
        raise ValidationError(
            {
                "delimiter": [
                    _("Choose one of: %(delimiters)s.")
                    % {"delimiters": ", ".join(exports.DELIMITER_NAMES)}
                ]
            }
        )
    base_url = request.build_absolute_uri("/").rstrip("/")
    response = StreamingHttpResponse(
        exports.export_stream(
            fmt=fmt,
            base_url=base_url,
            delimiter=exports.DELIMITER_NAMES.get(delimiter or ""),
            **scope,
        ),
        content_type=exports.content_type_for(fmt),
    )
    response["Content-Disposition"] = f'attachment; filename="{exports.filename_for(fmt, name)}"'
    warnings = exports.export_warnings(fmt=fmt, base_url=base_url, **scope)
    if warnings:
        response["X-Export-Warnings"] = exports.warnings_header(warnings)
    return response


class DocumentExport:
    """Mixed into the document viewset: GET /documents/{id}/export/?format=..."""

    @extend_schema(parameters=[FORMAT_PARAMETER, DELIMITER_PARAMETER], responses=EXPORT_RESPONSES)
    @action(detail=True, methods=["get"])
    def export(self, request: Request, pk: str | None = None):
        document = self.get_object()
        return export_response(
            request,
            fmt=request.query_params.get("format", "native"),
            name=document.title,
            documents=Document.objects.filter(pk=document.pk),
        )


class ProjectExportImport:
    """Mixed into the project viewset: whole-project export and native import."""

    @extend_schema(parameters=[FORMAT_PARAMETER, DELIMITER_PARAMETER], responses=EXPORT_RESPONSES)
    @action(detail=True, methods=["get"], url_path="export")
    def export(self, request: Request, slug: str | None = None):
        project = self.get_object()
        return export_response(
            request,
            fmt=request.query_params.get("format", "native"),
            name=project.slug,
            documents=project.documents.all(),
        )

    @extend_schema(
        request={"application/json": OpenApiTypes.OBJECT},
        parameters=[USERS_PARAMETER],
        responses={
            201: inline_serializer(
                "ImportResult",
                {
                    "documents": serializers.IntegerField(),
                    "claims": serializers.IntegerField(),
                    "sources": serializers.IntegerField(),
                    "snapshots": serializers.IntegerField(),
                    "verdicts": serializers.IntegerField(),
                    "comments": serializers.IntegerField(),
                    "placeholders": serializers.ListField(child=serializers.CharField()),
                    "document_ids": serializers.ListField(child=serializers.IntegerField()),
                    "notes": serializers.ListField(child=serializers.CharField()),
                },
            )
        },
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="import",
        parser_classes=[JSONParser, MultiPartParser, FileUploadParser],
    )
    def import_claims(self, request: Request, slug: str | None = None) -> Response:
        project = self.get_object()
        upload = request.data.get("file") if hasattr(request.data, "get") else None
        data = upload.read() if upload is not None and hasattr(upload, "read") else request.data
        users = users_mapping(request.query_params.get("users", ""))
        result = import_native(data=data, project=project, actor=request.user, users=users)
        return Response(asdict(result), status=status.HTTP_201_CREATED)
