"""Reading what an export needs, chunk by chunk, as plain rows.

Every format walks the same stream: a document, then its claims in chunks of at most
``CHUNK_SIZE``, each claim carrying its sources, verdicts and history summary. Rows are
dicts from ``values()`` rather than model instances, because building tens of thousands
of instances costs more than writing the export. A chunk's related rows are read with
one query per kind, so memory depends on the chunk size and not on the size of the
export; a document's text is read only while that document is being written.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import groupby, islice
from operator import itemgetter
from typing import Any

from django.db.models import F, Q, QuerySet

from ..models import Claim, Document, Project, Rating, Snapshot, Source, Verdict
from ..services.scales import claimreview_rating

# Claims per chunk: few enough to hold, enough that the queries per chunk cost little.
CHUNK_SIZE = 500

CLAIM_FIELDS = (
    "id",
    "document_id",
    "position",
    "start",
    "end",
    "text",
    "kind",
    "checkworthiness",
    "status",
    "final_verdict_id",
    "published_at",
    "created_at",
    "updated_at",
)
# What the extractor found; only the native export carries all of it.
CLAIM_DETAILS = (
    "extracted_kind",
    "reasons",
    "entities",
    "dates",
    "quantities",
    "attribution",
)
CLAIM_RENAMED = {
    "assignee_username": F("assignee__username"),
}
DOCUMENT_FIELDS = (
    "id",
    "project_id",
    "title",
    "language",
    "origin",
    "source_format",
    "source_url",
    "filename",
    "author",
    "published_on",
    "sha256",
    "status",
    "created_at",
)
SOURCE_FIELDS = (
    "id",
    "claim_id",
    "url",
    "title",
    "publisher",
    "quote",
    "stance",
    "origin",
    "fetch_state",
    "fetch_error",
    "last_fetched_at",
    "created_at",
)
SOURCE_RENAMED = {
    "added_by_username": F("added_by__username"),
}
SNAPSHOT_FIELDS = (
    "source_id",
    "fetch_number",
    "final_url",
    "http_status",
    "content_type",
    "sha256",
    "size",
    "fetched_at",
    "title",
    "author",
    "published",
    "site_name",
    "body_truncated",
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
    "id",
    "claim_id",
    "rating_id",
    "rationale",
    "created_at",
    "updated_at",
)
VERDICT_RENAMED = {
    "reviewer_username": F("reviewer__username"),
}


@dataclass(frozen=True)
class Needs:
    """What a format reads besides the claims themselves."""

    text: bool = False
    # Extra claim fields, from CLAIM_DETAILS.
    claim_details: tuple[str, ...] = ()
    sources: bool = True
    links: bool = False
    snapshots: bool = False
    snapshot_text: bool = False
    # False: only each claim's final verdict.
    all_verdicts: bool = False
    verdict_sources: bool = False
    history: bool = False


@dataclass(frozen=True)
class DocumentStart:
    """A document begins; its claims follow in ``ClaimChunk`` items."""

    document: dict[str, Any]


@dataclass(frozen=True)
class ClaimChunk:
    """Consecutive claims of one document, with their related rows attached."""

    document: dict[str, Any]
    claims: list[dict[str, Any]]


def scope(
    *, documents: QuerySet[Document] | None, claims: QuerySet[Claim] | None
) -> tuple[QuerySet[Document], QuerySet[Claim], bool]:
    """The documents and the claims (not in the trash) an export covers.

    The third value says whether documents without claims are listed too: they are when
    the caller asked for documents, not when it asked for particular claims. The caller's
    querysets are used as subqueries, so their own ordering or joins do not matter.
    """
    if documents is None and claims is None:
        raise ValueError("Give documents, claims or both.")
    claim_rows = Claim.objects.filter(deleted_at__isnull=True)
    if claims is not None:
        claim_rows = claim_rows.filter(pk__in=claims.values("pk"))
    if documents is not None:
        document_rows = Document.objects.filter(pk__in=documents.values("pk"))
        claim_rows = claim_rows.filter(document__in=documents.values("pk"))
    else:
        document_rows = Document.objects.filter(pk__in=claim_rows.values("document_id"))
    return document_rows, claim_rows, documents is not None


def projects_of(documents: QuerySet[Document]) -> dict[int, dict[str, Any]]:
    """The projects of the documents, as rows keyed by id (there are only a few)."""
    return {
        row["id"]: row
        for row in Project.objects.filter(pk__in=documents.values("project_id"))
        .order_by("pk")
        .values(
            "id",
            "slug",
            "name",
            "language",
            "organization_name",
            "organization_url",
            "rating_scale_id",
        )
    }


class RatingBook:
    """Ratings by id, read once per export: a scale has a handful of them."""

    def __init__(self) -> None:
        self._ratings: dict[int, Rating] = {}
        self._claimreview: dict[int, dict[str, Any]] = {}

    def load(self, ids: Iterable[int]) -> None:
        missing = {pk for pk in ids if pk not in self._ratings}
        if missing:
            for rating in Rating.objects.filter(pk__in=missing).select_related("scale"):
                self._ratings[rating.pk] = rating

    def get(self, pk: int) -> Rating:
        if pk not in self._ratings:
            self.load([pk])
        return self._ratings[pk]

    def claimreview(self, pk: int) -> dict[str, Any]:
        if pk not in self._claimreview:
            self._claimreview[pk] = claimreview_rating(self.get(pk))
        return dict(self._claimreview[pk])

    def scale(self, scale_id: int | None) -> list[Rating]:
        if scale_id is None:
            return []
        ratings = list(Rating.objects.filter(scale_id=scale_id).select_related("scale"))
        for rating in ratings:
            self._ratings.setdefault(rating.pk, rating)
        return ratings


def walk(
    *,
    documents: QuerySet[Document],
    claims: QuerySet[Claim],
    list_empty_documents: bool,
    projects: dict[int, dict[str, Any]],
    ratings: RatingBook,
    needs: Needs,
) -> Iterator[DocumentStart | ClaimChunk]:
    """Documents in id order, each followed by its claims in reading order.

    Both streams are ordered by document id, so they are merged without holding either.
    Claims whose document is no longer there (deleted during the export) are skipped.
    """
    fields = DOCUMENT_FIELDS + (("links",) if needs.links else ())
    document_rows = documents.order_by("pk").values(*fields).iterator(100)
    pending = next(document_rows, None)
    current: dict[str, Any] | None = None
    claim_rows = (
        claims.order_by("document_id", "position", "pk")
        .values(*CLAIM_FIELDS, *needs.claim_details, **CLAIM_RENAMED)
        .iterator(CHUNK_SIZE)
    )
    while chunk := list(islice(claim_rows, CHUNK_SIZE)):
        _attach(chunk, ratings=ratings, needs=needs)
        for document_id, group in groupby(chunk, key=itemgetter("document_id")):
            if current is None or current["id"] != document_id:
                while pending is not None and pending["id"] < document_id:
                    if list_empty_documents:
                        yield DocumentStart(_complete(pending, projects, needs))
                    pending = next(document_rows, None)
                if pending is None or pending["id"] != document_id:
                    continue
                current = _complete(pending, projects, needs)
                pending = next(document_rows, None)
                yield DocumentStart(current)
            yield ClaimChunk(current, list(group))
    while list_empty_documents and pending is not None:
        yield DocumentStart(_complete(pending, projects, needs))
        pending = next(document_rows, None)


def _complete(
    row: dict[str, Any], projects: dict[int, dict[str, Any]], needs: Needs
) -> dict[str, Any]:
    row["project"] = projects[row["project_id"]]
    if needs.text:
        # A document's text may be megabytes: read it only when its turn comes.
        row["text"] = Document.objects.filter(pk=row["id"]).values_list("text", flat=True)[0]
    return row


def among_ids(field: str, ids: list[int]) -> Q:
    """Selects the rows whose ``field`` is one of ``ids`` (claim ids of a chunk, a page),
    and possibly others: the caller skips rows of ids it did not ask for.

    Claims cut from a document together have consecutive ids, so dense ids are selected
    by their range; sparse ones by the ids themselves. A range costs the database nothing
    more through an index, while Django prepares an ``IN`` list value by value, which
    cost more than reading the rows.
    """
    low, high = min(ids), max(ids)
    if high - low < 2 * len(ids):
        return Q(**{f"{field}__gte": low, f"{field}__lte": high})
    return Q(**{f"{field}__in": ids})


def _attach(chunk: list[dict[str, Any]], *, ratings: RatingBook, needs: Needs) -> None:
    """Give each claim row of the chunk its sources, verdicts and history summary.

    Rows selected with the chunk's range (see ``among_ids``) whose claim is not in the
    chunk are skipped.
    """
    ids = [row["id"] for row in chunk]
    by_id = {row["id"]: row for row in chunk}
    for row in chunk:
        row["sources"] = []
        row["verdicts"] = []

    sources: dict[int, dict[str, Any]] = {}
    source_rows = (
        Source.objects.filter(among_ids("claim_id", ids), deleted_at__isnull=True)
        .order_by("claim_id", "created_at", "id")
        .values(*SOURCE_FIELDS, **SOURCE_RENAMED)
    )
    for source in source_rows if needs.sources else ():
        if source["claim_id"] in by_id:
            source["snapshots"] = []
            sources[source["id"]] = source
            by_id[source["claim_id"]]["sources"].append(source)

    if needs.snapshots and sources:
        fields = SNAPSHOT_FIELDS + (("text",) if needs.snapshot_text else ())
        for snapshot in (
            Snapshot.objects.filter(
                among_ids("source__claim_id", ids), source__deleted_at__isnull=True
            )
            .order_by("source_id", "fetch_number")
            .values(*fields)
        ):
            if snapshot["source_id"] in sources:
                sources[snapshot["source_id"]]["snapshots"].append(snapshot)

    verdicts = Verdict.objects.filter(among_ids("claim_id", ids), deleted_at__isnull=True)
    if not needs.all_verdicts:
        verdicts = verdicts.filter(claim__final_verdict=F("pk"))
    verdict_rows: dict[int, dict[str, Any]] = {}
    for verdict in verdicts.order_by("claim_id", "created_at", "id").values(
        *VERDICT_FIELDS, **VERDICT_RENAMED
    ):
        if verdict["claim_id"] in by_id:
            verdict["source_ids"] = []
            verdict_rows[verdict["id"]] = verdict
            by_id[verdict["claim_id"]]["verdicts"].append(verdict)
    ratings.load({verdict["rating_id"] for verdict in verdict_rows.values()})

    if needs.verdict_sources and verdict_rows:
        through = Verdict.sources.through
        for verdict_id, source_id in (
            through.objects.filter(
                among_ids("verdict__claim_id", ids), verdict__deleted_at__isnull=True
            )
            .order_by("verdict_id", "source_id")
            .values_list("verdict_id", "source_id")
        ):
            # A source in the trash is not exported, so the verdict does not point at it.
            if verdict_id in verdict_rows and source_id in sources:
                verdict_rows[verdict_id]["source_ids"].append(source_id)

    for row in chunk:
        final = verdict_rows.get(row["final_verdict_id"])
        # A final verdict moved to the trash is no final verdict for an export.
        row["final_verdict"] = (
            final if final is not None and final["claim_id"] == row["id"] else None
        )

    if needs.history:
        _attach_history(chunk, by_id, ids)


def _attach_history(
    chunk: list[dict[str, Any]], by_id: dict[int, dict[str, Any]], ids: list[int]
) -> None:
    # The same records the claim's history page shows: the claim's, its verdicts' and
    # its sources' (also of those in the trash or purged since).
    summary: dict[int, list[Any]] = {pk: [0, None, None] for pk in by_id}
    streams = (
        Claim.history.filter(among_ids("id", ids))
        .order_by()
        .values_list("id", "history_date", "history_user__username"),
        Verdict.history.filter(among_ids("claim_id", ids))
        .order_by()
        .values_list("claim_id", "history_date", "history_user__username"),
        Source.history.filter(among_ids("claim_id", ids))
        .order_by()
        .values_list("claim_id", "history_date", "history_user__username"),
    )
    for records in streams:
        for claim_id, when, who in records:
            entry = summary.get(claim_id)
            if entry is None:
                continue
            entry[0] += 1
            if entry[1] is None or when >= entry[1]:
                entry[1], entry[2] = when, who
    for row in chunk:
        row["history"] = summary[row["id"]]
