"""The project export with its evidence: native JSON and archived captures in one ZIP."""

from __future__ import annotations

import tempfile

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.request import Request

from .. import exports
from ..models import Role
from ..services.capture_export import captures_export
from ..services.permissions import role_require

# Kept in memory up to this size, on disk beyond it.
_SPOOL_BYTES = 32 * 1024 * 1024


class ProjectCaptureExport:
    """Mixed into the project viewset: GET /projects/{slug}/export-with-captures/."""

    @extend_schema(
        responses={(200, "application/zip"): OpenApiTypes.BINARY},
        description="A ZIP file: export.json (the native export), the WARC file of every "
        "fetch of the project's sources and articles under captures/, and "
        "captures/manifest.json listing each with its SHA-256.",
    )
    @action(detail=True, methods=["get"], url_path="export-with-captures")
    def export_with_captures(self, request: Request, slug: str | None = None) -> FileResponse:
        project = self.get_object()
        # Like the native export it carries every verdict: editors only under blind review.
        if project.blind_review:
            role_require(request.user, project, Role.EDITOR)
        spool = tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES)  # noqa: SIM115
        captures_export(
            out=spool,
            documents=project.documents.all(),
            base_url=request.build_absolute_uri("/").rstrip("/"),
        )
        spool.seek(0)
        name = exports.filename_for("native", project.slug).removesuffix(".json")
        return FileResponse(
            spool,
            as_attachment=True,
            filename=f"{name}-with-captures.zip",
            content_type="application/zip",
        )
