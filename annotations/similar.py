"""Reads for "checked before?": the earlier claims and reference reviews most like a claim.

Candidates come from the database's full-text search (any of the claim's words, in any
form), at most ``CANDIDATES`` of them by the search's own rank; the matcher
(``annotations.matching``) then scores each one and the best come first. Only claims in
projects the reader may read are candidates, and a final rating is shown only to those
whom blind review lets see it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import connection
from django.db.models import BooleanField, F, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone

from .matching.ranking import (
    LIKELY_SAME,
    Prepared,
    guess_language,
    number_terms,
    prepare,
    score,
)
from .models import Claim, ClaimMatch, Document, Project, ReferenceReview, Verdict
from .rowsql import RowSQL
from .search import query_words, search_claims, stem
from .selectors import projects_for, verdict_visibility_for_rows

User = AbstractBaseUser | AnonymousUser

# How many search hits the matcher scores: enough that a reworded claim whose words
# the search ranks low is still among them, few enough to score in milliseconds.
CANDIDATES = 200
# The background keeps a claim's few best matches: fewer candidates serve, so that a new
# document of a hundred claims is matched in seconds.
BACKGROUND_CANDIDATES = 50
# How many hits of the widest search are ranked at most, whatever the archive's size.
SCAN = 2_000
# The words of a reference's claim that its search asks for.
SEARCH_WORDS = 12
DEFAULT_LIMIT = 10
MAX_LIMIT = 50
# How long the document page waits for the background matching: a worker that never
# gets to it must not have the page asking forever.
MATCHING_WAIT = timedelta(minutes=10)


@dataclass(frozen=True)
class Similar:
    """One match, as the API and the panel show it."""

    source: str  # "project" (a claim in a project) or "reference" (an imported review)
    score: float
    text: str
    claim: int | None = None
    document: int | None = None
    document_title: str = ""
    project: str = ""
    status: str = ""
    final_rating: str | None = None
    final_rating_label: str = ""
    final_rating_colour: str = ""
    reviewed_on: date | None = None
    reference: int | None = None
    publisher: str = ""
    url: str = ""

    @property
    def likely_same(self) -> bool:
        return self.score >= LIKELY_SAME

    def as_dict(self) -> dict:
        return {
            "claim": self.claim,
            "text": self.text,
            "score": round(self.score, 4),
            "document": self.document,
            "status": self.status or None,
            "final_rating": self.final_rating,
            "source": self.source,
            "likely_same": self.likely_same,
            "project": self.project or None,
            "document_title": self.document_title or None,
            "final_rating_label": self.final_rating_label or None,
            "reviewed_on": self.reviewed_on.isoformat() if self.reviewed_on else None,
            "reference": self.reference,
            "publisher": self.publisher or None,
            "url": self.url or None,
        }


_FIELDS = (
    "pk",
    "text",
    "status",
    "document_id",
    "document__title",
    "document__language",
    "document__project_id",
    "document__project__slug",
    "document__project__blind_review",
    "final_verdict_id",
    "final_verdict__rating__value",
    "final_verdict__rating__label",
    "final_verdict__rating__translations",
    "final_verdict__rating__colour",
    "final_verdict__updated_at",
)
_FIGURE = re.compile(r"\d+(?:[.,]\d+)*")


def _ranked(claims: QuerySet[Claim], text: str) -> QuerySet[Claim]:
    """``claims`` (found by ``search_claims``) best first by the search's rank.

    On PostgreSQL the rank is taken against the query's own stems rather than against
    the search's every word form: the same order at a fraction of the cost per row, which
    matters when a search finds hundreds of claims.
    """
    if connection.vendor != "postgresql":
        return claims.order_by("-search_rank")
    stems = dict.fromkeys(stem(word) for word in query_words(text))
    terms = " | ".join("'" + item.replace("'", "''").replace("\\", "") + "'" for item in stems)
    rank = RawSQL(
        'ts_rank_cd("annotations_claim"."search_vector", to_tsquery(\'simple\', %s))', [terms]
    )
    return claims.annotate(stem_rank=rank).order_by("-stem_rank")


def _with_figures(tokens: list[str]) -> RowSQL:
    """Claims whose index holds every one of the figure words ``tokens``."""
    if connection.vendor == "postgresql":
        return RowSQL(
            "{table}.\"search_vector\" @@ to_tsquery('simple', %s)",
            [" & ".join(tokens)],
            BooleanField(),
        )
    match = " AND ".join(f'"{stem(token)}"' for token in tokens)
    return RowSQL(
        '{table}."id" IN (SELECT rowid FROM annotations_claim_search '
        "WHERE annotations_claim_search MATCH %s)",
        [match],
        BooleanField(),
    )


def _claim_candidates(text: str, scope: QuerySet[Claim], limit: int = CANDIDATES) -> list[dict]:
    """Claims of ``scope`` worth scoring against ``text``, up to three searches deep.

    An archive of a million claims shares some word with nearly every query, and ranking
    every claim that does would cost a million claims' time. So: first the claims with
    every figure of the query as written (few, at any size: a figure pins a claim down),
    then, while fewer than half of ``CANDIDATES`` are found, those with every word of the
    query in some form, and then any word at all, ranked within a bounded first ``SCAN``
    of the hits. Claims of both languages are searched: a Russian claim may restate an
    English one by its names and figures. Besides, the claims with every figure of the
    query however written (in digits or in words, normalised: ``Claim.number_terms``)
    are candidates, the first ``SCAN`` of them ranked, so that a rewording that writes
    its figures in words and shares few words with the old claim is found at any size.
    """
    found: dict[int, dict] = {}

    def take(claims: QuerySet[Claim]) -> None:
        for row in _ranked(claims, text).values(*_FIELDS)[:limit]:
            found.setdefault(row["pk"], row)

    figures = " ".join(dict.fromkeys(_FIGURE.findall(text)))
    if figures:
        take(search_claims(figures, scope=scope, match="all", ranked=True))
    tokens = number_terms(text).split()
    if tokens:
        # The same figures however written: "пять целых семь десятых миллиона" finds
        # "5,7 млн" even when they share no word and many claims share more words.
        window = scope.filter(_with_figures(tokens)).order_by("-pk").values("pk")[:SCAN]
        by_figures = scope.filter(pk__in=window)
        if connection.vendor == "postgresql":
            take(by_figures)
        else:
            for row in by_figures.order_by("-pk").values(*_FIELDS)[:limit]:
                found.setdefault(row["pk"], row)
    if len(found) < limit // 2:
        take(search_claims(text, scope=scope, match="all", ranked=True))
    if len(found) < limit // 2:
        window = search_claims(text, scope=scope, match="any").values("pk")[:SCAN]
        take(search_claims(text, scope=scope.filter(pk__in=window), match="any", ranked=True))
    return list(found.values())


def _rating_label(label: str, translations: dict | None) -> str:
    from django.utils.translation import get_language

    language = (get_language() or "en")[:2]
    return ((translations or {}).get(language) or {}).get("label") or label


def _final_ratings_visible(user: User, rows: Iterable[dict]) -> set[int]:
    """The claims among ``rows`` whose final rating ``user`` may see (blind review)."""
    rows = [row for row in rows if row["final_verdict_id"]]
    if not rows:
        return set()
    reviewers: dict[int, set[int]] = defaultdict(set)
    for claim_id, reviewer_id in Verdict.objects.filter(
        claim_id__in=[row["pk"] for row in rows], deleted_at__isnull=True
    ).values_list("claim_id", "reviewer_id"):
        reviewers[claim_id].add(reviewer_id)
    rules = {}
    visible = set()
    for row in rows:
        project_id = row["document__project_id"]
        if project_id not in rules:
            rules[project_id] = verdict_visibility_for_rows(
                user, project_id=project_id, blind_review=row["document__project__blind_review"]
            )
        if rules[project_id](reviewers[row["pk"]]):
            visible.add(row["pk"])
    return visible


def _reference_candidates(prepared: Prepared, projects: QuerySet[Project]) -> list[ReferenceReview]:
    """Reference reviews of the readable projects that share a word with the claim.

    A reference archive holds what a newsroom chose to import, far fewer items than its
    own claims: a search of its stored lemmas serves.
    """
    terms = sorted(prepared.weights, key=lambda lemma: -prepared.weights[lemma])[:SEARCH_WORDS]
    if not terms:
        return []
    condition = Q()
    for term in terms:
        condition |= Q(match_terms__contains=f" {term} ")
    return list(
        ReferenceReview.objects.filter(condition, project__in=projects).select_related("project")[
            :CANDIDATES
        ]
    )


def similar_to_text(
    user: User,
    text: str,
    *,
    language: str | None = None,
    projects: QuerySet[Project] | None = None,
    exclude_claim: int | None = None,
    limit: int = DEFAULT_LIMIT,
) -> list[Similar]:
    """The earlier claims and reference reviews most like ``text``, best first.

    ``projects`` narrows where to look; it is always within what ``user`` may read.
    """
    limit = max(1, min(limit, MAX_LIMIT))
    readable = projects_for(user)
    if projects is not None:
        readable = readable.filter(pk__in=projects.values("pk"))
    language = language or guess_language(text)
    prepared = prepare(text, language)
    if not prepared.weights and not prepared.numbers:
        return []
    scope = Claim.objects.alive().filter(document__project__in=readable)
    if exclude_claim is not None:
        scope = scope.exclude(pk=exclude_claim)
    rows = _claim_candidates(text, scope)
    visible = _final_ratings_visible(user, rows)
    results: list[Similar] = []
    for row in rows:
        shown = row["pk"] in visible
        results.append(
            Similar(
                source="project",
                score=score(prepared, prepare(row["text"], row["document__language"] or None)),
                text=row["text"],
                claim=row["pk"],
                document=row["document_id"],
                document_title=row["document__title"],
                project=row["document__project__slug"],
                status=row["status"],
                final_rating=row["final_verdict__rating__value"] if shown else None,
                final_rating_label=_rating_label(
                    row["final_verdict__rating__label"],
                    row["final_verdict__rating__translations"],
                )
                if shown
                else "",
                final_rating_colour=row["final_verdict__rating__colour"] if shown else "",
                reviewed_on=row["final_verdict__updated_at"].date() if shown else None,
            )
        )
    for reference in _reference_candidates(prepared, readable):
        results.append(
            Similar(
                source="reference",
                score=score(prepared, prepare(reference.claim_text, reference.language or None)),
                text=reference.claim_text,
                project=reference.project.slug,
                final_rating=reference.rating_label,
                final_rating_label=reference.rating_label,
                reviewed_on=reference.date_published,
                reference=reference.pk,
                publisher=reference.publisher,
                url=reference.url,
            )
        )
    # Equal scores: the claim that search ranked higher first, then references.
    results.sort(key=lambda match: -match.score)
    return results[:limit]


def similar_to_claim(user: User, claim: Claim, *, limit: int = DEFAULT_LIMIT) -> list[Similar]:
    """What ``claim`` (from a scoped selector) was checked as before, best first."""
    return similar_to_text(
        user,
        claim.text,
        language=claim.document.language or None,
        exclude_claim=claim.pk,
        limit=limit,
    )


def claims_with_rated_match(user: User, claims: Iterable[Claim]) -> set[int]:
    """The claims among ``claims`` with a match found in the background that is rated:
    a reference review, or a claim with a final verdict that ``user`` may see. One query
    when none is, two or three when some are."""
    ids = [claim.pk for claim in claims]
    if not ids:
        return set()
    readable = projects_for(user)
    rows = list(
        ClaimMatch.objects.filter(claim_id__in=ids, score__gte=LIKELY_SAME)
        .filter(
            Q(reference__project__in=readable)
            | Q(
                matched_claim__deleted_at__isnull=True,
                matched_claim__final_verdict__isnull=False,
                matched_claim__document__project__in=readable,
            )
        )
        .values(
            "claim_id",
            "reference_id",
            pk=F("matched_claim_id"),
            final_verdict_id=F("matched_claim__final_verdict_id"),
            document__project_id=F("matched_claim__document__project_id"),
            document__project__blind_review=F("matched_claim__document__project__blind_review"),
        )
    )
    marked = {row["claim_id"] for row in rows if row["reference_id"]}
    earlier = [row for row in rows if row["pk"] and row["claim_id"] not in marked]
    visible = _final_ratings_visible(user, earlier)
    return marked | {row["claim_id"] for row in earlier if row["pk"] in visible}


def matching_pending(document: Document) -> bool:
    """Whether the document's claims are still being matched in the background (queued
    recently and not finished)."""
    queued = document.matching_queued_at
    return queued is not None and timezone.now() - queued < MATCHING_WAIT


def machine_matches(
    claim: Claim, *, language: str | None = None, references: bool = True
) -> list[Similar]:
    """The best matches of ``claim`` among the claims of all other documents and its
    project's reference reviews, for the background matching to keep; readers see them
    through ``claims_with_rated_match``, which scopes them."""
    from .services.matching import KEPT_MATCHES

    language = language or guess_language(claim.text)
    prepared = prepare(claim.text, language)
    if not prepared.weights and not prepared.numbers:
        return []
    scope = Claim.objects.alive().exclude(document_id=claim.document_id)
    results = [
        Similar(
            source="project",
            score=score(prepared, prepare(row["text"], row["document__language"] or None)),
            text=row["text"],
            claim=row["pk"],
        )
        for row in _claim_candidates(claim.text, scope, limit=BACKGROUND_CANDIDATES)
    ]
    if references:
        projects = Project.objects.filter(documents=claim.document_id)
        results.extend(
            Similar(
                source="reference",
                score=score(prepared, prepare(reference.claim_text, reference.language or None)),
                text=reference.claim_text,
                reference=reference.pk,
            )
            for reference in _reference_candidates(prepared, projects)
        )
    results.sort(key=lambda match: -match.score)
    return results[:KEPT_MATCHES]
