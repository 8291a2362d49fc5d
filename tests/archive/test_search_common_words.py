"""Searches for a common word and for a rare one find what they should in the same number
of queries, and SQLite's full-text indexes are tidied without changing what they find."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from annotations import search
from annotations.models import Claim
from tests.factories import DocumentFactory
from tests.ui_helpers import login

pytestmark = pytest.mark.django_db

COMMON = "Казахстан увеличил экспорт зерна."
RARE = "Погода в Москве была тёплой."


@pytest.fixture
def archive(project, reviewer):
    """Six documents whose claims speak of Kazakhstan, one that speaks of Moscow's
    weather, and one of railways; every claim in the reviewer's queue."""
    documents = []
    for number in range(8):
        sentence = RARE if number == 6 else COMMON
        if number == 7:
            sentence = "Railways carried more freight."
        document = DocumentFactory(
            project=project, text=sentence, language="ru", title=f"Статья {number}"
        )
        Claim.objects.create(
            document=document,
            position=0,
            start=0,
            end=len(sentence),
            text=sentence,
            assignee=reviewer,
        )
        documents.append(document)
    return documents


def test_the_document_list_finds_common_and_rare_words(client, archive, reviewer):
    login(client, reviewer)
    url = reverse("document_list", args=[archive[0].project.slug])

    common = client.get(url, {"q": "Казахстане"}).text
    rare = client.get(url, {"q": "москвой"}).text

    assert all(f"Статья {n}<" in common for n in range(6))
    assert "Статья 6<" not in common and "Статья 7<" not in common
    assert "Статья 6<" in rare and "Статья 0<" not in rare


def test_a_common_and_a_rare_search_cost_the_same_queries(client, archive, reviewer):
    login(client, reviewer)
    counts = []
    for query in ("Казахстан", "москвой"):
        for url in (reverse("my_queue"), reverse("document_list", args=[archive[0].project.slug])):
            with CaptureQueriesContext(connection) as executed:
                assert client.get(url, {"q": query}).status_code == 200
            counts.append(len(executed))
    assert counts[0] == counts[2] and counts[1] == counts[3]


def _segments(index: str) -> int:
    """How many pieces (segments) an FTS5 index is in, from its structure record."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM {index}_data WHERE id > 10"  # leaf pages, not the header
        )
        return cursor.fetchone()[0]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 index is SQLite's")
def test_tidying_merges_the_index_and_every_search_finds_the_same(project, reviewer):
    """Claims saved one by one leave the index in many small pieces; the daily tidying
    merges them, and every search still finds what it found."""
    from django.db import transaction

    from annotations.tasks import tidy_search_index

    with connection.cursor() as cursor:  # as a live index is between FTS5's own merges
        for setting in ("automerge", "crisismerge"):
            cursor.execute(
                "INSERT INTO annotations_claim_search (annotations_claim_search, rank) "
                "VALUES (%s, %s)",
                [setting, 0 if setting == "automerge" else 200],
            )
    for number in range(61):
        sentence = RARE if number == 60 else COMMON
        document = DocumentFactory(project=project, text=sentence, language="ru", title="Зерно")
        with transaction.atomic():  # each save its own write, as in a live archive
            Claim.objects.create(
                document=document, position=0, start=0, end=len(sentence), text=sentence
            )
    queries = ["Казахстане", "погоду", "зерна экспорт", "railways"]
    before = {
        query: sorted(search.search_claims(query).values_list("pk", flat=True)) for query in queries
    }
    pieces = _segments("annotations_claim_search")
    tidy_search_index.apply()
    assert _segments("annotations_claim_search") < pieces
    after = {
        query: sorted(search.search_claims(query).values_list("pk", flat=True)) for query in queries
    }
    assert after == before
    assert len(after["Казахстане"]) == 60 and len(after["погоду"]) == 1
