"""The reviewer's day in a real browser, in English and in Russian, on a desk (1366 px)
and on a phone (390 px): forms speak only after sending, refusals appear next to what
caused them and in view, old links and failed imports are no dead ends, corrections of
the cut keep the page, and nothing breaks the Content-Security-Policy."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from annotations.models import (
    Claim,
    Comment,
    Document,
    FetchState,
    Role,
    Source,
)
from annotations.services.verdicts import verdict_submit
from tests.browser.helpers import in_view, log_in, overflows, user_with_role
from tests.factories import ClaimFactory, DocumentFactory, ProjectFactory

pytest_plugins = ["tests.fetch_server"]

DESK = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
LANGUAGES = ["en", "ru"]

# Two paragraphs: two claims in the first, joined by a dash; one in the second.
TEXT = (
    "Exports grew by 5% in 2023 — imports fell by 2% that year. Officials expect more growth.\n"
    "The minister resigned in May."
)


def claims_of(text: str, document: Document, *parts: str) -> list[Claim]:
    claims = []
    for position, part in enumerate(parts):
        start = text.index(part)
        claims.append(
            ClaimFactory(document=document, start=start, end=start + len(part), position=position)
        )
    return claims


@pytest.fixture
def desk(transactional_db):
    """A project with one document of three claims, an editor and a reviewer."""
    project = ProjectFactory()
    document = DocumentFactory(project=project, text=TEXT, title="Trade in 2023")
    claims = claims_of(
        TEXT,
        document,
        "Exports grew by 5% in 2023 — imports fell by 2% that year.",
        "Officials expect more growth.",
        "The minister resigned in May.",
    )
    return project, document, claims


@pytest.mark.parametrize("language", LANGUAGES)
def test_forms_speak_only_once_sent_and_a_failed_login_keeps_the_name(
    browser, live_server, desk, language
):
    project, _document, _claims = desk
    user_with_role(project, "rita", Role.REVIEWER, language=language)
    base = live_server.url

    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(base + "/login/")
    page.fill("#id_username", "rita")
    page.fill("#id_password", "not the password")
    page.click("main button[type=submit]")
    page.wait_for_selector("main .error[role=alert]")
    assert page.input_value("#id_username") == "rita"
    assert page.evaluate("document.activeElement.id") == "id_password"

    page = log_in(browser, base, "rita", **PHONE)
    page.goto(f"{base}/p/{project.slug}/new/")
    assert page.locator("main .error").count() == 0
    # Whitespace passes the browser's own check; the server refuses it once, at its field.
    page.fill("#id_paste-title", "Empty")
    page.fill("#id_paste-content", "   ")
    page.click("form:has(#id_paste-title) button[type=submit]")
    page.wait_for_selector("main .error")
    assert page.locator("main .error").count() == 1
    assert page.locator(".field.has-error #id_paste-content").count() == 1
    assert in_view(page, "main .error")
    page.goto(f"{base}/p/{project.slug}/new/")
    assert page.locator("main .error").count() == 0
    assert not overflows(page)
    assert page.errors == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_refused_split_is_shown_next_to_its_form_on_a_phone(browser, live_server, desk, language):
    project, document, claims = desk
    user_with_role(project, "rita", Role.REVIEWER, language=language)
    page = log_in(browser, live_server.url, "rita", **PHONE)
    page.goto(f"{live_server.url}/documents/{document.pk}/?claim={claims[0].pk}")
    page.click("#boundary > summary")
    # At the claim's very start there is nothing to cut off: the split is refused.
    page.fill("#split_at", str(claims[0].start))
    page.click("form[hx-post$='/split/'] button[type=submit]")
    page.wait_for_selector("#boundary .error[role=alert]")
    assert in_view(page, "#boundary .error[role=alert]")
    assert page.evaluate("document.activeElement.closest('#boundary') !== null")
    assert Claim.objects.alive().filter(document=document).count() == 3
    assert page.errors == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_approve_waits_for_a_final_verdict(browser, live_server, desk, language):
    project, document, claims = desk
    user_with_role(project, "eddie", Role.EDITOR, language=language)
    reviewer = user_with_role(project, "rita", Role.REVIEWER)
    verdict_submit(claim=claims[0], actor=reviewer, rating="true", rationale="Checked.")
    page = log_in(browser, live_server.url, "eddie", **DESK)
    page.goto(f"{live_server.url}/documents/{document.pk}/?claim={claims[0].pk}")
    approve = page.locator("[data-action='approve']")
    assert approve.is_disabled()
    hint = page.get_attribute("[data-action='approve']", "aria-describedby")
    assert page.locator(f"#{hint}").is_visible()

    page.click("#claim-panel .verdict form[hx-post$='/final/'] button")
    page.wait_for_selector("#claim-panel .verdict.final")
    assert page.locator("[data-action='approve']").is_enabled()
    page.click("[data-action='approve']")
    page.wait_for_selector("#claim-panel .status-approved")
    assert page.errors == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_old_claim_link_opens_its_document_with_a_notice(browser, live_server, desk, language):
    project, document, claims = desk
    user_with_role(project, "rita", Role.REVIEWER, language=language)
    gone = claims[1].pk
    claims[1].delete()
    page = log_in(browser, live_server.url, "rita", **PHONE)
    response = page.goto(f"{live_server.url}/documents/{document.pk}/?claim={gone}")
    assert response.status == 200
    assert page.locator(".messages li").is_visible()
    assert in_view(page, ".messages li")
    assert page.locator("#claim-panel").count() == 0
    assert page.locator(f"#claim-{claims[0].pk}").count() == 1
    assert page.errors == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_splitting_and_merging_keep_the_page_and_a_merge_can_be_undone(
    browser, live_server, desk, language
):
    project, document, claims = desk
    user_with_role(project, "rita", Role.REVIEWER, language=language)
    page = log_in(browser, live_server.url, "rita", **DESK)
    page.goto(f"{live_server.url}/documents/{document.pk}/?claim={claims[0].pk}")
    # Marks this page: a reload would lose it.
    page.evaluate("window.samePage = true")

    # A split at the dash: neither part keeps it, and the page stays.
    page.click("#boundary > summary")
    page.fill("#split_at", str(TEXT.index("imports")))
    page.click("form[hx-post$='/split/'] button[type=submit]")
    expect(page.locator("#document-text .claim")).to_have_count(4)
    assert page.evaluate("window.samePage") is True
    first = Claim.objects.get(pk=claims[0].pk)
    assert first.text == "Exports grew by 5% in 2023"
    second = Claim.objects.alive().get(document=document, start=TEXT.index("imports"))
    assert page.inner_text(f"#claim-{second.pk}") == "imports fell by 2% that year."
    assert page.get_attribute("#claim-panel", "data-claim") == str(first.pk)

    # The new claim opens from the new text, without a reload either.
    page.click(f"#claim-{second.pk}")
    page.wait_for_selector(f"#claim-panel[data-claim='{second.pk}']")

    # A merge asks first, names the claim it joins, and can be undone.
    page.click("#boundary > summary")
    assert not page.locator("[data-action='merge']").is_visible()
    page.click("#merge > summary")
    assert "Officials expect more growth." in page.inner_text("#merge")
    page.click("[data-action='merge']")
    expect(page.locator("#document-text .claim")).to_have_count(3)
    merged = Claim.objects.get(pk=second.pk)
    assert merged.text == "imports fell by 2% that year. Officials expect more growth."
    assert in_view(page, "[data-action='unmerge']")
    page.click("[data-action='unmerge']")
    expect(page.locator("#document-text .claim")).to_have_count(4)
    assert Claim.objects.get(pk=second.pk).text == "imports fell by 2% that year."
    assert page.evaluate("window.samePage") is True

    # The last claim of the first paragraph is not merged with the next paragraph's.
    last = Claim.objects.alive().get(document=document, text="Officials expect more growth.")
    page.click(f"#claim-{last.pk}")
    page.wait_for_selector(f"#claim-panel[data-claim='{last.pk}']")
    page.click("#boundary > summary")
    assert page.locator("#merge").count() == 0
    assert page.errors == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_tapped_claim_brings_its_panel_into_view_on_a_phone(
    browser, live_server, transactional_db, language
):
    project = ProjectFactory()
    paragraphs = [f"Paragraph {n}: exports grew by {n}% in 2023." for n in range(1, 40)]
    text = "\n".join(paragraphs)
    document = DocumentFactory(project=project, text=text)
    claims = claims_of(text, document, *paragraphs)
    user_with_role(project, "rita", Role.REVIEWER, language=language)
    for claim in claims[:25]:
        claim.assignee = project.memberships.get().user
        claim.save()
    page = log_in(browser, live_server.url, "rita", **PHONE)
    page.goto(f"{live_server.url}/documents/{document.pk}/")
    assert not overflows(page)
    far = claims[20]
    page.locator(f"#claim-{far.pk}").scroll_into_view_if_needed()
    page.click(f"#claim-{far.pk}")
    page.wait_for_selector(f"#claim-panel[data-claim='{far.pk}']")
    expect(page.locator("#claim-panel")).to_be_in_viewport()
    assert in_view(page, "#claim-panel")
    assert not overflows(page)

    page.goto(f"{live_server.url}/p/{project.slug}/")
    assert not overflows(page)
    page.goto(f"{live_server.url}/queue/")
    assert page.locator("[data-queue-item]").count() == 25
    assert not overflows(page)
    assert page.errors == []


def test_j_moves_at_once_and_the_panel_follows_the_last_claim(browser, live_server, desk):
    project, document, claims = desk
    user_with_role(project, "rita", Role.REVIEWER)
    page = log_in(browser, live_server.url, "rita", **DESK)
    page.goto(f"{live_server.url}/documents/{document.pk}/")
    for _ in range(3):
        page.keyboard.press("j")
    assert "current" in page.get_attribute(f"#claim-{claims[2].pk}", "class")
    page.wait_for_selector(f"#claim-panel[data-claim='{claims[2].pk}']")
    page.keyboard.press("k")
    page.wait_for_selector(f"#claim-panel[data-claim='{claims[1].pk}']")
    assert page.url.endswith(f"?claim={claims[1].pk}")
    page.go_back()
    page.wait_for_selector(f"#claim-panel[data-claim='{claims[2].pk}']")
    assert page.errors == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_claims_kind_is_told_by_more_than_colour(browser, live_server, desk, language):
    project, document, claims = desk
    for claim, kind in zip(claims, ["fact", "opinion", "prediction"], strict=True):
        claim.kind = kind
        claim.save()
    user_with_role(project, "rita", Role.REVIEWER, language=language)
    page = log_in(browser, live_server.url, "rita", **DESK)
    page.goto(f"{live_server.url}/documents/{document.pk}/")

    def style(selector: str, prop: str) -> str:
        return page.evaluate(
            "([s, p]) => getComputedStyle(document.querySelector(s)).getPropertyValue(p)",
            [selector, prop],
        )

    assert style(f"#claim-{claims[1].pk}", "font-style") == "italic"
    assert "dotted" in style(f"#claim-{claims[2].pk}", "text-decoration")
    assert style(f"#claim-{claims[0].pk}", "font-style") == "normal"
    # The legend shows the same marks, with words.
    assert page.locator(".legend .sample.kind-prediction").inner_text().strip()
    # Prediction's colour is a colour, not nearly white: every channel stays under 240.
    background = style(f"#claim-{claims[2].pk}", "background-color")
    channels = [int(c) for c in background.split("(")[1].split(")")[0].split(",")[:3]]
    assert min(channels) < 225, background
    assert page.errors == []


def test_sources_relied_on_leave_out_failed_ones_and_tell_same_titles_apart(
    browser, live_server, desk
):
    project, document, claims = desk
    reviewer = user_with_role(project, "rita", Role.REVIEWER)
    claim = claims[0]
    for url, state in [
        ("https://stats.example.org/trade", FetchState.QUOTE_FOUND),
        ("https://mirror.example.net/trade", FetchState.FETCHED),
        ("https://gone.example.org/trade", FetchState.FAILED),
        ("http://10.0.0.1/trade", FetchState.BLOCKED),
    ]:
        Source.objects.create(
            claim=claim,
            url=url,
            title="Trade report",
            quote="exports grew by 5%",
            fetch_state=state,
            added_by=reviewer,
        )
    page = log_in(browser, live_server.url, "rita", **DESK)
    page.goto(f"{live_server.url}/documents/{document.pk}/?claim={claim.pk}")
    labels = page.locator(".verdict-form label[for^='verdict_sources_']").all_inner_texts()
    assert len(labels) == 2
    assert any("stats.example.org" in label for label in labels)
    assert any("mirror.example.net" in label for label in labels)
    assert len(set(labels)) == 2

    # The same address with the same quote a second time is refused at the address.
    page.click(".add-source > summary")
    page.fill("#source_url", "https://stats.example.org/trade")
    page.fill("#source_quote", "exports grew by 5%")
    page.click(".add-source button[type=submit]")
    page.wait_for_selector(".add-source .field.has-error #source_url")
    assert in_view(page, ".add-source .error[role=alert]")
    assert claim.sources.count() == 4
    assert page.errors == []


def test_comment_addresses_are_links_and_exports_are_named_for_their_document(
    browser, live_server, desk
):
    project, document, claims = desk
    reviewer = user_with_role(project, "rita", Role.REVIEWER)
    Comment.objects.create(
        claim=claims[0], author=reviewer, body="See https://stats.example.org/t?a=1&b=2 first."
    )
    page = log_in(browser, live_server.url, "rita", **DESK)
    page.goto(f"{live_server.url}/documents/{document.pk}/?claim={claims[0].pk}")
    link = page.locator(".comments .body a")
    assert link.get_attribute("href") == "https://stats.example.org/t?a=1&b=2"
    assert "noopener" in link.get_attribute("rel")
    with page.expect_download() as download:
        page.click("a[href$='/export/csv/']")
    name = download.value.suggested_filename
    assert name.startswith("Trade in 2023") and name.endswith(".csv"), name
    assert str(document.pk) in name
    assert page.errors == []


@pytest.mark.redis
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_failed_web_page_is_fetched_again_or_trashed(
    browser, live_server, celery_worker, fetch_server, settings, transactional_db, language
):
    settings.FETCH_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    project = ProjectFactory()
    user_with_role(project, "eddie", Role.EDITOR, language=language)
    url = fetch_server.serve(
        "/later",
        "<html><head><title>Back online</title></head><body><article><h1>Back online</h1>"
        "<p>The ministry said exports grew by 5% in 2023, and imports fell by 2%.</p>"
        "</article></body></html>",
    )
    failed = Document.objects.create(
        project=project,
        title=url,
        origin=Document.Origin.URL,
        source_format=Document.Format.HTML,
        source_url=url,
        status=Document.Status.FAILED,
        status_message="The server answered 404 Not Found.",
    )
    page = log_in(browser, live_server.url, "eddie", **PHONE)
    page.goto(f"{live_server.url}/documents/{failed.pk}/")
    assert page.locator("a[href$='/assign/']").count() == 0
    assert page.locator("a[href*='/export/']").count() == 0
    assert in_view(page, "[data-action='retry-import']")
    page.click("[data-action='retry-import']")
    page.wait_for_selector("#document-text .claim", timeout=30_000)
    failed.refresh_from_db()
    assert failed.status == Document.Status.READY and failed.title == "Back online"

    dead = Document.objects.create(
        project=project,
        title="https://gone.example.org/",
        origin=Document.Origin.URL,
        source_url="https://gone.example.org/",
        status=Document.Status.FAILED,
        status_message="The address could not be found.",
    )
    page.goto(f"{live_server.url}/documents/{dead.pk}/")
    page.click(".failed-import [data-action='trash-document']")
    page.wait_for_url(f"{live_server.url}/p/{project.slug}/")
    assert page.locator(f"a[href='/documents/{dead.pk}/']").count() == 0
    assert page.goto(f"{live_server.url}/documents/{dead.pk}/").status == 404
    page.goto(f"{live_server.url}/p/{project.slug}/trash/")
    page.click(f"#trashed-document-{dead.pk} [data-action='restore-document']")
    page.wait_for_url(f"{live_server.url}/documents/{dead.pk}/")
    assert page.errors == []


def test_an_uploaded_markdown_file_is_titled_by_its_heading(
    browser, live_server, desk, tmp_path: Path
):
    project, _document, _claims = desk
    user_with_role(project, "rita", Role.REVIEWER)
    note = tmp_path / "draft-7.md"
    note.write_text(
        "# Exports in *2023*\n\nThe ministry said exports grew by 5% in 2023.\n", encoding="utf-8"
    )
    page = log_in(browser, live_server.url, "rita", **DESK)
    page.goto(f"{live_server.url}/p/{project.slug}/new/")
    page.set_input_files("#id_upload-file", str(note))
    page.click("form:has(#id_upload-file) button[type=submit]")
    page.wait_for_url(f"{live_server.url}/documents/*/")
    assert page.inner_text("h1") == "Exports in 2023"
    assert Document.objects.get(filename="draft-7.md").title == "Exports in 2023"
    assert page.errors == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_admin_manages_members_on_a_phone(browser, live_server, desk, language):
    project, _document, _claims = desk
    user_with_role(project, "ada", Role.ADMIN, language=language)
    page = log_in(browser, live_server.url, "ada", **PHONE)
    page.goto(f"{live_server.url}/p/{project.slug}/")
    page.click(f"a[href='/p/{project.slug}/settings/']")
    page.wait_for_url(f"{live_server.url}/p/{project.slug}/settings/")
    page.wait_for_load_state()
    assert not overflows(page)
    page.fill("#id_username", "nadia")
    page.select_option("#id_role", "editor")
    page.click("form[action$='/settings/members/'] button[type=submit]")
    page.wait_for_selector(".messages li")
    assert in_view(page, ".messages li")
    membership = project.memberships.get(user__username="nadia")
    assert membership.role == Role.EDITOR
    page.select_option(f"#member-{membership.pk} select", "viewer")
    page.click(f"#role-{membership.pk} button[type=submit]")
    page.wait_for_selector(".messages li")
    membership.refresh_from_db()
    assert membership.role == Role.VIEWER
    assert not overflows(page)
    assert page.errors == []
