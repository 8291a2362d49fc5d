"""The review progress of each document, kept on the document itself.

A document list shows, per document, how many of its claims (outside the trash; all, and
the check-worthy ones) are reviewed and approved. Counting them per page view grows with
the archive, so every service that adds, removes, trashes or moves a claim between states
recounts its documents' claims here, in its own transaction. A recount reads only those
documents' claims, so it costs the same in a demo and in an archive of millions.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from ..extraction.scoring import CHECKWORTHY
from ..models import Claim, ClaimStatus, Document

DONE = (ClaimStatus.REVIEWED, ClaimStatus.APPROVED, ClaimStatus.PUBLISHED)
APPROVED = (ClaimStatus.APPROVED, ClaimStatus.PUBLISHED)


def _count(claims: QuerySet[Claim]) -> Coalesce:
    per_document = claims.order_by().values("document_id").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(per_document, output_field=IntegerField()), 0)


def progress_counts(claim_model: type[Claim] = Claim) -> dict[str, Coalesce]:
    """The counters as expressions over each document's claims (``OuterRef("pk")``);
    ``claim_model`` lets a migration pass its historical model."""
    alive = claim_model.objects.filter(document_id=OuterRef("pk"), deleted_at__isnull=True)
    checkworthy = alive.filter(checkworthiness__gte=CHECKWORTHY)
    return {
        "claim_count": _count(alive),
        "reviewed_count": _count(alive.filter(status__in=DONE)),
        "approved_count": _count(alive.filter(status__in=APPROVED)),
        "checkworthy_count": _count(checkworthy),
        "checkworthy_reviewed": _count(checkworthy.filter(status__in=DONE)),
    }


def document_progress_refresh(*, document_ids: Iterable[int]) -> None:
    """Recount the progress of these documents from their claims as stored now."""
    ids = sorted(set(document_ids))
    if ids:
        Document.objects.filter(pk__in=ids).update(**progress_counts())


def progress_recount_all(
    *, batch: int = 1000, document_model: type[Document] = Document, claim_model=Claim
) -> int:
    """Recount every document's progress, a batch of documents at a time (repair, or
    after claims were written outside the services). Returns how many were recounted.
    A migration passes its historical models."""
    documents = document_model.objects.order_by("pk")
    done = 0
    last = 0
    while True:
        ids = list(documents.filter(pk__gt=last).values_list("pk", flat=True)[:batch])
        if not ids:
            return done
        documents.filter(pk__in=ids).update(**progress_counts(claim_model))
        done += len(ids)
        last = ids[-1]
