"""Whatever a page holds and whatever breaks after the fetch, a real worker ends every
source and URL document in a final state with a reason; nothing stays ``fetching``."""

from __future__ import annotations

import pytest
from django.db import transaction

from annotations.fetching import page as page_module
from annotations.models import Document, FetchState, Source
from annotations.services.documents import document_create_from_url
from annotations.services.sources import source_attach
from tests.factories import ClaimFactory, DocumentFactory
from tests.helpers import wait_for

pytest_plugins = ["tests.fetch_server"]

QUOTE = "signed a memorandum on grain deliveries"
PLAIN_WITH_NUL = (
    "Ministry statement.\n\x00\x00Both sides "
    + QUOTE
    + " in Astana.\x00\nTrade grew by 5.3% in 2023 to 28 billion dollars.\n"
)


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
        project=project, language="en", text="Both sides signed a memorandum on grain."
    )
    return ClaimFactory(document=document)


def final(source: Source) -> Source | None:
    source.refresh_from_db()
    return source if source.fetch_state not in (FetchState.PENDING, FetchState.FETCHING) else None


@pytest.mark.redis
def test_a_plain_text_page_with_nul_bytes_is_stored_and_its_quote_found(
    celery_worker, local_sources, fetch_server, claim, reviewer
):
    url = fetch_server.serve("/plain", PLAIN_WITH_NUL, content_type="text/plain; charset=utf-8")
    with transaction.atomic():
        source = source_attach(claim=claim, actor=reviewer, url=url, quote=QUOTE)

    source = wait_for(lambda: final(source))
    assert source.fetch_state == FetchState.QUOTE_FOUND, source.fetch_error
    snapshot = source.snapshots.get()
    assert "\x00" not in snapshot.text
    assert snapshot.text[snapshot.quote_start : snapshot.quote_end] == snapshot.quote_passage
    assert QUOTE in snapshot.quote_passage


@pytest.mark.redis
def test_an_html_page_with_nul_bytes_is_stored(
    celery_worker, local_sources, fetch_server, claim, reviewer
):
    html = (
        "<html><head><title>Stat\x00ement</title></head><body><article><p>Both sides "
        f"{QUOTE} in Astana.\x00</p><p>Trade grew by 5.3% in 2023.</p></article></body></html>"
    )
    url = fetch_server.serve("/html", html)
    with transaction.atomic():
        source = source_attach(claim=claim, actor=reviewer, url=url, quote=QUOTE)

    source = wait_for(lambda: final(source))
    assert source.fetch_state == FetchState.QUOTE_FOUND, source.fetch_error
    snapshot = source.snapshots.get()
    assert "\x00" not in snapshot.text + snapshot.title


@pytest.mark.redis
def test_a_failure_after_the_fetch_ends_the_source_failed_with_a_reason(
    celery_worker, local_sources, fetch_server, claim, reviewer, monkeypatch
):
    def broken(result):
        raise RuntimeError("extraction broke")

    # The worker runs in this process, so a fault planted here is met by the real task.
    monkeypatch.setattr("annotations.services.sources.extract_page", broken)
    url = fetch_server.serve("/page", f"<p>Both sides {QUOTE}.</p>")
    with transaction.atomic():
        source = source_attach(claim=claim, actor=reviewer, url=url, quote=QUOTE)

    source = wait_for(lambda: final(source))
    assert source.fetch_state == FetchState.FAILED
    assert source.fetch_error
    assert not source.snapshots.exists()


@pytest.mark.redis
def test_a_url_document_whose_page_has_nul_bytes_is_cut_into_claims(
    celery_worker, local_sources, fetch_server, project, reviewer
):
    url = fetch_server.serve("/plain", PLAIN_WITH_NUL, content_type="text/plain; charset=utf-8")
    with transaction.atomic():
        document = document_create_from_url(project=project, actor=reviewer, url=url)

    def done() -> Document | None:
        current = Document.objects.get(pk=document.pk)
        finished = (Document.Status.READY, Document.Status.FAILED)
        return current if current.status in finished else None

    document = wait_for(done)
    assert document.status == Document.Status.READY, document.status_message
    assert "\x00" not in document.text and QUOTE in document.text


@pytest.mark.redis
def test_a_failure_after_a_url_documents_fetch_ends_it_failed_with_a_reason(
    celery_worker, local_sources, fetch_server, project, reviewer, monkeypatch
):
    def broken(result):
        raise RuntimeError("extraction broke")

    monkeypatch.setattr("annotations.services.documents.extract_page", broken)
    url = fetch_server.serve("/page", f"<p>Both sides {QUOTE}.</p>")
    with transaction.atomic():
        document = document_create_from_url(project=project, actor=reviewer, url=url)

    def done() -> Document | None:
        current = Document.objects.get(pk=document.pk)
        return current if current.status == Document.Status.FAILED else None

    assert wait_for(done).status_message


def test_decoding_keeps_offsets_and_drops_no_character():
    text, _charset = page_module.decode_body(b"a\x00b", "utf-8", "text/plain")
    assert len(text) == 3 and "\x00" not in text
