"""Admin actions on claims: download the selected ones as native JSON or ClaimReview.

Register them on the claim admin: ``actions = [export_native_action,
export_claimreview_action]``. The download streams, so any number of claims can be
selected; the selection is narrowed to the claims the admin user may see in the app.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, StreamingHttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import selectors
from .exports import (
    content_type_for,
    export_stream,
    export_warnings,
    filename_for,
    warnings_header,
)
from .models import Claim


def export_response(
    *, request: HttpRequest, claims: QuerySet[Claim], fmt: str, name: str
) -> StreamingHttpResponse:
    """A streaming download of ``claims`` (already scoped) in ``fmt``.

    Warnings about the export are in the ``X-Export-Warnings`` header.
    """
    base_url = request.build_absolute_uri("/").rstrip("/")
    response = StreamingHttpResponse(
        export_stream(claims=claims, fmt=fmt, base_url=base_url),
        content_type=content_type_for(fmt),
    )
    response["Content-Disposition"] = f'attachment; filename="{filename_for(fmt, name)}"'
    warnings = export_warnings(claims=claims, fmt=fmt, base_url=base_url)
    if warnings:
        response["X-Export-Warnings"] = warnings_header(warnings)
    return response


def _selected(request: HttpRequest, queryset: QuerySet[Claim]) -> QuerySet[Claim]:
    return queryset.filter(pk__in=selectors.claims_for(request.user).values("pk"))


@admin.action(description=gettext_lazy("Export selected claims as native JSON"))
def export_native_action(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Claim]
) -> StreamingHttpResponse:
    return export_response(
        request=request, claims=_selected(request, queryset), fmt="native", name="claims"
    )


@admin.action(description=gettext_lazy("Export selected claims as ClaimReview"))
def export_claimreview_action(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Claim]
) -> StreamingHttpResponse:
    claims = _selected(request, queryset)
    for warning in export_warnings(
        claims=claims, fmt="claimreview", base_url=request.build_absolute_uri("/")
    ):
        # Shown on the next admin page the user opens, since this response is a file.
        modeladmin.message_user(
            request,
            _("ClaimReview export: %(message)s") % {"message": warning.message},
            level=messages.WARNING,
        )
    return export_response(request=request, claims=claims, fmt="claimreview", name="claims")
