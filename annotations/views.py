"""Reviewer pages. Thin: reads go through selectors, writes through services."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from . import selectors


@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    projects = selectors.projects_for(request.user)
    return render(request, "annotations/project_list.html", {"projects": projects})


@login_required
def document_list(request: HttpRequest, slug: str) -> HttpResponse:
    project = selectors.get_project(request.user, slug)
    documents = selectors.documents_with_progress(project)
    return render(
        request, "annotations/document_list.html", {"project": project, "documents": documents}
    )


@login_required
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = selectors.get_document(request.user, pk)
    segments = selectors.document_segments(document)
    return render(
        request,
        "annotations/document_detail.html",
        {"document": document, "project": document.project, "segments": segments},
    )
