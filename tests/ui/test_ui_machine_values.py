"""A Russian page shows words, never the codes the database keeps: statuses, stances,
match methods, history reasons and recorded values are translated; quotation marks
are «»; the language menu names each language in itself."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from annotations.models import (
    ClaimKind,
    ClaimStatus,
    Document,
    FetchState,
    Role,
    Snapshot,
    Source,
    Stance,
)
from annotations.services.claims import claim_move_boundary
from annotations.services.verdicts import claim_set_final_verdict, verdict_submit
from annotations.services.workflow import claim_approve, claim_publish, claim_update
from tests.factories import ClaimFactory, DocumentFactory, MembershipFactory
from tests.ui_helpers import HTMX, login

pytestmark = pytest.mark.django_db

TEXT = "Exports grew by 5% in 2023, the ministry said. Imports fell by 2%."
# Codes that must never reach a reader as they are stored.
MACHINE_VALUES = {
    *ClaimStatus.values,
    *FetchState.values,
    *Stance.values,
    *ClaimKind.values,
    "exact",
    "normalized",
    "fuzzy",
    "final verdict",
    "delete verdict",
}


@pytest.fixture
def reviewed_claim(project, editor):
    """A claim with a source whose quote was found, a moved boundary, a verdict made
    final and an approval: every kind of history line and value."""
    document = DocumentFactory(project=project, text=TEXT, language="en")
    claim = ClaimFactory(document=document, start=0, end=TEXT.index(" the ministry"), position=0)
    claim.reasons, claim.entities = [], []
    claim.save()
    source = Source.objects.create(
        claim=claim,
        url="https://stats.example.org/trade",
        title="Trade report",
        quote="exports grew by 5%",
        stance=Stance.SUPPORTS,
        fetch_state=FetchState.QUOTE_FOUND,
        added_by=editor,
    )
    Snapshot.objects.create(
        source=source,
        fetch_number=1,
        content_type="text/html",
        sha256="0" * 64,
        fetched_at=datetime(2026, 11, 25, 12, 0, tzinfo=UTC),
        final_url=source.url,
        http_status=200,
        text="In 2023 exports grew by 5% as the ministry reported.",
        quote_found=True,
        quote_method="fuzzy",
        quote_score=92.5,
        quote_passage="exports grew by 5%",
        context_before="In 2023 ",
        context_after=" as the ministry reported.",
    )
    claim = claim_move_boundary(claim=claim, actor=editor, end=TEXT.index(","))
    claim = claim_update(
        claim=claim, actor=editor, kind=ClaimKind.PREDICTION, expected_version=claim.version
    )
    verdict = verdict_submit(
        claim=claim, actor=editor, rating="true", rationale="Stats agree.", sources=[source]
    )
    claim.refresh_from_db()
    claim_set_final_verdict(claim=claim, actor=editor, verdict=verdict)
    claim.refresh_from_db()
    claim_approve(claim=claim, actor=editor, expected_version=claim.version)
    claim.refresh_from_db()
    claim_publish(claim=claim, actor=editor, expected_version=claim.version)
    return claim


def visible_text(html: str) -> str:
    """The page's words as a reader gets them: without tags, attributes and scripts."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"<[^>]+>", " ", html)
    return " ".join(html.split())


def test_a_russian_claim_panel_shows_no_machine_value(client, editor, reviewed_claim):
    login(client, editor)
    url = reverse("document_detail", args=[reviewed_claim.document_id])
    response = client.get(url, {"claim": reviewed_claim.pk}, HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 200
    text = visible_text(response.content.decode())
    words = set(re.findall(r"[a-z_]+(?: verdict)?", text))
    leaked = {value for value in MACHINE_VALUES if value in words or f"({value})" in text}
    assert leaked == set(), leaked
    assert "{'" not in text and "score" not in text
    # Times in the history read as dates, not as stored (2026-11-25 12:00:00.123+00:00).
    assert not re.search(r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d", text)
    # The reasons a claim was picked, recorded at its creation, in words.
    assert "past_tense" not in text and "named_entity" not in text
    assert "“" not in text and "”" not in text
    assert "«exports grew by 5%»" in text
    assert "почти дословно (совпадение 92 %)" in text.replace("\xa0", " ")
    assert "Русский" in text and "English" in text
    # The history tells what happened and why, in words.
    assert "статус: одобрено" not in text  # a status is a label, not a reason
    assert "(вынесен вердикт)" in text or "(выбран итоговый вердикт)" in text


def test_history_values_are_labels_in_english_too(client, editor, reviewed_claim):
    login(client, editor)
    response = client.get(
        reverse("claim_panel", args=[reviewed_claim.pk]), HTTP_ACCEPT_LANGUAGE="en", headers=HTMX
    )
    assert response.status_code == 200, response.status_code
    text = visible_text(response.content.decode())
    assert "Prediction" in text and "in_review" not in text
    assert "(final verdict chosen)" in text
    assert "{'" not in text


def test_the_language_menu_names_each_language_in_itself(client, editor):
    login(client, editor)
    for language in ("en", "ru"):
        html = client.get(reverse("project_list"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert '<option value="ru" lang="ru"' in html
        assert ">Русский</option>" in html and ">English</option>" in html


def test_a_markdown_upload_takes_its_heading_as_title(client, project, reviewer):
    login(client, reviewer)
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile(
        "notes-2.md", b"Intro line\n\n## Exports in `2023`\n\nExports grew by 5%.\n"
    )
    response = client.post(
        reverse("document_new", args=[project.slug]),
        {"via": "upload", "upload-file": upload, "upload-title": ""},
    )
    assert response.status_code == 302
    assert Document.objects.get(filename="notes-2.md").title == "Exports in 2023"


def test_document_details_are_corrected_by_an_editor_only(client, project, editor, reviewer):
    document = DocumentFactory(project=project)
    url = reverse("document_edit", args=[document.pk])
    data = {
        "title": "  Trade   in 2023 ",
        "author": "Ministry of Trade",
        "source_url": "https://example.org/trade",
        "published_on": "2023-12-30",
    }
    login(client, reviewer)
    assert client.post(url, data).status_code == 403
    login(client, editor)
    assert client.get(url).status_code == 200
    bad = client.post(url, {**data, "source_url": "ftp://example.org/x"})
    assert bad.status_code == 422
    response = client.post(url, data)
    assert response.status_code == 302
    document.refresh_from_db()
    assert (document.title, document.author, str(document.published_on)) == (
        "Trade in 2023",
        "Ministry of Trade",
        "2023-12-30",
    )


def test_a_trashed_document_leaves_every_list_and_comes_back(client, project, editor, reviewer):
    document = DocumentFactory(project=project, title="Trashed one")
    claim = ClaimFactory(document=document, assignee=reviewer)
    login(client, editor)
    response = client.post(reverse("document_trash", args=[document.pk]))
    assert response.status_code == 302
    assert Document.objects.get(pk=document.pk).deleted_at is not None
    listing = client.get(reverse("document_list", args=[project.slug])).content.decode()
    assert f'href="/documents/{document.pk}/"' not in listing
    assert client.get(reverse("document_detail", args=[document.pk])).status_code == 404
    login(client, reviewer)
    assert claim.text not in client.get(reverse("my_queue")).content.decode()
    trash = client.get(reverse("project_trash", args=[project.slug])).content.decode()
    assert "Trashed one" in trash
    login(client, editor)
    client.post(reverse("document_restore", args=[document.pk]))
    assert Document.objects.get(pk=document.pk).deleted_at is None
    assert client.get(reverse("document_detail", args=[document.pk])).status_code == 200


def test_a_document_with_a_published_claim_stays_out_of_the_trash(client, project, editor):
    document = DocumentFactory(project=project)
    ClaimFactory(document=document, status=ClaimStatus.PUBLISHED)
    login(client, editor)
    client.post(reverse("document_trash", args=[document.pk]))
    assert Document.objects.get(pk=document.pk).deleted_at is None


def test_only_a_failed_web_page_is_fetched_again(client, project, reviewer):
    ready = DocumentFactory(project=project)
    login(client, reviewer)
    client.post(reverse("document_retry", args=[ready.pk]))
    ready.refresh_from_db()
    assert ready.status == Document.Status.READY


def test_an_outsider_cannot_trash_or_restore(client, project, outsider):
    document = DocumentFactory(project=project)
    member = MembershipFactory(project=project, role=Role.VIEWER).user
    login(client, member)
    client.post(reverse("document_trash", args=[document.pk]))
    assert Document.objects.get(pk=document.pk).deleted_at is None
    Document.objects.filter(pk=document.pk).update(deleted_at=timezone.now())
    login(client, outsider)
    assert client.post(reverse("document_restore", args=[document.pk])).status_code == 404
