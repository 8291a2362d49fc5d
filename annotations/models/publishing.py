"""What the public sees of a fact-check: the published page's wording and addresses."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Publication(models.Model):
    """A claim's public fact-check: how it is summarised and where it lives.

    Made when a claim is first published and kept when it is withdrawn, so that its
    public address answers "gone" rather than "never existed".
    """

    claim = models.OneToOneField(
        "annotations.Claim",
        verbose_name=_("claim"),
        on_delete=models.CASCADE,
        related_name="publication",
    )
    summary = models.CharField(
        _("claim as published"),
        max_length=300,
        blank=True,
        help_text=_("A short wording of the claim for readers and search engines; "
                    "the claim's own text when empty."),
    )  # fmt: skip
    article_url = models.URLField(
        _("article URL"),
        max_length=2000,
        blank=True,
        help_text=_("Where the newsroom publishes this fact-check itself; "
                    "the public page of factcheck when empty."),
    )  # fmt: skip
    first_appearance_url = models.URLField(
        _("first appearance"),
        max_length=2000,
        blank=True,
        help_text=_("Where the claim was first made, when known."),
    )
    first_published_at = models.DateTimeField(_("first published at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")

    def __str__(self) -> str:
        return str(self.claim)
