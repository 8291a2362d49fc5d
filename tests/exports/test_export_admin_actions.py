from __future__ import annotations

import json

from django.test import RequestFactory

from annotations.admin_actions import export_claimreview_action, export_native_action
from annotations.exports.schema import first_schema_error
from annotations.models import Claim
from tests.factories import UserFactory
from tests.helpers import newsroom


class FakeModelAdmin:
    def __init__(self) -> None:
        self.messages: list[str] = []

    def message_user(self, request, message, level=None) -> None:
        self.messages.append(str(message))


def request_by(user):
    request = RequestFactory().post("/admin/annotations/claim/")
    request.user = user
    return request


def body(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8")


def test_native_action_downloads_the_selected_claims(db):
    room = newsroom()
    admin = UserFactory(is_staff=True, is_superuser=True)
    selected = Claim.objects.filter(pk__in=[room.claims[0].pk, room.claims[3].pk])

    response = export_native_action(FakeModelAdmin(), request_by(admin), selected)

    assert response.streaming
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == 'attachment; filename="claims.json"'
    data = json.loads(body(response))
    assert first_schema_error(data) is None
    ids = [claim["id"] for claim in data["documents"][0]["claims"]]
    assert ids == [room.claims[0].pk, room.claims[3].pk]


def test_claimreview_action_downloads_published_claims_and_warns(db):
    room = newsroom()
    admin = UserFactory(is_staff=True, is_superuser=True)
    model_admin = FakeModelAdmin()

    response = export_claimreview_action(model_admin, request_by(admin), Claim.objects.all())

    assert response["Content-Type"] == "application/ld+json"
    reviews = json.loads(body(response))
    assert [review["claimReviewed"] for review in reviews] == [c.text for c in room.claims[:2]]
    assert reviews[0]["url"] == f"http://testserver/fact-checks/{room.claims[0].pk}/"
    assert response["X-Export-Warnings"] == f"claim-reviewed-too-long;claim={room.claims[1].pk}"
    assert len(model_admin.messages) == 1


def test_staff_outside_the_project_download_nothing_of_it(db):
    newsroom()
    staff = UserFactory(is_staff=True)

    response = export_native_action(FakeModelAdmin(), request_by(staff), Claim.objects.all())

    assert json.loads(body(response))["documents"] == []
