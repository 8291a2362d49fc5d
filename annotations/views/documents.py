"""Projects, their documents, bringing a new document in, assigning and exporting."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from .. import exports, selectors
from ..extraction.scoring import CHECKWORTHY
from ..forms import (
    AssignForm,
    DocumentListForm,
    PasteDocumentForm,
    UploadDocumentForm,
    UrlDocumentForm,
    add_service_error,
)
from ..models import Document, Role
from ..services.documents import (
    document_create_from_markup,
    document_create_from_upload,
    document_create_from_url,
)
from ..services.errors import PermissionDenied, ValidationError
from ..services.workflow import claims_assign
from .common import is_htmx, render_document, role_flags
from .paging import page_of

DOCUMENTS_PAGE_SIZE = 50


@login_required
@require_GET
def project_list(request: HttpRequest) -> HttpResponse:
    projects = selectors.projects_for(request.user)
    return render(request, "annotations/project_list.html", {"projects": projects})


@login_required
@require_GET
def document_list(request: HttpRequest, slug: str) -> HttpResponse:
    project = selectors.project_get(request.user, slug)
    form = DocumentListForm(request.GET)
    form.is_valid()
    query = form.cleaned_data.get("q", "")
    ordering = form.cleaned_data.get("order") or "newest"
    documents = selectors.documents_with_progress(project, ordering=ordering)
    if query:
        documents = selectors.search_documents(query, scope=documents)
    page = page_of(documents, request, size=DOCUMENTS_PAGE_SIZE)
    return render(
        request,
        "annotations/document_list.html",
        {
            "project": project,
            "documents": page.items,
            "page": page,
            "form": form,
            "query": query,
            **role_flags(request.user, project),
        },
    )


@login_required
@require_GET
def rating_styles(request: HttpRequest, slug: str) -> HttpResponse:
    """The colours of the project's ratings as a style sheet (no inline styles under CSP)."""
    project = selectors.project_get(request.user, slug)
    scales = project.rating_scales.prefetch_related("ratings")
    response = render(
        request,
        "annotations/ratings.css",
        {"ratings": [rating for scale in scales for rating in scale.ratings.all()]},
        content_type="text/css; charset=utf-8",
    )
    response["Cache-Control"] = "private, max-age=60"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def document_new(request: HttpRequest, slug: str) -> HttpResponse:
    project = selectors.project_get(request.user, slug)
    # Only the form that was sent is bound: the others (and every form of a fresh page)
    # show no "required" errors before anything is typed.
    via = request.POST.get("via", "paste") if request.method == "POST" else ""
    forms = {
        "paste": PasteDocumentForm(request.POST if via == "paste" else None, prefix="paste"),
        "upload": UploadDocumentForm(
            request.POST if via == "upload" else None,
            request.FILES if via == "upload" else None,
            prefix="upload",
        ),
        "url": UrlDocumentForm(request.POST if via == "url" else None, prefix="url"),
    }
    status = 200
    if request.method == "POST" and via in forms:
        form = forms[via]
        if form.is_valid():
            try:
                document = _create(request, project, via, form.cleaned_data)
            except ValidationError as error:
                add_service_error(
                    form, error, renamed={"text": "content", "format": "source_format"}
                )
            except PermissionDenied as error:
                form.add_error(None, str(error))
                status = 403
            else:
                return redirect("document_detail", pk=document.pk)
        status = status if status != 200 else 422
    return render(
        request,
        "annotations/document_new.html",
        {"project": project, "forms": forms, "active": via},
        status=status,
    )


def _create(request: HttpRequest, project, via: str, data: dict) -> Document:
    if via == "paste":
        return document_create_from_markup(
            project=project,
            actor=request.user,
            title=data["title"],
            content=data["content"],
            source_format=data["source_format"],
            author=data["author"],
        )
    if via == "upload":
        upload = data["file"]
        return document_create_from_upload(
            project=project,
            actor=request.user,
            data=upload.read(),
            filename=upload.name,
            title=data["title"],
        )
    return document_create_from_url(
        project=project, actor=request.user, url=data["url"], title=data["title"]
    )


@login_required
@require_GET
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = selectors.document_get(request.user, pk)
    claim = None
    wanted = request.GET.get("claim", "")
    if wanted:
        claim = _claim_of(request, document, wanted)
        if claim is None:
            # An old link (to a claim since merged, split away or moved to the trash)
            # still opens its document.
            messages.info(
                request,
                _(
                    "The claim of this link is no longer in the document: it was merged "
                    "into another claim or moved to the trash. Choose a claim in the text."
                ),
            )
    return render_document(request, document, claim=claim)


def _claim_of(request: HttpRequest, document: Document, wanted: str):
    if not wanted.isdigit():
        return None
    try:
        claim = selectors.claim_get(request.user, int(wanted))
    except Http404:
        return None
    if claim.document_id != document.pk:
        return None
    claim.document = document
    return claim


@login_required
@require_GET
def document_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Polled while a document is being processed; reloads the page once it is done."""
    document = selectors.document_get(request.user, pk)
    finished = document.status in (Document.Status.READY, Document.Status.FAILED)
    if finished and is_htmx(request):
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return render(request, "annotations/partials/document_status.html", {"document": document})


@login_required
@require_http_methods(["GET", "POST"])
def document_assign(request: HttpRequest, pk: int) -> HttpResponse:
    document = selectors.document_get(request.user, pk)
    project = document.project
    claims = list(
        document.claims.alive().select_related("assignee").order_by("-checkworthiness", "start")
    )
    reviewers = [
        membership.user
        for membership in project.memberships.select_related("user").order_by("user__username")
        if membership.has_role(Role.REVIEWER)
    ]
    form = AssignForm(request.POST or None, claims=claims, reviewers=reviewers)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            chosen = [claim for claim in claims if claim.pk in set(form.cleaned_data["claims"])]
            assignee = next(u for u in reviewers if u.pk == form.cleaned_data["assignee"])
            try:
                claims_assign(claims=chosen, actor=request.user, assignee=assignee)
            except ValidationError as error:
                add_service_error(form, error)
            except PermissionDenied as error:
                form.add_error(None, str(error))
                status = 403
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(count)s claim assigned to %(user)s.",
                        "%(count)s claims assigned to %(user)s.",
                        len(chosen),
                    )
                    % {"count": len(chosen), "user": assignee.get_username()},
                )
                return redirect("document_assign", pk=document.pk)
        status = status if status != 200 else 422
    return render(
        request,
        "annotations/document_assign.html",
        {
            "document": document,
            "project": project,
            "claims": claims,
            "form": form,
            "checkworthy": CHECKWORTHY,
            **role_flags(request.user, project),
        },
        status=status,
    )


def export_filename(document: Document, fmt: str) -> str:
    """What the file is, in its name: the document's title (in its own script; browsers
    read the UTF-8 form of the header), its number, and the format in the suffix
    (".claimreview.jsonld", ".annotations.jsonld", ".csv", ".json")."""
    suffix = exports.filename_for(fmt, "x").removeprefix("x")
    title = " ".join(document.title.replace("/", " ").replace("\\", " ").split())[:80]
    return f"{title} ({_('document')} {document.pk}){suffix}"


@login_required
@require_GET
def document_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The document's claims in one of the export formats, streamed as they are read."""
    document = selectors.document_get(request.user, pk)
    if fmt not in exports.FORMATS:
        raise Http404
    scope = selectors.export_scope(
        request.user, selectors.documents_for(request.user).filter(pk=document.pk)
    )
    base_url = request.build_absolute_uri(reverse("project_list"))
    warnings = exports.export_warnings(**scope, fmt=fmt, base_url=base_url)
    stream = exports.export_stream(**scope, fmt=fmt, language=get_language(), base_url=base_url)
    response = StreamingHttpResponse(stream, content_type=exports.content_type_for(fmt))
    response["Content-Disposition"] = content_disposition_header(
        True, export_filename(document, fmt)
    )
    if warnings:
        response["X-Export-Warnings"] = exports.warnings_header(warnings)
    return response
