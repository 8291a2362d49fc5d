"""Sources: attaching citations to claims, and fetching them for evidence.

The fetch runs in a worker. It claims the work with a conditional update so that two
deliveries of the same task (a redelivery after a crash, a double refetch) never both
fetch, and stores the snapshot under the fetch number so a redelivered task cannot
store a second one.
"""

from __future__ import annotations

import hashlib
import logging
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ..fetch_config import (
    fetch_config_from_settings,
    pdf_limits_from_settings,
    quote_min_score_from_settings,
)
from ..fetching.check import find_quote_in_page
from ..fetching.client import FetchConfig, FetchResult, fetch
from ..fetching.errors import BlockedAddress, FetchError, HTTPStatusError
from ..fetching.page import Page, compress_body, extract_page
from ..fetching.pdf import PdfPage
from ..fetching.quotes import QuoteMatch
from ..fetching.suggest import suggest_passages
from ..models import Claim, FetchState, Role, Snapshot, Source, Stance
from .captures import CaptureError, StoredCapture, capture_discard, capture_store
from .errors import ValidationError
from .hostslots import host_slot, host_slot_release
from .liveness import labels_of_gone_nodes, left_by_dead_process, node_of
from .permissions import role_require
from .queueing import message_send_after_commit, messages_lost, messages_send_after_commit
from .urls import url_clean

logger = logging.getLogger(__name__)


def source_fetch_enqueue(source_id: int) -> None:
    """Queue the source's fetch after commit; a broker that is down leaves it to the sweep."""
    message_send_after_commit("fetch_source", Source, source_id)


@transaction.atomic
def source_attach(
    *,
    claim: Claim,
    actor: AbstractBaseUser | None,
    url: str,
    quote: str = "",
    stance: str = Stance.SUPPORTS,
    title: str = "",
    publisher: str = "",
) -> Source:
    """Cite a source for a claim; a worker fetches it after the transaction commits."""
    role_require(actor, claim.document.project, Role.REVIEWER)
    if stance not in Stance.values:
        raise ValidationError({"stance": _("Stance must be supports, refutes or context.")})
    url, quote = url_clean(url), (quote or "").strip()
    # The claim's row is the lock that keeps two equal citations from both getting in.
    Claim.objects.select_for_update().filter(pk=claim.pk).first()
    if Source.objects.filter(claim=claim, url=url, quote=quote, deleted_at__isnull=True).exists():
        raise ValidationError(
            {"url": _("This address is already cited for this claim with the same quote.")}
        )
    source = Source.objects.create(
        claim=claim,
        url=url,
        quote=quote,
        stance=stance,
        title=title.strip()[:500],
        publisher=publisher.strip()[:300],
        added_by=actor,
    )
    source_fetch_enqueue(source.pk)
    return source


@transaction.atomic
def source_refetch(*, source: Source, actor: AbstractBaseUser | None) -> Source:
    """Fetch the source again; the new snapshot is added next to the earlier ones."""
    role_require(actor, source.claim.document.project, Role.REVIEWER)
    source_requeue(source_ids=[source.pk])
    source.refresh_from_db()
    return source


def source_requeue(*, source_ids: list[int]) -> int:
    """Put sources back to pending with a fresh attempt budget and queue their fetch.

    A source a worker is fetching right now is left to finish.
    """
    with transaction.atomic():
        ids = list(
            Source.objects.filter(pk__in=source_ids)
            .exclude(fetch_state=FetchState.FETCHING)
            .values_list("pk", flat=True)
        )
        Source.objects.filter(pk__in=ids).update(
            fetch_state=FetchState.PENDING,
            fetch_error="",
            fetch_error_code="",
            fetch_error_params={},
            attempts=0,
            queued_at=None,
            updated_at=timezone.now(),
        )
        for pk in ids:
            source_fetch_enqueue(pk)
    return len(ids)


@transaction.atomic
def source_accept_suggestion(
    *, source: Source, actor: AbstractBaseUser | None, passage: str
) -> Source:
    """Take a suggested passage from the page as the source's quote and check it again."""
    role_require(actor, source.claim.document.project, Role.REVIEWER)
    passage = passage.strip()
    if not passage:
        raise ValidationError({"passage": _("Choose a passage to use as the quote.")})
    source.quote = passage
    source.save(update_fields=["quote", "updated_at"])
    source_requeue(source_ids=[source.pk])
    source.refresh_from_db()
    return source


@dataclass(frozen=True)
class FetchOutcome:
    """What one run of the fetch did; ``retry_in`` is set when trying again may help."""

    state: str
    snapshot_id: int | None = None
    error: str = ""
    retry_in: float | None = None
    # Turned away for a busy host: nothing changed in the database.
    busy: bool = False


def _stale_before() -> timezone.datetime:
    return timezone.now() - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)


@dataclass(frozen=True)
class _Work:
    attempt: int  # within the current round, for the retry budget
    fetch_number: int  # over the source's life, for the snapshot


def _claim_work(
    source_id: int, *, worker: str = "", slot: str = "", take_over: str = ""
) -> _Work | None:
    """Mark the source as being fetched by us, or None when it is not ours to fetch.

    One conditional UPDATE decides: of two deliveries racing for the same source, the
    database lets exactly one match. Fetch states are machine bookkeeping, recorded by
    the snapshots rather than in the source's history. ``take_over``: the label of a dead
    process whose fetch this one may take over.
    """
    now = timezone.now()
    # A fetch older than the hard time limit died with its worker.
    takeable = Q(fetch_state=FetchState.PENDING) | Q(
        fetch_state=FetchState.FETCHING, fetch_started_at__lt=_stale_before()
    )
    if take_over:
        takeable |= Q(fetch_state=FetchState.FETCHING, fetch_worker=take_over)
    with transaction.atomic():
        claimed = (
            Source.objects.filter(pk=source_id, deleted_at__isnull=True)
            .filter(takeable)
            .update(
                fetch_state=FetchState.FETCHING,
                attempts=F("attempts") + 1,
                fetch_count=F("fetch_count") + 1,
                fetch_started_at=now,
                fetch_worker=worker,
                fetch_slot=slot,
                updated_at=now,
            )
        )
        if not claimed:
            return None
        attempts, fetch_count = Source.objects.values_list("attempts", "fetch_count").get(
            pk=source_id
        )
    return _Work(attempt=attempts, fetch_number=fetch_count)


def max_retry_delay() -> float:
    """The longest a retry may wait in the broker.

    A worker holds a delayed task unacknowledged until it runs; held past the broker's
    visibility timeout, Redis would hand it to a second worker. So the delay plus the
    task's own time limit stays inside that timeout, whatever a server asks for.
    """
    room = settings.CELERY_VISIBILITY_TIMEOUT - settings.CELERY_TASK_TIME_LIMIT - _VISIBILITY_MARGIN
    return float(max(1, min(settings.FETCH_MAX_BACKOFF, room)))


_VISIBILITY_MARGIN = 30


def _backoff(attempt: int) -> float:
    base = min(max_retry_delay(), 5 * 2 ** (attempt - 1))
    return base / 2 + random.uniform(0, base / 2)


def source_fetch(
    *, source_id: int, config: FetchConfig | None = None, worker: str = ""
) -> FetchOutcome | None:
    """Fetch a source, keep the evidence and locate the quote. None: nothing to do.
    ``worker``: the label of the worker process doing it (``liveness.worker_label``), by
    which the work is taken back if that process is killed.

    Every way this can go wrong after the work is claimed ends the source in a final
    state with a reason, or back in pending with a retry; none leaves it ``fetching``.
    """
    row = (
        Source.objects.filter(pk=source_id)
        .values_list("url", "fetch_state", "fetch_worker", "fetch_slot")
        .first()
    )
    if row is None:
        return None
    url, state, left, left_slot = row
    host = urlsplit(url).hostname or ""
    take_over = ""
    if state == FetchState.FETCHING and left_by_dead_process(left, node=node_of(worker)):
        # Its pool process was killed and the parent sent the message back: take over,
        # with the slot the dead process can no longer give back.
        take_over = left
        host_slot_release(host, left_slot)
    config = config or fetch_config_from_settings()
    with host_slot(host) as slot:
        if slot is None:
            # Politeness: the host already has enough of our fetches; not a failed attempt.
            return FetchOutcome(
                state=FetchState.PENDING, retry_in=1 + random.uniform(0, 2), busy=True
            )
        work = _claim_work(source_id, worker=worker, slot=slot, take_over=take_over)
        if work is None:
            return None
        source = Source.objects.select_related("claim__document").get(pk=source_id)
        try:
            result = fetch(source.url, config)
        except FetchError as error:
            return _record_failure(source, work, error)
        except Exception as error:
            return _record_unexpected(source, work, error)
    try:
        return _store(source, work, result)
    except Exception as error:
        return _record_unexpected(source, work, error)


def _record_unexpected(source: Source, work: _Work, error: Exception) -> FetchOutcome:
    # A bug or a refused write must not leave the source stuck in "fetching".
    logger.exception("Fetching source %s failed unexpectedly", source.pk)
    return _record_failure(
        source, work, FetchError(str(error) or type(error).__name__, code="unexpected")
    )


def _store(source: Source, work: _Work, result: FetchResult) -> FetchOutcome | None:
    try:
        page = extract_page(result, pdf_limits=pdf_limits_from_settings())
    except FetchError as error:  # a PDF with no text to read
        return _record_failure(source, work, error)
    language = source.claim.document.language
    language = language if language in ("ru", "en") else None
    match, where = (
        find_quote_in_page(page, source.quote, quote_min_score_from_settings())
        if source.quote
        else (None, None)
    )
    # Offsets index the text they were found in: the article, or the whole visible page.
    text = page.full_text if where == "full" else page.text
    suggestions = (
        []
        if match is not None
        else [
            {"start": s.start, "end": s.end, "text": s.text, "score": round(s.score, 3)}
            for s in suggest_passages(page.text, source.claim.text, language=language, limit=3)
        ]
    )
    if not source.quote:
        state = FetchState.FETCHED
    elif match is not None:
        state = FetchState.QUOTE_FOUND
    elif _quote_found_before(source):
        state = FetchState.QUOTE_CHANGED
    else:
        state = FetchState.QUOTE_NOT_FOUND
    fetched_at = timezone.now()
    try:
        capture = capture_store(
            result=result,
            captured_at=fetched_at,
            name=f"sources/{source.pk}/fetch-{work.fetch_number}",
        )
    except CaptureError as error:
        # Evidence that cannot be archived is not kept half: the fetch counts as failed.
        return _record_failure(source, work, FetchError(str(error), transient=True))
    linked = False
    try:
        outcome = _store_snapshot(
            source, work, result, page, text, match, suggestions, state, fetched_at, capture
        )
        linked = outcome is not None
        return outcome
    finally:
        if not linked:
            capture_discard(capture.name)


def _store_snapshot(
    source: Source,
    work: _Work,
    result: FetchResult,
    page: Page,
    text: str,
    match: QuoteMatch | None,
    suggestions: list[dict],
    state: str,
    fetched_at: datetime,
    capture: StoredCapture,
) -> FetchOutcome | None:
    """Save the snapshot and the source's new state together; None when another
    delivery of this fetch got there first."""
    body = compress_body(result.body, settings.SNAPSHOT_MAX_BODY_BYTES)
    body_truncated = len(result.body) > settings.SNAPSHOT_MAX_BODY_BYTES
    with transaction.atomic():
        try:
            with transaction.atomic():
                snapshot = Snapshot.objects.create(
                    source=source,
                    fetch_number=work.fetch_number,
                    final_url=result.final_url[:2000],
                    http_status=result.status,
                    content_type=result.content_type[:100],
                    sha256=result.sha256 or hashlib.sha256(result.body).hexdigest(),
                    size=len(result.body),
                    fetched_at=fetched_at,
                    title=(page.title or "")[:1000],
                    author=(page.author or "")[:500],
                    published=(page.date or "")[:50],
                    site_name=(page.site_name or "")[:300],
                    text=text,
                    body=body,
                    body_truncated=body_truncated,
                    quote_found=None if not source.quote else match is not None,
                    quote_method=match.method if match else "",
                    quote_score=match.score if match else None,
                    quote_start=match.start if match else None,
                    quote_end=match.end if match else None,
                    quote_passage=match.passage if match else "",
                    quote_page=(page.page_at(match.start) or "")
                    if match and isinstance(page, PdfPage)
                    else "",
                    context_before=match.context_before if match else "",
                    context_after=match.context_after if match else "",
                    suggestions=suggestions,
                    capture=capture.name,
                    capture_sha256=capture.sha256,
                )
        except IntegrityError:
            # Another delivery of this fetch stored it already.
            return None
        updated = Source.objects.filter(
            pk=source.pk, fetch_state=FetchState.FETCHING, fetch_count=work.fetch_number
        ).update(
            fetch_state=state,
            fetch_error="",
            fetch_error_code="",
            fetch_error_params={},
            last_fetched_at=snapshot.fetched_at,
            title=source.title or (page.title or "")[:500],
            publisher=source.publisher or (page.site_name or "")[:300],
            updated_at=timezone.now(),
        )
        if not updated:
            # Someone took the work over from us (we ran past the hard limit): theirs counts.
            transaction.set_rollback(True)
            return None
    return FetchOutcome(state=state, snapshot_id=snapshot.pk)


def _quote_found_before(source: Source) -> bool:
    return source.snapshots.filter(quote_found=True).exists()


def _record_failure(source: Source, work: _Work, error: FetchError) -> FetchOutcome:
    attempt = work.attempt
    message = error.message if hasattr(error, "message") else str(error)
    params = dict(error.params)
    if isinstance(error, BlockedAddress):
        state, retry_in = FetchState.BLOCKED, None
    elif error.transient and attempt < settings.FETCH_MAX_ATTEMPTS:
        state = FetchState.PENDING
        retry_in = _backoff(attempt)
        if isinstance(error, HTTPStatusError) and error.retry_after:
            retry_in = min(max(retry_in, error.retry_after), max_retry_delay())
    else:
        state, retry_in = FetchState.FAILED, None
        if error.transient:
            # Kept in English; readers get it in their language from the code and values.
            message += f" (gave up after {attempt} attempt{'s' if attempt != 1 else ''})"
            params["gave_up_after"] = attempt
    Source.objects.filter(
        pk=source.pk, fetch_state=FetchState.FETCHING, fetch_count=work.fetch_number
    ).update(
        fetch_state=state,
        fetch_error=message[:2000],
        fetch_error_code=error.code,
        fetch_error_params=params,
        # A retry is queued by the task, which notes it once the broker has the message.
        queued_at=None,
        updated_at=timezone.now(),
    )
    return FetchOutcome(state=state, error=message, retry_in=retry_in)


def sources_sweep_stuck(*, epoch: datetime | None = None) -> int:
    """Queue again sources whose message the broker never got or lost, and those whose
    worker died mid-fetch. ``epoch``: since when the broker's queue is whole."""
    alive = Source.objects.filter(deleted_at__isnull=True)
    lost = alive.filter(fetch_state=FetchState.PENDING).filter(
        messages_lost(epoch=epoch, waiting_since="updated_at")
    )
    abandoned = alive.filter(fetch_state=FetchState.FETCHING, fetch_started_at__lt=_stale_before())
    ids = list(lost.values_list("pk", flat=True)[:_SWEEP_BATCH])
    ids += abandoned.values_list("pk", flat=True)[: _SWEEP_BATCH - len(ids)]
    messages_send_after_commit([("fetch_source", Source, ids)])
    return len(ids) + sources_take_back_from_gone_workers()


_SWEEP_BATCH = 1000


def sources_take_back_from_worker(*, worker: str, started_at: datetime) -> int:
    """Queue again the fetches a worker had under way when it was killed, as it starts anew.

    A node name belongs to one running worker, so when a worker starts, whatever is still
    marked as being fetched under its name was left by its killed predecessor: no need to
    wait for the hard time limit. ``started_at``: when the new worker started, before it
    took any task, so that nothing it runs itself is taken back.
    """
    if not worker:
        return 0
    return _take_back(Q(fetch_worker__startswith=f"{worker}/", fetch_started_at__lt=started_at))


def sources_take_back_from_gone_workers() -> int:
    """Queue again the fetches of workers that stopped telling Redis they are alive (their
    machine is gone), without waiting for the hard time limit."""
    fetching = Source.objects.filter(fetch_state=FetchState.FETCHING)
    labels = labels_of_gone_nodes(fetching, label="fetch_worker", started="fetch_started_at")
    return _take_back(Q(fetch_worker__in=labels)) if labels else 0


def _take_back(which: Q) -> int:
    """Fetches whose worker is dead: back to pending and queued, their host slots freed."""
    with transaction.atomic():
        rows = list(
            Source.objects.select_for_update(skip_locked=True)
            .filter(which, fetch_state=FetchState.FETCHING)
            .values_list("pk", "url", "fetch_slot")[:_SWEEP_BATCH]
        )
        ids = [pk for pk, _url, _slot in rows]
        Source.objects.filter(pk__in=ids).update(
            fetch_state=FetchState.PENDING, queued_at=None, fetch_worker="", fetch_slot=""
        )
        messages_send_after_commit([("fetch_source", Source, ids)])
    for _pk, url, slot in rows:
        host_slot_release(urlsplit(url).hostname or "", slot)
    return len(ids)


def sources_recheck_stale(*, older_than: timedelta | None = None) -> int:
    """Fetch again sources last fetched long ago, to catch dead links and changed quotes."""
    older_than = older_than or timedelta(days=settings.SOURCE_RECHECK_AFTER_DAYS)
    ids = list(
        Source.objects.filter(
            deleted_at__isnull=True, last_fetched_at__lt=timezone.now() - older_than
        )
        .exclude(fetch_state__in=[FetchState.PENDING, FetchState.FETCHING])
        .values_list("pk", flat=True)[:1000]
    )
    return source_requeue(source_ids=ids)
