"""A project's settings page: admins manage members, roles and the review rules; editors
edit the rating scale; under separation of duties nobody approves or publishes a claim
judged by themselves alone."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from annotations.models import ClaimStatus, Membership, Role
from annotations.services.errors import ValidationError
from annotations.services.verdicts import claim_set_final_verdict, verdict_submit
from annotations.services.workflow import claim_approve, claim_publish
from tests.factories import ClaimFactory, DocumentFactory, MembershipFactory, UserFactory
from tests.ui_helpers import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(project):
    return MembershipFactory(project=project, role=Role.ADMIN).user


def settings_url(project, name="project_settings", *args):
    return reverse(name, args=[project.slug, *args])


def test_only_editors_and_admins_open_the_settings(client, project, reviewer, editor):
    login(client, reviewer)
    assert client.get(settings_url(project)).status_code == 403
    login(client, editor)
    page = client.get(settings_url(project))
    assert page.status_code == 200
    # An editor reads the rules and members, and edits the scale.
    html = page.content.decode()
    assert f'action="/p/{project.slug}/settings/members/"' not in html
    assert f'action="/p/{project.slug}/settings/scale/"' in html


def test_an_admin_invites_someone_new_and_their_first_password_works(client, project, admin):
    login(client, admin)
    response = client.post(
        settings_url(project, "project_member_add"),
        {"username": "nadia", "email": "nadia@example.org", "role": Role.REVIEWER},
        follow=True,
    )
    assert response.status_code == 200
    text = response.content.decode()
    password = re.search(r"shown only now: (\S+)</li>", text).group(1)
    user = get_user_model().objects.get(username="nadia")
    assert user.check_password(password) and user.email == "nadia@example.org"
    assert Membership.objects.get(project=project, user=user).role == Role.REVIEWER
    # A second visit shows no password.
    assert password not in client.get(settings_url(project)).content.decode()


def test_an_admin_changes_a_role_and_removes_a_member(client, project, admin, reviewer):
    login(client, admin)
    membership = Membership.objects.get(project=project, user=reviewer)
    client.post(
        settings_url(project, "project_member_change", membership.pk),
        {f"m{membership.pk}-role": Role.EDITOR},
    )
    membership.refresh_from_db()
    assert membership.role == Role.EDITOR
    client.post(settings_url(project, "project_member_change", membership.pk), {"remove": "1"})
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_the_last_admin_cannot_leave(client, project, admin):
    login(client, admin)
    membership = Membership.objects.get(project=project, user=admin)
    response = client.post(
        settings_url(project, "project_member_change", membership.pk), {"remove": "1"}, follow=True
    )
    assert Membership.objects.filter(pk=membership.pk).exists()
    assert "at least one admin" in response.content.decode()


def test_an_editor_cannot_manage_members(client, project, editor):
    outsider = UserFactory()
    login(client, editor)
    response = client.post(
        settings_url(project, "project_member_add"),
        {"username": outsider.username, "role": Role.ADMIN},
    )
    assert response.status_code == 422
    assert not Membership.objects.filter(project=project, user=outsider).exists()


def test_an_editor_edits_the_rating_scale(client, project, editor):
    login(client, editor)
    ratings = list(project.rating_scale.ratings.all())
    data = {
        "ratings-TOTAL_FORMS": "3",
        "ratings-INITIAL_FORMS": "0",
        "ratings-MIN_NUM_FORMS": "2",
        "ratings-MAX_NUM_FORMS": "1000",
    }
    rows = [
        ("accurate", "Accurate", "Верно", "#1a7f37", "2"),
        ("inaccurate", "Inaccurate", "Неверно", "#cf222e", "0"),
        (ratings[0].value, ratings[0].label, "", ratings[0].colour, ""),
    ]
    for index, (value, label, russian, colour, number) in enumerate(rows):
        data.update(
            {
                f"ratings-{index}-value": value,
                f"ratings-{index}-label": label,
                f"ratings-{index}-label_ru": russian,
                f"ratings-{index}-colour": colour,
                f"ratings-{index}-numeric_value": number,
            }
        )
    response = client.post(settings_url(project, "project_scale"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    project.refresh_from_db()
    stored = list(project.rating_scale.ratings.order_by("position"))
    assert [rating.value for rating in stored] == ["accurate", "inaccurate", ratings[0].value]
    assert stored[0].display_label("ru") == "Верно"
    # What the page does not edit stays: the first old rating keeps its description.
    assert stored[2].description == ratings[0].description

    data["ratings-1-value"] = "accurate"
    assert client.post(settings_url(project, "project_scale"), data).status_code == 422


def test_an_admin_switches_on_the_separation_of_duties(client, project, admin):
    login(client, admin)
    client.post(settings_url(project, "project_rules"), {"separate_duties": "on"})
    project.refresh_from_db()
    assert project.separate_duties and not project.blind_review


def test_under_separation_of_duties_an_editor_does_not_approve_their_own_verdict(project, editor):
    project.separate_duties = True
    project.save()
    other = MembershipFactory(project=project, role=Role.EDITOR).user
    claim = ClaimFactory(document=DocumentFactory(project=project))
    verdict = verdict_submit(claim=claim, actor=editor, rating="true", rationale="Mine.")
    claim.refresh_from_db()
    claim_set_final_verdict(claim=claim, actor=editor, verdict=verdict)
    claim.refresh_from_db()
    with pytest.raises(ValidationError, match="separates duties"):
        claim_approve(claim=claim, actor=editor)
    claim_approve(claim=claim, actor=other)
    claim.refresh_from_db()
    with pytest.raises(ValidationError, match="separates duties"):
        claim_publish(claim=claim, actor=editor)
    claim_publish(claim=claim, actor=other)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PUBLISHED


def test_without_the_setting_an_editor_approves_their_own_verdict(project, editor):
    claim = ClaimFactory(document=DocumentFactory(project=project))
    verdict = verdict_submit(claim=claim, actor=editor, rating="true", rationale="Mine.")
    claim.refresh_from_db()
    claim_set_final_verdict(claim=claim, actor=editor, verdict=verdict)
    claim.refresh_from_db()
    claim_approve(claim=claim, actor=editor)


def test_the_panel_says_why_an_editor_waits_for_another_pair_of_eyes(client, project, editor):
    project.separate_duties = True
    project.save()
    claim = ClaimFactory(document=DocumentFactory(project=project))
    verdict = verdict_submit(claim=claim, actor=editor, rating="true", rationale="Mine.")
    claim.refresh_from_db()
    claim_set_final_verdict(claim=claim, actor=editor, verdict=verdict)
    login(client, editor)
    html = client.get(
        reverse("document_detail", args=[claim.document_id]), {"claim": claim.pk}
    ).content.decode()
    assert 'data-action="approve" disabled aria-describedby="duties-hint"' in html
    assert 'id="duties-hint"' in html
