"""Every change to a claim, its verdicts and its sources is recorded: who, when, what."""

import pytest

from annotations.models import Claim, Membership, Source, Verdict
from annotations.services.history import FieldChange, claim_history
from annotations.services.projects import member_remove, member_set_role
from annotations.services.trash import (
    claim_delete,
    claim_restore,
    source_delete,
    verdict_delete,
    verdict_purge,
)
from annotations.services.verdicts import verdict_submit, verdict_update
from annotations.services.workflow import claim_update, claims_assign
from tests.factories import ClaimFactory, DocumentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(project):
    return ClaimFactory(document__project=project)


def summary(entries):
    return [(e.model, e.action, e.who.username if e.who else None) for e in entries]


def test_a_claims_history_merges_its_verdicts_and_sources_in_order(claim, reviewer, editor):
    source = Source.objects.create(claim=claim, url="https://stat.example/exports")
    claims_assign(claims=[claim], actor=editor, assignee=reviewer)
    verdict = verdict_submit(
        claim=claim, actor=reviewer, rating="false", rationale="No.", sources=[source]
    )
    verdict_update(verdict=verdict, actor=reviewer, expected_version=1, rating="mostly_false")
    source_delete(source=source, actor=reviewer)

    entries = claim_history(claim)
    assert summary(entries) == [
        ("claim", "created", None),
        ("source", "created", None),
        ("claim", "changed", editor.username),
        ("verdict", "created", reviewer.username),
        ("claim", "changed", reviewer.username),
        ("verdict", "changed", reviewer.username),
        ("source", "deleted", reviewer.username),
    ]
    assign, created, reviewed, updated = entries[2], entries[3], entries[4], entries[5]
    assert assign.reason == "assign"
    assert assign.changes == [
        FieldChange("assignee", None, reviewer),
        FieldChange("status", "unreviewed", "in_review"),
    ]
    created_fields = {change.field: change.new for change in created.changes}
    assert created_fields["rationale"] == "No."
    assert created_fields["rating"].value == "false"
    assert created_fields["sources"] == [source]
    assert reviewed.changes == [FieldChange("status", "in_review", "reviewed")]
    assert [(c.field, c.old.value, c.new.value) for c in updated.changes] == [
        ("rating", "false", "mostly_false")
    ]


def test_a_change_of_sources_shows_which_were_added_and_removed(claim, reviewer):
    first = Source.objects.create(claim=claim, url="https://a.example/")
    second = Source.objects.create(claim=claim, url="https://b.example/")
    verdict = verdict_submit(
        claim=claim, actor=reviewer, rating="false", rationale="No.", sources=[first]
    )
    verdict_update(verdict=verdict, actor=reviewer, expected_version=1, sources=[second])
    last = claim_history(claim)[-1]
    assert (last.model, last.changes) == ("verdict", [FieldChange("sources", [first], [second])])
    # One record per change, sources included: the m2m signal adds none of its own.
    assert verdict.history.count() == 2


def test_trash_and_restore_are_recorded_as_such(claim, reviewer):
    claim_delete(claim=claim, actor=reviewer)
    claim_restore(claim=claim, actor=reviewer)
    assert summary(claim_history(claim))[-2:] == [
        ("claim", "deleted", reviewer.username),
        ("claim", "restored", reviewer.username),
    ]


def test_bulk_assignment_records_each_claim_with_its_actor(project, editor, reviewer):
    document = DocumentFactory(project=project, text="One claim. Another claim.")
    claims = [
        ClaimFactory(document=document, position=0, start=0, end=10),
        ClaimFactory(document=document, position=1, start=11, end=25),
    ]
    claims_assign(claims=claims, actor=editor, assignee=reviewer)
    for claim in claims:
        latest = Claim.history.filter(id=claim.pk).latest()
        assert (latest.history_user, latest.assignee, latest.version) == (editor, reviewer, 2)


def test_version_bookkeeping_is_not_shown_as_a_change(claim, reviewer):
    claim_update(claim=claim, actor=reviewer, expected_version=1, kind="opinion")
    last = claim_history(claim)[-1]
    assert last.changes == [FieldChange("kind", "fact", "opinion")]
    assert Claim.history.filter(id=claim.pk).latest().version == 2


def test_history_outlives_a_purged_verdict(claim, reviewer, member):
    verdict = verdict_submit(claim=claim, actor=reviewer, rating="false", rationale="No.")
    verdict_delete(verdict=verdict, actor=reviewer)
    verdict_purge(verdict=verdict, actor=member("admin"))
    assert not Verdict.objects.exists()
    verdict_entries = [e.action for e in claim_history(claim) if e.model == "verdict"]
    assert verdict_entries == ["created", "deleted", "purged"]


def test_membership_changes_are_recorded_with_who_made_them(project, member):
    admin = member("admin")
    newcomer = UserFactory()
    member_set_role(project=project, actor=admin, username=newcomer.username, role="reviewer")
    member_set_role(project=project, actor=admin, username=newcomer.username, role="editor")
    member_remove(project=project, actor=admin, username=newcomer.username)
    records = Membership.history.filter(user_id=newcomer.pk).order_by("history_date")
    assert [(r.history_type, r.role, r.history_user) for r in records] == [
        ("+", "reviewer", admin),
        ("~", "editor", admin),
        ("-", "editor", admin),
    ]
