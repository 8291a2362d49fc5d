"""At most N fetches at a time per host, across every worker on every machine.

The slots live in Redis (the broker), so they only apply in production mode; the
embedded mode runs one small worker, which stays under any sensible limit anyway.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from functools import cache

from django.conf import settings


@cache
def _client():
    import redis

    return redis.Redis.from_url(settings.REDIS_URL, socket_timeout=5, socket_connect_timeout=5)


@contextlib.contextmanager
def host_slot(host: str) -> Iterator[bool]:
    """Yields True when a slot was taken (and frees it after), False when all are busy."""
    limit = settings.FETCH_PER_HOST_CONCURRENCY
    if not settings.REDIS_URL or limit <= 0:
        yield True
        return
    key = f"factcheck:fetch-slots:{host.lower()}"
    client = _client()
    pipe = client.pipeline()
    pipe.incr(key)
    # A worker killed while holding a slot must not block the host for ever.
    pipe.expire(key, settings.CELERY_TASK_TIME_LIMIT + 30)
    taken = pipe.execute()[0]
    if taken > limit:
        client.decr(key)
        yield False
        return
    try:
        yield True
    finally:
        client.decr(key)
