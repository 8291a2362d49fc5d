"""Which worker processes are alive, so that work a dead one left is taken back in seconds.

Work in progress is labelled ``<node name>/<pid>`` (``celery@host/1234``). Three ways a
worker dies, three ways back:

- Its pool child is killed (the out-of-memory killer picks the biggest process): the
  parent sends the message back at once, and the next delivery on the same node sees
  that the labelled process no longer exists, so it may take the work over.
- The whole worker is killed and its supervisor starts it again: the new worker takes
  back everything labelled with its node name as it starts (``*_take_back_from_worker``).
- The machine is gone: each worker renews a key in Redis every few seconds; the sweep
  takes back work whose node's key has run out.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterable
from datetime import timedelta
from functools import cache

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

logger = logging.getLogger(__name__)

_ALIVE_KEY = "factcheck:worker-alive:{}"


def worker_label(node: str) -> str:
    """The label of work this process does for the worker ``node`` ("" outside a worker)."""
    return f"{node}/{os.getpid()}" if node else ""


def node_of(label: str) -> str:
    return label.rpartition("/")[0]


def left_by_dead_process(label: str, *, node: str) -> bool:
    """Whether ``label`` names a process of this worker's machine that no longer runs."""
    their_node, _, pid = label.rpartition("/")
    if not node or their_node != node or not pid.isdigit():
        return False
    if int(pid) == os.getpid():
        return False  # a thread pool runs several tasks in one process
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # some other user's process has the number now: still unknown
    return False


@cache
def _client():
    import redis

    return redis.Redis.from_url(settings.REDIS_URL, socket_timeout=5, socket_connect_timeout=5)


def node_mark_alive(node: str) -> None:
    _client().set(_ALIVE_KEY.format(node), "1", ex=max(1, int(settings.WORKER_ALIVE_SECONDS)))


def nodes_alive(nodes: Iterable[str]) -> set[str]:
    """Of ``nodes``, those whose key in Redis has not run out."""
    nodes = sorted(set(nodes))
    if not nodes:
        return set()
    values = _client().mget([_ALIVE_KEY.format(node) for node in nodes])
    return {node for node, value in zip(nodes, values, strict=True) if value is not None}


def heartbeat_start(node: str) -> threading.Thread | None:
    """Renew ``node``'s key in Redis from a thread of the worker's main process."""
    if not settings.REDIS_URL or not node:
        return None
    every = max(0.5, settings.WORKER_ALIVE_SECONDS / 3)
    stopped = threading.Event()

    def beat() -> None:
        while not stopped.is_set():
            try:
                node_mark_alive(node)
            except Exception:
                # Missing beats only make the sweep take the work back: no harm done twice.
                logger.warning("Could not tell Redis that %s is alive", node, exc_info=True)
            stopped.wait(every)

    thread = threading.Thread(target=beat, name="factcheck-alive", daemon=True)
    thread.start()
    return thread


def labels_of_gone_nodes(rows: QuerySet, *, label: str, started: str) -> list[str]:
    """The labels in ``rows`` of work begun by nodes whose key in Redis has run out.

    Only work begun longer ago than a key lives counts, so that a worker that just started
    is not mistaken for a dead one. Without Redis (the embedded mode's one worker) nothing
    is known, and the hard time limit decides as before.
    """
    if not settings.REDIS_URL:
        return []
    before = timezone.now() - timedelta(seconds=settings.WORKER_ALIVE_SECONDS)
    labels = set(
        rows.filter(**{f"{started}__lt": before})
        .exclude(**{label: ""})
        .values_list(label, flat=True)
        .distinct()[:1000]
    )
    if not labels:
        return []
    try:
        alive = nodes_alive(node_of(each) for each in labels)
    except Exception:
        logger.warning("Redis does not say which workers are alive", exc_info=True)
        return []
    return sorted(each for each in labels if node_of(each) not in alive)
