"""The API's big lists page by seeking: the trash per kind, newest first, and a cursor deep
in the claim list reads from where it points (no OFFSET, a bounded read, the joined
documents bounded too), so that page N costs what page 1 does."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from annotations.api.pagination import KeysetPagination
from annotations.models import Claim
from tests.factories import DocumentFactory
from tests.helpers import assert_error, client_for

pytestmark = pytest.mark.django_db


def make_claims(project, count: int, **fields) -> list[Claim]:
    sentences = [f"Exports grew by {n}% in 2023." for n in range(count)]
    document = DocumentFactory(project=project, text=" ".join(sentences))
    claims, start = [], 0
    for position, sentence in enumerate(sentences):
        end = start + len(sentence)
        claims.append(
            Claim(
                document=document, position=position, start=start, end=end, text=sentence, **fields
            )
        )
        start = end + 1
    return Claim.objects.bulk_create(claims)


def walk(user, url: str, params: dict) -> list[int]:
    api = client_for(user)
    response = api.get(url, params)
    ids: list[int] = []
    while True:
        assert response.status_code == 200, response.content
        body = response.json()
        ids += [row["id"] for row in body["results"]]
        if body["next"] is None:
            return ids
        response = api.get(body["next"])


@pytest.fixture
def trashed(project):
    """Seven claims in the trash, deleted a minute apart, two of them at the same moment."""
    claims = make_claims(project, 9)
    moment = timezone.now()
    for offset, claim in enumerate(claims[:7]):
        claim.deleted_at = moment - timedelta(minutes=min(offset, 5))
    Claim.objects.bulk_update(claims, ["deleted_at"])
    return claims[:7]


def newest_first(claims: list[Claim]) -> list[int]:
    return [c.pk for c in sorted(claims, key=lambda c: (c.deleted_at, c.pk), reverse=True)]


def test_the_trash_of_one_kind_pages_newest_first_by_cursor(reviewer, project, trashed):
    ids = walk(reviewer, "/api/v1/trash/claims/", {"project": project.slug, "page_size": 2})
    assert ids == newest_first(trashed)
    for kind in ("verdicts", "sources", "comments"):
        assert walk(reviewer, f"/api/v1/trash/{kind}/", {"project": project.slug}) == []


def test_the_whole_trash_holds_a_page_of_each_kind_and_links_to_the_rest(
    reviewer, project, trashed
):
    api = client_for(reviewer)
    body = api.get("/api/v1/trash/", {"project": project.slug, "page_size": 3}).json()
    assert [c["id"] for c in body["claims"]] == newest_first(trashed)[:3]
    assert body["next"]["verdicts"] is None and body["verdicts"] == []
    rest = api.get(body["next"]["claims"])
    assert rest.status_code == 200, rest.content
    following = [c["id"] for c in rest.json()["results"]]
    assert following == newest_first(trashed)[3:6]


def test_the_trash_lists_refuse_bad_input(reviewer, outsider, project, trashed):
    api = client_for(reviewer)
    url = "/api/v1/trash/claims/"
    assert "project" in assert_error(api.get(url), 400, "invalid")["fields"]
    bad_cursor = api.get(url, {"project": project.slug, "cursor": "bm90IGEgY3Vyc29y"})
    assert "cursor" in assert_error(bad_cursor, 400, "invalid")["fields"]
    assert_error(api.get(url, {"project": "nowhere"}), 404, "not_found")
    assert_error(client_for(outsider).get(url, {"project": project.slug}), 404, "not_found")


def list_sql(user, url: str, params: dict, table: str) -> tuple[dict, str]:
    """The response to a list request and the SQL of its read of ``table``'s rows."""
    with CaptureQueriesContext(connection) as queries:
        response = client_for(user).get(url, params)
    assert response.status_code == 200, response.content
    reads = [q["sql"] for q in queries if q["sql"].startswith(f'SELECT "{table}"."id"')]
    assert len(reads) == 1, reads
    return response.json(), reads[0]


def test_a_cursor_deep_in_the_claims_seeks_to_it(project, reviewer):
    documents = [make_claims(project, 4) for _ in range(5)]
    params = {"project": project.slug, "page_size": 3}
    # Further in: the page starts after the fourth document's second claim.
    middle = documents[3][1]
    deep = KeysetPagination._encode([middle.document_id, middle.position])
    body, sql = list_sql(
        reviewer, "/api/v1/claims/", {**params, "cursor": deep}, "annotations_claim"
    )
    assert [c["id"] for c in body["results"]] == [c.pk for c in documents[3][2:]] + [
        documents[4][0].pk
    ]
    assert "OFFSET" not in sql.upper()
    assert sql.rstrip().endswith("LIMIT 4")
    # The cursor bounds the claims and the documents they are joined with alike.
    assert '("annotations_claim"."document_id", "annotations_claim"."position") > ' in sql
    assert f'"annotations_document"."id" >= {middle.document_id}' in sql


def test_a_later_page_of_the_trash_is_a_bounded_read_without_offset(project, reviewer, trashed):
    params = {"project": project.slug, "page_size": 2}
    first, _sql = list_sql(reviewer, "/api/v1/trash/claims/", params, "annotations_claim")
    cursor = parse_qs(urlsplit(first["next"]).query)["cursor"][0]
    _body, sql = list_sql(
        reviewer, "/api/v1/trash/claims/", {**params, "cursor": cursor}, "annotations_claim"
    )
    assert "OFFSET" not in sql.upper() and sql.rstrip().endswith("LIMIT 3")
    assert '("annotations_claim"."deleted_at", "annotations_claim"."id") < ' in sql
