"""The REST API as outside tools use it: token auth, documented routes, one error shape."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from annotations.models import Claim, Document, FetchState, Project, Source
from annotations.services.documents import document_create
from tests.factories import ProjectFactory, UserFactory
from tests.helpers import assert_error, client_for

pytestmark = pytest.mark.django_db

TEXT = (
    "The ministry said exports grew by 5% in 2023, and imports fell by 2%.\n"
    "Officials expect growth to continue next year. I think that is optimistic."
)


@pytest.fixture
def document(project, reviewer):
    return document_create(project=project, actor=reviewer, title="Trade", text=TEXT, language="en")


def test_every_endpoint_needs_authentication():
    for url in ("/api/v1/projects/", "/api/v1/documents/", "/api/v1/claims/"):
        assert_error(APIClient().get(url), 401, "not_authenticated")


def test_drf_create_token_prints_a_key_that_authenticates(capsys):
    user = UserFactory(username="scripted")
    call_command("drf_create_token", "scripted")
    key = capsys.readouterr().out.split()[2]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/projects/").status_code == 200
    assert Token.objects.get(user=user).key == key


def test_creating_a_project_makes_its_creator_admin_with_the_default_scale():
    user = UserFactory()
    response = client_for(user).post(
        "/api/v1/projects/", {"name": "Проверка фактов", "slug": "proverka"}, format="json"
    )
    assert response.status_code == 201, response.content
    project = Project.objects.get(slug="proverka")
    assert project.memberships.get(user=user).role == "admin"
    scale = client_for(user).get("/api/v1/projects/proverka/scale/").json()
    assert [r["value"] for r in scale["ratings"]][:2] == ["true", "mostly_true"]


def test_a_duplicate_slug_is_a_clear_400():
    user = UserFactory()
    ProjectFactory(slug="taken")
    body = assert_error(
        client_for(user).post("/api/v1/projects/", {"name": "X", "slug": "taken"}, format="json"),
        400,
        "invalid",
    )
    assert "slug" in body["fields"]


def test_admins_add_members_and_others_cannot(project, member):
    admin, reviewer = member("admin"), member("reviewer")
    newcomer = UserFactory()
    url = f"/api/v1/projects/{project.slug}/members/"
    response = client_for(admin).post(
        url, {"username": newcomer.username, "role": "reviewer"}, format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["role"] == "reviewer"
    assert_error(
        client_for(reviewer).post(url, {"username": "x", "role": "viewer"}, format="json"), 403
    )


def test_another_projects_objects_are_not_found(document, outsider):
    client = client_for(outsider)
    claim = document.claims.first()
    for url in (
        f"/api/v1/projects/{document.project.slug}/",
        f"/api/v1/documents/{document.pk}/",
        f"/api/v1/claims/{claim.pk}/",
        f"/api/v1/claims/{claim.pk}/verdicts/",
    ):
        assert_error(client.get(url), 404, "not_found")
    assert client.get(f"/api/v1/claims/?document={document.pk}").json()["results"] == []


def test_posting_text_creates_a_ready_document_with_claims(project, reviewer):
    client = client_for(reviewer)
    response = client.post(
        "/api/v1/documents/",
        {"project": project.slug, "title": "Trade", "text": TEXT},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "ready"
    claims = client.get(f"/api/v1/claims/?document={body['id']}").json()["results"]
    assert len(claims) >= 3
    document = Document.objects.get(pk=body["id"])
    for claim in claims:
        assert document.text[claim["start"] : claim["end"]] == claim["text"]


def test_uploading_an_html_file_keeps_its_links_as_candidate_sources(project, reviewer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    html = (
        b"<html><body><p>Exports grew by 5% in 2023, "
        b'<a href="https://stat.example.org/trade">the statistics office said</a>.</p>'
        b"</body></html>"
    )
    response = client_for(reviewer).post(
        "/api/v1/documents/",
        {"project": project.slug, "file": SimpleUploadedFile("trade.html", html, "text/html")},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    document = Document.objects.get(pk=response.json()["id"])
    assert "<a" not in document.text
    source = Source.objects.get(claim__document=document)
    assert source.url == "https://stat.example.org/trade"
    assert source.origin == "document_link"


@pytest.mark.parametrize(
    "payload",
    [
        {"title": "No project", "text": "Some text."},
        {"project": "demo", "title": "Nothing to read"},
        {"project": "demo", "title": "Both", "text": "x", "url": "https://example.org/"},
        {"project": "demo", "title": "Blank", "text": "   \n  "},
    ],
)
def test_bad_document_input_is_a_clear_4xx_and_nothing_is_stored(payload, reviewer, project):
    payload = {**payload, "project": project.slug} if "project" in payload else payload
    response = client_for(reviewer).post("/api/v1/documents/", payload, format="json")
    assert_error(response, 400, "invalid")
    assert not Document.objects.exists()


def test_a_document_over_the_size_limit_is_refused(project, reviewer, settings):
    settings.DOCUMENT_MAX_CHARS = 100
    response = client_for(reviewer).post(
        "/api/v1/documents/",
        {"project": project.slug, "title": "Long", "text": "Word. " * 50},
        format="json",
    )
    body = assert_error(response, 400, "invalid")
    assert "limit" in body["detail"]
    assert not Document.objects.exists()


def test_claims_filter_by_kind_status_and_checkworthiness(document, reviewer):
    client = client_for(reviewer)
    facts = client.get(f"/api/v1/claims/?document={document.pk}&kind=fact").json()["results"]
    assert facts and all(c["kind"] == "fact" for c in facts)
    high = client.get(f"/api/v1/claims/?document={document.pk}&min_checkworthiness=0.5").json()
    assert all(c["checkworthiness"] >= 0.5 for c in high["results"])
    found = client.get(f"/api/v1/claims/?document={document.pk}&q=ministry").json()["results"]
    assert [c["text"][:12] for c in found] == ["The ministry"]


def test_splitting_through_the_api_needs_the_current_etag(document, reviewer):
    client = client_for(reviewer)
    claim = document.claims.order_by("start").first()
    url = f"/api/v1/claims/{claim.pk}/"
    etag = client.get(url)["ETag"]
    at = document.text.index("and imports")
    assert_error(client.post(url + "split/", {"at": at}, format="json"), 428, "if_match_required")
    response = client.post(url + "split/", {"at": at}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 201, response.content
    parts = response.json()
    assert [p["text"] for p in parts] == [
        "The ministry said exports grew by 5% in 2023,",
        "and imports fell by 2%.",
    ]
    # The old ETag is stale now.
    stale = client.post(url + "boundary/", {"end": at - 3}, format="json", HTTP_IF_MATCH=etag)
    assert_error(stale, 412, "stale_version")


def test_a_verdict_is_given_by_rating_label_and_updated_with_if_match(document, reviewer):
    client = client_for(reviewer)
    claim = document.claims.order_by("start").first()
    response = client.post(
        f"/api/v1/claims/{claim.pk}/verdicts/",
        {"rating": "Mostly true", "rationale": "Customs data show 4.8%."},
        format="json",
    )
    assert response.status_code == 201, response.content
    verdict = response.json()
    assert verdict["rating"]["value"] == "mostly_true"
    url = f"/api/v1/verdicts/{verdict['id']}/"
    etag = client.get(url)["ETag"]

    assert_error(client.patch(url, {"rationale": "x"}, format="json"), 428)
    updated = client.patch(url, {"rating": "true"}, format="json", HTTP_IF_MATCH=etag)
    assert updated.status_code == 200, updated.content
    assert updated.json()["rating"]["value"] == "true"
    assert updated["ETag"] != etag
    body = assert_error(
        client.patch(url, {"rationale": "Overwrite"}, format="json", HTTP_IF_MATCH=etag), 412
    )
    assert body["current_version"] == updated.json()["version"]
    assert Claim.objects.get(pk=claim.pk).status == "reviewed"


def test_a_verdict_by_rating_id_or_russian_label(document, reviewer, project):
    client = client_for(reviewer)
    first, second = document.claims.order_by("start")[:2]
    rating = project.rating_scale.ratings.get(value="false")
    by_id = client.post(
        f"/api/v1/claims/{first.pk}/verdicts/",
        {"rating": rating.pk, "rationale": "No."},
        format="json",
    )
    assert by_id.json()["rating"]["value"] == "false"
    by_label = client.post(
        f"/api/v1/claims/{second.pk}/verdicts/",
        {"rating": "Полуправда", "rationale": "Отчасти."},
        format="json",
    )
    assert by_label.json()["rating"]["value"] == "half_true"
    unknown = client.post(
        f"/api/v1/claims/{second.pk}/verdicts/",
        {"rating": "Pants on fire", "rationale": "?"},
        format="json",
    )
    assert "rating" in assert_error(unknown, 400)["fields"]


def test_editors_approve_and_publish_reviewers_cannot(document, reviewer, editor):
    claim = document.claims.order_by("start").first()
    client_for(reviewer).post(
        f"/api/v1/claims/{claim.pk}/verdicts/",
        {"rating": "true", "rationale": "Matches the statistics office."},
        format="json",
    )
    url = f"/api/v1/claims/{claim.pk}/"
    assert_error(client_for(reviewer).post(url + "approve/"), 403)
    editor_client = client_for(editor)
    verdict_id = client_for(reviewer).get(url + "verdicts/").json()[0]["id"]
    final = editor_client.post(url + "final-verdict/", {"verdict": verdict_id}, format="json")
    assert final.status_code == 200, final.content
    assert editor_client.post(url + "approve/").json()["status"] == "approved"
    published = editor_client.post(url + "publish/").json()
    assert published["status"] == "published" and published["published_at"]


def test_attaching_a_source_answers_pending_and_refetch_is_accepted(document, reviewer):
    client = client_for(reviewer)
    claim = document.claims.first()
    response = client.post(
        f"/api/v1/claims/{claim.pk}/sources/",
        {"url": "https://stat.example.org/trade", "quote": "exports grew", "stance": "supports"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["fetch_state"] == FetchState.PENDING
    refetch = client.post(f"/api/v1/sources/{response.json()['id']}/refetch/")
    assert refetch.status_code == 202


@pytest.mark.parametrize("url", ["file:///etc/passwd", "not a url", "ftp://example.org/x"])
def test_a_source_url_that_is_not_http_is_refused(document, reviewer, url):
    claim = document.claims.first()
    response = client_for(reviewer).post(
        f"/api/v1/claims/{claim.pk}/sources/", {"url": url}, format="json"
    )
    assert "url" in assert_error(response, 400)["fields"]
    assert not Source.objects.exists()


def test_viewers_read_but_cannot_write(document, member):
    viewer = client_for(member("viewer"))
    claim = document.claims.first()
    assert viewer.get(f"/api/v1/claims/{claim.pk}/").status_code == 200
    assert_error(
        viewer.post(f"/api/v1/claims/{claim.pk}/comments/", {"body": "Hi"}, format="json"), 403
    )


def test_comments_thread_and_history_records_who(document, reviewer):
    client = client_for(reviewer)
    claim = document.claims.first()
    url = f"/api/v1/claims/{claim.pk}/"
    first = client.post(url + "comments/", {"body": "Source?"}, format="json").json()
    client.post(url + "comments/", {"body": "Rosstat.", "parent": first["id"]}, format="json")
    thread = client.get(url + "comments/").json()
    assert [(c["body"], c["depth"]) for c in thread] == [("Source?", 0), ("Rosstat.", 1)]
    client.post(url + "verdicts/", {"rating": "true", "rationale": "Ok."}, format="json")
    history = client.get(url + "history/").json()
    assert any(e["model"] == "verdict" and e["who"] == reviewer.username for e in history)


def test_the_claim_list_takes_a_fixed_number_of_queries(
    project, reviewer, django_assert_max_num_queries
):
    text = " ".join(f"Exports grew by {n}% in 20{n:02d}." for n in range(1, 41))
    document = document_create(project=project, actor=reviewer, title="Many", text=text)
    rating = project.rating_scale.ratings.get(value="true")
    from annotations.models import Verdict

    for claim in document.claims.all():
        Source.objects.create(claim=claim, url="https://example.org/a")
        Verdict.objects.create(claim=claim, reviewer=reviewer, rating=rating, rationale="ok")
    client = client_for(reviewer)
    with django_assert_max_num_queries(14):
        response = client.get(f"/api/v1/claims/?document={document.pk}&page_size=500")
    assert len(response.json()["results"]) == 40


def test_page_size_is_capped(document, reviewer):
    response = client_for(reviewer).get("/api/v1/claims/?page_size=100000")
    assert response.status_code == 200


def test_the_openapi_schema_validates_without_warnings():
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")


def test_the_schema_and_swagger_ui_are_served(reviewer):
    client = client_for(reviewer)
    assert client.get("/api/schema/").status_code == 200
    client.force_login(reviewer)
    assert client.get("/api/docs/").status_code == 200


def test_a_claim_reads_the_same_in_the_list_and_on_its_own(document, reviewer, project):
    from datetime import timedelta

    from django.utils import timezone

    from annotations.models import Verdict

    claim = document.claims.first()
    source = Source.objects.create(claim=claim, url="https://example.org/r", added_by=reviewer)
    for number, age in ((1, 2), (2, 1)):
        source.snapshots.create(
            fetch_number=number, final_url=source.url, http_status=200,
            content_type="text/html", sha256="0" * 64,
            fetched_at=timezone.now() - timedelta(hours=age), quote_found=True,
            quote_score=97.5, suggestions=[{"start": 0, "end": 4, "text": "Some", "score": 1.0}],
        )  # fmt: skip
    rating = project.rating_scale.ratings.get(value="false")
    verdict = Verdict.objects.create(claim=claim, reviewer=reviewer, rating=rating, rationale="No")
    verdict.sources.add(source)
    Claim.objects.filter(pk=claim.pk).update(final_verdict=verdict, assignee=reviewer)
    client = client_for(reviewer)

    listed = client.get(f"/api/v1/claims/?document={document.pk}").json()["results"][0]
    single = client.get(f"/api/v1/claims/{claim.pk}/").json()

    assert listed == single
    (shown,) = single["sources"]
    assert shown["added_by"] == reviewer.username
    assert shown["latest_snapshot"]["fetch_number"] == 2
    assert shown["latest_snapshot"]["suggestions"][0]["text"] == "Some"
    assert "text" not in shown["latest_snapshot"] and "body" not in shown["latest_snapshot"]
    assert single["verdicts"] == [single["final_verdict"]]
    assert single["final_verdict"]["rating"]["value"] == "false"
    assert single["final_verdict"]["sources"] == [source.pk]
    assert single["assignee"] == reviewer.username


def test_claim_list_times_follow_the_current_time_zone(document, reviewer):
    from django.utils import timezone

    client = client_for(reviewer)
    claim = document.claims.first()
    with timezone.override("Europe/Moscow"):
        listed = client.get(f"/api/v1/claims/?document={document.pk}").json()["results"][0]
        single = client.get(f"/api/v1/claims/{claim.pk}/").json()
    assert listed["created_at"].endswith("+03:00")
    assert listed["created_at"] == single["created_at"]
