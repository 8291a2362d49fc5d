"""Versions of an article that changed: comparing two, adding one by hand, watching the
address, downloading a version's capture, placing a claim left behind."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import selectors
from ..forms import NewVersionForm, PlaceClaimForm, add_service_error
from ..services.errors import ValidationError
from ..services.versions import (
    claim_place,
    document_add_version,
    document_latest_version,
    document_set_watched,
    document_versions,
)
from .captures import file_response
from .common import role_flags


@login_required
@require_http_methods(["GET", "POST"])
def document_version_list(request: HttpRequest, pk: int) -> HttpResponse:
    """Two versions side by side (``?a=`` and ``?b=``, ids of versions), and a form to
    add the next version by pasting it."""
    document = selectors.document_get(request.user, pk)
    versions = document_versions(document)
    by_id = {version.pk: version for version in versions}
    form = NewVersionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        latest = versions[-1]
        if form.is_valid():
            try:
                outcome = document_add_version(
                    document=latest, actor=request.user, text=form.cleaned_data["text"]
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _version_message(outcome.counts))
                new = outcome.document
                return redirect(
                    f"{reverse('document_versions', args=[new.pk])}?a={latest.pk}&b={new.pk}"
                )
        status = 400
    a = _pick(request, "a", by_id, versions[-2] if len(versions) > 1 else versions[-1])
    b = _pick(request, "b", by_id, versions[-1])
    context = {
        "document": document,
        "project": document.project,
        "versions": versions,
        "a": a,
        "b": b,
        "diff": selectors.text_differences(a.text, b.text),
        "rows": selectors.claims_across_versions(a, b),
        "form": form,
        **role_flags(request.user, document.project),
    }
    return render(request, "annotations/document_versions.html", context, status=status)


def _pick(request: HttpRequest, name: str, by_id: dict, default):
    value = request.GET.get(name)
    if not value:
        return default
    try:
        return by_id[int(value)]
    except (KeyError, ValueError):
        raise Http404 from None


def _version_message(counts) -> str:
    return _(
        "New version stored: %(kept)s claims carried over, %(edited)s edited after "
        "publication, %(removed)s removed, %(unanchored)s left for you to place."
    ) % {
        "kept": counts.get("kept", 0),
        "edited": counts.get("edited", 0),
        "removed": counts.get("removed", 0),
        "unanchored": counts.get("unanchored", 0),
    }


@login_required
@require_POST
def document_watch(request: HttpRequest, pk: int) -> HttpResponse:
    document = selectors.document_get(request.user, pk)
    watched = request.POST.get("watched") == "on"
    try:
        document_set_watched(document=document, actor=request.user, watched=watched)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The address is watched for changes.")
            if watched
            else _("The address is no longer watched."),
        )
    return redirect("document_detail", pk=document.pk)


@login_required
@require_GET
def document_capture(request: HttpRequest, pk: int) -> HttpResponse:
    """The WARC file of the fetch that gave this version its text."""
    document = selectors.document_get(request.user, pk)
    filename = f"document-{document.pk}-version-{document.version_number}.warc.gz"
    return file_response(document.capture, document.capture_sha256, filename)


@login_required
@require_POST
def claim_place_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Place a claim left on an old version: the reviewer gives its passage in the latest."""
    claim = selectors.claim_get(request.user, pk)
    latest = document_latest_version(claim.document)
    form = PlaceClaimForm(request.POST)
    target = f"{reverse('document_detail', args=[claim.document_id])}?claim={claim.pk}"
    if not form.is_valid():
        messages.error(request, _("Give the passage of the latest version to place it on."))
        return redirect(target)
    passage = form.cleaned_data["passage"].strip()
    found = latest.text.find(passage)
    if found == -1 or latest.text.find(passage, found + 1) != -1:
        messages.error(
            request,
            _("The passage must occur exactly once in the latest version; give a longer one."),
        )
        return redirect(target)
    try:
        placed = claim_place(claim=claim, actor=request.user, start=found, end=found + len(passage))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(target)
    messages.success(request, _("The claim is placed on the latest version."))
    return redirect(f"{reverse('document_detail', args=[placed.document_id])}?claim={placed.pk}")
