"""Who may do what in a project."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.utils.translation import gettext as _

from ..models import ROLE_RANK, Membership, Project, Role
from .errors import PermissionDenied


def role_of(user: AbstractBaseUser | None, project: Project) -> str | None:
    """The user's role in the project; site superusers act as project admins."""
    if user is None or not user.is_authenticated:
        return None
    if user.is_superuser:
        return Role.ADMIN
    return (
        Membership.objects.filter(project=project, user=user).values_list("role", flat=True).first()
    )


def role_at_least(user: AbstractBaseUser | None, project: Project, role: str) -> bool:
    actual = role_of(user, project)
    return actual is not None and ROLE_RANK[actual] >= ROLE_RANK[role]


def role_require(user: AbstractBaseUser | None, project: Project, role: str) -> None:
    if not role_at_least(user, project, role):
        raise PermissionDenied(
            _("This needs the %(role)s role in the project.") % {"role": Role(role).label}
        )
