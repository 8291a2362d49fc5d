from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest
from django.conf import settings

from annotations.models import Role
from tests.factories import MembershipFactory, ProjectFactory, UserFactory
from tests.services import require


@pytest.fixture
def project(db):
    return ProjectFactory()


@pytest.fixture
def member(project):
    """Make a user with a role in the project: ``member("editor")``."""

    def make(role: str = Role.REVIEWER, **kwargs):
        return MembershipFactory(project=project, role=role, **kwargs).user

    return make


@pytest.fixture
def reviewer(member):
    return member(Role.REVIEWER)


@pytest.fixture
def editor(member):
    return member(Role.EDITOR)


@pytest.fixture
def outsider(db):
    return UserFactory()


@pytest.fixture
def redis_broker() -> str:
    url = settings.REDIS_URL
    require("Redis", url, 6379)
    return url


@pytest.fixture
def celery_worker(transactional_db, redis_broker) -> Iterator[None]:
    """A real Celery worker, in a thread of this process, consuming from the real Redis."""
    from celery.contrib.testing.worker import start_worker

    from factcheck.celery import app

    assert app.conf.broker_url.startswith("redis://"), app.conf.broker_url
    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge("celery")
    with start_worker(
        app, pool="threads", concurrency=2, perform_ping_check=False, loglevel="WARNING"
    ):
        yield


@pytest.fixture
def private_redis(tmp_path):
    """Start a Redis server of the test's own: ``private_redis(persistent=False)``."""
    import os
    import shutil

    from tests.helpers import PrivateRedis

    if shutil.which("redis-server") is None:
        message = "redis-server is not installed"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    servers: list[PrivateRedis] = []

    def make(*, persistent: bool) -> PrivateRedis:
        server = PrivateRedis(tmp_path, persistent=persistent)
        server.start()
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.stop()


@pytest.fixture
def broker_at(settings):
    """Point this process's Celery app, and the services' Redis clients, at another Redis:
    ``broker_at(url)``; put back after the test."""
    from annotations.services import hostslots, queueing
    from factcheck.celery import app

    original = app.conf.broker_url

    def point(url: str) -> None:
        settings.REDIS_URL = url
        app.conf.broker_url = url
        # Forget the app's pools; kombu keeps one per broker address, so the earlier
        # broker's stays open for when the app is pointed back at it.
        app._pool = None
        app.amqp._producer_pool = None
        for cached in (hostslots._client, hostslots._take_script, queueing._client):
            cached.cache_clear()
        queueing._broker_down_until = 0.0

    yield point
    point(original)


@pytest.fixture(autouse=True)
def english_outside_requests():
    """Requests activate the user's language for the thread; start each test in English."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture
def collector_restored() -> Iterator[None]:
    """Python's cyclic garbage collector back on or off as it was, for a test that
    turns it on or off."""
    was = gc.isenabled()
    yield
    if was:
        gc.enable()
    else:
        gc.disable()


@pytest.fixture
def captures_dir(settings, tmp_path):
    """Archived captures written to a folder of this test's own, which it returns."""
    location = tmp_path / "captures"
    settings.STORAGES = {
        **settings.STORAGES,
        "captures": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(location)},
        },
    }
    return location
