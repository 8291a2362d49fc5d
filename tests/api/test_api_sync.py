"""Cursor pages and ``updated_since`` on the big API lists, for clients that keep a copy."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from annotations.models import Claim, Role, Source, Verdict
from tests.factories import DocumentFactory, MembershipFactory, ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def make_document(project, count: int, **kwargs) -> list[Claim]:
    sentences = [f"Exports grew by {n}% in 2023." for n in range(count)]
    document = DocumentFactory(project=project, text=" ".join(sentences), **kwargs)
    claims, start = [], 0
    for position, sentence in enumerate(sentences):
        claims.append(
            Claim(
                document=document,
                position=position,
                start=start,
                end=start + len(sentence),
                text=sentence,
            )
        )
        start += len(sentence) + 1
    return Claim.objects.bulk_create(claims)


def walk(client, url: str, params: dict) -> list[int]:
    """Every id over all pages, following ``next``."""
    seen: list[int] = []
    response = client.get(url, params)
    while True:
        assert response.status_code == 200, response.content
        body = response.json()
        assert set(body) == {"next", "results"}
        seen += [row["id"] for row in body["results"]]
        if body["next"] is None:
            return seen
        response = client.get(body["next"])


def test_the_claim_cursor_walks_every_claim_once_in_reading_order(project, reviewer):
    first = make_document(project, 5)
    second = make_document(project, 4)
    ids = walk(api(reviewer), "/api/v1/claims/", {"page_size": 2})
    assert ids == [c.pk for c in first] + [c.pk for c in second]


def test_the_cursor_is_stable_when_claims_are_added_while_paging(project, reviewer):
    claims = make_document(project, 6)
    client = api(reviewer)
    page = client.get("/api/v1/claims/", {"page_size": 3}).json()
    # A newer document comes in between two pages: nothing seen is repeated or skipped.
    added = make_document(project, 2)
    rest = walk(client, page["next"], {})
    assert [row["id"] for row in page["results"]] + rest == [c.pk for c in claims + added]


def test_updated_since_returns_only_what_changed(project, reviewer):
    claims = make_document(project, 4)
    past = timezone.now() - timedelta(days=1)
    Claim.objects.filter(pk__in=[c.pk for c in claims]).update(updated_at=past)
    moment = timezone.now() - timedelta(minutes=1)
    Claim.objects.filter(pk=claims[2].pk).update(updated_at=timezone.now())
    ids = walk(
        api(reviewer),
        "/api/v1/claims/",
        {"updated_since": moment.isoformat(), "ordering": "updated"},
    )
    assert ids == [claims[2].pk]


def test_ordering_by_update_pages_in_the_order_of_change(project, reviewer):
    claims = make_document(project, 4)
    now = timezone.now()
    for offset, claim in zip([3, 1, 4, 2], claims, strict=True):
        Claim.objects.filter(pk=claim.pk).update(updated_at=now - timedelta(minutes=10 - offset))
    ids = walk(api(reviewer), "/api/v1/claims/", {"ordering": "updated", "page_size": 1})
    assert ids == [claims[1].pk, claims[3].pk, claims[0].pk, claims[2].pk]


@pytest.mark.parametrize(
    "params,field",
    [
        ({"cursor": "not-a-cursor"}, "cursor"),
        ({"cursor": "WyJ4Il0"}, "cursor"),  # a list of the wrong kind of value
        ({"ordering": "text"}, "ordering"),
        ({"page_size": "0"}, "page_size"),
        ({"updated_since": "yesterday"}, "updated_since"),
    ],
)
def test_a_bad_cursor_ordering_or_moment_is_a_clear_400(project, reviewer, params, field):
    make_document(project, 2)
    response = api(reviewer).get("/api/v1/claims/", params)
    assert response.status_code == 400
    assert field in response.content.decode()


def test_sources_are_listed_by_cursor_within_the_users_projects(project, reviewer):
    claims = make_document(project, 3)
    sources = [Source.objects.create(claim=c, url=f"https://e.example/{c.pk}") for c in claims]
    elsewhere = make_document(ProjectFactory(), 1)[0]
    Source.objects.create(claim=elsewhere, url="https://e.example/other")
    trashed = Source.objects.create(claim=claims[0], url="https://e.example/t")
    trashed.deleted_at = timezone.now()
    trashed.save()
    ids = walk(api(reviewer), "/api/v1/sources/", {"page_size": 2})
    assert ids == [s.pk for s in sources]
    by_claim = walk(api(reviewer), "/api/v1/sources/", {"claim": claims[1].pk})
    assert by_claim == [sources[1].pk]


@pytest.fixture
def blind(db):
    project = ProjectFactory(blind_review=True)
    first, second = UserFactory(), UserFactory()
    editor = UserFactory()
    for user, role in ((first, Role.REVIEWER), (second, Role.REVIEWER), (editor, Role.EDITOR)):
        MembershipFactory(project=project, user=user, role=role)
    claims = make_document(project, 2)
    rating = project.rating_scale.ratings.first()
    by_second = Verdict.objects.create(
        claim=claims[0], reviewer=second, rating=rating, rationale="Checked."
    )
    return SimpleNamespace(
        first=first, second=second, editor=editor, claims=claims, rating=rating, by_second=by_second
    )


def test_under_blind_review_the_verdict_list_hides_others_until_one_gives_one(blind):
    assert walk(api(blind.first), "/api/v1/verdicts/", {}) == []
    assert walk(api(blind.second), "/api/v1/verdicts/", {}) == [blind.by_second.pk]
    assert walk(api(blind.editor), "/api/v1/verdicts/", {}) == [blind.by_second.pk]
    own = Verdict.objects.create(
        claim=blind.claims[0], reviewer=blind.first, rating=blind.rating, rationale="Mine."
    )
    assert walk(api(blind.first), "/api/v1/verdicts/", {}) == [blind.by_second.pk, own.pk]
    assert walk(api(UserFactory()), "/api/v1/verdicts/", {}) == []


def test_the_verdict_list_filters_by_updated_since(blind):
    moved = timezone.now() - timedelta(days=2)
    Verdict.objects.filter(pk=blind.by_second.pk).update(updated_at=moved)
    since = (timezone.now() - timedelta(days=1)).isoformat()
    assert walk(api(blind.editor), "/api/v1/verdicts/", {"updated_since": since}) == []
    earlier = (moved - timedelta(days=1)).isoformat()
    assert walk(api(blind.editor), "/api/v1/verdicts/", {"updated_since": earlier}) == [
        blind.by_second.pk
    ]


def test_the_schema_documents_the_cursor_and_updated_since(client, db):
    schema = client.get("/api/schema/", {"format": "json"})
    text = schema.content.decode()
    assert schema.status_code == 200
    for name in ("cursor", "updated_since", "ordering"):
        assert f'"name": "{name}"' in text or f"name: {name}" in text
    assert "/api/v1/verdicts/" in text and "/api/v1/sources/" in text


def test_updated_since_with_any_offset_iso_allows_is_read_in_utc(project, reviewer):
    claims = make_document(project, 2)
    client = api(reviewer)
    # +18:17 is valid ISO 8601 but beyond PostgreSQL's offsets; the first moment of the
    # calendar at +05:00 has no UTC time: it is before everything.
    for since, expected in [
        ("2000-01-01T00:00:00+18:17", [c.pk for c in claims]),
        ("0001-01-01T00:00:00+05:00", [c.pk for c in claims]),
        ("9999-12-31T23:00:00-05:00", []),
    ]:
        assert walk(client, "/api/v1/claims/", {"updated_since": since}) == expected
        assert walk(client, "/api/v1/sources/", {"updated_since": since}) == []
        assert walk(client, "/api/v1/verdicts/", {"updated_since": since}) == []
