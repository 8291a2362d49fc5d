"""Per-host fetch slots: leases in Redis that run out on their own, owned by a token,
given back on every path; a worker killed mid-fetch freezes no host."""

from __future__ import annotations

import os
import signal
import threading

import pytest
import redis
from django.db import transaction

from annotations.fetching import client
from annotations.models import FetchState, Source
from annotations.services import hostslots
from annotations.services.hostslots import host_key, host_slot
from annotations.services.sources import source_attach, source_fetch
from tests.factories import ClaimFactory, DocumentFactory
from tests.helpers import start_worker_process, stop_worker_process, subprocess_env, wait_for

pytest_plugins = ["tests.fetch_server"]

PAGE = (
    "<html><body><article><p>Both sides signed a memorandum on grain.</p></article></body></html>"
)
HOST = "slots.example"


@pytest.fixture
def slots(redis_broker, settings):
    """One slot per host, leases that run out a second after a one-second fetch limit."""
    settings.FETCH_PER_HOST_CONCURRENCY = 1
    settings.FETCH_TOTAL_TIMEOUT = 1.0
    settings.FETCH_SLOT_MARGIN = 1.0
    connection = redis.Redis.from_url(redis_broker)
    connection.delete(host_key(HOST), host_key("127.0.0.1"))
    yield connection
    connection.delete(host_key(HOST), host_key("127.0.0.1"))


def leases(connection: redis.Redis, host: str) -> int:
    return connection.zcard(host_key(host))


@pytest.mark.redis
def test_a_slot_is_given_back_when_the_fetch_ends(slots):
    with host_slot(HOST) as free:
        assert free
        assert leases(slots, HOST) == 1
        with host_slot(HOST) as second:
            assert not second
    assert leases(slots, HOST) == 0


@pytest.mark.redis
def test_a_slot_is_given_back_when_the_fetch_raises(slots):
    with pytest.raises(RuntimeError), host_slot(HOST) as free:
        assert free
        raise RuntimeError("the fetch broke")
    assert leases(slots, HOST) == 0
    with host_slot(HOST) as free:
        assert free


@pytest.mark.redis
def test_a_lease_never_given_back_runs_out_although_fetches_keep_asking(slots):
    # A worker killed mid-fetch: its lease is taken and never given back.
    abandoned = host_slot(HOST)
    assert abandoned.__enter__()
    refused = 0

    def free_again() -> bool:
        nonlocal refused
        with host_slot(HOST) as free:
            refused += not free
            return free

    # Asking again and again, as busy retries do, must not keep the dead lease alive.
    assert wait_for(free_again, timeout=10, interval=0.05)
    assert refused > 10


@pytest.mark.redis
def test_giving_back_removes_only_ones_own_lease(slots, settings):
    settings.FETCH_PER_HOST_CONCURRENCY = 2
    with host_slot(HOST) as first:
        assert first
        with host_slot(HOST) as second:
            assert second
        assert leases(slots, HOST) == 1
        with host_slot(HOST) as third:
            assert third
    assert leases(slots, HOST) == 0


@pytest.mark.redis
@pytest.mark.django_db
def test_a_fetch_that_breaks_unexpectedly_gives_its_slot_back(
    slots, settings, fetch_server, project, monkeypatch
):
    settings.FETCH_ALLOWED_NETWORKS = ["127.0.0.1/32"]

    def broken(url, config):
        raise RuntimeError("the client broke")

    monkeypatch.setattr("annotations.services.sources.fetch", broken)
    source = Source.objects.create(
        claim=ClaimFactory(document=DocumentFactory(project=project)),
        url=fetch_server.serve("/page", PAGE),
    )
    outcome = source_fetch(source_id=source.pk)
    assert outcome.state == FetchState.FAILED
    assert leases(slots, "127.0.0.1") == 0


@pytest.mark.redis
@pytest.mark.django_db
def test_a_busy_host_does_not_count_as_an_attempt(slots, settings, fetch_server, project):
    settings.FETCH_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    source = Source.objects.create(
        claim=ClaimFactory(document=DocumentFactory(project=project)),
        url=fetch_server.serve("/page", PAGE),
    )
    with host_slot("127.0.0.1"):
        outcome = source_fetch(source_id=source.pk)
    assert outcome.state == FetchState.PENDING and outcome.retry_in is not None
    source.refresh_from_db()
    assert source.fetch_state == FetchState.PENDING and source.attempts == 0
    assert fetch_server.requests == []


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_fetch_freezes_no_host(
    redis_broker, slots, fetch_server, project, reviewer, tmp_path
):
    from factcheck.celery import app

    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge("celery")
    held = threading.Event()
    release = threading.Event()

    def page(handler):
        if not held.is_set():
            held.set()
            release.wait(30)  # the first fetch hangs until its worker is dead
        body = PAGE.encode()
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    url = fetch_server.handle("/page", page)
    env = subprocess_env()
    env.update(
        REDIS_URL=redis_broker,
        FETCH_ALLOWED_NETWORKS="127.0.0.1/32",
        FETCH_PER_HOST_CONCURRENCY="1",
        FETCH_TOTAL_TIMEOUT="5",
        FETCH_SLOT_MARGIN="2",
        CELERY_TASK_TIME_LIMIT="8",
        CELERY_TASK_SOFT_TIME_LIMIT="7",
        CELERY_VISIBILITY_TIMEOUT="12",
        CELERY_RESTORE_INTERVAL="1",
    )
    claim = ClaimFactory(document=DocumentFactory(project=project))

    def attach(path: str) -> Source:
        with transaction.atomic():
            return source_attach(claim=claim, actor=reviewer, url=url + path)

    first = start_worker_process(env, tmp_path / "first.log")
    second = None
    try:
        killed = attach("")
        assert held.wait(60), "the first worker never fetched"
        wait_for(lambda: Source.objects.get(pk=killed.pk).fetch_state == FetchState.FETCHING)
        os.killpg(first.pid, signal.SIGKILL)  # the worker and its pool children, at once
        first.wait(10)
        release.set()
        others = [attach(f"?n={n}") for n in range(4)]

        second = start_worker_process(env, tmp_path / "second.log")
        ids = [killed.pk, *(source.pk for source in others)]

        def all_final() -> bool:
            states = Source.objects.filter(pk__in=ids).values_list("fetch_state", flat=True)
            return all(state == FetchState.FETCHED for state in states)

        wait_for(all_final, timeout=60)
    except AssertionError:
        for log in sorted(tmp_path.glob("*.log")):
            print(log.name, log.read_text(errors="replace")[-4000:])
        raise
    finally:
        release.set()
        stop_worker_process(first)
        stop_worker_process(second)
    assert leases(slots, "127.0.0.1") == 0
    assert Source.objects.get(pk=killed.pk).snapshots.count() == 1


def test_the_lease_outlives_the_fetchs_overall_limit(settings):
    settings.FETCH_TOTAL_TIMEOUT = 45.0
    settings.FETCH_SLOT_MARGIN = 10.0
    assert hostslots.lease_seconds() > client.FetchConfig(total_deadline=45.0).total_deadline
