"""CSV: one row per claim, for spreadsheets.

UTF-8 with a byte order mark so that Excel reads Cyrillic correctly; the cells are those
of ``csv_cells``. Source URLs are joined with a space, which a URL never contains. On
PostgreSQL the database writes the rows itself (``csv_copy``), streamed as it writes
them; elsewhere the ``csv`` module writes the rows read a chunk at a time. Both write
the same bytes.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from typing import Any

from django.db import connections

from . import rows
from .csv_cells import BOM, COLUMNS, choice_labels, guarded
from .csv_copy import copied_rows, copies_csv
from .rows import DocumentStart, RatingBook

# The claim columns the rows are made of, after the claim's and its document's ids.
CLAIM_FIELDS = (
    "start",
    "end",
    "text",
    "kind",
    "checkworthiness",
    "status",
    "assignee__username",
    rows.final_verdict("rating_id"),
    rows.final_verdict("rationale"),
)
NO_RATING = ("", "", "")


def csv_stream(walk: rows.Walk, *, ratings: RatingBook, language: str | None) -> Iterator[str]:
    """Yield the CSV text in pieces: the header, then a chunk of rows at a time."""
    buffer = io.StringIO()
    csv.writer(buffer).writerow(COLUMNS)
    yield BOM + _take(buffer)
    scope = rows.scope_of(walk)
    if scope is not None and copies_csv(connections[scope.claims.db]):
        yield from copied_rows(scope, language=language)
    else:
        yield from written_rows(walk, ratings=ratings, language=language)


def written_rows(walk: rows.Walk, *, ratings: RatingBook, language: str | None) -> Iterator[str]:
    """The rows as the ``csv`` module writes them, a chunk of claims at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    labels: dict[str, _Labels] = {}
    for item in walk(claim_fields=CLAIM_FIELDS, related=_source_urls):
        if isinstance(item, DocumentStart):
            continue
        code = language or item.document["project"]["language"]
        if code not in labels:
            labels[code] = _Labels(code, ratings)
        kinds, statuses, rating = labels[code].kinds, labels[code].statuses, labels[code].rating
        document_id = item.document["id"]
        title = guarded(item.document["title"])
        urls = item.related
        # Rows straight from the fetched tuples: the csv module takes any iterable.
        writer.writerows(
            (
                document_id,
                title,
                claim_id,
                start,
                end,
                guarded(text),
                kind,
                kinds.get(kind, kind),
                checkworthiness,
                status,
                statuses.get(status, status),
                *rating(rating_id),
                guarded(rationale) if rationale else "",
                urls[claim_id],
                guarded(assignee) if assignee else "",
            )
            for (
                claim_id,
                _document_id,
                start,
                end,
                text,
                kind,
                checkworthiness,
                status,
                assignee,
                rating_id,
                rationale,
            ) in item.claims
        )
        yield _take(buffer)


def _source_urls(reader: rows.Reader, chunk: list[Sequence[Any]]) -> dict[int, str]:
    found = rows.sources_by_claim(reader, rows.claim_ids(chunk), ("url",))
    return {claim_id: " ".join(url for _id, url in urls) for claim_id, urls in found.items()}


def _take(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


class _Labels:
    """The human labels of one language: kinds, statuses and the rating cells."""

    def __init__(self, language: str, ratings: RatingBook) -> None:
        self.language = language
        self.ratings = ratings
        self.kinds, self.statuses = choice_labels(language)
        self._cells: dict[int | None, tuple[str, str, int | str]] = {None: NO_RATING}

    def rating(self, rating_id: int | None) -> tuple[str, str, int | str]:
        """The rating, its label and its numeric value as cells."""
        cells = self._cells.get(rating_id)
        if cells is None:
            rating = self.ratings.get(rating_id)
            numeric = rating.numeric_value
            cells = self._cells[rating_id] = (
                rating.value,
                guarded(rating.display_label(self.language)),
                numeric if numeric is not None else "",
            )
        return cells
