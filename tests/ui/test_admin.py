"""The admin panel: every changelist renders in a bounded number of queries; actions work."""

import pytest
from django.urls import reverse

from annotations.models import Claim, FetchState, Source, Verdict
from annotations.services.documents import document_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TEXT = " ".join(f"Exports grew by {n}% in 20{n:02d}, the ministry said." for n in range(1, 31))


@pytest.fixture
def staff(db):
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def filled(project, reviewer):
    document = document_create(project=project, actor=reviewer, title="Many", text=TEXT)
    rating = project.rating_scale.ratings.get(value="true")
    for claim in document.claims.all():
        source = Source.objects.create(claim=claim, url="https://example.org/a", quote="x")
        source.snapshots.create(
            fetch_number=1,
            final_url=source.url,
            http_status=200,
            content_type="text/html",
            sha256="0" * 64,
            fetched_at=claim.created_at,
            quote_passage="grew by",
            context_before="Exports ",
            context_after=" 5%",
        )
        verdict = Verdict.objects.create(
            claim=claim, reviewer=reviewer, rating=rating, rationale="ok"
        )
        Claim.objects.filter(pk=claim.pk).update(final_verdict=verdict)
    return document


@pytest.mark.parametrize(
    "model",
    ["project", "membership", "ratingscale", "rating", "document", "claim", "source",
     "snapshot", "verdict", "comment", "profile"],
)  # fmt: skip
def test_each_changelist_renders_without_n_plus_one(
    client, staff, filled, model, django_assert_max_num_queries
):
    client.force_login(staff)
    url = reverse(f"admin:annotations_{model}_changelist")
    with django_assert_max_num_queries(15):
        response = client.get(url)
    assert response.status_code == 200


def test_claim_and_source_change_pages_show_sources_verdicts_and_evidence(client, staff, filled):
    client.force_login(staff)
    claim = filled.claims.first()
    page = client.get(reverse("admin:annotations_claim_change", args=[claim.pk])).content.decode()
    assert "https://example.org/a" in page and "ok" in page
    source = claim.sources.get()
    page = client.get(reverse("admin:annotations_source_change", args=[source.pk])).content.decode()
    assert "<mark>grew by</mark>" in page


def test_search_finds_claims_by_text(client, staff, filled):
    client.force_login(staff)
    response = client.get(reverse("admin:annotations_claim_changelist"), {"q": "grew by 7%"})
    assert "grew by 7%" in response.content.decode()


def test_the_refetch_action_queues_the_sources_again(client, staff, filled):
    client.force_login(staff)
    Source.objects.update(fetch_state=FetchState.FAILED, attempts=5)
    claims = list(filled.claims.values_list("pk", flat=True)[:3])
    client.post(
        reverse("admin:annotations_claim_changelist"),
        {"action": "refetch_sources", "_selected_action": claims},
    )
    assert Source.objects.filter(fetch_state=FetchState.PENDING, attempts=0).count() == 3


def test_the_assign_action_assigns_through_the_workflow(client, staff, filled, reviewer):
    client.force_login(staff)
    claims = list(filled.claims.values_list("pk", flat=True)[:2])
    url = reverse("admin:annotations_claim_changelist")
    form = client.post(url, {"action": "assign_to_reviewer", "_selected_action": claims})
    assert b"Assign" in form.content
    client.post(
        url,
        {
            "action": "assign_to_reviewer",
            "_selected_action": claims,
            "assignee": reviewer.pk,
            "apply": "1",
        },
    )
    assert set(Claim.objects.filter(assignee=reviewer).values_list("pk", flat=True)) == set(claims)


def test_history_is_visible_for_claims(client, staff, filled):
    client.force_login(staff)
    claim = filled.claims.first()
    response = client.get(reverse("admin:annotations_claim_history", args=[claim.pk]))
    assert response.status_code == 200
