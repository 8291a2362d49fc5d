"""What the reviewer views share: htmx detection, roles for showing buttons, the panel."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
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
from ..models import (
    ROLE_RANK,
    Claim,
    ClaimStatus,
    Document,
    FetchState,
    Project,
    Role,
    Source,
)
from ..services.agreement import agreement_for_claim, agreement_for_document
from ..services.claims import span_crosses_paragraph
from ..services.history import FieldChange, HistoryEntry
from ..services.publishing import publication_of
from ..similar import claims_with_rated_match, matching_pending

POLLING_STATES = frozenset({FetchState.PENDING, FetchState.FETCHING})
# The session key of the reviewer's last merge, which the panel offers to undo.
MERGE_UNDO_KEY = "merge_undo"


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
    sources = selectors.sources_of(claim)
    for source in sources:
        source.polling = source.fetch_state in POLLING_STATES
    return {"claim": claim, "sources": sources, "polling": any(s.polling for s in sources)}


UNRELIABLE_STATES = frozenset({FetchState.FAILED, FetchState.BLOCKED})


def reliable_sources(sources: list, verdict=None) -> list:
    """The sources a verdict may rely on: not those that could not be fetched or were
    refused, unless the reviewer's verdict already relies on them (kept, not dropped)."""
    kept = {source.pk for source in verdict.sources.all()} if verdict is not None else set()
    return [s for s in sources if s.fetch_state not in UNRELIABLE_STATES or s.pk in kept]


def _merge_context(request: HttpRequest, claim: Claim) -> dict[str, Any]:
    """The claim a merge would join (shown before the reviewer confirms), and whether the
    reviewer's last merge, of this very claim, can still be undone."""
    following = (
        Claim.objects.alive()
        .filter(document_id=claim.document_id, start__gt=claim.start)
        .order_by("start")
        .only("pk", "start", "end", "text")
        .first()
    )
    across = following is not None and span_crosses_paragraph(
        claim.document.text, claim.end, following.start
    )
    undo = request.session.get(MERGE_UNDO_KEY) or {}
    return {
        "next_claim": None if across else following,
        "next_claim_elsewhere": across,
        "merge_undoable": undo.get("claim") == claim.pk and undo.get("version") == claim.version,
    }


def panel_context(request: HttpRequest, claim: Claim, **extra: Any) -> dict[str, Any]:
    """Everything the claim panel shows. ``extra`` carries bound forms and errors."""
    project = claim.document.project
    flags = role_flags(request.user, project)
    ratings = list(project.rating_scale.ratings.all()) if project.rating_scale_id else []
    verdicts = list(selectors.verdicts_visible_to(request.user, claim))
    own = next((v for v in verdicts if v.reviewer_id == request.user.pk), None)
    others = [v for v in verdicts if v.reviewer_id != request.user.pk]
    # The rule of selectors.verdicts_shown, from what is at hand here.
    verdicts_hidden = own is None and not selectors.verdicts_all_visible_as(
        flags["role"], blind_review=project.blind_review
    )
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
        "history": _fetch_errors_in_words(
            claim, selectors.claim_history_for(request.user, claim, role=flags["role"])
        ),
        "final_verdict": claim.final_verdict if not verdicts_hidden else None,
        "agreement": agreement_for_claim(claim) if flags["can_edit"] else None,
        # Under separation of duties an editor whose verdict is the only one waits for
        # another pair of eyes: the buttons say so before the service refuses.
        "own_verdict_only": bool(
            project.separate_duties
            and verdicts
            and all(verdict.reviewer_id == request.user.pk for verdict in verdicts)
        ),
    }
    context.update(sources_context(claim))
    if flags["can_review"]:
        context.update(_merge_context(request, claim))
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
            ratings=ratings,
            sources=reliable_sources(context["sources"], own),
            initial=initial,
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


def text_context(document: Document, user=None, *, role: str | None = None) -> dict[str, Any]:
    """The document's text cut into its claims, for ``partials/document_text.html``;
    with ``user``, the claims they may see were checked before are marked, and the final
    ratings they may see are shown (without, none). ``role`` is the user's in the
    project, when the caller has it."""
    segments = selectors.document_segments(document)
    claims = [segment.claim for segment in segments if segment.claim is not None]
    # The final rating colours the highlight: two queries for the whole document, and
    # one for what blind review lets the user see of it.
    prefetch_related_objects(claims, "final_verdict__rating")
    selectors.claims_set_visible_final_verdict(user or AnonymousUser(), claims, role=role)
    return {
        "document": document,
        "project": document.project,
        "segments": segments,
        "claim_count": len(claims),
        "checkworthy_count": sum(c.checkworthiness >= CHECKWORTHY for c in claims),
        # Claims with a rated match found when the document was split ("↺").
        "checked_before": claims_with_rated_match(user, claims) if user is not None else set(),
    }


def render_panel_and_text(request: HttpRequest, claim: Claim) -> HttpResponse:
    """After a change of the cut (split, merge, new boundaries): the claim's panel and,
    swapped out of band, the document's text with its new claims; the page stays."""
    response = render_panel(request, claim)
    text = render_to_string(
        "annotations/partials/document_text.html",
        {**text_context(claim.document, request.user), "claim": claim, "oob": True},
        request=request,
    )
    response.content = response.content + text.encode("utf-8")
    return response


def render_document(
    request: HttpRequest,
    document: Document,
    *,
    claim: Claim | None = None,
    status: int = 200,
    **extra: Any,
) -> HttpResponse:
    project = document.project
    flags = role_flags(request.user, project)
    context: dict[str, Any] = {
        **text_context(document, request.user, role=flags["role"]),
        **flags,
        "document_agreement": agreement_for_document(document) if flags["can_edit"] else None,
        "export_formats": EXPORT_FORMATS,
        "matching_pending": document.status == Document.Status.READY and matching_pending(document),
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


def _fetch_errors_in_words(claim: Claim, history: list[HistoryEntry]) -> list[HistoryEntry]:
    """The history with each source's fetch error in the reader's language where the
    source still has it: the history keeps only the English text, the source its code."""
    failures = [
        entry
        for entry in history
        if entry.model == "source" and any(c.field == "fetch_error" for c in entry.changes)
    ]
    if not failures:
        return history
    said = {
        source.fetch_error: source.fetch_error_text
        for source in Source.objects.filter(claim=claim).exclude(fetch_error="")
    }
    for entry in failures:
        entry.changes[:] = [
            FieldChange(change.field, *(said.get(value, value) for value in change[1:]))
            if change.field == "fetch_error"
            else change
            for change in entry.changes
        ]
    return history
