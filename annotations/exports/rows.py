"""Reading what an export needs, chunk by chunk, as plain rows.

Every format walks the same stream: a document, then its claims in chunks of at most
``CHUNK_SIZE``, each claim carrying its sources, verdicts and history summary. Rows are
dicts from ``values()`` rather than model instances, because building tens of thousands
of instances costs more than writing the export. A chunk's related rows are read with
one query per kind, so memory depends on the chunk size and not on the size of the
export; a document's text is read only while that document is being written.

Each format reads only the columns it writes. Dates and times come as the text the
exports write (ISO 8601 with the UTC offset, see ``Reader.moment``) and JSON columns are
decoded without Django's per-value conversion: for tens of thousands of rows, parsing a
stored timestamp into an aware ``datetime`` only to format it again cost more than
everything else but the encoding.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import groupby, islice
from operator import itemgetter
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connections
from django.db.models import ExpressionWrapper, F, Func, Q, QuerySet, TextField
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from ..models import Claim, Document, Project, Rating, Snapshot, Source, Verdict
from ..services.scales import claimreview_rating
from .encoding import loads

# Claims per chunk: few enough to hold, enough that the queries per chunk cost little.
CHUNK_SIZE = 500

# What every format reads of a claim.
CLAIM_FIELDS = (
    "id",
    "document_id",
    "start",
    "end",
    "text",
    "kind",
    "checkworthiness",
    "status",
    "final_verdict_id",
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
CLAIM_MOMENTS = ("published_at", "created_at", "updated_at")
# Columns read as JSON text and decoded here (see ``Reader.rows``).
JSON_FIELDS = frozenset({"reasons", "entities", "dates", "quantities", "suggestions"})
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
SOURCE_FIELDS = ("id", "claim_id", "url", "quote")
SOURCE_DETAILS = ("title", "publisher", "stance", "origin", "fetch_state", "fetch_error")
SOURCE_MOMENTS = ("last_fetched_at", "created_at")
SNAPSHOT_FIELDS = (
    "source_id",
    "fetch_number",
    "final_url",
    "http_status",
    "content_type",
    "sha256",
    "size",
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
VERDICT_FIELDS = ("id", "claim_id", "rating_id", "rationale")
VERDICT_MOMENTS = ("created_at", "updated_at")


@dataclass(frozen=True)
class Needs:
    """What a format reads besides the claims' ``CLAIM_FIELDS``."""

    text: bool = False
    # Extra claim fields, from CLAIM_DETAILS and CLAIM_MOMENTS.
    claim_details: tuple[str, ...] = ()
    claim_moments: tuple[str, ...] = ()
    assignee: bool = False
    # Sources: False for none, else their SOURCE_FIELDS; ``source_details`` adds the rest.
    sources: bool = True
    source_details: bool = False
    links: bool = False
    snapshots: bool = False
    snapshot_text: bool = False
    # False: only each claim's final verdict.
    all_verdicts: bool = False
    # Besides VERDICT_FIELDS: the reviewer and VERDICT_MOMENTS.
    verdict_details: bool = False
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


def _unconverted(field: str) -> ExpressionWrapper:
    # As the database driver hands the column over: no converter applies to TextField.
    return ExpressionWrapper(F(field), output_field=TextField())


class _Stored(Func):
    """A date and time column as stored. SQLite's driver would parse a column declared
    ``datetime`` (through Django's parser) before Django converts it again, so there it is
    read as text; other drivers hand over their own ``datetime``, unconverted by Django."""

    template = "%(expressions)s"
    output_field = TextField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler, connection, template="CAST(%(expressions)s AS text)", **extra_context
        )


# ``YYYY-MM-DD HH:MM:SS``, as Django stores a date and time on SQLite (in UTC).
_SQLITE_SECONDS = "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]"


def iso_sql(column: str, vendor: str) -> str | None:
    """SQL that turns a date and time ``column`` into the text the exports write for it,
    ``datetime.isoformat()`` of the moment in UTC (``YYYY-MM-DDTHH:MM:SS[.ffffff]+00:00``),
    or ``None`` where the database cannot. Formatting 100,000 moments in the database
    costs it next to nothing; in Python it was a tenth of the native export.

    On SQLite a value stored in any other form than Django's comes back as stored, and
    ``Reader.rows`` reads it as Django would.
    """
    if vendor == "sqlite":
        iso = f"substr({column}, 1, 10) || 'T' || substr({column}, 12)"
        whole = f"substr({column}, 1, 10) || 'T' || substr({column}, 12, 8)"
        return (
            f"CASE WHEN {column} GLOB '{_SQLITE_SECONDS}' THEN {iso} || '+00:00' "
            f"WHEN {column} GLOB '{_SQLITE_SECONDS}.[0-9][0-9][0-9][0-9][0-9][0-9]' THEN "
            f"(CASE WHEN substr({column}, 21) = '000000' THEN {whole} ELSE {iso} END) "
            f"|| '+00:00' ELSE CAST({column} AS text) END"
        )
    if vendor == "postgresql":
        utc = f"({column} AT TIME ZONE 'UTC')"
        return (
            f"CASE WHEN {column} IS NULL THEN NULL ELSE "
            f"""to_char({utc}, 'YYYY-MM-DD"T"HH24:MI:SS') """
            f"|| (CASE WHEN to_char({utc}, 'US') = '000000' THEN '' "
            f"ELSE to_char({utc}, '.US') END) || '+00:00' END"
        )
    return None


class _Iso(Func):
    """A date and time column as ISO 8601 text in UTC, made by the database (see
    ``iso_sql``); elsewhere the column as stored, for ``Reader.moment``."""

    template = "%(expressions)s"
    output_field = TextField()

    def as_sql(self, compiler, connection, **extra_context):
        column, params = compiler.compile(self.source_expressions[0])
        sql = iso_sql(column, connection.vendor)
        if sql is None:
            return _Stored(*self.source_expressions).as_sql(compiler, connection)
        return sql, tuple(params) * sql.count(column)


def _is_iso(value: Any) -> bool:
    # What ``iso_sql`` makes; anything else is left for ``Reader.moment``.
    return value.__class__ is str and value[10:11] == "T" and value[-6:] == "+00:00"


def _json(text: str | None) -> Any:
    if text == "[]":
        return []
    return None if text is None else loads(text)


class Reader:
    """Reads rows for one export from the database the claims come from."""

    def __init__(self, using: str) -> None:
        self.connection = connections[using]
        self.timezone = self.connection.timezone
        self._utc = self.timezone is UTC
        # Moments are formatted by the database when what it stores is in UTC, which
        # is how Django stores them unless the database has a time zone of its own.
        self._moment = _Iso if self._utc else _Stored

    def moment(self, value: str | datetime | None) -> str | None:
        """A stored date and time as the exports write it: ``isoformat()`` of the value
        Django would read (aware, in the connection's time zone).

        SQLite hands over the text Django stored, ``YYYY-MM-DD HH:MM:SS[.ffffff]`` in
        UTC, which becomes ``YYYY-MM-DDTHH:MM:SS[.ffffff]+00:00`` without parsing;
        anything else (another time zone, other text, a driver's ``datetime``) is read
        as Django reads it.
        """
        if value.__class__ is str:
            size = len(value)
            if (
                self._utc
                and (size == 19 or (size == 26 and value[19] == "." and value[20:] != "000000"))
                and value[10] == " "
            ):
                return f"{value[:10]}T{value[11:]}+00:00"
            value = parse_datetime(value)
        elif value is None:
            return None
        if self.timezone is not None and timezone.is_naive(value):
            value = timezone.make_aware(value, self.timezone)
        return value.isoformat()

    def history_summary(self, ids: list[int]) -> dict[int, tuple[int, str | None, str | None]]:
        """For each of the claims ``ids`` with history: the number of history records of
        the claim and its verdicts and sources, the latest one's moment (as the exports
        write it) and its user's username."""
        quote = self.connection.ops.quote_name
        low, high = min(ids), max(ids)
        dense = high - low < 2 * len(ids)

        def among(column: str) -> tuple[str, list[int]]:
            # As ``among_ids``: a range for dense ids, else the ids themselves.
            if dense:
                return f"{quote(column)} BETWEEN %s AND %s", [low, high]
            return f"{quote(column)} IN ({', '.join(['%s'] * len(ids))})", list(ids)

        parts, params = [], []
        for stream, (model, claim_column) in enumerate(
            ((Claim, "id"), (Verdict, "claim_id"), (Source, "claim_id"))
        ):
            table = quote(model.history.model._meta.db_table)
            condition, values = among(claim_column)
            # Only quoted names from the models go into the text; values are parameters.
            parts.append(
                f"SELECT {quote(claim_column)} AS claim_id, history_date, history_user_id, "  # noqa: S608
                f"{stream} AS stream, history_id FROM {table} WHERE {condition}"
            )
            params += values
        user = get_user_model()
        moment_sql = iso_sql("ranked.history_date", self.connection.vendor) if self._utc else None
        username = quote(user._meta.get_field(user.USERNAME_FIELD).column)
        sql = (
            f"SELECT ranked.claim_id, ranked.total, "  # noqa: S608 (names from the models)
            f"{moment_sql or 'ranked.history_date'}, people.{username} "
            "FROM (SELECT records.*, "
            "COUNT(*) OVER (PARTITION BY records.claim_id) AS total, "
            "ROW_NUMBER() OVER (PARTITION BY records.claim_id ORDER BY "
            "records.history_date DESC, records.stream DESC, records.history_id DESC) AS latest "
            f"FROM ({' UNION ALL '.join(parts)}) records) ranked "
            f"LEFT JOIN {quote(user._meta.db_table)} people "
            f"ON people.{quote(user._meta.pk.column)} = ranked.history_user_id "
            "WHERE ranked.latest = 1"
        )
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            found = cursor.fetchall()
        moment = self.moment
        return {
            claim_id: (total, when if _is_iso(when) else moment(when), who)
            for claim_id, total, when, who in found
        }

    def rows(
        self,
        queryset: QuerySet,
        fields: Sequence[str],
        *,
        moments: Sequence[str] = (),
        renamed: dict[str, str] | None = None,
        chunk_size: int | None = None,
    ) -> Iterator[dict[str, Any]]:
        """``queryset.values(*fields, **renamed)``, with the ``moments`` fields as text
        (see ``moment``) and the JSON fields among ``fields`` decoded."""
        renamed = renamed or {}
        names = (*fields, *renamed, *moments)
        columns = (
            *(_unconverted(name) if name in JSON_FIELDS else name for name in fields),
            *renamed.values(),
            *(self._moment(name) for name in moments),
        )
        decoded = [name for name in fields if name in JSON_FIELDS]
        moment = self.moment
        values = queryset.values_list(*columns)
        for row in values.iterator(chunk_size) if chunk_size else values:
            record = dict(zip(names, row, strict=True))
            for name in decoded:
                record[name] = _json(record[name])
            for name in moments:
                value = record[name]
                if value is not None and not _is_iso(value):
                    record[name] = moment(value)
            yield record


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
    reader = Reader(claims.db)
    chunk_size = CHUNK_SIZE
    claim_rows = reader.rows(
        claims.order_by("document_id", "position", "pk"),
        CLAIM_FIELDS + needs.claim_details,
        moments=needs.claim_moments,
        renamed={"assignee_username": "assignee__username"} if needs.assignee else None,
        chunk_size=chunk_size,
    )
    while chunk := list(islice(claim_rows, chunk_size)):
        _attach(chunk, reader=reader, ratings=ratings, needs=needs)
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


def _attach(
    chunk: list[dict[str, Any]], *, reader: Reader, ratings: RatingBook, needs: Needs
) -> None:
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
    if needs.sources:
        details = needs.source_details
        for source in reader.rows(
            Source.objects.filter(among_ids("claim_id", ids), deleted_at__isnull=True).order_by(
                "claim_id", "created_at", "id"
            ),
            SOURCE_FIELDS + SOURCE_DETAILS if details else SOURCE_FIELDS,
            moments=SOURCE_MOMENTS if details else (),
            renamed={"added_by_username": "added_by__username"} if details else None,
        ):
            if source["claim_id"] in by_id:
                source["snapshots"] = []
                sources[source["id"]] = source
                by_id[source["claim_id"]]["sources"].append(source)

    if needs.snapshots and sources:
        for snapshot in reader.rows(
            Snapshot.objects.filter(
                among_ids("source__claim_id", ids), source__deleted_at__isnull=True
            ).order_by("source_id", "fetch_number"),
            (*SNAPSHOT_FIELDS, "text") if needs.snapshot_text else SNAPSHOT_FIELDS,
            moments=("fetched_at",),
        ):
            if snapshot["source_id"] in sources:
                sources[snapshot["source_id"]]["snapshots"].append(snapshot)

    verdicts = Verdict.objects.filter(among_ids("claim_id", ids), deleted_at__isnull=True)
    if not needs.all_verdicts:
        verdicts = verdicts.filter(claim__final_verdict=F("pk"))
    verdict_rows: dict[int, dict[str, Any]] = {}
    details = needs.verdict_details
    for verdict in reader.rows(
        verdicts.order_by("claim_id", "created_at", "id"),
        VERDICT_FIELDS,
        moments=VERDICT_MOMENTS if details else (),
        renamed={"reviewer_username": "reviewer__username"} if details else None,
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
        _attach_history(chunk, by_id, ids, reader)


def _attach_history(
    chunk: list[dict[str, Any]], by_id: dict[int, dict[str, Any]], ids: list[int], reader: Reader
) -> None:
    """Give each claim row its history summary: how many records the claim's history page
    shows (the claim's, its verdicts' and its sources', also of those in the trash or
    purged since), when the latest was made and by whom.

    The database counts and picks the latest record per claim, so a chunk costs one
    query that returns a row per claim rather than every history record. Records made at
    the same moment are ordered sources, verdicts, claim, then by their own order.
    """
    summary = reader.history_summary(ids)
    for row in chunk:
        row["history"] = list(summary.get(row["id"], (0, None, None)))
