"""The reviewer pages render for members, hide other projects and need a login."""

from __future__ import annotations

import pytest
from django.urls import reverse

from annotations.models import Role
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
