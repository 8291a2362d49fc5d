"""A server's Retry-After never keeps a task in the broker past its visibility timeout,
where Redis would hand the waiting task to a second worker."""

from __future__ import annotations

import time

import pytest
from django.db import transaction

from annotations.models import FetchState, Source
from annotations.services.sources import max_retry_delay, source_attach, source_fetch
from tests.factories import ClaimFactory, DocumentFactory
from tests.helpers import start_worker_process, stop_worker_process, subprocess_env, wait_for

pytest_plugins = ["tests.fetch_server"]

PAGE = (
    "<html><body><article><p>Both sides signed a memorandum on grain.</p></article></body></html>"
)


class RateLimitedOnce:
    """Asks to come back in an hour the first time, then serves the page."""

    def __init__(self) -> None:
        self.asked = False

    def __call__(self, handler) -> None:
        if not self.asked:
            self.asked = True
            rate_limited(handler)
        else:
            page(handler)


def rate_limited(handler) -> None:
    handler.send_response(429)
    handler.send_header("Retry-After", "3600")
    handler.send_header("Content-Length", "0")
    handler.end_headers()


def page(handler) -> None:
    body = PAGE.encode()
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html; charset=utf-8")
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


@pytest.mark.django_db
@pytest.mark.parametrize("visibility", [1020, 300, 150])
def test_a_long_retry_after_waits_less_than_the_visibility_timeout(
    settings, fetch_server, project, visibility
):
    settings.FETCH_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    settings.CELERY_VISIBILITY_TIMEOUT = visibility
    url = fetch_server.handle("/limited", RateLimitedOnce())
    source = Source.objects.create(
        claim=ClaimFactory(document=DocumentFactory(project=project)), url=url
    )
    outcome = source_fetch(source_id=source.pk)
    assert outcome.state == FetchState.PENDING
    assert 0 < outcome.retry_in <= max_retry_delay()
    assert outcome.retry_in + settings.CELERY_TASK_TIME_LIMIT < visibility


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_worker_retries_a_rate_limited_fetch_once_and_stores_it_once(
    redis_broker, fetch_server, project, reviewer, tmp_path
):
    from factcheck.celery import app

    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge("celery")
    url = fetch_server.handle("/limited", RateLimitedOnce())
    env = subprocess_env()
    env.update(
        REDIS_URL=redis_broker,
        FETCH_ALLOWED_NETWORKS="127.0.0.1/32",
        CELERY_TASK_TIME_LIMIT="3",
        CELERY_TASK_SOFT_TIME_LIMIT="2",
        CELERY_VISIBILITY_TIMEOUT="8",
        CELERY_RESTORE_INTERVAL="1",
    )
    claim = ClaimFactory(document=DocumentFactory(project=project))
    worker = start_worker_process(env, tmp_path / "worker.log")
    try:
        with transaction.atomic():
            source = source_attach(claim=claim, actor=reviewer, url=url)
        wait_for(
            lambda: Source.objects.get(pk=source.pk).fetch_state == FetchState.FETCHED,
            timeout=60,
        )
        # Long enough for a task held past the visibility timeout to come back.
        time.sleep(10)
    except AssertionError:
        print((tmp_path / "worker.log").read_text(errors="replace")[-4000:])
        raise
    finally:
        stop_worker_process(worker)
    assert [request.path for request in fetch_server.requests] == ["/limited", "/limited"]
    source.refresh_from_db()
    assert source.attempts == 2 and source.snapshots.count() == 1
