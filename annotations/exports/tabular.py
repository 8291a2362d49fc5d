"""CSV: one row per claim, for spreadsheets.

UTF-8 with a byte order mark so that Excel reads Cyrillic correctly; the cells are those
of ``csv_cells``. Source URLs are joined with a space, which a URL never contains. On
PostgreSQL the database writes the rows itself (``csv_copy``), streamed as it writes
them; elsewhere they are written here from the rows read a chunk at a time, quoted as
``csv_cells.quoted`` quotes them. Both write the bytes the ``csv`` module writes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from django.db import connections

from . import rows
from .csv_cells import BOM, COLUMNS, choice_labels, line, quoted, text_cell
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


def csv_stream(walk: rows.Walk, *, ratings: RatingBook, language: str | None) -> Iterator[str]:
    """Yield the CSV text in pieces: the header, then a chunk of rows at a time."""
    yield BOM + line(COLUMNS)
    scope = rows.scope_of(walk)
    if scope is not None and copies_csv(connections[scope.claims.db]):
        yield from copied_rows(scope, language=language)
    else:
        yield from written_rows(walk, ratings=ratings, language=language)


def written_rows(walk: rows.Walk, *, ratings: RatingBook, language: str | None) -> Iterator[str]:
    """The rows, a chunk of claims at a time.

    A cell that many rows share (a label, a rating, an assignee) is written once per
    export; each row is then one formatted string.
    """
    labels: dict[str, _Labels] = {}
    assignees = _Cells(text_cell)
    for item in walk(claim_fields=CLAIM_FIELDS, related=_source_urls):
        if isinstance(item, DocumentStart):
            continue
        code = language or item.document["project"]["language"]
        if code not in labels:
            labels[code] = _Labels(code, ratings)
        kinds, statuses, rated = labels[code].kinds, labels[code].statuses, labels[code].rated
        document = f"{item.document['id']},{text_cell(item.document['title'])}"
        urls = item.related
        yield "".join(
            [
                f"{document},{claim_id},{start},{end},{text_cell(text)},{kinds[kind]},"
                f"{checkworthiness},{statuses[status]},{rated[rating_id]},"
                f"{text_cell(rationale)},{urls[claim_id]},{assignees[assignee]}\r\n"
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
            ]
        )


def _source_urls(reader: rows.Reader, chunk: list[Sequence[Any]]) -> dict[int, str]:
    found = rows.sources_by_claim(reader, rows.claim_ids(chunk), ("url",))
    return {
        claim_id: quoted(" ".join(url for _id, url in urls)) for claim_id, urls in found.items()
    }


class _Cells(dict):
    """Written cells by value, each made by ``make`` the first time it is asked for."""

    def __init__(self, make: Callable[[Any], str]) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, value: Any) -> str:
        cell = self[value] = self.make(value)
        return cell


class _Labels:
    """The cells of one language: a kind or a status with its label, a rating with its
    label and numeric value, each as the written cells joined by commas."""

    def __init__(self, language: str, ratings: RatingBook) -> None:
        self.language = language
        self.ratings = ratings
        kinds, statuses = choice_labels(language)
        self.kinds = _Cells(lambda kind: _with_label(kind, kinds))
        self.statuses = _Cells(lambda status: _with_label(status, statuses))
        self.rated = _Cells(self._rating)
        self.rated[None] = ",,"

    def _rating(self, rating_id: int) -> str:
        rating = self.ratings.get(rating_id)
        numeric = rating.numeric_value
        return (
            f"{quoted(rating.value)},{text_cell(rating.display_label(self.language))},"
            f"{numeric if numeric is not None else ''}"
        )


def _with_label(value: str, labels: dict[str, str]) -> str:
    # Neither is guarded: both are the project's own words, never a reader's.
    return f"{quoted(value)},{quoted(labels.get(value, value))}"
