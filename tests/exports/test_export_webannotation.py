from __future__ import annotations

import json

from annotations.exports import export_stream
from annotations.models import Document
from tests.factories import ClaimFactory, DocumentFactory
from tests.helpers import newsroom


def collection(**kwargs) -> dict:
    kwargs.setdefault("documents", Document.objects.all())
    return json.loads("".join(export_stream(fmt="webannotation", **kwargs)))


def selectors(annotation: dict) -> dict:
    return {selector["type"]: selector for selector in annotation["target"]["selector"]}


def test_it_is_one_collection_with_an_annotation_per_claim(db):
    room = newsroom()
    data = collection()

    assert data["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert data["type"] == "AnnotationCollection"
    assert data["total"] == 4
    page = data["first"]
    assert page["type"] == "AnnotationPage"
    assert page["startIndex"] == 0
    assert [a["id"] for a in page["items"]] == [
        f"urn:factcheck:claim:{claim.pk}" for claim in room.claims[:4]
    ]
    for annotation in page["items"]:
        assert annotation["type"] == "Annotation"
        assert annotation["motivation"] == "assessing"
        assert annotation["created"]
        assert annotation["modified"]
        assert annotation["target"]["source"] == "https://news.example/exports"


def test_selectors_slice_back_to_the_claim_text(db):
    room = newsroom()
    text = room.document.text

    for annotation in collection()["first"]["items"]:
        found = selectors(annotation)
        position, quote = found["TextPositionSelector"], found["TextQuoteSelector"]
        start, end = position["start"], position["end"]
        assert text[start:end] == quote["exact"]
        prefix, suffix = quote.get("prefix", ""), quote.get("suffix", "")
        assert text[start - len(prefix) : start] == prefix
        assert text[end : end + len(suffix)] == suffix
        assert len(prefix) == min(32, start)
        assert len(suffix) == min(32, len(text) - end)


def test_offsets_are_code_points_also_around_characters_outside_the_bmp(db):
    room = newsroom()
    text = "😀 Эмодзи до. Утверждение после 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 знаков."
    document = DocumentFactory(project=room.project, text=text, source_url="")
    start = text.index("Утверждение")
    ClaimFactory(document=document, position=0, start=start, end=len(text), text=text[start:])

    (annotation,) = collection(documents=Document.objects.filter(pk=document.pk))["first"]["items"]

    found = selectors(annotation)
    assert found["TextPositionSelector"] == {"type": "TextPositionSelector", "start": 13, "end": 46}
    assert text[13:46] == found["TextQuoteSelector"]["exact"]
    assert found["TextQuoteSelector"]["prefix"] == "😀 Эмодзи до. "
    assert "suffix" not in found["TextQuoteSelector"]
    # Without a URL the target is the text itself, by its hash.
    assert annotation["target"]["source"] == f"urn:sha256:{document.sha256}"


def test_the_body_has_the_kind_the_final_rating_and_the_sources(db):
    newsroom()
    first, _second, third, _fourth = collection(base_url="https://factcheck.example/")["first"][
        "items"
    ]

    assert first["id"].startswith("https://factcheck.example/claims/")
    kinds = [body for body in first["body"] if body.get("purpose") == "classifying"]
    assert kinds == [{"type": "TextualBody", "purpose": "classifying", "value": "fact"}]
    (assessing,) = [body for body in first["body"] if body.get("purpose") == "assessing"]
    assert assessing["value"] == "В основном ложь"
    assert assessing["schema:identifier"] == "mostly_false"
    (comment,) = [body for body in first["body"] if body.get("purpose") == "commenting"]
    assert comment["value"] == "Росстат даёт 3,9%, а не 5%."
    (link,) = [body for body in first["body"] if body.get("type") == "SpecificResource"]
    assert link["source"] == "https://stat.example/exports-2023"
    assert link["selector"] == {"type": "TextQuoteSelector", "exact": "экспорт вырос на 3,9%"}
    # A reviewed claim without a final verdict is only classified.
    assert [body["purpose"] for body in third["body"]] == ["classifying"]


def test_labels_follow_the_language_asked_for(db):
    newsroom()
    first = collection(language="en")["first"]["items"][0]

    (assessing,) = [body for body in first["body"] if body.get("purpose") == "assessing"]
    assert assessing["value"] == "Mostly false"
    assert assessing["schema:identifier"] == "mostly_false"
