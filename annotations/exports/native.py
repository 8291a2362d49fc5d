"""The native JSON export: everything about the documents and their claims.

The shape is described by ``annotations/schemas/native-export.schema.json``, version
``SCHEMA_VERSION``. A snapshot's extracted page text is left out unless asked for
(``snapshot_text``): it is often larger than the document itself, and the located quote
with its context says what the reviewer relied on. The raw page body is never exported.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from django.utils import timezone

from .encoding import dumps as _dumps
from .rows import ClaimChunk, DocumentStart, RatingBook

SCHEMA_VERSION = "1.0"


def native_stream(
    items: Iterator[DocumentStart | ClaimChunk],
    *,
    projects: dict[int, dict[str, Any]],
    ratings: RatingBook,
    language: str | None,
) -> Iterator[str]:
    """Yield the export as JSON text in pieces: a header, each document, its claims."""
    header = {
        "schema_version": SCHEMA_VERSION,
        "generator": "factcheck",
        "exported_at": timezone.now().isoformat(),
        "language": language,
        "projects": [
            _project(project, ratings, language or project["language"])
            for project in projects.values()
        ],
    }
    yield _dumps(header)[:-1] + ',"documents":['
    documents_written = 0
    claims_written = 0
    for item in items:
        if isinstance(item, DocumentStart):
            if documents_written:
                yield "]},"
            document = _document(item.document)
            yield _dumps(document)[:-1] + ',"claims":['
            documents_written += 1
            claims_written = 0
            continue
        labels = language or item.document["project"]["language"]
        claims = [_claim(row, ratings, labels) for row in item.claims]
        yield ("," if claims_written else "") + _dumps(claims)[1:-1]
        claims_written += len(claims)
    if documents_written:
        yield "]}"
    yield "]}\n"


def _moment(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _project(project: dict[str, Any], ratings: RatingBook, language: str) -> dict[str, Any]:
    scale = ratings.scale(project["rating_scale_id"])
    return {
        "slug": project["slug"],
        "name": project["name"],
        "language": project["language"],
        "organization_name": project["organization_name"],
        "organization_url": project["organization_url"],
        "rating_scale": {
            "name": scale[0].scale.name,
            "version": scale[0].scale.version,
            "ratings": [
                {
                    "value": rating.value,
                    "label": rating.display_label(language),
                    "numeric_value": rating.numeric_value,
                    "alternate_name": rating.alternate_name,
                }
                for rating in scale
            ],
        }
        if scale
        else None,
    }


def _document(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "project": row["project"]["slug"],
        "title": row["title"],
        "language": row["language"],
        "origin": row["origin"],
        "source_format": row["source_format"],
        "source_url": row["source_url"],
        "filename": row["filename"],
        "author": row["author"],
        "published_on": row["published_on"].isoformat() if row["published_on"] else None,
        "created_at": _moment(row["created_at"]),
        "sha256": row["sha256"],
        "text": row["text"],
        "links": row["links"],
    }


def rating_record(ratings: RatingBook, rating_id: int, language: str) -> dict[str, Any]:
    rating = ratings.get(rating_id)
    return {
        "value": rating.value,
        "label": rating.display_label(language),
        "numeric_value": rating.numeric_value,
    }


def _claim(row: dict[str, Any], ratings: RatingBook, language: str) -> dict[str, Any]:
    final = row["final_verdict"]
    changes, last_at, last_by = row["history"]
    return {
        "id": row["id"],
        "start": row["start"],
        "end": row["end"],
        "text": row["text"],
        "kind": row["kind"],
        "extracted_kind": row["extracted_kind"],
        "checkworthiness": row["checkworthiness"],
        "reasons": row["reasons"],
        "entities": row["entities"],
        "dates": row["dates"],
        "quantities": row["quantities"],
        "attribution": row["attribution"],
        "status": row["status"],
        "assignee": row["assignee_username"],
        "published_at": row["published_at"],
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
        "sources": [_source(source) for source in row["sources"]],
        "verdicts": [_verdict(verdict, ratings, language) for verdict in row["verdicts"]],
        "final_verdict": {
            "verdict": final["id"],
            "rating": rating_record(ratings, final["rating_id"], language),
            "rationale": final["rationale"],
        }
        if final is not None
        else None,
        "history": {
            "changes": changes,
            "last_changed_at": last_at,
            "last_changed_by": last_by,
        },
    }


def _source(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "url": row["url"],
        "title": row["title"],
        "publisher": row["publisher"],
        "quote": row["quote"],
        "stance": row["stance"],
        "origin": row["origin"],
        "added_by": row["added_by_username"],
        "fetch_state": row["fetch_state"],
        "fetch_error": row["fetch_error"],
        "last_fetched_at": row["last_fetched_at"],
        "created_at": row["created_at"],
        "snapshots": [_snapshot(snapshot) for snapshot in row["snapshots"]],
    }


def _snapshot(row: dict[str, Any]) -> dict[str, Any]:
    record = {
        "fetch_number": row["fetch_number"],
        "final_url": row["final_url"],
        "http_status": row["http_status"],
        "content_type": row["content_type"],
        "sha256": row["sha256"],
        "size": row["size"],
        "body_truncated": row["body_truncated"],
        "fetched_at": row["fetched_at"],
        "title": row["title"],
        "author": row["author"],
        "published": row["published"],
        "site_name": row["site_name"],
        "quote": {
            "found": row["quote_found"],
            "method": row["quote_method"],
            "score": row["quote_score"],
            "start": row["quote_start"],
            "end": row["quote_end"],
            "passage": row["quote_passage"],
            "context_before": row["context_before"],
            "context_after": row["context_after"],
        },
        "suggestions": row["suggestions"],
    }
    if "text" in row:
        record["text"] = row["text"]
    return record


def _verdict(row: dict[str, Any], ratings: RatingBook, language: str) -> dict[str, Any]:
    return {
        "id": row["id"],
        "reviewer": row["reviewer_username"],
        "rating": rating_record(ratings, row["rating_id"], language),
        "rationale": row["rationale"],
        "sources": row["source_ids"],
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
    }
