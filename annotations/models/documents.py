"""Documents (immutable texts) and the claims cut from them."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .captures import capture_storage
from .choices import ChoiceLabels
from .history import ListedHistory
from .projects import Project


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class DocumentOrigin(models.TextChoices):
    PASTED = "pasted", _("Pasted text")
    FILE = "file", _("Uploaded file")
    URL = "url", _("Web page")
    IMPORT = "import", _("Imported")


class DocumentStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    PROCESSING = "processing", _("Processing")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class DocumentFormat(models.TextChoices):
    TEXT = "text", _("Plain text")
    MARKDOWN = "markdown", _("Markdown")
    HTML = "html", _("HTML")
    PDF = "pdf", _("PDF")


class AuthorType(models.TextChoices):
    """Who made a claim, as schema.org types it in ClaimReview's ``itemReviewed``."""

    PERSON = "Person", _("Person")
    ORGANIZATION = "Organization", _("Organisation")


class WatchState(models.TextChoices):
    UNCHANGED = "unchanged", _("Unchanged")
    CHANGED = "changed", _("Changed: new version stored")
    FAILED = "failed", _("Failed")
    BLOCKED = "blocked", _("Blocked")


class VersionSource(models.TextChoices):
    FETCHED = "fetched", _("Fetched again from its address")
    PASTED = "pasted", _("Pasted by a reviewer")


class Document(ChoiceLabels, models.Model):
    Origin = DocumentOrigin
    Status = DocumentStatus
    Format = DocumentFormat

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="documents"
    )
    title = models.CharField(_("title"), max_length=500)
    language = models.CharField(_("language"), max_length=8, blank=True)
    origin = models.CharField(
        _("origin"), max_length=16, choices=Origin.choices, default=Origin.PASTED
    )
    source_format = models.CharField(
        _("format"), max_length=16, choices=Format.choices, default=Format.TEXT
    )
    source_url = models.URLField(_("source URL"), max_length=2000, blank=True)
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    author = models.CharField(
        _("author"), max_length=300, blank=True, help_text=_("Who made the claims in the text.")
    )
    author_type = models.CharField(
        _("author type"),
        max_length=16,
        choices=AuthorType.choices,
        blank=True,
        help_text=_("Whether the author is a person or an organisation; "
                    "guessed from the claims' named entities when empty."),
    )  # fmt: skip
    published_on = models.DateField(_("published on"), null=True, blank=True)
    # The plain text every offset refers to. Never changes after creation.
    text = models.TextField(_("text"), blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    links = models.JSONField(_("links"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    status_message = models.TextField(_("status message"), blank=True)
    # The same as a stable code and its values, for the message in the reader's language.
    status_code = models.CharField(_("status code"), max_length=40, blank=True)
    status_params = models.JSONField(_("status values"), default=dict, blank=True)
    # When the pending work's message was handed to the broker (empty while none is known
    # to be there), and when a worker last started on it.
    queued_at = models.DateTimeField(_("queued at"), null=True, blank=True)
    processing_started_at = models.DateTimeField(_("processing started at"), null=True, blank=True)
    # The worker (Celery node name) doing it, so that it takes the work back when it
    # starts again after being killed.
    processing_worker = models.CharField(_("processed by worker"), max_length=200, blank=True)
    # When the matching of the claims against the archive was queued, until it finishes:
    # the document page looks for its "checked before" marks meanwhile.
    matching_queued_at = models.DateTimeField(_("matching queued at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Set while the document is in its project's trash: hidden everywhere, restorable.
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True)
    # Versions: an article that changed is stored again as a new document, the next
    # version of this one; the claims move onto it (see services.versions).
    previous_version = models.OneToOneField(
        "self",
        verbose_name=_("previous version"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="next_version",
    )
    version_number = models.PositiveIntegerField(_("version"), default=1)
    version_source = models.CharField(
        _("version from"), max_length=16, choices=VersionSource.choices, blank=True
    )
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)
    # Watching: the address is fetched again periodically, a changed text stored as a
    # new version. The last check's outcome is kept for the reviewer to see.
    watched = models.BooleanField(_("watched for changes"), default=False)
    watch_state = models.CharField(
        _("last check"), max_length=16, choices=WatchState.choices, blank=True
    )
    watch_message = models.TextField(_("last check message"), blank=True)
    # The same as the fetcher's code and values, for the message in the reader's language.
    watch_code = models.CharField(_("last check code"), max_length=40, blank=True)
    watch_params = models.JSONField(_("last check values"), default=dict, blank=True)
    watch_checked_at = models.DateTimeField(_("last checked at"), null=True, blank=True)
    # The fetch that gave this version its text, as a WARC file.
    capture = models.FileField(
        _("archived capture"), storage=capture_storage, max_length=300, blank=True
    )
    capture_sha256 = models.CharField(_("SHA-256 of the capture"), max_length=64, blank=True)

    # Review progress of the claims outside the trash, recounted by the services that
    # change claims (services.progress), so that lists do not count per view.
    claim_count = models.PositiveIntegerField(_("claims"), default=0, editable=False)
    reviewed_count = models.PositiveIntegerField(_("reviewed"), default=0, editable=False)
    approved_count = models.PositiveIntegerField(_("approved"), default=0, editable=False)
    checkworthy_count = models.PositiveIntegerField(_("check-worthy"), default=0, editable=False)
    checkworthy_reviewed = models.PositiveIntegerField(
        _("check-worthy reviewed"), default=0, editable=False
    )

    # The watch's bookkeeping changes on every check; it is state, not history; the
    # progress counters are recounted, not edited.
    history = HistoricalRecords(
        excluded_fields=[
            "text",
            "links",
            "watch_state",
            "watch_message",
            "watch_checked_at",
            "claim_count",
            "reviewed_count",
            "approved_count",
            "checkworthy_count",
            "checkworthy_reviewed",
            "queued_at",
            "processing_started_at",
            "processing_worker",
            "matching_queued_at",
            "status_code",
            "status_params",
        ]
    )

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-created_at"]
        # One per ordering the document list offers; the id breaks ties.
        indexes = [
            models.Index(fields=["project", "created_at", "id"], name="document_project_created"),
            models.Index(fields=["project", "title", "id"], name="document_project_title"),
            models.Index(fields=["project", "claim_count", "id"], name="document_project_claims"),
            # Across projects: the API's document list.
            models.Index(fields=["created_at", "id"], name="document_created"),
            # The trash, newest first; few documents are in it.
            models.Index(
                fields=["-deleted_at"],
                condition=Q(deleted_at__isnull=False),
                name="document_trash",
            ),
            models.Index(
                fields=["watch_checked_at"],
                condition=Q(watched=True, superseded_at__isnull=True),
                name="document_watched",
            ),
            # The sweep looks for unfinished documents every few seconds.
            models.Index(
                fields=["status"],
                condition=Q(status__in=["pending", "processing"]),
                name="document_unfinished",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "processing", "ready", "failed"]),
                name="document_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(version_number__gte=1), name="document_version_number_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        update_fields = kwargs.get("update_fields")
        text_saved = update_fields is None or "text" in update_fields
        if self.pk is not None and self.text and text_saved:
            stored = type(self).objects.filter(pk=self.pk).values_list("sha256", flat=True).first()
            if stored and stored != text_sha256(self.text):
                raise ValidationError(
                    _("A document's text never changes; import the new version as a new document.")
                )
        if self.text and not self.sha256:
            self.sha256 = text_sha256(self.text)
        super().save(*args, **kwargs)

    @property
    def status_text(self) -> str:
        """Why processing failed, in the active language."""
        from ..fetch_messages import fetch_message

        return fetch_message(self.status_code, self.status_params, self.status_message)

    @property
    def watch_text(self) -> str:
        """Why the last check of the watched address failed, in the active language."""
        from ..fetch_messages import fetch_message

        return fetch_message(self.watch_code, self.watch_params, self.watch_message)


class ClaimKind(models.TextChoices):
    FACT = "fact", _("Fact")
    OPINION = "opinion", _("Opinion")
    PREDICTION = "prediction", _("Prediction")
    QUESTION = "question", _("Question")
    OTHER = "other", _("Other")


class ClaimStatus(models.TextChoices):
    UNREVIEWED = "unreviewed", _("Unreviewed")
    IN_REVIEW = "in_review", _("In review")
    REVIEWED = "reviewed", _("Reviewed")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")


class AnchorState(models.TextChoices):
    ORIGINAL = "original", _("As first cut")
    KEPT = "kept", _("Carried to the new version")
    EDITED = "edited", _("Edited after publication")
    UNANCHORED = "unanchored", _("Not placed in the new version")
    REMOVED = "removed", _("Removed from the article")


def _number_terms(text: str) -> str:
    from ..matching.ranking import number_terms

    return number_terms(text)


class ClaimQuerySet(models.QuerySet):
    def alive(self) -> ClaimQuerySet:
        return self.filter(deleted_at__isnull=True)

    # A claim's figures go into the search index with its words (``Claim.number_terms``),
    # however the claims are written.
    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for claim in objs:
            claim.number_terms = _number_terms(claim.text)
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs, fields, *args, **kwargs):
        if "text" in fields:
            objs = list(objs)
            for claim in objs:
                claim.number_terms = _number_terms(claim.text)
            fields = [*fields, "number_terms"]
        return super().bulk_update(objs, fields, *args, **kwargs)


class Claim(ChoiceLabels, models.Model):
    document = models.ForeignKey(
        Document, verbose_name=_("document"), on_delete=models.CASCADE, related_name="claims"
    )
    position = models.PositiveIntegerField(_("position"))
    start = models.PositiveIntegerField(_("start"))
    end = models.PositiveIntegerField(_("end"))
    # Equal to document.text[start:end]; the database refuses anything else.
    text = models.TextField(_("text"))
    # The text's figures as normalised words ("5,7 млн" and "пять целых семь десятых
    # миллиона" alike), kept with the text in the full-text index (migration 0020), so
    # that a claim is found by its figures however they are written.
    number_terms = models.TextField(_("figures"), blank=True, default="", editable=False)
    kind = models.CharField(
        _("kind"), max_length=16, choices=ClaimKind.choices, default=ClaimKind.OTHER
    )
    # What the extractor said, kept so that reviewers' corrections can train a model.
    extracted_kind = models.CharField(
        _("extracted kind"), max_length=16, choices=ClaimKind.choices, blank=True
    )
    checkworthiness = models.FloatField(_("check-worthiness"), default=0.0)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    entities = models.JSONField(_("entities"), default=list, blank=True)
    dates = models.JSONField(_("dates"), default=list, blank=True)
    quantities = models.JSONField(_("quantities"), default=list, blank=True)
    attribution = models.CharField(_("attribution"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ClaimStatus.choices, default=ClaimStatus.UNREVIEWED
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_claims",
    )
    final_verdict = models.ForeignKey(
        "Verdict",
        verbose_name=_("final verdict"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # "Same claim as #N": an earlier claim this one restates, linked by a reviewer. No
    # check constraint against itself: SQLite would rebuild the table, and its triggers
    # with it; the linking service refuses it (and cycles).
    same_as = models.ForeignKey(
        "self",
        verbose_name=_("same claim as"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="restated_by",
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    # Where the claim stands after the article changed (see anchoring.py).
    anchor_state = models.CharField(
        _("anchoring"), max_length=16, choices=AnchorState.choices, default=AnchorState.ORIGINAL
    )
    anchor_confidence = models.FloatField(_("anchoring confidence"), null=True, blank=True)
    # The wording the claim had before the article was edited after publication.
    text_before_edit = models.TextField(_("wording before the edit"), blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ClaimQuerySet.as_manager()
    history = ListedHistory(claim="id", excluded_fields=["number_terms"])

    class Meta:
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        ordering = ["document", "position"]
        indexes = [
            models.Index(fields=["document", "start"], name="claim_document_start"),
            models.Index(fields=["status"], name="claim_status"),
            # "My queue" in each of its orderings (selectors.QUEUE_ORDERINGS).
            models.Index(
                fields=["assignee", "document", "position"],
                condition=Q(deleted_at__isnull=True),
                name="claim_queue_document",
            ),
            models.Index(
                fields=["assignee", "-checkworthiness", "-id"],
                condition=Q(deleted_at__isnull=True),
                name="claim_queue_checkworthy",
            ),
            models.Index(
                fields=["assignee", "-updated_at", "-id"],
                condition=Q(deleted_at__isnull=True),
                name="claim_queue_updated",
            ),
            # Syncing clients page by last change (api.pagination).
            models.Index(fields=["updated_at", "id"], name="claim_updated"),
            # The trash, newest first; few claims are in it.
            models.Index(
                fields=["-deleted_at", "-id"],
                condition=Q(deleted_at__isnull=False),
                name="claim_trash",
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["document", "position"], name="claim_unique_position"),
            models.CheckConstraint(condition=Q(start__lt=F("end")), name="claim_start_before_end"),
            models.CheckConstraint(
                condition=Q(end=F("start") + Length("text")),
                name="claim_text_length_matches_span",
            ),
            models.CheckConstraint(
                condition=Q(checkworthiness__gte=0) & Q(checkworthiness__lte=1),
                name="claim_checkworthiness_range",
            ),
            models.CheckConstraint(condition=Q(kind__in=ClaimKind.values), name="claim_kind_valid"),
            models.CheckConstraint(
                condition=Q(status__in=ClaimStatus.values), name="claim_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(anchor_state__in=AnchorState.values), name="claim_anchor_state_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.text if len(self.text) <= 80 else self.text[:79] + "…"

    def save(self, *args, **kwargs) -> None:
        fields = kwargs.get("update_fields")
        if fields is None or "text" in fields:
            self.number_terms = _number_terms(self.text)
            if fields is not None:
                kwargs["update_fields"] = [*fields, "number_terms"]
        super().save(*args, **kwargs)

    @property
    def kind_overridden(self) -> bool:
        return bool(self.extracted_kind) and self.kind != self.extracted_kind
