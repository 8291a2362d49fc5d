"""A published claim is a public fact-check: a page anyone can read, with its ClaimReview."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from django.test import Client
from django.utils import timezone

from annotations.models import AuthorType, Snapshot, Source
from annotations.services.documents import document_create
from annotations.services.publishing import publication_update
from annotations.services.verdicts import claim_set_final_verdict
from annotations.services.versions import document_add_version
from annotations.services.workflow import claim_approve, claim_publish, claim_unpublish
from tests.helpers import schemaorg_problems

TEXT = (
    "Торговля с Казахстаном.\n\n"
    "Товарооборот России и Казахстана в 2023 году вырос на 5,1% и достиг 28 млрд долларов. "
    "Эксперты считают, что рост продолжится.\n\n"
    "Министерство экономики опубликовало отчёт."
)
JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)


def json_ld_of(response) -> object:
    (block,) = JSON_LD.findall(response.content.decode())
    return json.loads(block)


@pytest.fixture
def document(project, editor):
    project.organization_name = "Фактчек.Центр"
    project.organization_url = "https://factcheck.example.org/"
    project.save()
    document = document_create(
        project=project,
        actor=editor,
        title="Торговля",
        text=TEXT,
        source_url="https://news.example.com/trade",
    )
    document.author = "Министерство экономики"
    document.published_on = date(2024, 2, 1)
    document.save()
    return document


@pytest.fixture
def claim(document):
    return document.claims.get(text__startswith="Товарооборот")


def publish(claim, editor, *, rating: str = "mostly_true", source: Source | None = None) -> None:
    claim_set_final_verdict(
        claim=claim,
        actor=editor,
        rating=rating,
        rationale="По данным ФТС, рост составил 5,1%, но в рублях, а не в долларах.",
        sources=[source] if source else None,
    )
    claim_approve(claim=claim, actor=editor)
    claim_publish(claim=claim, actor=editor)
    claim.refresh_from_db()


@pytest.fixture
def source(claim, editor):
    source = Source.objects.create(
        claim=claim,
        url="https://customs.example.gov/report",
        title="Отчёт ФТС за 2023 год",
        quote="рост на 5,1%",
        added_by=editor,
        fetch_state="quote_found",
    )
    Snapshot.objects.create(
        source=source,
        fetch_number=1,
        final_url=source.url,
        http_status=200,
        content_type="text/html",
        fetched_at=timezone.make_aware(timezone.datetime(2024, 3, 5, 12, 0)),
        quote_found=True,
        quote_passage="товарооборот вырос на 5,1% в рублёвом выражении",
    )
    return source


def test_anyone_reads_a_published_claims_page_with_its_claimreview(claim, editor, source):
    publish(claim, editor, source=source)
    response = Client().get(f"/fact-checks/{claim.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    review = json_ld_of(response)
    assert review["url"] == f"http://testserver/fact-checks/{claim.pk}/"
    assert review["@type"] == "ClaimReview"
    assert review["claimReviewed"] == claim.text
    assert review["inLanguage"] == "ru"
    assert review["author"] == {
        "@type": "Organization",
        "name": "Фактчек.Центр",
        "url": "https://factcheck.example.org/",
    }
    assert review["reviewRating"]["alternateName"] == "В основном правда"
    assert review["itemReviewed"]["appearance"] == [
        {"@type": "CreativeWork", "url": "https://news.example.com/trade"}
    ]
    assert review["itemReviewed"]["datePublished"] == "2024-02-01"
    assert review["datePublished"] == timezone.localdate().isoformat()
    # The claim in its context, the verdict, its reasoning and the evidence.
    assert f"<mark>{claim.text}</mark>" in page
    assert "Торговля с Казахстаном." not in page  # another paragraph
    assert "В основном правда" in page
    assert "рост составил 5,1%" in page
    assert "товарооборот вырос на 5,1% в рублёвом выражении" in page
    assert "Отчёт ФТС за 2023 год" in page
    assert "5 марта 2024" in page
    assert f'<meta property="og:url" content="http://testserver/fact-checks/{claim.pk}/">' in page


def test_a_public_page_speaks_the_projects_language_whatever_the_visitor_asks(claim, editor):
    publish(claim, editor)
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get(f"/fact-checks/{claim.pk}/")
    page = response.content.decode()
    assert response["Content-Language"] == "ru"
    assert '<html lang="ru">' in page
    for english in ("Mostly true", "Fact-check", "Sources", "Checked by", "mostly_true"):
        assert english not in page


def test_a_public_page_passes_schema_org_and_googles_required_fields(claim, editor):
    publish(claim, editor)
    review = json_ld_of(Client().get(f"/fact-checks/{claim.pk}/"))
    assert schemaorg_problems(review, "ClaimReview") == []
    # Google's fact-check markup: required, then recommended.
    for field in ("claimReviewed", "reviewRating", "url", "author", "itemReviewed"):
        assert review[field]
    assert {"alternateName", "ratingValue", "bestRating", "worstRating"} <= set(
        review["reviewRating"]
    )
    assert {"author", "datePublished", "appearance"} <= set(review["itemReviewed"])
    assert review["datePublished"]


def test_the_author_is_an_organisation_when_the_editor_says_so(claim, editor, document):
    document.author_type = AuthorType.ORGANIZATION
    document.save()
    publish(claim, editor)
    review = json_ld_of(Client().get(f"/fact-checks/{claim.pk}/"))
    assert review["itemReviewed"]["author"] == {
        "@type": "Organization",
        "name": "Министерство экономики",
    }


def test_the_editors_summary_article_and_first_appearance_are_published(claim, editor):
    publication_update(
        claim=claim,
        actor=editor,
        summary="  Товарооборот  вырос на 5,1%  ",
        article_url="https://newsroom.example.com/checks/trade",
        first_appearance_url="https://t.me/example/42",
    )
    publish(claim, editor)
    response = Client().get(f"/fact-checks/{claim.pk}/")
    review = json_ld_of(response)
    assert review["claimReviewed"] == "Товарооборот вырос на 5,1%"
    assert review["url"] == "https://newsroom.example.com/checks/trade"
    assert review["itemReviewed"]["firstAppearance"] == {
        "@type": "CreativeWork",
        "url": "https://t.me/example/42",
    }
    assert '<link rel="canonical" href="https://newsroom.example.com/checks/trade">' in (
        response.content.decode()
    )


def test_the_projects_public_address_makes_the_review_url(claim, editor, project):
    project.public_base_url = "https://checks.example.org/"
    project.save()
    publish(claim, editor)
    review = json_ld_of(Client().get(f"/fact-checks/{claim.pk}/"))
    assert review["url"] == f"https://checks.example.org/fact-checks/{claim.pk}/"


def test_an_unpublished_claim_is_gone_and_a_never_published_one_not_found(claim, editor):
    other = claim.document.claims.exclude(pk=claim.pk).first()
    assert Client().get(f"/fact-checks/{other.pk}/").status_code == 404
    publish(claim, editor)
    claim_unpublish(claim=claim, actor=editor)
    response = Client().get(f"/fact-checks/{claim.pk}/")
    assert response.status_code == 410
    assert "application/ld+json" not in response.content.decode()
    assert Client().get(f"/fact-checks/documents/{claim.document_id}/").status_code == 410
    assert Client().get("/fact-checks/999999/").status_code == 404


def test_a_republished_claim_keeps_its_first_publication_date(claim, editor):
    publish(claim, editor)
    first = claim.publication.first_published_at
    claim_unpublish(claim=claim, actor=editor)
    claim_publish(claim=claim, actor=editor)
    claim.publication.refresh_from_db()
    assert claim.publication.first_published_at == first
    assert claim.publication.withdrawn_at is None
    assert Client().get(f"/fact-checks/{claim.pk}/").status_code == 200


def test_a_documents_public_page_lists_only_its_published_claims(claim, editor, document):
    publish(claim, editor)
    response = Client().get(f"/fact-checks/documents/{document.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert f'href="http://testserver/fact-checks/{claim.pk}/"' in page
    assert "Эксперты считают" not in page
    reviews = json_ld_of(response)
    assert [review["url"] for review in reviews] == [f"http://testserver/fact-checks/{claim.pk}/"]
    assert Client().get(f"/fact-checks/documents/{document.pk + 1000}/").status_code == 404


def test_a_documents_public_page_follows_its_claims_to_the_articles_new_version(
    claim, editor, document
):
    publish(claim, editor)
    changed = TEXT.replace("Министерство экономики", "Минэкономразвития")
    new = document_add_version(document=document, actor=editor, text=changed).document
    claim.refresh_from_db()
    assert claim.document_id == new.pk

    old_page = Client().get(f"/fact-checks/documents/{document.pk}/")

    assert old_page.status_code == 301
    assert old_page["Location"] == f"/fact-checks/documents/{new.pk}/"
    assert Client().get(old_page["Location"]).status_code == 200


def test_a_public_page_escapes_the_text_and_the_json_ld(project, editor):
    text = 'Он сказал: "</script><script>alert(1)</script>" — и рост составил 5% в 2023 году.'
    document = document_create(project=project, actor=editor, title="<b>x</b>", text=text)
    claim = document.claims.first()
    publish(claim, editor)
    response = Client().get(f"/fact-checks/{claim.pk}/")
    page = response.content.decode()
    assert "<script>alert(1)" not in page
    assert json_ld_of(response)["claimReviewed"] == claim.text
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert " style=" not in page


def test_the_public_style_sheet_exists_only_for_a_publishing_project(claim, editor, project):
    assert Client().get(f"/fact-checks/styles/{project.slug}.css").status_code == 404
    publish(claim, editor)
    response = Client().get(f"/fact-checks/styles/{project.slug}.css")
    assert response.status_code == 200
    assert "--rating" in response.content.decode()


def test_only_an_editor_sets_how_a_claim_is_published(claim, reviewer):
    from annotations.services.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        publication_update(claim=claim, actor=reviewer, summary="x")


def test_a_bad_article_address_is_refused_with_a_message(claim, editor):
    from annotations.services.errors import ValidationError

    with pytest.raises(ValidationError) as refused:
        publication_update(claim=claim, actor=editor, article_url="javascript:alert(1)")
    assert "article_url" in refused.value.message_dict


def test_the_api_reads_and_sets_how_a_claim_is_published(claim, editor, reviewer):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(editor)
    url = f"/api/v1/claims/{claim.pk}/publication/"
    answer = api.patch(url, {"summary": "Рост на 5,1%", "article_url": "not a url"}, format="json")
    assert answer.status_code == 400
    assert "article_url" in answer.json()["fields"]
    answer = api.patch(url, {"summary": "Рост на 5,1%"}, format="json")
    assert answer.status_code == 200
    assert answer.json()["summary"] == "Рост на 5,1%"
    assert answer.json()["public"] is False and answer.json()["claimreview"] is None
    publish(claim, editor)
    body = api.get(url).json()
    assert body["public_url"] == f"http://testserver/fact-checks/{claim.pk}/"
    assert body["claimreview"]["claimReviewed"] == "Рост на 5,1%"
    api.force_authenticate(reviewer)
    assert api.patch(url, {"summary": "x"}, format="json").status_code == 403
    assert api.get(url).status_code == 200


def test_migrating_the_document_table_keeps_every_trigger_on_it(db):
    """SQLite rebuilds a table to change it; the triggers on and reading the document
    table must come through the publishing migration as they were."""
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite rebuilds tables; PostgreSQL alters them in place")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' "
            "AND (tbl_name = 'annotations_document' OR sql LIKE '%annotations_document%')"
        )
        names = {name for (name,) in cursor.fetchall()}
    assert "annotations_claim_text_is_slice_insert" in names
    assert any(name.startswith("annotations_document") for name in names), names


def test_an_editor_sets_the_published_wording_in_the_panel_and_opens_the_public_page(claim, editor):
    client = Client()
    client.force_login(editor)
    url = f"/claims/{claim.pk}/publication/"
    refused = client.post(url, {"article_url": "ftp://x"}, HTTP_HX_REQUEST="true")
    assert refused.status_code == 422
    assert 'class="error" role="alert"' in refused.content.decode()
    saved = client.post(url, {"summary": "Рост на 5,1%"}, HTTP_HX_REQUEST="true")
    assert saved.status_code == 200
    assert 'value="Рост на 5,1%"' in saved.content.decode()
    assert f'href="/fact-checks/{claim.pk}/"' not in saved.content.decode()
    publish(claim, editor)
    panel = client.get(f"/claims/{claim.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert f'href="/fact-checks/{claim.pk}/"' in panel


def test_a_reviewer_sees_no_publication_form(claim, reviewer):
    client = Client()
    client.force_login(reviewer)
    panel = client.get(f"/claims/{claim.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert "publication_summary" not in panel
    assert client.post(f"/claims/{claim.pk}/publication/", {"summary": "x"}).status_code in (
        302,
        403,
    )


def test_staff_see_and_change_the_publication_in_the_admin(claim, editor):
    from tests.factories import UserFactory

    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    publish(claim, editor)
    client = Client()
    client.force_login(admin)
    page = client.get(f"/admin/annotations/claim/{claim.pk}/change/").content.decode()
    assert 'name="publication-0-summary"' in page
    assert 'name="publication-0-first_published_at"' not in page  # kept by the workflow


def test_an_api_address_that_matches_no_route_answers_json(client, db):
    answer = client.get("/api/v1/projects/a/b/c/d/")
    assert answer.status_code == 404
    assert answer.json() == {"error": "not_found", "detail": "Not found.", "fields": {}}
    page = client.get("/no-such-page/")
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")


def test_a_documents_details_are_corrected_in_the_api_and_reach_the_claimreview(
    claim, editor, reviewer, document
):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(reviewer)
    url = f"/api/v1/documents/{document.pk}/"
    assert api.patch(url, {"author": "x"}, format="json").status_code == 403
    api.force_authenticate(editor)
    refused = api.patch(url, {"source_url": "not an address"}, format="json")
    assert refused.status_code == 400 and "source_url" in refused.json()["fields"]
    answer = api.patch(
        url,
        {"author_type": "Organization", "published_on": "2024-01-15"},
        format="json",
    )
    assert answer.status_code == 200
    assert answer.json()["author_type"] == "Organization"
    assert answer.json()["author"] == "Министерство экономики"  # unchanged
    publish(claim, editor)
    review = json_ld_of(Client().get(f"/fact-checks/{claim.pk}/"))
    assert review["itemReviewed"]["author"]["@type"] == "Organization"
    assert review["itemReviewed"]["datePublished"] == "2024-01-15"


def test_the_author_type_is_set_on_the_documents_page(document, editor):
    client = Client()
    client.force_login(editor)
    form = {
        "title": document.title,
        "author": "ООН",
        "author_type": "Organization",
        "source_url": "",
        "published_on": "",
    }
    answer = client.post(f"/documents/{document.pk}/edit/", form)
    assert answer.status_code == 302
    document.refresh_from_db()
    assert (document.author, document.author_type) == ("ООН", "Organization")
