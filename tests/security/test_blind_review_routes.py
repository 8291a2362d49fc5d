"""Blind review on every read path: a reviewer who has not given a verdict on a claim learns
nothing of the others' verdicts on it, nor of its final verdict.

The walk takes every route of the URL configuration (reviewer pages, API, admin) and
reads it as such a reviewer; a route added later is walked too.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from annotations.models import Comment, Role, Source
from annotations.selectors import claim_history_for, claims_for, claims_showing_verdicts
from annotations.services.trash import verdict_delete
from annotations.services.verdicts import claim_set_final_verdict, verdict_submit
from tests.factories import ClaimFactory, DocumentFactory, MembershipFactory

pytestmark = pytest.mark.django_db

HIDDEN_RATIONALE = "Bob-hidden-rationale"
FINAL_RATIONALE = "Editor-final-rationale"
TRASHED_RATIONALE = "Carol-trashed-rationale"
SECRETS = (HIDDEN_RATIONALE, FINAL_RATIONALE, TRASHED_RATIONALE)
# Bob's rating and the final rating of the claim Alice has not judged; no verdict she may
# see carries either.
HIDDEN_RATINGS = ("mostly_false", "half_true")
HIDDEN_LABELS = ("Mostly false", "Half true")


class Blind:
    """A blind-review project in which Alice has judged one claim and not the other."""

    def __init__(self, project) -> None:
        project.blind_review = True
        project.save()
        self.project = project
        people = {}
        for name, role in [
            ("alice", Role.REVIEWER),
            ("bob", Role.REVIEWER),
            ("carol", Role.REVIEWER),
            ("erin", Role.EDITOR),
        ]:
            people[name] = MembershipFactory(project=project, role=role, user__username=name).user
        self.alice, self.bob, self.carol, self.editor = (
            people["alice"],
            people["bob"],
            people["carol"],
            people["erin"],
        )
        self.document = DocumentFactory(
            project=project,
            text="Exports grew by 5% in 2023. Imports fell by 3% in 2024.",
        )
        self.hidden = ClaimFactory(document=self.document, start=0, end=27, assignee=self.alice)
        self.judged = ClaimFactory(document=self.document, start=28, end=len(self.document.text))
        self.source = Source.objects.create(claim=self.hidden, url="https://stat.example/t")
        self.comment = Comment.objects.create(claim=self.hidden, author=self.bob, body="Look.")

        self.bob_verdict = verdict_submit(
            claim=self.hidden, actor=self.bob, rating="mostly_false", rationale=HIDDEN_RATIONALE
        )
        carol = verdict_submit(
            claim=self.hidden, actor=self.carol, rating="mostly_false", rationale=TRASHED_RATIONALE
        )
        self.trashed_verdict = verdict_delete(verdict=carol, actor=self.carol)
        claim_set_final_verdict(
            claim=self.hidden, actor=self.editor, rating="half_true", rationale=FINAL_RATIONALE
        )
        self.final_verdict = self.hidden.__class__.objects.get(pk=self.hidden.pk).final_verdict

        verdict_submit(claim=self.judged, actor=self.bob, rating="true", rationale="Seen after.")
        self.alice_verdict = verdict_submit(
            claim=self.judged, actor=self.alice, rating="true", rationale="Alice's own."
        )

    def values_for(self, name: str, before: str) -> list[str]:
        """Values to put in a path parameter, by its name and the path before it."""
        if name in ("slug", "project_slug"):
            return [self.project.slug]
        if name == "fmt":
            return ["native", "claimreview", "webannotation", "csv"]
        if name == "username":
            return ["bob"]
        if name == "action":
            return ["approve"]
        ids = {
            "claims": [self.hidden.pk, self.judged.pk],
            "documents": [self.document.pk],
            "verdicts": [self.bob_verdict.pk, self.final_verdict.pk, self.trashed_verdict.pk],
            "sources": [self.source.pk],
            "comments": [self.comment.pk],
        }
        words = re.findall(r"[a-z]+", before)
        for word in reversed(words):
            if word in ids:
                return [str(pk) for pk in ids[word]]
        # Admin object ids and the like: every object worth reading.
        return [str(pk) for pk in {pk for group in ids.values() for pk in group}]


GROUP = re.compile(r"\(\?P<(\w+)>[^()]*\)")


def route_templates() -> Iterator[str]:
    """Every route of the URL configuration as a regular expression without anchors."""

    def walk(patterns, prefix: str) -> Iterator[str]:
        for entry in patterns:
            regex = entry.pattern.regex.pattern.lstrip("^").replace("\\Z", "").rstrip("$")
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns, prefix + regex)
            elif isinstance(entry, URLPattern):
                yield prefix + regex

    yield from walk(get_resolver().url_patterns, "")


def concrete_urls(blind: Blind) -> Iterator[str]:
    for template in route_templates():
        if "(?P<format>" in template:
            continue  # the same views with a ".json" suffix
        urls = [""]
        position = 0
        for match in GROUP.finditer(template):
            literal = template[position : match.start()]
            values = blind.values_for(match.group(1), template[: match.start()])
            urls = [url + literal + value for url in urls for value in values]
            position = match.end()
        urls = [url + template[position:] for url in urls]
        for url in urls:
            url = url.replace("/?", "/").replace("\\.", ".").replace("\\-", "-")
            if not re.fullmatch(r"[\w./\-]*", url):
                continue  # an admin catch-all or another pattern no reader follows
            yield "/" + url


def body_of(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def leaks(blind: Blind, url: str, response) -> list[str]:
    """What of the hidden verdicts the response shows."""
    body = body_of(response)
    found = [f"{url}: {secret}" for secret in SECRETS if secret in body]
    content_type = response.get("Content-Type", "")
    if "json" in content_type:
        found += [f"{url}: {leak}" for leak in json_leaks(blind, json.loads(body))]
    elif "html" in content_type:
        # The verdict form and the queue's filter list every rating of the scale.
        shown = re.sub(r"<select.*?</select>", "", body, flags=re.S)
        found += [f"{url}: {label}" for label in HIDDEN_LABELS if label in shown]
        hidden_ids = {blind.bob_verdict.rating_id, blind.final_verdict.rating_id}
        for rating_id in re.findall(r"rating-(\d+)", shown):
            if int(rating_id) in hidden_ids:
                found.append(f"{url}: rating-{rating_id}")
    elif "csv" in content_type:
        found += [f"{url}: {value}" for value in HIDDEN_RATINGS if value in body]
    return found


def json_leaks(blind: Blind, data) -> Iterator[str]:
    if isinstance(data, dict):
        if "rationale" in data and data.get("reviewer") not in ("alice", "bob", None):
            yield f"a verdict by {data.get('reviewer')}"
        if data.get("reviewer") == "bob" and data.get("claim") == blind.hidden.pk:
            yield "Bob's verdict on the hidden claim"
        if data.get("id") == blind.hidden.pk and data.get("final_verdict"):
            yield "the hidden claim's final verdict"
        if blind.hidden.pk in (data.get("id"), data.get("claim")) and data.get("final_rating"):
            yield "the hidden claim's final rating"
        if data.get("model") == "verdict" and data.get("object_id") not in (
            blind.alice_verdict.pk,
            *blind.judged.verdicts.values_list("pk", flat=True),
        ):
            yield f"history of verdict {data.get('object_id')}"
        if data.get("field") == "final_verdict" and (data.get("old") or data.get("new")):
            yield "a final verdict in the history"
        rating = data.get("reviewRating") or data.get("rating")
        if isinstance(rating, dict) and rating.get("value") in HIDDEN_RATINGS:
            yield f"rating {rating.get('value')}"
        for value in data.values():
            yield from json_leaks(blind, value)
    elif isinstance(data, list):
        for item in data:
            yield from json_leaks(blind, item)


@pytest.fixture
def blind(project) -> Blind:
    return Blind(project)


def test_a_blind_reviewer_walking_every_route_finds_no_hidden_verdict(blind, client):
    client.force_login(blind.alice)
    api = APIClient()
    api.force_authenticate(blind.alice)
    found: list[str] = []
    walked = 0
    for url in concrete_urls(blind):
        for reader, headers in [(client, {}), (client, {"HX-Request": "true"})]:
            response = reader.get(url, headers=headers)
            walked += 1
            assert response.status_code < 500, url
            found += leaks(blind, url, response)
        if url.startswith("/api/"):
            response = api.get(url)
            found += leaks(blind, url, response)
    # The document page with either claim open, and the claim list filtered by each rating.
    for claim in (blind.hidden, blind.judged):
        url = reverse("document_detail", args=[blind.document.pk]) + f"?claim={claim.pk}"
        found += leaks(blind, url, client.get(url))
    for rating in blind.project.rating_scale.ratings.values_list("value", flat=True):
        url = f"/api/v1/claims/?document={blind.document.pk}&rating={rating}"
        response = api.get(url)
        assert response.status_code == 200
        found += [f"{url}: claim {c['id']}" for c in response.json()["results"]]
    assert walked > 100
    assert found == []


def test_the_walk_sees_what_the_editor_sees(blind, client):
    """The checks above would catch each leak: the editor, who may see it all, trips them."""
    client.force_login(blind.editor)
    api = APIClient()
    api.force_authenticate(blind.editor)
    history = api.get(f"/api/v1/claims/{blind.hidden.pk}/history/")
    assert leaks(blind, "history", history)
    page = client.get(reverse("document_detail", args=[blind.document.pk]))
    assert any("Half true" in leak for leak in leaks(blind, "page", page))
    listed = api.get(f"/api/v1/claims/?document={blind.document.pk}&rating=half_true")
    assert [c["id"] for c in listed.json()["results"]] == [blind.hidden.pk]
    export = client.get(reverse("document_export", args=[blind.document.pk, "csv"]))
    assert leaks(blind, "csv", export)


def test_a_reviewer_sees_the_final_rating_once_they_have_given_their_verdict(blind, client):
    verdict_submit(claim=blind.hidden, actor=blind.alice, rating="false", rationale="Mine too.")
    client.force_login(blind.alice)
    page = client.get(reverse("document_detail", args=[blind.document.pk])).content.decode()
    assert 'title="Fact · check-worthy · Half true"' in page
    history = [entry.model for entry in claim_history_for(blind.alice, blind.hidden)]
    assert "verdict" in history
    # Carol withdrew hers: it stays hidden from other reviewers.
    verdicts = {entry.object_id for entry in claim_history_for(blind.alice, blind.hidden)}
    assert blind.trashed_verdict.pk not in verdicts


def test_the_rating_filter_lets_through_only_claims_whose_verdicts_are_seen(blind):
    claims = claims_for(blind.alice).filter(document=blind.document)
    assert list(claims_showing_verdicts(blind.alice, claims)) == [blind.judged]
    assert set(claims_showing_verdicts(blind.editor, claims)) == {blind.hidden, blind.judged}
    blind.project.blind_review = False
    blind.project.save()
    assert set(claims_showing_verdicts(blind.alice, claims)) == {blind.hidden, blind.judged}
