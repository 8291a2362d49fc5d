"""CSV: one row per claim, for spreadsheets.

UTF-8 with a byte order mark so that Excel reads Cyrillic correctly; quoting by the
``csv`` module. Column names and machine values (kind, status, rating) are stable
English identifiers; the ``*_label`` columns are in the project's language. Source URLs
are joined with a space, which a URL never contains. A text cell that a spreadsheet
would take for a formula (starting with ``=``, ``+``, ``-``, ``@``) gets a leading
apostrophe, the usual guard against formula injection.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from django.utils import translation

from ..models import ClaimKind, ClaimStatus
from .rows import ClaimChunk, DocumentStart, RatingBook

BOM = "\ufeff"
COLUMNS = (
    "document_id",
    "document_title",
    "claim_id",
    "start",
    "end",
    "text",
    "kind",
    "kind_label",
    "checkworthiness",
    "status",
    "status_label",
    "rating",
    "rating_label",
    "rating_numeric_value",
    "rationale",
    "source_urls",
    "assignee",
)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_stream(
    items: Iterator[DocumentStart | ClaimChunk], *, ratings: RatingBook, language: str | None
) -> Iterator[str]:
    """Yield the CSV text in pieces: the header, then a chunk of rows at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    yield BOM + _take(buffer)
    labels: dict[str, dict[str, str]] = {}
    for item in items:
        if isinstance(item, DocumentStart):
            continue
        code = language or item.document["project"]["language"]
        if code not in labels:
            labels[code] = _labels(code)
        for row in item.claims:
            writer.writerow(_row(row, item.document, ratings, code, labels[code]))
        yield _take(buffer)


def _take(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def _labels(language: str) -> dict[str, str]:
    # Evaluated here, outside any yield, so the caller's active language is untouched.
    with translation.override(language):
        return {
            **{f"kind:{value}": str(label) for value, label in ClaimKind.choices},
            **{f"status:{value}": str(label) for value, label in ClaimStatus.choices},
        }


def _cell(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def _row(
    row: dict[str, Any],
    document: dict[str, Any],
    ratings: RatingBook,
    language: str,
    labels: dict[str, str],
) -> list[Any]:
    final = row["final_verdict"]
    rating = ratings.get(final["rating_id"]) if final is not None else None
    return [
        document["id"],
        _cell(document["title"]),
        row["id"],
        row["start"],
        row["end"],
        _cell(row["text"]),
        row["kind"],
        labels.get(f"kind:{row['kind']}", row["kind"]),
        row["checkworthiness"],
        row["status"],
        labels.get(f"status:{row['status']}", row["status"]),
        rating.value if rating else "",
        _cell(rating.display_label(language)) if rating else "",
        rating.numeric_value if rating and rating.numeric_value is not None else "",
        _cell(final["rationale"]) if final else "",
        " ".join(source["url"] for source in row["sources"]),
        row["assignee_username"] or "",
    ]
