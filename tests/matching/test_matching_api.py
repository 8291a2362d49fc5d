"""GET /api/v1/claims/{id}/similar/ and /api/v1/projects/{slug}/similar/: ranked matches
in word forms and figures, from the projects the user may read, blind review kept."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from annotations.models import Claim, Role
from annotations.services.verdicts import claim_set_final_verdict, verdict_submit
from tests.factories import MembershipFactory, ProjectFactory, UserFactory
from tests.helpers import document_of_claims

EARLIER = [
    "Инфляция в России по итогам 2023 года составила 7,4%.",
    "Инфляция в России по итогам 2022 года составила 11,9%.",
    "Экспорт зерна из Казахстана вырос на 18% за первое полугодие.",
    "Мэр пообещал открыть 15 новых детских садов до конца 2025 года.",
]


def client_for(user) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def newsroom(db):
    project = ProjectFactory(language="ru")
    editor = MembershipFactory(project=project, role=Role.EDITOR).user
    earlier = document_of_claims(project, EARLIER, language="ru", title="Обзор за год")
    claims = list(earlier.claims.order_by("position"))
    claim_set_final_verdict(
        claim=claims[0], actor=editor, rating="true", rationale="Росстат: 7,4%."
    )
    return project, editor, claims


def test_a_reworded_claim_finds_the_earlier_one_first(newsroom):
    project, editor, claims = newsroom
    response = client_for(editor).get(
        f"/api/v1/projects/{project.slug}/similar/",
        {"text": "В 2023 году российская инфляция достигла семи целых четырёх десятых процента."},
    )
    assert response.status_code == 200
    results = response.json()["results"]
    assert results[0]["claim"] == claims[0].pk
    assert results[0]["source"] == "project"
    assert results[0]["final_rating"] == "true"
    assert results[0]["document"] == claims[0].document_id
    assert results[0]["status"] == "reviewed"
    assert results[0]["likely_same"] is True
    # The same statistic for another year is another claim, and ranks below.
    ranked = [result["claim"] for result in results]
    assert ranked.index(claims[1].pk) > 0
    assert results[1]["score"] < results[0]["score"]
    assert set(results[0]) >= {
        "claim", "text", "score", "document", "status", "final_rating", "source"
    }  # fmt: skip


def test_a_claim_finds_its_earlier_checks_but_not_itself(newsroom):
    project, editor, claims = newsroom
    later = document_of_claims(
        project,
        ["За первое полугодие Казахстан увеличил экспорт зерна на 18 процентов."],
        language="ru",
    )
    claim = later.claims.get()
    response = client_for(editor).get(f"/api/v1/claims/{claim.pk}/similar/", {"limit": 2})
    assert response.status_code == 200
    results = response.json()["results"]
    assert len(results) <= 2
    assert results[0]["claim"] == claims[2].pk
    assert claim.pk not in [result["claim"] for result in results]


def test_an_english_rewording_with_figures_in_words_is_found(db):
    project = ProjectFactory(language="en")
    user = MembershipFactory(project=project, role=Role.REVIEWER).user
    document_of_claims(
        project,
        [
            "Canada accepted 437,000 immigrants in 2022, a record.",
            "Canada accepted 405,000 immigrants in 2021, a record.",
            "The city spent $2.3 million on new police cars last year.",
        ],
        language="en",
    )
    response = client_for(user).get(
        f"/api/v1/projects/{project.slug}/similar/",
        {"text": "A record four hundred thirty-seven thousand immigrants came to Canada in 2022."},
    )
    results = response.json()["results"]
    assert results[0]["text"] == "Canada accepted 437,000 immigrants in 2022, a record."


def test_no_match_leaks_a_claim_from_a_project_the_user_may_not_read(newsroom):
    project, editor, claims = newsroom
    other = ProjectFactory(language="ru")
    secret = document_of_claims(
        other, ["Инфляция в России по итогам 2023 года составила 7,4%."], language="ru"
    )
    outsider_of_other = editor
    response = client_for(outsider_of_other).get(
        f"/api/v1/projects/{project.slug}/similar/",
        {"text": "Инфляция в России по итогам 2023 года составила 7,4%."},
    )
    found = [result["claim"] for result in response.json()["results"]]
    assert secret.claims.get().pk not in found
    assert claims[0].pk in found
    # Someone who reads both projects sees both.
    MembershipFactory(project=other, user=editor, role=Role.VIEWER)
    response = client_for(editor).get(
        f"/api/v1/projects/{project.slug}/similar/",
        {"text": "Инфляция в России по итогам 2023 года составила 7,4%."},
    )
    found = [result["claim"] for result in response.json()["results"]]
    assert secret.claims.get().pk in found


def test_a_claim_of_another_project_is_not_found_by_its_id(newsroom):
    _project, _editor, claims = newsroom
    stranger = UserFactory()
    MembershipFactory(project=ProjectFactory(), user=stranger)
    response = client_for(stranger).get(f"/api/v1/claims/{claims[0].pk}/similar/")
    assert response.status_code == 404


def test_blind_review_hides_the_final_rating_from_a_reviewer_who_has_not_rated(newsroom):
    project, editor, claims = newsroom
    project.blind_review = True
    project.save()
    reviewer = MembershipFactory(project=project, role=Role.REVIEWER).user
    query = {"text": "Инфляция в России по итогам 2023 года составила 7,4%."}
    url = f"/api/v1/projects/{project.slug}/similar/"
    first = client_for(reviewer).get(url, query).json()["results"][0]
    assert first["claim"] == claims[0].pk
    assert first["final_rating"] is None
    assert client_for(editor).get(url, query).json()["results"][0]["final_rating"] == "true"
    # Once the reviewer gives their own verdict, they see the others'.
    Claim.objects.filter(pk=claims[0].pk).update(status="reviewed")
    verdict_submit(claim=claims[0], actor=reviewer, rating="false", rationale="Не согласен.")
    first = client_for(reviewer).get(url, query).json()["results"][0]
    assert first["final_rating"] == "true"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({}, "text"),
        ({"text": "   "}, "text"),
        ({"text": "x" * 5001}, "text"),
        ({"text": "Инфляция", "limit": "ten"}, "limit"),
        ({"text": "Инфляция", "limit": "0"}, "limit"),
        ({"text": "Инфляция", "limit": "51"}, "limit"),
    ],
)
def test_bad_input_gets_a_clear_error(newsroom, query, field):
    project, editor, _claims = newsroom
    response = client_for(editor).get(f"/api/v1/projects/{project.slug}/similar/", query)
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "invalid"
    assert field in body["fields"]


def test_the_default_limit_is_ten(db):
    project = ProjectFactory(language="en")
    user = MembershipFactory(project=project).user
    document_of_claims(
        project, [f"Exports of grain grew by {n}% in {2000 + n}." for n in range(15)], language="en"
    )
    response = client_for(user).get(
        f"/api/v1/projects/{project.slug}/similar/", {"text": "Grain exports grew by 3% in 2003."}
    )
    results = response.json()["results"]
    assert len(results) == 10
    assert results[0]["text"] == "Exports of grain grew by 3% in 2003."
    scores = [result["score"] for result in results]
    assert scores == sorted(scores, reverse=True)


def test_anonymous_callers_are_refused(newsroom):
    project, _editor, _claims = newsroom
    response = APIClient().get(f"/api/v1/projects/{project.slug}/similar/", {"text": "x"})
    assert response.status_code == 401
