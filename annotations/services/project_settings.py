"""A project's own settings, as its admins keep them: the review rules and who belongs
to it (people without an account yet are invited with a first password)."""

from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Membership, Project, Role
from .errors import ValidationError
from .permissions import role_require
from .projects import member_set_role


@transaction.atomic
def project_update_rules(
    *,
    project: Project,
    actor: AbstractBaseUser | None,
    blind_review: bool,
    separate_duties: bool,
) -> Project:
    """Switch blind review and the separation of duties (admin)."""
    role_require(actor, project, Role.ADMIN)
    current = Project.objects.select_for_update().get(pk=project.pk)
    current.blind_review = blind_review
    current.separate_duties = separate_duties
    current._history_user = actor
    current.save(update_fields=["blind_review", "separate_duties"])
    return current


@transaction.atomic
def member_invite(
    *,
    project: Project,
    actor: AbstractBaseUser | None,
    username: str,
    role: str,
    email: str = "",
) -> tuple[Membership, str]:
    """Give someone a role in the project (admin). Someone without an account gets one,
    with a first password returned here (once) for the admin to pass on; "" otherwise."""
    role_require(actor, project, Role.ADMIN)
    username = username.strip()
    if not username:
        raise ValidationError({"username": _("Give the person's user name.")})
    users = get_user_model()
    password = ""
    if not users.objects.filter(username=username).exists():
        email = email.strip()
        if email:
            try:
                validate_email(email)
            except Exception as error:  # Django's own ValidationError
                raise ValidationError({"email": _("Enter a valid e-mail address.")}) from error
        password = secrets.token_urlsafe(12)
        users.objects.create_user(username=username, email=email, password=password)
    membership = member_set_role(project=project, actor=actor, username=username, role=role)
    return membership, password
