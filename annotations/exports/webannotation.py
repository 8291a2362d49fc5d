"""W3C Web Annotations (JSON-LD): one ``Annotation`` per claim.

The export is one ``AnnotationCollection`` whose single, embedded ``AnnotationPage``
holds every annotation, so that it can be written as a stream and read as one document.
Each annotation targets its document (the document's URL, or ``urn:sha256:`` of its
text when it has none) with a ``TextPositionSelector`` (code point offsets, as
everywhere in factcheck) and a ``TextQuoteSelector`` (the claim with up to
``CONTEXT_CHARS`` characters before and after it). The bodies are the claim's kind
(``classifying``), the final rating and rationale (``assessing``, ``commenting``) and
the sources (``SpecificResource``, ``linking``). The motivation is ``assessing``.

Each annotation carries its own ``@context``, so that it reads alone as well as on the
page. Its ``creator`` is the reviewer of the final verdict (else whoever made the claim,
when the history says), a ``Person`` named by full name and username, identified by
``urn:factcheck:user:<id>`` (or ``<base URL>/users/<id>``); ``created`` is the claim's
first history record (its creation time when it has none) and ``modified`` the latest
change to the claim, its verdicts or its sources. Addresses are written as URIs: letters
outside ASCII, spaces and quotes percent-encoded (``iri_to_uri``); a source whose address
is not an absolute one (older data) is left out, and a document's, replaced by the hash
of its text.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from django.contrib.auth import get_user_model
from django.utils.encoding import iri_to_uri

from .encoding import Fragment, dumps
from .rows import (
    DocumentStart,
    Fields,
    RatingBook,
    Walk,
    by_claim,
    final_verdict,
    history_entries,
    live_sources,
)

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
CONTEXT_CHARS = 32


def annotation_id(base_url: str, claim_id: int) -> str:
    return (
        f"{iri_to_uri(base_url)}/claims/{claim_id}/annotation"
        if base_url
        else f"urn:factcheck:claim:{claim_id}"
    )


def agent_id(base_url: str, user_id: int) -> str:
    """The IRI an export gives a user: stable as long as the installation keeps them."""
    return (
        f"{iri_to_uri(base_url)}/users/{user_id}" if base_url else f"urn:factcheck:user:{user_id}"
    )


def as_uri(address: str) -> str | None:
    """``address`` as an absolute URI (an IRI's letters, spaces and quotes
    percent-encoded), or None when it is no absolute address at all."""
    uri = iri_to_uri(address.strip())
    try:
        scheme = urlsplit(uri).scheme
    except ValueError:
        return None
    return uri if scheme and uri[len(scheme) + 1 :] else None


# What an annotation is made of, besides its document and the claim's sources.
CLAIM_FIELDS = Fields(
    id="id",
    start="start",
    end="end",
    text="text",
    kind="kind",
    created="created_at",
    modified="updated_at",
    reviewer_id=final_verdict("reviewer_id"),
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
    items = walk(claim_fields=CLAIM_FIELDS, related=_Related, text=True)
    for item in items:
        if isinstance(item, DocumentStart):
            continue
        document = item.document
        labels = language or document["project"]["language"]
        text = document["text"]
        size = len(text)
        target = as_uri(document["source_url"]) or f"urn:sha256:{document['sha256']}"
        related = item.related
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
            body += related.sources[claim["id"]]
            created, modified, maker = related.lifetime(claim)
            annotation: dict[str, Any] = {
                "@context": CONTEXT,
                "id": annotation_id(base_url, claim["id"]),
                "type": "Annotation",
                "motivation": "assessing",
            }
            creator = related.agent(claim["reviewer_id"] or maker, base_url)
            if creator is not None:
                annotation["creator"] = creator
            annotations.append(
                {
                    **annotation,
                    "created": created,
                    "modified": modified,
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


class _Related:
    """What the annotations of a chunk of claims need besides the claims' own fields:
    their sources as ``linking`` bodies, their history, and the people who made them."""

    def __init__(self, ids: list[int]) -> None:
        found = by_claim(ids, live_sources(ids, "url", "quote"))
        self.sources = {
            claim_id: [
                resource
                for _claim_id, url, quote in sources
                if (resource := _resource(url, quote)) is not None
            ]
            for claim_id, sources in found.items()
        }
        self.history = history_entries(ids)
        # The claims' first history records name their makers by username.
        makers = {entries[0]["by"] for entries in self.history.values()} - {None}
        users = get_user_model().objects.filter(
            **{f"{get_user_model().USERNAME_FIELD}__in": makers}
        )
        self.user_ids = {user.get_username(): user.pk for user in users}
        self._agents: dict[int, dict[str, Any]] = {}

    def lifetime(self, claim: dict[str, Any]) -> tuple[datetime, datetime, int | None]:
        """When the claim was made and last changed (with its verdicts and sources), and
        the id of who made it, when known."""
        entries = self.history.get(claim["id"], [])
        own = [entry for entry in entries if entry["object"] == "claim"]
        created = own[0]["at"] if own else claim["created"]
        modified = max([claim["modified"], created, *(entry["at"] for entry in entries)])
        maker = self.user_ids.get(own[0]["by"]) if own else None
        return created, modified, maker

    def agent(self, user_id: int | None, base_url: str) -> dict[str, Any] | None:
        if user_id is None:
            return None
        if user_id not in self._agents:
            user = get_user_model().objects.get(pk=user_id)
            self._agents[user_id] = {
                "id": agent_id(base_url, user_id),
                "type": "Person",
                "name": user.get_full_name() or user.get_username(),
                "nickname": user.get_username(),
            }
        return self._agents[user_id]


def _resource(url: str, quote: str) -> dict[str, Any] | None:
    source = as_uri(url)
    if source is None:
        return None
    resource: dict[str, Any] = {"type": "SpecificResource", "purpose": "linking", "source": source}
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
