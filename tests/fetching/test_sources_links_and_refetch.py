"""Sources beyond the citation form: links in documents, documents from URLs, refetching."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from annotations.models import Document, FetchState, Source
from annotations.services.documents import (
    document_create_from_markup,
    document_create_from_url,
    document_fetch_url,
)
from annotations.services.sources import source_fetch
from tests.factories import ClaimFactory, DocumentFactory
from tests.helpers import RU_PAGE, manage, wait_for

pytest_plugins = ["tests.fetch_server"]


@pytest.fixture
def local_sources(settings):
    settings.FETCH_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    settings.FETCH_MAX_BACKOFF = 1
    return settings


@pytest.mark.redis
def test_links_in_an_imported_html_document_are_fetched_as_candidate_sources(
    celery_worker, local_sources, fetch_server, project, reviewer
):
    url = fetch_server.serve("/mid", RU_PAGE)
    html = (
        "<p>По словам министра, стороны подписали меморандум о поставках зерна "
        f'(<a href="{url}">сообщение МИД</a>).</p>'
    )
    with transaction.atomic():
        document = document_create_from_markup(
            project=project, actor=reviewer, title="МИД", content=html, source_format="html"
        )
    source = Source.objects.get(claim__document=document)
    assert source.origin == "document_link" and source.url == url
    wait_for(lambda: Source.objects.get(pk=source.pk).fetch_state == FetchState.FETCHED)
    suggestions = Source.objects.get(pk=source.pk).snapshots.get().suggestions
    assert any("меморандум" in suggestion["text"] for suggestion in suggestions)


@pytest.mark.django_db
def test_a_document_made_from_a_url_holds_the_pages_main_text(
    local_sources, fetch_server, project, reviewer, django_capture_on_commit_callbacks
):
    url = fetch_server.serve("/mid", RU_PAGE)
    with django_capture_on_commit_callbacks() as callbacks:
        document = document_create_from_url(project=project, actor=reviewer, url=url)
    assert document.status == Document.Status.PENDING and len(callbacks) == 1
    document_fetch_url(document_id=document.pk)  # what the queued task runs
    document.refresh_from_db()
    assert document.status == Document.Status.READY
    assert document.title == "МИД: итоги переговоров"
    assert "подписали меморандум" in document.text
    assert document.claims.exists()
    for claim in document.claims.all():
        assert document.text[claim.start : claim.end] == claim.text


@pytest.mark.django_db
def test_a_url_document_on_a_refused_address_fails_with_a_message(
    settings, fetch_server, project, reviewer
):
    settings.FETCH_ALLOWED_NETWORKS = []
    document = document_create_from_url(
        project=project, actor=reviewer, url=fetch_server.serve("/mid", RU_PAGE)
    )
    document_fetch_url(document_id=document.pk)
    document.refresh_from_db()
    assert document.status == Document.Status.FAILED
    assert document.status_message
    assert not document.text


@pytest.mark.django_db
def test_refetch_sources_queues_a_documents_sources(local_sources, fetch_server, project):
    claim = ClaimFactory(document=DocumentFactory(project=project))
    source = Source.objects.create(claim=claim, url=fetch_server.serve("/mid", RU_PAGE))
    source_fetch(source_id=source.pk)
    Source.objects.filter(pk=source.pk).update(fetch_state=FetchState.FAILED, attempts=5)

    call_command("refetch_sources", "--document", str(claim.document_id))
    source.refresh_from_db()
    assert source.fetch_state == FetchState.PENDING and source.attempts == 0


@pytest.mark.django_db
def test_refetch_sources_stale_picks_only_old_fetches(local_sources, fetch_server, project):
    claim = ClaimFactory(document=DocumentFactory(project=project))
    old, fresh = (
        Source.objects.create(claim=claim, url=fetch_server.serve(f"/{n}", RU_PAGE))
        for n in ("old", "fresh")
    )
    Source.objects.filter(pk=old.pk).update(
        fetch_state=FetchState.QUOTE_FOUND,
        last_fetched_at=timezone.now()
        - timedelta(days=local_sources.SOURCE_RECHECK_AFTER_DAYS + 1),
    )
    Source.objects.filter(pk=fresh.pk).update(
        fetch_state=FetchState.QUOTE_FOUND, last_fetched_at=timezone.now()
    )
    call_command("refetch_sources", "--stale")
    assert Source.objects.get(pk=old.pk).fetch_state == FetchState.PENDING
    assert Source.objects.get(pk=fresh.pk).fetch_state == FetchState.QUOTE_FOUND


@pytest.mark.django_db(transaction=True)
def test_refetch_sources_for_a_missing_document_exits_2():
    result = manage("refetch_sources", "--document", "999999")
    assert result.returncode == 2
    assert b"No document with id 999999" in result.stderr
