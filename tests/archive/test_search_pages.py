"""The search box of the document list and of the queue, and the API's ``?q=``."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from annotations.models import Claim
from tests.factories import DocumentFactory, ProjectFactory, UserFactory
from tests.ui_helpers import login

TEXT = "Казахстан увеличил экспорт зерна. Погода в Москве была тёплой."


@pytest.fixture
def searched(project, reviewer):
    document = DocumentFactory(project=project, text=TEXT, language="ru", title="Зерно и погода")
    first = Claim.objects.create(
        document=document, position=0, start=0, end=33, text=TEXT[:33], assignee=reviewer
    )
    second = Claim.objects.create(
        document=document, position=1, start=34, end=len(TEXT), text=TEXT[34:], assignee=reviewer
    )
    other = DocumentFactory(project=project, title="Railways")
    return document, other, first, second


def test_the_document_list_finds_a_document_by_a_claims_word_form(client, searched, reviewer):
    document, other, _, _ = searched
    login(client, reviewer)
    page = client.get(reverse("document_list", args=[document.project.slug]), {"q": "Казахстане"})
    assert page.status_code == 200
    assert document.title in page.text and other.title not in page.text
    assert 'value="Казахстане"' in page.text


def test_the_document_list_says_when_nothing_matches(client, searched, reviewer):
    document, *_ = searched
    login(client, reviewer)
    page = client.get(reverse("document_list", args=[document.project.slug]), {"q": "Астана"})
    assert "No document or claim matches the search." in page.text
    assert document.title not in page.text


def test_the_queue_finds_claims_by_word_forms(client, searched, reviewer):
    _, _, first, second = searched
    login(client, reviewer)
    page = client.get(reverse("my_queue"), {"q": "москвой"})
    assert page.status_code == 200
    assert second.text in page.text and first.text not in page.text


def _api(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_the_api_searches_claims_with_q(searched, reviewer):
    _, _, first, _ = searched
    response = _api(reviewer).get("/api/v1/claims/", {"q": "в Казахстане"})
    assert response.status_code == 200
    assert [claim["id"] for claim in response.json()["results"]] == [first.pk]


def test_the_api_searches_documents_with_q(searched, reviewer):
    document, other, _, _ = searched
    response = _api(reviewer).get("/api/v1/documents/", {"q": "зерном"})
    assert [item["id"] for item in response.json()["results"]] == [document.pk]
    response = _api(reviewer).get("/api/v1/documents/", {"q": "railway"})
    assert [item["id"] for item in response.json()["results"]] == [other.pk]


def test_the_api_search_does_not_reach_other_projects(searched):
    stranger = UserFactory()
    ProjectFactory()
    response = _api(stranger).get("/api/v1/claims/", {"q": "Казахстан"})
    assert response.json()["results"] == []


def test_the_document_list_pages_title_and_claim_matches_together_in_order(
    client, searched, reviewer, monkeypatch
):
    document, other, _, _ = searched
    by_title = DocumentFactory(project=document.project, title="Казахстан сегодня")
    monkeypatch.setattr("annotations.views.documents.DOCUMENTS_PAGE_SIZE", 1)
    login(client, reviewer)
    url = reverse("document_list", args=[document.project.slug])
    first = client.get(url, {"q": "Казахстана"}).text
    assert by_title.title in first and document.title not in first
    assert 'href="?' + urlencode({"q": "Казахстана"}) + '&amp;page=2"' in first
    second = client.get(url, {"q": "Казахстана", "page": 2}).text
    assert document.title in second and by_title.title not in second
    assert other.title not in first + second
    assert 'rel="next"' not in second


def test_the_api_pages_title_and_claim_matches_together_by_cursor(searched, reviewer):
    """Documents found by their title and by their claims come in one order, each once,
    and the cursor goes on across both kinds, stable while documents are added."""
    document, other, _, _ = searched
    project = document.project
    by_title = DocumentFactory(project=project, title="Казахстан сегодня")
    both = DocumentFactory(project=project, text=TEXT, language="ru", title="Казахстан: зерно")
    Claim.objects.create(document=both, position=0, start=0, end=33, text=TEXT[:33])
    client = _api(reviewer)
    newest_first = [both.pk, by_title.pk, document.pk]
    seen: list[int] = []
    url = "/api/v1/documents/"
    params: dict | None = {"project": project.slug, "q": "Казахстана", "page_size": 1}
    while params is not None or url:
        response = client.get(url, params) if params is not None else client.get(url)
        assert response.status_code == 200
        body = response.json()
        seen += [item["id"] for item in body["results"]]
        if len(seen) == 1:  # a newer match after the first page is not shown in this walk
            DocumentFactory(project=project, title="Казахстан завтра")
        url, params = body["next"], None
        if not url:
            break
    assert seen == newest_first
    assert other.pk not in seen
