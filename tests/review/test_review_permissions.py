"""Who may do what in a project, and that nobody reads another newsroom's work."""

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import AbstractBaseUser
from django.http import Http404

from annotations.models import ROLE_RANK, Claim, Project, Role, Source, Verdict
from annotations.selectors import (
    claim_get,
    comment_get,
    queue_for,
    source_get,
    trash_for,
    trash_item_get,
    verdict_get,
    verdicts_visible_to,
)
from annotations.services.comments import comment_add
from annotations.services.errors import PermissionDenied
from annotations.services.scales import scale_update
from annotations.services.trash import (
    claim_delete,
    claim_purge,
    claim_restore,
    source_delete,
    source_purge,
    verdict_delete,
)
from annotations.services.verdicts import claim_set_final_verdict, verdict_submit
from annotations.services.workflow import (
    claim_approve,
    claim_publish,
    claim_reopen,
    claim_update,
    claims_assign,
)
from tests.factories import ClaimFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@dataclass
class Scene:
    """A reviewed claim with a source, as every action in the matrix finds it."""

    project: Project
    claim: Claim
    author: AbstractBaseUser
    verdict: Verdict
    source: Source
    editor: AbstractBaseUser
    admin: AbstractBaseUser


@pytest.fixture
def scene(project, member):
    claim = ClaimFactory(document__project=project)
    author, editor, admin = member(Role.REVIEWER), member(Role.EDITOR), member(Role.ADMIN)
    source = Source.objects.create(claim=claim, url="https://stat.example/exports")
    verdict = verdict_submit(claim=claim, actor=author, rating="false", rationale="No.")
    claim.refresh_from_db()
    return Scene(project, claim, author, verdict, source, editor, admin)


def final(scene):
    claim_set_final_verdict(claim=scene.claim, actor=scene.editor, verdict=scene.verdict)


def approved(scene):
    final(scene)
    claim_approve(claim=scene.claim, actor=scene.editor)


def trashed(scene):
    claim_delete(claim=scene.claim, actor=scene.editor)


def source_trashed(scene):
    source_delete(source=scene.source, actor=scene.editor)


# action: (least role, preparation, the call)
ACTIONS = {
    "comment": (
        Role.REVIEWER,
        None,
        lambda s, actor: comment_add(claim=s.claim, actor=actor, body="Source?"),
    ),
    "give a verdict": (
        Role.REVIEWER,
        None,
        lambda s, actor: verdict_submit(claim=s.claim, actor=actor, rating="true", rationale="Yes"),
    ),
    "correct a claim's kind": (
        Role.REVIEWER,
        None,
        lambda s, actor: claim_update(
            claim=s.claim, actor=actor, expected_version=s.claim.version, kind="opinion"
        ),
    ),
    "trash a claim": (
        Role.REVIEWER,
        None,
        lambda s, actor: claim_delete(claim=s.claim, actor=actor),
    ),
    "restore a claim": (
        Role.REVIEWER,
        trashed,
        lambda s, actor: claim_restore(claim=s.claim, actor=actor),
    ),
    "trash a source": (
        Role.REVIEWER,
        None,
        lambda s, actor: source_delete(source=s.source, actor=actor),
    ),
    "assign claims": (
        Role.EDITOR,
        None,
        lambda s, actor: claims_assign(claims=[s.claim], actor=actor, assignee=s.author),
    ),
    "set the final verdict": (Role.EDITOR, None, lambda s, actor: final_by(s, actor)),
    "approve": (Role.EDITOR, final, lambda s, actor: claim_approve(claim=s.claim, actor=actor)),
    "publish": (Role.EDITOR, approved, lambda s, actor: claim_publish(claim=s.claim, actor=actor)),
    "reopen": (Role.EDITOR, None, lambda s, actor: claim_reopen(claim=s.claim, actor=actor)),
    "edit the rating scale": (
        Role.EDITOR,
        None,
        lambda s, actor: scale_update(
            project=s.project, actor=actor, ratings=[{"value": "ok", "label": "OK"}]
        ),
    ),
    "trash someone else's verdict": (
        Role.EDITOR,
        None,
        lambda s, actor: verdict_delete(verdict=s.verdict, actor=actor),
    ),
    "purge a trashed claim": (
        Role.ADMIN,
        trashed,
        lambda s, actor: claim_purge(claim=s.claim, actor=actor),
    ),
    "purge a trashed source": (
        Role.ADMIN,
        source_trashed,
        lambda s, actor: source_purge(source=s.source, actor=actor),
    ),
}


def final_by(scene, actor):
    return claim_set_final_verdict(claim=scene.claim, actor=actor, verdict=scene.verdict)


@pytest.mark.parametrize("role", [None, Role.VIEWER, Role.REVIEWER, Role.EDITOR, Role.ADMIN])
@pytest.mark.parametrize("action", ACTIONS)
def test_each_action_needs_its_role(scene, member, outsider, action, role):
    least, prepare, call = ACTIONS[action]
    if prepare:
        prepare(scene)
    scene.claim.refresh_from_db()
    actor = member(role) if role else outsider
    if role is not None and ROLE_RANK[role] >= ROLE_RANK[least]:
        call(scene, actor)
    else:
        with pytest.raises(PermissionDenied):
            call(scene, actor)


# --- Another newsroom's work ----------------------------------------------------------


@pytest.fixture
def theirs(scene):
    """Everything in ``scene``'s project, and a reviewer of another project."""
    comment = comment_add(claim=scene.claim, actor=scene.author, body="Source?")
    stranger = MembershipFactory(role=Role.ADMIN).user
    return scene, comment, stranger


@pytest.mark.parametrize(
    "read",
    [
        lambda user, s, comment: claim_get(user, s.claim.pk),
        lambda user, s, comment: verdict_get(user, s.verdict.pk),
        lambda user, s, comment: source_get(user, s.source.pk),
        lambda user, s, comment: comment_get(user, comment.pk),
    ],
    ids=["claim", "verdict", "source", "comment"],
)
def test_an_id_from_another_project_is_not_found(theirs, read):
    scene, comment, stranger = theirs
    with pytest.raises(Http404):
        read(stranger, scene, comment)
    # A member of the project finds it.
    assert read(scene.author, scene, comment).pk


def test_another_projects_trash_is_not_found(theirs):
    scene, _comment, stranger = theirs
    claim_delete(claim=scene.claim, actor=scene.author)
    with pytest.raises(Http404):
        trash_item_get(stranger, Claim, scene.claim.pk)
    assert not trash_for(stranger, scene.project).claims.exists()


def test_lists_hold_nothing_from_another_project(theirs):
    scene, _comment, stranger = theirs
    claims_assign(claims=[scene.claim], actor=scene.editor, assignee=scene.author)
    assert not verdicts_visible_to(stranger, scene.claim).exists()
    assert not queue_for(stranger).exists()


@pytest.mark.parametrize("pk", ["abc", None, 10**12])
def test_nonsense_ids_are_not_found(theirs, pk):
    scene, _comment, _stranger = theirs
    for read in (claim_get, verdict_get, source_get, comment_get):
        with pytest.raises(Http404):
            read(scene.author, pk)
