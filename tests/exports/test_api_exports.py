"""Exports and imports through the API: streamed, scoped, validated, all or nothing."""

from __future__ import annotations

import csv
import io
import json

import jsonschema
import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from annotations.exports.schema import native_schema
from annotations.models import Claim, Document
from annotations.services.documents import document_create
from annotations.services.verdicts import claim_set_final_verdict, verdict_submit
from annotations.services.workflow import (
    claim_approve,
    claim_publish,
    claim_reopen,
    claim_unpublish,
)
from tests.factories import MembershipFactory, ProjectFactory

pytestmark = pytest.mark.django_db

TEXT = (
    "Товарооборот России и Казахстана в 2023 году вырос на 5,3% и достиг 28 млрд долларов.\n"
    "Эксперты считают, что рост продолжится."
)


def client_for(user) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def published(project, editor):
    document = document_create(project=project, actor=editor, title="Торговля", text=TEXT)
    claim = document.claims.order_by("start").first()
    claim_set_final_verdict(
        claim=claim, actor=editor, rating="mostly_true", rationale="Данные ФТС: 5,1%."
    )
    claim_approve(claim=claim, actor=editor)
    claim_publish(claim=claim, actor=editor)
    return document


def body_of(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8-sig")


def test_a_native_export_streams_and_validates_against_the_schema(published, editor):
    response = client_for(editor).get(f"/api/v1/documents/{published.pk}/export/?format=native")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(body_of(response))
    jsonschema.validate(data, native_schema())
    claims = data["documents"][0]["claims"]
    text = data["documents"][0]["text"]
    assert all(text[c["start"] : c["end"]] == c["text"] for c in claims)


def test_claimreview_holds_only_published_claims(published, editor):
    response = client_for(editor).get(
        f"/api/v1/documents/{published.pk}/export/?format=claimreview"
    )
    reviews = json.loads(body_of(response))
    reviews = reviews if isinstance(reviews, list) else reviews.get("@graph", [])
    assert len(reviews) == 1
    review = reviews[0]
    assert review["@type"] == "ClaimReview"
    assert review["reviewRating"]["alternateName"]
    assert review["url"].startswith("http://testserver/")
    assert "claim-reviewed-too-long" in response["X-Export-Warnings"]


def test_csv_export_parses_back_with_russian_text(published, editor):
    response = client_for(editor).get(f"/api/v1/documents/{published.pk}/export/?format=csv")
    rows = list(csv.DictReader(io.StringIO(body_of(response))))
    assert len(rows) == Claim.objects.filter(document=published).count()
    assert any("Товарооборот" in value for row in rows for value in row.values())


def test_an_unknown_format_is_a_clear_400(published, editor):
    response = client_for(editor).get(f"/api/v1/documents/{published.pk}/export/?format=pdf")
    assert response.status_code == 400
    assert "format" in response.json()["fields"]


def test_exports_of_another_projects_document_are_not_found(published, outsider):
    response = client_for(outsider).get(f"/api/v1/documents/{published.pk}/export/")
    assert response.status_code == 404


def test_export_then_import_into_an_empty_project_round_trips(published, editor):
    exported = body_of(
        client_for(editor).get(f"/api/v1/documents/{published.pk}/export/?format=native")
    )
    target = ProjectFactory()
    admin = MembershipFactory(project=target, role="admin").user
    client = client_for(admin)
    response = client.post(
        f"/api/v1/projects/{target.slug}/import/", json.loads(exported), format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["claims"] == Claim.objects.filter(document=published).count()
    copy = Document.objects.get(project=target)
    assert copy.text == published.text and copy.sha256 == published.sha256


def test_a_bad_import_names_the_json_path_and_writes_nothing(published, editor):
    data = json.loads(body_of(client_for(editor).get(f"/api/v1/documents/{published.pk}/export/")))
    data["documents"][0]["claims"][1]["end"] += 3  # no longer the slice of the text
    target = ProjectFactory()
    admin = MembershipFactory(project=target, role="admin").user
    response = client_for(admin).post(
        f"/api/v1/projects/{target.slug}/import/", data, format="json"
    )
    assert response.status_code == 400
    assert "$.documents[0].claims[1]" in json.dumps(response.json(), ensure_ascii=False)
    assert not Document.objects.filter(project=target).exists()


def test_reviewers_cannot_import(project, reviewer):
    response = client_for(reviewer).post(
        f"/api/v1/projects/{project.slug}/import/", {"schema_version": "1.0"}, format="json"
    )
    assert response.status_code == 403


def test_under_blind_review_an_export_holds_only_the_verdicts_the_reader_may_see(
    published, reviewer, editor
):
    published.project.blind_review = True
    published.project.save()
    url = f"/api/v1/documents/{published.pk}/export/"
    for fmt in ("native", "claimreview", "csv"):
        hidden = client_for(reviewer).get(url + f"?format={fmt}")
        assert hidden.status_code == 200
        assert "Данные ФТС" not in body_of(hidden) and "mostly_true" not in body_of(hidden)
    assert "Данные ФТС" in body_of(client_for(editor).get(url + "?format=native"))
    claim = published.claims.get(final_verdict__isnull=False)
    claim_unpublish(claim=claim, actor=editor)
    claim_reopen(claim=claim, actor=editor)
    verdict_submit(claim=claim, actor=reviewer, rating="true", rationale="Мой вердикт.")
    shown = body_of(client_for(reviewer).get(url + "?format=native"))
    assert "Данные ФТС" in shown and "Мой вердикт." in shown


def test_the_csv_delimiter_can_be_chosen_and_a_wrong_one_is_a_clear_400(published, editor):
    url = f"/api/v1/documents/{published.pk}/export/?format=csv"
    client = client_for(editor)

    semicolons = body_of(client.get(url + "&delimiter=semicolon"))
    commas = body_of(client.get(url + "&delimiter=comma"))
    wrong = client.get(url + "&delimiter=tab")

    assert semicolons.lstrip("\ufeff").startswith("document_id;document_title;")
    assert commas.lstrip("\ufeff").startswith("document_id,document_title,")
    assert wrong.status_code == 400
    assert "delimiter" in wrong.json()["fields"]
