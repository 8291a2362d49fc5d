"""In a real browser: the "checked before" marks appear on an open document page when the
background matching finishes, without a reload, and the open claim stays the current one."""

from __future__ import annotations

from django.utils import timezone
from playwright.sync_api import expect

from annotations.models import Document, Role
from annotations.services.matching import claims_match_document
from annotations.services.verdicts import claim_set_final_verdict
from tests.browser.helpers import log_in, user_with_role
from tests.factories import ProjectFactory
from tests.helpers import document_of_claims

EARLIER = "Цены на бензин выросли на 9% с начала года."
PETROL = "С начала года бензин подорожал на 9 процентов."
PARK = "Мэр открыл новый парк на набережной."


def test_marks_appear_when_the_background_matching_finishes(browser, live_server, transactional_db):
    project = ProjectFactory(slug="live", language="ru")
    editor = user_with_role(project, "eddie", Role.EDITOR)
    earlier = document_of_claims(project, [EARLIER], language="ru", title="Март").claims.get()
    claim_set_final_verdict(claim=earlier, actor=editor, rating="true", rationale="Росстат.")
    document = document_of_claims(project, [PETROL, PARK], language="ru", title="Апрель")
    Document.objects.filter(pk=document.pk).update(matching_queued_at=timezone.now())
    petrol, park = document.claims.order_by("start")

    page = log_in(browser, live_server.url, "eddie")
    page.goto(f"{live_server.url}/documents/{document.pk}/")
    expect(page.locator("#matching-status")).to_be_visible()
    page.click(f"#claim-{park.pk}")
    expect(page.locator("#claim-panel")).to_be_visible()
    page.evaluate("window.notReloaded = true")

    claims_match_document(document_id=document.pk)

    expect(page.locator(f"#claim-{petrol.pk}")).to_have_class(
        "claim kind-fact checked-before", timeout=10_000
    )
    expect(page.locator("#matching-status")).to_have_count(0)
    expect(page.locator(f"#claim-{park.pk}")).to_have_class("claim kind-fact current")
    assert page.evaluate("window.notReloaded") is True
    assert page.errors == []
