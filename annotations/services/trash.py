"""The trash: nobody's work disappears by accident.

Reviewers move claims, verdicts, sources and comments to the trash and restore them
(``deleted_at`` is set or cleared; selectors stop showing trashed objects). Only project
admins purge, and only what is already in the trash. Every step is recorded in history.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Claim, ClaimStatus, Comment, Document, Role, Source, Verdict
from .errors import ValidationError
from .history import history_record_changes, instance_update_versioned
from .permissions import role_require
from .workflow import (
    author_or_role_require,
    claim_lock,
    claim_mark_reviewed,
    claim_move,
    claim_require_open,
    project_of,
)

# --- Claims ---------------------------------------------------------------------------


@transaction.atomic
def claim_delete(
    *, claim: Claim, actor: AbstractBaseUser | None, expected_version: int | None = None
) -> Claim:
    """Move a claim to the trash (reviewer+). Approved and published claims stay put."""
    role_require(actor, project_of(claim), Role.REVIEWER)
    current = claim_lock(claim, expected_version=expected_version, allow_deleted=True)
    if current.deleted_at is not None:
        claim.refresh_from_db()
        return claim
    claim_require_open(current)
    return claim_move(claim, current, actor=actor, reason="delete", deleted_at=timezone.now())


@transaction.atomic
def claim_restore(*, claim: Claim, actor: AbstractBaseUser | None) -> Claim:
    """Bring a claim back from the trash (reviewer+), in the state it was trashed in."""
    role_require(actor, project_of(claim), Role.REVIEWER)
    current = claim_lock(claim, allow_deleted=True)
    if current.deleted_at is None:
        claim.refresh_from_db()
        return claim
    return claim_move(claim, current, actor=actor, reason="restore", deleted_at=None)


@transaction.atomic
def claim_purge(*, claim: Claim, actor: AbstractBaseUser | None) -> None:
    """Delete a trashed claim for good, with its verdicts, sources and comments (admin)."""
    role_require(actor, project_of(claim), Role.ADMIN)
    current = claim_lock(claim, allow_deleted=True)
    _purge(
        current,
        actor=actor,
        refusal=_("Only a claim in the trash can be purged; move it to the trash first."),
    )


# --- Verdicts -------------------------------------------------------------------------


@transaction.atomic
def verdict_delete(
    *, verdict: Verdict, actor: AbstractBaseUser | None, expected_version: int | None = None
) -> Verdict:
    """Move a verdict to the trash (its reviewer, or an editor+).

    If it was the final verdict, the claim has none any more; a claim left without
    verdicts is no longer reviewed (back in review if someone is assigned).
    """
    author_or_role_require(
        actor,
        verdict.reviewer_id,
        project_of(verdict.claim),
        Role.EDITOR,
        refusal=_("Only the reviewer who gave this verdict or an editor can move it to the trash."),
    )
    claim = claim_lock(verdict.claim)
    claim_require_open(claim)
    current = Verdict.objects.select_for_update().get(pk=verdict.pk)
    if current.deleted_at is not None:
        verdict.refresh_from_db()
        return verdict
    instance_update_versioned(
        current,
        actor=actor,
        expected_version=current.version if expected_version is None else expected_version,
        reason="delete",
        deleted_at=timezone.now(),
    )
    changes: dict[str, Any] = {}
    if claim.final_verdict_id == current.pk:
        changes["final_verdict"] = None
    alive = claim.verdicts.filter(deleted_at__isnull=True)
    if claim.status == ClaimStatus.REVIEWED and not alive.exists():
        changes["status"] = ClaimStatus.IN_REVIEW if claim.assignee_id else ClaimStatus.UNREVIEWED
    if changes:
        claim_move(claim, claim, actor=actor, reason="delete verdict", **changes)
    verdict.refresh_from_db()
    return verdict


@transaction.atomic
def verdict_restore(*, verdict: Verdict, actor: AbstractBaseUser | None) -> Verdict:
    """Bring a verdict back from the trash (its reviewer, or an editor+).

    It does not become the final verdict again by itself; the claim counts as reviewed.
    """
    author_or_role_require(
        actor,
        verdict.reviewer_id,
        project_of(verdict.claim),
        Role.EDITOR,
        refusal=_("Only the reviewer who gave this verdict or an editor can restore it."),
    )
    claim = claim_lock(verdict.claim)
    claim_require_open(claim)
    current = Verdict.objects.select_for_update().get(pk=verdict.pk)
    if current.deleted_at is not None:
        instance_update_versioned(
            current,
            actor=actor,
            expected_version=current.version,
            reason="restore",
            deleted_at=None,
        )
        claim_mark_reviewed(claim, actor=actor)
    verdict.refresh_from_db()
    return verdict


@transaction.atomic
def verdict_purge(*, verdict: Verdict, actor: AbstractBaseUser | None) -> None:
    """Delete a trashed verdict for good (admin)."""
    role_require(actor, project_of(verdict.claim), Role.ADMIN)
    claim_lock(verdict.claim, allow_deleted=True)
    _purge(
        _fresh(verdict),
        actor=actor,
        refusal=_("Only a verdict in the trash can be purged; move it to the trash first."),
    )


# --- Sources --------------------------------------------------------------------------


@transaction.atomic
def source_delete(*, source: Source, actor: AbstractBaseUser | None) -> Source:
    """Move a source to the trash (reviewer+). Verdicts that relied on it keep the link."""
    role_require(actor, project_of(source.claim), Role.REVIEWER)
    claim = claim_lock(source.claim)
    claim_require_open(claim)
    return _set_deleted(source, actor=actor, deleted=True)


@transaction.atomic
def source_restore(*, source: Source, actor: AbstractBaseUser | None) -> Source:
    """Bring a source back from the trash (reviewer+)."""
    role_require(actor, project_of(source.claim), Role.REVIEWER)
    claim = claim_lock(source.claim)
    claim_require_open(claim)
    return _set_deleted(source, actor=actor, deleted=False)


@transaction.atomic
def source_purge(*, source: Source, actor: AbstractBaseUser | None) -> None:
    """Delete a trashed source for good, with its snapshots (admin)."""
    role_require(actor, project_of(source.claim), Role.ADMIN)
    claim_lock(source.claim, allow_deleted=True)
    _purge(
        _fresh(source),
        actor=actor,
        refusal=_("Only a source in the trash can be purged; move it to the trash first."),
    )


# --- Comments -------------------------------------------------------------------------


@transaction.atomic
def comment_delete(*, comment: Comment, actor: AbstractBaseUser | None) -> Comment:
    """Move a comment to the trash (its author, or an editor+).

    Its replies stay; the thread shows it as a placeholder while they exist.
    """
    author_or_role_require(
        actor,
        comment.author_id,
        project_of(comment.claim),
        Role.EDITOR,
        refusal=_("Only the author of this comment or an editor can move it to the trash."),
    )
    return _set_deleted(comment, actor=actor, deleted=True)


@transaction.atomic
def comment_restore(*, comment: Comment, actor: AbstractBaseUser | None) -> Comment:
    """Bring a comment back from the trash (its author, or an editor+)."""
    author_or_role_require(
        actor,
        comment.author_id,
        project_of(comment.claim),
        Role.EDITOR,
        refusal=_("Only the author of this comment or an editor can restore it."),
    )
    return _set_deleted(comment, actor=actor, deleted=False)


@transaction.atomic
def comment_purge(*, comment: Comment, actor: AbstractBaseUser | None) -> None:
    """Delete a trashed comment for good, with the replies under it (admin)."""
    role_require(actor, project_of(comment.claim), Role.ADMIN)
    _purge(
        _fresh(comment),
        actor=actor,
        refusal=_("Only a comment in the trash can be purged; move it to the trash first."),
    )


# --- Documents ------------------------------------------------------------------------


def _require_document_keeper(actor: AbstractBaseUser | None, document: Document) -> None:
    author_or_role_require(
        actor,
        document.created_by_id,
        document.project,
        Role.EDITOR,
        refusal=_("Only an editor, or the reviewer who added it, can do this to a document."),
    )


@transaction.atomic
def document_delete(*, document: Document, actor: AbstractBaseUser | None) -> Document:
    """Move a document to the trash (editor+, or the reviewer who added it). Its claims
    go with it and come back with it. Refused while one of its claims is published."""
    _require_document_keeper(actor, document)
    if document.claims.alive().filter(status=ClaimStatus.PUBLISHED).exists():
        raise ValidationError(
            _("A claim of this document is published; unpublish it before trashing the document.")
        )
    return _set_deleted(_fresh(document), actor=actor, deleted=True)


@transaction.atomic
def document_restore(*, document: Document, actor: AbstractBaseUser | None) -> Document:
    """Bring a document back from the trash, with its claims as they were."""
    _require_document_keeper(actor, document)
    return _set_deleted(_fresh(document), actor=actor, deleted=False)


# --- Shared ---------------------------------------------------------------------------


def _fresh(instance: Model) -> Model:
    current = type(instance)._default_manager.select_for_update().filter(pk=instance.pk).first()
    if current is None:
        raise ValidationError(_("This no longer exists."))
    return current


def _set_deleted(instance: Model, *, actor: AbstractBaseUser | None, deleted: bool) -> Model:
    """Trash or restore an object without a version: only a change is recorded."""
    changes: dict[str, Any] = {"deleted_at": timezone.now() if deleted else None}
    if any(f.name == "updated_at" for f in instance._meta.concrete_fields):
        changes["updated_at"] = timezone.now()
    rows = (
        type(instance)
        ._default_manager.filter(pk=instance.pk, deleted_at__isnull=deleted)
        .update(**changes)
    )
    instance.refresh_from_db()
    if rows:
        history_record_changes([instance], actor=actor, reason="delete" if deleted else "restore")
    return instance


def _purge(instance: Model, *, actor: AbstractBaseUser | None, refusal: str) -> None:
    """Delete ``instance`` for good; ``refusal`` is the message when it is not in the trash."""
    if instance.deleted_at is None:
        raise ValidationError(refusal)
    instance._history_user = actor
    instance.delete()
