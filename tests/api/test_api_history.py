"""The API's history list: a project's (or one claim's) recorded changes, oldest first, in
cursor pages, from a moment on; under blind review the same entries as the claim panel."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator

from annotations.models import Claim, Role, Source
from annotations.selectors import claim_history_for
from annotations.services.verdicts import claim_set_final_verdict, verdict_submit
from tests.factories import ClaimFactory, DocumentFactory, MembershipFactory, ProjectFactory
from tests.helpers import assert_error, client_for

pytestmark = pytest.mark.django_db

TEXT = "Exports grew by 5% in 2023. Imports fell by 3% in 2024."
BOB_RATIONALE = "Bob checked the customs figures."


def walk(user, params: dict) -> list[dict]:
    """Every entry over all pages, following ``next``."""
    api = client_for(user)
    response = api.get("/api/v1/history/", params)
    entries: list[dict] = []
    while True:
        assert response.status_code == 200, response.content
        body = response.json()
        assert set(body) == {"next", "results"}
        entries += body["results"]
        if body["next"] is None:
            return entries
        response = api.get(body["next"])


def events(entries: list[dict]) -> list[tuple[str, int, str]]:
    return [(e["model"], e["object_id"], e["action"]) for e in entries]


@pytest.fixture
def newsroom(db):
    """A blind-review project: Bob judged the first claim, Alice has judged nothing yet,
    an editor set the first claim's final verdict."""
    project = ProjectFactory(blind_review=True)
    people = {}
    for name, role in [("alice", Role.REVIEWER), ("bob", Role.REVIEWER), ("erin", Role.EDITOR)]:
        people[name] = MembershipFactory(project=project, role=role, user__username=name).user
    document = DocumentFactory(project=project, text=TEXT)
    first = ClaimFactory(document=document, start=0, end=27, position=0)
    second = ClaimFactory(document=document, start=28, end=len(TEXT), position=1)
    Claim.history.filter(id__in=[first.pk, second.pk]).delete()
    # The history keeps the fields its model records (not the claim's search-only ones).
    kept = {f.attname for f in Claim.history.model._meta.concrete_fields}
    recorded = [f.attname for f in Claim._meta.concrete_fields if f.attname in kept]
    for claim in (first, second):
        claim.history.create(
            **{name: getattr(claim, name) for name in recorded},
            history_date=timezone.now(),
            history_type="+",
        )
    source = Source.objects.create(claim=first, url="https://stat.example/customs")
    bob = verdict_submit(claim=first, actor=people["bob"], rating="false", rationale=BOB_RATIONALE)
    claim_set_final_verdict(claim=first, actor=people["erin"], verdict=bob)
    return SimpleNamespace(
        project=project, first=first, second=second, source=source, bob_verdict=bob, **people
    )


def test_the_history_walks_every_entry_once_oldest_first(newsroom):
    whole = walk(newsroom.erin, {"project": newsroom.project.slug})
    paged = walk(newsroom.erin, {"project": newsroom.project.slug, "page_size": 2})
    assert events(paged) == events(whole)
    assert len(whole) >= 5
    moments = [e["when"] for e in whole]
    assert moments == sorted(moments)
    assert ("source", newsroom.source.pk, "created") in events(whole)
    assert ("verdict", newsroom.bob_verdict.pk, "created") in events(whole)
    final = [e for e in whole if e["model"] == "claim" and e["action"] == "changed"]
    assert any(c["field"] == "final_verdict" for e in final for c in e["changes"])
    assert {e["claim"] for e in whole} == {newsroom.first.pk, newsroom.second.pk}


def test_the_history_narrows_to_one_claim_as_its_panel_shows_it(newsroom):
    params = {"project": newsroom.project.slug, "claim": newsroom.first.pk}
    listed = walk(newsroom.erin, {**params, "page_size": 1})
    panel = claim_history_for(newsroom.erin, newsroom.first)
    assert events(listed) == [(e.model, e.object_id, e.action) for e in panel]
    assert {e["claim"] for e in listed} == {newsroom.first.pk}


def test_since_leaves_out_what_was_recorded_before(newsroom):
    params = {"project": newsroom.project.slug}
    everything = walk(newsroom.erin, params)
    Claim.history.filter(id=newsroom.second.pk).update(
        history_date=timezone.now() - timedelta(days=3)
    )
    since = (timezone.now() - timedelta(days=1)).isoformat()
    recent = walk(newsroom.erin, {**params, "since": since})
    assert ("claim", newsroom.second.pk, "created") not in events(recent)
    assert len(recent) == len(everything) - 1


def test_a_blind_reviewer_does_not_see_others_verdict_events(newsroom):
    params = {"project": newsroom.project.slug}
    seen = walk(newsroom.alice, {**params, "page_size": 1})
    assert ("verdict", newsroom.bob_verdict.pk, "created") not in events(seen)
    assert not any(e["model"] == "verdict" for e in seen)
    assert not any(c["field"] == "final_verdict" for e in seen for c in e["changes"])
    assert BOB_RATIONALE not in str(seen)
    # The claim's own history and its sources are hers to read.
    assert ("claim", newsroom.first.pk, "created") in events(seen)
    assert ("source", newsroom.source.pk, "created") in events(seen)
    # The same entries as her claim panel shows.
    by_claim = walk(newsroom.alice, {**params, "claim": newsroom.first.pk})
    panel = claim_history_for(newsroom.alice, newsroom.first)
    assert events(by_claim) == [(e.model, e.object_id, e.action) for e in panel]
    # Bob sees his own verdict; once Alice gives hers she sees his too.
    assert ("verdict", newsroom.bob_verdict.pk, "created") in events(walk(newsroom.bob, params))
    mine = verdict_submit(
        claim=newsroom.first, actor=newsroom.alice, rating="true", rationale="Mine."
    )
    after = events(walk(newsroom.alice, params))
    assert ("verdict", newsroom.bob_verdict.pk, "created") in after
    assert ("verdict", mine.pk, "created") in after


def test_a_page_cursor_is_never_a_hidden_entry(newsroom):
    """A reviewer's cursors point at entries they see, so that none tells of another's."""
    api = client_for(newsroom.alice)
    response = api.get("/api/v1/history/", {"project": newsroom.project.slug, "page_size": 1})
    hidden = {("verdict", newsroom.bob_verdict.pk)}
    while response.json()["next"]:
        body = response.json()
        assert [(e["model"], e["object_id"]) for e in body["results"]] != []
        assert not {(e["model"], e["object_id"]) for e in body["results"]} & hidden
        response = api.get(body["next"])


def test_the_history_list_refuses_what_it_cannot_read(newsroom, outsider):
    api = client_for(newsroom.erin)
    assert "project" in assert_error(api.get("/api/v1/history/"), 400, "invalid")["fields"]
    slug = newsroom.project.slug
    for params, field in [
        ({"cursor": "not-a-cursor"}, "cursor"),
        ({"since": "yesterday"}, "since"),
        ({"claim": "0"}, "claim"),
        ({"page_size": "0"}, "page_size"),
    ]:
        response = api.get("/api/v1/history/", {"project": slug, **params})
        assert field in assert_error(response, 400, "invalid")["fields"]
    assert_error(api.get("/api/v1/history/", {"project": "nowhere"}), 404, "not_found")
    foreign = ClaimFactory(document=DocumentFactory(project=ProjectFactory()))
    response = api.get("/api/v1/history/", {"project": slug, "claim": foreign.pk})
    assert_error(response, 404, "not_found")
    outside = client_for(outsider)
    assert_error(outside.get("/api/v1/history/", {"project": slug}), 404, "not_found")


def test_the_schema_documents_the_history_list(db):
    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"]["/api/v1/history/"]["get"]
    names = {parameter["name"] for parameter in operation["parameters"]}
    assert {"project", "claim", "since", "cursor", "page_size"} <= names
    page = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    assert page.endswith("/HistoryPage")
