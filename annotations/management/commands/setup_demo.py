"""Create the demo: its people, project and article, and one claim taken through the whole
review (assigned, cited, judged, approved, published). Safe to run again: what exists is
kept, and passwords changed since are left alone."""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, override

from annotations.demo_pages import page_url
from annotations.extraction.scoring import CHECKWORTHY
from annotations.models import Claim, ClaimStatus, Document, Membership, Project, Role, Source
from annotations.services.documents import document_create
from annotations.services.projects import project_create
from annotations.services.sources import source_attach
from annotations.services.verdicts import claim_set_final_verdict, verdict_submit
from annotations.services.workflow import claim_approve, claim_publish, claims_assign

DEMO_ARTICLE = Path(settings.BASE_DIR) / "annotations" / "fixtures" / "kz-ru-relations.ru.txt"
DEMO_TITLE = "Казахстан и Россия: сотрудничество и дистанцирование"
# The claim the demo takes through the whole review, and the words its source is cited for.
DEMO_CLAIM_WORDS = "начались со стороны РФ в конце 2020 года"
DEMO_PAGE = "attacks.html"

# The demo's people besides its admin: who they are, their role, their first password.
PEOPLE = [
    ("editor", Role.EDITOR, "factcheck-editor"),
    ("reviewer", Role.REVIEWER, "factcheck-reviewer"),
    ("reviewer2", Role.REVIEWER, "factcheck-reviewer2"),
]


class Command(BaseCommand):
    help = _("Create the demo users, project and article, with one claim reviewed end to end.")

    def add_arguments(self, parser):
        parser.add_argument("--username", default="demo")
        parser.add_argument("--password", default="factcheck-demo")
        parser.add_argument(
            "--url",
            default="",
            help=_("The address the demo is served at (default: the port in FACTCHECK_PORT)."),
        )

    @transaction.atomic
    def handle(self, *args, username: str, password: str, url: str, **options):
        url = url or f"http://127.0.0.1:{os.environ.get('FACTCHECK_PORT', '8000')}/"
        admin, admin_password = _person(username, password, superuser=True)
        project = Project.objects.filter(slug="demo").first()
        if project is None:
            # The project speaks the language of its article.
            with override("ru"):
                name = _("Demo newsroom")
            project = project_create(
                name=name,
                slug="demo",
                created_by=admin,
                language="ru",
                organization_name="factcheck demo",
            )
        logins = [(username, _("admin"), admin_password)]
        people = {}
        for name, role, first_password in PEOPLE:
            user, shown = _person(name, first_password)
            Membership.objects.get_or_create(project=project, user=user, defaults={"role": role})
            people[name] = user
            logins.append((name, Role(role).label.lower(), shown))

        document = project.documents.filter(title=DEMO_TITLE).first()
        if document is None:
            document = document_create(
                project=project,
                actor=admin,
                title=DEMO_TITLE,
                text=DEMO_ARTICLE.read_text(encoding="utf-8"),
                origin=Document.Origin.FILE,
                filename=DEMO_ARTICLE.name,
                language="ru",
                process=True,
            )
            _review_one_claim(document, admin, people)
        claims = document.claims.count()
        self.stdout.write(
            ngettext(
                "Demo ready: %(claims)s claim in “%(title)s”.",
                "Demo ready: %(claims)s claims in “%(title)s”.",
                claims,
            )
            % {"claims": claims, "title": document.title}
        )
        self.stdout.write(_("Open %(url)s and log in as one of:") % {"url": url})
        for name, role, shown in logins:
            self.stdout.write(f"  {name} / {shown}  ({role})")


def _person(username: str, password: str, *, superuser: bool = False) -> tuple[object, str]:
    """The user, created with ``password`` if new. Returns the password to print: the
    first one while it still works, else a note that it was changed."""
    users = get_user_model()
    user, created = users.objects.get_or_create(username=username)
    if created:
        user.set_password(password)
        user.is_staff = user.is_superuser = superuser
        user.save()
    if user.check_password(password):
        return user, password
    return user, _("(password changed since)")


def _review_one_claim(document: Document, admin, people: dict) -> None:
    """Assign the check-worthy claims, and take one through the whole review: a source on
    the demo's own page (a worker fetches it and finds the quote), a verdict, the final
    verdict, approval and publication (it then has a public page)."""
    editor, reviewer = people["editor"], people["reviewer"]
    checkworthy = list(
        document.claims.alive().filter(checkworthiness__gte=CHECKWORTHY).order_by("start")
    )
    claim = document.claims.alive().filter(text__contains=DEMO_CLAIM_WORDS).first()
    if claim is not None and claim not in checkworthy:
        checkworthy.append(claim)
    if checkworthy:
        claims_assign(claims=checkworthy, actor=editor, assignee=reviewer)
    if claim is None:
        return
    claim = Claim.objects.get(pk=claim.pk)
    if not Source.objects.filter(claim=claim).exists():
        source = source_attach(
            claim=claim,
            actor=reviewer,
            url=page_url(DEMO_PAGE),
            quote=DEMO_CLAIM_WORDS,
            title="Хроника информационного противостояния",
        )
    else:
        source = claim.sources.first()
    verdict = verdict_submit(
        claim=claim,
        actor=reviewer,
        rating="true",
        rationale="Хроника подтверждает: атаки начались в конце 2020 года.",
        sources=[source],
    )
    claim.refresh_from_db()
    claim_set_final_verdict(claim=claim, actor=editor, verdict=verdict)
    claim.refresh_from_db()
    if claim.status == ClaimStatus.REVIEWED:
        claim_approve(claim=claim, actor=editor, expected_version=claim.version)
        claim.refresh_from_db()
        claim_publish(claim=claim, actor=editor, expected_version=claim.version)
