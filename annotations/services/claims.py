"""Claims: storing what the extractor cut, and reviewers' corrections of the cut."""

from __future__ import annotations

from bisect import bisect_right

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from ..extraction import extract_claims
from ..models import Claim, Document, Source, SourceOrigin


def claims_replace_from_extraction(*, document: Document) -> str:
    """Cut the document into claims and store them (with candidate sources from its links).

    This is the one place the extractor plugs into storage. Returns the detected language.
    """
    extracted = extract_claims(document.text, language=document.language or None)
    with transaction.atomic():
        document.claims.all().delete()
        claims = [
            Claim(
                document=document,
                position=position,
                start=item.start,
                end=item.end,
                text=item.text,
                kind=item.kind,
                extracted_kind=item.kind,
                checkworthiness=round(float(item.checkworthiness), 4),
                reasons=list(item.reasons),
                entities=list(item.entities),
                dates=list(item.dates),
                quantities=list(item.quantities),
                attribution=(item.attribution or "")[:500],
            )
            for position, item in enumerate(extracted)
        ]
        claims = bulk_create_with_history(claims, Claim, batch_size=500)
        if document.links:
            _candidate_sources(document, claims)
    languages = {item.language for item in extracted if getattr(item, "language", None)}
    if len(languages) == 1:
        return languages.pop()
    return "mixed" if languages else ""


def _candidate_sources(document: Document, claims: list[Claim]) -> None:
    # Claims are sorted and disjoint, so each link falls in at most one of them.
    if not claims[0].pk:
        claims = list(document.claims.order_by("start"))
    starts = [claim.start for claim in claims]
    sources = []
    seen: set[tuple[int, str]] = set()
    for link in document.links:
        index = bisect_right(starts, link["start"]) - 1
        if index < 0 or link["start"] >= claims[index].end:
            continue
        claim = claims[index]
        if (claim.pk, link["url"]) in seen:
            continue
        seen.add((claim.pk, link["url"]))
        sources.append(
            Source(
                claim=claim,
                url=link["url"][:2000],
                title=(link.get("text") or "")[:500],
                origin=SourceOrigin.DOCUMENT_LINK,
            )
        )
    bulk_create_with_history(sources, Source)
