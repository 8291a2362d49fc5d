"""An export that carries its evidence: the native JSON and the archived captures of the
sources (and of the articles fetched from an address) in one ZIP file.

The ZIP holds ``export.json`` (the native export, as ``annotations.exports`` writes it),
``captures/...warc.gz`` (each capture as stored, byte for byte) and
``captures/manifest.json``, which lists every capture with what it is evidence of, its
SHA-256 as read from the storage and whether that matches the SHA-256 recorded when it
was stored. A capture the storage no longer has is listed as missing; the export goes on.
"""

from __future__ import annotations

import hashlib
import json
import logging
import zipfile
from dataclasses import dataclass, field
from typing import IO

from django.db.models import QuerySet

from .. import exports
from ..models import Claim, Document, Snapshot
from ..models.captures import capture_storage

logger = logging.getLogger(__name__)

MANIFEST_FORMAT = "factcheck-captures/1"


@dataclass
class CaptureExportSummary:
    captures: int = 0
    missing: list[str] = field(default_factory=list)
    mismatched: list[str] = field(default_factory=list)


def captures_export(
    *,
    out: IO[bytes],
    documents: QuerySet[Document] | None = None,
    claims: QuerySet[Claim] | None = None,
    base_url: str = "",
    language: str | None = None,
    snapshot_text: bool = False,
) -> CaptureExportSummary:
    """Write the ZIP to ``out``. ``documents``/``claims`` are scoped as for
    ``exports.export_stream`` (already limited to what the reader may see), which
    ``language`` and ``snapshot_text`` are passed to as well."""
    summary = CaptureExportSummary()
    manifest: list[dict] = []
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open("export.json", "w") as entry:
            for chunk in exports.export_stream(
                documents=documents,
                claims=claims,
                fmt="native",
                base_url=base_url,
                language=language,
                snapshot_text=snapshot_text,
            ):
                entry.write(chunk.encode("utf-8"))
        for item in _captures(documents, claims):
            data = _read(item["stored"])
            if data is None:
                summary.missing.append(item["path"])
                manifest.append({**_public(item), "missing": True})
                continue
            digest = hashlib.sha256(data).hexdigest()
            matches = digest == item["recorded_sha256"]
            if not matches:
                summary.mismatched.append(item["path"])
            # Already gzipped: stored as it is, so its bytes are the stored file's.
            archive.writestr(item["path"], data, compress_type=zipfile.ZIP_STORED)
            manifest.append(
                {**_public(item), "sha256": digest, "size": len(data), "matches": matches}
            )
            summary.captures += 1
        archive.writestr(
            "captures/manifest.json",
            json.dumps(
                {"format": MANIFEST_FORMAT, "captures": manifest}, ensure_ascii=False, indent=2
            ),
        )
    return summary


def _captures(documents: QuerySet | None, claims: QuerySet | None):
    claim_scope = Claim.objects.alive()
    if documents is not None:
        claim_scope = claim_scope.filter(document__in=documents)
    if claims is not None:
        claim_scope = claim_scope.filter(pk__in=claims.values("pk"))
    snapshots = (
        Snapshot.objects.filter(source__claim__in=claim_scope, source__deleted_at__isnull=True)
        .exclude(capture="")
        .select_related("source")
        .only(
            "id",
            "fetch_number",
            "final_url",
            "fetched_at",
            "capture",
            "capture_sha256",
            "source__id",
            "source__claim_id",
            "source__url",
        )
        .order_by("source_id", "fetch_number")
    )
    for snapshot in snapshots.iterator(chunk_size=500):
        yield {
            "path": f"captures/sources/{snapshot.source_id}/fetch-{snapshot.fetch_number}.warc.gz",
            "stored": snapshot.capture.name,
            "recorded_sha256": snapshot.capture_sha256,
            "kind": "source",
            "source": snapshot.source_id,
            "claim": snapshot.source.claim_id,
            "snapshot": snapshot.pk,
            "url": snapshot.final_url,
            "fetched_at": snapshot.fetched_at.isoformat(),
        }
    document_scope = (
        documents
        if documents is not None
        else Document.objects.filter(pk__in=claim_scope.values("document_id"))
    )
    for document in (
        document_scope.exclude(capture="")
        .only("id", "version_number", "source_url", "capture", "capture_sha256", "created_at")
        .order_by("pk")
    ):
        yield {
            "path": f"captures/documents/{document.pk}/version-{document.version_number}.warc.gz",
            "stored": document.capture.name,
            "recorded_sha256": document.capture_sha256,
            "kind": "document",
            "document": document.pk,
            "version": document.version_number,
            "url": document.source_url,
            "created_at": document.created_at.isoformat(),
        }


def _public(item: dict) -> dict:
    return {key: value for key, value in item.items() if key != "stored"}


def _read(name: str) -> bytes | None:
    try:
        with capture_storage().open(name, "rb") as handle:
            return handle.read()
    except (FileNotFoundError, OSError):
        logger.warning("The capture %s could not be read for an export", name, exc_info=True)
        return None
