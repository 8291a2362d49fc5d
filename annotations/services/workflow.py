"""A claim's way through review: assignment, approval, publication and back.

    unreviewed ─assign─▶ in_review ─verdict─▶ reviewed ─approve─▶ approved ─publish─▶ published
                              ▲                   │                   │  ◀─unpublish─┘
                              └──────reopen───────┴───────────────────┘

Every transition locks the claim row, checks the actor's role and the claim's state,
bumps ``Claim.version`` and records who did it. Callers that show the claim to a person
pass the version that person saw as ``expected_version``; if the claim changed since,
they get ``Conflict`` instead of acting on something they have not seen.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Claim, ClaimKind, ClaimStatus, Project, Role
from .errors import Conflict, PermissionDenied, ValidationError
from .history import history_record_changes, instance_update_versioned
from .permissions import role_at_least, role_require
from .progress import document_progress_refresh
from .publishing import publication_stamp

# An approved or published claim says what the newsroom stands behind; changing it
# means reopening it first, so that the change is reviewed again.
FROZEN = frozenset({ClaimStatus.APPROVED, ClaimStatus.PUBLISHED})
# States in which a claim is still being judged and a verdict may be given.
OPEN = frozenset({ClaimStatus.UNREVIEWED, ClaimStatus.IN_REVIEW, ClaimStatus.REVIEWED})


def claim_lock(
    claim: Claim, *, expected_version: int | None = None, allow_deleted: bool = False
) -> Claim:
    """The claim as stored now, locked until the transaction ends.

    Refuses a claim in the trash (unless ``allow_deleted``), and raises ``Conflict`` when
    the caller saw an older version than the stored one.
    """
    current = Claim.objects.select_for_update().filter(pk=claim.pk).first()
    if current is None:
        raise ValidationError(_("This claim no longer exists."))
    if expected_version is not None and current.version != expected_version:
        raise Conflict(
            _("Someone else changed this claim since you opened it. Reload and try again."),
            current=current,
        )
    if current.deleted_at is not None and not allow_deleted:
        raise ValidationError(_("This claim is in the trash; restore it first."))
    return current


def project_of(claim: Claim) -> Project:
    return claim.document.project


def claim_require_open(claim: Claim) -> None:
    if claim.status in FROZEN:
        raise ValidationError(
            _("An approved or published claim cannot be changed; reopen it first.")
        )


def claim_move(
    claim: Claim, current: Claim, *, actor: AbstractBaseUser | None, reason: str, **changes: Any
) -> Claim:
    """Write ``changes`` to the locked ``current`` row and bring ``claim`` up to date."""
    instance_update_versioned(
        current, actor=actor, expected_version=current.version, reason=reason, **changes
    )
    if claim is not current:
        claim.refresh_from_db()
    return claim


def claim_mark_reviewed(claim: Claim, *, actor: AbstractBaseUser | None) -> None:
    """A claim that has received a verdict is reviewed (the caller holds the lock)."""
    if claim.status in (ClaimStatus.UNREVIEWED, ClaimStatus.IN_REVIEW):
        instance_update_versioned(
            claim,
            actor=actor,
            expected_version=claim.version,
            reason="verdict",
            status=ClaimStatus.REVIEWED,
        )


def _transition(
    claim: Claim,
    *,
    actor: AbstractBaseUser | None,
    expected_version: int | None,
    role: str,
    allowed_from: Iterable[str],
    reason: str,
    refusal: str,
    **changes: Any,
) -> Claim:
    role_require(actor, project_of(claim), role)
    current = claim_lock(claim, expected_version=expected_version)
    if current.status not in allowed_from:
        raise ValidationError(refusal % {"status": ClaimStatus(current.status).label})
    return claim_move(claim, current, actor=actor, reason=reason, **changes)


@transaction.atomic
def claims_assign(
    *, claims: Iterable[Claim], actor: AbstractBaseUser | None, assignee: AbstractBaseUser
) -> list[Claim]:
    """Give claims to a reviewer (editor+). Unreviewed claims go into review.

    All or nothing: the claims must be from one project, none approved, published or in
    the trash, and the assignee must be a reviewer (or higher) in that project. Returns
    the claims as stored afterwards.
    """
    ids = sorted({claim.pk for claim in claims})
    if not ids:
        return []
    # Lock in a fixed order so that two bulk assignments cannot deadlock each other.
    locked = list(
        Claim.objects.select_for_update()
        .filter(pk__in=ids)
        .order_by("pk")
        .select_related("document__project")
    )
    projects = {claim.document.project for claim in locked}
    if len(locked) != len(ids) or len(projects) != 1:
        raise ValidationError(_("Claims can only be assigned together within one project."))
    (project,) = projects
    role_require(actor, project, Role.EDITOR)
    if not role_at_least(assignee, project, Role.REVIEWER):
        raise ValidationError(
            {"assignee": _("Claims can only be given to reviewers of this project.")}
        )
    for claim in locked:
        if claim.deleted_at is not None:
            raise ValidationError(_("A claim in the trash cannot be assigned; restore it first."))
        claim_require_open(claim)
    Claim.objects.filter(pk__in=ids).update(
        assignee=assignee,
        status=Case(
            When(status=ClaimStatus.UNREVIEWED, then=Value(ClaimStatus.IN_REVIEW)),
            default=F("status"),
        ),
        version=F("version") + 1,
        updated_at=timezone.now(),
    )
    stored = list(Claim.objects.filter(pk__in=ids).order_by("document", "position"))
    document_progress_refresh(document_ids={claim.document_id for claim in stored})
    history_record_changes(stored, actor=actor, reason="assign")
    return stored


@transaction.atomic
def claim_unassign(
    *, claim: Claim, actor: AbstractBaseUser | None, expected_version: int | None = None
) -> Claim:
    """Take a claim off its reviewer (editor+); a claim in review goes back to unreviewed."""
    role_require(actor, project_of(claim), Role.EDITOR)
    current = claim_lock(claim, expected_version=expected_version)
    claim_require_open(current)
    status = current.status
    if status == ClaimStatus.IN_REVIEW:
        status = ClaimStatus.UNREVIEWED
    return claim_move(claim, current, actor=actor, reason="unassign", assignee=None, status=status)


def claim_require_second_pair_of_eyes(
    claim: Claim, actor: AbstractBaseUser | None, refusal: str
) -> None:
    """Under the project's separation of duties, nobody approves or publishes a claim whose
    only verdicts are their own: someone else must have judged it too."""
    if not project_of(claim).separate_duties or actor is None:
        return
    reviewers = set(
        claim.verdicts.filter(deleted_at__isnull=True).values_list("reviewer_id", flat=True)
    )
    if reviewers and reviewers <= {actor.pk}:
        raise ValidationError(refusal)


@transaction.atomic
def claim_approve(
    *, claim: Claim, actor: AbstractBaseUser | None, expected_version: int | None = None
) -> Claim:
    """Approve a reviewed claim (editor+). It needs a final verdict first."""
    role_require(actor, project_of(claim), Role.EDITOR)
    current = claim_lock(claim, expected_version=expected_version)
    if current.status != ClaimStatus.REVIEWED:
        raise ValidationError(
            _("Only a reviewed claim can be approved; its status is “%(status)s”.")
            % {"status": ClaimStatus(current.status).label}
        )
    final = current.final_verdict
    if final is None or final.deleted_at is not None or final.claim_id != current.pk:
        raise ValidationError(_("Set the final verdict before approving the claim."))
    claim_require_second_pair_of_eyes(
        current,
        actor,
        _(
            "This project separates duties: you cannot approve a claim whose only verdict "
            "is your own. Another editor can, or another reviewer can give a verdict first."
        ),
    )
    return claim_move(claim, current, actor=actor, reason="approve", status=ClaimStatus.APPROVED)


@transaction.atomic
def claim_publish(
    *, claim: Claim, actor: AbstractBaseUser | None, expected_version: int | None = None
) -> Claim:
    """Publish an approved claim (editor+): it gets its public page and is included in
    the ClaimReview export."""
    claim_require_second_pair_of_eyes(
        claim_lock(claim),
        actor,
        _(
            "This project separates duties: you cannot publish a claim whose only verdict "
            "is your own. Another editor can."
        ),
    )
    claim = _transition(
        claim,
        actor=actor,
        expected_version=expected_version,
        role=Role.EDITOR,
        allowed_from={ClaimStatus.APPROVED},
        reason="publish",
        refusal=_("Only an approved claim can be published; its status is “%(status)s”."),
        status=ClaimStatus.PUBLISHED,
        published_at=timezone.now(),
    )
    publication_stamp(claim, published=True)
    return claim


@transaction.atomic
def claim_unpublish(
    *, claim: Claim, actor: AbstractBaseUser | None, expected_version: int | None = None
) -> Claim:
    """Withdraw a published claim (editor+): its public page answers "gone" and it leaves
    the export; it stays approved."""
    claim = _transition(
        claim,
        actor=actor,
        expected_version=expected_version,
        role=Role.EDITOR,
        allowed_from={ClaimStatus.PUBLISHED},
        reason="unpublish",
        refusal=_("Only a published claim can be unpublished; its status is “%(status)s”."),
        status=ClaimStatus.APPROVED,
        published_at=None,
    )
    publication_stamp(claim, published=False)
    return claim


@transaction.atomic
def claim_reopen(
    *, claim: Claim, actor: AbstractBaseUser | None, expected_version: int | None = None
) -> Claim:
    """Send a reviewed or approved claim back into review (editor+).

    Verdicts and the final verdict stay; a published claim must be unpublished first.
    """
    return _transition(
        claim,
        actor=actor,
        expected_version=expected_version,
        role=Role.EDITOR,
        allowed_from={ClaimStatus.REVIEWED, ClaimStatus.APPROVED},
        reason="reopen",
        refusal=_("Only a reviewed or approved claim can be reopened; its status is “%(status)s”."),
        status=ClaimStatus.IN_REVIEW,
    )


@transaction.atomic
def claim_update(
    *,
    claim: Claim,
    actor: AbstractBaseUser | None,
    expected_version: int,
    kind: str | None = None,
    attribution: str | None = None,
) -> Claim:
    """Correct what the extractor said about a claim (reviewer+): its kind or attribution.

    Only the fields given change. The extractor's own kind stays in ``extracted_kind``.
    """
    role_require(actor, project_of(claim), Role.REVIEWER)
    current = claim_lock(claim, expected_version=expected_version)
    claim_require_open(current)
    changes: dict[str, Any] = {}
    if kind is not None:
        if kind not in ClaimKind.values:
            raise ValidationError({"kind": _("Unknown kind “%(kind)s”.") % {"kind": kind}})
        changes["kind"] = kind
    if attribution is not None:
        changes["attribution"] = attribution.strip()[:500]
    if not changes:
        return claim
    return claim_move(claim, current, actor=actor, reason="edit", **changes)


def author_or_role_require(
    user: AbstractBaseUser | None,
    author_id: int | None,
    project: Project,
    role: str,
    *,
    refusal: str,
) -> None:
    """Reviewers manage what they wrote themselves; ``role`` manages everyone's.

    ``refusal`` is the whole sentence shown to anyone else: it names the object and the
    action, so that each language can phrase it as it needs.
    """
    if role_at_least(user, project, role):
        return
    if user is not None and user.pk == author_id and role_at_least(user, project, Role.REVIEWER):
        return
    raise PermissionDenied(refusal)
