"""A project's settings page: its review rules and its members (admins), its rating scale
(editors). Each form posts to its own address and comes back here."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from .. import selectors
from ..forms import (
    MemberInviteForm,
    MemberRoleForm,
    ProjectRulesForm,
    RatingFormSet,
    ReferenceImportForm,
    add_service_error,
)
from ..models import Project, Role
from ..services.errors import PermissionDenied, ValidationError
from ..services.project_settings import member_invite, project_update_rules
from ..services.projects import member_remove, member_set_role
from ..services.references import (
    MAX_IMPORT_BYTES,
    references_import,
    references_import_url,
)
from ..services.scales import scale_update
from .common import role_flags


def _settings_project(request: HttpRequest, slug: str) -> tuple[Project, dict[str, Any]]:
    project = selectors.project_get(request.user, slug)
    flags = role_flags(request.user, project)
    if not flags["can_edit"]:
        raise Forbidden
    return project, flags


def _scale_initial(project: Project) -> list[dict[str, Any]]:
    ratings = project.rating_scale.ratings.all() if project.rating_scale_id else []
    return [
        {
            "value": rating.value,
            "label": rating.label,
            "label_ru": rating.translations.get("ru", {}).get("label", ""),
            "colour": rating.colour,
            "numeric_value": rating.numeric_value,
        }
        for rating in ratings
    ]


def _render(
    request: HttpRequest, project: Project, flags: dict[str, Any], status: int = 200, **forms
) -> HttpResponse:
    members = project.memberships.select_related("user").order_by("user__username")
    context = {
        "project": project,
        **flags,
        "rules_form": forms.get("rules_form")
        or ProjectRulesForm(
            initial={
                "blind_review": project.blind_review,
                "separate_duties": project.separate_duties,
            }
        ),
        "invite_form": forms.get("invite_form") or MemberInviteForm(),
        "members": [
            (
                membership,
                MemberRoleForm(initial={"role": membership.role}, prefix=f"m{membership.pk}"),
            )
            for membership in members
        ],
        "scale_formset": forms.get("scale_formset")
        or RatingFormSet(initial=_scale_initial(project), prefix="ratings"),
        "reference_form": forms.get("reference_form") or ReferenceImportForm(),
        "reference_count": project.reference_reviews.count(),
    }
    return render(request, "annotations/project_settings.html", context, status=status)


@login_required
@require_GET
def project_settings(request: HttpRequest, slug: str) -> HttpResponse:
    project, flags = _settings_project(request, slug)
    return _render(request, project, flags)


@login_required
@require_POST
def project_rules(request: HttpRequest, slug: str) -> HttpResponse:
    project, flags = _settings_project(request, slug)
    form = ProjectRulesForm(request.POST)
    if form.is_valid():
        try:
            project_update_rules(project=project, actor=request.user, **form.cleaned_data)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The review rules are saved."))
            return redirect("project_settings", slug=project.slug)
    return _render(request, project, flags, status=422, rules_form=form)


@login_required
@require_POST
def project_member_add(request: HttpRequest, slug: str) -> HttpResponse:
    project, flags = _settings_project(request, slug)
    form = MemberInviteForm(request.POST)
    if form.is_valid():
        try:
            membership, password = member_invite(
                project=project, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_error(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            name = membership.user.get_username()
            if password:
                messages.success(
                    request,
                    _(
                        "An account for %(user)s is created with the role %(role)s. Pass on "
                        "their first password, shown only now: %(password)s"
                    )
                    % {"user": name, "role": membership.get_role_display(), "password": password},
                )
            else:
                messages.success(
                    request,
                    _("%(user)s is now %(role)s in the project.")
                    % {"user": name, "role": membership.get_role_display()},
                )
            return redirect("project_settings", slug=project.slug)
    return _render(request, project, flags, status=422, invite_form=form)


@login_required
@require_POST
def project_member_change(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    project, _flags = _settings_project(request, slug)
    membership = project.memberships.select_related("user").filter(pk=pk).first()
    if membership is None:
        messages.error(request, _("This person is no longer a member."))
        return redirect("project_settings", slug=project.slug)
    name = membership.user.get_username()
    try:
        if request.POST.get("remove"):
            member_remove(project=project, actor=request.user, username=name)
            messages.success(request, _("%(user)s left the project.") % {"user": name})
        else:
            form = MemberRoleForm(request.POST, prefix=f"m{membership.pk}")
            if not form.is_valid():
                raise ValidationError(_("Choose one of the roles."))
            role = form.cleaned_data["role"]
            member_set_role(project=project, actor=request.user, username=name, role=role)
            messages.success(
                request,
                _("%(user)s is now %(role)s in the project.")
                % {"user": name, "role": Role(role).label},
            )
    except (ValidationError, PermissionDenied) as error:
        for message in getattr(error, "messages", None) or [str(error)]:
            messages.error(request, message)
    return redirect("project_settings", slug=project.slug)


def _rating_spec(data: dict[str, Any], stored) -> dict[str, Any]:
    translations = dict(stored.translations) if stored is not None else {}
    russian = dict(translations.get("ru", {}))
    if data["label_ru"]:
        russian["label"] = data["label_ru"]
    else:
        russian.pop("label", None)
    if russian:
        translations["ru"] = russian
    else:
        translations.pop("ru", None)
    return {
        "value": data["value"],
        "label": data["label"],
        "colour": data["colour"],
        "numeric_value": data["numeric_value"],
        "description": stored.description if stored is not None else "",
        "alternate_name": stored.alternate_name if stored is not None else "",
        "translations": translations,
    }


@login_required
@require_POST
def project_scale(request: HttpRequest, slug: str) -> HttpResponse:
    project, flags = _settings_project(request, slug)
    formset = RatingFormSet(request.POST, prefix="ratings")
    if formset.is_valid():
        # What the page does not edit (descriptions, ClaimReview names) is kept.
        stored = (
            {rating.value: rating for rating in project.rating_scale.ratings.all()}
            if project.rating_scale_id
            else {}
        )
        ratings = [
            _rating_spec(data, stored.get(data["value"]))
            for data in formset.cleaned_data
            if data and not data.get("DELETE")
        ]
        try:
            scale_update(project=project, actor=request.user, ratings=ratings)
        except ValidationError as error:
            formset._non_form_errors = formset.error_class(error.messages)
        except PermissionDenied as error:
            formset._non_form_errors = formset.error_class([str(error)])
        else:
            messages.success(request, _("The rating scale is saved."))
            return redirect("project_settings", slug=project.slug)
    return _render(request, project, flags, status=422, scale_formset=formset)


@login_required
@require_POST
def project_references(request: HttpRequest, slug: str) -> HttpResponse:
    """Import other fact-checkers' ClaimReview (a file or an address) into the project's
    reference archive, through the same service as the API: every item or none, with
    what is wrong with each bad one shown on the form."""
    project, flags = _settings_project(request, slug)
    form = ReferenceImportForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload is not None:
                if upload.size > MAX_IMPORT_BYTES:
                    raise ValidationError({"file": _("The file is too large.")})
                result = references_import(project=project, actor=request.user, raw=upload.read())
            else:
                result = references_import_url(
                    project=project, actor=request.user, url=form.cleaned_data["url"]
                )
        except ValidationError as error:
            add_service_error(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)s review imported into the reference archive "
                    "(%(created)s new, %(updated)s updated).",
                    "%(count)s reviews imported into the reference archive "
                    "(%(created)s new, %(updated)s updated).",
                    result.count,
                )
                % {"count": result.count, "created": result.created, "updated": result.updated},
            )
            return redirect("project_settings", slug=project.slug)
    return _render(request, project, flags, status=422, reference_form=form)
