"""Reading what an export needs, chunk by chunk, as plain tuples.

Every format walks the same stream: a document, then its claims in chunks of at most
``CHUNK_SIZE``. Each format names the claim columns it writes and reads the related rows
it needs (sources, verdicts, history) for a chunk with a query or two, so memory depends
on the chunk size and not on the size of the export; a document's text is read only
while that document is being written.

Rows are tuples straight from the database driver, unpacked by the format that asked
for them: building a dict per row, or a model instance, cost more than writing the
export. Dates and times come as the text the exports write (ISO 8601 with the UTC
offset, see ``Reader.moment``) and JSON columns are decoded without Django's per-value
conversion: for tens of thousands of rows, parsing a stored timestamp into an aware
``datetime`` only to format it again cost more than everything else but the encoding.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from itertools import groupby, islice
from operator import itemgetter
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import (
    Case,
    Expression,
    ExpressionWrapper,
    F,
    Func,
    Q,
    QuerySet,
    TextField,
    When,
)
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from ..models import Claim, Document, Project, Rating, Source, Verdict
from ..services.scales import claimreview_rating
from .encoding import Fragment, fragment, loads

# Claims per chunk: few enough to hold, enough that the queries per chunk cost little.
CHUNK_SIZE = 500

# Columns read as JSON text and decoded here (see ``Reader.tuples``).
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


@dataclass(frozen=True)
class DocumentStart:
    """A document begins; its claims follow in ``ClaimChunk`` items."""

    document: dict[str, Any]


@dataclass(frozen=True)
class ClaimChunk:
    """Consecutive claims of one document as tuples of the columns the format asked for
    (the claim's id and its document's id first), with what the format's ``related``
    read for the whole chunk of claims they were read in."""

    document: dict[str, Any]
    claims: list[Sequence[Any]]
    related: Any


# ``walk`` with the export's documents and claims given: the format passes the rest.
Walk = Callable[..., Iterator[DocumentStart | ClaimChunk]]


@dataclass(frozen=True)
class Scope:
    """What a ``Walk`` covers: the claims (not in the trash, within the documents) and
    their projects' rows, for a format that reads them in a statement of its own."""

    claims: QuerySet[Claim]
    projects: dict[int, dict[str, Any]]


def scope_of(stream: Walk) -> Scope | None:
    """The scope ``stream`` was given, when it is ``walk`` with its scope given (as
    ``export_stream`` makes it); ``None`` for any other callable."""
    if isinstance(stream, partial) and stream.func is walk:
        return Scope(claims=stream.keywords["claims"], projects=stream.keywords["projects"])
    return None


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


def iso_sql(column: str, vendor: str) -> str | None:
    """SQL that turns a date and time ``column`` into the text the exports write for it,
    ``datetime.isoformat()`` of the moment in UTC (``YYYY-MM-DDTHH:MM:SS[.ffffff]+00:00``),
    or ``None`` where the database does not do it better than Python.

    PostgreSQL's driver hands over a ``datetime`` that Django parses from text in
    Python, which cost more than the whole rest of reading a row; the database formats
    it for next to nothing. SQLite stores the text Django wrote, which ``Reader.moment``
    turns into ISO 8601 by slicing, faster than the same done in SQL.
    """
    if vendor == "postgresql":
        utc = f"({column} AT TIME ZONE 'UTC')"
        # One to_char per value (it is most of the cost), the fraction only when there
        # is one, as isoformat() writes it; null stays null.
        return (
            f"CASE WHEN date_trunc('second', {utc}) = {utc} "
            f"""THEN to_char({utc}, 'YYYY-MM-DD"T"HH24:MI:SS"+00:00"') """
            f"""ELSE to_char({utc}, 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"') END"""
        )
    return None


class _Iso(Func):
    """A date and time column as ISO 8601 text in UTC, made by the database (see
    ``iso_sql``, only used where it returns SQL)."""

    template = "%(expressions)s"
    output_field = TextField()

    def as_sql(self, compiler, connection, **extra_context):
        column, params = compiler.compile(self.source_expressions[0])
        sql = iso_sql(column, connection.vendor)
        if sql is None:
            raise ValueError(f"{connection.vendor} does not format moments")
        return sql, tuple(params) * sql.count(column)


class UtcDate(Func):
    """The date in UTC of a date and time column, as ``YYYY-MM-DD`` text made by
    PostgreSQL: the first ten characters of the moment as the exports write it, for
    a fraction of formatting all of it (see ``dates_by_database``)."""

    template = "%(expressions)s"
    output_field = TextField()

    def as_sql(self, compiler, connection, **extra_context):
        if connection.vendor != "postgresql":
            raise ValueError(f"{connection.vendor} does not format dates")
        column, params = compiler.compile(self.source_expressions[0])
        return f"to_char(({column} AT TIME ZONE 'UTC'), 'YYYY-MM-DD')", params


def dates_by_database(using: str) -> bool:
    """Whether ``UtcDate`` reads dates from the database ``using``: PostgreSQL, storing
    moments in UTC as Django does unless the database has a time zone of its own."""
    connection = connections[using]
    return connection.vendor == "postgresql" and connection.timezone is UTC


def _json(text: str | None) -> Any:
    if text == "[]":
        return []
    return None if text is None else loads(text)


_EMPTY_LIST = Fragment(b"[]")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _json_fragment(text: str | None) -> Fragment | None:
    # Stored JSON is not written as the exports write it (spaces, escapes), so it is
    # encoded again; as a fragment it holds no objects for the garbage collector.
    if text == "[]":
        return _EMPTY_LIST
    return None if text is None else fragment(loads(text))


class Reader:
    """Reads rows for one export from the database the claims come from."""

    def __init__(self, using: str) -> None:
        self.connection = connections[using]
        self.timezone = self.connection.timezone
        self._utc = self.timezone is UTC
        # Moments are formatted by the database when what it stores is in UTC, which
        # is how Django stores them unless the database has a time zone of its own, and
        # when it does that better than ``moment`` (see ``iso_sql``).
        self.formats_moments = self._utc and iso_sql("column", self.connection.vendor) is not None
        self._usernames: dict[int | None, str] = {}
        self._statements: dict[Hashable, _Statement | None] = {}

    def moment(self, value: str | datetime | None) -> str | None:
        """A stored date and time as the exports write it: ``isoformat()`` of the value
        Django would read (aware, in the connection's time zone).

        SQLite hands over the text Django stored, ``YYYY-MM-DD HH:MM:SS[.ffffff]`` in
        UTC, which becomes ``YYYY-MM-DDTHH:MM:SS[.ffffff]+00:00`` without parsing;
        anything else (another time zone, other text, a driver's ``datetime``, an
        ``int`` of microseconds since the epoch) is read as Django reads it.
        """
        if value.__class__ is int:
            # Microseconds since the epoch (see ``history_summary``).
            value = _EPOCH + timedelta(microseconds=value)
            if self.timezone is not None:
                value = value.astimezone(self.timezone)
        elif value.__class__ is str:
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
        write it) and its user's username.

        One query reads the three columns that decide it of every record; counting and
        picking the latest per claim here took a fraction of what ranking the records in
        the database took (a window over the union, sorted per claim). Records made at
        the same moment are ordered sources, verdicts, claim, then by their own order.
        """
        quote = self.connection.ops.quote_name

        # Each record's moment as something that sorts as the moments do and that
        # neither the driver nor Django parses: SQLite's text as stored (as the database
        # compares it), PostgreSQL's microseconds since the epoch (exact, extract() is
        # numeric since PostgreSQL 14, the oldest Django supports; cheaper for it than
        # formatting every record; only each claim's latest is formatted, here); else as
        # the driver hands it over.
        vendor = self.connection.vendor
        if vendor == "sqlite":
            when = "CAST(history_date AS text)"
        elif vendor == "postgresql":
            when = "(extract(epoch FROM history_date) * 1000000)::bigint"
        else:
            when = "history_date"
        parts, params = [], []
        for stream, (model, claim_column) in enumerate(
            ((Claim, "id"), (Verdict, "claim_id"), (Source, "claim_id"))
        ):
            table = quote(model.history.model._meta.db_table)
            condition, values = among_sql(quote(claim_column), ids)
            # Only quoted names from the models go into the text; values are parameters.
            parts.append(
                f"SELECT {quote(claim_column)}, {when}, {stream}, history_id, history_user_id "  # noqa: S608
                f"FROM {table} WHERE {condition}"
            )
            params += values
        with self.connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), params)
            records = cursor.fetchall()
        latest: dict[int, list[Any]] = {}
        for claim_id, made, stream, history_id, user_id in records:
            key = (made, stream, history_id)
            found = latest.get(claim_id)
            if found is None:
                latest[claim_id] = [1, key, user_id]
            else:
                found[0] += 1
                if key > found[1]:
                    found[1] = key
                    found[2] = user_id
        names = self.usernames({found[2] for found in latest.values()})
        moment = self.moment
        return {
            claim_id: (total, moment(key[0]), names.get(user_id))
            for claim_id, (total, key, user_id) in latest.items()
        }

    def usernames(self, ids: Iterable[int | None]) -> dict[int | None, str]:
        """Usernames by user id, read once per export: a handful of people make the
        history of thousands of claims."""
        missing = [pk for pk in ids if pk is not None and pk not in self._usernames]
        if missing:
            user = get_user_model()
            self._usernames.update(
                user.objects.using(self.connection.alias)
                .filter(pk__in=missing)
                .values_list("pk", user.USERNAME_FIELD)
            )
        return self._usernames

    def tuples(
        self,
        queryset: QuerySet,
        fields: Sequence[str | Expression],
        *,
        moments: Collection[str] = (),
        chunk_size: int | None = None,
        fragments: bool = False,
    ) -> Iterator[Sequence[Any]]:
        """``queryset.values_list(*fields)``, with the ``moments`` among the fields as
        text (see ``moment``) and the JSON fields decoded, or with ``fragments`` as JSON
        fragments for a format that only writes them."""
        columns, decoded, timed = self._plan(fields, moments)
        values = queryset.values_list(*columns)
        rows = values.iterator(chunk_size) if chunk_size else iter(values)
        return self._finished(rows, decoded, timed, fragments)

    def tuples_among(
        self,
        build: Callable[[Q], QuerySet],
        field: str,
        ids: list[int],
        fields: Sequence[str | Expression],
        *,
        moments: Collection[str] = (),
        fragments: bool = False,
    ) -> Iterator[Sequence[Any]]:
        """``tuples(build(among_ids(field, ids)), fields, ...)``, for a query run once
        per chunk of an export: Django builds its statement once, for the first chunk,
        and later chunks run it with their own range of ids. Building it every time
        cost a twentieth of a native export. ``build`` must give the same query for the
        same condition (its identity keys the statement)."""
        bounds = id_range(ids)
        key = (build, field, tuple(fields), tuple(moments), fragments)
        # Sparse ids (an IN list, different every time) are asked for by a new query.
        statement = self._statements.get(key, _UNKNOWN) if bounds else None
        if statement is _UNKNOWN:
            columns, decoded, timed = self._plan(fields, moments)
            stand_ins = Q(**{f"{field}__gte": _LOW, f"{field}__lte": _HIGH})
            statement = self._statements[key] = _Statement.of(
                build(stand_ins).values_list(*columns), (decoded, timed)
            )
        if statement is None or bounds is None:
            queryset = build(among_ids(field, ids))
            return self.tuples(queryset, fields, moments=moments, fragments=fragments)
        decoded, timed = statement.plan
        return self._finished(iter(statement.run(*bounds)), decoded, timed, fragments)

    def _plan(
        self, fields: Sequence[str | Expression], moments: Collection[str]
    ) -> tuple[list[Any], list[int], list[int]]:
        """The columns to select for ``fields``, and which of them ``_converted`` decodes
        as JSON and formats as moments."""
        # By the field's own name: ``snapshots__suggestions`` is JSON as ``suggestions`` is.
        names = [name if isinstance(name, str) else "" for name in fields]
        json = [name.rpartition("__")[2] in JSON_FIELDS for name in names]
        formatted = _Iso if self.formats_moments else _Stored
        columns = [
            formatted(name) if name in moments else _unconverted(name) if decode else field
            for name, field, decode in zip(names, fields, json, strict=True)
        ]
        decoded = [index for index, decode in enumerate(json) if decode]
        timed = (
            []
            if self.formats_moments
            else [index for index, name in enumerate(names) if name in moments]
        )
        return columns, decoded, timed

    def _finished(
        self, rows: Iterator[Sequence[Any]], decoded: list[int], timed: list[int], fragments: bool
    ) -> Iterator[Sequence[Any]]:
        if not decoded and not timed:
            return rows
        return self._converted(rows, decoded, timed, _json_fragment if fragments else _json)

    def _converted(
        self,
        rows: Iterator[Sequence[Any]],
        decoded: list[int],
        timed: list[int],
        decode: Callable[[str | None], Any],
    ) -> Iterator[tuple[Any, ...]]:
        moment = self.moment
        for values in rows:
            row = list(values)
            for index in decoded:
                row[index] = decode(row[index])
            for index in timed:
                row[index] = moment(row[index])
            # A tuple of plain values, unlike a list, is soon no more tracked by the
            # garbage collector, which would otherwise go through every row of a chunk.
            yield tuple(row)


# Stand-ins for a chunk's lowest and highest id while Django writes a statement: ids
# are positive, so no other parameter of the query takes either value.
_LOW = -7_300_000_000_000_000_001
_HIGH = -7_300_000_000_000_000_002
_UNKNOWN: Any = object()


@dataclass
class _Statement:
    """A ``values_list`` query as Django wrote it, with the places of the id range among
    its parameters and the converters Django applies to its rows."""

    sql: str
    params: list[Any]
    low_at: int
    high_at: int
    compiler: Any
    converters: Any
    plan: tuple[list[int], list[int]]

    @classmethod
    def of(cls, values: QuerySet, plan: tuple[list[int], list[int]]) -> _Statement | None:
        """The statement of ``values``, or ``None`` when Django writes it some other way
        than with each stand-in once among its parameters."""
        compiler = values.query.get_compiler(using=values.db)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            return None
        params = list(params)
        if params.count(_LOW) != 1 or params.count(_HIGH) != 1:
            return None
        # As ``SQLCompiler.results_iter`` converts the values of the selected columns.
        converters = compiler.get_converters([column for column, _, _ in compiler.select])
        return cls(sql, params, params.index(_LOW), params.index(_HIGH), compiler, converters, plan)

    def run(self, low: int, high: int) -> list[tuple[Any, ...]]:
        params = list(self.params)
        params[self.low_at] = low
        params[self.high_at] = high
        with self.compiler.connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        if self.converters:
            return [tuple(row) for row in self.compiler.apply_converters(rows, self.converters)]
        return rows


def walk(
    *,
    documents: QuerySet[Document],
    claims: QuerySet[Claim],
    list_empty_documents: bool,
    projects: dict[int, dict[str, Any]],
    claim_fields: Sequence[str | Expression],
    moments: Collection[str] = (),
    related: Callable[[Reader, list[Sequence[Any]]], Any] | None = None,
    document_fields: Sequence[str] = DOCUMENT_FIELDS,
    text: bool = False,
    fragments: bool = False,
) -> Iterator[DocumentStart | ClaimChunk]:
    """Documents in id order, each followed by its claims in reading order.

    A claim is a tuple of its id, its document's id and ``claim_fields`` (see
    ``Reader.tuples``); ``related(reader, chunk)`` reads what the format needs about a
    chunk of claims, handed over with each of the chunk's ``ClaimChunk`` items. ``text``
    adds each document's text.

    Both streams are ordered by document id, so they are merged without holding either.
    Claims whose document is no longer there (deleted during the export) are skipped.
    """
    document_rows = documents.order_by("pk").values(*document_fields).iterator(100)
    pending = next(document_rows, None)
    current: dict[str, Any] | None = None
    reader = Reader(claims.db)
    texts = _Texts(documents.db) if text else None
    chunk_size = CHUNK_SIZE
    claim_rows = reader.tuples(
        claims.order_by("document_id", "position", "pk"),
        ("id", "document_id", *claim_fields),
        moments=moments,
        chunk_size=chunk_size,
        fragments=fragments,
    )
    while chunk := list(islice(claim_rows, chunk_size)):
        found = related(reader, chunk) if related is not None else None
        if texts is not None:
            texts.expect(dict.fromkeys(row[1] for row in chunk))
        for document_id, group in groupby(chunk, key=itemgetter(1)):
            if current is None or current["id"] != document_id:
                while pending is not None and pending["id"] < document_id:
                    if list_empty_documents:
                        yield DocumentStart(_complete(pending, projects, texts))
                    pending = next(document_rows, None)
                if pending is None or pending["id"] != document_id:
                    continue
                current = _complete(pending, projects, texts)
                pending = next(document_rows, None)
                yield DocumentStart(current)
            yield ClaimChunk(current, list(group), found)
    while list_empty_documents and pending is not None:
        yield DocumentStart(_complete(pending, projects, texts))
        pending = next(document_rows, None)


def _complete(
    row: dict[str, Any], projects: dict[int, dict[str, Any]], texts: _Texts | None
) -> dict[str, Any]:
    row["project"] = projects[row["project_id"]]
    if texts is not None:
        row["text"] = texts.get(row["id"])
    return row


# Documents whose texts are read in one query, at most: a text may be megabytes, and
# those read ahead are held until their documents are written.
TEXTS_AHEAD = 8


class _Texts:
    """Documents' texts, read when their documents' claims come, a few documents in one
    query: a query per document cost a round trip each, a tenth of a native export on
    PostgreSQL. The statements are written here rather than built by Django for each of
    hundreds of documents."""

    def __init__(self, using: str) -> None:
        self.connection = connections[using]
        quote = self.connection.ops.quote_name
        meta = Document._meta
        self.head = (
            f"SELECT {quote(meta.pk.column)}, {quote(meta.get_field('text').column)} "  # noqa: S608 (names from the model)
            f"FROM {quote(meta.db_table)} WHERE {quote(meta.pk.column)}"
        )
        self.upcoming: list[int] = []
        self.ahead: dict[int, str] = {}

    def expect(self, pks: Iterable[int]) -> None:
        """The documents whose texts are asked for next, in order (a chunk's)."""
        self.upcoming = list(pks)

    def get(self, pk: int) -> str:
        text = self.ahead.pop(pk, None)
        if text is None:
            # This document and the next few of the chunk's, if it is one of them.
            at = self.upcoming.index(pk) if pk in self.upcoming else len(self.upcoming)
            wanted = [pk, *self.upcoming[at + 1 : at + TEXTS_AHEAD]]
            self.ahead = self._read(wanted)
            text = self.ahead.pop(pk, None)
        if text is None:
            raise Document.DoesNotExist(f"Document {pk} was deleted during the export.")
        return text

    def _read(self, pks: list[int]) -> dict[int, str]:
        condition = " = %s" if len(pks) == 1 else f" IN ({', '.join(['%s'] * len(pks))})"
        with self.connection.cursor() as cursor:
            cursor.execute(self.head + condition, pks)
            return dict(cursor.fetchall())


def among_ids(field: str, ids: list[int]) -> Q:
    """Selects the rows whose ``field`` is one of ``ids`` (claim ids of a chunk, a page),
    and possibly others: the caller skips rows of ids it did not ask for.

    Claims cut from a document together have consecutive ids, so dense ids are selected
    by their range; sparse ones by the ids themselves. A range costs the database nothing
    more through an index, while Django prepares an ``IN`` list value by value, which
    cost more than reading the rows.
    """
    bounds = id_range(ids)
    if bounds is not None:
        return Q(**{f"{field}__gte": bounds[0], f"{field}__lte": bounds[1]})
    return Q(**{f"{field}__in": ids})


def id_range(ids: list[int]) -> tuple[int, int] | None:
    """The lowest and highest of ``ids`` when they are dense enough to be selected by
    their range (see ``among_ids``), else ``None``."""
    low, high = min(ids), max(ids)
    return (low, high) if high - low < 2 * len(ids) else None


def among_sql(column: str, ids: list[int]) -> tuple[str, list[int]]:
    """As ``among_ids``, for SQL written by hand: the condition on the quoted ``column``
    and its parameters."""
    bounds = id_range(ids)
    if bounds is not None:
        return f"{column} BETWEEN %s AND %s", list(bounds)
    return f"{column} IN ({', '.join(['%s'] * len(ids))})", list(ids)


def claim_ids(chunk: list[Sequence[Any]]) -> list[int]:
    return [row[0] for row in chunk]


def sources_by_claim(
    reader: Reader, ids: list[int], fields: Sequence[str]
) -> dict[int, list[Sequence[Any]]]:
    """The ``fields`` (columns of the sources' own table) of the sources not in the trash
    of the claims ``ids``, by claim, in the order a claim shows them.

    The statement is written here from the model's metadata: Django building a query
    for every chunk of claims cost more than the database running it.
    """
    quote = reader.connection.ops.quote_name
    meta = Source._meta

    def column(name: str) -> str:
        return quote(meta.get_field(name).column)

    condition, params = among_sql(column("claim"), ids)
    # Only quoted names from the model go into the text; values are parameters.
    sql = (
        f"SELECT {column('claim')}, {', '.join(column(name) for name in fields)} "  # noqa: S608
        f"FROM {quote(meta.db_table)} WHERE {condition} AND {column('deleted_at')} IS NULL "
        f"ORDER BY {column('claim')}, {column('created_at')}, {column('id')}"
    )
    found: dict[int, list[Sequence[Any]]] = {claim_id: [] for claim_id in ids}
    with reader.connection.cursor() as cursor:
        cursor.execute(sql, params)
        for row in cursor.fetchall():
            if row[0] in found:
                found[row[0]].append(row)
    return found


def final_verdict(field: str) -> Case:
    """A column of the claim's final verdict (or, as ``rating__value``, of a model it
    points to), null unless that verdict is live and the claim's own: a final verdict
    moved to the trash is no final verdict for an export."""
    model, *path, name = [Verdict, *field.split("__")]
    for step in path:
        model = model._meta.get_field(step).related_model
    return Case(
        When(
            final_verdict__deleted_at__isnull=True,
            final_verdict__claim_id=F("pk"),
            then=F(f"final_verdict__{field}"),
        ),
        default=None,
        # The column's own field: converted as the column itself would be (an id, a text
        # not at all), rather than cast value by value as a number expression would be.
        output_field=model._meta.get_field(name),
    )
