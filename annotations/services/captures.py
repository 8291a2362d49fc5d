"""Archived captures: storing a fetch's WARC file and handing it back to readers.

Captures go through Django's storage API (the ``captures`` alias), so the same code
writes local files or an S3-compatible bucket. A capture is written whole before the
snapshot that links it is saved, and removed again when it cannot be linked, so no
snapshot points at a missing or partly written file.
"""

from __future__ import annotations

import errno
import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from ..fetching.client import FetchResult
from ..fetching.warc import build_capture
from ..models import Snapshot
from ..models.captures import capture_storage

logger = logging.getLogger(__name__)


class CaptureError(Exception):
    """The capture could not be stored; ``str(error)`` is meant for people."""


@dataclass(frozen=True)
class StoredCapture:
    name: str
    sha256: str
    size: int


def capture_store(*, result: FetchResult, captured_at: datetime, name: str) -> StoredCapture:
    """Write ``result`` as a WARC file under ``name`` (a path without extension).

    Raises ``CaptureError`` when the storage refuses it (a full disk, a bucket that
    answers with an error); whatever part of the file was written is removed first.
    """
    storage = capture_storage()
    wanted = None
    try:
        data = build_capture(result, captured_at=captured_at)
        # A free name chosen first, so that a failed write removes only its own file.
        wanted = storage.get_available_name(f"{name}.warc.gz", max_length=300)
        stored = storage.save(wanted, ContentFile(data), max_length=300)
    except Exception as error:
        if wanted is not None:
            _remove_quietly(wanted)
        logger.warning("Storing the capture %s failed", name, exc_info=True)
        raise CaptureError(_capture_failure_message(error)) from error
    return StoredCapture(stored, hashlib.sha256(data).hexdigest(), len(data))


def capture_discard(name: str) -> None:
    """Remove a stored capture no snapshot came to link (the fetch was stored by another)."""
    _remove_quietly(name)


def capture_read(snapshot: Snapshot) -> bytes:
    """The bytes of a snapshot's capture; ``FileNotFoundError`` when it has none."""
    if not snapshot.capture:
        raise FileNotFoundError("This snapshot has no archived capture.")
    with capture_storage().open(snapshot.capture.name, "rb") as handle:
        return handle.read()


def capture_filename(snapshot: Snapshot) -> str:
    """A download name that says what the file is: source, fetch and time."""
    when = snapshot.fetched_at.strftime("%Y%m%dT%H%M%SZ")
    return f"source-{snapshot.source_id}-fetch-{snapshot.fetch_number}-{when}.warc.gz"


def _remove_quietly(name: str) -> None:
    storage = capture_storage()
    try:
        if storage.exists(name):
            storage.delete(name)
    except Exception:
        logger.warning("Could not remove the capture %s", name, exc_info=True)


def _capture_failure_message(error: Exception) -> str:
    if isinstance(error, OSError) and error.errno == errno.ENOSPC:
        return _("The archived capture could not be stored: the storage is full.")
    return _("The archived capture could not be stored: %(error)s") % {"error": error}
