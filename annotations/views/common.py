"""What the reviewer views share: htmx detection, roles for showing buttons, the panel."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.db.models import prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from .. import selectors
from ..extraction.scoring import CHECKWORTHY
from ..forms import (
    BoundaryForm,
    ClaimEditForm,
    CommentForm,
    PublicationForm,
    SourceForm,
    SplitForm,
    VerdictForm,
    VersionForm,
)
from ..models import ROLE_RANK, Claim, ClaimStatus, Document, FetchState, Project, Role
from ..services.agreement import agreement_for_claim, agreement_for_document
from ..services.history import history_for_claim
from ..services.publishing import publication_of

POLLING_STATES = frozenset({FetchState.PENDING, FetchState.FETCHING})


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def role_flags(user, project: Project) -> dict[str, Any]:
    """Which controls to show; the services check the role again on every write."""
    role = selectors.role_in(user, project)
    rank = ROLE_RANK[role] if role else -1
    return {
        "role": role,
        "can_review": rank >= ROLE_RANK[Role.REVIEWER],
        "can_edit": rank >= ROLE_RANK[Role.EDITOR],
        "can_purge": rank >= ROLE_RANK[Role.ADMIN],
    }


def sources_context(claim: Claim) -> dict[str, Any]:
    sources = selectors.live_sources_of(claim)
    for source in sources:
        source.polling = source.fetch_state in POLLING_STATES
    return {"claim": claim, "sources": sources, "polling": any(s.polling for s in sources)}


def _visible_history(claim: Claim, verdicts: list, *, hidden: bool) -> list:
    """The claim's history; under blind review, without what the verdicts kept from the
    reviewer (``verdicts`` are the ones the selectors let them see) would tell."""
    entries = history_for_claim(claim)
    if not hidden:
        return entries
    seen = {verdict.pk for verdict in verdicts}
    shown = []
    for entry in entries:
        if entry.model == "verdict" and entry.object_id not in seen:
            continue
        if entry.model == "claim":
            changes = [c for c in entry.changes if c.field != "final_verdict"]
            if entry.changes and not changes:
                continue
            entry = replace(entry, changes=changes)
        shown.append(entry)
    return shown


def panel_context(request: HttpRequest, claim: Claim, **extra: Any) -> dict[str, Any]:
    """Everything the claim panel shows. ``extra`` carries bound forms and errors."""
    project = claim.document.project
    flags = role_flags(request.user, project)
    ratings = list(project.rating_scale.ratings.all()) if project.rating_scale_id else []
    verdicts = list(selectors.verdicts_visible_to(request.user, claim))
    own = next((v for v in verdicts if v.reviewer_id == request.user.pk), None)
    others = [v for v in verdicts if v.reviewer_id != request.user.pk]
    verdicts_hidden = project.blind_review and own is None and not flags["can_edit"]
    context: dict[str, Any] = {
        "claim": claim,
        "document": claim.document,
        "project": project,
        **flags,
        # A full page shows messages at its top; a panel sent alone shows them itself.
        "panel_messages": is_htmx(request),
        "ratings": ratings,
        "own_verdict": own,
        "other_verdicts": others,
        "verdicts_hidden": verdicts_hidden,
        "comments": selectors.comments_for(claim),
        "history": _visible_history(claim, verdicts, hidden=verdicts_hidden),
        "agreement": agreement_for_claim(claim) if flags["can_edit"] else None,
    }
    context.update(sources_context(claim))
    if "verdict_form" not in extra:
        initial = {}
        if own is not None:
            initial = {
                "rating": own.rating.value,
                "rationale": own.rationale,
                "sources": [source.pk for source in own.sources.all()],
                "version": own.version,
            }
        context["verdict_form"] = VerdictForm(
            ratings=ratings, sources=context["sources"], initial=initial
        )
    if "source_form" not in extra:
        context["source_form"] = SourceForm()
    if "comment_form" not in extra:
        context["comment_form"] = CommentForm()
    version = {"version": claim.version}
    defaults = {
        "split_form": lambda: SplitForm(initial=version),
        "boundary_form": lambda: BoundaryForm(
            initial={**version, "start": claim.start, "end": claim.end}
        ),
        "merge_form": lambda: VersionForm(initial=version, auto_id="merge_%s"),
        "workflow_form": lambda: VersionForm(initial=version, auto_id="workflow_%s"),
    }
    for name, make in defaults.items():
        if name not in extra:
            context[name] = make()
    if "edit_form" not in extra:
        context["edit_form"] = ClaimEditForm(
            initial={"kind": claim.kind, "attribution": claim.attribution, "version": claim.version}
        )
    if flags["can_edit"] and "publication_form" not in extra:
        context["publication_form"] = _publication_form(claim)
    if claim.status == ClaimStatus.PUBLISHED:
        context["public_url"] = reverse("public_claim", args=[claim.pk])
    context.update(extra)
    return context


def _publication_form(claim: Claim) -> PublicationForm:
    publication = publication_of(claim)
    fields = ("summary", "article_url", "first_appearance_url")
    initial = {name: getattr(publication, name) for name in fields} if publication else {}
    return PublicationForm(initial=initial)


def render_panel(
    request: HttpRequest, claim: Claim, *, status: int = 200, **extra: Any
) -> HttpResponse:
    """The claim panel: alone for htmx, inside its document page otherwise."""
    if is_htmx(request):
        return render(
            request,
            "annotations/partials/claim_panel.html",
            panel_context(request, claim, **extra),
            status=status,
        )
    return render_document(request, claim.document, claim=claim, status=status, **extra)


def render_document(
    request: HttpRequest,
    document: Document,
    *,
    claim: Claim | None = None,
    status: int = 200,
    **extra: Any,
) -> HttpResponse:
    project = document.project
    segments = selectors.document_segments(document)
    claims = [segment.claim for segment in segments if segment.claim is not None]
    # The final rating colours the highlight: two queries for the whole document.
    prefetch_related_objects(claims, "final_verdict__rating")
    flags = role_flags(request.user, project)
    context: dict[str, Any] = {
        "document": document,
        "project": project,
        "segments": segments,
        "claim_count": len(claims),
        "checkworthy_count": sum(c.checkworthiness >= CHECKWORTHY for c in claims),
        **flags,
        "document_agreement": agreement_for_document(document) if flags["can_edit"] else None,
        "export_formats": EXPORT_FORMATS,
    }
    if claim is not None:
        context.update(panel_context(request, claim, **extra))
        context["panel_open"] = True
    return render(request, "annotations/document_detail.html", context, status=status)


EXPORT_FORMATS = [
    ("native", "JSON"),
    ("claimreview", "ClaimReview"),
    ("webannotation", "Web Annotation"),
    ("csv", "CSV"),
]
