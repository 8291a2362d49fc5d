"""At most N fetches at a time per host, across every worker on every machine.

Each host has a sorted set in Redis (the broker) of leases: a random token per fetch,
scored by the moment the lease runs out. A fetch takes a lease before it connects and
removes its own token when it ends, whatever the outcome. A worker killed mid-fetch
cannot remove its token, so every lease also runs out on its own, a little after the
fetch's overall time limit; a fetch refused for a busy host changes nothing, so retries
never keep a dead worker's lease alive. Redis's own clock decides, so the workers'
clocks need not agree.

The slots only apply in production mode; the embedded mode runs one small worker,
which stays under any sensible limit anyway.
"""

from __future__ import annotations

import contextlib
import logging
import secrets
from collections.abc import Iterator
from functools import cache

from django.conf import settings

logger = logging.getLogger(__name__)

# KEYS[1]: the host's lease set. ARGV: limit, lease length in ms, token.
_TAKE = """
local now = redis.call('TIME')
local now_ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now_ms)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then
    return 0
end
redis.call('ZADD', KEYS[1], now_ms + tonumber(ARGV[2]), ARGV[3])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]))
return 1
"""


@cache
def _client():
    import redis

    return redis.Redis.from_url(settings.REDIS_URL, socket_timeout=5, socket_connect_timeout=5)


@cache
def _take_script():
    return _client().register_script(_TAKE)


def host_key(host: str) -> str:
    return f"factcheck:fetch-slots:{host.lower()}"


def lease_seconds() -> float:
    """How long a lease outlives a fetch that never gave it back."""
    return float(settings.FETCH_TOTAL_TIMEOUT) + float(settings.FETCH_SLOT_MARGIN)


# The token of a slot that is not counted (production limits off, or no broker to count in).
UNCOUNTED = "-"


@contextlib.contextmanager
def host_slot(host: str) -> Iterator[str | None]:
    """Yields the lease's token when a slot was taken (and gives it back after), None when
    all are busy. The token lets a worker that restarts give back what it held when killed."""
    limit = settings.FETCH_PER_HOST_CONCURRENCY
    if not settings.REDIS_URL or limit <= 0:
        yield UNCOUNTED
        return
    key = host_key(host)
    token = secrets.token_hex(8)
    try:
        taken = _take_script()(keys=[key], args=[limit, int(lease_seconds() * 1000), token])
    except Exception:
        # Without the broker there is no count to keep; fetching beats stalling.
        logger.warning("Could not take a fetch slot for %s", host, exc_info=True)
        yield UNCOUNTED
        return
    if not taken:
        yield None
        return
    try:
        yield token
    finally:
        host_slot_release(host, token)


def host_slot_release(host: str, token: str) -> None:
    """Give back one lease; a lease already gone, or a broker that does not answer, is fine
    (the lease runs out on its own)."""
    if not token or token == UNCOUNTED or not settings.REDIS_URL:
        return
    try:
        _client().zrem(host_key(host), token)
    except Exception:
        logger.warning("Could not give back the fetch slot for %s", host, exc_info=True)
