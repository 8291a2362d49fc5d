"""The Web Annotation export checked against the W3C Web Annotation test suite: every
annotation, read alone, meets every MUST assertion of ``annotationMusts.test``."""

from __future__ import annotations

import json

from annotations.exports import export_stream
from annotations.models import Claim, Document, Source
from tests.helpers import newsroom, web_annotation_failures, web_annotation_musts


def annotations(**kwargs) -> list[dict]:
    kwargs.setdefault("documents", Document.objects.all())
    text = "".join(export_stream(fmt="webannotation", **kwargs))
    return json.loads(text)["first"]["items"]


def awkward_addresses() -> None:
    """The newsroom with the addresses older data holds: a source URL with a space, a
    quote and a line break, one in Cyrillic, and an article address in Cyrillic."""
    room = newsroom()
    first = room.claims[0]
    for url in ('https://q.example/a b"c\nd', "https://ru.wikipedia.org/wiki/Экспорт"):
        Source.objects.create(claim=first, url=url, added_by=room.reviewer)
    Document.objects.filter(pk=room.document.pk).update(
        source_url="https://новости.example/экспорт 2023"
    )


def test_every_annotation_meets_every_must_of_the_w3c_test_suite(db):
    awkward_addresses()
    items = annotations(base_url="https://проверка.example/")

    assert len(web_annotation_musts()) == 54
    assert len(items) == 4
    for item in items:
        assert web_annotation_failures(item) == [], item["id"]


def test_an_annotation_read_alone_carries_its_context_creator_and_times(db):
    room = newsroom()
    # The third claim, without a final verdict, was made by the editor (say, in a split).
    Claim.history.filter(id=room.claims[2].pk).update(history_user=room.editor)
    room.editor.first_name, room.editor.last_name = "Анна", "Смирнова"
    room.editor.save()
    # The fourth has no history at all (made before history was kept).
    Claim.history.filter(id=room.claims[3].pk).delete()
    first, _second, third, untouched = annotations()

    assert first["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert first["creator"] == {
        "id": f"urn:factcheck:user:{room.reviewer.pk}",
        "type": "Person",
        "name": "reviewer",
        "nickname": "reviewer",
    }
    history = room.claims[0].history.order_by("history_date")
    assert first["created"] == history.first().history_date.isoformat()
    assert first["modified"] >= history.last().history_date.isoformat()
    # Without a final verdict, the creator is who made the claim, when known.
    assert third["creator"] == {
        "id": f"urn:factcheck:user:{room.editor.pk}",
        "type": "Person",
        "name": "Анна Смирнова",
        "nickname": "editor",
    }
    assert "creator" not in untouched
    fourth = Claim.objects.get(pk=room.claims[3].pk)
    assert untouched["created"] == fourth.created_at.isoformat()
    assert untouched["modified"] == fourth.updated_at.isoformat()


def test_addresses_are_written_as_uris(db):
    awkward_addresses()
    first = annotations(base_url="https://проверка.example/")[0]

    assert first["id"].startswith("https://%D0%BF%D1%80%D0%BE")
    assert first["target"]["source"] == (
        "https://%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8.example/"
        "%D1%8D%D0%BA%D1%81%D0%BF%D0%BE%D1%80%D1%82%202023"
    )
    links = [body["source"] for body in first["body"] if body.get("type") == "SpecificResource"]
    assert "https://q.example/a%20b%22c%0Ad" in links
    assert "https://ru.wikipedia.org/wiki/%D0%AD%D0%BA%D1%81%D0%BF%D0%BE%D1%80%D1%82" in links
