"""A worker killed mid-task and started again takes its work back at once: the fetches and
documents still marked as its own go back to the queue and their host slots are freed,
without waiting for the hard time limit that the sweep must wait for."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from datetime import timedelta
from types import SimpleNamespace

import pytest
import redis
from django.db import transaction
from django.utils import timezone

from annotations.models import Document, FetchState, Source
from annotations.services.documents import (
    document_create_from_url,
    documents_take_back_from_worker,
)
from annotations.services.hostslots import host_key, host_slot
from annotations.services.liveness import left_by_dead_process, node_mark_alive
from annotations.services.queueing import work_sweep
from annotations.services.sources import (
    source_attach,
    source_fetch,
    sources_take_back_from_worker,
)
from tests.factories import ClaimFactory, DocumentFactory
from tests.helpers import start_worker_process, stop_worker_process, subprocess_env, wait_for

pytest_plugins = ["tests.fetch_server"]

PAGE = (
    "<html><head><title>Grain</title></head><body><article>"
    "<p>Both sides signed a memorandum on grain deliveries in Astana last spring.</p>"
    "<p>Trade between the two countries grew by 5.3% in 2023, the ministry said.</p>"
    "</article></body></html>"
)
KILLED = "celery@killed"
# A process of the killed worker: its label names the node and the process number.
KILLED_PROCESS = f"{KILLED}/4242"


def _fetching(claim, url: str, *, worker: str, minutes_ago: float, slot: str = "") -> Source:
    source = Source.objects.create(claim=claim, url=url)
    Source.objects.filter(pk=source.pk).update(
        fetch_state=FetchState.FETCHING,
        fetch_worker=worker,
        fetch_slot=slot,
        fetch_started_at=timezone.now() - timedelta(minutes=minutes_ago),
    )
    return source


@pytest.mark.django_db
def test_a_fetch_records_the_worker_it_runs_under(settings, fetch_server, project, monkeypatch):
    settings.FETCH_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    from annotations.services import sources

    seen = {}
    real_fetch = sources.fetch

    def fetch(url, config):
        seen.update(Source.objects.values("fetch_worker", "fetch_state").get(url=url))
        return real_fetch(url, config)

    monkeypatch.setattr(sources, "fetch", fetch)
    source = Source.objects.create(
        claim=ClaimFactory(document=DocumentFactory(project=project)),
        url=fetch_server.serve("/page", PAGE),
    )
    source_fetch(source_id=source.pk, worker="celery@here/17")
    assert seen == {"fetch_worker": "celery@here/17", "fetch_state": FetchState.FETCHING}
    assert Source.objects.get(pk=source.pk).fetch_state == FetchState.FETCHED


@pytest.mark.django_db
def test_a_restarted_worker_takes_back_only_its_own_fetches_begun_before_it_started(project):
    claim = ClaimFactory(document=DocumentFactory(project=project))
    left = _fetching(claim, "https://a.example/1", worker=KILLED_PROCESS, minutes_ago=0.5)
    other_worker = _fetching(
        claim, "https://a.example/2", worker="celery@other/4242", minutes_ago=0.5
    )
    begun_since = _fetching(claim, "https://a.example/3", worker=KILLED_PROCESS, minutes_ago=-1)
    started_at = timezone.now()

    assert sources_take_back_from_worker(worker=KILLED, started_at=started_at) == 1

    states = dict(Source.objects.values_list("pk", "fetch_state"))
    assert states[left.pk] == FetchState.PENDING
    assert states[other_worker.pk] == FetchState.FETCHING
    assert states[begun_since.pk] == FetchState.FETCHING
    # A second start finds nothing left: taking back is safe to run twice.
    assert sources_take_back_from_worker(worker=KILLED, started_at=started_at) == 0
    # A worker without a name (a fetch run inside a request) never takes anything.
    assert sources_take_back_from_worker(worker="", started_at=started_at) == 0


@pytest.mark.redis
@pytest.mark.django_db
def test_taking_back_a_fetch_frees_the_host_slot_it_held(redis_broker, settings, project):
    settings.FETCH_PER_HOST_CONCURRENCY = 1
    connection = redis.Redis.from_url(redis_broker)
    connection.delete(host_key("held.example"))
    try:
        held = host_slot("held.example")
        token = held.__enter__()  # never left: the worker holding it was killed
        assert token
        with host_slot("held.example") as second:
            assert second is None
        claim = ClaimFactory(document=DocumentFactory(project=project))
        _fetching(
            claim, "https://held.example/page", worker=KILLED_PROCESS, minutes_ago=0.2, slot=token
        )

        sources_take_back_from_worker(worker=KILLED, started_at=timezone.now())

        assert connection.zcard(host_key("held.example")) == 0
        with host_slot("held.example") as free:
            assert free
    finally:
        connection.delete(host_key("held.example"))


@pytest.mark.django_db
def test_a_restarted_worker_starts_its_documents_again(project):
    left = DocumentFactory(project=project)
    elsewhere = DocumentFactory(project=project)
    for document, worker in ((left, KILLED_PROCESS), (elsewhere, "celery@other/4242")):
        Document.objects.filter(pk=document.pk).update(
            status=Document.Status.PROCESSING,
            processing_worker=worker,
            processing_started_at=timezone.now() - timedelta(seconds=30),
        )

    assert documents_take_back_from_worker(worker=KILLED, started_at=timezone.now()) == 1

    statuses = dict(Document.objects.values_list("pk", "status"))
    assert statuses[left.pk] != Document.Status.PROCESSING
    assert statuses[elsewhere.pk] == Document.Status.PROCESSING


def _dead_pid() -> int:
    """The number of a process that has ended."""
    probe = subprocess.Popen(["true"])
    probe.wait()
    return probe.pid


def test_a_process_that_ended_is_known_dead_only_on_its_own_machine():
    node = "celery@here"
    dead = f"{node}/{_dead_pid()}"
    assert left_by_dead_process(dead, node=node)
    assert not left_by_dead_process(f"{node}/{os.getpid()}", node=node)  # this very process
    assert not left_by_dead_process(f"{node}/1", node=node)  # init runs
    assert not left_by_dead_process(dead, node="celery@elsewhere")  # cannot look there
    assert not left_by_dead_process("", node=node)


@pytest.mark.django_db
def test_a_fetch_sent_back_after_its_process_was_killed_is_taken_over(
    settings, fetch_server, project
):
    settings.FETCH_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    claim = ClaimFactory(document=DocumentFactory(project=project))
    url = fetch_server.serve("/page", PAGE)
    killed = _fetching(claim, url, worker=f"celery@here/{_dead_pid()}", minutes_ago=0.2)
    running = _fetching(claim, url + "?b", worker=f"celery@here/{os.getppid()}", minutes_ago=0.2)

    me = f"celery@here/{os.getpid()}"
    assert source_fetch(source_id=killed.pk, worker=me).state == FetchState.FETCHED
    # A delivery of a fetch whose process still runs leaves it to that process.
    assert source_fetch(source_id=running.pk, worker=me) is None
    assert Source.objects.get(pk=running.pk).fetch_state == FetchState.FETCHING


@pytest.mark.redis
@pytest.mark.django_db
def test_the_sweep_takes_back_the_work_of_workers_that_stopped_saying_they_are_alive(
    redis_broker, settings, project
):
    settings.WORKER_ALIVE_SECONDS = 30.0
    claim = ClaimFactory(document=DocumentFactory(project=project))
    gone = _fetching(claim, "https://a.example/gone", worker="celery@gone/7", minutes_ago=1)
    just_begun = _fetching(claim, "https://a.example/new", worker="celery@gone/8", minutes_ago=0.1)
    alive = _fetching(claim, "https://a.example/alive", worker="celery@alive/9", minutes_ago=1)
    document = DocumentFactory(project=project)
    Document.objects.filter(pk=document.pk).update(
        status=Document.Status.PROCESSING,
        processing_worker="celery@gone/7",
        processing_started_at=timezone.now() - timedelta(minutes=1),
    )
    node_mark_alive("celery@alive")
    redis.Redis.from_url(redis_broker).delete("factcheck:worker-alive:celery@gone")

    work_sweep()

    states = dict(Source.objects.values_list("pk", "fetch_state"))
    assert states[gone.pk] != FetchState.FETCHING
    assert states[just_begun.pk] == FetchState.FETCHING
    assert states[alive.pk] == FetchState.FETCHING
    assert Document.objects.get(pk=document.pk).status != Document.Status.PROCESSING


def _held_page(held: threading.Event, release: threading.Event):
    def page(handler):
        if not held.is_set():
            held.set()
            release.wait(60)  # the first request hangs until its worker is dead
        body = PAGE.encode()
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    return page


# With the production limits (a 120 s hard time limit, 55 s slot leases, one slot per host)
# the work must be done long before any of them could have run out.
WITHIN = 30.0


def _production_env(redis_broker: str) -> dict[str, str]:
    env = subprocess_env()
    for name in ("CELERY_TASK_TIME_LIMIT", "CELERY_TASK_SOFT_TIME_LIMIT", "FETCH_TOTAL_TIMEOUT",
                 "FETCH_SLOT_MARGIN", "CELERY_VISIBILITY_TIMEOUT"):  # fmt: skip
        env.pop(name, None)
    env.update(REDIS_URL=redis_broker, FETCH_ALLOWED_NETWORKS="127.0.0.1/32")
    env.update(FETCH_PER_HOST_CONCURRENCY="1")
    return env


def _purge_queue() -> None:
    from factcheck.celery import app

    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge("celery")


@pytest.fixture
def held_fetch(redis_broker, fetch_server, project):
    """An empty queue, a free host, and a page whose first request hangs until released:
    the moment in which the tests below kill a worker."""
    _purge_queue()
    redis.Redis.from_url(redis_broker).delete(host_key("127.0.0.1"))
    held, release = threading.Event(), threading.Event()
    url = fetch_server.handle("/page", _held_page(held, release))
    claim = ClaimFactory(document=DocumentFactory(project=project))
    yield SimpleNamespace(held=held, release=release, url=url, claim=claim)
    release.set()


def _dump_logs(tmp_path) -> None:
    for log in sorted(tmp_path.glob("*.log")):
        print(log.name, log.read_text(errors="replace")[-4000:])


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_fetch_finishes_every_fetch_soon_after_it_restarts(
    redis_broker, held_fetch, reviewer, tmp_path
):
    env = _production_env(redis_broker)

    def attach(path: str) -> Source:
        with transaction.atomic():
            return source_attach(claim=held_fetch.claim, actor=reviewer, url=held_fetch.url + path)

    first = start_worker_process(env, tmp_path / "first.log")
    second = None
    try:
        killed = attach("")
        assert held_fetch.held.wait(60), "the first worker never fetched"
        wait_for(lambda: Source.objects.get(pk=killed.pk).fetch_state == FetchState.FETCHING)
        os.killpg(first.pid, signal.SIGKILL)  # the worker and its pool children, at once
        first.wait(10)
        held_fetch.release.set()
        others = [attach(f"?n={n}") for n in range(3)]
        ids = [killed.pk, *(source.pk for source in others)]

        second = start_worker_process(env, tmp_path / "second.log")
        restarted = time.monotonic()

        def all_fetched() -> bool:
            states = Source.objects.filter(pk__in=ids).values_list("fetch_state", flat=True)
            return all(state == FetchState.FETCHED for state in states)

        wait_for(all_fetched, timeout=WITHIN + 30)
        took = time.monotonic() - restarted
    except AssertionError:
        _dump_logs(tmp_path)
        raise
    finally:
        held_fetch.release.set()
        stop_worker_process(first)
        stop_worker_process(second)
    assert took < WITHIN, f"the work finished {took:.0f} s after the restart"
    assert Source.objects.get(pk=killed.pk).snapshots.count() == 1


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_while_importing_a_page_imports_it_soon_after_it_restarts(
    redis_broker, fetch_server, project, editor, tmp_path
):
    _purge_queue()
    held, release = threading.Event(), threading.Event()
    url = fetch_server.handle("/article", _held_page(held, release))
    env = _production_env(redis_broker)

    first = start_worker_process(env, tmp_path / "first.log")
    second = None
    try:
        with transaction.atomic():
            document = document_create_from_url(project=project, actor=editor, url=url)
        assert held.wait(60), "the first worker never fetched the page"
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(10)
        release.set()
        assert Document.objects.get(pk=document.pk).status == Document.Status.PROCESSING

        second = start_worker_process(env, tmp_path / "second.log")
        restarted = time.monotonic()
        wait_for(
            lambda: Document.objects.get(pk=document.pk).status == Document.Status.READY,
            timeout=WITHIN + 30,
        )
        took = time.monotonic() - restarted
    except AssertionError:
        _dump_logs(tmp_path)
        raise
    finally:
        release.set()
        stop_worker_process(first)
        stop_worker_process(second)
    assert took < WITHIN, f"the document was ready {took:.0f} s after the restart"
    assert Document.objects.get(pk=document.pk).claims.count() >= 2


def _pool_children(parent: int) -> list[int]:
    found = subprocess.run(["pgrep", "-P", str(parent)], capture_output=True, text=True)
    return [int(pid) for pid in found.stdout.split()]


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_pool_process_killed_mid_fetch_leaves_its_fetch_to_the_next(
    redis_broker, held_fetch, reviewer, tmp_path
):
    """What the out-of-memory killer does: only the pool process dies; its parent lives."""

    worker = start_worker_process(_production_env(redis_broker), tmp_path / "worker.log")
    try:
        with transaction.atomic():
            source = source_attach(claim=held_fetch.claim, actor=reviewer, url=held_fetch.url)
        assert held_fetch.held.wait(60), "the worker never fetched"
        wait_for(lambda: Source.objects.get(pk=source.pk).fetch_state == FetchState.FETCHING)
        children = wait_for(lambda: _pool_children(worker.pid))
        for child in children:
            os.kill(child, signal.SIGKILL)
        killed = time.monotonic()
        held_fetch.release.set()
        wait_for(
            lambda: Source.objects.get(pk=source.pk).fetch_state == FetchState.FETCHED,
            timeout=WITHIN + 30,
        )
        took = time.monotonic() - killed
    except AssertionError:
        _dump_logs(tmp_path)
        raise
    finally:
        held_fetch.release.set()
        stop_worker_process(worker)
    assert took < WITHIN, f"fetched {took:.0f} s after its process was killed"
    assert Source.objects.get(pk=source.pk).snapshots.count() == 1


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_fetch_on_a_machine_that_never_comes_back_is_done_by_another_within_a_minute(
    redis_broker, held_fetch, reviewer, tmp_path
):
    env = _production_env(redis_broker)

    lost = start_worker_process(env, tmp_path / "lost.log", name="lost@machine-a")
    other = None
    try:
        with transaction.atomic():
            source = source_attach(claim=held_fetch.claim, actor=reviewer, url=held_fetch.url)
        assert held_fetch.held.wait(60), "the first worker never fetched"
        wait_for(lambda: Source.objects.get(pk=source.pk).fetch_state == FetchState.FETCHING)
        # Another machine's worker (with beat) is running when the first one vanishes.
        other = start_worker_process(env, tmp_path / "other.log", name="other@machine-b", beat=True)
        os.killpg(lost.pid, signal.SIGKILL)
        killed = time.monotonic()
        lost.wait(10)
        held_fetch.release.set()
        wait_for(
            lambda: Source.objects.get(pk=source.pk).fetch_state == FetchState.FETCHED,
            timeout=120,
        )
        took = time.monotonic() - killed
    except AssertionError:
        _dump_logs(tmp_path)
        raise
    finally:
        held_fetch.release.set()
        stop_worker_process(lost)
        stop_worker_process(other)
    assert took < 60, f"fetched {took:.0f} s after its machine was lost"
    assert Source.objects.get(pk=source.pk).snapshots.count() == 1
