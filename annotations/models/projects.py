"""Projects (a newsroom's workspace), who belongs to them, and their rating scales."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .choices import ChoiceLabels


class Role(models.TextChoices):
    VIEWER = "viewer", _("Viewer")
    REVIEWER = "reviewer", _("Reviewer")
    EDITOR = "editor", _("Editor")
    ADMIN = "admin", _("Admin")


# Each role can do everything the roles before it can.
ROLE_RANK = {Role.VIEWER: 0, Role.REVIEWER: 1, Role.EDITOR: 2, Role.ADMIN: 3}


class Project(ChoiceLabels, models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    description = models.TextField(_("description"), blank=True)
    organization_name = models.CharField(
        _("organisation name"),
        max_length=200,
        blank=True,
        help_text=_("Publisher of the fact-checks (the ClaimReview author)."),
    )
    organization_url = models.URLField(_("organisation URL"), blank=True)
    public_base_url = models.URLField(
        _("public address"),
        blank=True,
        help_text=_("Where readers reach the published fact-checks, e.g. "
                    "https://factcheck.example.org; this site's own address when empty."),
    )  # fmt: skip
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="ru"
    )
    blind_review = models.BooleanField(
        _("blind review"),
        default=False,
        help_text=_("Reviewers see other verdicts only after submitting their own."),
    )
    separate_duties = models.BooleanField(
        _("separation of duties"),
        default=False,
        help_text=_("An editor cannot approve or publish a claim whose only verdict is their own."),
    )
    rating_scale = models.ForeignKey(
        "RatingScale",
        verbose_name=_("rating scale"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="projects"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(ChoiceLabels, models.Model):
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.VIEWER)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["project", "user"], name="membership_unique_user"),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="membership_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.project} ({self.role})"

    def has_role(self, role: str) -> bool:
        return ROLE_RANK[self.role] >= ROLE_RANK[role]


class RatingScale(models.Model):
    """An ordered list of ratings. Scales in use are frozen: edits make a new version."""

    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="rating_scales",
    )
    name = models.CharField(_("name"), max_length=100)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rating scale")
        verbose_name_plural = _("rating scales")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "name", "version"], name="ratingscale_unique_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class Rating(models.Model):
    scale = models.ForeignKey(
        RatingScale, verbose_name=_("scale"), on_delete=models.CASCADE, related_name="ratings"
    )
    value = models.SlugField(
        _("value"), max_length=40, help_text=_("Stable machine identifier, e.g. mostly_false.")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    label = models.CharField(_("label"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    translations = models.JSONField(
        _("translations"),
        default=dict,
        blank=True,
        help_text=_('Labels per language: {"ru": {"label": "...", "description": "..."}}'),
    )
    colour = models.CharField(_("colour"), max_length=7, default="#888888")
    numeric_value = models.SmallIntegerField(
        _("numeric value"),
        null=True,
        blank=True,
        help_text=_(
            "Position on the truth scale (ClaimReview ratingValue); empty for ratings "
            "outside it, such as Unverifiable."
        ),
    )
    alternate_name = models.CharField(_("ClaimReview alternateName"), max_length=100, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        ordering = ["scale", "position"]
        constraints = [
            models.UniqueConstraint(fields=["scale", "value"], name="rating_unique_value"),
            models.UniqueConstraint(fields=["scale", "position"], name="rating_unique_position"),
            models.CheckConstraint(
                condition=Q(colour__regex=r"^#[0-9A-Fa-f]{6}$"), name="rating_colour_hex"
            ),
        ]

    def __str__(self) -> str:
        return self.display_label()

    def display_label(self, language: str | None = None) -> str:
        language = (language or get_language() or "en")[:2]
        return self.translations.get(language, {}).get("label") or self.label

    def display_description(self, language: str | None = None) -> str:
        language = (language or get_language() or "en")[:2]
        return self.translations.get(language, {}).get("description") or self.description


class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    language = models.CharField(
        _("interface language"), max_length=8, choices=settings.LANGUAGES, blank=True
    )

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self) -> str:
        return str(self.user)
