"""The native JSON export: everything about the documents and their claims.

The shape is described by ``annotations/schemas/native-export.schema.json``, version
``SCHEMA_VERSION``. A snapshot's extracted page text is left out unless asked for
(``snapshot_text``): it is often larger than the document itself, and the located quote
with its context says what the reviewer relied on. The raw page body is never exported.

Version 1.1 keeps what a project needs to move to another installation: each claim's
threaded comments and published wording, every history entry (who, when, what, why), the
document's author type and who added it, the project's members and, at the end, the
people the file names (``users``: username and name, never a password or an address).

The JSON Lines export (``jsonl_stream``) writes the same claims, one per line.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from ..models import Comment, Membership, Publication, Snapshot, Verdict
from .encoding import dumps
from .rows import (
    DOCUMENT_FIELDS,
    ClaimChunk,
    DocumentStart,
    Fields,
    RatingBook,
    Walk,
    history_entries,
    live_sources,
)

SCHEMA_VERSION = "1.1"

# What the export writes of a claim, before its sources, verdicts, final verdict and
# history summary.
CLAIM_FIELDS = Fields(
    id="id",
    start="start",
    end="end",
    text="text",
    kind="kind",
    extracted_kind="extracted_kind",
    checkworthiness="checkworthiness",
    reasons="reasons",
    entities="entities",
    dates="dates",
    quantities="quantities",
    attribution="attribution",
    status="status",
    assignee="assignee__username",
    same_as="same_as_id",
    published_at="published_at",
    created_at="created_at",
    updated_at="updated_at",
)
SOURCE_FIELDS = Fields(
    id="id",
    url="url",
    title="title",
    publisher="publisher",
    quote="quote",
    stance="stance",
    origin="origin",
    added_by="added_by__username",
    fetch_state="fetch_state",
    fetch_error="fetch_error",
    last_fetched_at="last_fetched_at",
    created_at="created_at",
)
SNAPSHOT_FIELDS = Fields(
    fetch_number="fetch_number",
    final_url="final_url",
    http_status="http_status",
    content_type="content_type",
    sha256="sha256",
    size="size",
    body_truncated="body_truncated",
    fetched_at="fetched_at",
    title="title",
    author="author",
    published="published",
    site_name="site_name",
    quote=Fields(
        found="quote_found",
        method="quote_method",
        score="quote_score",
        start="quote_start",
        end="quote_end",
        passage="quote_passage",
        context_before="context_before",
        context_after="context_after",
    ),
    suggestions="suggestions",
)
PUBLICATION_FIELDS = Fields(
    summary="summary",
    article_url="article_url",
    first_appearance_url="first_appearance_url",
    first_published_at="first_published_at",
    withdrawn_at="withdrawn_at",
    updated_at="updated_at",
)


def native_stream(
    walk: Walk,
    *,
    projects: dict[int, dict[str, Any]],
    ratings: RatingBook,
    language: str | None,
    snapshot_text: bool,
) -> Iterator[str]:
    """Yield the export as JSON text in pieces: a header, each document, its claims."""
    header = {
        "schema_version": SCHEMA_VERSION,
        "generator": "factcheck",
        "exported_at": timezone.now().isoformat(),
        "language": language,
        "projects": [
            _project(project, ratings, language or project["language"])
            for project in projects.values()
        ],
    }
    people = {member["username"] for project in header["projects"] for member in project["members"]}
    yield dumps(header)[:-1] + ',"documents":['
    documents_written = 0
    claims_written = 0
    for item in _items(walk, ratings, language, snapshot_text, text=True, people=people):
        if isinstance(item, DocumentStart):
            if documents_written:
                yield "]},"
            document = _document(item.document)
            people.add(document["created_by"])
            yield dumps(document)[:-1] + ',"claims":['
            documents_written += 1
            claims_written = 0
            continue
        yield ("," if claims_written else "") + dumps(item.claims)[1:-1]
        claims_written += len(item.claims)
    if documents_written:
        yield "]}"
    yield '],"users":' + dumps(_users(people)) + "}\n"


def jsonl_stream(walk: Walk, *, ratings: RatingBook, language: str | None) -> Iterator[str]:
    """Yield JSON Lines, a claim per line as the native export writes it, with its
    document's id, title, version number and previous version's id and its project's
    slug first."""
    for item in _items(walk, ratings, language, snapshot_text=False, text=False, people=set()):
        if isinstance(item, DocumentStart):
            continue
        document = item.document
        head = {
            "document": document["id"],
            "document_title": document["title"],
            "document_version": document["version_number"],
            "document_previous_version": document["previous_version_id"],
            "project": document["project"]["slug"],
        }
        yield "".join(dumps({**head, **claim}) + "\n" for claim in item.claims)


def _items(
    walk: Walk,
    ratings: RatingBook,
    language: str | None,
    snapshot_text: bool,
    *,
    text: bool,
    people: set[str | None],
) -> Iterator[Any]:
    """The walk with each chunk's claims as the dicts the export writes; the usernames
    they name are added to ``people``."""
    records = _RatingRecords(ratings)
    items = walk(
        claim_fields=Fields(**CLAIM_FIELDS.fields, final_verdict_id="final_verdict_id"),
        related=lambda ids: _Related(ids, snapshot_text=snapshot_text),
        document_fields=(*DOCUMENT_FIELDS, "links", "created_by__username"),
        text=text,
    )
    for item in items:
        if isinstance(item, DocumentStart):
            yield item
            continue
        labels = language or item.document["project"]["language"]
        claims = [_claim(row, item.related, records, labels) for row in item.claims]
        people.update(item.related.people)
        yield ClaimChunk(item.document, claims, None)


class _Related:
    """What the native export shows about a chunk of claims besides their own fields:
    their sources with their snapshots, their verdicts with the sources they cite, their
    comments, their publications and their history; ``people`` the usernames all these
    name."""

    def __init__(self, ids: list[int], *, snapshot_text: bool) -> None:
        self.people: set[str | None] = set()
        self.sources: dict[int, list[dict[str, Any]]] = {claim_id: [] for claim_id in ids}
        written: dict[int, dict[str, Any]] = {}
        for row in SOURCE_FIELDS.read(live_sources(ids), "claim_id"):
            source = written[row["id"]] = {**SOURCE_FIELDS.record(row), "snapshots": []}
            self.sources[row["claim_id"]].append(source)
            self.people.add(source["added_by"])
        snapshots = Snapshot.objects.filter(source_id__in=list(written)).order_by(
            "source_id", "fetch_number"
        )
        extra = ("source_id", "text") if snapshot_text else ("source_id",)
        for row in SNAPSHOT_FIELDS.read(snapshots, *extra):
            snapshot = SNAPSHOT_FIELDS.record(row)
            if snapshot_text:
                snapshot["text"] = row["text"]
            written[row["source_id"]]["snapshots"].append(snapshot)

        # A verdict's row per source it cites (one without sources: a row with none).
        self.verdicts: dict[int, list[tuple[Any, ...]]] = {claim_id: [] for claim_id in ids}
        self.sources_of: dict[int, list[int]] = {}
        for *verdict, source_id in (
            Verdict.objects.filter(claim_id__in=ids, deleted_at__isnull=True)
            .order_by("claim_id", "created_at", "id", "sources__id")
            .values_list(
                "claim_id",
                "id",
                "reviewer__username",
                "rating_id",
                "rationale",
                "created_at",
                "updated_at",
                "sources__id",
            )
        ):
            cited = self.sources_of.get(verdict[1])
            if cited is None:
                cited = self.sources_of[verdict[1]] = []
                self.verdicts[verdict[0]].append(tuple(verdict))
                self.people.add(verdict[2])
            # A source in the trash is not exported, so the verdict does not point at it.
            if source_id in written:
                cited.append(source_id)
        self.comments = self._comments(ids)
        self.publications = {
            row["claim_id"]: PUBLICATION_FIELDS.record(row)
            for row in PUBLICATION_FIELDS.read(
                Publication.objects.filter(claim_id__in=ids), "claim_id"
            )
        }
        self.history = history_entries(ids)
        self.people.update(entry["by"] for entries in self.history.values() for entry in entries)

    def _comments(self, ids: list[int]) -> dict[int, list[dict[str, Any]]]:
        """The comments not in the trash, oldest first, each with the comment it answers.

        A reply to a comment in the trash answers the nearest comment above it that is
        not, so that the thread keeps its shape without what was withdrawn.
        """
        rows = list(
            Comment.objects.filter(claim_id__in=ids)
            .order_by("claim_id", "created_at", "id")
            .values_list(
                "claim_id",
                "id",
                "parent_id",
                "deleted_at",
                "author__username",
                "body",
                "created_at",
            )
        )
        parents = {row[1]: row[2] for row in rows}
        trashed = {row[1] for row in rows if row[3] is not None}
        found: dict[int, list[dict[str, Any]]] = {claim_id: [] for claim_id in ids}
        for claim_id, pk, parent, deleted_at, author, body, made in rows:
            if deleted_at is not None:
                continue
            while parent in trashed:
                parent = parents.get(parent)
            found[claim_id].append(
                {"id": pk, "parent": parent, "author": author, "body": body, "created_at": made}
            )
            self.people.add(author)
        return found


def _claim(
    row: dict[str, Any], related: _Related, records: _RatingRecords, language: str
) -> dict[str, Any]:
    claim_id = row["id"]
    final = None
    verdicts = []
    for _claim_id, verdict_id, reviewer, rating_id, rationale, made, changed in related.verdicts[
        claim_id
    ]:
        rating = records.get(rating_id, language)
        verdicts.append(
            {
                "id": verdict_id,
                "reviewer": reviewer,
                "rating": rating,
                "rationale": rationale,
                "sources": related.sources_of[verdict_id],
                "created_at": made,
                "updated_at": changed,
            }
        )
        # A final verdict moved to the trash is no final verdict for an export.
        if verdict_id == row["final_verdict_id"]:
            final = {"verdict": verdict_id, "rating": rating, "rationale": rationale}
    entries = related.history.get(claim_id, [])
    last = entries[-1] if entries else {"at": None, "by": None}
    return {
        **CLAIM_FIELDS.record(row),
        "sources": related.sources[claim_id],
        "verdicts": verdicts,
        "final_verdict": final,
        "comments": related.comments[claim_id],
        "publication": related.publications.get(claim_id),
        "history": {
            "changes": len(entries),
            "last_changed_at": last["at"],
            "last_changed_by": last["by"],
            "entries": entries,
        },
    }


class _RatingRecords:
    """A verdict's rating as written, in a language, made once per export."""

    def __init__(self, ratings: RatingBook) -> None:
        self.ratings = ratings
        self._records: dict[tuple[int, str], dict[str, Any]] = {}

    def get(self, rating_id: int, language: str) -> dict[str, Any]:
        key = (rating_id, language)
        if key not in self._records:
            self._records[key] = rating_record(self.ratings, rating_id, language)
        return self._records[key]


def _moment(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _project(project: dict[str, Any], ratings: RatingBook, language: str) -> dict[str, Any]:
    scale = ratings.scale(project["rating_scale_id"])
    members = (
        Membership.objects.filter(project_id=project["id"])
        .order_by("user__username")
        .values("user__username", "role")
    )
    return {
        "slug": project["slug"],
        "name": project["name"],
        "language": project["language"],
        "organization_name": project["organization_name"],
        "organization_url": project["organization_url"],
        "rating_scale": {
            "name": scale[0].scale.name,
            "version": scale[0].scale.version,
            "ratings": [
                {
                    "value": rating.value,
                    "label": rating.display_label(language),
                    "numeric_value": rating.numeric_value,
                    "alternate_name": rating.alternate_name,
                }
                for rating in scale
            ],
        }
        if scale
        else None,
        "members": [{"username": row["user__username"], "role": row["role"]} for row in members],
    }


def _users(usernames: set[str | None]) -> list[dict[str, str]]:
    """The people a file names, by username, with the name an installation shows."""
    usernames.discard(None)
    return list(
        get_user_model()
        .objects.filter(username__in=usernames)
        .order_by("username")
        .values("username", "first_name", "last_name")
    )


def _document(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "project": row["project"]["slug"],
        "title": row["title"],
        "language": row["language"],
        "origin": row["origin"],
        "source_format": row["source_format"],
        "source_url": row["source_url"],
        "filename": row["filename"],
        "author": row["author"],
        "author_type": row["author_type"],
        "published_on": row["published_on"].isoformat() if row["published_on"] else None,
        "created_at": _moment(row["created_at"]),
        "created_by": row["created_by__username"],
        "sha256": row["sha256"],
        "version": row["version_number"],
        "previous_version": row["previous_version_id"],
        "text": row["text"],
        "links": row["links"],
    }


def rating_record(ratings: RatingBook, rating_id: int, language: str) -> dict[str, Any]:
    rating = ratings.get(rating_id)
    return {
        "value": rating.value,
        "label": rating.display_label(language),
        "numeric_value": rating.numeric_value,
    }
