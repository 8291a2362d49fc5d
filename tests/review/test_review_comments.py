"""Threaded comments on claims."""

import pytest
from django.http import Http404

from annotations.models import Role
from annotations.selectors import comment_get, comments_for
from annotations.services.comments import comment_add
from annotations.services.errors import PermissionDenied, ValidationError
from annotations.services.trash import comment_delete, comment_purge, comment_restore
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(project):
    return ClaimFactory(document__project=project)


def thread(claim):
    return [
        ("  " * node.depth + ("[deleted]" if node.deleted else node.comment.body))
        for node in comments_for(claim)
    ]


def test_comments_read_as_threads(claim, reviewer, editor):
    first = comment_add(claim=claim, actor=reviewer, body="Where is the 5% from?")
    second = comment_add(claim=claim, actor=editor, body="Check the 2022 base too.")
    answer = comment_add(claim=claim, actor=editor, body="Ministry release.", parent=first)
    comment_add(claim=claim, actor=reviewer, body="Found it, thanks.", parent=answer)
    comment_add(claim=claim, actor=reviewer, body="Base was revised.", parent=second)
    comment_add(claim=claim, actor=reviewer, body="Also the methodology?", parent=first)

    assert thread(claim) == [
        "Where is the 5% from?",
        "  Ministry release.",
        "    Found it, thanks.",
        "  Also the methodology?",
        "Check the 2022 base too.",
        "  Base was revised.",
    ]


def test_a_reply_stays_on_the_same_claim(claim, reviewer, project):
    elsewhere = comment_add(
        claim=ClaimFactory(document__project=project, position=99), actor=reviewer, body="Hi."
    )
    with pytest.raises(ValidationError):
        comment_add(claim=claim, actor=reviewer, body="Reply", parent=elsewhere)


@pytest.mark.parametrize("body", ["", "  \n "])
def test_an_empty_comment_is_refused(claim, reviewer, body):
    with pytest.raises(ValidationError):
        comment_add(claim=claim, actor=reviewer, body=body)


def test_a_deleted_comment_with_replies_stays_as_a_placeholder(claim, reviewer, editor):
    question = comment_add(claim=claim, actor=reviewer, body="Is this right?")
    comment_add(claim=claim, actor=editor, body="Yes.", parent=question)
    lonely = comment_add(claim=claim, actor=reviewer, body="Never mind.")

    comment_delete(comment=question, actor=reviewer)
    comment_delete(comment=lonely, actor=reviewer)
    assert thread(claim) == ["[deleted]", "  Yes."]
    with pytest.raises(Http404):
        comment_get(reviewer, question.pk)

    comment_restore(comment=question, actor=reviewer)
    assert thread(claim) == ["Is this right?", "  Yes."]


def test_comments_are_deleted_by_their_author_or_an_editor(claim, reviewer, editor, member):
    comment = comment_add(claim=claim, actor=reviewer, body="Hmm.")
    with pytest.raises(PermissionDenied):
        comment_delete(comment=comment, actor=member(Role.REVIEWER))
    comment_delete(comment=comment, actor=editor)
    assert thread(claim) == []


def test_only_admins_purge_a_trashed_comment(claim, reviewer, member):
    comment = comment_add(claim=claim, actor=reviewer, body="Hmm.")
    admin = member(Role.ADMIN)
    with pytest.raises(ValidationError):
        comment_purge(comment=comment, actor=admin)
    comment_delete(comment=comment, actor=reviewer)
    with pytest.raises(PermissionDenied):
        comment_purge(comment=comment, actor=reviewer)
    comment_purge(comment=comment, actor=admin)
    assert not claim.comments.exists()


def test_members_read_comments_outsiders_do_not(claim, reviewer, member, outsider):
    comment = comment_add(claim=claim, actor=reviewer, body="Hmm.")
    assert comment_get(member(Role.VIEWER), comment.pk) == comment
    with pytest.raises(Http404):
        comment_get(outsider, comment.pk)
