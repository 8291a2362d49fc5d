"""The reviewer pages: login everywhere, other projects invisible, output escaped, CSP, CSRF."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import URLPattern, reverse

from annotations import urls as ui_urls
from annotations.models import Comment, Source, Verdict
from annotations.services.verdicts import verdict_submit
from tests.factories import ClaimFactory, DocumentFactory, ProjectFactory
from tests.ui_helpers import HTMX, login

# Pages for everyone: signing in, and published fact-checks
# (tests/publishing/test_publishing_pages.py).
PUBLIC = {"login", "logout", "public_claim", "public_document", "public_rating_styles"}


def ui_routes() -> list[URLPattern]:
    return [p for p in ui_urls.urlpatterns if p.name not in PUBLIC]


def fill(pattern: URLPattern, pk: int, slug: str) -> str:
    kwargs = {}
    for name in pattern.pattern.converters:
        kwargs[name] = {"pk": pk, "slug": slug, "fmt": "native", "action": "approve"}[name]
    return reverse(pattern.name, kwargs=kwargs)


@pytest.mark.parametrize("pattern", ui_routes(), ids=lambda p: p.name)
def test_anonymous_users_are_sent_to_the_login_page(client, db, pattern):
    url = fill(pattern, 1, "demo")
    for method in (client.get, client.post):
        response = method(url)
        assert response.status_code in (302, 405), url
        if response.status_code == 302:
            assert response["Location"].startswith(reverse("login")), url


@pytest.fixture
def foreign(db):
    """A claim with a source, a verdict and a comment in a project the user is not in."""
    project = ProjectFactory()
    claim = ClaimFactory(document=DocumentFactory(project=project))
    source = Source.objects.create(claim=claim, url="https://example.org/")
    Comment.objects.create(claim=claim, author=claim_author(project), body="Hm.")
    return project, claim, source


def claim_author(project):
    from tests.factories import MembershipFactory

    return MembershipFactory(project=project).user


@pytest.mark.parametrize("pattern", ui_routes(), ids=lambda p: p.name)
def test_ids_of_other_projects_are_not_found(client, reviewer, foreign, pattern):
    project, claim, source = foreign
    if not pattern.pattern.converters:
        pytest.skip("no id in this address")
    pk = source.pk if pattern.name.startswith("source_") else claim.pk
    if pattern.name.startswith("document") or pattern.name == "document_export":
        pk = claim.document_id
    url = fill(pattern, pk, project.slug)
    login(client, reviewer)
    data = {"version": 1, "at": 3, "start": 0, "end": 3, "body": "x", "url": "https://a.org/"}
    response = client.post(url, data) if _is_post(pattern) else client.get(url)
    assert response.status_code == 404, url
    assert Source.objects.count() == 1 and Comment.objects.count() == 1
    assert not Verdict.objects.exists()


def _is_post(pattern: URLPattern) -> bool:
    return pattern.name not in {
        "document_list",
        "document_new",
        "project_trash",
        "rating_styles",
        "document_detail",
        "document_status",
        "document_matches",
        "document_assign",
        "document_export",
        "claim_panel",
        "claim_sources",
        "claim_similar",
        "my_queue",
        "project_list",
        "project_settings",
        "document_capture",
        "snapshot_capture",
    }


def test_a_claim_of_another_document_is_not_opened_in_this_one(client, reviewer, project):
    mine = DocumentFactory(project=project)
    other = ClaimFactory(document=DocumentFactory(project=project))
    login(client, reviewer)
    response = client.get(reverse("document_detail", args=[mine.pk]), {"claim": other.pk})
    # The document opens with a notice; the other document's claim is not shown.
    assert response.status_code == 200
    assert 'id="claim-panel"' not in response.text
    assert "no longer in the document" in response.text


SCRIPT = "<script>alert(1)</script>"


def test_markup_in_claims_sources_verdicts_and_comments_renders_inert(client, reviewer, project):
    text = f"Officials said {SCRIPT} exports grew. Next."
    document = DocumentFactory(project=project, title=f"Title {SCRIPT}", text=text)
    claim = ClaimFactory(document=document, start=0, end=text.index(".") + 1)
    Source.objects.create(claim=claim, url="https://example.org/", title=f"Source {SCRIPT}")
    Comment.objects.create(claim=claim, author=reviewer, body=f"Comment {SCRIPT}")
    verdict_submit(claim=claim, actor=reviewer, rating="false", rationale=f"Why {SCRIPT}")
    login(client, reviewer)
    pages = [
        client.get(reverse("document_detail", args=[document.pk]), {"claim": claim.pk}),
        client.get(reverse("claim_panel", args=[claim.pk]), headers=HTMX),
        client.get(reverse("document_list", args=[project.slug])),
        client.get(reverse("document_assign", args=[document.pk])),
    ]
    for response in pages:
        page = response.content.decode()
        assert SCRIPT not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_document_text_keeps_carriage_returns_so_offsets_match(client, reviewer, project):
    text = "First line.\r\nSecond line."
    document = DocumentFactory(project=project, text=text)
    ClaimFactory(document=document, start=13, end=len(text))
    login(client, reviewer)
    page = client.get(reverse("document_detail", args=[document.pk])).content.decode()
    article = page[page.index('id="document-text"') : page.index("</article>")]
    assert "\r" not in article
    assert "First line.&#13;\n<a" in article


def test_every_page_carries_a_content_security_policy(client, reviewer, project):
    login(client, reviewer)
    for url in (reverse("login"), reverse("project_list"), reverse("my_queue")):
        policy = client.get(url)["Content-Security-Policy"]
        assert "default-src 'self'" in policy
        assert "script-src 'self'" in policy
        assert "unsafe-inline" not in policy
        assert "frame-ancestors 'none'" in policy


def test_pages_have_no_inline_scripts_or_handlers(client, reviewer, project):
    document = DocumentFactory(project=project)
    claim = ClaimFactory(document=document)
    login(client, reviewer)
    for url in (
        reverse("project_list"),
        reverse("document_detail", args=[document.pk]) + f"?claim={claim.pk}",
        reverse("document_new", args=[project.slug]),
        reverse("my_queue"),
    ):
        page = client.get(url).content.decode()
        assert "onchange=" not in page and "onclick=" not in page and "onsubmit=" not in page
        for chunk in page.split("<script")[1:]:
            assert chunk.lstrip().startswith("src="), chunk[:80]
        assert "style=" not in page


def test_posts_without_the_csrf_token_are_refused(db, reviewer, project):
    claim = ClaimFactory(document=DocumentFactory(project=project))
    client = Client(enforce_csrf_checks=True)
    login(client, reviewer)
    url = reverse("claim_comment", args=[claim.pk])
    assert client.post(url, {"body": "No token."}).status_code == 403
    assert not Comment.objects.exists()
    # The page hands the token to htmx, which sends it as a header.
    page = client.get(reverse("document_detail", args=[claim.document_id]))
    token = str(page.context["csrf_token"])
    assert f'hx-headers=\'{{"X-CSRFToken": "{token}"}}\'' in page.content.decode()
    response = client.post(url, {"body": "With the token."}, headers={**HTMX, "X-CSRFToken": token})
    assert response.status_code == 200
    assert Comment.objects.get().body == "With the token."
