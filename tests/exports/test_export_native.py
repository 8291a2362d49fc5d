from __future__ import annotations

import json
from typing import Any

import pytest

from annotations.exports import content_type_for, export_stream, filename_for, rows
from annotations.exports.schema import first_schema_error
from annotations.models import Claim, Document
from tests.factories import ClaimFactory, DocumentFactory
from tests.helpers import newsroom


def native(**kwargs: Any) -> dict:
    """The native export as parsed JSON, checked against the schema on the way."""
    data = json.loads("".join(export_stream(fmt="native", **kwargs)))
    assert first_schema_error(data) is None, first_schema_error(data)
    return data


def claim_texts(data: dict) -> list[str]:
    return [claim["text"] for document in data["documents"] for claim in document["claims"]]


def test_it_exports_a_document_with_its_claims(db):
    room = newsroom()
    data = native(documents=Document.objects.filter(pk=room.document.pk))

    assert data["schema_version"] == "1.1"
    (document,) = data["documents"]
    assert document["text"] == room.document.text
    assert document["sha256"] == room.document.sha256
    assert document["project"] == "newsroom"
    assert document["published_on"] == "2024-03-01"
    assert document["author"] == "Министерство экономики"
    assert [claim["id"] for claim in document["claims"]] == [c.pk for c in room.claims[:4]]
    for claim in document["claims"]:
        assert document["text"][claim["start"] : claim["end"]] == claim["text"]
    (project,) = data["projects"]
    assert project["organization_name"] == "Проверка фактов"
    assert project["rating_scale"]["ratings"][0] == {
        "value": "true",
        "label": "Правда",
        "numeric_value": 6,
        "alternate_name": "True",
    }


def test_it_leaves_out_what_is_in_the_trash(db):
    room = newsroom()
    data = native(documents=Document.objects.all())

    assert room.claims[4].text not in claim_texts(data)
    first = data["documents"][0]["claims"][0]
    assert [source["url"] for source in first["sources"]] == ["https://stat.example/exports-2023"]
    third = data["documents"][0]["claims"][2]
    assert [verdict["rating"]["value"] for verdict in third["verdicts"]] == ["not_factual"]


def test_it_gives_ratings_as_stable_values_with_labels_in_the_project_language(db):
    room = newsroom()
    claim = native(documents=Document.objects.all())["documents"][0]["claims"][0]

    assert claim["status"] == "published"
    assert claim["kind"] == "fact"
    assert claim["extracted_kind"] == "fact"
    assert claim["checkworthiness"] == 0.8
    assert claim["reasons"] == ["number: 5%"]
    assert claim["attribution"] == "Министр экономики"
    (verdict,) = claim["verdicts"]
    assert verdict["reviewer"] == "reviewer"
    assert verdict["rating"] == {
        "value": "mostly_false",
        "label": "В основном ложь",
        "numeric_value": 3,
    }
    assert verdict["sources"] == [claim["sources"][0]["id"]]
    assert claim["final_verdict"] == {
        "verdict": verdict["id"],
        "rating": verdict["rating"],
        "rationale": "Росстат даёт 3,9%, а не 5%.",
    }
    assert claim["published_at"] == room.claims[0].published_at.isoformat()

    english = native(documents=Document.objects.all(), language="en")
    rating = english["documents"][0]["claims"][0]["final_verdict"]["rating"]
    assert rating == {"value": "mostly_false", "label": "Mostly false", "numeric_value": 3}
    assert english["language"] == "en"


def test_snapshots_carry_metadata_and_the_located_quote_but_no_page_unless_asked(db):
    newsroom()
    source = native(documents=Document.objects.all())["documents"][0]["claims"][0]["sources"][0]

    assert source["fetch_state"] == "quote_found"
    (snapshot,) = source["snapshots"]
    assert snapshot["http_status"] == 200
    assert snapshot["quote"]["found"] is True
    assert snapshot["quote"]["passage"] == "экспорт вырос на 3,9%"
    assert snapshot["quote"]["start"] == 18
    assert "text" not in snapshot
    assert "body" not in snapshot

    with_text = native(documents=Document.objects.all(), snapshot_text=True)
    snapshot = with_text["documents"][0]["claims"][0]["sources"][0]["snapshots"][0]
    assert snapshot["text"][snapshot["quote"]["start"] : snapshot["quote"]["end"]] == (
        "экспорт вырос на 3,9%"
    )


def test_the_history_summary_counts_changes_and_names_the_last_editor(db):
    newsroom()
    data = native(documents=Document.objects.all())
    _first, published, _third, untouched = data["documents"][0]["claims"]

    # Created, source added, verdict, final verdict, approved, published.
    assert published["history"]["changes"] >= 6
    assert published["history"]["last_changed_by"] == "editor"
    assert published["history"]["last_changed_at"] is not None
    # Made by a factory, without the services: nothing was recorded by anyone.
    assert untouched["history"]["last_changed_by"] is None


def test_documents_without_claims_are_listed_when_documents_are_asked_for(db):
    room = newsroom()
    empty = DocumentFactory(project=room.project, title="Пусто")
    data = native(documents=Document.objects.filter(project=room.project))

    assert [document["title"] for document in data["documents"]] == ["Экспорт растёт", "Пусто"]
    assert data["documents"][1]["claims"] == []
    assert empty.pk == data["documents"][1]["id"]


def test_exporting_claims_lists_only_their_documents(db):
    room = newsroom()
    DocumentFactory(project=room.project, title="Пусто")
    data = native(claims=Claim.objects.filter(pk=room.claims[2].pk))

    (document,) = data["documents"]
    assert [claim["id"] for claim in document["claims"]] == [room.claims[2].pk]


def test_claims_in_the_trash_are_left_out_even_when_asked_for(db):
    room = newsroom()
    data = native(claims=Claim.objects.filter(pk=room.claims[4].pk))

    assert data["documents"] == []


def test_chunks_of_claims_across_documents_make_one_valid_export(db, monkeypatch):
    monkeypatch.setattr(rows, "CHUNK_SIZE", 2)
    room = newsroom()
    texts = ["One. Two. Three.", "Four. Five.", "Six."]
    for text in texts:
        document = DocumentFactory(project=room.project, text=text)
        offset = 0
        for position, sentence in enumerate(text.split(" ")):
            start = text.index(sentence, offset)
            offset = start + len(sentence)
            ClaimFactory(
                document=document,
                position=position,
                start=start,
                end=offset,
                text=sentence,
            )
    chunks = list(export_stream(documents=Document.objects.all(), fmt="native"))
    data = json.loads("".join(chunks))

    assert first_schema_error(data) is None
    assert len(chunks) > 8
    assert claim_texts(data)[4:] == ["One.", "Two.", "Three.", "Four.", "Five.", "Six."]


def test_an_unknown_format_is_refused_before_anything_is_read(db):
    with pytest.raises(ValueError, match="xml"):
        export_stream(documents=Document.objects.all(), fmt="xml")


def test_content_types_and_file_names(db):
    assert content_type_for("native") == "application/json"
    assert content_type_for("claimreview") == "application/ld+json"
    assert content_type_for("csv") == "text/csv; charset=utf-8"
    assert content_type_for("webannotation").startswith("application/ld+json")
    assert filename_for("native", "Exports of 2023") == "exports-of-2023.json"
    assert filename_for("csv", "Экспорт") == "export.csv"
    assert filename_for("claimreview", "newsroom") == "newsroom.claimreview.jsonld"
