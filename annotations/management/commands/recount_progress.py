"""Recount every document's review progress from its claims (a repair; the services keep
the counts as they change claims)."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from annotations.services.progress import progress_recount_all


class Command(BaseCommand):
    help = _("Recount the review progress of every document from its claims.")

    def handle(self, *args, **options) -> None:
        count = progress_recount_all()
        self.stdout.write(_("%(count)s documents recounted.") % {"count": count})
