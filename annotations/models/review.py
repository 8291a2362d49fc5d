"""Verdicts reviewers give and the comments they leave."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .documents import Claim
from .history import ListedHistory
from .projects import Rating
from .sources import Source


class Verdict(models.Model):
    claim = models.ForeignKey(
        Claim, verbose_name=_("claim"), on_delete=models.CASCADE, related_name="verdicts"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.PROTECT,
        related_name="verdicts",
    )
    # PROTECT: a rating in use is never deleted or rewritten from under a verdict.
    rating = models.ForeignKey(
        Rating, verbose_name=_("rating"), on_delete=models.PROTECT, related_name="verdicts"
    )
    rationale = models.TextField(_("rationale"))
    sources = models.ManyToManyField(
        Source, verbose_name=_("sources relied on"), blank=True, related_name="verdicts"
    )
    # A rating carried over from an earlier claim's final verdict, or from another
    # fact-checker's review of the same claim.
    carried_from = models.ForeignKey(
        "self",
        verbose_name=_("carried over from"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    carried_from_reference = models.ForeignKey(
        "ReferenceReview",
        verbose_name=_("carried over from review"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = ListedHistory(m2m_fields=[sources])

    class Meta:
        verbose_name = _("verdict")
        verbose_name_plural = _("verdicts")
        ordering = ["claim", "created_at"]
        indexes = [
            models.Index(fields=["updated_at", "id"], name="verdict_updated"),
            # The trash, newest first; few verdicts are in it.
            models.Index(
                fields=["-deleted_at", "-id"],
                condition=Q(deleted_at__isnull=False),
                name="verdict_trash",
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["claim", "reviewer"], name="verdict_one_per_reviewer"),
            models.CheckConstraint(condition=~Q(rationale=""), name="verdict_rationale_required"),
        ]

    def __str__(self) -> str:
        return f"{self.rating} — {self.reviewer}"


class Comment(models.Model):
    claim = models.ForeignKey(
        Claim, verbose_name=_("claim"), on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="claim_comments",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("reply to"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
    )
    body = models.TextField(_("comment"))
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["claim", "created_at"]
        indexes = [
            models.Index(
                fields=["-deleted_at", "-id"],
                condition=Q(deleted_at__isnull=False),
                name="comment_trash",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(body=""), name="comment_body_required"),
        ]

    def __str__(self) -> str:
        return self.body[:60]
