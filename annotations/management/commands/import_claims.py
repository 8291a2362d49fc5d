"""``manage.py import_claims FILE --project SLUG [--user USERNAME] [--users OLD=NEW,...]``.

Imports a native export (``-`` reads standard input) into the project, all or nothing.
The import acts as ``--user`` (an editor or admin of the project); without it, as the
project's first admin. ``--users`` credits the work of the file's user OLD to this
installation's user NEW (repeatable, or comma-separated); people neither mapped nor
members are found by username, or made as inactive placeholders when this installation
has no account of that name (see ``annotations.exports.importing``). Notes (e.g. the
placeholders made, verdicts attributed to the importing user) go to stderr. Exit status
2, with one line on stderr, for an invalid file (naming the JSON path of the first
problem), an unknown project or user, or a user who may not import.
"""

from __future__ import annotations

import sys
from typing import Any, BinaryIO

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from annotations.exports.importing import import_native
from annotations.models import Membership, Project, Role

EXIT_BAD_INPUT = 2


class Command(BaseCommand):
    help = _("Import documents and claims from a native JSON export into a project.")
    # Tests hand in a byte stream instead of the process's standard input.
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help=_("Native export to read; - reads standard input."))
        parser.add_argument("--project", required=True, help=_("Slug of the target project."))
        parser.add_argument(
            "--user",
            help=_("Import as this user, an editor of the project (default: its first admin)."),
        )
        parser.add_argument(
            "--users",
            action="append",
            default=[],
            metavar="OLD=NEW",
            help=_(
                "Credit the work of the file's user OLD to this installation's user NEW; "
                "repeat or separate pairs with commas."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        project = Project.objects.filter(slug=options["project"]).first()
        if project is None:
            self._fail(_("There is no project “%(slug)s”.") % {"slug": options["project"]})
        actor = self._actor(project, options["user"])
        users = self._users(options["users"])
        data = self._read(options["path"], options.get("stdin"))
        try:
            result = import_native(data=data, project=project, actor=actor, users=users)
        except PermissionDenied as error:
            self._fail(str(error))
        except ValidationError as error:
            self._fail(" ".join(error.messages))
        for note in result.notes:
            self.stderr.write(_("Note: %(note)s") % {"note": note})
        counts = [
            ngettext("%(count)s document", "%(count)s documents", result.documents)
            % {"count": result.documents},
            ngettext("%(count)s claim", "%(count)s claims", result.claims)
            % {"count": result.claims},
            ngettext("%(count)s source", "%(count)s sources", result.sources)
            % {"count": result.sources},
            ngettext("%(count)s verdict", "%(count)s verdicts", result.verdicts)
            % {"count": result.verdicts},
        ]
        # Each count carries its own plural; the sentence around them has no number to agree with.
        self.stdout.write(
            _("Imported into “%(project)s”: %(counts)s.")
            % {"project": project.slug, "counts": ", ".join(counts)}
        )

    def _actor(self, project: Project, username: str | None) -> AbstractBaseUser:
        if username:
            user = get_user_model().objects.filter(username=username).first()
            if user is None:
                self._fail(_("There is no user “%(user)s”.") % {"user": username})
            return user
        membership = (
            Membership.objects.filter(project=project, role=Role.ADMIN)
            .select_related("user")
            .order_by("created_at", "pk")
            .first()
        )
        if membership is None:
            self._fail(_("The project has no admin to import as; pass --user."))
        return membership.user

    def _users(self, options: list[str]) -> dict[str, str]:
        users = {}
        for pair in (pair for option in options for pair in option.split(",") if pair.strip()):
            old, equals, new = pair.partition("=")
            if not equals or not old.strip() or not new.strip():
                self._fail(
                    _("Give --users as OLD=NEW pairs of usernames, not “%(pair)s”.")
                    % {"pair": pair}
                )
            users[old.strip()] = new.strip()
        return users

    def _read(self, path: str, stdin: BinaryIO | None) -> bytes:
        if path == "-":
            return (stdin or sys.stdin.buffer).read()
        try:
            with open(path, "rb") as handle:
                return handle.read()
        except OSError as error:
            self._fail(
                _("Cannot read %(path)s: %(error)s") % {"path": path, "error": error.strerror}
            )

    def _fail(self, message: str) -> None:
        raise CommandError(message, returncode=EXIT_BAD_INPUT)
