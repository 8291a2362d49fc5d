"""The reviewer pages' forms call the services and show what they refuse."""

from __future__ import annotations

import pytest
from django.urls import reverse

from annotations.models import Claim, ClaimStatus, Comment, Role, Source, Verdict
from annotations.services.verdicts import claim_set_final_verdict, verdict_submit
from annotations.services.workflow import claim_update
from tests.factories import ClaimFactory, DocumentFactory, UserFactory
from tests.ui_helpers import HTMX, login

TEXT = "The ministry said exports grew by 5% in 2023. Imports fell by 2% in the same year."


@pytest.fixture
def document(project):
    return DocumentFactory(project=project, text=TEXT)


@pytest.fixture
def claim(document):
    return ClaimFactory(document=document, start=0, end=45, position=0)


@pytest.fixture
def second(document):
    return ClaimFactory(document=document, start=46, end=len(TEXT), position=1)


@pytest.fixture
def as_reviewer(client, reviewer):
    login(client, reviewer)
    return client


def test_splitting_at_an_offset_makes_two_claims(as_reviewer, claim):
    response = as_reviewer.post(
        reverse("claim_split", args=[claim.pk]), {"at": 18, "version": claim.version}
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"?claim={claim.pk}#claim-{claim.pk}")
    texts = list(Claim.objects.alive().order_by("start").values_list("text", flat=True))
    assert texts == ["The ministry said", "exports grew by 5% in 2023."]


def test_merging_joins_the_claim_with_the_next(as_reviewer, claim, second):
    response = as_reviewer.post(reverse("claim_merge", args=[claim.pk]), {"version": 1})
    assert response.status_code == 302
    assert list(Claim.objects.alive().values_list("text", flat=True)) == [TEXT]


def test_moving_the_boundaries_makes_the_selection_the_claim(as_reviewer, claim):
    response = as_reviewer.post(
        reverse("claim_boundary", args=[claim.pk]),
        {"start": 18, "end": 45, "text": TEXT[18:45], "version": 1},
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert (claim.start, claim.end, claim.text) == (18, 45, "exports grew by 5% in 2023.")


def test_a_selection_that_does_not_match_the_text_changes_nothing(as_reviewer, claim):
    response = as_reviewer.post(
        reverse("claim_boundary", args=[claim.pk]),
        {"start": 18, "end": 45, "text": "something else", "version": 1},
    )
    assert response.status_code == 422
    assert b"does not match" in response.content
    claim.refresh_from_db()
    assert (claim.start, claim.end) == (0, 45)


def test_offsets_are_code_points_so_an_emoji_counts_as_one(as_reviewer, project):
    text = "Fans 🎉🎉 cheered. Exports grew by 5% in 2023."
    document = DocumentFactory(project=project, text=text)
    claim = ClaimFactory(document=document, start=0, end=len(text), position=0)
    start = text.index("Exports")  # 17 code points; 19 UTF-16 units in a browser
    assert start == 17
    response = as_reviewer.post(
        reverse("claim_boundary", args=[claim.pk]),
        {"start": start, "end": len(text), "text": text[start:], "version": 1},
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.text == "Exports grew by 5% in 2023."


def test_a_refused_split_is_shown_and_changes_nothing(as_reviewer, claim):
    response = as_reviewer.post(
        reverse("claim_split", args=[claim.pk]), {"at": 0, "version": 1}, follow=True
    )
    assert b"Split inside the claim" in response.content
    assert Claim.objects.count() == 1


def test_a_stale_split_shows_the_other_change_and_can_be_applied_again(as_reviewer, claim, editor):
    claim_update(claim=claim, actor=editor, expected_version=1, attribution="Минэкономики")
    response = as_reviewer.post(reverse("claim_split", args=[claim.pk]), {"at": 18, "version": 1})
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else changed this claim" in page
    assert "Минэкономики" in page  # their change
    assert 'name="version" value="2"' in page  # re-apply on top of it
    assert 'name="at" value="18"' in page
    response = as_reviewer.post(reverse("claim_split", args=[claim.pk]), {"at": 18, "version": 2})
    assert response.status_code == 302
    assert Claim.objects.alive().count() == 2


def test_giving_a_verdict_records_it_and_marks_the_claim_reviewed(as_reviewer, claim, reviewer):
    response = as_reviewer.post(
        reverse("claim_verdict", args=[claim.pk]),
        {"rating": "false", "rationale": "The statistics office says 3%."},
        headers=HTMX,
    )
    assert response.status_code == 200
    assert b'id="claim-panel"' in response.content
    verdict = Verdict.objects.get(claim=claim, reviewer=reviewer)
    assert verdict.rating.value == "false"
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.REVIEWED


def test_a_verdict_without_rationale_shows_the_error(as_reviewer, claim):
    response = as_reviewer.post(
        reverse("claim_verdict", args=[claim.pk]), {"rating": "false"}, headers=HTMX
    )
    assert response.status_code == 422
    assert b"This field is required" in response.content
    assert not Verdict.objects.exists()


def test_a_stale_verdict_shows_the_stored_one_and_can_be_applied_again(
    as_reviewer, claim, reviewer
):
    verdict = verdict_submit(claim=claim, actor=reviewer, rating="true", rationale="First.")
    # The same reviewer changes it in another tab.
    verdict_submit(
        claim=claim,
        actor=reviewer,
        rating="mostly_true",
        rationale="Changed in another tab.",
        expected_version=verdict.version,
    )
    url = reverse("claim_verdict", args=[claim.pk])
    data = {"rating": "false", "rationale": "Mine.", "version": verdict.version}
    response = as_reviewer.post(url, data, headers=HTMX)
    assert response.status_code == 409
    page = response.content.decode()
    assert "Changed in another tab." in page
    assert 'name="version" value="2"' in page
    assert "Mine." in page
    response = as_reviewer.post(url, {**data, "version": 2}, headers=HTMX)
    assert response.status_code == 200
    verdict.refresh_from_db()
    assert (verdict.rating.value, verdict.rationale) == ("false", "Mine.")


def test_attaching_a_source_stores_it_pending(as_reviewer, claim):
    response = as_reviewer.post(
        reverse("claim_source_add", args=[claim.pk]),
        {"url": "https://stat.example.org/trade", "quote": "grew by 5%", "stance": "supports"},
        headers=HTMX,
    )
    assert response.status_code == 200
    source = Source.objects.get(claim=claim)
    assert source.fetch_state == "pending"
    assert b"every 1500ms" in response.content  # the list polls while it is fetched


def test_the_sources_list_stops_polling_once_fetched(as_reviewer, claim):
    Source.objects.create(claim=claim, url="https://example.org/", fetch_state="quote_found")
    response = as_reviewer.get(reverse("claim_sources", args=[claim.pk]), headers=HTMX)
    assert b"Quote found" in response.content
    assert b"hx-trigger" not in response.content


def test_accepting_a_suggested_passage_makes_it_the_quote(as_reviewer, claim):
    source = Source.objects.create(
        claim=claim, url="https://example.org/", fetch_state="quote_not_found"
    )
    response = as_reviewer.post(
        reverse("source_accept", args=[source.pk]),
        {"passage": "Exports rose by five percent."},
        headers=HTMX,
    )
    assert response.status_code == 200
    source.refresh_from_db()
    assert (source.quote, source.fetch_state) == ("Exports rose by five percent.", "pending")


def test_comments_and_replies_are_threaded(as_reviewer, claim):
    url = reverse("claim_comment", args=[claim.pk])
    as_reviewer.post(url, {"body": "Which office?"}, headers=HTMX)
    parent = Comment.objects.get()
    response = as_reviewer.post(url, {"body": "The statistics office.", "parent": parent.pk})
    assert response.status_code == 302
    reply = Comment.objects.exclude(pk=parent.pk).get()
    assert reply.parent == parent


def test_an_editor_assigns_claims_in_bulk(client, editor, reviewer, claim, second):
    login(client, editor)
    response = client.post(
        reverse("document_assign", args=[claim.document_id]),
        {"claims": [claim.pk, second.pk], "assignee": reviewer.pk},
    )
    assert response.status_code == 302
    assert set(Claim.objects.values_list("assignee", "status")) == {
        (reviewer.pk, ClaimStatus.IN_REVIEW)
    }


def test_a_reviewer_cannot_assign(as_reviewer, reviewer, claim):
    response = as_reviewer.post(
        reverse("document_assign", args=[claim.document_id]),
        {"claims": [claim.pk], "assignee": reviewer.pk},
    )
    assert response.status_code == 403
    claim.refresh_from_db()
    assert claim.assignee is None


def test_an_editor_sets_the_final_verdict_approves_and_publishes(client, editor, reviewer, claim):
    verdict = verdict_submit(claim=claim, actor=reviewer, rating="false", rationale="No.")
    login(client, editor)
    claim.refresh_from_db()
    response = client.post(
        reverse("claim_final_verdict", args=[claim.pk]),
        {"verdict": verdict.pk, "version": claim.version},
        headers=HTMX,
    )
    assert response.status_code == 200
    for action in ("approve", "publish"):
        claim.refresh_from_db()
        response = client.post(
            reverse("claim_workflow", args=[claim.pk, action]),
            {"version": claim.version},
            headers=HTMX,
        )
        assert response.status_code == 200, response.content
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PUBLISHED
    assert claim.final_verdict == verdict


def test_approving_without_a_final_verdict_is_refused_with_the_reason(
    client, editor, reviewer, claim
):
    verdict_submit(claim=claim, actor=reviewer, rating="false", rationale="No.")
    login(client, editor)
    claim.refresh_from_db()
    response = client.post(
        reverse("claim_workflow", args=[claim.pk, "approve"]),
        {"version": claim.version},
        headers=HTMX,
    )
    assert response.status_code == 422
    assert b"Set the final verdict" in response.content


def test_a_stale_approval_shows_the_conflict(client, editor, reviewer, claim):
    verdict = verdict_submit(claim=claim, actor=reviewer, rating="false", rationale="No.")
    claim.refresh_from_db()
    seen = claim.version
    claim_set_final_verdict(claim=claim, actor=editor, verdict=verdict)
    login(client, editor)
    response = client.post(
        reverse("claim_workflow", args=[claim.pk, "approve"]), {"version": seen}, headers=HTMX
    )
    assert response.status_code == 409
    assert b"Someone else changed this claim" in response.content


def test_a_viewer_gets_the_reason_when_giving_a_verdict(client, member, claim):
    login(client, member(Role.VIEWER))
    response = client.post(
        reverse("claim_verdict", args=[claim.pk]),
        {"rating": "false", "rationale": "No."},
        headers=HTMX,
    )
    assert response.status_code == 403
    assert not Verdict.objects.exists()


def test_the_queue_lists_my_claims_with_filters(client, reviewer, editor, claim, second):
    from annotations.services.workflow import claims_assign

    claims_assign(claims=[claim, second], actor=editor, assignee=reviewer)
    verdict_submit(claim=claim, actor=reviewer, rating="false", rationale="No.")
    login(client, reviewer)
    everything = client.get(reverse("my_queue"))
    assert claim.text in everything.content.decode()
    assert second.text in everything.content.decode()
    rated = client.get(reverse("my_queue"), {"rating": "false"}).content.decode()
    assert claim.text in rated and second.text not in rated
    in_review = client.get(reverse("my_queue"), {"status": "in_review"}).content.decode()
    assert second.text in in_review and claim.text not in in_review
    someone_else = UserFactory()
    login(client, someone_else)
    assert claim.text not in client.get(reverse("my_queue")).content.decode()


def test_correcting_the_kind_goes_through_the_service(as_reviewer, claim):
    response = as_reviewer.post(
        reverse("claim_edit", args=[claim.pk]),
        {"kind": "opinion", "attribution": "The minister", "version": claim.version},
        headers=HTMX,
    )
    assert response.status_code == 200
    claim.refresh_from_db()
    assert (claim.kind, claim.attribution, claim.extracted_kind) == ("opinion", "The minister", "")


def test_blind_review_hides_other_verdicts_until_i_give_mine(
    client, project, member, reviewer, claim
):
    project.blind_review = True
    project.save()
    colleague = member(Role.REVIEWER)
    verdict_submit(claim=claim, actor=colleague, rating="true", rationale="Their reasons.")
    login(client, reviewer)
    panel = reverse("claim_panel", args=[claim.pk])
    hidden = client.get(panel, headers=HTMX).content.decode()
    assert "Their reasons." not in hidden
    assert "Blind review" in hidden
    verdict_submit(claim=claim, actor=reviewer, rating="false", rationale="Mine.")
    shown = client.get(panel, headers=HTMX).content.decode()
    assert "Their reasons." in shown
