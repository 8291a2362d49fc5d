"""Where archived captures (WARC files) are stored."""

from __future__ import annotations

from django.core.files.storage import Storage, storages


def capture_storage() -> Storage:
    """The ``captures`` storage alias: local files by default, a bucket by setting."""
    return storages["captures"]
