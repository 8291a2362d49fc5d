"""What "checked before?" keeps: other fact-checkers' reviews imported as references, and
the matches found for each claim in the background."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .documents import Claim
from .projects import Project


class ReferenceReview(models.Model):
    """A claim reviewed and published by another fact-checker (a ClaimReview), kept in a
    project's reference archive so that new claims are matched against it."""

    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="reference_reviews",
    )
    claim_text = models.TextField(_("claim"))
    claim_author = models.CharField(_("claim made by"), max_length=300, blank=True)
    claim_date = models.DateField(_("claim made on"), null=True, blank=True)
    publisher = models.CharField(_("publisher"), max_length=300)
    publisher_url = models.URLField(_("publisher URL"), max_length=2000, blank=True)
    url = models.URLField(_("review URL"), max_length=2000)
    rating_label = models.CharField(_("rating"), max_length=300)
    rating_value = models.FloatField(_("rating value"), null=True, blank=True)
    best_rating = models.FloatField(_("best rating"), null=True, blank=True)
    worst_rating = models.FloatField(_("worst rating"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    date_published = models.DateField(_("published on"), null=True, blank=True)
    # The claim's lemmas and concepts as the matcher reads them, space-separated and
    # space-framed, so that candidates are found by a word-wise ``contains``.
    match_terms = models.TextField(_("match terms"), blank=True, editable=False)
    # sha256 of the claim text: the same review of the same claim is imported once.
    claim_sha256 = models.CharField(max_length=64)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reference review")
        verbose_name_plural = _("reference reviews")
        ordering = ["-date_published", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "url", "claim_sha256"], name="reference_review_unique"
            ),
            models.CheckConstraint(
                condition=~Q(claim_text="") & ~Q(publisher="") & ~Q(rating_label=""),
                name="reference_review_required",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.publisher}: {self.claim_text[:60]}"


class ClaimMatch(models.Model):
    """An earlier claim or a reference review found alike to a claim when its document was
    split. Readers see only the matches in projects they may read."""

    claim = models.ForeignKey(
        Claim, verbose_name=_("claim"), on_delete=models.CASCADE, related_name="matches"
    )
    matched_claim = models.ForeignKey(
        Claim,
        verbose_name=_("matched claim"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    reference = models.ForeignKey(
        ReferenceReview,
        verbose_name=_("reference review"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="matches",
    )
    score = models.FloatField(_("score"))
    found_at = models.DateTimeField(_("found at"), auto_now_add=True)

    class Meta:
        verbose_name = _("claim match")
        verbose_name_plural = _("claim matches")
        indexes = [models.Index(fields=["claim", "-score"], name="claim_match_by_score")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(matched_claim__isnull=False) & Q(reference__isnull=True))
                | (Q(matched_claim__isnull=True) & Q(reference__isnull=False)),
                name="claim_match_one_target",
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0) & Q(score__lte=1), name="claim_match_score_range"
            ),
            models.UniqueConstraint(
                fields=["claim", "matched_claim"], name="claim_match_unique_claim"
            ),
            models.UniqueConstraint(
                fields=["claim", "reference"], name="claim_match_unique_reference"
            ),
        ]

    def __str__(self) -> str:
        target = f"#{self.matched_claim_id}" if self.matched_claim_id else f"R{self.reference_id}"
        return f"#{self.claim_id} ≈ {target} ({self.score:.2f})"
