"""The document page costs a fixed number of queries, and the demo's pages are fast."""

from __future__ import annotations

import statistics
import time

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


def server_times(client, url: str, runs: int = 7, **kwargs) -> float:
    client.get(url, **kwargs)  # warm up templates and caches
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        response = client.get(url, **kwargs)
        times.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, url
    return statistics.median(times)


def test_the_demo_pages_take_less_than_300_ms(client, db, capsys):
    call_command("setup_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    document = Document.objects.get(project__slug="demo")
    claim = document.claims.alive().order_by("start")[3]
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="demo"))
    pages = {
        "project list": (reverse("project_list"), {}),
        "document list": (reverse("document_list", args=["demo"]), {}),
        "document": (reverse("document_detail", args=[document.pk]), {}),
        "document + panel": (
            reverse("document_detail", args=[document.pk]) + f"?claim={claim.pk}",
            {},
        ),
        "claim panel (htmx)": (reverse("claim_panel", args=[claim.pk]), {"headers": HTMX}),
        "sources (htmx)": (reverse("claim_sources", args=[claim.pk]), {"headers": HTMX}),
        "assign": (reverse("document_assign", args=[document.pk]), {}),
        "my queue": (reverse("my_queue"), {}),
        "new document": (reverse("document_new", args=["demo"]), {}),
    }
    results = {name: server_times(client, url, **kwargs) for name, (url, kwargs) in pages.items()}
    with capsys.disabled():
        print(f"\nUI server time, median of 7, {document.claims.count()} claims:")
        for name, ms in results.items():
            print(f"  {name:<22} {ms:7.1f} ms")
    assert max(results.values()) < 300, results
