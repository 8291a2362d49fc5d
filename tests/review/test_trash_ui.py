"""The trash in the reviewer pages: moving work there from the claim panel, the project's
trash page, restoring from it, and deleting for good after a confirmation page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from annotations.models import Claim, Comment, Role, Source, Verdict
from annotations.services.comments import comment_add
from annotations.services.trash import (
    claim_delete,
    comment_delete,
    source_delete,
    verdict_delete,
)
from annotations.services.verdicts import verdict_submit
from tests.factories import ClaimFactory, DocumentFactory, MembershipFactory, ProjectFactory
from tests.ui_helpers import HTMX, login

pytestmark = pytest.mark.django_db

TEXT = "The ministry said exports grew by 5% in 2023. Imports fell by 2% in the same year."
SCRIPT = "<script>alert(1)</script>"


@pytest.fixture
def document(project):
    return DocumentFactory(project=project, text=TEXT)


@pytest.fixture
def claim(document):
    return ClaimFactory(document=document, start=0, end=45, position=0)


@pytest.fixture
def admin(member):
    return member(Role.ADMIN)


def page(client, url, **kwargs) -> str:
    response = client.get(url, **kwargs)
    assert response.status_code == 200, response.content[:500]
    return response.content.decode()


def trash_page(client, project) -> str:
    return page(client, reverse("project_trash", args=[project.slug]))


def document_page(client, claim) -> str:
    return page(client, reverse("document_detail", args=[claim.document_id]))


# --- Claims ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "shown"),
    [(Role.VIEWER, False), (Role.REVIEWER, True), (Role.EDITOR, True), (Role.ADMIN, True)],
)
def test_the_panel_offers_to_trash_the_claim_from_reviewer_up(client, member, claim, role, shown):
    login(client, member(role))
    panel = page(client, reverse("claim_panel", args=[claim.pk]), headers=HTMX)
    assert (reverse("claim_trash", args=[claim.pk]) in panel) == shown


def test_a_claim_goes_to_the_trash_and_comes_back_into_the_document(
    client, reviewer, claim, document
):
    login(client, reviewer)
    response = client.post(
        reverse("claim_trash", args=[claim.pk]), {"version": claim.version}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("document_detail", args=[document.pk])
    assert "in the project&#x27;s trash" in response.content.decode()
    assert f'id="claim-{claim.pk}"' not in document_page(client, claim)
    trash = trash_page(client, document.project)
    assert f'id="trashed-claim-{claim.pk}"' in trash
    assert reverse("claim_restore", args=[claim.pk]) in trash
    # Reviewers restore; only admins are offered to delete for good.
    assert reverse("claim_purge", args=[claim.pk]) not in trash

    response = client.post(reverse("claim_restore", args=[claim.pk]), follow=True)
    assert "The claim is restored." in response.content.decode()
    assert f'id="trashed-claim-{claim.pk}"' not in response.content.decode()
    assert f'id="claim-{claim.pk}"' in document_page(client, claim)
    assert list(Claim.objects.alive()) == [claim]


def test_a_viewer_cannot_trash_or_restore_a_claim(client, member, reviewer, claim):
    viewer = member(Role.VIEWER)
    login(client, viewer)
    response = client.post(reverse("claim_trash", args=[claim.pk]), {"version": claim.version})
    assert response.status_code == 403
    assert Claim.objects.get(pk=claim.pk).deleted_at is None
    claim_delete(claim=claim, actor=reviewer)
    trash = trash_page(client, claim.document.project)
    assert f'id="trashed-claim-{claim.pk}"' in trash
    assert reverse("claim_restore", args=[claim.pk]) not in trash
    response = client.post(reverse("claim_restore", args=[claim.pk]), follow=True)
    assert response.status_code == 200
    assert Claim.objects.get(pk=claim.pk).deleted_at is not None


def test_an_approved_claim_is_not_offered_for_the_trash(client, editor, claim):
    Claim.objects.filter(pk=claim.pk).update(status="approved")
    login(client, editor)
    panel = page(client, reverse("claim_panel", args=[claim.pk]), headers=HTMX)
    assert reverse("claim_trash", args=[claim.pk]) not in panel
    response = client.post(reverse("claim_trash", args=[claim.pk]), {"version": claim.version})
    assert response.status_code == 422
    assert Claim.objects.get(pk=claim.pk).deleted_at is None


def test_a_stale_claim_is_not_trashed(client, reviewer, claim):
    login(client, reviewer)
    response = client.post(reverse("claim_trash", args=[claim.pk]), {"version": 99})
    assert response.status_code == 409
    assert Claim.objects.get(pk=claim.pk).deleted_at is None


@pytest.mark.parametrize(
    ("role", "allowed"),
    [(Role.VIEWER, False), (Role.REVIEWER, False), (Role.EDITOR, False), (Role.ADMIN, True)],
)
def test_only_admins_delete_a_claim_for_good_after_confirming(
    client, member, reviewer, claim, role, allowed
):
    claim_delete(claim=claim, actor=reviewer)
    login(client, member(role))
    purge = reverse("claim_purge", args=[claim.pk])
    assert (purge in trash_page(client, claim.document.project)) == allowed
    confirm = client.get(purge)
    assert confirm.status_code == (200 if allowed else 403)
    if allowed:
        body = confirm.content.decode()
        assert f'action="{purge}"' in body and "csrfmiddlewaretoken" in body
        assert "with its verdicts, sources and comments" in body
    response = client.post(purge, follow=True)
    assert Claim.objects.filter(pk=claim.pk).exists() != allowed
    message = "Deleted for good." if allowed else "role in the project"
    assert message in response.content.decode()


def test_a_claim_in_use_is_not_deleted_for_good(client, admin, claim):
    login(client, admin)
    purge = reverse("claim_purge", args=[claim.pk])
    assert client.get(purge).status_code == 404
    response = client.post(purge, follow=True)
    assert "move it to the trash first" in response.content.decode()
    assert Claim.objects.filter(pk=claim.pk).exists()


def test_another_projects_trash_is_not_found(client, reviewer, outsider, claim):
    foreign = ClaimFactory(document=DocumentFactory(project=ProjectFactory()))
    boss = MembershipFactory(project=foreign.document.project, role=Role.ADMIN).user
    claim_delete(claim=foreign, actor=boss)
    login(client, reviewer)
    project = foreign.document.project
    assert client.get(reverse("project_trash", args=[project.slug])).status_code == 404
    for name in ("claim_restore", "claim_purge"):
        assert client.post(reverse(name, args=[foreign.pk])).status_code == 404
    assert client.get(reverse("claim_purge", args=[foreign.pk])).status_code == 404
    claim_delete(claim=claim, actor=reviewer)
    login(client, outsider)
    mine = claim.document.project
    assert client.get(reverse("project_trash", args=[mine.slug])).status_code == 404
    assert client.post(reverse("claim_restore", args=[claim.pk])).status_code == 404
    assert Claim.objects.filter(deleted_at__isnull=False).count() == 2


# --- Verdicts -------------------------------------------------------------------------


def test_a_reviewer_trashes_their_own_verdict_from_the_panel_and_restores_it(
    client, reviewer, claim
):
    verdict = verdict_submit(claim=claim, actor=reviewer, rating="false", rationale="Checked.")
    login(client, reviewer)
    url = reverse("verdict_trash", args=[verdict.pk])
    assert url in page(client, reverse("claim_panel", args=[claim.pk]), headers=HTMX)
    response = client.post(url, headers=HTMX)
    assert response.status_code == 200
    panel = response.content.decode()
    assert "The verdict is in the project" in panel
    assert url not in panel
    assert Verdict.objects.get(pk=verdict.pk).deleted_at is not None

    trash = trash_page(client, claim.document.project)
    assert f'id="trashed-verdict-{verdict.pk}"' in trash
    # The message was shown in the panel, not again on the next page.
    assert "The verdict is in the project" not in trash
    client.post(reverse("verdict_restore", args=[verdict.pk]))
    assert Verdict.objects.get(pk=verdict.pk).deleted_at is None
    assert url in page(client, reverse("claim_panel", args=[claim.pk]), headers=HTMX)


def test_another_reviewer_neither_trashes_nor_restores_a_verdict(client, member, reviewer, claim):
    verdict = verdict_submit(claim=claim, actor=reviewer, rating="false", rationale="Checked.")
    other = member(Role.REVIEWER)
    login(client, other)
    response = client.post(reverse("verdict_trash", args=[verdict.pk]), headers=HTMX)
    assert response.status_code == 403
    verdict_delete(verdict=verdict, actor=reviewer)
    assert reverse("verdict_restore", args=[verdict.pk]) not in trash_page(
        client, claim.document.project
    )
    client.post(reverse("verdict_restore", args=[verdict.pk]))
    assert Verdict.objects.get(pk=verdict.pk).deleted_at is not None


def test_an_editor_trashes_others_verdicts_and_an_admin_purges_them(
    client, editor, admin, reviewer, claim
):
    verdict = verdict_submit(claim=claim, actor=reviewer, rating="false", rationale="Checked.")
    login(client, editor)
    url = reverse("verdict_trash", args=[verdict.pk])
    assert url in page(client, reverse("claim_panel", args=[claim.pk]), headers=HTMX)
    assert client.post(url).status_code == 302
    assert client.get(reverse("verdict_purge", args=[verdict.pk])).status_code == 403
    login(client, admin)
    client.post(reverse("verdict_purge", args=[verdict.pk]))
    assert not Verdict.objects.filter(pk=verdict.pk).exists()


# --- Sources and comments -------------------------------------------------------------


def test_a_source_goes_to_the_trash_and_back(client, member, reviewer, admin, claim):
    source = Source.objects.create(claim=claim, url="https://stat.example/exports")
    viewer = member(Role.VIEWER)
    login(client, viewer)
    url = reverse("source_trash", args=[source.pk])
    assert url not in page(client, reverse("claim_panel", args=[claim.pk]), headers=HTMX)
    assert client.post(url, headers=HTMX).status_code == 403

    login(client, reviewer)
    assert url in page(client, reverse("claim_panel", args=[claim.pk]), headers=HTMX)
    panel = client.post(url, headers=HTMX).content.decode()
    assert f'id="source-{source.pk}"' not in panel
    assert "stat.example/exports" in trash_page(client, claim.document.project)
    client.post(reverse("source_restore", args=[source.pk]))
    panel = page(client, reverse("claim_panel", args=[claim.pk]), headers=HTMX)
    assert f'id="source-{source.pk}"' in panel

    source_delete(source=source, actor=reviewer)
    login(client, admin)
    client.post(reverse("source_purge", args=[source.pk]))
    assert not Source.objects.exists()


def test_an_author_trashes_their_comment_and_others_cannot(client, member, reviewer, claim):
    comment = comment_add(claim=claim, actor=reviewer, body="Which ministry?")
    url = reverse("comment_trash", args=[comment.pk])
    login(client, member(Role.REVIEWER))
    assert url not in page(client, reverse("claim_panel", args=[claim.pk]), headers=HTMX)
    assert client.post(url, headers=HTMX).status_code == 403

    login(client, reviewer)
    assert url in page(client, reverse("claim_panel", args=[claim.pk]), headers=HTMX)
    panel = client.post(url, headers=HTMX).content.decode()
    assert "Which ministry?" not in panel
    assert "The comment is in the project" in panel
    client.post(reverse("comment_restore", args=[comment.pk]))
    panel = page(client, reverse("claim_panel", args=[claim.pk]), headers=HTMX)
    assert "Which ministry?" in panel


def test_an_admin_deletes_a_comment_for_good_only_from_the_trash(client, reviewer, admin, claim):
    comment = comment_add(claim=claim, actor=reviewer, body="Which ministry?")
    login(client, admin)
    purge = reverse("comment_purge", args=[comment.pk])
    client.post(purge)
    assert Comment.objects.filter(pk=comment.pk).exists()
    comment_delete(comment=comment, actor=reviewer)
    assert "with the replies under it" in page(client, purge)
    client.post(purge)
    assert not Comment.objects.filter(pk=comment.pk).exists()


# --- The page -------------------------------------------------------------------------


def test_the_document_list_links_to_the_trash(client, member, project):
    login(client, member(Role.VIEWER))
    listing = page(client, reverse("document_list", args=[project.slug]))
    assert reverse("project_trash", args=[project.slug]) in listing
    assert "The trash is empty." in trash_page(client, project)


def test_the_trash_page_escapes_markup_and_has_no_inline_scripts(client, reviewer, admin, document):
    text = f"Officials said {SCRIPT} exports grew. Next one."
    document = DocumentFactory(project=document.project, text=text)
    claim = ClaimFactory(document=document, start=0, end=text.index(".") + 1)
    other = ClaimFactory(document=document, start=text.index(".") + 2, end=len(text), position=1)
    source = Source.objects.create(claim=other, url="https://a.example/", title=SCRIPT)
    comment = comment_add(claim=other, actor=reviewer, body=SCRIPT)
    verdict = verdict_submit(claim=other, actor=reviewer, rating="false", rationale=SCRIPT)
    for change in (
        lambda: claim_delete(claim=claim, actor=reviewer),
        lambda: source_delete(source=source, actor=reviewer),
        lambda: comment_delete(comment=comment, actor=reviewer),
        lambda: verdict_delete(verdict=verdict, actor=reviewer),
    ):
        change()
    login(client, admin)
    pages = [
        trash_page(client, document.project),
        page(client, reverse("claim_purge", args=[claim.pk])),
        page(client, reverse("comment_purge", args=[comment.pk])),
    ]
    for body in pages:
        assert SCRIPT not in body
        assert "&lt;script&gt;" in body
        assert "onclick=" not in body and "style=" not in body
        for chunk in body.split("<script")[1:]:
            assert chunk.lstrip().startswith("src="), chunk[:80]
