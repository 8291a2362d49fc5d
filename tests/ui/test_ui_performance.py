"""The document page and the claim panel cost a fixed number of queries, whatever the
number of claims. How long pages take is measured by ``bench/bench_archive.py``, not here."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from annotations.models import Document, Source
from annotations.services.verdicts import claim_set_final_verdict, verdict_submit
from tests.factories import ClaimFactory, DocumentFactory
from tests.ui_helpers import HTMX, login

# Session, user, document, claims, final verdicts and their ratings, role, agreement,
# the claims checked before, and the open claim's panel (36 today, whatever the number
# of claims).
DOCUMENT_PAGE_QUERIES = 36


def make_document(project, editor, reviewer, claims: int):
    sentence = "Exports grew by 5% in 2023. "
    document = DocumentFactory(project=project, text=sentence * claims)
    made = []
    for index in range(claims):
        start = index * len(sentence)
        claim = ClaimFactory(
            document=document, position=index, start=start, end=start + len(sentence) - 1
        )
        Source.objects.create(claim=claim, url=f"https://example.org/{index}")
        verdict = verdict_submit(claim=claim, actor=reviewer, rating="false", rationale="No.")
        claim_set_final_verdict(claim=claim, actor=editor, verdict=verdict)
        made.append(claim)
    return document, made


@pytest.mark.parametrize("claims", [3, 30])
def test_the_document_page_costs_the_same_queries_however_many_claims(
    client, project, editor, reviewer, claims, django_assert_max_num_queries
):
    document, made = make_document(project, editor, reviewer, claims)
    login(client, editor)
    url = reverse("document_detail", args=[document.pk])
    with django_assert_max_num_queries(DOCUMENT_PAGE_QUERIES):
        response = client.get(url, {"claim": made[-1].pk})
    assert response.status_code == 200
    assert response.content.decode().count('class="claim ') == claims


def test_the_claim_panel_costs_a_bounded_number_of_queries(
    client, project, editor, reviewer, django_assert_max_num_queries
):
    _document, made = make_document(project, editor, reviewer, 3)
    login(client, editor)
    with django_assert_max_num_queries(DOCUMENT_PAGE_QUERIES):
        response = client.get(reverse("claim_panel", args=[made[0].pk]), headers=HTMX)
    assert response.status_code == 200


def test_every_demo_page_opens(client, db):
    call_command("setup_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    document = Document.objects.get(project__slug="demo")
    claim = document.claims.alive().order_by("start")[3]
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="demo"))
    pages = [
        (reverse("project_list"), {}),
        (reverse("document_list", args=["demo"]), {}),
        (reverse("document_detail", args=[document.pk]), {}),
        (reverse("document_detail", args=[document.pk]) + f"?claim={claim.pk}", {}),
        (reverse("claim_panel", args=[claim.pk]), {"headers": HTMX}),
        (reverse("claim_sources", args=[claim.pk]), {"headers": HTMX}),
        (reverse("document_assign", args=[document.pk]), {}),
        (reverse("my_queue"), {}),
        (reverse("document_new", args=["demo"]), {}),
    ]
    for url, kwargs in pages:
        assert client.get(url, **kwargs).status_code == 200, url


@pytest.mark.parametrize("claims", [3, 30])
@pytest.mark.parametrize("blind", [False, True])
def test_the_queue_costs_the_same_queries_however_many_claims_and_shows_their_ratings(
    client, project, editor, reviewer, claims, blind, django_assert_max_num_queries
):
    """The queue reads only the columns its rows show: a rating's label in the reader's
    language, the document's title and the project's name come without a query a row."""
    from annotations.services.workflow import claims_assign

    project.blind_review = blind
    project.save(update_fields=["blind_review"])
    _document, made = make_document(project, editor, reviewer, claims)
    claims_assign(claims=made, actor=editor, assignee=reviewer)
    login(client, reviewer)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("my_queue"), headers={"Accept-Language": "en"})
    page = response.content.decode()
    assert page.count('class="queue-item"') == claims
    # The reviewer rated each claim themselves, so blind review shows them the final one.
    assert page.count("final: False") == claims
    assert page.count(_document.title) == claims
    assert page.count(project.name) >= claims
