"""JSON Lines for data tools: a claim per line, as the native export writes it."""

from __future__ import annotations

import json

from annotations.exports import content_type_for, export_stream, filename_for
from annotations.models import Claim, Document
from tests.helpers import newsroom


def lines(**kwargs) -> list[dict]:
    text = "".join(export_stream(fmt="jsonl", **kwargs))
    assert text.endswith("\n")
    return [json.loads(line) for line in text.splitlines()]


def test_each_line_is_a_claim_as_the_native_export_writes_it_with_its_document(db):
    room = newsroom()
    found = lines(documents=Document.objects.all())
    native = json.loads("".join(export_stream(fmt="native", documents=Document.objects.all())))
    (document,) = native["documents"]

    assert [line["id"] for line in found] == [claim.pk for claim in room.claims[:4]]
    for line, claim in zip(found, document["claims"], strict=True):
        assert line.pop("document") == room.document.pk
        assert line.pop("document_title") == "Экспорт растёт"
        assert line.pop("document_version") == 1
        assert line.pop("document_previous_version") is None
        assert line.pop("project") == "newsroom"
        assert line == claim


def test_labels_follow_the_language_asked_for(db):
    room = newsroom()
    english = lines(claims=Claim.objects.filter(pk=room.claims[0].pk), language="en")

    assert english[0]["final_verdict"]["rating"]["label"] == "Mostly false"


def test_an_export_of_nothing_is_empty(db):
    assert "".join(export_stream(fmt="jsonl", documents=Document.objects.none())) == ""


def test_it_is_served_as_json_lines(db):
    assert content_type_for("jsonl").startswith("application/jsonl")
    assert filename_for("jsonl", "Экспорт 2024") == "2024.jsonl"
