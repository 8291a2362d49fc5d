"""Redis down, or restarted without its data: requests still answer with what they saved,
and every queued piece of work (documents as well as sources) is done within a minute
of the broker coming back.

Each test runs a Redis server of its own (a real ``redis-server`` process on a free port)
and points this process's Celery app at it, so that stopping it disturbs nothing else.
"""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from annotations.models import Document, FetchState, Source
from annotations.services.documents import document_create, document_create_from_url
from annotations.services.sources import source_attach
from tests.factories import ClaimFactory, DocumentFactory
from tests.helpers import (
    ROOT,
    start_worker_process,
    stop_worker_process,
    subprocess_env,
    wait_for,
)

pytest_plugins = ["tests.fetch_server"]

LONG_TEXT = (ROOT / "annotations" / "fixtures" / "kz-ru-relations.ru.txt").read_text()
PAGE = (
    "<html><head><title>Statement</title></head><body><article>"
    "<p>Both sides signed a memorandum on grain deliveries in Astana.</p>"
    "<p>Trade between the two countries grew by 5.3% in 2023.</p></article></body></html>"
)
DOCUMENT_DONE = (Document.Status.READY, Document.Status.FAILED)
SOURCE_DONE = (FetchState.FETCHED, FetchState.QUOTE_FOUND, FetchState.QUOTE_NOT_FOUND)


def worker_env(redis_url: str) -> dict[str, str]:
    env = subprocess_env()
    env.update(
        REDIS_URL=redis_url,
        FETCH_ALLOWED_NETWORKS="127.0.0.1/32",
        # The document is long enough to be cut by a worker, not inside the request.
        DOCUMENT_SYNC_MAX_CHARS="1000",
    )
    return env


def client_for(user) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def everything_done(document_ids: list[int], source_ids: list[int]) -> bool:
    documents = Document.objects.filter(pk__in=document_ids).values_list("status", flat=True)
    sources = Source.objects.filter(pk__in=source_ids).values_list("fetch_state", flat=True)
    return all(s in DOCUMENT_DONE for s in documents) and all(s in SOURCE_DONE for s in sources)


def show_logs(tmp_path) -> None:
    for log in sorted(tmp_path.glob("*.log")):
        print(log.name, log.read_text(errors="replace")[-6000:])


@pytest.mark.django_db(transaction=True)
def test_while_redis_is_down_requests_answer_with_pending_work_that_is_done_once_it_is_back(
    private_redis, broker_at, fetch_server, project, reviewer, settings, tmp_path
):
    settings.DOCUMENT_SYNC_MAX_CHARS = 1000
    redis = private_redis(persistent=False)
    broker_at(redis.url)
    redis.stop()
    client = client_for(reviewer)
    claim = ClaimFactory(document=DocumentFactory(project=project))

    long_document = client.post(
        "/api/v1/documents/",
        {"project": project.slug, "title": "Long read", "text": LONG_TEXT},
        format="json",
    )
    assert long_document.status_code == 201, long_document.content
    assert long_document.json()["status"] == "pending"
    from_url = client.post(
        "/api/v1/documents/",
        {"project": project.slug, "url": fetch_server.serve("/article", PAGE)},
        format="json",
    )
    assert from_url.status_code == 201, from_url.content
    assert from_url.json()["status"] == "pending"
    source = client.post(
        f"/api/v1/claims/{claim.pk}/sources/",
        {"url": fetch_server.serve("/source", PAGE), "quote": "signed a memorandum"},
        format="json",
    )
    assert source.status_code == 201, source.content
    assert source.json()["fetch_state"] == "pending"

    # The reviewer's page of the new document opens, waiting for its claims.
    browser = Client()
    browser.force_login(reviewer)
    page = browser.get(f"/documents/{long_document.json()['id']}/")
    assert page.status_code == 200 and "Long read" in page.content.decode()

    redis.start()
    worker = start_worker_process(worker_env(redis.url), tmp_path / "worker.log", beat=True)
    try:
        documents = [long_document.json()["id"], from_url.json()["id"]]
        wait_for(lambda: everything_done(documents, [source.json()["id"]]), timeout=60)
    except AssertionError:
        show_logs(tmp_path)
        raise
    finally:
        stop_worker_process(worker)
    assert Document.objects.get(pk=documents[0]).claims.count() >= 20
    assert "memorandum" in Document.objects.get(pk=documents[1]).text
    assert Source.objects.get(pk=source.json()["id"]).fetch_state == FetchState.QUOTE_FOUND


@pytest.mark.django_db(transaction=True)
def test_work_queued_before_a_restart_without_persistence_is_done_within_a_minute(
    private_redis, broker_at, fetch_server, project, reviewer, settings, tmp_path
):
    settings.DOCUMENT_SYNC_MAX_CHARS = 1000
    redis = private_redis(persistent=False)
    broker_at(redis.url)
    claim = ClaimFactory(document=DocumentFactory(project=project))
    with transaction.atomic():
        long_document = document_create(
            project=project, actor=reviewer, title="Long read", text=LONG_TEXT
        )
        from_url = document_create_from_url(
            project=project, actor=reviewer, url=fetch_server.serve("/article", PAGE)
        )
        source = source_attach(
            claim=claim,
            actor=reviewer,
            url=fetch_server.serve("/source", PAGE),
            quote="signed a memorandum",
        )
    # The messages reached the broker: nothing is left for the next sweep to send.
    assert Source.objects.get(pk=source.pk).queued_at is not None
    assert Document.objects.get(pk=long_document.pk).queued_at is not None

    redis.restart()  # the queue is gone with the process
    worker = start_worker_process(worker_env(redis.url), tmp_path / "worker.log", beat=True)
    try:
        wait_for(lambda: everything_done([long_document.pk, from_url.pk], [source.pk]), timeout=60)
    except AssertionError:
        show_logs(tmp_path)
        raise
    finally:
        stop_worker_process(worker)
    assert Source.objects.get(pk=source.pk).snapshots.count() == 1


@pytest.mark.django_db(transaction=True)
def test_queued_work_is_not_sent_twice_while_the_broker_keeps_it(
    private_redis, broker_at, fetch_server, project, reviewer, settings
):
    """A sweep must not pile copies of waiting messages onto a long queue."""
    from annotations.services.queueing import work_sweep

    redis = private_redis(persistent=True)
    broker_at(redis.url)
    claim = ClaimFactory(document=DocumentFactory(project=project))
    with transaction.atomic():
        source_attach(claim=claim, actor=reviewer, url=fetch_server.serve("/source", PAGE))
    with transaction.atomic():
        first = work_sweep()  # the broker is new to the sweep: everything is sent once more
    with transaction.atomic():
        assert work_sweep().total == 0
    redis.restart()  # kept on disk, queue and all
    with transaction.atomic():
        assert work_sweep().total == 0
    assert first.total <= 1
