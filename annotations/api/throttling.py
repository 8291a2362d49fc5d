"""API rate limits counted together by every web process, on every machine.

The counts live in the ``throttle`` cache: Redis in production, this process's memory in
the embedded mode (one web process). An outage of Redis must not take the API down with
it, so while Redis does not answer each process counts in its own memory for a while,
as if it were alone, and tries Redis again after that.
"""

from __future__ import annotations

import logging
import time

from django.core.cache import caches
from rest_framework import throttling

logger = logging.getLogger(__name__)

# After a failed count in Redis, this process counts on its own for this long, so that
# requests do not each wait on a dead server.
_PAUSE_AFTER_FAILURE = 10.0
_shared_down_until = 0.0


class _CountedTogether:
    def allow_request(self, request, view) -> bool:
        global _shared_down_until
        if time.monotonic() >= _shared_down_until:
            self.cache = caches["throttle"]
            try:
                return super().allow_request(request, view)
            except Exception:
                _shared_down_until = time.monotonic() + _PAUSE_AFTER_FAILURE
                logger.warning("API rates are counted per process: Redis does not answer")
        self.cache = caches["default"]
        return super().allow_request(request, view)


class AnonRateThrottle(_CountedTogether, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(_CountedTogether, throttling.UserRateThrottle):
    pass


class ScopedRateThrottle(_CountedTogether, throttling.ScopedRateThrottle):
    pass
