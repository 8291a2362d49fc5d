"""A new document's claims are matched against the archive by a real Celery worker once
the document is split, and the document page then marks the ones checked before."""

from __future__ import annotations

import time

from django.urls import reverse

from annotations.models import ClaimMatch, Role
from annotations.services.documents import document_create
from annotations.services.verdicts import claim_set_final_verdict
from tests.factories import MembershipFactory, ProjectFactory
from tests.helpers import document_of_claims
from tests.ui_helpers import login

EARLIER = "Цены на бензин выросли на 9% с начала года."
NEW_TEXT = "С начала года бензин подорожал на 9 процентов. Мэр открыл новый парк на набережной."


def test_a_split_document_is_matched_in_the_background(celery_worker, client):
    project = ProjectFactory(language="ru")
    editor = MembershipFactory(project=project, role=Role.EDITOR).user
    earlier = document_of_claims(project, [EARLIER], language="ru").claims.get()
    claim_set_final_verdict(claim=earlier, actor=editor, rating="true", rationale="Росстат.")

    document = document_create(
        project=project, actor=editor, title="Обзор", text=NEW_TEXT, language="ru", process=True
    )
    claims = {claim.text: claim for claim in document.claims.all()}
    petrol = claims["С начала года бензин подорожал на 9 процентов."]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not ClaimMatch.objects.filter(claim=petrol).exists():
        time.sleep(0.2)
    match = ClaimMatch.objects.get(claim=petrol)
    document.refresh_from_db()
    assert document.matching_queued_at is None  # the page stops waiting for marks
    assert match.matched_claim_id == earlier.pk
    assert match.score >= 0.5
    park = claims["Мэр открыл новый парк на набережной."]
    assert not ClaimMatch.objects.filter(claim=park).exists()

    login(client, editor)
    page = client.get(reverse("document_detail", args=[document.pk])).content.decode()
    assert "checked-before" in page.split(f'id="claim-{petrol.pk}"')[1].split(">")[0]
    assert "checked-before" not in page.split(f'id="claim-{park.pk}"')[1].split(">")[0]
