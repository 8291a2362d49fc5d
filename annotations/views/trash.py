"""The trash in the reviewer pages: moving a claim, verdict, source or comment there, the
project's trash page, restoring from it and, for admins, deleting for good after a
confirmation that needs no JavaScript. Every change goes through a trash service."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import selectors
from ..forms import VersionForm
from ..models import Claim, Comment, Project, Source, Verdict
from ..services import trash as trash_services
from ..services.errors import Conflict, PermissionDenied, ValidationError
from .common import render_panel, role_flags
from .paging import page_of
from .panel_actions import panel_act, panel_invalid

TRASH_PAGE_SIZE = 50

MODELS: dict[str, type[Claim | Verdict | Source | Comment]] = {
    "claim": Claim,
    "verdict": Verdict,
    "source": Source,
    "comment": Comment,
}


def _project_of(item: Model) -> Project:
    claim = item if isinstance(item, Claim) else item.claim
    return claim.document.project


def _trash_url(project: Project) -> str:
    return reverse("project_trash", args=[project.slug])


# --- Moving to the trash from the claim panel ------------------------------------------


@login_required
@require_POST
def claim_trash(request: HttpRequest, pk: int) -> HttpResponse:
    """Move the claim to the trash and go back to its document, saying where it went."""
    claim = selectors.claim_get(request.user, pk)
    form = VersionForm(request.POST)
    if not form.is_valid():
        return panel_invalid(request, claim, "workflow_form", form)
    try:
        trash_services.claim_delete(
            claim=claim, actor=request.user, expected_version=form.cleaned_data["version"]
        )
    except Conflict as conflict:
        return render_panel(request, claim, status=409, conflict=conflict)
    except PermissionDenied as error:
        return render_panel(request, claim, status=403, action_errors=[str(error)])
    except ValidationError as error:
        return render_panel(request, claim, status=422, action_errors=error.messages)
    messages.success(
        request, _("The claim is in the project's trash; it can be restored from there.")
    )
    return redirect("document_detail", pk=claim.document_id)


def _trash_from_panel(
    request: HttpRequest, claim: Claim, change: Callable[[], Any], done: str
) -> HttpResponse:
    def change_and_say() -> None:
        change()
        messages.success(request, done)

    return panel_act(request, claim, change_and_say)


@login_required
@require_POST
def verdict_trash(request: HttpRequest, pk: int) -> HttpResponse:
    verdict = selectors.verdict_get(request.user, pk)
    return _trash_from_panel(
        request,
        verdict.claim,
        lambda: trash_services.verdict_delete(verdict=verdict, actor=request.user),
        _("The verdict is in the project's trash; it can be restored from there."),
    )


@login_required
@require_POST
def source_trash(request: HttpRequest, pk: int) -> HttpResponse:
    source = selectors.source_get(request.user, pk)
    return _trash_from_panel(
        request,
        source.claim,
        lambda: trash_services.source_delete(source=source, actor=request.user),
        _("The source is in the project's trash; it can be restored from there."),
    )


@login_required
@require_POST
def comment_trash(request: HttpRequest, pk: int) -> HttpResponse:
    comment = selectors.comment_get(request.user, pk)
    return _trash_from_panel(
        request,
        comment.claim,
        lambda: trash_services.comment_delete(comment=comment, actor=request.user),
        _("The comment is in the project's trash; it can be restored from there."),
    )


# --- The trash page ---------------------------------------------------------------------


@login_required
@require_GET
def project_trash(request: HttpRequest, slug: str) -> HttpResponse:
    project = selectors.project_get(request.user, slug)
    trash = selectors.trash_for(request.user, project)
    # The page shows a claim's text and its document's title: the rest of the rows (the
    # document's text, the claim's extracted features) stays unread, a page of 50 costs
    # what a page of 5 does.
    sections = {
        "claims": trash.claims.select_related("document").only(
            "text", "deleted_at", "document_id", "document__title"
        ),
        "verdicts": trash.verdicts.select_related("claim", "reviewer", "rating"),
        "sources": trash.sources.select_related("claim"),
        "comments": trash.comments.select_related("claim", "author"),
    }
    if trash.documents is not None:
        sections["documents"] = trash.documents
    # Each section is paged on its own (``?claims_page=2``...).
    pages = {
        kind: page_of(rows, request, size=TRASH_PAGE_SIZE, param=f"{kind}_page")
        for kind, rows in sections.items()
    }
    context = {
        "project": project,
        "documents": None,
        **{kind: page.items for kind, page in pages.items()},
        **{f"{kind}_pages": page for kind, page in pages.items()},
        "empty": not any(page.items or page.has_previous for page in pages.values()),
        **role_flags(request.user, project),
    }
    return render(request, "annotations/trash.html", context)


RESTORED = {
    "claim": lambda: _("The claim is restored."),
    "verdict": lambda: _("The verdict is restored."),
    "source": lambda: _("The source is restored."),
    "comment": lambda: _("The comment is restored."),
}


@login_required
@require_POST
def trashed_restore(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    item = selectors.trash_item_get(request.user, MODELS[kind], pk)
    service = getattr(trash_services, f"{kind}_restore")
    try:
        service(**{kind: item, "actor": request.user})
    except PermissionDenied as error:
        messages.error(request, str(error))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, RESTORED[kind]())
    return redirect(_trash_url(_project_of(item)))


@login_required
@require_http_methods(["GET", "POST"])
def trashed_purge(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """Delete for good: a page asks first (GET), the form on it does it (POST)."""
    if request.method == "GET":
        item = selectors.trash_item_get(request.user, MODELS[kind], pk)
    else:  # the service says why it refuses what is not in the trash
        item = selectors.purge_target_get(request.user, MODELS[kind], pk)
    project = _project_of(item)
    flags = role_flags(request.user, project)
    if request.method == "GET":
        if not flags["can_purge"]:
            raise PermissionDenied
        return render(
            request,
            "annotations/trash_confirm.html",
            {"project": project, "item": item, "kind": kind, **flags},
        )
    try:
        service = getattr(trash_services, f"{kind}_purge")
        service(**{kind: item, "actor": request.user})
    except PermissionDenied as error:
        messages.error(request, str(error))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Deleted for good."))
    return redirect(_trash_url(project))
