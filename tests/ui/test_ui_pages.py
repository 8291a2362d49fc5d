"""The reviewer pages render for members, hide other projects and need a login."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from annotations.models import Document, Role
from annotations.services.progress import document_progress_refresh
from tests.factories import ClaimFactory, DocumentFactory, ProjectFactory
from tests.ui_helpers import HTMX, login


@pytest.fixture
def document(project):
    return DocumentFactory(project=project)


@pytest.fixture
def claim(document):
    return ClaimFactory(document=document)


@pytest.fixture
def other_claim(db):
    return ClaimFactory(document=DocumentFactory(project=ProjectFactory()))


def page_urls(project, document, claim) -> dict[str, str]:
    return {
        "projects": reverse("project_list"),
        "queue": reverse("my_queue"),
        "documents": reverse("document_list", args=[project.slug]),
        "new document": reverse("document_new", args=[project.slug]),
        "ratings": reverse("rating_styles", args=[project.slug]),
        "document": reverse("document_detail", args=[document.pk]),
        "document with panel": reverse("document_detail", args=[document.pk])
        + f"?claim={claim.pk}",
        "status": reverse("document_status", args=[document.pk]),
        "assign": reverse("document_assign", args=[document.pk]),
        "sources": reverse("claim_sources", args=[claim.pk]),
    }


@pytest.mark.parametrize("role", [Role.VIEWER, Role.REVIEWER, Role.EDITOR])
def test_every_page_renders_for_members(client, member, project, document, claim, role):
    login(client, member(role))
    for name, url in page_urls(project, document, claim).items():
        response = client.get(url)
        assert response.status_code == 200, name


def test_the_panel_renders_for_htmx(client, reviewer, claim):
    login(client, reviewer)
    response = client.get(reverse("claim_panel", args=[claim.pk]), headers=HTMX)
    assert response.status_code == 200
    assert b'id="claim-panel"' in response.content
    assert b"<html" not in response.content


def test_pasting_a_text_creates_a_document_cut_into_claims(client, reviewer, project):
    login(client, reviewer)
    response = client.post(
        reverse("document_new", args=[project.slug]),
        {
            "via": "paste",
            "paste-title": "Trade",
            "paste-content": "Exports grew by 5% in 2023.\r\nImports fell by 2% in 2022.",
            "paste-source_format": "text",
        },
    )
    document = Document.objects.get(title="Trade")
    assert response.status_code == 302
    assert response["Location"] == reverse("document_detail", args=[document.pk])
    assert "\r" not in document.text
    assert document.claims.count() >= 1


def test_uploading_a_file_creates_a_document(client, reviewer, project):
    login(client, reviewer)
    upload = SimpleUploadedFile("note.md", b"# Note\n\nExports grew by 5% in 2023.")
    response = client.post(
        reverse("document_new", args=[project.slug]), {"via": "upload", "upload-file": upload}
    )
    assert response.status_code == 302
    assert Document.objects.get().filename == "note.md"


def test_a_web_page_is_fetched_in_the_background_while_the_page_polls(
    client, reviewer, project, django_capture_on_commit_callbacks
):
    login(client, reviewer)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(
            reverse("document_new", args=[project.slug]),
            {"via": "url", "url-url": "https://news.example.org/article"},
        )
    assert len(callbacks) == 1  # the fetch is queued once the document is stored
    document = Document.objects.get()
    assert document.status == Document.Status.PENDING
    page = client.get(response["Location"]).content.decode()
    assert 'hx-trigger="every 1s"' in page
    status_url = reverse("document_status", args=[document.pk])
    assert client.get(status_url, headers=HTMX).status_code == 200
    Document.objects.filter(pk=document.pk).update(status=Document.Status.READY)
    finished = client.get(status_url, headers=HTMX)
    assert finished.status_code == 204 and finished["HX-Refresh"] == "true"


def test_an_empty_paste_shows_the_errors(client, reviewer, project):
    login(client, reviewer)
    response = client.post(
        reverse("document_new", args=[project.slug]),
        {"via": "paste", "paste-title": "Empty", "paste-content": "   "},
    )
    assert response.status_code == 422
    assert not Document.objects.exists()


def test_a_viewer_cannot_add_documents(client, member, project):
    login(client, member(Role.VIEWER))
    response = client.post(
        reverse("document_new", args=[project.slug]),
        {
            "via": "paste",
            "paste-title": "T",
            "paste-content": "Exports grew.",
            "paste-source_format": "text",
        },
    )
    assert response.status_code == 403
    assert not Document.objects.exists()


def test_the_rating_colours_come_as_a_style_sheet(client, reviewer, project):
    login(client, reviewer)
    response = client.get(reverse("rating_styles", args=[project.slug]))
    assert response["Content-Type"].startswith("text/css")
    assert "--rating: #cf222e;" in response.content.decode()


def test_the_export_streams_the_document(client, reviewer, claim):
    pytest.importorskip("annotations.exports")
    login(client, reviewer)
    response = client.get(reverse("document_export", args=[claim.document_id, "csv"]))
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Disposition"].startswith("attachment;")
    assert claim.text in b"".join(response.streaming_content).decode()
    missing = client.get(reverse("document_export", args=[claim.document_id, "pdf"]))
    assert missing.status_code == 404


def test_the_document_list_counts_reviewed_check_worthy_claims(client, member, project):
    text = "Exports rose 5% in 2023. Imports fell. I like it. Prices rose 3%."
    document = DocumentFactory(project=project, text=text)
    cuts = [(0, 24, 0.9, "reviewed"), (25, 38, 0.8, "in_review"), (39, 49, 0.1, "reviewed")]
    for position, (start, end, score, status) in enumerate(cuts):
        ClaimFactory(
            document=document,
            position=position,
            start=start,
            end=end,
            checkworthiness=score,
            status=status,
        )
    # A reviewed check-worthy claim in the trash counts for nothing.
    trashed = ClaimFactory(
        document=document, position=3, start=50, end=len(text), status="reviewed"
    )
    trashed.deleted_at = trashed.created_at
    trashed.save()
    # The rows above bypass the services, which keep these counts: recount them.
    document_progress_refresh(document_ids=[document.pk])
    login(client, member(Role.VIEWER))
    response = client.get(reverse("document_list", args=[project.slug]))
    page = response.content.decode()
    assert "1 of 2 reviewed" in page
    assert 'max="2" value="1"' in page
