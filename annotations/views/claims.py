"""One claim under review: its panel, corrections of its span, verdicts, sources, comments
and the editors' workflow. Every write goes through a service; its refusals are shown."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .. import selectors
from ..forms import (
    BoundaryForm,
    ClaimEditForm,
    CommentForm,
    FinalVerdictForm,
    PublicationForm,
    SourceForm,
    SplitForm,
    SuggestionForm,
    VerdictForm,
    VersionForm,
    add_service_error,
)
from ..models import Claim
from ..services.claims import (
    MergeUndo,
    claim_merge,
    claim_move_boundary,
    claim_split,
    claim_unmerge,
)
from ..services.comments import comment_add
from ..services.errors import Conflict, PermissionDenied, ValidationError
from ..services.publishing import publication_update
from ..services.sources import source_accept_suggestion, source_attach, source_refetch
from ..services.verdicts import claim_set_final_verdict, verdict_submit
from ..services.workflow import (
    claim_approve,
    claim_publish,
    claim_reopen,
    claim_unpublish,
    claim_update,
)
from .common import (
    MERGE_UNDO_KEY,
    is_htmx,
    reliable_sources,
    render_panel,
    render_panel_and_text,
    role_flags,
    sources_context,
)
from .panel_actions import claim_url, panel_act, panel_invalid, rebound_form

WORKFLOW = {
    "approve": claim_approve,
    "publish": claim_publish,
    "unpublish": claim_unpublish,
    "reopen": claim_reopen,
}


@login_required
@require_GET
def claim_panel(request: HttpRequest, pk: int) -> HttpResponse:
    claim = selectors.claim_get(request.user, pk)
    if not is_htmx(request):
        return redirect(claim_url(claim))
    return render_panel(request, claim)


@login_required
@require_GET
def claim_sources(request: HttpRequest, pk: int) -> HttpResponse:
    """The sources list alone, polled while a worker fetches one of them."""
    claim = selectors.claim_get(request.user, pk)
    context = {**sources_context(claim), **role_flags(request.user, claim.document.project)}
    return render(request, "annotations/partials/sources.html", context)


# --- Corrections of the cut: the panel and the document's text change ------------------


def _text_change(
    request: HttpRequest,
    claim: Claim,
    change: Callable[[], Claim],
    *,
    form=None,
    form_name: str = "",
) -> HttpResponse:
    """Run a change of the cut. With htmx the page stays: the panel and the text are
    swapped; refusals are shown in the panel next to the form that was sent."""
    htmx = is_htmx(request)
    try:
        changed = change()
    except Conflict as conflict:
        if htmx:
            return render_panel(
                request, selectors.claim_get(request.user, claim.pk), status=409, conflict=conflict
            )
        return render(
            request,
            "annotations/conflict.html",
            {
                "claim": claim,
                "current": conflict.current,
                "conflict": conflict,
                "document": claim.document,
                "project": claim.document.project,
                "data": request.POST,
                "action": request.path,
            },
            status=409,
        )
    except PermissionDenied as error:
        if htmx:
            return render_panel(request, claim, status=403, action_errors=[str(error)])
        messages.error(request, str(error))
        return redirect(claim_url(claim))
    except ValidationError as error:
        if htmx:
            fresh = selectors.claim_get(request.user, claim.pk)
            if form is not None:
                add_service_error(form, error)
                return render_panel(request, fresh, status=422, **{form_name: form})
            return render_panel(
                request, fresh, status=422, action_errors=error.messages, error_at=form_name
            )
        for message in error.messages:
            messages.error(request, message)
        return redirect(claim_url(claim))
    shown = changed if isinstance(changed, Claim) else claim
    if htmx:
        return render_panel_and_text(request, selectors.claim_get(request.user, shown.pk))
    return redirect(claim_url(shown))


@login_required
@require_POST
def claim_split_view(request: HttpRequest, pk: int) -> HttpResponse:
    claim = selectors.claim_get(request.user, pk)
    form = SplitForm(request.POST)
    if not form.is_valid():
        return panel_invalid(request, claim, "split_form", form)

    def split() -> Claim:
        first, _second = claim_split(
            claim=claim,
            actor=request.user,
            at=form.cleaned_data["at"],
            expected_version=form.cleaned_data["version"],
        )
        return first

    return _text_change(request, claim, split, form=form, form_name="split_form")


@login_required
@require_POST
def claim_merge_view(request: HttpRequest, pk: int) -> HttpResponse:
    claim = selectors.claim_get(request.user, pk)
    form = VersionForm(request.POST)
    if not form.is_valid():
        return panel_invalid(request, claim, "merge_form", form)

    def merge() -> Claim:
        merged = claim_merge(
            claim=claim, actor=request.user, expected_version=form.cleaned_data["version"]
        )
        # The last merge of this reviewer can be taken back, from this session only.
        request.session[MERGE_UNDO_KEY] = asdict(merged.merge_undo)
        messages.success(request, _("The two claims were merged."))
        return merged

    return _text_change(request, claim, merge, form_name="merge")


@login_required
@require_POST
def claim_unmerge_view(request: HttpRequest, pk: int) -> HttpResponse:
    claim = selectors.claim_get(request.user, pk)
    stored = request.session.get(MERGE_UNDO_KEY) or {}

    def unmerge() -> Claim:
        if stored.get("claim") != claim.pk:
            raise ValidationError(_("There is no merge of this claim to undo."))
        claim_unmerge(claim=claim, actor=request.user, undo=MergeUndo(**stored))
        request.session.pop(MERGE_UNDO_KEY, None)
        messages.success(request, _("The merge was undone."))
        return claim

    return _text_change(request, claim, unmerge, form_name="merge")


@login_required
@require_POST
def claim_boundary_view(request: HttpRequest, pk: int) -> HttpResponse:
    claim = selectors.claim_get(request.user, pk)
    form = BoundaryForm(request.POST)
    if form.is_valid():
        start, end, seen = (form.cleaned_data[k] for k in ("start", "end", "text"))
        if seen and claim.document.text[start:end] != seen:
            form.add_error(
                None,
                _(
                    "The selection does not match the document's text; "
                    "reload the page and select again."
                ),
            )
    if not form.is_valid():
        return panel_invalid(request, claim, "boundary_form", form)
    return _text_change(
        request,
        claim,
        lambda: claim_move_boundary(
            claim=claim,
            actor=request.user,
            start=start,
            end=end,
            expected_version=form.cleaned_data["version"],
        ),
        form=form,
        form_name="boundary_form",
    )


# --- Panel changes ---------------------------------------------------------------------


@login_required
@require_POST
def claim_edit(request: HttpRequest, pk: int) -> HttpResponse:
    claim = selectors.claim_get(request.user, pk)
    form = ClaimEditForm(request.POST)
    if not form.is_valid():
        return panel_invalid(request, claim, "edit_form", form)
    return panel_act(
        request,
        claim,
        lambda: claim_update(
            claim=claim,
            actor=request.user,
            expected_version=form.cleaned_data["version"],
            kind=form.cleaned_data["kind"],
            attribution=form.cleaned_data["attribution"],
        ),
        form=form,
        form_name="edit_form",
        rebind=rebound_form(ClaimEditForm, request),
    )


@login_required
@require_POST
def claim_publication(request: HttpRequest, pk: int) -> HttpResponse:
    claim = selectors.claim_get(request.user, pk)
    form = PublicationForm(request.POST)
    if not form.is_valid():
        return panel_invalid(request, claim, "publication_form", form)
    return panel_act(
        request,
        claim,
        lambda: publication_update(claim=claim, actor=request.user, **form.cleaned_data),
        form=form,
        form_name="publication_form",
    )


def _ratings(claim: Claim) -> list:
    project = claim.document.project
    return list(project.rating_scale.ratings.all()) if project.rating_scale_id else []


@login_required
@require_POST
def claim_verdict(request: HttpRequest, pk: int) -> HttpResponse:
    claim = selectors.claim_get(request.user, pk)
    ratings = _ratings(claim)
    own = claim.verdicts.filter(reviewer=request.user, deleted_at__isnull=True).first()
    sources = reliable_sources(sources_context(claim)["sources"], own)
    form = VerdictForm(request.POST, ratings=ratings, sources=sources)
    if not form.is_valid():
        return panel_invalid(request, claim, "verdict_form", form)
    return panel_act(
        request,
        claim,
        lambda: verdict_submit(
            claim=claim,
            actor=request.user,
            rating=form.cleaned_data["rating"],
            rationale=form.cleaned_data["rationale"],
            sources=form.cleaned_data["sources"],
            expected_version=form.cleaned_data["version"],
        ),
        form=form,
        form_name="verdict_form",
        rebind=rebound_form(VerdictForm, request, ratings=ratings, sources=sources),
    )


@login_required
@require_POST
def claim_final_verdict(request: HttpRequest, pk: int) -> HttpResponse:
    claim = selectors.claim_get(request.user, pk)
    form = FinalVerdictForm(request.POST)
    if not form.is_valid():
        return panel_invalid(request, claim, "final_form", form)
    verdict = selectors.verdict_get(request.user, form.cleaned_data["verdict"])
    if verdict.claim_id != claim.pk:
        raise Http404
    return panel_act(
        request,
        claim,
        lambda: claim_set_final_verdict(
            claim=claim,
            actor=request.user,
            verdict=verdict,
            expected_version=form.cleaned_data["version"],
        ),
        error_at="editor",
    )


@login_required
@require_POST
def claim_workflow(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in WORKFLOW:
        raise Http404
    claim = selectors.claim_get(request.user, pk)
    form = VersionForm(request.POST)
    if not form.is_valid():
        return panel_invalid(request, claim, "workflow_form", form)
    return panel_act(
        request,
        claim,
        lambda: WORKFLOW[action](
            claim=claim, actor=request.user, expected_version=form.cleaned_data["version"]
        ),
        error_at="editor",
    )


@login_required
@require_POST
def claim_comment(request: HttpRequest, pk: int) -> HttpResponse:
    claim = selectors.claim_get(request.user, pk)
    form = CommentForm(request.POST)
    if not form.is_valid():
        return panel_invalid(request, claim, "comment_form", form)
    parent = None
    if form.cleaned_data["parent"]:
        parent = selectors.comment_get(request.user, form.cleaned_data["parent"])
    return panel_act(
        request,
        claim,
        lambda: comment_add(
            claim=claim, actor=request.user, body=form.cleaned_data["body"], parent=parent
        ),
        form=form,
        form_name="comment_form",
    )


@login_required
@require_POST
def claim_source_add(request: HttpRequest, pk: int) -> HttpResponse:
    claim = selectors.claim_get(request.user, pk)
    form = SourceForm(request.POST)
    if not form.is_valid():
        return panel_invalid(request, claim, "source_form", form)
    return panel_act(
        request,
        claim,
        lambda: source_attach(claim=claim, actor=request.user, **form.cleaned_data),
        form=form,
        form_name="source_form",
    )


@login_required
@require_POST
def source_accept(request: HttpRequest, pk: int) -> HttpResponse:
    source = selectors.source_get(request.user, pk)
    form = SuggestionForm(request.POST)
    if not form.is_valid():
        return panel_invalid(request, source.claim, "suggestion_form", form)
    return panel_act(
        request,
        source.claim,
        lambda: source_accept_suggestion(
            source=source, actor=request.user, passage=form.cleaned_data["passage"]
        ),
        error_at="sources",
    )


@login_required
@require_POST
def source_refetch_view(request: HttpRequest, pk: int) -> HttpResponse:
    source = selectors.source_get(request.user, pk)
    return panel_act(
        request,
        source.claim,
        lambda: source_refetch(source=source, actor=request.user),
        error_at="sources",
    )
