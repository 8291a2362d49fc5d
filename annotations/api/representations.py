"""Plain-dict representations of the objects the claim list returns in bulk.

A page holds up to 1,000 claims, each with sources, a snapshot and verdicts; DRF's
field-by-field machinery costs more than the queries there. These functions build the
same dicts directly (the serializers still declare the fields for the OpenAPI schema,
and a test checks both produce identical output).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..models import Claim, Rating, Snapshot, Source, Verdict


def iso(value: datetime | None) -> str | None:
    """DRF's ISO 8601 rendering: UTC as a trailing Z."""
    if value is None:
        return None
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def rating_dict(rating: Rating) -> dict[str, Any]:
    return {
        "id": rating.pk,
        "value": rating.value,
        "position": rating.position,
        "label": rating.display_label(),
        "description": rating.display_description(),
        "colour": rating.colour,
        "numeric_value": rating.numeric_value,
        "alternate_name": rating.alternate_name,
    }


SNAPSHOT_FIELDS = (
    "id", "fetch_number", "final_url", "http_status", "content_type", "sha256", "size",
    "fetched_at", "title", "author", "published", "site_name", "quote_found",
    "quote_method", "quote_score", "quote_start", "quote_end", "quote_passage",
    "context_before", "context_after", "suggestions",
)  # fmt: skip


def snapshot_dict(snapshot: Snapshot) -> dict[str, Any]:
    data = {name: getattr(snapshot, name) for name in SNAPSHOT_FIELDS}
    data["id"] = snapshot.pk
    data["fetched_at"] = iso(snapshot.fetched_at)
    return data


def source_dict(source: Source) -> dict[str, Any]:
    snapshots = list(source.snapshots.all())
    return {
        "id": source.pk,
        "claim": source.claim_id,
        "url": source.url,
        "title": source.title,
        "publisher": source.publisher,
        "quote": source.quote,
        "stance": source.stance,
        "origin": source.origin,
        "added_by": source.added_by.get_username() if source.added_by_id else None,
        "fetch_state": source.fetch_state,
        "fetch_error": source.fetch_error,
        "attempts": source.attempts,
        "last_fetched_at": iso(source.last_fetched_at),
        "created_at": iso(source.created_at),
        "latest_snapshot": snapshot_dict(snapshots[0]) if snapshots else None,
    }


def verdict_dict(verdict: Verdict, ratings: dict[int, dict] | None = None) -> dict[str, Any]:
    if ratings is not None:
        rating = ratings.get(verdict.rating_id)
        if rating is None:
            rating = ratings[verdict.rating_id] = rating_dict(verdict.rating)
    else:
        rating = rating_dict(verdict.rating)
    return {
        "id": verdict.pk,
        "claim": verdict.claim_id,
        "reviewer": verdict.reviewer.get_username(),
        "rating": rating,
        "rationale": verdict.rationale,
        "sources": [source.pk for source in verdict.sources.all()],
        "version": verdict.version,
        "created_at": iso(verdict.created_at),
        "updated_at": iso(verdict.updated_at),
    }


def claim_dict(
    claim: Claim,
    verdicts: list[Verdict],
    final: Verdict | None,
    ratings: dict[int, dict] | None = None,
) -> dict[str, Any]:
    return {
        "id": claim.pk,
        "document": claim.document_id,
        "position": claim.position,
        "start": claim.start,
        "end": claim.end,
        "text": claim.text,
        "kind": claim.kind,
        "extracted_kind": claim.extracted_kind,
        "checkworthiness": claim.checkworthiness,
        "reasons": claim.reasons,
        "entities": claim.entities,
        "dates": claim.dates,
        "quantities": claim.quantities,
        "attribution": claim.attribution,
        "status": claim.status,
        "assignee": claim.assignee.get_username() if claim.assignee_id else None,
        "version": claim.version,
        "published_at": iso(claim.published_at),
        "created_at": iso(claim.created_at),
        "updated_at": iso(claim.updated_at),
        "sources": [source_dict(source) for source in claim.sources.all()],
        "verdicts": [verdict_dict(verdict, ratings) for verdict in verdicts],
        "final_verdict": verdict_dict(final, ratings) if final is not None else None,
    }
