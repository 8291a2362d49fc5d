"""The trash of a large project is read from the trash's own index, newest first, and
holds only that project's trashed rows, on every database."""

from __future__ import annotations

import pytest
from django.db import connection
from django.utils import timezone

from annotations import selectors
from annotations.models import Comment, Source, Verdict
from tests.factories import ClaimFactory, DocumentFactory, MembershipFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_projects(project, editor):
    """A project and another one, each with live and trashed claims, sources, verdicts
    and comments."""
    other = ProjectFactory()
    MembershipFactory(project=other, user=editor)
    now = timezone.now()
    made = {}
    for owner in (project, other):
        document = DocumentFactory(project=owner)
        trashed = ClaimFactory(document=document, deleted_at=now)
        alive = ClaimFactory(document=document, start=0, end=5, text=document.text[:5])
        Source.objects.create(claim=alive, url="https://example.org/a", deleted_at=now)
        Verdict.objects.create(
            claim=alive,
            reviewer=editor,
            rating=owner.rating_scale.ratings.first(),
            rationale="Checked against the ministry's figures.",
            deleted_at=now,
        )
        Comment.objects.create(claim=alive, author=editor, body="Old note.", deleted_at=now)
        made[owner.pk] = trashed
    return project, other, made


def test_each_project_s_trash_holds_its_own_rows_only(two_projects, editor):
    project, other, trashed = two_projects

    for owner in (project, other):
        trash = selectors.trash_for(editor, owner)
        assert list(trash.claims) == [trashed[owner.pk]]
        for rows in (trash.verdicts, trash.sources, trash.comments):
            assert [row.claim.document.project_id for row in rows] == [owner.pk]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's planner, without statistics")
def test_sqlite_reads_the_trash_from_its_index_not_every_document_of_the_project(
    two_projects, editor
):
    project, _other, _trashed = two_projects
    trash = selectors.trash_for(editor, project)
    expected = {
        "claims": "claim_trash",
        "verdicts": "verdict_trash",
        "sources": "source_trash",
        "comments": "comment_trash",
        "documents": "document_trash",
    }
    for kind, index in expected.items():
        queryset = getattr(trash, kind)[:51]
        sql, params = queryset.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            plan = [row[-1] for row in cursor.fetchall()]
        # The first table read is the trashed one, through its partial index, in the
        # page's order (no sort of everything found).
        assert index in plan[0], (kind, plan)
        assert not any("TEMP B-TREE" in step for step in plan), (kind, plan)
