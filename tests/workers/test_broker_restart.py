"""Restarting Redis with fetches queued: what survives, and how the rest is recovered.

Each test runs a Redis server of its own (a real ``redis-server`` process on a free port)
so that restarting it disturbs nothing else.
"""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import timedelta

import pytest
from celery import Celery
from django.utils import timezone

from annotations.models import FetchState, Source
from tests.factories import ClaimFactory, DocumentFactory
from tests.helpers import ROOT, RU_PAGE, manage, subprocess_env, wait_for

pytest_plugins = ["tests.fetch_server"]


def queue_fetch(redis_url: str, source_id: int) -> None:
    """Publish the fetch exactly as the web process does, to this broker."""
    # Not the current app: shared tasks published later in this process would go to this
    # broker, which the test stops.
    producer = Celery("factcheck", broker=redis_url, set_as_current=False)
    producer.conf.broker_connection_retry_on_startup = True
    producer.send_task("annotations.fetch_source", args=[source_id])
    producer.close()


def start_worker(redis_url: str) -> subprocess.Popen:
    env = {**subprocess_env(), "REDIS_URL": redis_url, "FETCH_ALLOWED_NETWORKS": "127.0.0.1/32"}
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "factcheck", "worker", "--pool", "solo",
         "--loglevel", "WARNING", "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def state(source: Source) -> str:
    return Source.objects.get(pk=source.pk).fetch_state


@pytest.fixture
def source(fetch_server, project):
    claim = ClaimFactory(document=DocumentFactory(project=project))
    return Source.objects.create(
        claim=claim, url=fetch_server.serve("/mid", RU_PAGE), quote="подписали меморандум"
    )


@pytest.mark.django_db(transaction=True)
def test_with_an_append_only_file_queued_fetches_survive_a_restart(private_redis, source):
    redis = private_redis(persistent=True)
    queue_fetch(redis.url, source.pk)
    redis.restart()

    worker = start_worker(redis.url)
    try:
        wait_for(lambda: state(source) == FetchState.QUOTE_FOUND, timeout=60)
    finally:
        worker.terminate()
        worker.wait(20)


@pytest.mark.django_db(transaction=True)
def test_without_persistence_the_sweep_queues_lost_fetches_again(private_redis, source, settings):
    redis = private_redis(persistent=False)
    queue_fetch(redis.url, source.pk)
    redis.restart()  # the queue is gone with the process

    worker = start_worker(redis.url)
    try:
        time.sleep(3)
        assert state(source) == FetchState.PENDING  # nothing left to consume

        # The periodic sweep (beat, every 5 minutes) finds the source left pending.
        old = timezone.now() - timedelta(seconds=settings.FETCH_MAX_BACKOFF + 120)
        Source.objects.filter(pk=source.pk).update(updated_at=old)
        env = {**subprocess_env(), "REDIS_URL": redis.url}
        swept = manage(
            "shell",
            "-c",
            "from annotations.tasks import sweep_stuck_sources; print(sweep_stuck_sources())",
            env=env,
        )
        assert swept.returncode == 0, swept.stderr.decode()
        wait_for(lambda: state(source) == FetchState.QUOTE_FOUND, timeout=60)
    finally:
        worker.terminate()
        worker.wait(20)
