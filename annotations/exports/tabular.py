"""CSV: one row per claim, for spreadsheets.

UTF-8 with a byte order mark so that Excel reads Cyrillic correctly, written by the
``csv`` module. Column names and machine values (kind, status, rating) are stable English
identifiers; the ``*_label`` columns are in the project's language. Source URLs are
joined with a space, which a URL never contains.

Cells are separated by commas, or by semicolons where numbers are written with a decimal
comma (Russian, German, French...): a spreadsheet set to such a language splits a line at
semicolons and would read a comma-separated file as one column. ``delimiter`` chooses.
With semicolons, fractions (a check-worthiness of 0.8) are written with a decimal comma,
``0,8``, which such a spreadsheet reads as a number where it would read ``0.8`` as text
(or as a date); with commas they keep the point.

The formula guard: a spreadsheet runs a cell that starts with ``=`` or ``@`` as a formula,
and one that starts with ``+`` or ``-`` as well when a function call (``+HYPERLINK(…)``)
or a link to another program (``-cmd|…``) follows; tabs and carriage returns before them
are skipped. Such a text cell gets a leading apostrophe, which spreadsheets show as text
and hide. Any other cell is written as it is: a claim that starts with ``-5%`` or a phone
number ``+7 (495) …`` is data, and stays the same.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from django.utils import translation
from django.utils.formats import get_format

from ..models import ClaimKind, ClaimStatus, Rating
from .rows import DocumentStart, Fields, RatingBook, Walk, by_claim, final_verdict, live_sources

BOM = "\ufeff"
DELIMITERS = (",", ";")
# What a spreadsheet runs, after any tabs and carriage returns (see the module's text).
_ALWAYS_RUN = ("=", "@")
_SIGNS = ("+", "-")
_CALL_OR_LINK = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*\(|\|")

# What a row is made of, besides its document and the claim's sources.
CLAIM_FIELDS = Fields(
    id="id",
    start="start",
    end="end",
    text="text",
    kind="kind",
    checkworthiness="checkworthiness",
    status="status",
    assignee="assignee__username",
    rating_id=final_verdict("rating_id"),
    rationale=final_verdict("rationale"),
)


@dataclass(frozen=True)
class Row:
    """What the cells of one claim's row are made from."""

    document: dict[str, Any]
    claim: dict[str, Any]
    language: str
    rating: Rating | None
    source_urls: list[str]


def runs_as_formula(value: str) -> bool:
    """Whether a spreadsheet would run ``value`` as a formula that calls something."""
    head = value.lstrip("\t\r")
    if head.startswith(_ALWAYS_RUN):
        return True
    return head.startswith(_SIGNS) and _CALL_OR_LINK.search(head) is not None


def guarded(value: str | None) -> str:
    """``value`` with an apostrophe before it when a spreadsheet would run it."""
    if not value:
        return ""
    return "'" + value if runs_as_formula(value) else value


def default_delimiter(language: str) -> str:
    """``;`` for a language that writes numbers with a decimal comma, else ``,``."""
    return ";" if get_format("DECIMAL_SEPARATOR", lang=language, use_l10n=True) == "," else ","


@cache
def _choice_labels(language: str) -> tuple[dict[str, str], dict[str, str]]:
    with translation.override(language):
        kinds = {value: str(label) for value, label in ClaimKind.choices}
        statuses = {value: str(label) for value, label in ClaimStatus.choices}
    return kinds, statuses


def _kind_label(row: Row) -> str:
    kind = row.claim["kind"]
    return _choice_labels(row.language)[0].get(kind, kind)


def _status_label(row: Row) -> str:
    status = row.claim["status"]
    return _choice_labels(row.language)[1].get(status, status)


# The columns in order, each with how its cell is made. The labels of kinds, statuses
# and ratings are not guarded: they are the project's own words, never a reader's.
COLUMNS: dict[str, Callable[[Row], Any]] = {
    "document_id": lambda row: row.document["id"],
    "document_title": lambda row: guarded(row.document["title"]),
    "document_version": lambda row: row.document["version_number"],
    "document_previous_version": lambda row: row.document["previous_version_id"],
    "claim_id": lambda row: row.claim["id"],
    "start": lambda row: row.claim["start"],
    "end": lambda row: row.claim["end"],
    "text": lambda row: guarded(row.claim["text"]),
    "kind": lambda row: row.claim["kind"],
    "kind_label": _kind_label,
    "checkworthiness": lambda row: row.claim["checkworthiness"],
    "status": lambda row: row.claim["status"],
    "status_label": _status_label,
    "rating": lambda row: row.rating and row.rating.value,
    "rating_label": lambda row: row.rating and guarded(row.rating.display_label(row.language)),
    "rating_numeric_value": lambda row: row.rating and row.rating.numeric_value,
    "rationale": lambda row: guarded(row.claim["rationale"]),
    "source_urls": lambda row: " ".join(row.source_urls),
    "assignee": lambda row: guarded(row.claim["assignee"]),
}


def csv_stream(
    walk: Walk, *, ratings: RatingBook, language: str | None, delimiter: str
) -> Iterator[str]:
    """Yield the CSV text in pieces: the header, then a chunk of rows at a time."""
    yield BOM + _lines([list(COLUMNS)], delimiter)
    cells = list(COLUMNS.values())
    number = _with_decimal_comma if delimiter == ";" else _as_is
    for item in walk(claim_fields=CLAIM_FIELDS, related=_source_urls):
        if isinstance(item, DocumentStart):
            continue
        code = language or item.document["project"]["language"]
        lines = []
        for values in item.claims:
            claim = CLAIM_FIELDS.record(values)
            rating_id = claim["rating_id"]
            row = Row(
                document=item.document,
                claim=claim,
                language=code,
                rating=ratings.get(rating_id) if rating_id is not None else None,
                source_urls=item.related[claim["id"]],
            )
            lines.append([number(cell(row)) for cell in cells])
        yield _lines(lines, delimiter)


def _as_is(value: Any) -> Any:
    return value


def _with_decimal_comma(value: Any) -> Any:
    """A fraction as a decimal-comma spreadsheet reads it (``0,8``); any other cell as it
    is, text included: only numbers the export computes change, never a reader's words."""
    if isinstance(value, float | Decimal):
        return str(value).replace(".", ",")
    return value


def _lines(rows: list[list[Any]], delimiter: str) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    return buffer.getvalue()


def _source_urls(ids: list[int]) -> dict[int, list[str]]:
    found = by_claim(ids, live_sources(ids, "url"))
    return {claim_id: [url for _id, url in urls] for claim_id, urls in found.items()}
