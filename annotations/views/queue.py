"""My queue: the claims assigned to me, narrowed by status, kind, my rating or document."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .. import selectors
from ..forms import QueueFilterForm

QUEUE_PAGE_SIZE = 200


@login_required
@require_GET
def my_queue(request: HttpRequest) -> HttpResponse:
    assigned = selectors.my_queue(request.user)
    documents = sorted(
        set(assigned.order_by().values_list("document_id", "document__title")),
        key=lambda item: item[1],
    )
    ratings = {}
    for project in selectors.projects_for(request.user).select_related("rating_scale"):
        if project.rating_scale_id:
            for rating in project.rating_scale.ratings.all():
                ratings.setdefault(rating.value, rating.display_label())
    form = QueueFilterForm(request.GET or None, ratings=ratings.items(), documents=documents)
    filters = selectors.QueueFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.QueueFilters(
            status=data["status"] or None,
            kind=data["kind"] or None,
            rating=data["rating"] or None,
            document=data["document"],
            query=data["q"] or None,
        )
    claims = list(
        selectors.my_queue(request.user, filters).select_related("final_verdict__rating")[
            :QUEUE_PAGE_SIZE
        ]
    )
    selectors.with_visible_final_verdicts(request.user, claims)
    return render(
        request,
        "annotations/my_queue.html",
        {"claims": claims, "form": form, "limit": QUEUE_PAGE_SIZE},
    )
