"""The native JSON export: everything about the documents and their claims.

The shape is described by ``annotations/schemas/native-export.schema.json``, version
``SCHEMA_VERSION``. A snapshot's extracted page text is left out unless asked for
(``snapshot_text``): it is often larger than the document itself, and the located quote
with its context says what the reviewer relied on. The raw page body is never exported.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from functools import partial
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from ..models import Snapshot, Source, Verdict
from .encoding import Fragment, encode, fragment
from .encoding import dumps as _dumps
from .rows import (
    DOCUMENT_FIELDS,
    DocumentStart,
    RatingBook,
    Reader,
    Walk,
    claim_ids,
)

SCHEMA_VERSION = "1.0"


# The claim columns, after the claim's and its document's ids.
CLAIM_FIELDS = (
    "start",
    "end",
    "text",
    "kind",
    "extracted_kind",
    "checkworthiness",
    "reasons",
    "entities",
    "dates",
    "quantities",
    "attribution",
    "status",
    "assignee__username",
    "published_at",
    "created_at",
    "updated_at",
    "final_verdict_id",
)
CLAIM_MOMENTS = ("published_at", "created_at", "updated_at")
SOURCE_FIELDS = (
    "id",
    "url",
    "title",
    "publisher",
    "quote",
    "stance",
    "origin",
    "added_by__username",
    "fetch_state",
    "fetch_error",
    "last_fetched_at",
    "created_at",
)
SOURCE_MOMENTS = ("last_fetched_at", "created_at")
SNAPSHOT_FIELDS = (
    "fetch_number",
    "final_url",
    "http_status",
    "content_type",
    "sha256",
    "size",
    "body_truncated",
    "fetched_at",
    "title",
    "author",
    "published",
    "site_name",
    "quote_found",
    "quote_method",
    "quote_score",
    "quote_start",
    "quote_end",
    "quote_passage",
    "context_before",
    "context_after",
    "suggestions",
)
VERDICT_FIELDS = (
    "claim_id",
    "id",
    "reviewer__username",
    "rating_id",
    "rationale",
    "created_at",
    "updated_at",
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
    yield _dumps(header)[:-1] + ',"documents":['
    documents_written = 0
    claims_written = 0
    records = _RatingRecords(ratings)
    items = walk(
        claim_fields=CLAIM_FIELDS,
        moments=CLAIM_MOMENTS,
        related=partial(_Related, snapshot_text=snapshot_text),
        document_fields=(*DOCUMENT_FIELDS, "links"),
        text=True,
        fragments=True,
    )
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
        # Each claim encoded as soon as it is built: its dicts are let go young, rather
        # than a chunk's worth of them kept for the garbage collector to go through.
        claims = b",".join(
            map(encode, _claims(item.claims, item.related, records, labels))
        ).decode()
        yield ("," if claims_written else "") + claims
        claims_written += len(item.claims)
    if documents_written:
        yield "]}"
    yield "]}\n"


# Each source row carries its snapshots' columns (none for a source without one).
SOURCE_ROW = (*SOURCE_FIELDS, *(f"snapshots__{name}" for name in SNAPSHOT_FIELDS))
SOURCE_ROW_MOMENTS = (*SOURCE_MOMENTS, "snapshots__fetched_at")
# Where a source row's snapshot columns begin (after the claim id).
SNAPSHOT_AT = 1 + len(SOURCE_FIELDS)


def _sources_then_snapshots(
    reader: Reader, ids: list[int], *, snapshot_text: bool
) -> Iterator[Sequence[Any]]:
    """The rows of the joined query (``claim_id``, ``SOURCE_ROW``), from two queries.

    PostgreSQL plans the join of a chunk's sources with their snapshots as a hash join
    over the whole snapshot table under its default costs, reading every snapshot of the
    database once per chunk; the snapshots of known sources are read through the index.
    """
    sources = list(
        reader.tuples_among(
            _live_sources,
            "claim_id",
            ids,
            ("claim_id", *SOURCE_FIELDS),
            moments=SOURCE_MOMENTS,
            fragments=True,
        )
    )
    if not sources:
        return
    fields = (*SNAPSHOT_FIELDS, "text") if snapshot_text else SNAPSHOT_FIELDS
    snapshots: dict[int, list[Sequence[Any]]] = {}
    for row in reader.tuples_among(
        _snapshots,
        "source_id",
        [row[1] for row in sources],
        ("source_id", *fields),
        moments=("fetched_at",),
        fragments=True,
    ):
        snapshots.setdefault(row[0], []).append(tuple(row[1:]))
    none = (None,) * len(fields)
    for row in sources:
        head = tuple(row)
        for snapshot in snapshots.get(row[1], (none,)):
            yield head + snapshot


# The queries run for each chunk of claims, given the condition on their ids (see
# ``Reader.tuples_among``).
def _live_sources(ids: Q) -> QuerySet[Source]:
    return Source.objects.filter(ids, deleted_at__isnull=True).order_by(
        "claim_id", "created_at", "id"
    )


def _live_sources_with_snapshots(ids: Q) -> QuerySet[Source]:
    return Source.objects.filter(ids, deleted_at__isnull=True).order_by(
        "claim_id", "created_at", "id", "snapshots__fetch_number"
    )


def _snapshots(ids: Q) -> QuerySet[Snapshot]:
    return Snapshot.objects.filter(ids).order_by("source_id", "fetch_number")


def _live_verdicts(ids: Q) -> QuerySet[Verdict]:
    return Verdict.objects.filter(ids, deleted_at__isnull=True).order_by(
        "claim_id", "created_at", "id", "sources__id"
    )


class _Related:
    """What the native export shows about a chunk of claims besides their own columns:
    their sources with their snapshots (as written), their verdicts with the sources
    they cite, and their history summaries.

    Sources are read joined with their snapshots, verdicts with the ids of their
    sources: a query per kind of row rather than per table saves a round trip and a
    query for Django to build per chunk.
    """

    def __init__(self, reader: Reader, chunk: list[Sequence[Any]], *, snapshot_text: bool):
        ids = claim_ids(chunk)
        self.sources: dict[int, list[dict[str, Any]]] = {claim_id: [] for claim_id in ids}
        written: dict[int, dict[str, Any]] = {}
        if reader.connection.vendor == "postgresql":
            source_rows = _sources_then_snapshots(reader, ids, snapshot_text=snapshot_text)
        else:
            fields = (*SOURCE_ROW, "snapshots__text") if snapshot_text else SOURCE_ROW
            source_rows = reader.tuples_among(
                _live_sources_with_snapshots,
                "claim_id",
                ids,
                ("claim_id", *fields),
                moments=SOURCE_ROW_MOMENTS,
                fragments=True,
            )
        for row in source_rows:
            if row[0] not in self.sources:
                continue
            source = written.get(row[1])
            if source is None:
                source = written[row[1]] = _source(row)
                self.sources[row[0]].append(source)
            if row[SNAPSHOT_AT] is not None:
                source["snapshots"].append(_snapshot(row))
        # Each source as the JSON it is written as: a chunk's sources are kept until
        # their claims are written, and as fragments they hold no objects for the
        # garbage collector to go through again and again.
        for claim_sources in self.sources.values():
            claim_sources[:] = [fragment(source) for source in claim_sources]

        self.verdicts: dict[int, list[Sequence[Any]]] = {claim_id: [] for claim_id in ids}
        self.sources_of: dict[int, list[int]] = {}
        for row in reader.tuples_among(
            _live_verdicts,
            "claim_id",
            ids,
            (*VERDICT_FIELDS, "sources__id"),
            moments=("created_at", "updated_at"),
        ):
            if row[0] not in self.verdicts:
                continue
            cited = self.sources_of.get(row[1])
            if cited is None:
                cited = self.sources_of[row[1]] = []
                self.verdicts[row[0]].append(row)
            # A source in the trash is not exported, so the verdict does not point at it.
            if row[-1] in written:
                cited.append(row[-1])
        self.history = reader.history_summary(ids)


def _claims(
    chunk: list[Sequence[Any]], related: _Related, records: _RatingRecords, language: str
) -> Iterator[dict[str, Any]]:
    sources, verdicts, sources_of = related.sources, related.verdicts, related.sources_of
    history = related.history
    for (
        claim_id,
        _document_id,
        start,
        end,
        text,
        kind,
        extracted_kind,
        checkworthiness,
        reasons,
        entities,
        dates,
        quantities,
        attribution,
        status,
        assignee,
        published_at,
        created_at,
        updated_at,
        final_verdict_id,
    ) in chunk:
        final = None
        written = []
        # A verdict's row ends with the first source it cites (see ``_Related``).
        for (
            _claim_id,
            verdict_id,
            reviewer,
            rating_id,
            rationale,
            made,
            changed,
            _source_id,
        ) in verdicts[claim_id]:
            rating = records.get(rating_id, language)
            written.append(
                {
                    "id": verdict_id,
                    "reviewer": reviewer,
                    "rating": rating,
                    "rationale": rationale,
                    "sources": sources_of[verdict_id],
                    "created_at": made,
                    "updated_at": changed,
                }
            )
            # A final verdict moved to the trash is no final verdict for an export.
            if verdict_id == final_verdict_id:
                final = {"verdict": verdict_id, "rating": rating, "rationale": rationale}
        changes, last_at, last_by = history.get(claim_id, NO_HISTORY)
        yield {
            "id": claim_id,
            "start": start,
            "end": end,
            "text": text,
            "kind": kind,
            "extracted_kind": extracted_kind,
            "checkworthiness": checkworthiness,
            "reasons": reasons,
            "entities": entities,
            "dates": dates,
            "quantities": quantities,
            "attribution": attribution,
            "status": status,
            "assignee": assignee,
            "published_at": published_at,
            "created_at": created_at,
            "updated_at": updated_at,
            "sources": sources[claim_id],
            "verdicts": written,
            "final_verdict": final,
            "history": {
                "changes": changes,
                "last_changed_at": last_at,
                "last_changed_by": last_by,
            },
        }


class _RatingRecords:
    """A verdict's rating as written, in a language, encoded once per export."""

    def __init__(self, ratings: RatingBook) -> None:
        self.ratings = ratings
        self._records: dict[tuple[int, str], Fragment] = {}

    def get(self, rating_id: int, language: str) -> Fragment:
        key = (rating_id, language)
        record = self._records.get(key)
        if record is None:
            record = self._records[key] = Fragment(
                _dumps(rating_record(self.ratings, rating_id, language))
            )
        return record


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


def _source(row: Sequence[Any]) -> dict[str, Any]:
    (
        _claim_id,
        source_id,
        url,
        title,
        publisher,
        quote,
        stance,
        origin,
        added_by,
        fetch_state,
        fetch_error,
        last_fetched_at,
        created_at,
    ) = row[:SNAPSHOT_AT]
    return {
        "id": source_id,
        "url": url,
        "title": title,
        "publisher": publisher,
        "quote": quote,
        "stance": stance,
        "origin": origin,
        "added_by": added_by,
        "fetch_state": fetch_state,
        "fetch_error": fetch_error,
        "last_fetched_at": last_fetched_at,
        "created_at": created_at,
        "snapshots": [],
    }


def _snapshot(row: Sequence[Any]) -> dict[str, Any]:
    """The snapshot in a source row (see ``SOURCE_ROW``)."""
    (
        fetch_number,
        final_url,
        http_status,
        content_type,
        sha256,
        size,
        body_truncated,
        fetched_at,
        title,
        author,
        published,
        site_name,
        quote_found,
        quote_method,
        quote_score,
        quote_start,
        quote_end,
        quote_passage,
        context_before,
        context_after,
        suggestions,
    ) = row[SNAPSHOT_AT : SNAPSHOT_AT + len(SNAPSHOT_FIELDS)]
    record = {
        "fetch_number": fetch_number,
        "final_url": final_url,
        "http_status": http_status,
        "content_type": content_type,
        "sha256": sha256,
        "size": size,
        "body_truncated": body_truncated,
        "fetched_at": fetched_at,
        "title": title,
        "author": author,
        "published": published,
        "site_name": site_name,
        "quote": {
            "found": quote_found,
            "method": quote_method,
            "score": quote_score,
            "start": quote_start,
            "end": quote_end,
            "passage": quote_passage,
            "context_before": context_before,
            "context_after": context_after,
        },
        "suggestions": suggestions,
    }
    if len(row) > SNAPSHOT_AT + len(SNAPSHOT_FIELDS):
        record["text"] = row[-1]
    return record
