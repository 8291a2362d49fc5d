"""Public fact-check pages: what readers and search engines see of a published claim.

No login. Each page speaks the project's language whatever the visitor's browser asks
for (the fact-check is written in it) and carries its ClaimReview as JSON-LD.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET

from .. import selectors
from ..models import Claim, Document, Project
from ..services.publishing import claim_review, public_base_url, public_page_url

# How much of the document a public page shows around the claim, each side, at most.
CONTEXT_CHARS = 400
# JSON in an HTML <script> element must not be able to close it or open a comment.
_SCRIPT_SAFE = str.maketrans({"<": "\\u003C", ">": "\\u003E", "&": "\\u0026"})


def json_ld(data: Any) -> SafeString:
    """JSON for a ``<script type="application/ld+json">`` element. HTML escaping would
    corrupt it there (a script's text is not decoded), so the three characters that could
    end the element or open markup are written as JSON escapes instead."""
    return mark_safe(  # noqa: S308 - escaped for the script context above
        json.dumps(data, ensure_ascii=False, indent=2).translate(_SCRIPT_SAFE)
    )


def claim_context(text: str, start: int, end: int) -> tuple[str, str]:
    """The text of the claim's paragraph before and after it, cut at a word when long."""
    para_start = text.rfind("\n", 0, start) + 1
    para_end = text.find("\n", end)
    para_end = len(text) if para_end == -1 else para_end
    before = text[max(para_start, start - CONTEXT_CHARS) : start]
    after = text[end : min(para_end, end + CONTEXT_CHARS)]
    if start - para_start > CONTEXT_CHARS:
        before = "…" + before.split(" ", 1)[-1]
    if para_end - end > CONTEXT_CHARS:
        after = after.rsplit(" ", 1)[0] + "…"
    return before, after


def _site_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _gone(request: HttpRequest) -> HttpResponse:
    return render(request, "public/gone.html", status=410)


@require_GET
def public_claim(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        claim = selectors.claim_get_public(pk)
    except selectors.Withdrawn:
        return _gone(request)
    document = claim.document
    project = document.project
    with translation.override(project.language):
        return _render_claim(request, claim, document, project)


def _render_claim(
    request: HttpRequest, claim: Claim, document: Document, project: Project
) -> HttpResponse:
    site_url = _site_url(request)
    review = claim_review(claim, site_url=site_url)
    before, after = claim_context(document.text, claim.start, claim.end)
    rating = claim.final_verdict.rating
    response = render(
        request,
        "public/claim.html",
        {
            "claim": claim,
            "document": document,
            "project": project,
            "review": review,
            "json_ld": json_ld(review),
            "page_url": public_page_url(claim, site_url),
            "before": before,
            "after": after,
            "rating": rating,
            "rating_label": rating.display_label(project.language),
            "rating_description": rating.display_description(project.language),
            "verdict": claim.final_verdict,
            "sources": selectors.sources_public_of(claim),
            "document_url": public_base_url(project, site_url)
            + reverse("public_document", args=[document.pk]),
        },
    )
    response["Content-Language"] = project.language
    return response


@require_GET
def public_document(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        document = selectors.document_get_public(pk)
    except selectors.Withdrawn:
        return _gone(request)
    except selectors.MovedOn as moved:
        return redirect("public_document", pk=moved.document.pk, permanent=True)
    project = document.project
    site_url = _site_url(request)
    with translation.override(project.language):
        claims = list(selectors.claims_public_of(document))
        reviews = [claim_review(claim, site_url=site_url) for claim in claims]
        items = [
            {
                "claim": claim,
                "url": public_page_url(claim, site_url),
                "rating": claim.final_verdict.rating,
                "rating_label": claim.final_verdict.rating.display_label(project.language),
            }
            for claim in claims
        ]
        response = render(
            request,
            "public/document.html",
            {
                "document": document,
                "project": project,
                "items": items,
                "json_ld": json_ld(reviews),
                "page_url": public_base_url(project, site_url)
                + reverse("public_document", args=[document.pk]),
            },
        )
    response["Content-Language"] = project.language
    return response


@require_GET
def public_rating_styles(request: HttpRequest, slug: str) -> HttpResponse:
    """The colours of a publishing project's ratings (public pages allow no inline style)."""
    project = selectors.project_get_public(slug)
    scales = project.rating_scales.prefetch_related("ratings")
    response = render(
        request,
        "annotations/ratings.css",
        {"ratings": [rating for scale in scales for rating in scale.ratings.all()]},
        content_type="text/css; charset=utf-8",
    )
    response["Cache-Control"] = "public, max-age=300"
    return response
