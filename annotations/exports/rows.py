"""Reading what an export needs, a chunk of claims at a time, through the ORM.

Every format walks the same stream: a document, then its claims in chunks of at most
``CHUNK_SIZE``. A format declares the fields it writes (``Fields``: the name it writes
each under and where the value comes from) and reads what else it needs about a chunk
(sources, verdicts, history) with a query each, so memory depends on the chunk size and
not on the size of the export; a document's text is read only while that document is
being written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import groupby, islice
from operator import itemgetter
from typing import Any

from django.db.models import Case, Expression, F, QuerySet, Value, When

from ..models import Claim, Document, Project, Rating, Source, Verdict
from ..services.scales import claimreview_rating

# Claims per chunk: few enough to hold, enough that the queries per chunk cost little.
CHUNK_SIZE = 500
# Documents whose texts are read in one query, at most: a text may be megabytes, and
# those read ahead are held until their documents are written.
TEXTS_AHEAD = 8

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
    "author_type",
    "published_on",
    "sha256",
    "status",
    "created_at",
    "version_number",
    "previous_version_id",
)


class Fields:
    """What a format writes of a row, declared once: each name it writes, in order, with
    the model field (a path such as ``assignee__username``), the expression, or the
    nested ``Fields`` the value comes from.

    ``read`` selects those values from a queryset, ``record`` makes the written dict of
    one of its rows.
    """

    def __init__(self, **fields: str | Expression | Fields) -> None:
        self.fields = fields
        # Where each value is found in a row, for the many flat records of an export (an
        # itemgetter of two keys or more gives a tuple).
        flat = len(fields) > 1 and not any(isinstance(f, Fields) for f in fields.values())
        self._names = tuple(fields)
        self._keys = (
            itemgetter(*(f if isinstance(f, str) else _alias(n) for n, f in fields.items()))
            if flat
            else None
        )

    def _columns(self, prefix: str = "") -> Iterator[tuple[str, str | Expression]]:
        for name, source in self.fields.items():
            if isinstance(source, Fields):
                yield from source._columns(f"{prefix}{name}.")
            else:
                yield f"{prefix}{name}", source

    def read(self, queryset: QuerySet, *extra: str) -> QuerySet:
        """``queryset.values()`` of these fields (and the ``extra`` paths): a model
        field under its path, an expression under the name written."""
        paths = [source for _name, source in self._columns() if isinstance(source, str)]
        expressions = {
            _alias(name): source for name, source in self._columns() if not isinstance(source, str)
        }
        return queryset.values(*dict.fromkeys([*extra, *paths]), **expressions)

    def record(self, row: dict[str, Any], prefix: str = "") -> dict[str, Any]:
        """The written dict of a row ``read`` gave."""
        if self._keys is not None and not prefix:
            return dict(zip(self._names, self._keys(row), strict=True))
        record = {}
        for name, source in self.fields.items():
            if isinstance(source, Fields):
                record[name] = source.record(row, f"{prefix}{name}.")
            elif isinstance(source, str):
                record[name] = row[source]
            else:
                record[name] = row[_alias(f"{prefix}{name}")]
        return record


def _alias(name: str) -> str:
    # An expression's column is named for what it is written as, out of the way of the
    # model's own field names.
    return "written_" + name.replace(".", "_")


@dataclass(frozen=True)
class DocumentStart:
    """A document begins; its claims follow in ``ClaimChunk`` items."""

    document: dict[str, Any]


@dataclass(frozen=True)
class ClaimChunk:
    """Consecutive claims of one document (rows of the format's ``Fields``), with what
    the format's ``related`` read for the whole chunk of claims they were read in."""

    document: dict[str, Any]
    claims: list[dict[str, Any]]
    related: Any


# ``walk`` with the export's documents and claims given: the format passes the rest.
Walk = Callable[..., Iterator[DocumentStart | ClaimChunk]]


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
            "public_base_url",
            "rating_scale_id",
        )
    }


class RatingBook:
    """Ratings by id, read once per export: a scale has a handful of them."""

    def __init__(self) -> None:
        self._ratings: dict[int, Rating] = {}
        self._claimreview: dict[tuple[int, str | None], dict[str, Any]] = {}

    def get(self, pk: int) -> Rating:
        if pk not in self._ratings:
            self._ratings[pk] = Rating.objects.select_related("scale").get(pk=pk)
        return self._ratings[pk]

    def claimreview(self, pk: int, language: str | None = None) -> dict[str, Any]:
        """The rating as ClaimReview's ``reviewRating``, named in ``language``."""
        if (pk, language) not in self._claimreview:
            self._claimreview[(pk, language)] = claimreview_rating(self.get(pk), language)
        return self._claimreview[(pk, language)]

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
    claim_fields: Fields,
    related: Callable[[list[int]], Any] | None = None,
    document_fields: Sequence[str] = DOCUMENT_FIELDS,
    text: bool = False,
) -> Iterator[DocumentStart | ClaimChunk]:
    """Documents in id order, each followed by its claims in reading order.

    A claim is a row of ``claim_fields`` (see ``Fields.read``); ``related(claim_ids)``
    reads what the format needs about a chunk of claims, handed over with each of the
    chunk's ``ClaimChunk`` items. ``text`` adds each document's text.

    Both streams are ordered by document id, so they are merged without holding either.
    Claims whose document is no longer there (deleted during the export) are skipped.
    """
    document_rows = documents.order_by("pk").values(*document_fields).iterator(100)
    pending = next(document_rows, None)
    current: dict[str, Any] | None = None
    texts = _Texts(documents.db) if text else None
    claim_rows = (
        claim_fields.read(claims.order_by("document_id", "position", "pk"), "id", "document_id")
    ).iterator(CHUNK_SIZE)
    while chunk := list(islice(claim_rows, CHUNK_SIZE)):
        found = related([row["id"] for row in chunk]) if related is not None else None
        if texts is not None:
            texts.expect(dict.fromkeys(row["document_id"] for row in chunk))
        for document_id, group in groupby(chunk, key=lambda row: row["document_id"]):
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


class _Texts:
    """Documents' texts, read when their documents' claims come, a few documents in one
    query rather than a round trip each."""

    def __init__(self, using: str) -> None:
        self.using = using
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
            self.ahead = dict(
                Document.objects.using(self.using).filter(pk__in=wanted).values_list("pk", "text")
            )
            text = self.ahead.pop(pk, None)
        if text is None:
            raise Document.DoesNotExist(f"Document {pk} was deleted during the export.")
        return text


def live_sources(ids: list[int], *fields: str) -> QuerySet[Source]:
    """The sources not in the trash of the claims ``ids``, in the order a claim shows
    them, as ``values_list`` of the claim's id and ``fields``."""
    return (
        Source.objects.filter(claim_id__in=ids, deleted_at__isnull=True)
        .order_by("claim_id", "created_at", "id")
        .values_list("claim_id", *fields)
    )


def by_claim(ids: list[int], rows: Iterable[Sequence[Any]]) -> dict[int, list[Sequence[Any]]]:
    """Rows whose first value is a claim id, grouped by claim, every claim of ``ids``
    present."""
    found: dict[int, list[Sequence[Any]]] = {claim_id: [] for claim_id in ids}
    for row in rows:
        found[row[0]].append(row)
    return found


# The objects a claim's history covers, in the order records made at the same moment
# are read: the claim, its verdicts, its sources.
HISTORY_OBJECTS = ("claim", "verdict", "source")
# simple-history's record types, as an export names them.
HISTORY_TYPES = {"+": "created", "~": "changed", "-": "removed"}


def history_entries(ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """For each of the claims ``ids`` with history: its history records and those of its
    verdicts and sources (also those in the trash or removed), oldest first.

    An entry says when (``at``), who (``by``, a username or None), what (``object``, one
    of ``HISTORY_OBJECTS``, and ``object_id``), the kind of record (``type``: created,
    changed or removed) and the reason given. Records made at the same moment are
    ordered claim, verdicts, sources, then in the order they were made.
    """
    parts = [
        model.history.model.objects.filter(**{f"{column}__in": ids})
        .order_by()
        .values_list(
            column,
            "history_date",
            Value(order),
            "history_id",
            "id",
            "history_type",
            "history_user__username",
            "history_change_reason",
        )
        for order, (model, column) in enumerate(
            ((Claim, "id"), (Verdict, "claim_id"), (Source, "claim_id"))
        )
    ]
    records = sorted(parts[0].union(*parts[1:], all=True), key=itemgetter(0, 1, 2, 3))
    found: dict[int, list[dict[str, Any]]] = {}
    for claim_id, made, order, _history_id, object_id, kind, username, reason in records:
        found.setdefault(claim_id, []).append(
            {
                "at": made,
                "by": username,
                "object": HISTORY_OBJECTS[order],
                "object_id": object_id,
                "type": HISTORY_TYPES[kind],
                "reason": reason or "",
            }
        )
    return found


def final_verdict(field: str) -> Case:
    """A field of the claim's final verdict (or, as ``rating__value``, of a model it
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
        output_field=model._meta.get_field(name),
    )
