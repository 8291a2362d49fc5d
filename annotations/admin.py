"""The admin panel for site staff: every model, with history, filters and bulk actions.

Actions call the same services as the UI and API, so the rules hold here too.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.views.main import SEARCH_VAR, ChangeList
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db import models as db_models
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from . import models
from .admin_actions import export_claimreview_action, export_native_action
from .search import search_claims, search_documents
from .services.errors import PermissionDenied, ValidationError
from .services.sources import source_requeue
from .services.workflow import claims_assign

# Addresses typed without a scheme are web pages over TLS (Django 6's default too).
URL_FIELDS = {db_models.URLField: {"assume_scheme": "https"}}


class CappedCountPaginator(Paginator):
    """Counts at most ``CAP`` rows: counting a million claims on every changelist costs
    more than the page. Past the cap the changelist says "more than" (see the template).
    A search counts to ``SEARCH_CAP``: its matches are read from the full-text index and
    checked row by row, and ten thousand of a common word's cost 145 ms at a million
    claims, a thousand 15."""

    CAP = 10_000
    SEARCH_CAP = 1_000

    def __init__(self, *args, searched: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.cap = self.SEARCH_CAP if searched else self.CAP

    @cached_property
    def count(self) -> int:
        return self.object_list[: self.cap + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > self.cap


class LargeTableChangeList(ChangeList):
    """Sorts by a column only if the admin lists it as sortable: Django takes any column
    a link's ``?o=`` names, header or not."""

    def get_ordering_field(self, field_name: str):
        if field_name not in self.sortable_by:
            return None
        return super().get_ordering_field(field_name)


class LargeTable:
    """Mixed into the admin of a table that grows with the archive: a capped count, no
    count of the whole table, newest first by the primary key's index."""

    def get_changelist(self, request: HttpRequest, **kwargs) -> type[ChangeList]:
        return LargeTableChangeList

    paginator = CappedCountPaginator
    show_full_result_count = False
    ordering = ["-pk"]
    # A column header sorts only where an index gives that order: sorting a million claims
    # by their kind read the whole table (over 20 s). An admin lists its indexed columns.
    sortable_by: tuple[str, ...] = ()

    def get_paginator(
        self, request: HttpRequest, queryset: QuerySet, per_page: int, *args, **kwargs
    ) -> CappedCountPaginator:
        searched = bool(request.GET.get(SEARCH_VAR, "").strip())
        return CappedCountPaginator(queryset, per_page, *args, searched=searched, **kwargs)


class LargeTableAdmin(LargeTable, SimpleHistoryAdmin):
    """A changelist over a table that grows with the archive, with its history."""


class MembershipInline(admin.TabularInline):
    model = models.Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(models.Project)
class ProjectAdmin(SimpleHistoryAdmin):
    autocomplete_fields = ["rating_scale", "created_by"]
    formfield_overrides = URL_FIELDS
    list_display = ["name", "slug", "language", "blind_review", "member_count", "created_at"]
    list_filter = ["language", "blind_review"]
    search_fields = ["name", "slug", "organization_name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(_members=Count("memberships"))

    @admin.display(description=_("members"), ordering="_members")
    def member_count(self, project: models.Project) -> int:
        return project._members


@admin.register(models.Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "project", "role", "created_at"]
    list_filter = ["role", "project"]
    search_fields = ["user__username", "project__name"]
    list_select_related = ["user", "project"]
    autocomplete_fields = ["user", "project"]


class RatingInline(admin.TabularInline):
    model = models.Rating
    extra = 0


@admin.register(models.RatingScale)
class RatingScaleAdmin(SimpleHistoryAdmin):
    list_display = ["name", "version", "project", "created_at"]
    search_fields = ["name", "project__name"]
    autocomplete_fields = ["project"]
    list_filter = ["project"]
    list_select_related = ["project"]
    inlines = [RatingInline]


@admin.register(models.Rating)
class RatingAdmin(SimpleHistoryAdmin):
    list_display = ["label", "value", "scale", "position", "numeric_value", "swatch"]
    list_filter = ["scale__project"]
    search_fields = ["label", "value"]
    list_select_related = ["scale"]
    autocomplete_fields = ["scale"]

    @admin.display(description=_("colour"))
    def swatch(self, rating: models.Rating) -> str:
        return format_html(
            '<span style="display:inline-block;width:1em;height:1em;background:{}"></span> {}',
            rating.colour,
            rating.colour,
        )


class QuoteMethodFilter(admin.SimpleListFilter):
    """How a quote was found, from the matcher's methods: listing the methods in use would
    read every snapshot."""

    title = _("match method")
    parameter_name = "quote_method"

    def lookups(self, request: HttpRequest, model_admin) -> list[tuple[str, str]]:
        return [
            ("exact", _("exact")),
            ("normalized", _("normalized")),
            ("fuzzy", _("fuzzy")),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        return queryset.filter(quote_method=self.value()) if self.value() else queryset


class LanguageFilter(admin.SimpleListFilter):
    """The interface's languages as choices: listing the languages in use would read
    every document."""

    title = _("language")
    parameter_name = "language"

    def lookups(self, request: HttpRequest, model_admin) -> list[tuple[str, str]]:
        return [(code, _(name)) for code, name in settings.LANGUAGES]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        return queryset.filter(language=self.value()) if self.value() else queryset


@admin.register(models.Document)
class DocumentAdmin(LargeTableAdmin):
    formfield_overrides = URL_FIELDS
    list_display = ["title", "project", "language", "origin", "status", "claim_count", "created_at"]
    list_filter = ["project", "status", "origin", LanguageFilter]
    search_fields = ["title"]
    list_select_related = ["project"]
    readonly_fields = ["text", "sha256", "links", "created_by", "created_at"]
    autocomplete_fields = ["project", "previous_version"]
    sortable_by = ("created_at",)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).defer("text", "links")

    def get_search_results(self, request: HttpRequest, queryset: QuerySet, search_term: str):
        # Titles by the full-text index, any word form, rather than a scan for a substring.
        if not search_term.strip():
            return queryset, False
        return search_documents(search_term, scope=queryset, in_text=False), False


class SourceInline(admin.TabularInline):
    formfield_overrides = URL_FIELDS
    model = models.Source
    extra = 0
    fields = ["url", "quote", "stance", "fetch_state", "fetch_error", "attempts"]
    readonly_fields = ["fetch_state", "fetch_error", "attempts"]
    show_change_link = True


class VerdictInline(admin.TabularInline):
    model = models.Verdict
    extra = 0
    fields = ["reviewer", "rating", "rationale", "version", "deleted_at"]
    readonly_fields = ["version"]
    autocomplete_fields = ["reviewer", "rating"]


class PublicationInline(admin.StackedInline):
    """How the claim's fact-check is published; the dates are kept by the workflow."""

    model = models.Publication
    extra = 0
    max_num = 1
    can_delete = False
    fields = [
        "summary",
        "article_url",
        "first_appearance_url",
        "first_published_at",
        "withdrawn_at",
    ]
    readonly_fields = ["first_published_at", "withdrawn_at"]


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        queryset=get_user_model().objects.order_by("username"), label=_("Reviewer")
    )


@admin.register(models.Claim)
class ClaimAdmin(LargeTableAdmin):
    list_display = [
        "short_text",
        "document",
        "kind",
        "checkworthiness",
        "status",
        "final_rating",
        "assignee",
    ]
    # Filters whose choices come from small tables: none lists the documents or reads
    # the claims to find which ratings occur.
    list_filter = ["document__project", "kind", "status", "final_verdict__rating"]
    search_fields = ["text"]
    list_select_related = ["document", "assignee", "final_verdict__rating"]
    readonly_fields = ["document", "start", "end", "text", "extracted_kind", "version"]
    autocomplete_fields = ["assignee", "final_verdict", "same_as"]
    inlines = [PublicationInline, SourceInline, VerdictInline]
    ordering = ["document", "position"]
    actions = [
        "refetch_sources",
        "assign_to_reviewer",
        export_native_action,
        export_claimreview_action,
    ]

    @admin.display(description=_("claim"))
    def short_text(self, claim: models.Claim) -> str:
        return str(claim)

    def get_search_results(self, request: HttpRequest, queryset: QuerySet, search_term: str):
        # The words of the claims by the full-text index, any word form (also what the
        # autocomplete of sources, verdicts and comments asks).
        if not search_term.strip():
            return queryset, False
        return search_claims(search_term, scope=queryset), False

    @admin.display(description=_("final rating"))
    def final_rating(self, claim: models.Claim) -> str:
        verdict = claim.final_verdict
        return verdict.rating.display_label() if verdict else "—"

    @admin.action(description=_("Fetch the sources of the selected claims again"))
    def refetch_sources(self, request: HttpRequest, queryset: QuerySet) -> None:
        ids = list(models.Source.objects.filter(claim__in=queryset).values_list("pk", flat=True))
        count = source_requeue(source_ids=ids)
        self.message_user(
            request,
            ngettext(
                "%(count)s source queued for fetching.",
                "%(count)s sources queued for fetching.",
                count,
            )
            % {"count": count},
        )

    @admin.action(description=_("Assign the selected claims to a reviewer"))
    def assign_to_reviewer(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        form = AssignForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            by_project: dict[int, list[models.Claim]] = {}
            for claim in queryset.select_related("document__project"):
                by_project.setdefault(claim.document.project_id, []).append(claim)
            try:
                for claims in by_project.values():
                    claims_assign(
                        claims=claims, actor=request.user, assignee=form.cleaned_data["assignee"]
                    )
            except (ValidationError, PermissionDenied) as error:
                message = " ".join(getattr(error, "messages", None) or [str(error)])
                self.message_user(request, message, messages.ERROR)
                return None
            count = queryset.count()
            self.message_user(
                request,
                ngettext("%(count)s claim assigned.", "%(count)s claims assigned.", count)
                % {"count": count},
            )
            return None
        return render(
            request,
            "admin/annotations/claim/assign.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Assign claims to a reviewer"),
                "claims": queryset,
                "form": form,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                "opts": self.model._meta,
            },
        )


class SnapshotInline(admin.StackedInline):
    model = models.Snapshot
    extra = 0
    can_delete = False
    fields = [
        "fetch_number",
        "fetched_at",
        "final_url",
        "http_status",
        "content_type",
        "sha256",
        "title",
        "located_passage",
        "quote_method",
        "quote_score",
    ]
    readonly_fields = fields
    ordering = ["-fetched_at"]

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.display(description=_("located passage"))
    def located_passage(self, snapshot: models.Snapshot) -> str:
        if not snapshot.quote_passage:
            return "—"
        return format_html(
            "…{}<mark>{}</mark>{}…",
            snapshot.context_before[-150:],
            snapshot.quote_passage,
            snapshot.context_after[:150],
        )


@admin.register(models.Source)
class SourceAdmin(LargeTableAdmin):
    formfield_overrides = URL_FIELDS
    list_display = ["url", "claim_text", "stance", "fetch_state", "attempts", "last_fetched_at"]
    list_filter = ["fetch_state", "stance", "origin", "claim__document__project"]
    search_fields = ["url", "title", "quote", "claim__text"]
    list_select_related = ["claim"]
    readonly_fields = ["fetch_state", "fetch_error", "attempts", "fetch_count", "last_fetched_at"]
    autocomplete_fields = ["claim", "added_by"]
    inlines = [SnapshotInline]
    actions = ["refetch"]

    @admin.display(description=_("claim"))
    def claim_text(self, source: models.Source) -> str:
        return str(source.claim)

    @admin.action(description=_("Fetch the selected sources again"))
    def refetch(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = source_requeue(source_ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(
            request,
            ngettext(
                "%(count)s source queued for fetching.",
                "%(count)s sources queued for fetching.",
                count,
            )
            % {"count": count},
        )


@admin.register(models.Snapshot)
class SnapshotAdmin(LargeTable, admin.ModelAdmin):
    list_display = ["source", "fetch_number", "http_status", "quote_found", "fetched_at"]
    list_filter = ["quote_found", QuoteMethodFilter]
    search_fields = ["final_url", "title"]
    list_select_related = ["source"]
    exclude = ["body"]

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> list[str]:
        # Evidence is never edited by hand.
        return [f.name for f in self.model._meta.fields if f.name != "body"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(models.Verdict)
class VerdictAdmin(LargeTableAdmin):
    list_display = ["claim", "reviewer", "rating", "version", "updated_at"]
    list_filter = ["rating__scale__project", "rating"]
    search_fields = ["rationale", "reviewer__username"]
    list_select_related = ["claim", "reviewer", "rating"]
    autocomplete_fields = ["claim", "reviewer", "rating", "sources"]
    # Where a rating was carried over from is the carry-over's record, not an input.
    readonly_fields = ["version", "carried_from", "carried_from_reference"]


@admin.register(models.Comment)
class CommentAdmin(LargeTableAdmin):
    list_display = ["body", "claim", "author", "created_at"]
    search_fields = ["body"]
    list_select_related = ["claim", "author"]
    autocomplete_fields = ["claim", "parent", "author"]


@admin.register(models.Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "language"]
    autocomplete_fields = ["user"]
    list_select_related = ["user"]
