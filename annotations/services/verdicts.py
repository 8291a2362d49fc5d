"""Verdicts: each reviewer's rating of a claim, and the editor's final word."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ..models import Claim, ClaimStatus, Project, Rating, Role, Source, Verdict
from .errors import Conflict, PermissionDenied, ValidationError
from .history import history_record_changes, instance_update_versioned
from .permissions import role_require
from .workflow import claim_lock, claim_mark_reviewed, claim_move, claim_require_open, project_of

RATIONALE_MAX_CHARS = 20_000


def rating_current(project: Project, rating: Rating | str) -> Rating:
    """The rating (a ``Rating`` or its value, e.g. "mostly_false") on the project's scale.

    Verdicts are given on the current scale only; older versions stay for the verdicts
    that already use them.
    """
    if isinstance(rating, Rating):
        if rating.scale_id == project.rating_scale_id:
            return rating
    else:
        found = Rating.objects.filter(scale_id=project.rating_scale_id, value=rating).first()
        if found is not None:
            return found
    raise ValidationError({"rating": _("Choose a rating from the project's current scale.")})


def _clean_rationale(rationale: str) -> str:
    rationale = (rationale or "").strip()
    if not rationale:
        raise ValidationError({"rationale": _("Explain the verdict: the rationale is required.")})
    if len(rationale) > RATIONALE_MAX_CHARS:
        raise ValidationError(
            {
                "rationale": _("The rationale is longer than %(limit)s characters.")
                % {"limit": RATIONALE_MAX_CHARS}
            }
        )
    return rationale


def _claim_sources(claim: Claim, sources: Iterable[Source | int]) -> list[int]:
    ids = {getattr(source, "pk", source) for source in sources}
    found = set(
        Source.objects.filter(pk__in=ids, claim=claim, deleted_at__isnull=True).values_list(
            "pk", flat=True
        )
    )
    if found != ids:
        raise ValidationError({"sources": _("A verdict can only rely on this claim's sources.")})
    return sorted(found)


def _set_sources(verdict: Verdict, source_ids: list[int]) -> None:
    # The caller records one history entry for the whole change, sources included, so
    # the per-signal entry simple-history would add here is skipped.
    verdict.skip_history_when_saving = True
    try:
        verdict.sources.set(source_ids)
    finally:
        del verdict.skip_history_when_saving


def _save_own_verdict(
    claim: Claim,
    *,
    actor: AbstractBaseUser,
    rating: Rating,
    rationale: str,
    source_ids: list[int] | None,
    expected_version: int | None,
) -> Verdict:
    """Create the actor's verdict on a locked claim, or update it.

    An existing verdict is only overwritten at ``expected_version``; one in the trash is
    brought back with the new content, since a reviewer has one verdict slot per claim.
    """
    existing = Verdict.objects.select_for_update().filter(claim=claim, reviewer=actor).first()
    if existing is None:
        verdict = Verdict(claim=claim, reviewer=actor, rating=rating, rationale=rationale)
        try:
            with transaction.atomic():
                verdict.save_without_historical_record()
        except IntegrityError:
            raise Conflict(
                _("You already gave a verdict on this claim; reload it to change it."),
                current=Verdict.objects.filter(claim=claim, reviewer=actor).first(),
            ) from None
        created = True
    else:
        if existing.deleted_at is None:
            if expected_version is None:
                raise Conflict(
                    _("You already gave a verdict on this claim; reload it to change it."),
                    current=existing,
                )
        else:
            expected_version = existing.version
        verdict = existing
        instance_update_versioned(
            verdict,
            actor=actor,
            expected_version=expected_version,
            reason="verdict",
            record=False,
            rating=rating,
            rationale=rationale,
            deleted_at=None,
        )
        created = False
    if source_ids is not None:
        _set_sources(verdict, source_ids)
    history_record_changes([verdict], actor=actor, reason="verdict", created=created)
    return verdict


@transaction.atomic
def verdict_submit(
    *,
    claim: Claim,
    actor: AbstractBaseUser | None,
    rating: Rating | str,
    rationale: str,
    sources: Iterable[Source | int] = (),
    expected_version: int | None = None,
) -> Verdict:
    """Give the actor's verdict on a claim (reviewer+).

    The rating comes from the project's current scale, the rationale is required, and
    the sources must be this claim's. A reviewer has one verdict per claim: if they have
    one already, this updates it, and then ``expected_version`` must be the version they
    saw (otherwise ``Conflict``). An unreviewed or in-review claim becomes reviewed.
    """
    project = project_of(claim)
    role_require(actor, project, Role.REVIEWER)
    current = claim_lock(claim)
    claim_require_open(current)
    verdict = _save_own_verdict(
        current,
        actor=actor,
        rating=rating_current(project, rating),
        rationale=_clean_rationale(rationale),
        source_ids=_claim_sources(current, sources),
        expected_version=expected_version,
    )
    claim_mark_reviewed(current, actor=actor)
    claim.refresh_from_db()
    return verdict


@transaction.atomic
def verdict_update(
    *,
    verdict: Verdict,
    actor: AbstractBaseUser | None,
    expected_version: int,
    rating: Rating | str | None = None,
    rationale: str | None = None,
    sources: Iterable[Source | int] | None = None,
) -> Verdict:
    """Change one's own verdict, if it is still at ``expected_version`` (else ``Conflict``).

    Only the fields given change; a rating kept from an older scale version stays as it
    is, a new one must come from the current scale.
    """
    claim = verdict.claim
    project = project_of(claim)
    role_require(actor, project, Role.REVIEWER)
    if verdict.reviewer_id != actor.pk:
        raise PermissionDenied(_("Only its reviewer can change a verdict."))
    current = claim_lock(claim)
    claim_require_open(current)
    if Verdict.objects.filter(pk=verdict.pk, deleted_at__isnull=False).exists():
        raise ValidationError(_("This verdict is in the trash; restore it first."))
    changes = {}
    if rating is not None:
        changes["rating"] = rating_current(project, rating)
    if rationale is not None:
        changes["rationale"] = _clean_rationale(rationale)
    source_ids = None if sources is None else _claim_sources(current, sources)
    if not changes and source_ids is None:
        return verdict
    instance_update_versioned(
        verdict,
        actor=actor,
        expected_version=expected_version,
        reason="verdict",
        record=False,
        **changes,
    )
    if source_ids is not None:
        _set_sources(verdict, source_ids)
    history_record_changes([verdict], actor=actor, reason="verdict")
    return verdict


@transaction.atomic
def claim_set_final_verdict(
    *,
    claim: Claim,
    actor: AbstractBaseUser | None,
    rating: Rating | str | None = None,
    rationale: str = "",
    verdict: Verdict | None = None,
    sources: Iterable[Source | int] | None = None,
    expected_version: int | None = None,
) -> Claim:
    """Set the verdict the newsroom stands behind, which exports use (editor+).

    Either point at one of the claim's verdicts (``verdict=``), or give a rating and
    rationale: they become the editor's own verdict on the claim (created, or updated in
    place: an editor does not conflict with their own earlier verdict), and that becomes
    the final one. ``expected_version`` is the claim's. The claim must not be approved or
    published; an unreviewed or in-review claim becomes reviewed.
    """
    project = project_of(claim)
    role_require(actor, project, Role.EDITOR)
    current = claim_lock(claim, expected_version=expected_version)
    claim_require_open(current)
    if (verdict is None) == (rating is None):
        raise ValidationError(_("Choose one of the verdicts, or give a rating and rationale."))
    if verdict is not None:
        final = Verdict.objects.filter(
            pk=verdict.pk, claim=current, deleted_at__isnull=True
        ).first()
        if final is None:
            raise ValidationError({"verdict": _("Choose one of this claim's verdicts.")})
    else:
        own = Verdict.objects.filter(claim=current, reviewer=actor).first()
        final = _save_own_verdict(
            current,
            actor=actor,
            rating=rating_current(project, rating),
            rationale=_clean_rationale(rationale),
            source_ids=None if sources is None else _claim_sources(current, sources),
            expected_version=own.version if own else None,
        )
    # Giving a final verdict is giving a verdict: the claim has been reviewed.
    return claim_move(
        claim,
        current,
        actor=actor,
        reason="final verdict",
        final_verdict=final,
        status=ClaimStatus.REVIEWED,
    )
