"""The document page's "checked before" marks appear once the background matching is done,
fetched by the page itself (htmx polling), without a reload."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from annotations.models import Document, Role
from annotations.services.matching import claims_match_document
from annotations.services.verdicts import claim_set_final_verdict
from tests.factories import MembershipFactory, ProjectFactory, UserFactory
from tests.helpers import document_of_claims
from tests.ui_helpers import HTMX, login

EARLIER = "Цены на бензин выросли на 9% с начала года."
PETROL = "С начала года бензин подорожал на 9 процентов."
PARK = "Мэр открыл новый парк на набережной."


@pytest.fixture
def room(db):
    project = ProjectFactory(language="ru")
    editor = MembershipFactory(project=project, role=Role.EDITOR).user
    earlier = document_of_claims(project, [EARLIER], language="ru", title="Март").claims.get()
    claim_set_final_verdict(claim=earlier, actor=editor, rating="true", rationale="Росстат.")
    document = document_of_claims(project, [PETROL, PARK], language="ru", title="Апрель")
    Document.objects.filter(pk=document.pk).update(matching_queued_at=timezone.now())
    document.refresh_from_db()
    return project, editor, document


def claim_tag(page: str, claim) -> str:
    return page.split(f'id="claim-{claim.pk}"')[1].split(">")[0]


def test_while_matching_runs_the_page_asks_for_its_marks(client, room):
    _project, editor, document = room
    login(client, editor)
    url = reverse("document_matches", args=[document.pk])

    page = client.get(reverse("document_detail", args=[document.pk])).content.decode()
    polled = client.get(url, headers=HTMX).content.decode()

    for html in (page, polled):
        assert 'id="matching-status"' in html
        assert f'hx-get="{url}"' in html
        assert 'hx-trigger="every 2s"' in html
    assert "Looking for claims checked before" in polled
    assert "document-text" not in polled


def test_once_matching_is_done_the_text_comes_back_with_its_marks(client, room):
    _project, editor, document = room
    petrol, park = document.claims.order_by("start")
    login(client, editor)
    page_url = reverse("document_detail", args=[document.pk]) + f"?claim={park.pk}"

    claims_match_document(document_id=document.pk)
    polled = client.get(
        reverse("document_matches", args=[document.pk]),
        headers={**HTMX, "HX-Current-URL": "http://testserver" + page_url},
    ).content.decode()

    # The poller is replaced by nothing (so it stops) and the text swapped out of band.
    assert "matching-status" not in polled
    assert 'id="document-text"' in polled and 'hx-swap-oob="outerHTML"' in polled
    assert "checked-before" in claim_tag(polled, petrol)
    assert "checked-before" not in claim_tag(polled, park)
    assert "current" in claim_tag(polled, park)
    page = client.get(reverse("document_detail", args=[document.pk])).content.decode()
    assert "matching-status" not in page


def test_a_document_without_rated_matches_just_stops_asking(client, db):
    project = ProjectFactory(language="ru")
    editor = MembershipFactory(project=project, role=Role.EDITOR).user
    document = document_of_claims(project, [PARK], language="ru")
    Document.objects.filter(pk=document.pk).update(matching_queued_at=timezone.now())
    login(client, editor)

    claims_match_document(document_id=document.pk)
    response = client.get(reverse("document_matches", args=[document.pk]), headers=HTMX)

    assert response.status_code == 200
    assert response.content == b""


def test_a_matching_that_never_finished_is_not_waited_for_forever(client, room):
    _project, editor, document = room
    Document.objects.filter(pk=document.pk).update(
        matching_queued_at=timezone.now() - timedelta(hours=1)
    )
    login(client, editor)

    page = client.get(reverse("document_detail", args=[document.pk])).content.decode()
    polled = client.get(reverse("document_matches", args=[document.pk]), headers=HTMX)

    assert "matching-status" not in page
    assert b"matching-status" not in polled.content


def test_someone_outside_the_project_gets_nothing(client, room):
    _project, _editor, document = room
    login(client, UserFactory())

    response = client.get(reverse("document_matches", args=[document.pk]), headers=HTMX)

    assert response.status_code == 404
