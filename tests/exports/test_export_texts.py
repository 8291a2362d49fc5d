"""Document texts in an export: read a few documents at a time, each in full, and a
document deleted during the export is reported, not written without its text."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotations.exports import export_stream, rows
from annotations.models import Claim, Document
from tests.factories import ClaimFactory, DocumentFactory, ProjectFactory


def documents_with_claims(count: int) -> list[Document]:
    project = ProjectFactory()
    made = []
    for number in range(count):
        text = f"Документ {number}: выручка выросла на {number}%. Второе предложение."
        document = DocumentFactory(project=project, title=f"Документ {number}", text=text)
        ClaimFactory(document=document, position=0, start=0, end=len(text), text=text)
        made.append(document)
    return made


def text_reads(queries: list[dict]) -> list[str]:
    return [
        query["sql"]
        for query in queries
        if '"annotations_document"."text"' in query["sql"].partition(" FROM ")[0]
    ]


@pytest.mark.parametrize("fmt", ["native", "webannotation"])
def test_texts_are_read_a_few_documents_at_a_time(db, fmt):
    made = documents_with_claims(20)

    with CaptureQueriesContext(connection) as captured:
        text = "".join(export_stream(documents=Document.objects.all(), fmt=fmt))

    # 20 documents' claims in one chunk: 8 + 8 + 4 texts, not 20 queries.
    assert len(text_reads(captured.captured_queries)) == 3
    for document in made:
        assert json.dumps(document.text, ensure_ascii=False)[1:-1] in text


def test_every_document_gets_its_own_text_whatever_the_chunks(db, monkeypatch):
    made = documents_with_claims(11)
    for document in made[::3]:
        ClaimFactory(document=document, position=1, start=0, end=8, text=document.text[:8])
    monkeypatch.setattr(rows, "CHUNK_SIZE", 4)

    data = json.loads("".join(export_stream(documents=Document.objects.all(), fmt="native")))

    assert [d["text"] for d in data["documents"]] == [d.text for d in made]
    assert sum(len(d["claims"]) for d in data["documents"]) == Claim.objects.count() == 15


def test_a_document_deleted_during_the_export_is_reported(db, monkeypatch):
    made = documents_with_claims(3)
    read = rows._Texts.expect

    def deleting_first(self, pks):
        # The document goes between the claims' query and its text's.
        Document.objects.filter(pk=made[1].pk).delete()
        monkeypatch.setattr(rows._Texts, "expect", read)
        return read(self, pks)

    monkeypatch.setattr(rows._Texts, "expect", deleting_first)
    with pytest.raises(Document.DoesNotExist, match="deleted during the export"):
        "".join(export_stream(documents=Document.objects.all(), fmt="native"))
