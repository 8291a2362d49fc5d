"""Articles that change after publication: a watched page fetched again becomes a new
version, and its claims are re-anchored with their sources, verdicts and comments."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import translation

from annotations.models import (
    AnchorState,
    Claim,
    ClaimAnchor,
    Document,
    Verdict,
    VersionSource,
    WatchState,
)
from annotations.services.comments import comment_add
from annotations.services.documents import (
    document_create,
    document_create_from_url,
    document_fetch_url,
)
from annotations.services.errors import ValidationError
from annotations.services.sources import source_attach
from annotations.services.verdicts import verdict_submit
from annotations.services.versions import (
    claim_place,
    document_add_version,
    document_check_for_changes,
    document_set_watched,
)
from annotations.tasks import check_watched_documents
from tests.helpers import wait_for

pytest_plugins = ["tests.fetch_server"]

HEADLINE = "Trade grew again"
FIRST = (
    "The ministry said exports grew by 5.3% in 2023. "
    "Imports fell by 2% over the same year. "
    "The minister promised new subsidies for grain farmers. "
    "Analysts expect growth to continue in 2024."
)
SECOND = "The deficit halved to 1.2% of GDP. Unemployment stayed at 4.1% in December."
V1 = f"{HEADLINE}\n\n{FIRST}\n\n{SECOND}"
INSERTED = (
    "Correction: an earlier version of this article misstated the import figure. "
    "It was updated on 5 March."
)
V2 = (
    f"{HEADLINE}\n\n{INSERTED}\n\n"
    + FIRST.replace("Imports fell by 2% over", "Imports fell by 3.5% over").replace(
        "The minister promised new subsidies for grain farmers. ", ""
    )
    + f"\n\n{SECOND}"
)
REWORDED_OLD = "Imports fell by 2% over the same year."
REWORDED_NEW = "Imports fell by 3.5% over the same year."
REMOVED = "The minister promised new subsidies for grain farmers."
UNCHANGED = [
    "The ministry said exports grew by 5.3% in 2023.",
    "Analysts expect growth to continue in 2024.",
    "The deficit halved to 1.2% of GDP.",
    "Unemployment stayed at 4.1% in December.",
]


def page(text: str) -> str:
    paragraphs = "".join(f"<p>{block}</p>" for block in text.split("\n\n")[1:])
    return (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{HEADLINE}</title>"
        f"</head><body><article><h1>{HEADLINE}</h1>{paragraphs}</article></body></html>"
    )


@pytest.fixture
def local_sources(settings):
    settings.FETCH_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    settings.FETCH_MAX_BACKOFF = 1
    settings.FETCH_READ_TIMEOUT = 2.0
    settings.FETCH_TOTAL_TIMEOUT = 5.0
    return settings


def imported(fetch_server, project, reviewer, text: str) -> Document:
    """A document imported from the local server's page showing ``text``, watched."""
    url = fetch_server.serve("/news/trade", page(text))
    with transaction.atomic():
        document = document_create_from_url(project=project, actor=reviewer, url=url)
    document_fetch_url(document_id=document.pk)
    document_set_watched(document=document, actor=reviewer, watched=True)
    document.refresh_from_db()
    assert document.status == Document.Status.READY, document.status_message
    return document


def claim_with(document: Document, text: str) -> Claim:
    return Claim.objects.get(document=document, text=text)


def review_everything(document: Document, reviewer) -> None:
    """A source, a verdict and a comment on every claim, as a finished check has."""
    for claim in Claim.objects.filter(document=document):
        with transaction.atomic():
            source = source_attach(claim=claim, actor=reviewer, url="https://example.org/data")
        verdict_submit(
            claim=claim, actor=reviewer, rating="true", rationale="Checked", sources=[source]
        )
        comment_add(claim=claim, actor=reviewer, body=f"Note on {claim.pk}")


def assert_on_text(claim: Claim) -> None:
    assert claim.document.text[claim.start : claim.end] == claim.text


def assert_three_edits_handled(old: Document, new: Document, v1: str = V1, v2: str = V2) -> None:
    assert new.previous_version_id == old.pk
    assert new.version_number == 2
    assert new.text == v2
    assert old.text == v1  # the first version is kept as it was
    for text in UNCHANGED:
        claim = claim_with(new, text)
        assert claim.anchor_state == AnchorState.KEPT
        assert_on_text(claim)
        assert claim.start == v2.index(text)
        assert claim.verdicts.count() == claim.sources.count() == claim.comments.count() == 1
        before = ClaimAnchor.objects.get(claim=claim, document=old)
        assert v1[before.start : before.end] == text

    edited = claim_with(new, REWORDED_NEW)
    assert edited.anchor_state == AnchorState.EDITED
    assert edited.text_before_edit == REWORDED_OLD
    assert edited.anchor_confidence >= 0.75
    assert_on_text(edited)
    assert edited.verdicts.get().rationale == "Checked"
    assert edited.sources.count() == edited.comments.count() == 1

    removed = claim_with(old, REMOVED)
    assert removed.anchor_state == AnchorState.REMOVED
    assert_on_text(removed)  # still on the version that has it
    assert removed.verdicts.count() == 1
    assert not Claim.objects.filter(document=new, text__contains="subsidies").exists()
    old_claims = set(Claim.objects.filter(document=old).values_list("text", flat=True))
    assert old_claims == {REMOVED}


@pytest.mark.redis
def test_a_watched_article_edited_three_ways_is_stored_as_a_new_version(
    celery_worker, local_sources, captures_dir, fetch_server, project, reviewer
):
    url = fetch_server.serve("/news/trade", page(V1))
    with transaction.atomic():
        document = document_create_from_url(project=project, actor=reviewer, url=url)
    wait_for(lambda: Document.objects.get(pk=document.pk).status == Document.Status.READY)
    document.refresh_from_db()
    # The page's paragraphs come out of the article's main text one per line.
    v1, v2 = V1.replace("\n\n", "\n"), V2.replace("\n\n", "\n")
    assert document.text == v1
    assert (captures_dir / document.capture.name).is_file()
    review_everything(document, reviewer)
    document_set_watched(document=document, actor=reviewer, watched=True)

    fetch_server.serve("/news/trade", page(V2))
    check_watched_documents.delay()

    new = wait_for(lambda: Document.objects.filter(previous_version=document).first())
    document.refresh_from_db()
    assert document.superseded_at is not None
    assert not document.watched and new.watched
    assert new.version_source == VersionSource.FETCHED
    assert new.watch_state == WatchState.CHANGED
    assert (captures_dir / new.capture.name).is_file()
    assert_three_edits_handled(document, new, v1, v2)


def test_a_reviewer_pasting_a_new_version_gets_the_same_re_anchoring(project, reviewer):
    document = document_create(project=project, actor=reviewer, title="Trade", text=V1)
    review_everything(document, reviewer)

    outcome = document_add_version(document=document, actor=reviewer, text=V2)

    document.refresh_from_db()
    assert outcome.document.version_source == VersionSource.PASTED
    assert outcome.counts == {"kept": 5, "edited": 1, "removed": 1}
    assert_three_edits_handled(document, outcome.document)
    history = outcome.document.claims.get(text=REWORDED_NEW).history.first()
    assert history.history_change_reason == "Re-anchored onto version 2 of the document"
    assert history.history_user == reviewer


def test_a_claim_that_cannot_be_placed_confidently_is_left_for_a_reviewer(project, reviewer):
    document = document_create(project=project, actor=reviewer, title="Trade", text=V1)
    rewritten = V1.replace(REWORDED_OLD, "Purchases from abroad shrank somewhat that year.")
    outcome = document_add_version(document=document, actor=reviewer, text=rewritten)

    left = Claim.objects.get(document=document, text=REWORDED_OLD)
    assert left.anchor_state == AnchorState.UNANCHORED
    assert left.anchor_confidence < 0.75
    assert not outcome.document.claims.filter(text__contains="shrank").exists()

    start = rewritten.index("Purchases")
    placed = claim_place(
        claim=left, actor=reviewer, start=start, end=start + len("Purchases from abroad shrank")
    )
    assert placed.document_id == outcome.document.pk
    assert placed.text == "Purchases from abroad shrank"
    assert placed.anchor_state == AnchorState.EDITED
    assert placed.text_before_edit == REWORDED_OLD
    assert_on_text(placed)
    with pytest.raises(ValidationError):
        claim_place(claim=placed, actor=reviewer, start=0, end=5)


def test_a_new_version_is_refused_when_nothing_changed_or_a_newer_one_exists(
    project, reviewer, outsider
):
    document = document_create(project=project, actor=reviewer, title="Trade", text=V1)
    with pytest.raises(ValidationError):
        document_add_version(document=document, actor=reviewer, text=V1)
    with pytest.raises(PermissionDenied):
        document_add_version(document=document, actor=outsider, text=V2)
    document_add_version(document=document, actor=reviewer, text=V2)
    with pytest.raises(ValidationError):
        document_add_version(document=document, actor=reviewer, text=V2 + " More.")
    assert Document.objects.count() == 2
    assert Verdict.objects.count() == 0


@pytest.mark.parametrize(
    ("break_it", "state", "message"),
    [
        (lambda server, settings: server.routes.pop("/news/trade"), "failed", "404"),
        (
            lambda server, settings: setattr(settings, "FETCH_ALLOWED_NETWORKS", []),
            "blocked",
            "",
        ),
    ],
    ids=["now-404", "refused-address"],
)
def test_a_watched_page_that_fails_keeps_the_current_version_and_says_why(
    db, local_sources, captures_dir, fetch_server, project, reviewer, break_it, state, message
):
    document = imported(fetch_server, project, reviewer, V1)
    captured = {path for path in captures_dir.rglob("*") if path.is_file()}
    break_it(fetch_server, local_sources)

    assert document_check_for_changes(document_id=document.pk) == state

    document.refresh_from_db()
    assert document.watch_state == state
    assert document.watch_message and message in document.watch_message
    assert document.watch_checked_at is not None
    assert document.superseded_at is None and document.watched
    assert Document.objects.count() == 1
    assert Claim.objects.filter(document=document).count() == 7
    assert {path for path in captures_dir.rglob("*") if path.is_file()} == captured


def test_why_a_watched_page_failed_is_said_in_the_readers_language(
    db, client, local_sources, captures_dir, fetch_server, project, reviewer
):
    document = imported(fetch_server, project, reviewer, V1)
    local_sources.FETCH_ALLOWED_NETWORKS = []
    # The watcher runs outside any request, in the default language.
    with translation.override("en"):
        document_check_for_changes(document_id=document.pk)
    client.force_login(reviewer)

    page = client.get(f"/documents/{document.pk}/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()

    said = page.split('class="inline watch-form"')[1].split("</form>")[0]
    assert "Подключение к 127.0.0.1 запрещено" in said
    assert "Refused" not in said
    api = client.get(f"/api/v1/documents/{document.pk}/", HTTP_ACCEPT_LANGUAGE="ru").json()
    assert api["watch_message"].startswith("Подключение к 127.0.0.1 запрещено")


def test_an_unchanged_page_records_the_check_and_stores_nothing(
    db, local_sources, captures_dir, fetch_server, project, reviewer
):
    document = imported(fetch_server, project, reviewer, V1)
    captured = {path for path in captures_dir.rglob("*") if path.is_file()}
    assert len(captured) == 1  # the import's own capture

    assert document_check_for_changes(document_id=document.pk) == WatchState.UNCHANGED
    document.refresh_from_db()
    assert document.watch_state == WatchState.UNCHANGED
    assert Document.objects.count() == 1
    assert {path for path in captures_dir.rglob("*") if path.is_file()} == captured


def test_the_version_view_shows_the_changes_and_the_claims_on_both_versions(
    project, reviewer, client
):
    document = document_create(project=project, actor=reviewer, title="Trade", text=V1)
    new = document_add_version(document=document, actor=reviewer, text=V2).document
    client.force_login(reviewer)

    page_html = client.get(f"/documents/{new.pk}/versions/").content.decode()

    assert re.search(r"<ins>(<br>)*Correction: an earlier version[^<]*</ins>", page_html)
    assert "<del>2</del><ins>3.5</ins>" in page_html
    assert re.search(r"<del>[^<]*The minister promised new subsidies[^<]*</del>", page_html)
    edited = Claim.objects.get(text=REWORDED_NEW)
    removed = Claim.objects.get(text=REMOVED)
    assert f"<ins>{REWORDED_NEW}</ins>" in page_html
    assert "Edited after publication" in page_html
    assert re.search(
        rf"#{removed.pk}</a></td>\s*<td[^>]*>{re.escape(REMOVED)}</td>\s*<td[^>]*>—</td>", page_html
    )
    assert f"?claim={edited.pk}" in page_html

    panel = client.get(f"/claims/{edited.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert "Edited after publication" in panel
    assert f"<del>{REWORDED_OLD}</del>" in panel
    old_page = client.get(f"/documents/{document.pk}/").content.decode()
    assert "this is an earlier version" in old_page
    listed = client.get(f"/p/{project.slug}/").content.decode()
    assert listed.count(f"/documents/{new.pk}/") >= 1
    assert f"/documents/{document.pk}/" not in listed


def test_a_reviewer_pastes_a_new_version_and_places_a_claim_from_the_pages(
    project, reviewer, client
):
    document = document_create(project=project, actor=reviewer, title="Trade", text=V1)
    client.force_login(reviewer)
    rewritten = V1.replace(REWORDED_OLD, "Purchases from abroad shrank somewhat that year.")

    response = client.post(f"/documents/{document.pk}/versions/", {"text": rewritten})

    new = Document.objects.get(previous_version=document)
    assert response.status_code == 302
    assert response["Location"].startswith(f"/documents/{new.pk}/versions/?a={document.pk}")
    left = Claim.objects.get(text=REWORDED_OLD)
    assert left.anchor_state == AnchorState.UNANCHORED
    panel = client.get(f"/claims/{left.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert "Not placed in the new version" in panel
    assert f'action="/claims/{left.pk}/place/"' in panel

    ambiguous = client.post(f"/claims/{left.pk}/place/", {"passage": "in"})
    assert ambiguous.status_code == 302
    assert Claim.objects.get(pk=left.pk).document_id == document.pk
    client.post(f"/claims/{left.pk}/place/", {"passage": "Purchases from abroad shrank"})
    left.refresh_from_db()
    assert left.document_id == new.pk
    assert left.text == "Purchases from abroad shrank"

    again = client.post(f"/documents/{new.pk}/versions/", {"text": rewritten})
    assert again.status_code == 400
    assert "The text is the same as this version" in again.content.decode()


def test_watching_is_switched_from_the_document_page_by_reviewers_only(
    db, local_sources, captures_dir, fetch_server, project, reviewer, member, client
):
    document = imported(fetch_server, project, reviewer, V1)
    document_set_watched(document=document, actor=reviewer, watched=False)
    viewer = member("viewer")
    client.force_login(viewer)
    assert client.post(f"/documents/{document.pk}/watch/", {"watched": "on"}).status_code == 403
    capture = client.get(f"/documents/{document.pk}/capture/")
    assert capture.status_code == 200
    assert capture["Content-Type"] == "application/warc"

    client.force_login(reviewer)
    detail = client.get(f"/documents/{document.pk}/").content.decode()
    assert "Watch the page for changes" in detail
    client.post(f"/documents/{document.pk}/watch/", {"watched": "on"})
    document.refresh_from_db()
    assert document.watched
    assert "Stop watching" in client.get(f"/documents/{document.pk}/").content.decode()

    pasted = document_create(project=project, actor=reviewer, title="Pasted", text=V1)
    client.post(f"/documents/{pasted.pk}/watch/", {"watched": "on"})
    pasted.refresh_from_db()
    assert not pasted.watched


def test_the_version_view_speaks_russian_to_a_russian_reviewer(project, reviewer, client):
    document = document_create(project=project, actor=reviewer, title="Trade", text=V1)
    new = document_add_version(document=document, actor=reviewer, text=V2).document
    client.force_login(reviewer)

    html = client.get(f"/documents/{new.pk}/versions/", HTTP_ACCEPT_LANGUAGE="ru").content
    html = html.decode()

    assert "Изменено после публикации" in html
    assert "Утверждения в обеих версиях" in html
    for english in ("Edited after publication", "Carried to the new version", "Claims in both"):
        assert english not in html


def test_the_api_adds_a_version_lists_versions_and_shows_how_claims_moved(
    project, reviewer, outsider
):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    def api(user) -> APIClient:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
        return client

    document = document_create(project=project, actor=reviewer, title="Trade", text=V1)
    client = api(reviewer)

    added = client.post(f"/api/v1/documents/{document.pk}/versions/", {"text": V2}, format="json")

    assert added.status_code == 201, added.content
    body = added.json()
    assert body["counts"] == {"kept": 5, "edited": 1, "removed": 1}
    new_id = body["document"]["id"]
    assert body["document"]["previous_version"] == document.pk
    assert body["document"]["version_number"] == 2
    listed = client.get(f"/api/v1/documents/{document.pk}/versions/").json()
    assert [(v["id"], v["version_number"]) for v in listed] == [(document.pk, 1), (new_id, 2)]
    assert listed[0]["superseded_at"] is not None
    claims = client.get(f"/api/v1/claims/?document={new_id}").json()["results"]
    edited = next(claim for claim in claims if claim["anchor_state"] == "edited")
    assert (edited["text"], edited["text_before_edit"]) == (REWORDED_NEW, REWORDED_OLD)
    same = client.post(f"/api/v1/documents/{new_id}/versions/", {"text": V2}, format="json")
    assert same.status_code == 400
    assert "same" in same.json()["detail"] or "same" in str(same.json()["fields"])
    hidden = api(outsider).post(
        f"/api/v1/documents/{new_id}/versions/", {"text": V1}, format="json"
    )
    assert hidden.status_code == 404
