"""Admin changelists over tables that grow with the archive."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from annotations.admin import CappedCountPaginator
from annotations.models import Claim
from tests.factories import DocumentFactory, UserFactory

pytestmark = pytest.mark.django_db

TEXT = "Казахстан увеличил экспорт зерна. Погода в Москве была тёплой. Цены на хлеб выросли."


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def claims(project):
    document = DocumentFactory(project=project, text=TEXT, language="ru", title="Зерно")
    made, start = [], 0
    for position, sentence in enumerate(TEXT.split(". ")):
        text = sentence if sentence.endswith(".") else sentence + "."
        made.append(
            Claim.objects.create(
                document=document, position=position, start=start, end=start + len(text), text=text
            )
        )
        start += len(text) + 1
    return made


def test_a_changelist_past_the_cap_says_more_than_without_counting_all(
    admin_client, claims, monkeypatch
):
    monkeypatch.setattr(CappedCountPaginator, "CAP", 2)
    with CaptureQueriesContext(connection) as queries:
        page = admin_client.get(reverse("admin:annotations_claim_changelist"))
    assert page.status_code == 200
    assert "more than 2 claims" in page.text
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert counts and all("LIMIT" in sql.upper() for sql in counts)


def test_a_changelist_under_the_cap_gives_the_number(admin_client, claims):
    page = admin_client.get(reverse("admin:annotations_claim_changelist"))
    assert f"{len(claims)} claims" in page.text


def test_the_claim_changelist_searches_word_forms(admin_client, claims):
    page = admin_client.get(reverse("admin:annotations_claim_changelist"), {"q": "Москвы"})
    assert "Погода в Москве была тёплой." in page.text
    assert "Казахстан увеличил" not in page.text


def test_the_claim_autocomplete_finds_claims_by_word_forms(admin_client, claims):
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "хлеба",
            "app_label": "annotations",
            "model_name": "source",
            "field_name": "claim",
        },
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["Цены на хлеб выросли."]


def test_the_document_changelist_searches_titles(admin_client, claims):
    page = admin_client.get(reverse("admin:annotations_document_changelist"), {"q": "зерном"})
    assert ">Зерно<" in page.text


def _forms_of(model_admin, request):
    """Each form of an admin's change page: its own and its inlines', with the names of
    the relations they show as widgets."""
    yield model_admin, model_admin.get_form(request).base_fields
    for inline in model_admin.get_inline_instances(request):
        yield inline, inline.get_formset(request).form.base_fields


def test_every_relation_an_admin_form_shows_is_an_autocomplete(rf):
    """A select of every row of a large table renders the table: a million claims' change
    page would never answer. Each relation a change form shows is searched as one types,
    or read only."""
    from django.contrib import admin
    from django.db.models import ForeignKey, ManyToManyField, OneToOneField

    request = rf.get("/admin/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    plain = []
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label != "annotations":
            continue
        for owner, fields in _forms_of(model_admin, request):
            searched = set(owner.autocomplete_fields) | set(owner.raw_id_fields)
            relations = {
                field.name
                for field in owner.model._meta.get_fields()
                if isinstance(field, ForeignKey | ManyToManyField | OneToOneField)
            }
            # An inline's link to the page's own row is no widget.
            parent = getattr(owner, "fk_name", None) or next(
                (
                    field.name
                    for field in owner.model._meta.get_fields()
                    if isinstance(field, ForeignKey) and field.related_model is model
                ),
                None,
            )
            for name in fields:
                if owner is not model_admin and name == parent:
                    continue
                if name in relations and name not in searched:
                    plain.append(f"{type(owner).__name__}.{name}")
    assert plain == [], plain


def test_a_large_changelist_sorts_only_by_an_indexed_column(admin_client, claims):
    """Sorting a million claims by their kind read the whole table; the headers of a
    large table's changelist do not sort but where an index gives the order."""
    with CaptureQueriesContext(connection) as queries:
        page = admin_client.get(reverse("admin:annotations_claim_changelist"), {"o": "3"})
    assert page.status_code == 200
    listed = [
        q["sql"] for q in queries.captured_queries if '"annotations_claim"."text"' in q["sql"]
    ]
    assert listed and all('ORDER BY "annotations_claim"."kind"' not in sql for sql in listed)
    assert 'class="sortable' not in page.text
    documents = admin_client.get(reverse("admin:annotations_document_changelist"))
    assert documents.text.count('class="sortable') == 1


def test_a_search_counts_only_to_its_own_cap(admin_client, claims, monkeypatch):
    """A search's matches are counted to a lower cap than the whole table's."""
    monkeypatch.setattr(CappedCountPaginator, "SEARCH_CAP", 0)
    everything = admin_client.get(reverse("admin:annotations_claim_changelist"))
    assert f"{len(claims)} claims" in everything.text
    found = admin_client.get(reverse("admin:annotations_claim_changelist"), {"q": "выросли"})
    assert "more than 0 claims" in found.text
    assert "Цены на хлеб выросли." in found.text


def test_the_snapshot_filter_lists_match_methods_without_reading_snapshots(admin_client):
    with CaptureQueriesContext(connection) as queries:
        page = admin_client.get(reverse("admin:annotations_snapshot_changelist"))
    assert page.status_code == 200
    assert "fuzzy" in page.text
    assert not [q for q in queries.captured_queries if "DISTINCT" in q["sql"].upper()]
