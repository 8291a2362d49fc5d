"""Threaded discussion of a claim among the project's members."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Claim, Comment, Role
from .errors import ValidationError
from .permissions import role_require
from .workflow import claim_lock, project_of

COMMENT_MAX_CHARS = 10_000


@transaction.atomic
def comment_add(
    *,
    claim: Claim,
    actor: AbstractBaseUser | None,
    body: str,
    parent: Comment | None = None,
) -> Comment:
    """Comment on a claim, or reply to one of its comments (reviewer+).

    Deleting and restoring comments lives with the rest of the trash, in ``trash.py``.
    """
    role_require(actor, project_of(claim), Role.REVIEWER)
    # A claim being trashed or purged right now takes no new comments.
    claim_lock(claim)
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write something first.")})
    if len(body) > COMMENT_MAX_CHARS:
        raise ValidationError(
            {
                "body": _("A comment is limited to %(limit)s characters.")
                % {"limit": COMMENT_MAX_CHARS}
            }
        )
    if (
        parent is not None
        and not Comment.objects.filter(
            pk=parent.pk, claim_id=claim.pk, deleted_at__isnull=True
        ).exists()
    ):
        raise ValidationError({"parent": _("Reply to a comment on the same claim.")})
    comment = Comment(claim_id=claim.pk, author=actor, body=body, parent=parent)
    comment._history_user = actor
    comment.save()
    return comment
