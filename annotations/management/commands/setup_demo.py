"""Create the demo user and project and import the demo article. Safe to run again."""

from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from annotations.models import Document, Project
from annotations.services.documents import document_create
from annotations.services.projects import project_create

DEMO_ARTICLE = Path(settings.BASE_DIR) / "annotations" / "fixtures" / "kz-ru-relations.ru.txt"
DEMO_TITLE = "Казахстан и Россия: сотрудничество и дистанцирование"


class Command(BaseCommand):
    help = _("Create the demo user and project and import the demo article into claims.")

    def add_arguments(self, parser):
        parser.add_argument("--username", default="demo")
        parser.add_argument("--password", default="factcheck-demo")
        parser.add_argument("--url", default="http://127.0.0.1:8000/")

    @transaction.atomic
    def handle(self, *args, username: str, password: str, url: str, **options):
        User = get_user_model()
        user, _created = User.objects.get_or_create(username=username)
        user.set_password(password)
        user.is_staff = True
        user.is_superuser = True
        user.save()

        project = Project.objects.filter(slug="demo").first()
        if project is None:
            project = project_create(
                name=_("Demo newsroom"),
                slug="demo",
                created_by=user,
                language="ru",
                organization_name="factcheck demo",
            )
        document = project.documents.filter(title=DEMO_TITLE).first()
        if document is None:
            document = document_create(
                project=project,
                actor=user,
                title=DEMO_TITLE,
                text=DEMO_ARTICLE.read_text(encoding="utf-8"),
                origin=Document.Origin.FILE,
                filename=DEMO_ARTICLE.name,
                language="ru",
                process=True,
            )
        claims = document.claims.count()
        self.stdout.write(
            ngettext(
                "Demo ready: %(claims)s claim in “%(title)s”.\n"
                "Open %(url)s and log in as %(user)s / %(password)s",
                "Demo ready: %(claims)s claims in “%(title)s”.\n"
                "Open %(url)s and log in as %(user)s / %(password)s",
                claims,
            )
            % {
                "claims": claims,
                "title": document.title,
                "url": url,
                "user": username,
                "password": password,
            }
        )
