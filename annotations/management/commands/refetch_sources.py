"""Queue sources for fetching again: one document's, or those not checked for a while."""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from annotations.models import Document, FetchState, Source
from annotations.services.sources import source_requeue


class Command(BaseCommand):
    help = _("Fetch sources again (a document's, or every source older than the recheck age).")

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--document", type=int, help=_("Id of the document."))
        which.add_argument(
            "--stale",
            action="store_true",
            help=_("Sources last fetched more than SOURCE_RECHECK_AFTER_DAYS days ago."),
        )

    def handle(self, *args, document: int | None, stale: bool, **options):
        sources = Source.objects.filter(deleted_at__isnull=True).exclude(
            fetch_state=FetchState.FETCHING
        )
        if document is not None:
            if not Document.objects.filter(pk=document).exists():
                raise CommandError(
                    _("No document with id %(id)s.") % {"id": document}, returncode=2
                )
            sources = sources.filter(claim__document_id=document)
        else:
            cutoff = timezone.now() - timedelta(days=settings.SOURCE_RECHECK_AFTER_DAYS)
            sources = sources.filter(last_fetched_at__lt=cutoff)
        count = source_requeue(source_ids=list(sources.values_list("pk", flat=True)))
        self.stdout.write(
            ngettext(
                "%(count)s source queued for fetching.",
                "%(count)s sources queued for fetching.",
                count,
            )
            % {"count": count}
        )
