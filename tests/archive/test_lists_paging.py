"""Paging and orderings of the document list, the queue and the trash."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from annotations.models import Claim
from annotations.services.progress import document_progress_refresh
from annotations.views.documents import DOCUMENTS_PAGE_SIZE
from annotations.views.queue import QUEUE_PAGE_SIZE
from annotations.views.trash import TRASH_PAGE_SIZE
from tests.factories import DocumentFactory
from tests.ui_helpers import login

pytestmark = pytest.mark.django_db


def titles(page: str) -> list[str]:
    return re.findall(r'<a href="/documents/\d+/">([^<]+)</a>', page)


def sentences_document(project, count: int, **kwargs):
    """A document of ``count`` numbered sentences, each one claim (not stored as claims)."""
    sentences = [f"Claim number {n} says exports grew." for n in range(count)]
    return DocumentFactory(project=project, text=" ".join(sentences), **kwargs), sentences


def store_claims(document, sentences, **fields) -> list[Claim]:
    claims, start = [], 0
    for position, sentence in enumerate(sentences):
        claims.append(
            Claim(
                document=document,
                position=position,
                start=start,
                end=start + len(sentence),
                text=sentence,
                **fields,
            )
        )
        start += len(sentence) + 1
    return Claim.objects.bulk_create(claims)


@pytest.fixture
def many_documents(project):
    return [
        DocumentFactory(project=project, title=f"Doc {n:03d}")
        for n in range(DOCUMENTS_PAGE_SIZE + 3)
    ]


def test_the_document_list_is_paged_newest_first(client, project, reviewer, many_documents):
    login(client, reviewer)
    url = reverse("document_list", args=[project.slug])
    first = client.get(url).content.decode()
    newest = [d.title for d in reversed(many_documents)]
    assert titles(first) == newest[:DOCUMENTS_PAGE_SIZE]
    assert 'rel="next" href="?page=2"' in first and 'rel="prev"' not in first
    second = client.get(url, {"page": 2}).content.decode()
    assert titles(second) == newest[DOCUMENTS_PAGE_SIZE:]
    assert 'rel="prev" href="?"' in second and 'rel="next"' not in second


def test_the_document_list_orders_as_chosen_and_keeps_it_across_pages(
    client, project, reviewer, many_documents
):
    login(client, reviewer)
    url = reverse("document_list", args=[project.slug])
    by_title = client.get(url, {"order": "title"}).content.decode()
    assert titles(by_title) == sorted(d.title for d in many_documents)[:DOCUMENTS_PAGE_SIZE]
    assert 'href="?order=title&amp;page=2"' in by_title
    oldest = client.get(url, {"order": "oldest", "page": 2}).content.decode()
    assert titles(oldest) == [d.title for d in many_documents][DOCUMENTS_PAGE_SIZE:]


def test_the_document_list_orders_by_the_number_of_claims(client, project, reviewer):
    small, sentences = sentences_document(project, 2, title="Small")
    store_claims(small, sentences)
    large, sentences = sentences_document(project, 5, title="Large")
    store_claims(large, sentences)
    DocumentFactory(project=project, title="Empty")
    document_progress_refresh(document_ids=[small.pk, large.pk])
    login(client, reviewer)
    page = client.get(reverse("document_list", args=[project.slug]), {"order": "claims"})
    assert titles(page.content.decode()) == ["Large", "Small", "Empty"]


@pytest.mark.parametrize("query", [{"page": "x"}, {"page": "0"}, {"order": "nonsense"}])
def test_a_bad_page_or_ordering_shows_the_first_page_newest_first(
    client, project, reviewer, many_documents, query
):
    login(client, reviewer)
    page = client.get(reverse("document_list", args=[project.slug]), query)
    assert page.status_code == 200
    assert titles(page.content.decode())[0] == many_documents[-1].title


def test_a_page_past_the_end_is_empty_with_a_way_back(client, project, reviewer, many_documents):
    login(client, reviewer)
    page = client.get(reverse("document_list", args=[project.slug]), {"page": 9}).content.decode()
    assert titles(page) == []
    assert 'rel="prev" href="?page=8"' in page


@pytest.fixture
def assigned(project, reviewer):
    document, sentences = sentences_document(project, QUEUE_PAGE_SIZE + 2)
    claims = store_claims(document, sentences, assignee=reviewer)
    # Check-worthiness rising with the position, so that the orderings differ.
    for claim in claims:
        claim.checkworthiness = round(claim.position / (len(claims) + 1), 3)
    Claim.objects.bulk_update(claims, ["checkworthiness"])
    return claims


def queue_texts(page: str) -> list[str]:
    return re.findall(r'<span class="claim-snippet[^"]*">([^<]+)</span>', page)


def test_the_queue_is_paged_in_reading_order(client, reviewer, assigned):
    login(client, reviewer)
    first = client.get(reverse("my_queue")).content.decode()
    assert queue_texts(first) == [c.text for c in assigned[:QUEUE_PAGE_SIZE]]
    second = client.get(reverse("my_queue"), {"page": 2}).content.decode()
    assert queue_texts(second) == [c.text for c in assigned[QUEUE_PAGE_SIZE:]]


def test_the_queue_orders_the_most_check_worthy_first(client, reviewer, assigned):
    login(client, reviewer)
    page = client.get(reverse("my_queue"), {"order": "checkworthy"}).content.decode()
    assert queue_texts(page)[:3] == [c.text for c in reversed(assigned)][:3]


def test_the_queue_narrows_to_one_document_by_its_link(client, project, reviewer, assigned):
    other, _ = sentences_document(project, 1, title="Elsewhere")
    store_claims(other, ["Claim number 0 says exports grew."], assignee=reviewer)
    login(client, reviewer)
    page = client.get(reverse("my_queue"), {"document": other.pk}).content.decode()
    assert len(queue_texts(page)) == 1
    assert "Only the document “Elsewhere”" in page
    whole = client.get(reverse("my_queue")).content.decode()
    assert f'href="/queue/?document={assigned[0].document_id}"' in whole


def test_the_queue_does_not_show_a_document_of_another_project(client, reviewer, assigned):
    stranger = DocumentFactory(title="Not yours")
    login(client, reviewer)
    page = client.get(reverse("my_queue"), {"document": stranger.pk}).content.decode()
    assert "Not yours" not in page


def test_each_section_of_the_trash_is_paged_on_its_own(client, project, editor):
    document, sentences = sentences_document(project, TRASH_PAGE_SIZE + 1)
    claims = store_claims(document, sentences)
    now = timezone.now()
    for n, claim in enumerate(claims):
        claim.deleted_at = now - timezone.timedelta(minutes=n)
    Claim.objects.bulk_update(claims, ["deleted_at"])
    login(client, editor)
    url = reverse("project_trash", args=[project.slug])
    first = client.get(url).content.decode()
    assert first.count('id="trashed-claim-') == TRASH_PAGE_SIZE
    assert 'href="?claims_page=2"' in first
    second = client.get(url, {"claims_page": 2}).content.decode()
    assert second.count('id="trashed-claim-') == 1
    assert f'id="trashed-claim-{claims[-1].pk}"' in second
    assert "The trash is empty." not in second
