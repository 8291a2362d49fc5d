"""The project settings page imports other fact-checkers' ClaimReview (a file or an
address) into the reference archive, through the same service as the API: all items or
none, with what is wrong with each bad item shown in the reader's language."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from annotations.models import ReferenceReview, Role
from tests.factories import MembershipFactory, ProjectFactory, UserFactory
from tests.ui_helpers import login

pytest_plugins = ["tests.fetch_server"]


def review(claim: str, url: str, rating: str | None = "False") -> dict:
    item = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": url,
        "claimReviewed": claim,
        "datePublished": "2024-03-12",
        "author": {"@type": "Organization", "name": "FactCheck.org"},
    }
    if rating is not None:
        item["reviewRating"] = {"@type": "Rating", "alternateName": rating}
    return item


FEED = [
    review("Only 9% of plastic waste has ever been recycled.", "https://example.org/plastic"),
    review("The vaccine is 95% effective.", "https://example.org/vaccine", rating="True"),
]


@pytest.fixture
def newsroom(db):
    project = ProjectFactory(language="en")
    editor = MembershipFactory(project=project, role=Role.EDITOR).user
    return project, editor


def send_file(client, project, items: list[dict], language: str = "en"):
    upload = SimpleUploadedFile("reviews.json", json.dumps(items).encode(), "application/json")
    return client.post(
        reverse("project_references", args=[project.slug]),
        {"file": upload},
        HTTP_ACCEPT_LANGUAGE=language,
    )


def test_an_editor_imports_a_file_and_sees_how_many(client, newsroom):
    project, editor = newsroom
    login(client, editor)

    response = send_file(client, project, FEED)

    assert response.status_code == 302
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "2 reviews imported into the reference archive (2 new, 0 updated)." in page
    assert "2 reviews in the archive" in page
    assert set(ReferenceReview.objects.values_list("url", flat=True)) == {
        "https://example.org/plastic",
        "https://example.org/vaccine",
    }


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("en", "Review 2: reviewRating.alternateName (the rating) is missing."),
        ("ru", "Проверка 2: нет reviewRating.alternateName (оценки)."),
    ],
)
def test_one_bad_item_imports_nothing_and_says_which(client, newsroom, language, said):
    project, editor = newsroom
    login(client, editor)
    items = [FEED[0], review("No rating here.", "https://example.org/none", rating=None)]

    response = send_file(client, project, items, language=language)

    assert response.status_code == 422
    page = response.content.decode()
    assert said in page
    assert 'role="alert"' in page
    assert not ReferenceReview.objects.exists()


def test_a_file_that_is_not_claimreview_is_refused_on_its_field(client, newsroom):
    project, editor = newsroom
    login(client, editor)
    upload = SimpleUploadedFile("notes.json", b'{"hello": "world"}', "application/json")

    response = client.post(reverse("project_references", args=[project.slug]), {"file": upload})

    assert response.status_code == 422
    assert "No ClaimReview found in it." in response.content.decode()
    assert not ReferenceReview.objects.exists()


def test_a_page_at_an_address_is_fetched_and_imported(client, newsroom, fetch_server):
    project, editor = newsroom
    login(client, editor)
    page = (
        "<html><head><script type='application/ld+json'>"
        + json.dumps(FEED[0])
        + "</script></head><body>A review</body></html>"
    )
    url = fetch_server.serve("/review", page)

    with override_settings(FETCH_ALLOWED_NETWORKS=["127.0.0.1/32"]):
        response = client.post(reverse("project_references", args=[project.slug]), {"url": url})

    assert response.status_code == 302
    assert ReferenceReview.objects.get().url == "https://example.org/plastic"


def test_a_refused_address_is_said_on_the_address_field(client, newsroom, fetch_server):
    project, editor = newsroom
    login(client, editor)
    url = fetch_server.serve("/review", json.dumps(FEED))

    response = client.post(reverse("project_references", args=[project.slug]), {"url": url})

    assert response.status_code == 422
    field = response.content.decode().split('id="id_url"')[1].split("</div>")[0]
    assert 'class="error"' in field
    assert fetch_server.requests == []
    assert not ReferenceReview.objects.exists()


def test_why_an_address_was_not_fetched_is_said_in_russian(client, newsroom, fetch_server):
    project, editor = newsroom
    login(client, editor)
    url = fetch_server.serve("/review", json.dumps(FEED))

    refused = client.post(
        reverse("project_references", args=[project.slug]), {"url": url}, HTTP_ACCEPT_LANGUAGE="ru"
    ).content.decode()
    with override_settings(FETCH_ALLOWED_NETWORKS=["127.0.0.1/32"]):
        closed = client.post(
            reverse("project_references", args=[project.slug]),
            {"url": "http://127.0.0.1:1/feed"},
            HTTP_ACCEPT_LANGUAGE="ru",
        ).content.decode()

    assert "Подключение к 127.0.0.1 запрещено: адрес обратной петли." in refused
    assert "Refused" not in refused
    assert "Не удалось подключиться к 127.0.0.1." in closed
    assert "Could not connect" not in closed


def test_a_file_or_an_address_is_needed_not_both(client, newsroom):
    project, editor = newsroom
    login(client, editor)
    upload = SimpleUploadedFile("reviews.json", json.dumps(FEED).encode(), "application/json")

    neither = client.post(reverse("project_references", args=[project.slug]), {})
    both = client.post(
        reverse("project_references", args=[project.slug]),
        {"file": upload, "url": "https://example.org/feed"},
    )

    for response in (neither, both):
        assert response.status_code == 422
        assert "Choose a file or give an address, one of the two." in response.content.decode()
    assert not ReferenceReview.objects.exists()


def test_a_reviewer_or_an_outsider_may_not_import(client, newsroom):
    project, _editor = newsroom
    reviewer = MembershipFactory(project=project, role=Role.REVIEWER).user

    login(client, reviewer)
    assert send_file(client, project, FEED).status_code == 403
    login(client, UserFactory())
    assert send_file(client, project, FEED).status_code == 404
    assert not ReferenceReview.objects.exists()
