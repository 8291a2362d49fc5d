"""What is done to a document as a whole: moving it to the trash and back, fetching a
failed web page again, correcting its details."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from .. import selectors
from ..forms import DocumentMetadataForm, add_service_error
from ..services.documents import document_retry_import, document_update_metadata
from ..services.errors import PermissionDenied, ValidationError
from ..services.trash import document_delete, document_restore
from .common import role_flags


def _report(request: HttpRequest, error: Exception) -> None:
    for message in getattr(error, "messages", None) or [str(error)]:
        messages.error(request, message)


@login_required
@require_POST
def document_trash(request: HttpRequest, pk: int) -> HttpResponse:
    document = selectors.document_get(request.user, pk)
    try:
        document_delete(document=document, actor=request.user)
    except (PermissionDenied, ValidationError) as error:
        _report(request, error)
        return redirect("document_detail", pk=document.pk)
    messages.success(
        request,
        _("“%(title)s” is in the trash; it can be restored from there.")
        % {"title": document.title},
    )
    return redirect("document_list", slug=document.project.slug)


@login_required
@require_POST
def document_restore_view(request: HttpRequest, pk: int) -> HttpResponse:
    document = selectors.document_get_trashed(request.user, pk)
    try:
        document_restore(document=document, actor=request.user)
    except (PermissionDenied, ValidationError) as error:
        _report(request, error)
        return redirect("project_trash", slug=document.project.slug)
    messages.success(request, _("The document is restored."))
    return redirect("document_detail", pk=document.pk)


@login_required
@require_POST
def document_retry(request: HttpRequest, pk: int) -> HttpResponse:
    document = selectors.document_get(request.user, pk)
    try:
        document_retry_import(document=document, actor=request.user)
    except (PermissionDenied, ValidationError) as error:
        _report(request, error)
    return redirect("document_detail", pk=document.pk)


@login_required
@require_http_methods(["GET", "POST"])
def document_edit(request: HttpRequest, pk: int) -> HttpResponse:
    document = selectors.document_get(request.user, pk)
    initial = {
        "title": document.title,
        "author": document.author,
        "author_type": document.author_type,
        "source_url": document.source_url,
        "published_on": document.published_on,
    }
    form = DocumentMetadataForm(request.POST if request.method == "POST" else None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                document_update_metadata(document=document, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_error(form, error)
            except PermissionDenied as error:
                form.add_error(None, str(error))
                status = 403
            else:
                messages.success(request, _("The document's details are saved."))
                return redirect("document_detail", pk=document.pk)
        status = status if status != 200 else 422
    return render(
        request,
        "annotations/document_edit.html",
        {
            "document": document,
            "project": document.project,
            "form": form,
            **role_flags(request.user, document.project),
        },
        status=status,
    )
