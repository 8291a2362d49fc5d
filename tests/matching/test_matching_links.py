""" "Same claim as #N" (kept in history, undoable) and carrying an earlier rating over,
through the services, the API and the claim panel; the document page's marks."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from annotations.models import ClaimMatch, Role, Verdict
from annotations.services.history import claim_history
from annotations.services.matching import (
    claim_link_same,
    claim_unlink_same,
    claims_match_document,
    verdict_carry_over,
)
from annotations.services.verdicts import claim_set_final_verdict
from tests.factories import MembershipFactory, ProjectFactory
from tests.helpers import document_of_claims
from tests.ui_helpers import HTMX, login

EARLIER = "Число ДТП на трассе М-4 сократилось на треть по сравнению с прошлым годом."
LATER = "По сравнению с прошлым годом аварий на трассе М-4 стало на треть меньше."


@pytest.fixture
def newsroom(db):
    project = ProjectFactory(language="ru")
    editor = MembershipFactory(project=project, role=Role.EDITOR).user
    reviewer = MembershipFactory(project=project, role=Role.REVIEWER).user
    earlier = document_of_claims(project, [EARLIER], language="ru", title="Март").claims.get()
    claim_set_final_verdict(
        claim=earlier, actor=editor, rating="mostly_true", rationale="ГИБДД: минус 31%."
    )
    earlier.refresh_from_db()
    later = document_of_claims(project, [LATER], language="ru", title="Апрель").claims.get()
    return project, editor, reviewer, earlier, later


def api(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def test_a_link_is_kept_in_history_and_undone(newsroom):
    _project, _editor, reviewer, earlier, later = newsroom
    claim_link_same(claim=later, same_as=earlier, actor=reviewer)
    later.refresh_from_db()
    assert later.same_as_id == earlier.pk
    claim_unlink_same(claim=later, actor=reviewer)
    later.refresh_from_db()
    assert later.same_as_id is None
    changes = [
        (change.old, change.new)
        for entry in claim_history(later)
        for change in entry.changes
        if change.field == "same_as"
    ]
    assert len(changes) == 2
    (linked_from, linked_to), (unlinked_from, unlinked_to) = changes
    assert linked_from is None and getattr(linked_to, "pk", None) == earlier.pk
    assert getattr(unlinked_from, "pk", None) == earlier.pk and unlinked_to is None


def test_a_claim_cannot_be_linked_to_itself_or_in_a_circle(newsroom):
    _project, _editor, reviewer, earlier, later = newsroom
    with pytest.raises(ValidationError):
        claim_link_same(claim=later, same_as=later, actor=reviewer)
    claim_link_same(claim=later, same_as=earlier, actor=reviewer)
    later.refresh_from_db()
    with pytest.raises(ValidationError):
        claim_link_same(claim=earlier, same_as=later, actor=reviewer)


def test_a_viewer_may_not_link_and_no_one_links_to_an_unreadable_claim(newsroom):
    project, _editor, reviewer, earlier, later = newsroom
    viewer = MembershipFactory(project=project, role=Role.VIEWER).user
    with pytest.raises(PermissionDenied):
        claim_link_same(claim=later, same_as=earlier, actor=viewer)
    hidden = document_of_claims(ProjectFactory(), [EARLIER], language="ru").claims.get()
    with pytest.raises(ValidationError):
        claim_link_same(claim=later, same_as=hidden, actor=reviewer)


def test_the_api_links_and_unlinks(newsroom):
    _project, _editor, reviewer, earlier, later = newsroom
    url = f"/api/v1/claims/{later.pk}/same-as/"
    response = api(reviewer).post(url, {"claim": earlier.pk}, format="json")
    assert response.status_code == 200
    assert response.json()["same_as"] == earlier.pk
    assert api(reviewer).delete(url).json()["same_as"] is None
    bad = api(reviewer).post(url, {"claim": "first"}, format="json")
    assert bad.status_code == 400
    assert "claim" in bad.json()["fields"]
    missing = api(reviewer).post(url, {"claim": 999_999}, format="json")
    assert missing.status_code == 400


def test_an_editor_carries_the_earlier_rating_over_with_a_reference(newsroom):
    _project, editor, _reviewer, earlier, later = newsroom
    verdict = verdict_carry_over(claim=later, actor=editor, earlier=earlier)
    later.refresh_from_db()
    assert later.final_verdict_id == verdict.pk
    assert verdict.rating.value == "mostly_true"
    assert verdict.carried_from_id == earlier.final_verdict_id
    assert f"#{earlier.pk}" in verdict.rationale
    assert "ГИБДД: минус 31%." in verdict.rationale
    assert later.same_as_id == earlier.pk
    assert later.status == "reviewed"


def test_a_reviewer_may_not_carry_a_rating_over(newsroom):
    _project, _editor, reviewer, earlier, later = newsroom
    with pytest.raises(PermissionDenied):
        verdict_carry_over(claim=later, actor=reviewer, earlier=earlier)
    assert not Verdict.objects.filter(claim=later).exists()


def test_an_unrated_claim_has_nothing_to_carry_over(newsroom):
    project, editor, _reviewer, _earlier, later = newsroom
    unrated = document_of_claims(project, [EARLIER], language="ru").claims.get()
    with pytest.raises(ValidationError):
        verdict_carry_over(claim=later, actor=editor, earlier=unrated)


def test_a_rating_missing_from_this_scale_asks_for_one(newsroom):
    _project, editor, _reviewer, earlier, _later = newsroom
    other = ProjectFactory(language="ru")
    MembershipFactory(project=other, user=editor, role=Role.EDITOR)
    other.rating_scale.ratings.filter(value="mostly_true").update(
        value="almost_true", label="Almost", alternate_name="Almost", translations={}
    )
    claim = document_of_claims(other, [LATER], language="ru").claims.get()
    with pytest.raises(ValidationError):
        verdict_carry_over(claim=claim, actor=editor, earlier=earlier)
    verdict = verdict_carry_over(claim=claim, actor=editor, earlier=earlier, rating="almost_true")
    assert verdict.rating.value == "almost_true"


def test_the_api_carries_over_and_refuses_bad_input(newsroom):
    _project, editor, reviewer, earlier, later = newsroom
    url = f"/api/v1/claims/{later.pk}/carry-over/"
    assert api(editor).post(url, {}, format="json").status_code == 400
    both = api(editor).post(url, {"claim": earlier.pk, "reference": 1}, format="json")
    assert both.status_code == 400
    assert api(reviewer).post(url, {"claim": earlier.pk}, format="json").status_code == 403
    response = api(editor).post(url, {"claim": earlier.pk}, format="json")
    assert response.status_code == 201
    assert response.json()["rating"] == "mostly_true"
    assert response.json()["carried_from"] == earlier.final_verdict_id


def test_the_panel_shows_the_earlier_check_with_its_rating(client, newsroom):
    _project, _editor, reviewer, earlier, later = newsroom
    login(client, reviewer)
    panel = client.get(reverse("claim_panel", args=[later.pk]), headers=HTMX)
    assert "Checked before" in panel.content.decode()
    response = client.get(reverse("claim_similar", args=[later.pk]), headers=HTMX)
    page = response.content.decode()
    assert f'data-match="claim-{earlier.pk}"' in page
    assert "Mostly true" in page
    assert f"Same claim as #{earlier.pk}" in page
    # A reviewer links it; an editor would also see the carry-over button.
    assert 'data-action="carry-over"' not in page


def test_the_panel_leaves_out_claims_that_only_share_words(client, newsroom):
    project, _editor, reviewer, earlier, later = newsroom
    unrelated = document_of_claims(
        project, ["На трассе М-4 в прошлом году открыли новое кафе."], language="ru"
    ).claims.get()
    login(client, reviewer)

    page = client.get(reverse("claim_similar", args=[unrelated.pk]), headers=HTMX).text

    assert f'data-match="claim-{earlier.pk}"' not in page
    assert f'data-match="claim-{later.pk}"' not in page
    assert "Nothing like it was checked before." in page


def test_the_panel_links_carries_over_and_undoes(client, newsroom):
    _project, editor, _reviewer, earlier, later = newsroom
    login(client, editor)
    page = client.get(reverse("claim_similar", args=[later.pk]), headers=HTMX).content.decode()
    assert 'data-action="carry-over"' in page
    response = client.post(
        reverse("claim_carry_over", args=[later.pk]),
        {"earlier": earlier.pk, "version": later.version},
        headers=HTMX,
    )
    assert response.status_code == 200
    later.refresh_from_db()
    assert later.final_verdict.rating.value == "mostly_true"
    panel = response.content.decode()
    assert f"#{earlier.pk}</a>" in panel
    response = client.post(
        reverse("claim_same_as", args=[later.pk]),
        {"unlink": "1", "version": later.version},
        headers=HTMX,
    )
    assert response.status_code == 200
    later.refresh_from_db()
    assert later.same_as_id is None


def test_the_panel_refuses_a_stale_link(client, newsroom):
    _project, _editor, reviewer, earlier, later = newsroom
    login(client, reviewer)
    response = client.post(
        reverse("claim_same_as", args=[later.pk]),
        {"same_as": earlier.pk, "version": later.version + 5},
        headers=HTMX,
    )
    assert response.status_code == 409
    later.refresh_from_db()
    assert later.same_as_id is None


def test_the_document_page_marks_a_claim_with_a_rated_match(client, newsroom):
    _project, _editor, reviewer, earlier, later = newsroom
    assert claims_match_document(document_id=later.document_id) >= 1
    match = ClaimMatch.objects.get(claim=later)
    assert match.matched_claim_id == earlier.pk
    login(client, reviewer)
    page = client.get(reverse("document_detail", args=[later.document_id])).content.decode()
    assert "checked-before" in page.split(f'id="claim-{later.pk}"')[1].split(">")[0]
    # Someone who may not read the earlier claim's project sees no mark.
    other = ProjectFactory(language="ru")
    stranger = MembershipFactory(project=other, role=Role.EDITOR).user
    moved = document_of_claims(other, [LATER], language="ru").claims.get()
    claims_match_document(document_id=moved.document_id)
    assert ClaimMatch.objects.filter(claim=moved, matched_claim=earlier).exists()
    login(client, stranger)
    page = client.get(reverse("document_detail", args=[moved.document_id])).content.decode()
    assert "checked-before" not in page.split(f'id="claim-{moved.pk}"')[1].split(">")[0]
