"""The trash over the API: each role's reach, other projects not found, purge only from
the trash, and restored work back where it was."""

from __future__ import annotations

import pytest

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
from tests.helpers import assert_error, client_for

pytestmark = pytest.mark.django_db

TEXT = "The ministry said exports grew by 5% in 2023. Imports fell by 2% in the same year."


@pytest.fixture
def document(project):
    return DocumentFactory(project=project, text=TEXT)


@pytest.fixture
def claim(document):
    return ClaimFactory(document=document, start=0, end=45, position=0)


@pytest.fixture
def viewer(member):
    return member(Role.VIEWER)


@pytest.fixture
def admin(member):
    return member(Role.ADMIN)


def give_verdict(claim, reviewer):
    return verdict_submit(claim=claim, actor=reviewer, rating="false", rationale="Checked.")


def listed(user, project) -> dict:
    response = client_for(user).get("/api/v1/trash/", {"project": project.slug})
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body.pop("next").values()) == {None}
    return {kind: [item["id"] for item in items] for kind, items in body.items()}


# --- Claims ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.VIEWER, 403), (Role.REVIEWER, 204), (Role.EDITOR, 204), (Role.ADMIN, 204)],
)
def test_claims_go_to_the_trash_from_reviewer_up(member, claim, role, status):
    response = client_for(member(role)).delete(f"/api/v1/claims/{claim.pk}/")
    assert response.status_code == status, response.content
    claim.refresh_from_db()
    assert (claim.deleted_at is not None) == (status == 204)


def test_a_restored_claim_is_back_in_the_claim_list_and_the_document(reviewer, claim):
    api = client_for(reviewer)
    assert api.delete(f"/api/v1/claims/{claim.pk}/").status_code == 204
    assert listed(reviewer, claim.document.project)["claims"] == [claim.pk]
    assert api.get("/api/v1/claims/", {"document": claim.document_id}).json()["results"] == []

    response = api.post(f"/api/v1/claims/{claim.pk}/restore/")
    assert response.status_code == 200, response.content
    assert response.json()["id"] == claim.pk
    ids = [
        c["id"]
        for c in api.get("/api/v1/claims/", {"document": claim.document_id}).json()["results"]
    ]
    assert ids == [claim.pk]
    assert api.get(f"/api/v1/documents/{claim.document_id}/").json()["claim_count"] == 1
    assert listed(reviewer, claim.document.project)["claims"] == []


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.VIEWER, 403), (Role.REVIEWER, 403), (Role.EDITOR, 403), (Role.ADMIN, 204)],
)
def test_only_admins_purge_a_trashed_claim(member, reviewer, claim, role, status):
    claim_delete(claim=claim, actor=reviewer)
    response = client_for(member(role)).post(f"/api/v1/claims/{claim.pk}/purge/")
    if status == 204:
        assert response.status_code == 204, response.content
    else:
        assert_error(response, status, "permission_denied")
    assert Claim.objects.filter(pk=claim.pk).exists() == (status != 204)


def test_a_claim_not_in_the_trash_is_not_purged(admin, claim):
    body = assert_error(client_for(admin).post(f"/api/v1/claims/{claim.pk}/purge/"), 400, "invalid")
    assert "trash" in body["detail"]
    assert Claim.objects.filter(pk=claim.pk).exists()


def test_claims_of_other_projects_are_not_found(reviewer, outsider, claim):
    foreign = ClaimFactory(document=DocumentFactory(project=ProjectFactory()))
    boss = MembershipFactory(project=foreign.document.project, role=Role.ADMIN).user
    api = client_for(reviewer)
    assert_error(api.delete(f"/api/v1/claims/{foreign.pk}/"), 404, "not_found")
    claim_delete(claim=foreign, actor=boss)
    for action in ("restore", "purge"):
        assert_error(api.post(f"/api/v1/claims/{foreign.pk}/{action}/"), 404, "not_found")
    # Someone outside the project finds neither the claim nor its trash.
    claim_delete(claim=claim, actor=reviewer)
    outside = client_for(outsider)
    assert_error(outside.post(f"/api/v1/claims/{claim.pk}/restore/"), 404, "not_found")
    assert_error(outside.post(f"/api/v1/claims/{claim.pk}/purge/"), 404, "not_found")
    project = claim.document.project
    assert_error(outside.get("/api/v1/trash/", {"project": project.slug}), 404, "not_found")
    assert Claim.objects.filter(pk=foreign.pk).exists()


# --- Verdicts -------------------------------------------------------------------------


def test_a_reviewer_trashes_and_restores_their_own_verdict(reviewer, claim):
    verdict = give_verdict(claim, reviewer)
    api = client_for(reviewer)
    assert api.delete(f"/api/v1/verdicts/{verdict.pk}/").status_code == 204
    assert listed(reviewer, claim.document.project)["verdicts"] == [verdict.pk]
    assert api.get(f"/api/v1/claims/{claim.pk}/verdicts/").json() == []

    response = api.post(f"/api/v1/verdicts/{verdict.pk}/restore/")
    assert response.status_code == 200, response.content
    assert response["ETag"]
    assert response.json()["rating"]["value"] == "false"
    assert [v["id"] for v in api.get(f"/api/v1/claims/{claim.pk}/verdicts/").json()] == [verdict.pk]


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.VIEWER, 403), (Role.REVIEWER, 403), (Role.EDITOR, 200), (Role.ADMIN, 200)],
)
def test_others_restore_a_verdict_from_editor_up(member, reviewer, claim, role, status):
    verdict = give_verdict(claim, reviewer)
    verdict_delete(verdict=verdict, actor=reviewer)
    response = client_for(member(role)).post(f"/api/v1/verdicts/{verdict.pk}/restore/")
    assert response.status_code == status, response.content
    verdict.refresh_from_db()
    assert (verdict.deleted_at is None) == (status == 200)


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.VIEWER, 403), (Role.REVIEWER, 403), (Role.EDITOR, 403), (Role.ADMIN, 204)],
)
def test_only_admins_purge_a_trashed_verdict(member, reviewer, claim, role, status):
    verdict = give_verdict(claim, reviewer)
    verdict_delete(verdict=verdict, actor=reviewer)
    response = client_for(member(role)).post(f"/api/v1/verdicts/{verdict.pk}/purge/")
    assert response.status_code == status, response.content
    assert Verdict.objects.filter(pk=verdict.pk).exists() == (status != 204)


def test_a_verdict_not_in_the_trash_is_not_purged(admin, reviewer, claim):
    verdict = give_verdict(claim, reviewer)
    response = client_for(admin).post(f"/api/v1/verdicts/{verdict.pk}/purge/")
    assert "trash" in assert_error(response, 400, "invalid")["detail"]
    assert Verdict.objects.filter(pk=verdict.pk).exists()


def test_verdicts_of_other_projects_are_not_found(reviewer):
    foreign = ClaimFactory(document=DocumentFactory(project=ProjectFactory()))
    author = MembershipFactory(project=foreign.document.project, role=Role.REVIEWER).user
    verdict = give_verdict(foreign, author)
    api = client_for(reviewer)
    assert_error(api.delete(f"/api/v1/verdicts/{verdict.pk}/"), 404, "not_found")
    verdict_delete(verdict=verdict, actor=author)
    for action in ("restore", "purge"):
        assert_error(api.post(f"/api/v1/verdicts/{verdict.pk}/{action}/"), 404, "not_found")


def test_blind_review_keeps_others_trashed_verdicts_out_of_a_reviewers_trash(
    project, member, reviewer, editor, claim
):
    project.blind_review = True
    project.save()
    other = member(Role.REVIEWER)
    theirs = give_verdict(claim, other)
    verdict_delete(verdict=theirs, actor=other)
    assert listed(reviewer, project)["verdicts"] == []
    assert listed(other, project)["verdicts"] == [theirs.pk]
    assert listed(editor, project)["verdicts"] == [theirs.pk]


# --- Sources --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.VIEWER, 403), (Role.REVIEWER, 204), (Role.EDITOR, 204), (Role.ADMIN, 204)],
)
def test_sources_go_to_the_trash_and_back_from_reviewer_up(member, claim, role, status):
    source = Source.objects.create(claim=claim, url="https://stat.example/exports")
    api = client_for(member(role))
    assert api.post(f"/api/v1/trash/sources/{source.pk}/delete/").status_code == status
    source.refresh_from_db()
    assert (source.deleted_at is not None) == (status == 204)
    if status != 204:
        return
    assert listed(member(Role.VIEWER), claim.document.project)["sources"] == [source.pk]
    response = api.post(f"/api/v1/trash/sources/{source.pk}/restore/")
    assert response.status_code == 200, response.content
    assert response.json()["url"] == "https://stat.example/exports"
    sources = api.get(f"/api/v1/claims/{claim.pk}/sources/").json()
    assert [s["id"] for s in sources] == [source.pk]


def test_only_admins_purge_a_source_and_only_from_the_trash(member, reviewer, admin, claim):
    source = Source.objects.create(claim=claim, url="https://stat.example/exports")
    url = f"/api/v1/trash/sources/{source.pk}/purge/"
    assert "trash" in assert_error(client_for(admin).post(url), 400, "invalid")["detail"]
    source_delete(source=source, actor=reviewer)
    for role in (Role.VIEWER, Role.REVIEWER, Role.EDITOR):
        assert_error(client_for(member(role)).post(url), 403, "permission_denied")
    assert client_for(admin).post(url).status_code == 204
    assert not Source.objects.filter(pk=source.pk).exists()


def test_sources_of_other_projects_are_not_found(reviewer, outsider, claim):
    foreign = ClaimFactory(document=DocumentFactory(project=ProjectFactory()))
    source = Source.objects.create(claim=foreign, url="https://a.example/")
    api = client_for(reviewer)
    for action in ("delete", "restore", "purge"):
        assert_error(api.post(f"/api/v1/trash/sources/{source.pk}/{action}/"), 404, "not_found")
    mine = Source.objects.create(claim=claim, url="https://b.example/")
    source_delete(source=mine, actor=reviewer)
    for action in ("restore", "purge"):
        response = client_for(outsider).post(f"/api/v1/trash/sources/{mine.pk}/{action}/")
        assert_error(response, 404, "not_found")
    assert Source.objects.count() == 2


# --- Comments -------------------------------------------------------------------------


def test_an_author_trashes_and_restores_their_comment(reviewer, claim):
    comment = comment_add(claim=claim, actor=reviewer, body="Which ministry?")
    api = client_for(reviewer)
    assert api.post(f"/api/v1/trash/comments/{comment.pk}/delete/").status_code == 204
    assert api.get(f"/api/v1/claims/{claim.pk}/comments/").json() == []
    assert listed(reviewer, claim.document.project)["comments"] == [comment.pk]
    response = api.post(f"/api/v1/trash/comments/{comment.pk}/restore/")
    assert response.status_code == 200, response.content
    assert response.json()["body"] == "Which ministry?"
    assert [c["id"] for c in api.get(f"/api/v1/claims/{claim.pk}/comments/").json()] == [comment.pk]


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.VIEWER, 403), (Role.REVIEWER, 403), (Role.EDITOR, 204), (Role.ADMIN, 204)],
)
def test_others_trash_a_comment_from_editor_up(member, reviewer, claim, role, status):
    comment = comment_add(claim=claim, actor=reviewer, body="Which ministry?")
    response = client_for(member(role)).post(f"/api/v1/trash/comments/{comment.pk}/delete/")
    assert response.status_code == status, response.content
    comment.refresh_from_db()
    assert (comment.deleted_at is not None) == (status == 204)


def test_only_admins_purge_a_comment_and_only_from_the_trash(member, reviewer, admin, claim):
    comment = comment_add(claim=claim, actor=reviewer, body="Which ministry?")
    url = f"/api/v1/trash/comments/{comment.pk}/purge/"
    assert "trash" in assert_error(client_for(admin).post(url), 400, "invalid")["detail"]
    comment_delete(comment=comment, actor=reviewer)
    for user in (reviewer, member(Role.EDITOR), member(Role.VIEWER)):
        assert_error(client_for(user).post(url), 403, "permission_denied")
    assert client_for(admin).post(url).status_code == 204
    assert not Comment.objects.filter(pk=comment.pk).exists()


def test_comments_of_other_projects_are_not_found(reviewer):
    foreign = ClaimFactory(document=DocumentFactory(project=ProjectFactory()))
    author = MembershipFactory(project=foreign.document.project, role=Role.REVIEWER).user
    comment = comment_add(claim=foreign, actor=author, body="Hm.")
    api = client_for(reviewer)
    assert_error(api.post(f"/api/v1/trash/comments/{comment.pk}/delete/"), 404, "not_found")
    comment_delete(comment=comment, actor=author)
    for action in ("restore", "purge"):
        response = api.post(f"/api/v1/trash/comments/{comment.pk}/{action}/")
        assert_error(response, 404, "not_found")
    assert Comment.objects.filter(pk=comment.pk).exists()


# --- The listing ----------------------------------------------------------------------


def test_the_trash_lists_each_kind_newest_first(member, reviewer, admin, document, claim):
    second = ClaimFactory(document=document, start=46, end=len(TEXT), position=1)
    verdict = give_verdict(claim, reviewer)
    source = Source.objects.create(claim=claim, url="https://stat.example/")
    comment = comment_add(claim=claim, actor=reviewer, body="Hm.")
    verdict_delete(verdict=verdict, actor=reviewer)
    source_delete(source=source, actor=reviewer)
    comment_delete(comment=comment, actor=reviewer)
    claim_delete(claim=second, actor=reviewer)
    for role in (Role.VIEWER, Role.REVIEWER, Role.EDITOR, Role.ADMIN):
        assert listed(member(role), document.project) == {
            "claims": [second.pk],
            "verdicts": [verdict.pk],
            "sources": [source.pk],
            "comments": [comment.pk],
        }
    body = client_for(admin).get("/api/v1/trash/", {"project": document.project.slug}).json()
    assert body["verdicts"][0]["rating"] == "false"
    assert body["claims"][0]["deleted_at"]


def test_the_trash_needs_a_project_it_can_find(reviewer, claim):
    api = client_for(reviewer)
    assert "project" in assert_error(api.get("/api/v1/trash/"), 400, "invalid")["fields"]
    assert_error(api.get("/api/v1/trash/", {"project": "nowhere"}), 404, "not_found")
    other = ProjectFactory()
    assert_error(api.get("/api/v1/trash/", {"project": other.slug}), 404, "not_found")
