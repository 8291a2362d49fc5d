""" "Checked before?" in the claim panel: the matches, "same claim as #N", carrying an
earlier rating over; the document page's marks once the background matching is done."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .. import selectors, similar
from ..matching.ranking import WORTH_SHOWING
from ..models import ReferenceReview
from ..services.errors import ValidationError
from ..services.matching import claim_link_same, claim_unlink_same, verdict_carry_over
from .common import role_flags, text_context
from .panel_actions import panel_act

PANEL_MATCHES = 5


@login_required
@require_GET
def document_matches(request: HttpRequest, pk: int) -> HttpResponse:
    """Polled by the document page while its claims are matched in the background: the
    same notice while that goes on; then nothing in its place and, when some claim has a
    rated match, the document's text again with its "checked before" marks (swapped out
    of band, with the claim open in the page's address still the current one)."""
    document = selectors.document_get(request.user, pk)
    if similar.matching_pending(document):
        return render(request, "annotations/partials/matching_status.html", {"document": document})
    context = text_context(document, request.user)
    if not context["checked_before"]:
        return HttpResponse("")
    opened = parse_qs(urlsplit(request.headers.get("HX-Current-URL", "")).query).get("claim")
    current = next(
        (
            segment.claim
            for segment in context["segments"]
            if segment.claim is not None and opened and str(segment.claim.pk) == opened[0]
        ),
        None,
    )
    return HttpResponse(
        render_to_string(
            "annotations/partials/document_text.html",
            {**context, "claim": current, "oob": True},
            request=request,
        )
    )


@login_required
@require_GET
def claim_similar(request: HttpRequest, pk: int) -> HttpResponse:
    """The "Checked before" list of the panel, loaded after the panel itself."""
    claim = selectors.claim_get(request.user, pk)
    matches = [
        match
        for match in similar.similar_to_claim(request.user, claim, limit=PANEL_MATCHES)
        if match.score >= WORTH_SHOWING
    ]
    context = {
        "claim": claim,
        "matches": matches,
        **role_flags(request.user, claim.document.project),
    }
    return render(request, "annotations/partials/checked_before.html", context)


def _posted_id(request: HttpRequest, name: str) -> int | None:
    raw = request.POST.get(name, "").strip()
    return int(raw) if raw.isdigit() else None


def _version(request: HttpRequest) -> int | None:
    return _posted_id(request, "version")


@login_required
@require_POST
def claim_same_as(request: HttpRequest, pk: int) -> HttpResponse:
    """Link the claim as the same as an earlier one (``same_as``), or undo (``unlink``)."""
    claim = selectors.claim_get(request.user, pk)

    def change() -> None:
        if request.POST.get("unlink"):
            claim_unlink_same(claim=claim, actor=request.user, expected_version=_version(request))
            return
        earlier_id = _posted_id(request, "same_as")
        try:
            earlier = selectors.claim_get(request.user, earlier_id)
        except Http404:
            raise ValidationError(_("No such claim in your projects.")) from None
        claim_link_same(
            claim=claim, same_as=earlier, actor=request.user, expected_version=_version(request)
        )

    return panel_act(request, claim, change)


@login_required
@require_POST
def claim_carry_over(request: HttpRequest, pk: int) -> HttpResponse:
    """Carry an earlier claim's final rating (``earlier``) or an imported review's
    (``reference``) over as this claim's final verdict."""
    claim = selectors.claim_get(request.user, pk)

    def change() -> None:
        earlier = reference = None
        if _posted_id(request, "earlier") is not None:
            try:
                earlier = selectors.claim_get(request.user, _posted_id(request, "earlier"))
            except Http404:
                raise ValidationError(_("No such claim in your projects.")) from None
        else:
            reference = ReferenceReview.objects.filter(
                pk=_posted_id(request, "reference"),
                project__in=selectors.projects_for(request.user),
            ).first()
            if reference is None:
                raise ValidationError(_("No such review in your projects."))
        verdict_carry_over(
            claim=claim,
            actor=request.user,
            earlier=earlier,
            reference=reference,
            rating=request.POST.get("rating", "").strip(),
            expected_version=_version(request),
        )

    return panel_act(request, claim, change)
