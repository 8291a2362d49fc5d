"""Handing out archived captures (WARC files) to the project's members."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_GET

from .. import selectors
from ..fetching.warc import WARC_CONTENT_TYPE
from ..models import Snapshot
from ..models.captures import capture_storage
from ..services.captures import capture_filename


@login_required
@require_GET
def snapshot_capture(request: HttpRequest, pk: int) -> FileResponse:
    """The WARC file of one fetch of a source the user may see."""
    return capture_response(selectors.snapshot_get(request.user, pk))


def capture_response(snapshot: Snapshot) -> FileResponse:
    """A download of ``snapshot``'s capture; 404 when it has none or the file is gone."""
    return file_response(snapshot.capture, snapshot.capture_sha256, capture_filename(snapshot))


def file_response(capture: FieldFile, sha256: str, filename: str) -> FileResponse:
    """A stored capture as a download; 404 when there is none or the file is gone."""
    if not capture:
        raise Http404
    try:
        handle = capture_storage().open(capture.name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=WARC_CONTENT_TYPE
    )
    response["X-Capture-SHA256"] = sha256
    return response
