"""Creating projects and managing who belongs to them."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ..models import Membership, Project, Role
from .errors import ValidationError
from .permissions import role_require
from .scales import scale_create_default


@transaction.atomic
def project_create(
    *,
    name: str,
    slug: str = "",
    created_by: AbstractBaseUser | None,
    language: str = "ru",
    organization_name: str = "",
    organization_url: str = "",
) -> Project:
    """A new project with the default rating scale; its creator becomes its admin."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("A project needs a name.")})
    slug = slugify(slug or name)
    if not slug:
        raise ValidationError({"slug": _("Give the project a slug of Latin letters and digits.")})
    if Project.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": _("A project with this slug already exists.")})
    project = Project.objects.create(
        name=name,
        slug=slug,
        language=language,
        organization_name=organization_name or name,
        organization_url=organization_url,
        created_by=created_by,
    )
    scale_create_default(project=project)
    if created_by is not None:
        Membership.objects.create(project=project, user=created_by, role=Role.ADMIN)
    return project


@transaction.atomic
def member_set_role(
    *, project: Project, actor: AbstractBaseUser | None, username: str, role: str
) -> Membership:
    """Add a member or change their role. Only project admins manage members."""
    role_require(actor, project, Role.ADMIN)
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role “%(role)s”.") % {"role": role}})
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise ValidationError({"username": _("No user “%(name)s”.") % {"name": username}})
    membership = Membership.objects.select_for_update().filter(project=project, user=user).first()
    if membership is None:
        try:
            with transaction.atomic():
                membership = Membership(project=project, user=user, role=role)
                membership._history_user = actor  # history records who let them in
                membership.save()
                return membership
        except IntegrityError:
            membership = Membership.objects.select_for_update().get(project=project, user=user)
    _keep_an_admin(project, membership, role)
    membership.role = role
    membership._history_user = actor
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def member_remove(*, project: Project, actor: AbstractBaseUser | None, username: str) -> None:
    role_require(actor, project, Role.ADMIN)
    membership = (
        Membership.objects.select_for_update()
        .filter(project=project, user__username=username)
        .first()
    )
    if membership is None:
        raise ValidationError({"username": _("No member “%(name)s”.") % {"name": username}})
    _keep_an_admin(project, membership, None)
    membership._history_user = actor
    membership.delete()


def _keep_an_admin(project: Project, membership: Membership, new_role: str | None) -> None:
    # A project nobody can administer is lost to its newsroom.
    if membership.role == Role.ADMIN and new_role != Role.ADMIN:
        others = project.memberships.filter(role=Role.ADMIN).exclude(pk=membership.pk)
        if not others.exists():
            raise ValidationError({"role": _("A project must keep at least one admin.")})
