"""API representations. Input serializers validate shape only; rules live in services."""

from __future__ import annotations

from django.core.validators import URLValidator
from django.db import models
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import (
    AuthorType,
    Claim,
    ClaimKind,
    Comment,
    Document,
    Membership,
    Project,
    Rating,
    RatingScale,
    Role,
    Snapshot,
    Source,
    Stance,
    Verdict,
    VersionSource,
    WatchState,
)

# Ids beyond a 64-bit integer can't name a row; refusing them early keeps them from the DB.
MAX_ID = 2**63 - 1


def IdField(**kwargs) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


class DateTimeField(serializers.DateTimeField):
    """DRF's, with the current time zone looked up once per field rather than once per
    value: a page of a thousand claims renders several thousand times, and each look-up
    goes through the request's thread-local state."""

    @cached_property
    def timezone(self):
        return self.default_timezone()


class ModelSerializer(serializers.ModelSerializer):
    """DRF's, rendering the same, made cheaper for lists: the readable fields are listed
    once per serializer instead of once per row, and datetimes use ``DateTimeField``."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateTimeField: DateTimeField,
    }

    @cached_property
    def _readable_fields(self) -> list[serializers.Field]:
        return [field for field in self.fields.values() if not field.write_only]


class ProjectSerializer(serializers.ModelSerializer):
    # Optional addresses are plain strings: "" is not a URI, so format uri would lie.
    organization_url = serializers.CharField(
        required=False, allow_blank=True, max_length=200, validators=[URLValidator()]
    )

    class Meta:
        model = Project
        fields = [
            "id",
            "name",
            "slug",
            "description",
            "organization_name",
            "organization_url",
            "language",
            "blind_review",
            "created_at",
        ]
        read_only_fields = ["id", "created_at"]
        extra_kwargs = {"slug": {"required": False, "validators": []}}


class MembershipSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username")

    class Meta:
        model = Membership
        fields = ["username", "role", "created_at"]
        read_only_fields = ["created_at"]


class MemberInputSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    role = serializers.ChoiceField(choices=Role.choices)


class RatingSerializer(ModelSerializer):
    label = serializers.SerializerMethodField()
    description = serializers.SerializerMethodField()

    class Meta:
        model = Rating
        fields = [
            "id",
            "value",
            "position",
            "label",
            "description",
            "colour",
            "numeric_value",
            "alternate_name",
        ]

    @extend_schema_field(serializers.CharField())
    def get_label(self, rating: Rating) -> str:
        return rating.display_label()

    @extend_schema_field(serializers.CharField())
    def get_description(self, rating: Rating) -> str:
        return rating.display_description()


class RatingScaleSerializer(serializers.ModelSerializer):
    ratings = RatingSerializer(many=True, read_only=True)

    class Meta:
        model = RatingScale
        fields = ["id", "name", "version", "ratings"]


class DocumentSerializer(serializers.ModelSerializer):
    project = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    source_url = serializers.CharField(read_only=True)
    author_type = serializers.CharField(
        read_only=True,
        help_text="Person or Organization; empty when it is guessed from the claims.",
    )
    claim_count = serializers.IntegerField(read_only=True, help_text="Claims outside the trash.")
    # Blank until there is something to say: a first version, a page never checked.
    version_source = serializers.ChoiceField(
        choices=VersionSource.choices, allow_blank=True, read_only=True
    )
    watch_state = serializers.ChoiceField(
        choices=WatchState.choices, allow_blank=True, read_only=True
    )
    # Why processing failed, in the request's language; ``status_code`` is the stable key.
    status_message = serializers.CharField(source="status_text", read_only=True)
    # Why the last check of a watched address failed, in the request's language too.
    watch_message = serializers.CharField(source="watch_text", read_only=True)

    class Meta:
        model = Document
        fields = [
            "id",
            "project",
            "title",
            "language",
            "origin",
            "source_format",
            "source_url",
            "filename",
            "author",
            "author_type",
            "published_on",
            "sha256",
            "status",
            "status_code",
            "status_message",
            "created_at",
            "claim_count",
            "version_number",
            "previous_version",
            "version_source",
            "superseded_at",
            "watched",
            "watch_state",
            "watch_message",
            "watch_checked_at",
            "capture_sha256",
        ]
        read_only_fields = fields


class DocumentDetailSerializer(DocumentSerializer):
    class Meta(DocumentSerializer.Meta):
        fields = [*DocumentSerializer.Meta.fields, "text", "links"]
        read_only_fields = fields


class DocumentDetailsSerializer(serializers.Serializer):
    """What can be corrected about a document after it came in."""

    title = serializers.CharField(max_length=500)
    author = serializers.CharField(max_length=300, allow_blank=True)
    author_type = serializers.ChoiceField(
        choices=AuthorType.choices,
        allow_blank=True,
        help_text="Types the author in ClaimReview; empty: guessed from the claims.",
    )
    source_url = serializers.CharField(max_length=2000, allow_blank=True)
    published_on = serializers.DateField(allow_null=True)


class DocumentInputSerializer(serializers.Serializer):
    project = serializers.SlugField(help_text=_("Slug of the project."))
    title = serializers.CharField(max_length=500, required=False, allow_blank=True)
    text = serializers.CharField(
        required=False, trim_whitespace=False, help_text=_("Pasted text, Markdown or HTML.")
    )
    format = serializers.ChoiceField(
        choices=Document.Format.choices, default=Document.Format.TEXT, required=False
    )
    file = serializers.FileField(required=False, help_text=_("A .txt, .md, .html or .pdf file."))
    encoding = serializers.CharField(required=False, allow_blank=True, max_length=40)
    url = serializers.URLField(required=False, max_length=2000)
    language = serializers.ChoiceField(
        choices=[("", "auto"), ("ru", "ru"), ("en", "en")], required=False, default=""
    )
    author = serializers.CharField(max_length=300, required=False, allow_blank=True)

    def validate(self, attrs: dict) -> dict:
        given = [key for key in ("text", "file", "url") if attrs.get(key)]
        if len(given) != 1:
            raise serializers.ValidationError({"text": _("Send exactly one of text, file or url.")})
        if "text" in attrs and not attrs.get("title", "").strip():
            raise serializers.ValidationError({"title": _("A document needs a title.")})
        return attrs


class SnapshotSerializer(ModelSerializer):
    class Meta:
        model = Snapshot
        fields = [
            "id",
            "fetch_number",
            "final_url",
            "http_status",
            "content_type",
            "sha256",
            "size",
            "fetched_at",
            "title",
            "author",
            "published",
            "site_name",
            "quote_found",
            "quote_method",
            "quote_score",
            "quote_start",
            "quote_end",
            "quote_passage",
            "quote_page",
            "context_before",
            "context_after",
            "suggestions",
            "capture_sha256",
            "capture_url",
        ]

    capture_url = serializers.SerializerMethodField()

    def get_capture_url(self, snapshot: Snapshot) -> str | None:
        """Where the API hands out the snapshot's archived capture (WARC); None without one."""
        if not snapshot.capture:
            return None
        return reverse(
            "source-capture", kwargs={"pk": snapshot.source_id, "snapshot_id": snapshot.pk}
        )


class SourceSerializer(ModelSerializer):
    latest_snapshot = serializers.SerializerMethodField()
    added_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    # Why the last fetch failed, in the request's language; ``fetch_error_code`` is the
    # stable key.
    fetch_error = serializers.CharField(source="fetch_error_text", read_only=True)

    class Meta:
        model = Source
        fields = [
            "id",
            "claim",
            "url",
            "title",
            "publisher",
            "quote",
            "stance",
            "origin",
            "added_by",
            "fetch_state",
            "fetch_error_code",
            "fetch_error",
            "attempts",
            "last_fetched_at",
            "created_at",
            "latest_snapshot",
        ]
        read_only_fields = fields

    @cached_property
    def _snapshot_serializer(self) -> SnapshotSerializer:
        # One for every row of a list: a ModelSerializer builds its fields from the model
        # when first used, which costs far more than rendering one snapshot.
        return SnapshotSerializer(context=self.context)

    @extend_schema_field(SnapshotSerializer(allow_null=True))
    def get_latest_snapshot(self, source: Source) -> dict | None:
        # The newest fetch (snapshots are ordered newest first), from those that
        # ``views.source_queryset`` read.
        snapshots = source.snapshot_list
        return self._snapshot_serializer.to_representation(snapshots[0]) if snapshots else None


class SourceInputSerializer(serializers.Serializer):
    url = serializers.CharField(max_length=2000)
    quote = serializers.CharField(required=False, allow_blank=True, default="")
    stance = serializers.ChoiceField(choices=Stance.choices, default=Stance.SUPPORTS)
    title = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)
    publisher = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)


class VerdictSerializer(ModelSerializer):
    reviewer = serializers.SlugRelatedField(slug_field="username", read_only=True)
    rating = serializers.SerializerMethodField()
    sources = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Verdict
        fields = [
            "id",
            "claim",
            "reviewer",
            "rating",
            "rationale",
            "sources",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @cached_property
    def _ratings(self) -> dict[int, dict]:
        return {}

    @extend_schema_field(RatingSerializer)
    def get_rating(self, verdict: Verdict) -> dict:
        # A list's verdicts share a project's few ratings: each is rendered once.
        rating = self._ratings.get(verdict.rating_id)
        if rating is None:
            rating = self._ratings[verdict.rating_id] = RatingSerializer(verdict.rating).data
        return rating


class VerdictInputSerializer(serializers.Serializer):
    rating = serializers.CharField(help_text=_("Rating id, value or label."))
    rationale = serializers.CharField()
    sources = serializers.ListField(child=IdField(), required=False, max_length=1000)


class VerdictPatchSerializer(serializers.Serializer):
    rating = serializers.CharField(required=False)
    rationale = serializers.CharField(required=False)


class CommentSerializer(ModelSerializer):
    author = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Comment
        fields = ["id", "claim", "author", "parent", "body", "created_at"]
        read_only_fields = fields


class CommentInputSerializer(serializers.Serializer):
    body = serializers.CharField()
    parent = IdField(required=False, allow_null=True)


class ClaimSerializer(ModelSerializer):
    assignee = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    # As ``views.claim_queryset`` reads them: the sources outside the trash.
    sources = SourceSerializer(many=True, read_only=True, source="live_sources")
    # Both chosen under the blind-review rule in to_representation.
    verdicts = VerdictSerializer(many=True, read_only=True, source="visible_verdicts")
    final_verdict = VerdictSerializer(
        read_only=True, allow_null=True, source="visible_final_verdict"
    )
    same_as = serializers.PrimaryKeyRelatedField(
        read_only=True,
        allow_null=True,
        help_text="Id of the earlier claim this one was linked to as the same claim.",
    )
    document_version = serializers.IntegerField(
        source="document.version_number",
        read_only=True,
        help_text="The version number of the document the claim belongs to.",
    )
    document_previous_version = serializers.IntegerField(
        source="document.previous_version_id",
        read_only=True,
        allow_null=True,
        help_text="Id of the document version that the claim's document supersedes.",
    )

    class Meta:
        model = Claim
        fields = [
            "id",
            "document",
            "document_version",
            "document_previous_version",
            "position",
            "start",
            "end",
            "text",
            "kind",
            "extracted_kind",
            "checkworthiness",
            "reasons",
            "entities",
            "dates",
            "quantities",
            "attribution",
            "status",
            "assignee",
            "same_as",
            "version",
            "anchor_state",
            "anchor_confidence",
            "text_before_edit",
            "published_at",
            "created_at",
            "updated_at",
            "sources",
            "verdicts",
            "final_verdict",
        ]
        read_only_fields = fields

    def to_representation(self, claim: Claim) -> dict:
        visible = self.context.get("visible_verdicts")
        verdicts = [v for v in claim.verdicts.all() if v.deleted_at is None]
        if visible is not None:
            verdicts = [v for v in verdicts if visible(claim, v)]
        final = claim.final_verdict
        if final is not None and visible is not None and not visible(claim, final):
            final = None
        claim.visible_verdicts = verdicts
        claim.visible_final_verdict = final
        return super().to_representation(claim)


class ClaimPatchSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ClaimKind.choices, required=False)


class SplitSerializer(serializers.Serializer):
    at = serializers.IntegerField(
        min_value=0, max_value=2**31, help_text=_("Document offset to split at.")
    )


class BoundarySerializer(serializers.Serializer):
    start = serializers.IntegerField(min_value=0, max_value=2**31, required=False)
    end = serializers.IntegerField(min_value=0, max_value=2**31, required=False)


class AssignSerializer(serializers.Serializer):
    claims = serializers.ListField(child=IdField(), min_length=1, max_length=5000)
    assignee = serializers.CharField(max_length=150)


class FinalVerdictSerializer(serializers.Serializer):
    verdict = IdField(required=False)
    rating = serializers.CharField(required=False, max_length=100)
    rationale = serializers.CharField(required=False, allow_blank=True)


class TrashedClaimSerializer(serializers.ModelSerializer):
    class Meta:
        model = Claim
        fields = ["id", "document", "text", "status", "version", "deleted_at"]
        read_only_fields = fields


class TrashedVerdictSerializer(serializers.ModelSerializer):
    reviewer = serializers.SlugRelatedField(slug_field="username", read_only=True)
    rating = serializers.SlugRelatedField(slug_field="value", read_only=True)

    class Meta:
        model = Verdict
        fields = ["id", "claim", "reviewer", "rating", "rationale", "deleted_at"]
        read_only_fields = fields


class TrashedSourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ["id", "claim", "url", "title", "quote", "deleted_at"]
        read_only_fields = fields


class TrashedCommentSerializer(serializers.ModelSerializer):
    author = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Comment
        fields = ["id", "claim", "author", "parent", "body", "deleted_at"]
        read_only_fields = fields


class TrashNextSerializer(serializers.Serializer):
    claims = serializers.URLField(allow_null=True)
    verdicts = serializers.URLField(allow_null=True)
    sources = serializers.URLField(allow_null=True)
    comments = serializers.URLField(allow_null=True)


class TrashSerializer(serializers.Serializer):
    """What is in a project's trash, newest first, a page of each kind. Verdicts, sources
    and comments of a trashed claim are not listed on their own: they come back with the
    claim."""

    claims = TrashedClaimSerializer(many=True)
    verdicts = TrashedVerdictSerializer(many=True)
    sources = TrashedSourceSerializer(many=True)
    comments = TrashedCommentSerializer(many=True)
    next = TrashNextSerializer(
        help_text="For each kind, its next page (``/trash/<kind>/``), or null when the "
        "first page holds them all."
    )


class TrashQuerySerializer(serializers.Serializer):
    project = serializers.SlugField(max_length=60, help_text=_("The project's slug."))


class NewVersionSerializer(serializers.Serializer):
    text = serializers.CharField(trim_whitespace=False)


class WatchSerializer(serializers.Serializer):
    watched = serializers.BooleanField()


class VersionOutcomeSerializer(serializers.Serializer):
    document = DocumentSerializer()
    counts = serializers.DictField(child=serializers.IntegerField())


class HistoryChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    old = serializers.JSONField(allow_null=True)
    new = serializers.JSONField(allow_null=True)


class HistoryEntrySerializer(serializers.Serializer):
    """One recorded change to a claim, one of its verdicts or one of its sources."""

    when = serializers.DateTimeField()
    who = serializers.CharField(allow_null=True, help_text=_("Username; null for the system."))
    model = serializers.ChoiceField(choices=["claim", "verdict", "source"])
    object_id = serializers.IntegerField()
    claim = serializers.IntegerField(help_text=_("The claim it is about."))
    action = serializers.ChoiceField(
        choices=["created", "changed", "deleted", "restored", "purged"]
    )
    reason = serializers.CharField(allow_blank=True)
    changes = HistoryChangeSerializer(many=True)


class HistoryQuerySerializer(serializers.Serializer):
    project = serializers.SlugField(max_length=60, help_text=_("The project's slug."))
    claim = IdField(
        required=False, help_text=_("Only this claim's history (its verdicts and sources too).")
    )
    since = serializers.DateTimeField(
        required=False, help_text=_("Only what was recorded at or after this moment (ISO 8601).")
    )
    cursor = serializers.CharField(
        required=False,
        max_length=200,
        help_text=_("Where the page starts: the cursor of the previous page's next link."),
    )
    page_size = serializers.IntegerField(
        required=False, min_value=1, max_value=1000, help_text=_("Entries per page (default 100).")
    )


class HistoryPageSerializer(serializers.Serializer):
    next = serializers.URLField(
        allow_null=True, help_text=_("The next page; null on the last one.")
    )
    results = HistoryEntrySerializer(many=True)
