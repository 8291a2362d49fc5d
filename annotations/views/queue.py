"""My queue: the claims assigned to me, narrowed by status, kind, my rating or document."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .. import selectors
from ..forms import QueueFilterForm
from .paging import page_of

QUEUE_PAGE_SIZE = 100
# What a row shows and the visibility rule reads: a document row has forty columns, its
# text and some JSON among them, and a page of the queue would load them a hundred times.
QUEUE_ROW_FIELDS = (
    "document_id",
    "text",
    "kind",
    "status",
    "checkworthiness",
    "final_verdict",
    "document__title",
    "document__project__name",
    "document__project__blind_review",
    "final_verdict__rating__label",
    "final_verdict__rating__translations",
)


@login_required
@require_GET
def my_queue(request: HttpRequest) -> HttpResponse:
    ratings = {}
    for project in selectors.projects_for(request.user).select_related("rating_scale"):
        if project.rating_scale_id:
            for rating in project.rating_scale.ratings.all():
                ratings.setdefault(rating.value, rating.display_label())
    form = QueueFilterForm(request.GET or None, ratings=ratings.items())
    filters = selectors.QueueFilters()
    ordering = "document"
    document = None
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.QueueFilters(
            status=data["status"] or None,
            kind=data["kind"] or None,
            rating=data["rating"] or None,
            document=data["document"],
            query=data["q"] or None,
        )
        ordering = data["order"] or ordering
        if data["document"] is not None:
            document = selectors.documents_for(request.user).filter(pk=data["document"]).first()
    claims = selectors.queue_for(request.user, filters, ordering=ordering)
    page = page_of(
        claims.select_related("final_verdict__rating").only(*QUEUE_ROW_FIELDS),
        request,
        size=QUEUE_PAGE_SIZE,
    )
    selectors.claims_set_visible_final_verdict(request.user, page.items)
    return render(
        request,
        "annotations/my_queue.html",
        {"claims": page.items, "page": page, "form": form, "document": document},
    )
