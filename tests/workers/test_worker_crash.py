"""A worker killed mid-fetch loses nothing: the task comes back and finishes exactly once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.db import transaction

from annotations.models import FetchState, Source
from annotations.services.sources import source_attach
from tests.factories import ClaimFactory, DocumentFactory, MembershipFactory
from tests.helpers import ROOT, RU_PAGE, subprocess_env, wait_for

pytest_plugins = ["tests.fetch_server"]

# Short limits so that the broker hands the task back within seconds.
HARD_LIMIT = 3
VISIBILITY = 5


def start_worker(env: dict[str, str], log: Path) -> subprocess.Popen:
    # A session of its own, so that SIGKILL can take the parent and its pool children at once.
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "factcheck", "worker", "--pool", "prefork",
         "--concurrency", "1", "--loglevel", "INFO", "--without-gossip", "--without-mingle"],
        cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_fetch_killed_with_sigkill_is_redelivered_and_stored_once(
    redis_broker, fetch_server, project, tmp_path
):
    from factcheck.celery import app

    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge("celery")
    release = threading.Event()
    first_request = threading.Event()

    def page(handler):
        if not first_request.is_set():
            first_request.set()
            release.wait(20)  # hold the first fetch until its worker is dead
        body = RU_PAGE.encode()
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    url = fetch_server.handle("/slow", page)
    env = subprocess_env()
    env.update(
        REDIS_URL=redis_broker,
        FETCH_ALLOWED_NETWORKS="127.0.0.1/32",
        CELERY_TASK_TIME_LIMIT=str(HARD_LIMIT),
        CELERY_TASK_SOFT_TIME_LIMIT=str(HARD_LIMIT - 1),
        CELERY_VISIBILITY_TIMEOUT=str(VISIBILITY),
        CELERY_RESTORE_INTERVAL="1",
    )
    reviewer = MembershipFactory(project=project, role="reviewer").user
    claim = ClaimFactory(document=DocumentFactory(project=project))

    first = start_worker(env, tmp_path / "first.log")
    second = None
    try:
        with transaction.atomic():
            source = source_attach(
                claim=claim, actor=reviewer, url=url, quote="подписали меморандум"
            )
        assert first_request.wait(60), "the first worker never fetched"
        wait_for(lambda: Source.objects.get(pk=source.pk).fetch_state == FetchState.FETCHING)
        os.killpg(first.pid, signal.SIGKILL)  # the worker and its pool children, at once
        first.wait(10)
        release.set()

        second = start_worker(env, tmp_path / "second.log")
        wait_for(
            lambda: Source.objects.get(pk=source.pk).fetch_state == FetchState.QUOTE_FOUND,
            timeout=90,
        )
    except AssertionError:
        for log in sorted(tmp_path.glob("*.log")):
            print(log.name, log.read_text(errors="replace")[-4000:])
        raise
    finally:
        release.set()
        for worker in (first, second):
            if worker is not None and worker.poll() is None:
                os.killpg(worker.pid, signal.SIGTERM)
                try:
                    worker.wait(15)
                except subprocess.TimeoutExpired:
                    os.killpg(worker.pid, signal.SIGKILL)
    source.refresh_from_db()
    assert source.snapshots.count() == 1
    assert source.snapshots.get().fetch_number == 2
    assert source.attempts == 2
