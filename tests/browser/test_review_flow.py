"""The reviewer's day in a real browser: an editor assigns claims, a reviewer opens one
from the queue, cites a source that a real worker fetches, gives a verdict; the editor
makes it final, approves, publishes and exports ClaimReview. Screenshots of the main
screens are saved on request (``make screenshots``)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from annotations.models import Claim, ClaimStatus, Document, Role, Verdict
from tests.browser.helpers import log_in, user_with_role
from tests.factories import ClaimFactory, DocumentFactory, ProjectFactory

pytest_plugins = ["tests.fetch_server"]

# Not the claim the demo itself takes through the review: this one starts unreviewed.
CLAIM_WORDS = "российские политики и СМИ подняли тему «русофобии»"
SOURCE_PAGE = """<!doctype html><html lang="ru"><head><meta charset="utf-8">
<title>Хроника информационных атак</title></head><body><article>
<h1>Хроника информационных атак</h1>
<p>Аналитики отмечают, что информационные атаки на Казахстан начались со стороны РФ
в конце 2020 года и продолжились в следующем году.</p>
<p>Летом российские политики и СМИ подняли тему «русофобии» в Казахстане, и она
обсуждалась особенно широко.</p>
</article></body></html>"""


ARTICLE_PAGE = """<!doctype html><html lang="ru"><head><meta charset="utf-8">
<title>Итоги года в торговле</title></head><body><article><h1>Итоги года в торговле</h1>
<p>Товарооборот России и Казахстана в 2023 году вырос на 5,3% и достиг 28 млрд долларов.
Министр торговли заявил, что рост продолжится. Эксперты в этом сомневаются.</p>
</article></body></html>"""


@pytest.fixture
def demo(transactional_db):
    call_command("setup_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    document = Document.objects.get(project__slug="demo")
    claim = document.claims.get(text__contains=CLAIM_WORDS)
    editor = user_with_role(document.project, "eddie", Role.EDITOR)
    reviewer = user_with_role(document.project, "rita", Role.REVIEWER)
    return document, claim, editor, reviewer


@pytest.mark.redis
def test_a_claim_goes_from_assignment_to_a_published_claimreview(
    browser, live_server, celery_worker, fetch_server, settings, demo, screenshot
):
    settings.FETCH_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    document, claim, _editor, reviewer = demo
    base = live_server.url
    source_url = fetch_server.serve("/attacks", SOURCE_PAGE)

    # The editor hands the check-worthy claims to the reviewer.
    desk = log_in(browser, base, "eddie")
    desk.click("a[href='/p/demo/']")
    screenshot(desk, "document-list")
    desk.goto(f"{base}/documents/{document.pk}/assign/")
    desk.click("[data-check-all]")
    assert desk.is_checked(f"#assign-{claim.pk}")
    desk.select_option("#id_assignee", str(reviewer.pk))
    screenshot(desk, "assign")
    desk.click("text=Assign the selected claims")
    desk.wait_for_selector(".messages")
    assert Claim.objects.get(pk=claim.pk).assignee_id == reviewer.pk

    # The reviewer finds the claim in the queue and opens it.
    page = log_in(browser, base, "rita")
    page.click("text=My queue")
    page.wait_for_url("**/queue/")
    page.wait_for_load_state()
    page.keyboard.press("j")
    assert page.evaluate("document.activeElement.hasAttribute('data-queue-item')")
    screenshot(page, "queue")
    page.click(f"[data-queue-item][href*='claim={claim.pk}']")
    page.wait_for_selector(f"#claim-panel[data-claim='{claim.pk}']")
    page.wait_for_load_state()
    assert "current" in page.get_attribute(f"#claim-{claim.pk}", "class")

    # j and k move through the claims.
    page.keyboard.press("j")
    page.wait_for_selector(f"#claim-panel:not([data-claim='{claim.pk}'])")
    page.keyboard.press("k")
    page.wait_for_selector(f"#claim-panel[data-claim='{claim.pk}']")

    # A source: the worker fetches it and the panel follows its state.
    page.keyboard.press("s")
    assert page.evaluate("document.activeElement.id") == "source_url"
    page.fill("#source_url", source_url)
    page.fill("#source_quote", CLAIM_WORDS)
    page.click("text=Attach the source")
    page.wait_for_selector("[data-fetch-state='quote_found']", timeout=30_000)
    located = page.inner_text(".located")
    assert CLAIM_WORDS.split()[0] in located and "score" not in located
    assert page.inner_text(".located mark").replace("\n", " ").startswith("российские")
    page.evaluate("window.scrollTo(0, 0)")
    page.evaluate("document.getElementById('sources-title').scrollIntoView()")
    screenshot(page, "review")

    # The verdict, relying on that source.
    page.keyboard.press("v")
    assert page.evaluate("document.activeElement.id") == "verdict_rating"
    page.select_option("#verdict_rating", "true")
    page.fill("#verdict_rationale", "The chronicle of the attacks confirms the date.")
    page.check("#verdict_sources_0")
    page.click("text=Give my verdict")
    page.wait_for_selector("text=Update my verdict")
    verdict = Verdict.objects.get(claim=claim, reviewer=reviewer)
    assert verdict.rating.value == "true" and verdict.sources.count() == 1

    # The editor makes it final, approves and publishes.
    desk.goto(f"{base}/documents/{document.pk}/?claim={claim.pk}")
    desk.click("text=Make this the final verdict")
    desk.wait_for_selector("#claim-panel .verdict.final")
    desk.click("[data-action='approve']")
    desk.wait_for_selector("#claim-panel .status-approved")
    desk.click("[data-action='publish']")
    desk.wait_for_selector("#claim-panel .status-published")
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PUBLISHED
    desk.reload()
    assert "rated" in desk.get_attribute(f"#claim-{claim.pk}", "class")
    screenshot(desk, "editor")

    if importlib.util.find_spec("annotations.exports") is not None:
        with desk.expect_download() as download:
            desk.click("a[href$='/export/claimreview/']")
        exported = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
        assert claim.text.split()[0] in json.dumps(exported, ensure_ascii=False)
        assert "ClaimReview" in json.dumps(exported)

    # A new document from a web page: the page shows progress until a worker is done.
    article_url = fetch_server.serve("/article", ARTICLE_PAGE, delay=2.0)
    page.goto(f"{base}/p/demo/new/")
    page.fill("#id_url-url", article_url)
    screenshot(page, "new-document")
    page.click("text=Fetch the page")
    page.wait_for_url(f"{base}/documents/*/")
    assert page.locator(".processing progress").is_visible()
    page.wait_for_selector("#document-text .claim", timeout=30_000)
    assert page.locator(".processing").count() == 0
    assert "Товарооборот" in page.inner_text("#document-text")

    # At phone width the panel goes under the text.
    phone = log_in(browser, base, "rita", width=390, height=844)
    phone.goto(f"{base}/documents/{document.pk}/?claim={claim.pk}")
    text_box = phone.locator("#document-text").bounding_box()
    panel_box = phone.locator("#panel").bounding_box()
    assert panel_box["y"] > text_box["y"] and panel_box["width"] <= 390
    screenshot(phone, "phone")
    assert page.errors == [] and desk.errors == [] and phone.errors == []


def test_a_selection_with_emoji_becomes_the_claim_in_code_points(
    browser, live_server, transactional_db
):
    project = ProjectFactory()
    user_with_role(project, "sel", Role.REVIEWER)
    text = "Fans 🎉🎉 cheered loudly. Exports grew by 5% in 2023."
    document = DocumentFactory(project=project, text=text)
    claim = ClaimFactory(document=document, start=0, end=len(text), position=0)
    page = log_in(browser, live_server.url, "sel")
    page.goto(f"{live_server.url}/documents/{document.pk}/?claim={claim.pk}")
    page.wait_for_load_state()
    assert page.evaluate("document.getElementById('document-text').textContent") == text
    # Select "Exports grew by 5%" as a person dragging the mouse would.
    page.evaluate(
        """() => {
          const node = document.querySelector('#document-text .claim').firstChild;
          const start = node.data.indexOf('Exports');
          const range = document.createRange();
          range.setStart(node, start);
          range.setEnd(node, start + 'Exports grew by 5%'.length);
          getSelection().removeAllRanges();
          getSelection().addRange(range);
        }"""
    )
    start = text.index("Exports")  # 24 code points, 26 UTF-16 units
    page.wait_for_function(f"document.getElementById('boundary_start').value === '{start}'")
    page.keyboard.press("e")
    assert page.evaluate("document.activeElement.id") == "boundary_start"
    assert page.input_value("#boundary_start") == str(start)
    assert page.input_value("#boundary_end") == str(start + len("Exports grew by 5%"))
    assert page.input_value("#split_at") == str(start)
    page.click("text=Move the boundaries")
    # The text and the panel change in place; the page stays.
    expect(page.locator(f"#claim-{claim.pk}")).to_have_text("Exports grew by 5%")
    claim.refresh_from_db()
    assert claim.text == "Exports grew by 5%"
    assert page.inner_text(f"#claim-{claim.pk}") == "Exports grew by 5%"
    assert page.errors == []
