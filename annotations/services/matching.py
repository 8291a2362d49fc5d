"""Writes for "checked before?": linking a claim as the same as an earlier one, carrying
an earlier rating over, and storing the matches found when a document is split."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _

from ..matching.ranking import LIKELY_SAME
from ..models import Claim, ClaimMatch, Document, Rating, ReferenceReview, Role, Verdict
from .errors import ValidationError
from .history import history_record_changes
from .permissions import role_at_least, role_require
from .verdicts import claim_set_final_verdict
from .workflow import claim_lock, claim_move, project_of

# Matches kept per claim by the background matching.
KEPT_MATCHES = 5


@transaction.atomic
def claim_link_same(
    *,
    claim: Claim,
    same_as: Claim,
    actor: AbstractBaseUser | None,
    expected_version: int | None = None,
) -> Claim:
    """Mark ``claim`` as the same claim as ``same_as`` (reviewer+ in the claim's project,
    and ``same_as`` in a project the actor may read). Kept in the claim's history;
    ``claim_unlink_same`` undoes it."""
    role_require(actor, project_of(claim), Role.REVIEWER)
    if not role_at_least(actor, same_as.document.project, Role.VIEWER):
        raise ValidationError({"same_as": _("Choose a claim from a project you can read.")})
    if same_as.pk == claim.pk:
        raise ValidationError({"same_as": _("A claim cannot be the same as itself.")})
    if same_as.deleted_at is not None:
        raise ValidationError({"same_as": _("That claim is in the trash.")})
    # Following the earlier claim's own links must not lead back here.
    seen = {claim.pk}
    step = same_as
    while step is not None:
        if step.pk in seen:
            raise ValidationError(
                {"same_as": _("That claim is already linked as the same as this one.")}
            )
        seen.add(step.pk)
        step = step.same_as
    current = claim_lock(claim, expected_version=expected_version)
    if current.same_as_id == same_as.pk:
        return claim
    return claim_move(claim, current, actor=actor, reason="same claim", same_as=same_as)


@transaction.atomic
def claim_unlink_same(
    *, claim: Claim, actor: AbstractBaseUser | None, expected_version: int | None = None
) -> Claim:
    """Undo ``claim_link_same`` (reviewer+)."""
    role_require(actor, project_of(claim), Role.REVIEWER)
    current = claim_lock(claim, expected_version=expected_version)
    if current.same_as_id is None:
        return claim
    return claim_move(claim, current, actor=actor, reason="same claim", same_as=None)


def _rating_on_scale(claim: Claim, *, value: str = "", labels: tuple[str, ...] = ()) -> Rating:
    """The rating of the claim's project scale with ``value`` or one of ``labels``."""
    project = project_of(claim)
    ratings = list(Rating.objects.filter(scale_id=project.rating_scale_id))
    wanted = {label.strip().casefold() for label in labels if label.strip()}
    for rating in ratings:
        if value and rating.value == value:
            return rating
    for rating in ratings:
        names = {rating.value, rating.label, rating.alternate_name}
        names |= {entry.get("label", "") for entry in rating.translations.values()}
        if wanted & {name.casefold() for name in names if name}:
            return rating
    raise ValidationError(
        {"rating": _("The earlier rating is not on this project's scale; choose one.")}
    )


@transaction.atomic
def verdict_carry_over(
    *,
    claim: Claim,
    actor: AbstractBaseUser | None,
    earlier: Claim | None = None,
    reference: ReferenceReview | None = None,
    rating: str = "",
    expected_version: int | None = None,
) -> Verdict:
    """Make the earlier claim's final rating (or an imported review's) this claim's
    final verdict (editor+), with a rationale that refers to it.

    The earlier claim must come from a scoped selector and have a final verdict; its
    rating is found on this project's scale by value, label or ClaimReview name, or
    ``rating`` (a value on this scale) chooses one.
    """
    role_require(actor, project_of(claim), Role.EDITOR)
    if (earlier is None) == (reference is None):
        raise ValidationError(_("Choose the earlier claim or the review to carry over."))
    if earlier is not None:
        final = (
            Verdict.objects.filter(pk=earlier.final_verdict_id, deleted_at__isnull=True)
            .select_related("rating", "claim__document__project")
            .first()
        )
        if final is None:
            raise ValidationError(_("The earlier claim has no final verdict to carry over."))
        if not role_at_least(actor, final.claim.document.project, Role.EDITOR) and (
            final.claim.document.project.blind_review
        ):
            raise ValidationError(_("The earlier claim has no final verdict to carry over."))
        target = _rating_on_scale(
            claim,
            value=rating or final.rating.value,
            labels=(final.rating.label, final.rating.alternate_name),
        )
        rationale = _(
            "Same claim as #%(claim)s (%(project)s), rated “%(rating)s” on %(date)s: %(why)s"
        ) % {
            "claim": earlier.pk,
            "project": final.claim.document.project.name,
            "rating": final.rating.display_label(),
            "date": final.updated_at.date().isoformat(),
            "why": final.rationale,
        }
    else:
        final = None
        target = _rating_on_scale(claim, value=rating, labels=(reference.rating_label,))
        rationale = _("Same claim as reviewed by %(publisher)s, rated “%(rating)s”: %(url)s") % {
            "publisher": reference.publisher,
            "rating": reference.rating_label,
            "url": reference.url,
        }
    updated = claim_set_final_verdict(
        claim=claim,
        actor=actor,
        rating=target,
        rationale=rationale,
        expected_version=expected_version,
    )
    verdict = Verdict.objects.get(pk=updated.final_verdict_id)
    verdict.carried_from = final
    verdict.carried_from_reference = reference
    Verdict.objects.filter(pk=verdict.pk).update(
        carried_from=final, carried_from_reference=reference
    )
    history_record_changes([verdict], actor=actor, reason="verdict carried over")
    if earlier is not None and claim.same_as_id is None and earlier.pk != claim.pk:
        current = claim_lock(claim)
        claim_move(claim, current, actor=actor, reason="same claim", same_as=earlier)
    return verdict


def claims_match_document(*, document_id: int) -> int:
    """Find and keep the likely matches of every claim of a split document, among the
    claims of all other documents and the reference reviews. Safe to run twice: the
    document's matches are replaced. Returns how many were kept."""
    from ..similar import machine_matches

    document = Document.objects.filter(pk=document_id, status=Document.Status.READY).first()
    if document is None:
        Document.objects.filter(pk=document_id).update(matching_queued_at=None)
        return 0
    claims = list(document.claims.alive().only("pk", "text", "document_id"))
    # Most projects import no reviews: their claims need not look for any.
    references = ReferenceReview.objects.filter(project_id=document.project_id).exists()
    rows: list[ClaimMatch] = []
    for claim in claims:
        language = document.language or None
        for match in machine_matches(claim, language=language, references=references):
            if match.score < LIKELY_SAME or len(rows) > 10_000:
                continue
            rows.append(
                ClaimMatch(
                    claim=claim,
                    matched_claim_id=match.claim,
                    reference_id=match.reference,
                    score=match.score,
                )
            )
    with transaction.atomic():
        ClaimMatch.objects.filter(claim__document_id=document_id).delete()
        ClaimMatch.objects.bulk_create(rows)
        Document.objects.filter(pk=document_id).update(matching_queued_at=None)
    return len(rows)
