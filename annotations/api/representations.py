"""Plain-dict representations of the objects the claim list returns in bulk.

A page holds up to 1,000 claims, each with sources, a snapshot and verdicts; DRF's
field-by-field machinery costs more than the queries there. These functions build the
same dicts directly (the serializers still declare the fields for the OpenAPI schema,
and a test checks both produce identical output). ``claim_page`` builds a whole page
from plain rows without model instances at all; the functions taking instances serve
single claims and sources.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone

from .. import selectors
from ..models import Claim, Rating, Snapshot, Source, Verdict


def among_ids(field: str, ids: list[int]) -> Q:
    """Selects the rows whose ``field`` is one of ``ids`` (claim ids of a page), and
    possibly others: the caller skips rows of ids it did not ask for. Dense ids by their
    range, which Django prepares for far less than an ``IN`` list."""
    low, high = min(ids), max(ids)
    if high - low < 2 * len(ids):
        return Q(**{f"{field}__gte": low, f"{field}__lte": high})
    return Q(**{f"{field}__in": ids})


def iso(value: datetime | None) -> str | None:
    """DRF's ISO 8601 rendering: in the current time zone, UTC as a trailing Z."""
    if value is None:
        return None
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def rating_dict(rating: Rating) -> dict[str, Any]:
    return {
        "id": rating.pk,
        "value": rating.value,
        "position": rating.position,
        "label": rating.display_label(),
        "description": rating.display_description(),
        "colour": rating.colour,
        "numeric_value": rating.numeric_value,
        "alternate_name": rating.alternate_name,
    }


SNAPSHOT_FIELDS = (
    "id", "fetch_number", "final_url", "http_status", "content_type", "sha256", "size",
    "fetched_at", "title", "author", "published", "site_name", "quote_found",
    "quote_method", "quote_score", "quote_start", "quote_end", "quote_passage", "quote_page",
    "context_before", "context_after", "suggestions", "capture_sha256",
)  # fmt: skip


def snapshot_dict(snapshot: Snapshot) -> dict[str, Any]:
    data = {name: getattr(snapshot, name) for name in SNAPSHOT_FIELDS}
    data["id"] = snapshot.pk
    data["fetched_at"] = iso(snapshot.fetched_at)
    data["capture_url"] = capture_url(snapshot.source_id, snapshot.pk, bool(snapshot.capture))
    return data


def capture_url(source_id: int, snapshot_id: int, stored: bool) -> str | None:
    """Where the API hands out a snapshot's archived capture (WARC); None without one."""
    if not stored:
        return None
    return reverse("source-capture", kwargs={"pk": source_id, "snapshot_id": snapshot_id})


def source_dict(source: Source) -> dict[str, Any]:
    snapshots = list(source.snapshots.all())
    return {
        "id": source.pk,
        "claim": source.claim_id,
        "url": source.url,
        "title": source.title,
        "publisher": source.publisher,
        "quote": source.quote,
        "stance": source.stance,
        "origin": source.origin,
        "added_by": source.added_by.get_username() if source.added_by_id else None,
        "fetch_state": source.fetch_state,
        "fetch_error": source.fetch_error,
        "attempts": source.attempts,
        "last_fetched_at": iso(source.last_fetched_at),
        "created_at": iso(source.created_at),
        "latest_snapshot": snapshot_dict(snapshots[0]) if snapshots else None,
    }


def verdict_dict(verdict: Verdict, ratings: dict[int, dict] | None = None) -> dict[str, Any]:
    if ratings is not None:
        rating = ratings.get(verdict.rating_id)
        if rating is None:
            rating = ratings[verdict.rating_id] = rating_dict(verdict.rating)
    else:
        rating = rating_dict(verdict.rating)
    return {
        "id": verdict.pk,
        "claim": verdict.claim_id,
        "reviewer": verdict.reviewer.get_username(),
        "rating": rating,
        "rationale": verdict.rationale,
        "sources": [source.pk for source in verdict.sources.all()],
        "version": verdict.version,
        "created_at": iso(verdict.created_at),
        "updated_at": iso(verdict.updated_at),
    }


def claim_dict(
    claim: Claim,
    verdicts: list[Verdict],
    final: Verdict | None,
    ratings: dict[int, dict] | None = None,
) -> dict[str, Any]:
    return {
        "id": claim.pk,
        "document": claim.document_id,
        "position": claim.position,
        "start": claim.start,
        "end": claim.end,
        "text": claim.text,
        "kind": claim.kind,
        "extracted_kind": claim.extracted_kind,
        "checkworthiness": claim.checkworthiness,
        "reasons": claim.reasons,
        "entities": claim.entities,
        "dates": claim.dates,
        "quantities": claim.quantities,
        "attribution": claim.attribution,
        "status": claim.status,
        "assignee": claim.assignee.get_username() if claim.assignee_id else None,
        "version": claim.version,
        "anchor_state": claim.anchor_state,
        "anchor_confidence": claim.anchor_confidence,
        "text_before_edit": claim.text_before_edit,
        "published_at": iso(claim.published_at),
        "created_at": iso(claim.created_at),
        "updated_at": iso(claim.updated_at),
        "sources": [source_dict(source) for source in claim.sources.all()],
        "verdicts": [verdict_dict(verdict, ratings) for verdict in verdicts],
        "final_verdict": verdict_dict(final, ratings) if final is not None else None,
    }


# --- Claim list pages from plain rows ---------------------------------------------------

USERNAME = get_user_model().USERNAME_FIELD

CLAIM_COLUMNS = (
    "id", "document_id", "position", "start", "end", "text", "kind", "extracted_kind",
    "checkworthiness", "reasons", "entities", "dates", "quantities", "attribution",
    "status", "version", "published_at", "created_at", "updated_at", "final_verdict_id",
    "anchor_state", "anchor_confidence", "text_before_edit",
)  # fmt: skip
CLAIM_JOINED = {
    "assignee_name": F(f"assignee__{USERNAME}"),
    "project_id": F("document__project_id"),
    "blind_review": F("document__project__blind_review"),
}
SOURCE_COLUMNS = (
    "id", "claim_id", "url", "title", "publisher", "quote", "stance", "origin",
    "fetch_state", "fetch_error", "attempts", "last_fetched_at", "created_at",
)  # fmt: skip
VERDICT_COLUMNS = (
    "id", "claim_id", "reviewer_id", "rating_id", "rationale", "version", "deleted_at",
    "created_at", "updated_at",
)  # fmt: skip


def claim_rows(claims: QuerySet[Claim]) -> QuerySet[Claim]:
    """The claims as the plain rows ``claim_page`` takes."""
    return claims.values(*CLAIM_COLUMNS, **CLAIM_JOINED)


def claim_page(rows: list[dict[str, Any]], *, user: Any) -> list[dict[str, Any]]:
    """A page of ``claim_rows`` as ``ClaimSerializer`` renders each claim, with the
    blind-review rule of each claim's project applied.

    The page's sources, their latest snapshots, its verdicts, the verdicts' sources and
    the ratings are read with one query each, plus one for the user's role in each
    project of the page; as plain rows, because a thousand claims' related instances
    cost more than the queries. Each rating is rendered once.
    """
    if not rows:
        return []
    ids = [row["id"] for row in rows]
    sources = _sources_by_claim(ids)
    verdicts = _Verdicts(ids, [row["final_verdict_id"] for row in rows])
    rules: dict[int, Any] = {}
    page = []
    for row in rows:
        claim_id = row["id"]
        project_id = row["project_id"]
        visible = rules.get(project_id)
        if visible is None:
            visible = rules[project_id] = selectors.verdict_visibility_for_rows(
                user, project_id=project_id, blind_review=row["blind_review"]
            )
        shown = visible(verdicts.reviewers.get(claim_id, set()))
        page.append(
            {
                "id": claim_id,
                "document": row["document_id"],
                "position": row["position"],
                "start": row["start"],
                "end": row["end"],
                "text": row["text"],
                "kind": row["kind"],
                "extracted_kind": row["extracted_kind"],
                "checkworthiness": row["checkworthiness"],
                "reasons": row["reasons"],
                "entities": row["entities"],
                "dates": row["dates"],
                "quantities": row["quantities"],
                "attribution": row["attribution"],
                "status": row["status"],
                "assignee": row["assignee_name"],
                "version": row["version"],
                "anchor_state": row["anchor_state"],
                "anchor_confidence": row["anchor_confidence"],
                "text_before_edit": row["text_before_edit"],
                "published_at": iso(row["published_at"]),
                "created_at": iso(row["created_at"]),
                "updated_at": iso(row["updated_at"]),
                "sources": sources.get(claim_id, []),
                "verdicts": verdicts.by_claim.get(claim_id, []) if shown else [],
                "final_verdict": verdicts.by_id.get(row["final_verdict_id"]) if shown else None,
            }
        )
    return page


def _sources_by_claim(ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """The claims' sources not in the trash, oldest first, each with its latest snapshot."""
    wanted = set(ids)
    sources: dict[int, list[dict[str, Any]]] = defaultdict(list)
    by_id: dict[int, dict[str, Any]] = {}
    for row in (
        Source.objects.filter(among_ids("claim_id", ids), deleted_at__isnull=True)
        .order_by("claim_id", "created_at", "id")
        .values_list(*SOURCE_COLUMNS, f"added_by__{USERNAME}")
    ):
        (pk, claim_id, url, title, publisher, quote, stance, origin, fetch_state,
         fetch_error, attempts, last_fetched_at, created_at, added_by) = row  # fmt: skip
        if claim_id not in wanted:
            continue
        source = by_id[pk] = {
            "id": pk,
            "claim": claim_id,
            "url": url,
            "title": title,
            "publisher": publisher,
            "quote": quote,
            "stance": stance,
            "origin": origin,
            "added_by": added_by,
            "fetch_state": fetch_state,
            "fetch_error": fetch_error,
            "attempts": attempts,
            "last_fetched_at": iso(last_fetched_at),
            "created_at": iso(created_at),
            "latest_snapshot": None,
        }
        sources[claim_id].append(source)
    if by_id:
        # The newest fetch of each source; never the page body or its extracted text.
        latest = (
            Snapshot.objects.filter(source_id=OuterRef("source_id"))
            .order_by("-fetched_at", "-id")
            .values("id")[:1]
        )
        for row in Snapshot.objects.filter(
            among_ids("source__claim_id", ids),
            source__deleted_at__isnull=True,
            id=Subquery(latest),
        ).values_list("source_id", "capture", *SNAPSHOT_FIELDS):
            source = by_id.get(row[0])
            if source is not None:
                snapshot = dict(zip(SNAPSHOT_FIELDS, row[2:], strict=True))
                snapshot["fetched_at"] = iso(snapshot["fetched_at"])
                snapshot["capture_url"] = capture_url(row[0], snapshot["id"], bool(row[1]))
                source["latest_snapshot"] = snapshot
    return sources


class _Verdicts:
    """The claims' verdicts not in the trash, oldest first, and their final verdicts
    (even one in the trash, as ``ClaimSerializer`` shows it), rendered."""

    def __init__(self, ids: list[int], final_ids: list[int | None]) -> None:
        self.by_id: dict[int, dict[str, Any]] = {}
        self.by_claim: dict[int, list[dict[str, Any]]] = defaultdict(list)
        # Reviewers of each claim's verdicts not in the trash, for the blind-review rule.
        self.reviewers: dict[int, set[int]] = defaultdict(set)
        wanted = set(ids)
        finals = {pk for pk in final_ids if pk is not None}
        columns = (*VERDICT_COLUMNS, f"reviewer__{USERNAME}")
        ordering = ("claim_id", "created_at", "id")
        rows = [
            row
            for row in Verdict.objects.filter(among_ids("claim_id", ids))
            .order_by(*ordering)
            .values_list(*columns)
            if row[1] in wanted and (row[6] is None or row[0] in finals)
        ]
        # A final verdict is the claim's own; should one not be, it is read on its own.
        elsewhere = finals.difference(row[0] for row in rows)
        if elsewhere:
            rows += (
                Verdict.objects.filter(id__in=elsewhere).order_by(*ordering).values_list(*columns)
            )
        if not rows:
            return
        ratings = {
            rating.pk: rating_dict(rating)
            for rating in Rating.objects.filter(pk__in={row[3] for row in rows})
        }
        for row in rows:
            (pk, claim_id, reviewer_id, rating_id, rationale, version, deleted_at,
             created_at, updated_at, reviewer) = row  # fmt: skip
            verdict = self.by_id[pk] = {
                "id": pk,
                "claim": claim_id,
                "reviewer": reviewer,
                "rating": ratings[rating_id],
                "rationale": rationale,
                "sources": [],
                "version": version,
                "created_at": iso(created_at),
                "updated_at": iso(updated_at),
            }
            if deleted_at is None and claim_id in wanted:
                self.by_claim[claim_id].append(verdict)
                self.reviewers[claim_id].add(reviewer_id)
        through = Verdict.sources.through
        chosen = among_ids("verdict__claim_id", ids)
        if elsewhere:
            chosen |= Q(verdict_id__in=elsewhere)
        # In Source's own ordering, as the verdict's related manager lists them (sources in
        # the trash included).
        for verdict_id, source_id in (
            through.objects.filter(chosen)
            .order_by("verdict_id", "source__claim", "source__created_at", "source__id")
            .values_list("verdict_id", "source_id")
        ):
            verdict = self.by_id.get(verdict_id)
            if verdict is not None:
                verdict["sources"].append(source_id)
