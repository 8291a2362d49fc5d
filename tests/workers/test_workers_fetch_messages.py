"""Why a fetch failed is stored as a code with its values and written in the reader's
language: the Russian pages and API answers carry no English fetcher message."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils import translation
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from annotations.fetch_messages import MESSAGES, REASONS, fetch_message
from annotations.fetching.addresses import _REFUSED_NETWORKS
from annotations.models import Document, FetchState, Source
from annotations.services.documents import document_create_from_url, document_fetch_url
from annotations.services.sources import source_fetch
from tests.factories import ClaimFactory, DocumentFactory

pytest_plugins = ["tests.fetch_server"]

# What the fetcher writes in English, which a Russian reader must never see.
ENGLISH = re.compile(r"server answered|Refused to connect|cloud metadata|gave up|Not Found", re.I)


@pytest.fixture
def local_sources(settings):
    settings.FETCH_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    settings.FETCH_MAX_ATTEMPTS = 1
    return settings


@pytest.fixture
def claim(project):
    return ClaimFactory(document=DocumentFactory(project=project, language="ru"))


def failed_source(claim, url: str) -> Source:
    source = Source.objects.create(claim=claim, url=url)
    source_fetch(source_id=source.pk)
    source.refresh_from_db()
    return source


@pytest.mark.django_db
def test_a_missing_page_is_stored_as_a_code_and_read_in_each_language(
    local_sources, fetch_server, claim
):
    source = failed_source(claim, fetch_server.url("/gone"))
    assert source.fetch_state == FetchState.FAILED
    assert source.fetch_error_code == "http_status"
    assert source.fetch_error_params["status"] == 404
    with translation.override("ru"):
        assert source.fetch_error_text == "Сервер ответил кодом 404."
    with translation.override("en"):
        assert source.fetch_error_text == "The server answered with status 404."


@pytest.mark.django_db
def test_a_cloud_metadata_address_is_named_in_russian(settings, claim):
    settings.FETCH_ALLOWED_NETWORKS = []
    source = failed_source(claim, "http://169.254.169.254/latest/meta-data/")
    assert source.fetch_state == FetchState.BLOCKED
    assert source.fetch_error_code == "refused_address"
    with translation.override("ru"):
        text = source.fetch_error_text
    assert text == "Подключение к 169.254.169.254 запрещено: адрес службы метаданных облака."
    # The English record stays for logs and exports.
    assert "cloud metadata" in source.fetch_error


@pytest.mark.django_db
def test_giving_up_on_a_server_error_says_so_in_russian(local_sources, fetch_server, claim):
    url = fetch_server.serve("/down", "busy", status=503, headers={"Retry-After": "30"})
    source = failed_source(claim, url)
    assert source.fetch_state == FetchState.FAILED
    with translation.override("ru"):
        text = source.fetch_error_text
    assert text == (
        "Сервер ответил кодом 503. Он просит повторить через 30 с. Прекращено после 1 попытки."
    )


@pytest.mark.django_db
def test_the_russian_sources_list_shows_no_english_fetcher_message(
    local_sources, fetch_server, claim, reviewer
):
    failed_source(claim, fetch_server.url("/gone"))
    client = Client()
    client.force_login(reviewer)
    page = client.get(f"/claims/{claim.pk}/sources/", HTTP_ACCEPT_LANGUAGE="ru")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Сервер ответил кодом 404." in html
    assert not ENGLISH.search(html)


@pytest.mark.django_db
def test_the_api_keeps_the_code_and_writes_the_message_in_the_requests_language(
    local_sources, fetch_server, claim, reviewer
):
    source = failed_source(claim, fetch_server.url("/gone"))
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=reviewer)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    for path in (f"/api/v1/claims/{claim.pk}/sources/", f"/api/v1/claims/{claim.pk}/"):
        russian = client.get(path, HTTP_ACCEPT_LANGUAGE="ru").json()
        english = client.get(path, HTTP_ACCEPT_LANGUAGE="en").json()
        found = [russian] if isinstance(russian, list) else [russian.get("sources", [])]
        listed = found[0] if isinstance(found[0], list) else [found[0]]
        entry = next(s for s in listed if s["id"] == source.pk)
        assert entry["fetch_error_code"] == "http_status"
        assert entry["fetch_error"] == "Сервер ответил кодом 404."
        in_english = english if isinstance(english, list) else english["sources"]
        assert next(s for s in in_english if s["id"] == source.pk)["fetch_error"] == (
            "The server answered with status 404."
        )


@pytest.mark.django_db
def test_a_failed_url_document_reads_in_russian(local_sources, fetch_server, project, reviewer):
    document = document_create_from_url(
        project=project, actor=reviewer, url=fetch_server.url("/gone")
    )
    document_fetch_url(document_id=document.pk)
    document.refresh_from_db()
    assert document.status == Document.Status.FAILED
    assert document.status_code == "http_status"
    client = Client()
    client.force_login(reviewer)
    html = client.get(f"/documents/{document.pk}/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Сервер ответил кодом 404." in html
    assert not ENGLISH.search(html)
    api = APIClient()
    api.force_authenticate(reviewer)
    answer = api.get(f"/api/v1/documents/{document.pk}/", HTTP_ACCEPT_LANGUAGE="ru").json()
    assert answer["status_code"] == "http_status"
    assert answer["status_message"] == "Сервер ответил кодом 404."


def test_every_message_and_reason_has_a_russian_translation():
    reasons = {reason for _network, reason in _REFUSED_NETWORKS}
    assert reasons <= set(REASONS)
    for key, label in [*MESSAGES.items(), *REASONS.items()]:
        with translation.override("en"):
            english = str(label)
        with translation.override("ru"):
            assert str(label) != english, key


def test_an_unknown_code_falls_back_to_the_stored_text():
    assert fetch_message("", {}, "Stored before codes were kept.") == (
        "Stored before codes were kept."
    )
