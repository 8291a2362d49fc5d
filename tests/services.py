"""Reachability of the servers the suite uses, for conftest and the Makefile.

``python -m tests.services postgres URL`` exits 0 when PostgreSQL answers.
"""

from __future__ import annotations

import os
import socket
import sys
from urllib.parse import urlparse

import pytest


def reachable(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection(
            (parsed.hostname or "127.0.0.1", parsed.port or default_port), timeout=2
        ):
            return True
    except OSError:
        return False


def require(service: str, url: str, default_port: int) -> None:
    """Skip when the service is down on a developer's machine; fail in CI."""
    if reachable(url, default_port):
        return
    message = f"{service} is not reachable at {url}"
    if os.environ.get("CI") == "true":
        pytest.fail(message + " (CI needs every service)", pytrace=False)
    pytest.skip(message)


if __name__ == "__main__":
    kind, url = sys.argv[1], sys.argv[2]
    sys.exit(0 if reachable(url, {"postgres": 5432, "redis": 6379}[kind]) else 1)
