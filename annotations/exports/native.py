"""The native JSON export: everything about the documents and their claims.

The shape is described by ``annotations/schemas/native-export.schema.json``, version
``SCHEMA_VERSION``. A snapshot's extracted page text is left out unless asked for
(``snapshot_text``): it is often larger than the document itself, and the located quote
with its context says what the reviewer relied on. The raw page body is never exported.

The JSON Lines export (``jsonl_stream``) writes the same claims, one per line.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from django.utils import timezone

from ..models import Snapshot, Verdict
from .encoding import dumps
from .rows import (
    DOCUMENT_FIELDS,
    ClaimChunk,
    DocumentStart,
    Fields,
    RatingBook,
    Walk,
    history_summary,
    live_sources,
)

SCHEMA_VERSION = "1.0"

# What the export writes of a claim, before its sources, verdicts, final verdict and
# history summary.
CLAIM_FIELDS = Fields(
    id="id",
    start="start",
    end="end",
    text="text",
    kind="kind",
    extracted_kind="extracted_kind",
    checkworthiness="checkworthiness",
    reasons="reasons",
    entities="entities",
    dates="dates",
    quantities="quantities",
    attribution="attribution",
    status="status",
    assignee="assignee__username",
    same_as="same_as_id",
    published_at="published_at",
    created_at="created_at",
    updated_at="updated_at",
)
SOURCE_FIELDS = Fields(
    id="id",
    url="url",
    title="title",
    publisher="publisher",
    quote="quote",
    stance="stance",
    origin="origin",
    added_by="added_by__username",
    fetch_state="fetch_state",
    fetch_error="fetch_error",
    last_fetched_at="last_fetched_at",
    created_at="created_at",
)
SNAPSHOT_FIELDS = Fields(
    fetch_number="fetch_number",
    final_url="final_url",
    http_status="http_status",
    content_type="content_type",
    sha256="sha256",
    size="size",
    body_truncated="body_truncated",
    fetched_at="fetched_at",
    title="title",
    author="author",
    published="published",
    site_name="site_name",
    quote=Fields(
        found="quote_found",
        method="quote_method",
        score="quote_score",
        start="quote_start",
        end="quote_end",
        passage="quote_passage",
        context_before="context_before",
        context_after="context_after",
    ),
    suggestions="suggestions",
)
NO_HISTORY = (0, None, None)


def native_stream(
    walk: Walk,
    *,
    projects: dict[int, dict[str, Any]],
    ratings: RatingBook,
    language: str | None,
    snapshot_text: bool,
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
    yield dumps(header)[:-1] + ',"documents":['
    documents_written = 0
    claims_written = 0
    for item in _items(walk, ratings, language, snapshot_text, text=True):
        if isinstance(item, DocumentStart):
            if documents_written:
                yield "]},"
            yield dumps(_document(item.document))[:-1] + ',"claims":['
            documents_written += 1
            claims_written = 0
            continue
        yield ("," if claims_written else "") + dumps(item.claims)[1:-1]
        claims_written += len(item.claims)
    if documents_written:
        yield "]}"
    yield "]}\n"


def jsonl_stream(walk: Walk, *, ratings: RatingBook, language: str | None) -> Iterator[str]:
    """Yield JSON Lines, a claim per line as the native export writes it, with its
    document's id, title, version number and previous version's id and its project's
    slug first."""
    for item in _items(walk, ratings, language, snapshot_text=False, text=False):
        if isinstance(item, DocumentStart):
            continue
        document = item.document
        head = {
            "document": document["id"],
            "document_title": document["title"],
            "document_version": document["version_number"],
            "document_previous_version": document["previous_version_id"],
            "project": document["project"]["slug"],
        }
        yield "".join(dumps({**head, **claim}) + "\n" for claim in item.claims)


def _items(
    walk: Walk, ratings: RatingBook, language: str | None, snapshot_text: bool, *, text: bool
) -> Iterator[Any]:
    """The walk with each chunk's claims as the dicts the export writes."""
    records = _RatingRecords(ratings)
    items = walk(
        claim_fields=Fields(**CLAIM_FIELDS.fields, final_verdict_id="final_verdict_id"),
        related=lambda ids: _Related(ids, snapshot_text=snapshot_text),
        document_fields=(*DOCUMENT_FIELDS, "links"),
        text=text,
    )
    for item in items:
        if isinstance(item, DocumentStart):
            yield item
            continue
        labels = language or item.document["project"]["language"]
        claims = [_claim(row, item.related, records, labels) for row in item.claims]
        yield ClaimChunk(item.document, claims, None)


class _Related:
    """What the native export shows about a chunk of claims besides their own fields:
    their sources with their snapshots, their verdicts with the sources they cite, and
    their history summaries."""

    def __init__(self, ids: list[int], *, snapshot_text: bool) -> None:
        self.sources: dict[int, list[dict[str, Any]]] = {claim_id: [] for claim_id in ids}
        written: dict[int, dict[str, Any]] = {}
        for row in SOURCE_FIELDS.read(live_sources(ids), "claim_id"):
            source = written[row["id"]] = {**SOURCE_FIELDS.record(row), "snapshots": []}
            self.sources[row["claim_id"]].append(source)
        snapshots = Snapshot.objects.filter(source_id__in=list(written)).order_by(
            "source_id", "fetch_number"
        )
        extra = ("source_id", "text") if snapshot_text else ("source_id",)
        for row in SNAPSHOT_FIELDS.read(snapshots, *extra):
            snapshot = SNAPSHOT_FIELDS.record(row)
            if snapshot_text:
                snapshot["text"] = row["text"]
            written[row["source_id"]]["snapshots"].append(snapshot)

        # A verdict's row per source it cites (one without sources: a row with none).
        self.verdicts: dict[int, list[tuple[Any, ...]]] = {claim_id: [] for claim_id in ids}
        self.sources_of: dict[int, list[int]] = {}
        for *verdict, source_id in (
            Verdict.objects.filter(claim_id__in=ids, deleted_at__isnull=True)
            .order_by("claim_id", "created_at", "id", "sources__id")
            .values_list(
                "claim_id",
                "id",
                "reviewer__username",
                "rating_id",
                "rationale",
                "created_at",
                "updated_at",
                "sources__id",
            )
        ):
            cited = self.sources_of.get(verdict[1])
            if cited is None:
                cited = self.sources_of[verdict[1]] = []
                self.verdicts[verdict[0]].append(tuple(verdict))
            # A source in the trash is not exported, so the verdict does not point at it.
            if source_id in written:
                cited.append(source_id)
        self.history = history_summary(ids)


def _claim(
    row: dict[str, Any], related: _Related, records: _RatingRecords, language: str
) -> dict[str, Any]:
    claim_id = row["id"]
    final = None
    verdicts = []
    for _claim_id, verdict_id, reviewer, rating_id, rationale, made, changed in related.verdicts[
        claim_id
    ]:
        rating = records.get(rating_id, language)
        verdicts.append(
            {
                "id": verdict_id,
                "reviewer": reviewer,
                "rating": rating,
                "rationale": rationale,
                "sources": related.sources_of[verdict_id],
                "created_at": made,
                "updated_at": changed,
            }
        )
        # A final verdict moved to the trash is no final verdict for an export.
        if verdict_id == row["final_verdict_id"]:
            final = {"verdict": verdict_id, "rating": rating, "rationale": rationale}
    changes, last_at, last_by = related.history.get(claim_id, NO_HISTORY)
    return {
        **CLAIM_FIELDS.record(row),
        "sources": related.sources[claim_id],
        "verdicts": verdicts,
        "final_verdict": final,
        "history": {"changes": changes, "last_changed_at": last_at, "last_changed_by": last_by},
    }


class _RatingRecords:
    """A verdict's rating as written, in a language, made once per export."""

    def __init__(self, ratings: RatingBook) -> None:
        self.ratings = ratings
        self._records: dict[tuple[int, str], dict[str, Any]] = {}

    def get(self, rating_id: int, language: str) -> dict[str, Any]:
        key = (rating_id, language)
        if key not in self._records:
            self._records[key] = rating_record(self.ratings, rating_id, language)
        return self._records[key]


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
        "version": row["version_number"],
        "previous_version": row["previous_version_id"],
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
