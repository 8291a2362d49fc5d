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

from .encoding import Fragment, dumps
from .rows import DocumentStart, Fields, RatingBook, Walk, by_claim, final_verdict, live_sources

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
CONTEXT_CHARS = 32


def annotation_id(base_url: str, claim_id: int) -> str:
    return (
        f"{base_url}/claims/{claim_id}/annotation"
        if base_url
        else f"urn:factcheck:claim:{claim_id}"
    )


# What an annotation is made of, besides its document and the claim's sources.
CLAIM_FIELDS = Fields(
    id="id",
    start="start",
    end="end",
    text="text",
    kind="kind",
    created="created_at",
    modified="updated_at",
    rating_id=final_verdict("rating_id"),
    rationale=final_verdict("rationale"),
)


def webannotation_stream(
    walk: Walk,
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
    bodies = _Bodies(ratings)
    items = walk(claim_fields=CLAIM_FIELDS, related=_sources, text=True)
    for item in items:
        if isinstance(item, DocumentStart):
            continue
        document = item.document
        labels = language or document["project"]["language"]
        text = document["text"]
        size = len(text)
        target = document["source_url"] or f"urn:sha256:{document['sha256']}"
        sources = item.related
        annotations = []
        for row in item.claims:
            claim = CLAIM_FIELDS.record(row)
            start, end, rating_id = claim["start"], claim["end"], claim["rating_id"]
            quote: dict[str, Any] = {"type": "TextQuoteSelector", "exact": claim["text"]}
            if start > 0:
                quote["prefix"] = text[max(0, start - CONTEXT_CHARS) : start]
            if end < size:
                quote["suffix"] = text[end : end + CONTEXT_CHARS]
            body: list[Any] = [bodies.kind(claim["kind"])]
            if rating_id is not None:
                body.append(bodies.rating(rating_id, labels))
                body.append(
                    {
                        "type": "TextualBody",
                        "purpose": "commenting",
                        "value": claim["rationale"],
                        "format": "text/plain",
                    }
                )
            body += sources[claim["id"]]
            annotations.append(
                {
                    "id": annotation_id(base_url, claim["id"]),
                    "type": "Annotation",
                    "motivation": "assessing",
                    "created": claim["created"],
                    "modified": claim["modified"],
                    "target": {
                        "source": target,
                        "selector": [
                            {"type": "TextPositionSelector", "start": start, "end": end},
                            quote,
                        ],
                    },
                    "body": body,
                }
            )
        yield ("," if written else "") + dumps(annotations)[1:-1]
        written += len(annotations)
    yield "]}}\n"


def _sources(ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """Each claim's sources as ``linking`` bodies."""
    found = by_claim(ids, live_sources(ids, "url", "quote"))
    return {
        claim_id: [_resource(url, quote) for _claim_id, url, quote in sources]
        for claim_id, sources in found.items()
    }


def _resource(url: str, quote: str) -> dict[str, Any]:
    resource: dict[str, Any] = {"type": "SpecificResource", "purpose": "linking", "source": url}
    if quote:
        resource["selector"] = {"type": "TextQuoteSelector", "exact": quote}
    return resource


class _Bodies:
    """The bodies many annotations share (a kind, a rating in a language), encoded once."""

    def __init__(self, ratings: RatingBook) -> None:
        self.ratings = ratings
        self._kinds: dict[str, Fragment] = {}
        self._ratings: dict[tuple[int, str], Fragment] = {}

    def kind(self, kind: str) -> Fragment:
        if kind not in self._kinds:
            self._kinds[kind] = Fragment(
                dumps({"type": "TextualBody", "purpose": "classifying", "value": kind})
            )
        return self._kinds[kind]

    def rating(self, rating_id: int, language: str) -> Fragment:
        key = (rating_id, language)
        if key not in self._ratings:
            rating = self.ratings.get(rating_id)
            self._ratings[key] = Fragment(
                dumps(
                    {
                        "type": "TextualBody",
                        "purpose": "assessing",
                        "value": rating.display_label(language),
                        "language": language,
                        # The stable machine value next to the translated label.
                        "schema:identifier": rating.value,
                    }
                )
            )
        return self._ratings[key]
