"""A reviewer cites a source; a real worker fetches it, keeps the evidence, finds the quote."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from annotations.models import FetchState, Snapshot, Source
from annotations.services.sources import (
    source_attach,
    source_fetch,
    source_refetch,
    sources_sweep_stuck,
)
from tests.factories import ClaimFactory, DocumentFactory
from tests.helpers import RU_PAGE, wait_for

pytest_plugins = ["tests.fetch_server"]


@pytest.fixture
def local_sources(settings):
    settings.FETCH_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    settings.FETCH_MAX_BACKOFF = 1
    settings.FETCH_READ_TIMEOUT = 2.0
    settings.FETCH_TOTAL_TIMEOUT = 5.0
    return settings


@pytest.fixture
def claim(project):
    document = DocumentFactory(
        project=project,
        language="ru",
        text="Стороны договорились продолжить сотрудничество. Товарооборот вырос на 5,3%.",
    )
    return ClaimFactory(document=document)


def attach(claim, user, url, quote="", **kwargs) -> Source:
    with transaction.atomic():
        return source_attach(claim=claim, actor=user, url=url, quote=quote, **kwargs)


def finished(source: Source) -> Source | None:
    source.refresh_from_db()
    return source if source.fetch_state not in (FetchState.PENDING, FetchState.FETCHING) else None


@pytest.mark.redis
def test_a_worker_fetches_an_attached_source_and_finds_the_quote(
    celery_worker, local_sources, fetch_server, claim, reviewer
):
    url = fetch_server.serve("/mid", RU_PAGE)
    quote = "стороны договорились продолжить сотрудничество в рамках ЕАЭС"
    source = attach(claim, reviewer, url, quote)
    assert source.fetch_state == FetchState.PENDING

    wait_for(lambda: finished(source))
    assert source.fetch_state == FetchState.QUOTE_FOUND
    assert source.title == "МИД: итоги переговоров"
    snapshot = source.snapshots.get()
    assert snapshot.http_status == 200
    assert snapshot.final_url == url
    assert len(snapshot.sha256) == 64
    assert snapshot.text[snapshot.quote_start : snapshot.quote_end] == snapshot.quote_passage
    assert snapshot.quote_passage.replace("\n", " ").startswith("стороны договорились")
    assert snapshot.quote_method in ("exact", "normalized")
    assert snapshot.body  # the raw page is kept, compressed
    assert "User-Agent" in fetch_server.requests[0].headers
    assert "factcheck" in fetch_server.requests[0].headers["User-Agent"]


@pytest.mark.redis
def test_a_quote_the_page_does_not_contain_is_reported_not_found(
    celery_worker, local_sources, fetch_server, claim, reviewer
):
    url = fetch_server.serve("/mid", RU_PAGE)
    source = attach(claim, reviewer, url, "Министр отказался от любых комментариев")
    wait_for(lambda: finished(source))
    assert source.fetch_state == FetchState.QUOTE_NOT_FOUND
    assert source.snapshots.get().quote_found is False


@pytest.mark.redis
def test_without_a_quote_the_best_passages_are_suggested(
    celery_worker, local_sources, fetch_server, claim, reviewer
):
    url = fetch_server.serve("/mid", RU_PAGE)
    source = attach(claim, reviewer, url)
    wait_for(lambda: finished(source))
    assert source.fetch_state == FetchState.FETCHED
    suggestions = source.snapshots.get().suggestions
    assert 1 <= len(suggestions) <= 3
    assert "договорились" in suggestions[0]["text"]


@pytest.mark.redis
def test_a_private_address_is_blocked_without_retrying(
    celery_worker, settings, fetch_server, claim, reviewer
):
    settings.FETCH_ALLOWED_NETWORKS = []
    url = fetch_server.serve("/mid", RU_PAGE)
    source = attach(claim, reviewer, url, "стороны договорились")
    wait_for(lambda: finished(source))
    assert source.fetch_state == FetchState.BLOCKED
    assert source.attempts == 1
    assert source.fetch_error
    assert fetch_server.requests == []
    assert not source.snapshots.exists()


@pytest.mark.redis
def test_a_server_error_is_retried_until_the_page_answers(
    celery_worker, local_sources, fetch_server, claim, reviewer
):
    calls = {"n": 0}

    def flaky(handler):
        calls["n"] += 1
        if calls["n"] == 1:
            body, code = b"temporarily down", 503
        else:
            body, code = RU_PAGE.encode(), 200
        handler.send_response(code)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.send_header("Content-Length", str(len(body)))
        if code == 503:
            handler.send_header("Retry-After", "1")
        handler.end_headers()
        handler.wfile.write(body)

    url = fetch_server.handle("/flaky", flaky)
    source = attach(claim, reviewer, url, "подписали меморандум о поставках зерна")
    wait_for(lambda: finished(source))
    assert source.fetch_state == FetchState.QUOTE_FOUND
    assert source.attempts == 2
    assert source.snapshots.count() == 1


@pytest.mark.redis
def test_a_missing_page_fails_at_once_with_a_clear_message(
    celery_worker, local_sources, fetch_server, claim, reviewer
):
    source = attach(claim, reviewer, fetch_server.url("/gone"), "что-то")
    wait_for(lambda: finished(source))
    assert source.fetch_state == FetchState.FAILED
    assert source.attempts == 1
    assert "404" in source.fetch_error


@pytest.mark.django_db
def test_a_refetch_adds_a_snapshot_and_notices_a_changed_quote(
    local_sources, fetch_server, claim, reviewer
):
    url = fetch_server.serve("/mid", RU_PAGE)
    source = Source.objects.create(
        claim=claim, url=url, quote="подписали меморандум о поставках зерна"
    )
    assert source_fetch(source_id=source.pk).state == FetchState.QUOTE_FOUND

    fetch_server.serve("/mid", RU_PAGE.replace("подписали меморандум о поставках зерна", "ничего"))
    source_refetch(source=source, actor=reviewer)
    assert source_fetch(source_id=source.pk).state == FetchState.QUOTE_CHANGED
    assert source.snapshots.count() == 2
    first, second = source.snapshots.order_by("fetched_at")
    assert first.quote_found is True and second.quote_found is False


@pytest.mark.django_db
def test_running_the_same_fetch_twice_stores_one_snapshot(local_sources, fetch_server, claim):
    url = fetch_server.serve("/mid", RU_PAGE)
    source = Source.objects.create(claim=claim, url=url)
    assert source_fetch(source_id=source.pk) is not None
    assert source_fetch(source_id=source.pk) is None  # a redelivery finds nothing to do
    assert Snapshot.objects.filter(source=source).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_deliveries_at_once_fetch_only_once(local_sources, fetch_server, claim):
    url = fetch_server.serve("/mid", RU_PAGE, delay=0.3)
    source = Source.objects.create(claim=claim, url=url)
    outcomes = []

    def deliver():
        try:
            outcomes.append(source_fetch(source_id=source.pk))
        finally:
            # Each thread has its own connection; left open, it keeps the test database
            # from being dropped at the end of the run.
            connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(o is None for o in outcomes) == [False, True]
    assert len(fetch_server.requests) == 1
    assert Snapshot.objects.filter(source=source).count() == 1


@pytest.mark.django_db
def test_a_fetch_abandoned_by_a_dead_worker_is_taken_over(local_sources, fetch_server, claim):
    url = fetch_server.serve("/mid", RU_PAGE)
    source = Source.objects.create(claim=claim, url=url, quote="подписали меморандум")
    long_ago = timezone.now() - timedelta(seconds=local_sources.CELERY_TASK_TIME_LIMIT + 5)
    Source.objects.filter(pk=source.pk).update(
        fetch_state=FetchState.FETCHING, attempts=1, fetch_count=1, fetch_started_at=long_ago
    )
    outcome = source_fetch(source_id=source.pk)
    assert outcome.state == FetchState.QUOTE_FOUND
    source.refresh_from_db()
    assert source.attempts == 2
    assert source.snapshots.get().fetch_number == 2


@pytest.mark.django_db
def test_a_fetch_in_progress_is_not_taken_over(local_sources, fetch_server, claim):
    source = Source.objects.create(claim=claim, url=fetch_server.url("/mid"))
    Source.objects.filter(pk=source.pk).update(
        fetch_state=FetchState.FETCHING, attempts=1, fetch_started_at=timezone.now()
    )
    assert source_fetch(source_id=source.pk) is None
    assert fetch_server.requests == []


@pytest.mark.redis
def test_sources_lost_with_the_broker_queue_are_queued_again_by_the_sweep(
    celery_worker, local_sources, fetch_server, claim, reviewer, redis_broker
):
    """Redis keeps no data on disk here: a restart empties the queue. The database
    still knows what is pending, and the sweep queues it again."""
    import redis

    url = fetch_server.serve("/mid", RU_PAGE)
    source = Source.objects.create(claim=claim, url=url, quote="подписали меморандум")
    # As if the message was queued, then Redis restarted before any worker took it.
    redis.Redis.from_url(redis_broker).flushdb()
    old = timezone.now() - timedelta(seconds=local_sources.FETCH_MAX_BACKOFF + 120)
    Source.objects.filter(pk=source.pk).update(updated_at=old)

    with transaction.atomic():
        assert sources_sweep_stuck() == 1
    wait_for(lambda: finished(source))
    assert source.fetch_state == FetchState.QUOTE_FOUND
