"""Bad input gets a clear 4xx naming what is wrong, never a 500, and nothing is stored."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from annotations.exports import export_stream
from annotations.models import Claim, Document, Role, Source, Verdict
from annotations.services.documents import document_create
from annotations.services.verdicts import verdict_submit
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

TEXT = "Exports grew by 5% in 2023, the ministry said. Imports fell by 3% in 2024."


def client_for(user) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def admin(project):
    return MembershipFactory(project=project, role=Role.ADMIN).user


@pytest.fixture
def document(project, admin):
    return document_create(project=project, actor=admin, title="Trade", text=TEXT)


def error_of(response, status: int = 400) -> dict:
    assert response.status_code == status, response.content[:500]
    body = response.json()
    assert body["detail"], body
    return body


# --- 4. Deep nesting ---------------------------------------------------------------------


@pytest.mark.parametrize("body", ["[" * 100_000, "[" * 100_000 + "]" * 100_000])
def test_deeply_nested_json_is_a_clear_400(project, admin, body):
    client = client_for(admin)
    for url in ("/api/v1/documents/", f"/api/v1/projects/{project.slug}/import/"):
        response = client.generic("POST", url, body, content_type="application/json")
        error_of(response)
    assert not Document.objects.exists()


def test_a_deeply_nested_import_file_is_a_clear_400(project, admin):
    upload = ("[" * 100_000).encode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client_for(admin).post(
        f"/api/v1/projects/{project.slug}/import/",
        {"file": SimpleUploadedFile("deep.json", upload, content_type="application/json")},
        format="multipart",
    )
    assert "$" in json.dumps(error_of(response))


# --- 5. Split outside the claim ----------------------------------------------------------


@pytest.mark.parametrize("at", [10_000, 2**31, 0])
def test_splitting_outside_the_text_is_a_clear_400(document, admin, at):
    claim = document.claims.order_by("start").last()
    client = client_for(admin)
    etag = client.get(f"/api/v1/claims/{claim.pk}/")["ETag"]
    response = client.post(
        f"/api/v1/claims/{claim.pk}/split/", {"at": at}, format="json", HTTP_IF_MATCH=etag
    )
    body = error_of(response)
    assert "at" in body["fields"]
    assert document.claims.count() == 2


@pytest.mark.parametrize("at", ["10000", "2147483648", "99999999999999999999"])
def test_the_split_field_in_the_page_says_what_is_wrong(client, document, admin, at):
    claim = document.claims.order_by("start").last()
    client.force_login(admin)
    response = client.post(
        reverse("claim_split", args=[claim.pk]),
        {"at": at, "version": claim.version},
        follow=True,
    )
    assert response.status_code in (200, 422)
    page = response.content.decode()
    assert "Split inside the claim" in page or "Ensure this value" in page
    assert document.claims.count() == 2


# --- 6. Ratings that look like numbers ---------------------------------------------------


@pytest.mark.parametrize("rating", ["²", "³", "¹²", "٣", "1" * 30])
def test_a_rating_of_digit_like_characters_is_a_clear_400(document, admin, rating):
    claim = document.claims.first()
    client = client_for(admin)
    response = client.post(
        f"/api/v1/claims/{claim.pk}/verdicts/",
        {"rating": rating, "rationale": "Because."},
        format="json",
    )
    assert "rating" in error_of(response)["fields"]
    response = client.post(
        f"/api/v1/claims/{claim.pk}/final-verdict/",
        {"rating": rating, "rationale": "Because."},
        format="json",
    )
    assert "rating" in error_of(response)["fields"]
    assert not Verdict.objects.exists()


# --- 7. Malformed addresses --------------------------------------------------------------


@pytest.mark.parametrize("url", ["http://[::1", "http://[zz]/", "http://[::1]:99999/", "http://[/"])
def test_a_malformed_ipv6_address_is_a_clear_400(client, document, admin, url):
    claim = document.claims.first()
    response = client_for(admin).post(
        f"/api/v1/claims/{claim.pk}/sources/", {"url": url}, format="json"
    )
    assert "url" in error_of(response)["fields"]
    response = client_for(admin).post(
        "/api/v1/documents/", {"project": document.project.slug, "url": url}, format="json"
    )
    error_of(response)
    client.force_login(admin)
    page = client.post(reverse("claim_source_add", args=[claim.pk]), {"url": url})
    assert page.status_code < 500
    assert not Source.objects.exists()


# --- 8–10. Imports -----------------------------------------------------------------------


@pytest.mark.parametrize("payload", ["[]", "5", "null", "[null, null]", '"text"', "true"])
def test_an_import_that_is_not_an_object_is_a_clear_400(project, admin, payload):
    response = client_for(admin).generic(
        "POST",
        f"/api/v1/projects/{project.slug}/import/",
        payload,
        content_type="application/json",
    )
    assert "$" in error_of(response)["detail"]


def exported(document) -> dict:
    return json.loads(
        "".join(export_stream(documents=Document.objects.filter(pk=document.pk), fmt="native"))
    )


@pytest.fixture
def export_file(document, admin) -> dict:
    claim = document.claims.order_by("start").first()
    Source.objects.create(claim=claim, url="https://stat.example/t", quote="grew by 5%")
    verdict_submit(claim=claim, actor=admin, rating="true", rationale="Customs data.")
    data = exported(document)
    Document.objects.all().delete()
    return data


def import_response(project, admin, data):
    return client_for(admin).post(f"/api/v1/projects/{project.slug}/import/", data, format="json")


@pytest.mark.parametrize("bad", ["\x00", "\ud800", "a\udfffb"])
@pytest.mark.parametrize(
    "where, path",
    [
        (lambda d: d["documents"][0], "$.documents[0].title"),
        (lambda d: d["documents"][0]["claims"][0]["verdicts"][0], "rationale"),
        (lambda d: d["documents"][0]["claims"][0]["sources"][0], "quote"),
    ],
)
def test_nul_and_lone_surrogates_in_an_import_are_refused_with_their_path(
    project, admin, export_file, bad, where, path
):
    field = path.rsplit(".", 1)[-1]
    target = where(export_file)
    target[field] = target[field] + bad
    body = json.dumps(export_file)  # \ud800 travels as the escape JSON allows
    response = client_for(admin).generic(
        "POST",
        f"/api/v1/projects/{project.slug}/import/",
        body,
        content_type="application/json",
    )
    detail = error_of(response)["detail"]
    assert field in detail and "$.documents[0]" in detail
    assert not Document.objects.exists()


def test_nul_in_an_imported_text_is_refused_with_its_path(project, admin, export_file):
    document = export_file["documents"][0]
    document["text"] = document["text"] + "\x00"
    response = import_response(project, admin, export_file)
    assert "$.documents[0].text" in error_of(response)["detail"]


def test_an_import_with_two_claims_on_one_span_is_refused(project, admin, export_file):
    claims = export_file["documents"][0]["claims"]
    twin = json.loads(json.dumps(claims[0]))
    twin.update(id=claims[0]["id"] + 1000, sources=[], verdicts=[], final_verdict=None)
    claims.insert(1, twin)
    response = import_response(project, admin, export_file)
    assert "$.documents[0].claims[1]" in error_of(response)["detail"]
    assert not Claim.objects.exists()


def test_an_import_with_overlapping_claims_is_refused(project, admin, export_file):
    document = export_file["documents"][0]
    claims = document["claims"]
    second = claims[1]
    second["start"] = claims[0]["end"] - 5
    second["text"] = document["text"][second["start"] : second["end"]]
    response = import_response(project, admin, export_file)
    assert "$.documents[0].claims[1]" in error_of(response)["detail"]
    assert not Claim.objects.exists()


def test_the_export_file_itself_imports(project, admin, export_file):
    assert import_response(project, admin, export_file).status_code == 201


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/a report",
        'https://example.org/"quoted"',
        "https://example.org/line\nbreak",
        "https://example.org/<b>",
    ],
)
def test_a_source_address_that_is_not_an_address_is_refused(url, project, editor):
    from rest_framework.test import APIClient

    from annotations.models import Source
    from annotations.services.documents import document_create

    document = document_create(
        project=project, actor=editor, title="T", text="Exports grew by 5% in 2023."
    )
    claim = document.claims.first()
    api = APIClient()
    api.force_authenticate(editor)
    answer = api.post(f"/api/v1/claims/{claim.pk}/sources/", {"url": url}, format="json")
    assert answer.status_code == 400
    assert "url" in answer.json()["fields"]
    assert not Source.objects.filter(claim=claim, origin="reviewer").exists()
