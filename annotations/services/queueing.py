"""Handing work to the broker, and finding the work the broker never got or lost.

The database is the record of what is to be done; a message in Redis only says "now".
``queued_at`` on a source or a document tells when its message was last handed to the
broker, and is empty while no message is known to be there: the broker was down when
the work was saved, or a retry could not be sent. A Redis restarted without its data
loses every message at once; a marker key that vanishes with them tells when that
happened. The sweep, which beat runs every few seconds, sends again what has no
message in the broker once it has waited a short grace; nothing that waits in the
queue is sent twice.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

logger = logging.getLogger(__name__)

EPOCH_KEY = "factcheck:broker-epoch"
# After a failed send, further sends from this process wait this long, so that a request
# with many links does not wait on a dead broker once per link.
_PAUSE_AFTER_FAILURE = 10.0
_broker_down_until = 0.0


def message_send_after_commit(task_name: str, model: type[models.Model], pk: int) -> None:
    """Queue ``annotations.<task_name>(pk)`` once the transaction commits; never raises.

    When the broker cannot take the message, the work stays saved with an empty
    ``queued_at`` and the sweep sends it once the broker is back.
    """
    transaction.on_commit(lambda: messages_send_now(task_name, model, [pk]))


def messages_send_now(task_name: str, model: type[models.Model], pks: Iterable[int]) -> list[int]:
    """Send one message per id and note when; returns the ids whose message left."""
    global _broker_down_until
    from .. import tasks

    task = getattr(tasks, task_name)
    sent: list[int] = []
    for pk in pks:
        if time.monotonic() < _broker_down_until:
            break
        try:
            task.delay(pk)
        except Exception:
            _broker_down_until = time.monotonic() + _PAUSE_AFTER_FAILURE
            logger.warning(
                "Could not queue %s for %s %s", task_name, model.__name__, pk, exc_info=True
            )
            break
        sent.append(pk)
    if sent:
        model.objects.filter(pk__in=sent).update(queued_at=timezone.now())
    return sent


def message_mark_queued(model: type[models.Model], pk: int, *, queued: bool) -> None:
    """Note that a message for ``pk`` was (or could not be) handed to the broker."""
    model.objects.filter(pk=pk).update(queued_at=timezone.now() if queued else None)


@cache
def _client():
    import redis

    return redis.Redis.from_url(settings.REDIS_URL, socket_timeout=5, socket_connect_timeout=5)


def broker_epoch() -> datetime | None:
    """Since when the broker's queue holds what was sent to it, or None if unknown.

    The marker key has no expiry, so it disappears only with the broker's data; whatever
    was queued before it was written again was lost. The filesystem broker of the
    embedded mode keeps its messages on disk and has no marker.
    """
    if not settings.REDIS_URL:
        return None
    client = _client()
    client.set(EPOCH_KEY, repr(time.time()), nx=True)
    value = client.get(EPOCH_KEY)
    return datetime.fromtimestamp(float(value), tz=UTC) if value else None


def messages_lost(*, epoch: datetime | None, waiting_since: str) -> Q:
    """Rows whose message is not in the broker: never sent (after a short grace, so that
    a send under way is not raced), sent before the broker lost its data, or sent so long
    ago that no queue could still hold it."""
    now = timezone.now()
    grace = now - timedelta(seconds=settings.WORK_SWEEP_GRACE)
    lost = Q(queued_at__isnull=True, **{f"{waiting_since}__lt": grace})
    lost |= Q(queued_at__lt=now - timedelta(seconds=settings.CELERY_VISIBILITY_TIMEOUT))
    if epoch is not None:
        lost |= Q(queued_at__lt=epoch)
    return lost


@dataclass(frozen=True)
class SweepResult:
    sources: int
    documents: int

    @property
    def total(self) -> int:
        return self.sources + self.documents


def work_sweep() -> SweepResult:
    """Send again every source and document whose message the broker never got or lost."""
    from .documents import documents_sweep_stuck
    from .sources import sources_sweep_stuck

    try:
        epoch = broker_epoch()
    except Exception:
        # The broker is down: nothing could be sent now anyway.
        logger.warning("The broker does not answer; the sweep waits for it", exc_info=True)
        return SweepResult(0, 0)
    return SweepResult(
        sources=sources_sweep_stuck(epoch=epoch), documents=documents_sweep_stuck(epoch=epoch)
    )


def messages_send_after_commit(sends: list[tuple[str, type[models.Model], list[int]]]) -> None:
    """Send groups of messages once the transaction commits (the sweep's way)."""
    for task_name, model, pks in sends:
        if pks:
            transaction.on_commit(_sender(task_name, model, pks))


def _sender(task_name: str, model: type[models.Model], pks: list[int]) -> Callable[[], None]:
    return lambda: messages_send_now(task_name, model, pks) and None
