"""Where each claim stood in each version of a changed article."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .documents import AnchorState, Claim, Document


class ClaimAnchor(models.Model):
    """A claim's span in one version of its document (none when it was not placed).

    Written when a new version is stored, for the old version and the new one, so that
    two versions can be shown side by side with their claims.
    """

    claim = models.ForeignKey(
        Claim, verbose_name=_("claim"), on_delete=models.CASCADE, related_name="anchors"
    )
    document = models.ForeignKey(
        Document,
        verbose_name=_("document version"),
        on_delete=models.CASCADE,
        related_name="claim_anchors",
    )
    start = models.PositiveIntegerField(_("start"), null=True, blank=True)
    end = models.PositiveIntegerField(_("end"), null=True, blank=True)
    text = models.TextField(_("text"))
    state = models.CharField(_("anchoring"), max_length=16, choices=AnchorState.choices)
    confidence = models.FloatField(_("confidence"), null=True, blank=True)
    method = models.CharField(_("method"), max_length=16, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("claim anchor")
        verbose_name_plural = _("claim anchors")
        ordering = ["document", "start", "id"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "document"], name="anchor_unique_version"),
            models.CheckConstraint(
                condition=Q(start__isnull=True, end__isnull=True) | Q(start__lt=F("end")),
                name="anchor_span",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.claim_id} @ {self.document_id}: {self.state}"
