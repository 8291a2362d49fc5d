"""Exports of documents and claims: native JSON, ClaimReview, Web Annotation, CSV and
JSON Lines.

One entry point for every caller (API, command line, admin, UI)::

    chunks = export_stream(documents=..., claims=..., fmt="native")

The caller passes querysets it has already scoped through ``annotations.selectors``;
nothing here checks who may read what. The export is written as it is read, a chunk of
claims at a time, so memory stays flat however many claims there are. Claims, sources
and verdicts in the trash are left out.

``export_warnings`` tells, before streaming, what a reader of the export should know
(e.g. a ClaimReview ``claimReviewed`` longer than search engines show): the command line
prints the warnings to stderr, an HTTP response can carry ``warnings_header(...)``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial

from django.db.models import QuerySet
from django.db.models.functions import Length
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ..models import Claim, Document
from . import rows
from .claimreview import CLAIM_REVIEWED_MAX_CHARS, claimreview_stream, published_claims
from .native import SCHEMA_VERSION, jsonl_stream, native_stream
from .tabular import DELIMITERS, csv_stream, default_delimiter
from .webannotation import webannotation_stream

__all__ = [
    "DELIMITERS",
    "DELIMITER_NAMES",
    "FORMATS",
    "SCHEMA_VERSION",
    "ExportWarning",
    "content_type_for",
    "export_stream",
    "export_warnings",
    "filename_for",
    "warnings_header",
]

# The CSV delimiters by the names the command line and the API take.
DELIMITER_NAMES = {"comma": ",", "semicolon": ";"}
FORMATS = ("native", "claimreview", "webannotation", "csv", "jsonl")

_CONTENT_TYPES = {
    "native": "application/json",
    "claimreview": "application/ld+json",
    "webannotation": 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"',
    "csv": "text/csv; charset=utf-8",
    "jsonl": "application/jsonl; charset=utf-8",
}
_SUFFIXES = {
    "native": ".json",
    "claimreview": ".claimreview.jsonld",
    "webannotation": ".annotations.jsonld",
    "csv": ".csv",
    "jsonl": ".jsonl",
}


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise ValueError(
            _("Unknown export format “%(format)s”; choose one of %(formats)s.")
            % {"format": fmt, "formats": ", ".join(FORMATS)}
        )


def content_type_for(fmt: str) -> str:
    """The HTTP ``Content-Type`` of an export in ``fmt``."""
    _check_format(fmt)
    return _CONTENT_TYPES[fmt]


def filename_for(fmt: str, name: str) -> str:
    """An ASCII file name for an export of ``name`` (a document title, a project slug)."""
    _check_format(fmt)
    return (slugify(name)[:80].strip("-") or "export") + _SUFFIXES[fmt]


def export_stream(
    *,
    documents: QuerySet[Document] | None = None,
    claims: QuerySet[Claim] | None = None,
    fmt: str,
    language: str | None = None,
    base_url: str = "",
    snapshot_text: bool = False,
    delimiter: str | None = None,
) -> Iterator[str]:
    """The export as text chunks, to write out or stream as an HTTP response.

    ``documents`` exports those documents with their claims (documents without claims
    too); ``claims`` exports just those claims under their documents; with both, the
    claims among the documents. Both must already be scoped to what the reader may see.
    ``language`` chooses the language of human labels (default: each project's);
    machine values never change with it. ``base_url`` (e.g. ``https://factcheck.example``)
    makes the review URLs of ClaimReview and the annotation ids absolute.
    ``snapshot_text`` adds each snapshot's extracted page text to the native export.
    ``delimiter`` (``,`` or ``;``) separates CSV cells; by default ``;`` where the
    language of the labels writes numbers with a decimal comma (see ``tabular``).

    Raises ``ValueError`` at once for an unknown format; nothing is read from the
    database until the first chunk is asked for.
    """
    _check_format(fmt)
    if delimiter is not None and delimiter not in DELIMITERS:
        raise ValueError(
            _("Unknown CSV delimiter “%(delimiter)s”; choose one of %(delimiters)s.")
            % {"delimiter": delimiter, "delimiters": " ".join(DELIMITERS)}
        )
    base_url = base_url.rstrip("/")
    return _generate(
        documents=documents,
        claims=claims,
        fmt=fmt,
        language=language,
        base_url=base_url,
        snapshot_text=snapshot_text,
        delimiter=delimiter,
    )


def _generate(
    *,
    documents: QuerySet[Document] | None,
    claims: QuerySet[Claim] | None,
    fmt: str,
    language: str | None,
    base_url: str,
    snapshot_text: bool,
    delimiter: str | None,
) -> Iterator[str]:
    document_rows, claim_rows, list_empty = rows.scope(documents=documents, claims=claims)
    if fmt == "claimreview":
        claim_rows = published_claims(claim_rows)
        list_empty = False
    projects = rows.projects_of(document_rows)
    ratings = rows.RatingBook()
    # Each format names the columns it writes and reads what else it needs per chunk.
    walk = partial(
        rows.walk,
        documents=document_rows,
        claims=claim_rows,
        list_empty_documents=list_empty,
        projects=projects,
    )
    if fmt == "native":
        yield from native_stream(
            walk,
            projects=projects,
            ratings=ratings,
            language=language,
            snapshot_text=snapshot_text,
        )
    elif fmt == "claimreview":
        yield from claimreview_stream(walk, ratings=ratings, base_url=base_url)
    elif fmt == "webannotation":
        yield from webannotation_stream(
            walk,
            ratings=ratings,
            base_url=base_url,
            language=language,
            total=claim_rows.count(),
        )
    elif fmt == "csv":
        if delimiter is None:
            # The labels' language: the one asked for, else the (first) project's.
            first = next(iter(projects.values()), None)
            delimiter = default_delimiter(language or (first["language"] if first else "en"))
        yield from csv_stream(walk, ratings=ratings, language=language, delimiter=delimiter)
    else:
        yield from jsonl_stream(walk, ratings=ratings, language=language)


@dataclass(frozen=True)
class ExportWarning:
    """Something a reader of the export should know; the export is written regardless.

    ``code`` is a stable identifier (``claim-reviewed-too-long``, ``relative-review-url``),
    ``claim_id`` the claim concerned (if one), ``message`` a sentence for people.
    """

    code: str
    message: str
    claim_id: int | None = None


def export_warnings(
    *,
    documents: QuerySet[Document] | None = None,
    claims: QuerySet[Claim] | None = None,
    fmt: str,
    base_url: str = "",
) -> list[ExportWarning]:
    """Warnings about the export ``export_stream`` would write with the same arguments.

    For ClaimReview: each published claim longer than 75 characters (search engines cut
    ``claimReviewed`` there), and a missing ``base_url`` (the review URLs are then
    relative). Other formats have none. One query, so a caller can send the warnings
    before the export itself (in a header, on stderr).
    """
    _check_format(fmt)
    if fmt != "claimreview":
        return []
    claim_rows = rows.scope(documents=documents, claims=claims)[1]
    found = []
    if not base_url:
        found.append(
            ExportWarning(
                code="relative-review-url",
                message=_(
                    "No base URL given: the review URLs are relative; search engines need "
                    "absolute ones."
                ),
            )
        )
    long_claims = (
        published_claims(claim_rows)
        .annotate(length=Length("text"))
        .filter(length__gt=CLAIM_REVIEWED_MAX_CHARS)
        .order_by("document_id", "position", "pk")
        .values_list("pk", "length")
    )
    for pk, length in long_claims:
        found.append(
            ExportWarning(
                code="claim-reviewed-too-long",
                claim_id=pk,
                message=_(
                    "Claim %(id)s is %(length)s characters long; search engines show at most "
                    "%(limit)s of claimReviewed."
                )
                % {"id": pk, "length": length, "limit": CLAIM_REVIEWED_MAX_CHARS},
            )
        )
    return found


def warnings_header(warnings: list[ExportWarning], *, limit: int = 20) -> str:
    """The warnings as an ASCII HTTP header value, e.g. for ``X-Export-Warnings``:
    ``relative-review-url, claim-reviewed-too-long;claim=12``; past ``limit`` warnings
    the rest are summed up as ``more;count=N`` to keep the header short."""
    parts = [
        warning.code if warning.claim_id is None else f"{warning.code};claim={warning.claim_id}"
        for warning in warnings[:limit]
    ]
    if len(warnings) > limit:
        parts.append(f"more;count={len(warnings) - limit}")
    return ", ".join(parts)
