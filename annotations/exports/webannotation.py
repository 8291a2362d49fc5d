"""W3C Web Annotations (JSON-LD): one ``Annotation`` per claim.

The export is one ``AnnotationCollection`` whose single, embedded ``AnnotationPage``
holds every annotation, so that it can be written as a stream and read as one document.
Each annotation targets its document (the document's URL, or ``urn:sha256:`` of its
text when it has none) with a ``TextPositionSelector`` (code point offsets, as
everywhere in factcheck) and a ``TextQuoteSelector`` (the claim with up to
``CONTEXT_CHARS`` characters before and after it). The bodies are the claim's kind
(``classifying``), the final rating and rationale (``assessing``, ``commenting``) and
the sources (``SpecificResource``, ``linking``). The motivation is ``assessing``.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

from .encoding import dumps
from .rows import ClaimChunk, DocumentStart, RatingBook

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
CONTEXT_CHARS = 32


def annotation_id(base_url: str, claim_id: int) -> str:
    return (
        f"{base_url}/claims/{claim_id}/annotation"
        if base_url
        else f"urn:factcheck:claim:{claim_id}"
    )


def webannotation_stream(
    items: Iterator[DocumentStart | ClaimChunk],
    *,
    ratings: RatingBook,
    base_url: str,
    language: str | None,
    total: int,
) -> Iterator[str]:
    """Yield the collection as JSON text in pieces, a chunk of annotations at a time."""
    collection = f"urn:uuid:{uuid.uuid4()}"
    header = {
        "@context": CONTEXT,
        "id": collection,
        "type": "AnnotationCollection",
        "label": "factcheck claims",
        "total": total,
    }
    page = {"id": f"{collection}/page/1", "type": "AnnotationPage", "partOf": collection}
    yield (dumps(header)[:-1] + ',"first":' + dumps(page)[:-1] + ',"startIndex":0,"items":[')
    written = 0
    for item in items:
        if isinstance(item, DocumentStart):
            continue
        labels = language or item.document["project"]["language"]
        annotations = [
            _annotation(row, item.document, ratings, base_url, labels) for row in item.claims
        ]
        yield ("," if written else "") + dumps(annotations)[1:-1]
        written += len(annotations)
    yield "]}}\n"


def _annotation(
    row: dict[str, Any],
    document: dict[str, Any],
    ratings: RatingBook,
    base_url: str,
    language: str,
) -> dict[str, Any]:
    text = document["text"]
    start, end = row["start"], row["end"]
    quote: dict[str, Any] = {"type": "TextQuoteSelector", "exact": row["text"]}
    if start > 0:
        quote["prefix"] = text[max(0, start - CONTEXT_CHARS) : start]
    if end < len(text):
        quote["suffix"] = text[end : end + CONTEXT_CHARS]
    body: list[dict[str, Any]] = [
        {"type": "TextualBody", "purpose": "classifying", "value": row["kind"]}
    ]
    final = row["final_verdict"]
    if final is not None:
        rating = ratings.get(final["rating_id"])
        body.append(
            {
                "type": "TextualBody",
                "purpose": "assessing",
                "value": rating.display_label(language),
                "language": language,
                # The stable machine value next to the translated label.
                "schema:identifier": rating.value,
            }
        )
        body.append(
            {
                "type": "TextualBody",
                "purpose": "commenting",
                "value": final["rationale"],
                "format": "text/plain",
            }
        )
    for source in row["sources"]:
        resource: dict[str, Any] = {
            "type": "SpecificResource",
            "purpose": "linking",
            "source": source["url"],
        }
        if source["quote"]:
            resource["selector"] = {"type": "TextQuoteSelector", "exact": source["quote"]}
        body.append(resource)
    return {
        "id": annotation_id(base_url, row["id"]),
        "type": "Annotation",
        "motivation": "assessing",
        "created": row["created_at"],
        "modified": row["updated_at"],
        "target": {
            "source": document["source_url"] or f"urn:sha256:{document['sha256']}",
            "selector": [
                {"type": "TextPositionSelector", "start": start, "end": end},
                quote,
            ],
        },
        "body": body,
    }
