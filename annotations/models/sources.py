"""Sources cited for claims and the evidence kept from each fetch."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .captures import capture_storage
from .choices import ChoiceLabels
from .documents import Claim
from .history import ListedHistory


class FetchState(models.TextChoices):
    PENDING = "pending", _("Pending")
    FETCHING = "fetching", _("Fetching")
    FETCHED = "fetched", _("Fetched")
    QUOTE_FOUND = "quote_found", _("Quote found")
    QUOTE_NOT_FOUND = "quote_not_found", _("Quote not found")
    QUOTE_CHANGED = "quote_changed", _("Quote changed")
    FAILED = "failed", _("Failed")
    BLOCKED = "blocked", _("Blocked")


# States after which a fetch is over until someone (or the recheck) asks again.
FINISHED_FETCH_STATES = frozenset(
    {
        FetchState.FETCHED,
        FetchState.QUOTE_FOUND,
        FetchState.QUOTE_NOT_FOUND,
        FetchState.QUOTE_CHANGED,
        FetchState.FAILED,
        FetchState.BLOCKED,
    }
)


class Stance(models.TextChoices):
    SUPPORTS = "supports", _("Supports")
    REFUTES = "refutes", _("Refutes")
    CONTEXT = "context", _("Context")


class SourceOrigin(models.TextChoices):
    REVIEWER = "reviewer", _("Added by a reviewer")
    DOCUMENT_LINK = "document_link", _("Link in the document")


class Source(ChoiceLabels, models.Model):
    claim = models.ForeignKey(
        Claim, verbose_name=_("claim"), on_delete=models.CASCADE, related_name="sources"
    )
    url = models.URLField(_("URL"), max_length=2000)
    title = models.CharField(_("title"), max_length=500, blank=True)
    publisher = models.CharField(_("publisher"), max_length=300, blank=True)
    quote = models.TextField(
        _("quoted statement"),
        blank=True,
        help_text=_("The words the source is cited for; the fetcher looks for them."),
    )
    stance = models.CharField(
        _("stance"), max_length=16, choices=Stance.choices, default=Stance.SUPPORTS
    )
    origin = models.CharField(
        _("origin"), max_length=16, choices=SourceOrigin.choices, default=SourceOrigin.REVIEWER
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    fetch_state = models.CharField(
        _("fetch state"), max_length=16, choices=FetchState.choices, default=FetchState.PENDING
    )
    fetch_error = models.TextField(_("fetch error"), blank=True)
    # The same as a stable code and its values, for the message in the reader's language.
    fetch_error_code = models.CharField(_("fetch error code"), max_length=40, blank=True)
    fetch_error_params = models.JSONField(_("fetch error values"), default=dict, blank=True)
    # Attempts in the current round (a refetch starts a new round with a fresh budget).
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # Every fetch ever started; numbers the snapshots.
    fetch_count = models.PositiveIntegerField(_("fetches started"), default=0)
    fetch_started_at = models.DateTimeField(_("fetch started at"), null=True, blank=True)
    # Which worker (its Celery node name) runs the fetch, and the token of the per-host slot
    # it holds: a worker that comes back after being killed takes its fetches back at once
    # and frees their slots, instead of waiting for the time limit to pass.
    fetch_worker = models.CharField(_("fetched by worker"), max_length=200, blank=True)
    fetch_slot = models.CharField(_("fetch slot"), max_length=64, blank=True)
    # When the pending fetch's message was handed to the broker; empty while none is known
    # to be there, for the sweep to send.
    queued_at = models.DateTimeField(_("queued at"), null=True, blank=True)
    last_fetched_at = models.DateTimeField(_("last fetched at"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = ListedHistory(
        excluded_fields=[
            "queued_at",
            "fetch_error_code",
            "fetch_error_params",
            "fetch_worker",
            "fetch_slot",
        ]
    )

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["claim", "created_at", "id"]
        indexes = [
            models.Index(fields=["fetch_state"], name="source_fetch_state"),
            models.Index(fields=["updated_at", "id"], name="source_updated"),
            models.Index(
                fields=["-deleted_at", "-id"],
                condition=Q(deleted_at__isnull=False),
                name="source_trash",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(fetch_state__in=FetchState.values), name="source_fetch_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(stance__in=Stance.values), name="source_stance_valid"
            ),
            # A link found in the document is proposed once per claim.
            models.UniqueConstraint(
                fields=["claim", "url"],
                condition=Q(origin="document_link"),
                name="source_unique_document_link",
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.url

    @property
    def fetch_error_text(self) -> str:
        """Why the last fetch failed, in the active language."""
        from ..fetch_messages import fetch_message

        return fetch_message(self.fetch_error_code, self.fetch_error_params, self.fetch_error)


class Snapshot(models.Model):
    """What one fetch of a source returned. Never overwritten: a refetch adds one."""

    source = models.ForeignKey(
        Source, verbose_name=_("source"), on_delete=models.CASCADE, related_name="snapshots"
    )
    # The fetch that made it: a redelivered task cannot store a second snapshot.
    fetch_number = models.PositiveIntegerField(_("fetch number"))
    final_url = models.URLField(_("final URL"), max_length=2000)
    http_status = models.PositiveSmallIntegerField(_("HTTP status"))
    content_type = models.CharField(_("content type"), max_length=100)
    sha256 = models.CharField(_("SHA-256 of the body"), max_length=64)
    size = models.PositiveIntegerField(_("size in bytes"), default=0)
    fetched_at = models.DateTimeField(_("fetched at"))
    title = models.CharField(_("title"), max_length=1000, blank=True)
    author = models.CharField(_("author"), max_length=500, blank=True)
    published = models.CharField(_("date published"), max_length=50, blank=True)
    site_name = models.CharField(_("site name"), max_length=300, blank=True)
    text = models.TextField(_("extracted text"), blank=True)
    body = models.BinaryField(_("compressed body"), blank=True, default=b"")
    body_truncated = models.BooleanField(_("body truncated"), default=False)
    quote_found = models.BooleanField(_("quote found"), null=True)
    quote_method = models.CharField(_("match method"), max_length=16, blank=True)
    quote_score = models.FloatField(_("match score"), null=True, blank=True)
    quote_start = models.PositiveIntegerField(_("passage start"), null=True, blank=True)
    quote_end = models.PositiveIntegerField(_("passage end"), null=True, blank=True)
    quote_passage = models.TextField(_("located passage"), blank=True)
    # For a PDF: the page the passage starts on, as printed (its label) or counted.
    quote_page = models.CharField(_("page of the passage"), max_length=32, blank=True)
    context_before = models.TextField(_("context before"), blank=True)
    context_after = models.TextField(_("context after"), blank=True)
    suggestions = models.JSONField(_("suggested passages"), default=list, blank=True)
    # The fetch as a WARC file (request, response, metadata), and that file's SHA-256 so
    # a copy handed to someone else can be checked against what was stored.
    capture = models.FileField(
        _("archived capture"), storage=capture_storage, max_length=300, blank=True
    )
    capture_sha256 = models.CharField(_("SHA-256 of the capture"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("snapshot")
        verbose_name_plural = _("snapshots")
        ordering = ["source", "-fetched_at"]
        get_latest_by = "fetched_at"
        constraints = [
            models.UniqueConstraint(
                fields=["source", "fetch_number"], name="snapshot_unique_fetch"
            ),
            models.CheckConstraint(
                condition=Q(quote_start__isnull=True) | Q(quote_start__lt=F("quote_end")),
                name="snapshot_passage_span",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.final_url} @ {self.fetched_at:%Y-%m-%d %H:%M}"
