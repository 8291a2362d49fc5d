"""Celery tasks: thin wrappers that receive ids, re-read state and call services.

Each is safe to run twice: the services they call check state before doing anything.
"""

from __future__ import annotations

import logging

from celery import shared_task
from celery.exceptions import Retry
from celery.signals import worker_init, worker_ready
from django.utils import timezone

from .models import Document, Source
from .search import tidy_index
from .services.documents import (
    document_fetch_url,
    document_process,
    documents_take_back_from_worker,
)
from .services.liveness import heartbeat_start, worker_label
from .services.matching import claims_match_document
from .services.queueing import message_mark_queued, work_sweep
from .services.sources import source_fetch, sources_recheck_stale, sources_take_back_from_worker
from .services.versions import document_check_for_changes, documents_due_for_check

logger = logging.getLogger(__name__)


@shared_task(bind=True, name="annotations.process_document")
def process_document(self, document_id: int) -> None:
    if not Document.objects.filter(pk=document_id).exists():
        return  # deleted before the worker got to it
    document_process(document_id=document_id, worker=worker_label(self.request.hostname or ""))


@shared_task(name="annotations.match_document")
def match_document(document_id: int) -> int:
    """Keep the likely matches of a split document's claims ("checked before?")."""
    return claims_match_document(document_id=document_id)


@shared_task(bind=True, name="annotations.fetch_source", max_retries=None)
def fetch_source(self, source_id: int) -> str | None:
    outcome = source_fetch(source_id=source_id, worker=worker_label(self.request.hostname or ""))
    if outcome is None:
        return None
    if outcome.retry_in is not None:
        try:
            self.retry(countdown=outcome.retry_in)  # raises Retry once the broker has it
        except Retry:
            if not outcome.busy:  # a busy host left the earlier note standing
                message_mark_queued(Source, source_id, queued=True)
            raise
        except Exception:
            # The retry could not be sent: the sweep sends it once the broker is back.
            message_mark_queued(Source, source_id, queued=False)
            raise
    return outcome.state


@shared_task(name="annotations.sweep_queued_work")
def sweep_queued_work() -> int:
    return work_sweep().total


# The name beat used before documents were swept too; messages under it may still wait.
@shared_task(name="annotations.sweep_stuck_sources")
def sweep_stuck_sources() -> int:
    return work_sweep().total


@shared_task(name="annotations.recheck_stale_sources")
def recheck_stale_sources() -> int:
    return sources_recheck_stale()


@shared_task(name="annotations.tidy_search_index")
def tidy_search_index() -> None:
    tidy_index()


@shared_task(bind=True, name="annotations.import_document_url")
def import_document_url(self, document_id: int) -> None:
    document_fetch_url(document_id=document_id, worker=worker_label(self.request.hostname or ""))


@shared_task(name="annotations.check_watched_documents")
def check_watched_documents() -> int:
    due = documents_due_for_check()
    for document_id in due:
        check_document_for_changes.delay(document_id)
    return len(due)


@shared_task(name="annotations.check_document_for_changes")
def check_document_for_changes(document_id: int) -> str | None:
    return document_check_for_changes(document_id=document_id)


_worker_started_at = None


@worker_init.connect
def _note_start(**kwargs) -> None:
    global _worker_started_at
    _worker_started_at = timezone.now()


@worker_ready.connect
def take_back_work(sender=None, **kwargs) -> None:
    """A worker killed mid-task and started again (by its supervisor) under the same node
    name queues again what it had under way, at once rather than after the time limit."""
    worker = getattr(sender, "hostname", "") or ""
    started_at = _worker_started_at or timezone.now()
    # From now on Redis hears every few seconds that this worker lives; if it stops, the
    # sweep takes back what it had under way.
    heartbeat_start(worker)
    try:
        sources = sources_take_back_from_worker(worker=worker, started_at=started_at)
        documents = documents_take_back_from_worker(worker=worker, started_at=started_at)
    except Exception:
        # The sweep takes the work back after the time limit; the worker must start anyway.
        logger.exception("Could not take back the work left by an earlier %s", worker)
        return
    if sources or documents:
        logger.warning(
            "%s took back %d fetches and %d documents left when it was stopped",
            worker, sources, documents,
        )  # fmt: skip
