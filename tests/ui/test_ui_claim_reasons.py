"""A claim's reasons and entity types are stored as codes and read in the reader's language."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import ClaimFactory, DocumentFactory
from tests.ui_helpers import HTMX, login

pytestmark = pytest.mark.django_db

REASONS = [
    "date:в 2020 году",
    "verb.past:подписали",
    "first_person",
    # Stored before reasons became codes: recognised by its English label.
    "named entity: Москва",
]
ENTITIES = [{"start": 0, "end": 6, "text": "Москва", "type": "LOC", "normal": "Москва"}]


def panel(client, reviewer, project, language: str) -> str:
    login(client, reviewer)
    document = DocumentFactory(project=project, text="Москва подписала договор в 2020 году.")
    claim = ClaimFactory(document=document, reasons=REASONS, entities=ENTITIES)
    response = client.get(
        reverse("claim_panel", args=[claim.pk]), headers=HTMX, HTTP_ACCEPT_LANGUAGE=language
    )
    assert response.status_code == 200
    html = response.content.decode()
    # The section that says why the claim was picked; the history below it lists raw
    # field changes of its own.
    start = html.index('<details class="section" open>')
    return html[start : html.index("</details>", start)]


def test_reasons_and_entity_types_are_shown_in_russian(client, reviewer, project):
    html = panel(client, reviewer, project, "ru")

    assert "<li>дата: в 2020 году</li>" in html
    assert "<li>глагол прошедшего времени: подписали</li>" in html
    assert "<li>речь от первого лица</li>" in html
    assert "<li>именованная сущность: Москва</li>" in html
    assert "<small>место</small>" in html
    for machine_value in ("LOC", "verb.past", "first_person", "past-tense", "named entity"):
        assert machine_value not in html


def test_reasons_and_entity_types_are_shown_in_english(client, reviewer, project):
    html = panel(client, reviewer, project, "en")

    assert "<li>date: в 2020 году</li>" in html
    assert "<li>past-tense verb: подписали</li>" in html
    assert "<li>first-person voice</li>" in html
    assert "<small>place</small>" in html
