"""Invariants the database itself enforces, whatever code writes to it."""

import pytest
from django.db import IntegrityError, transaction

from annotations.models import Claim, Document, Verdict
from tests.factories import ClaimFactory, DocumentFactory, UserFactory

pytestmark = pytest.mark.django_db


def insert_claim(document: Document, **fields) -> Claim:
    values = {"position": 0, "start": 0, "end": 3, "kind": "fact"}
    values.update(fields)
    values.setdefault("text", document.text[values["start"] : values["end"]])
    with transaction.atomic():
        return Claim.objects.create(document=document, **values)


def test_it_stores_a_claim_whose_text_is_its_slice():
    document = DocumentFactory(text="Привет, мир. Exports rose 5%.")
    claim = insert_claim(document, start=13, end=29)
    assert document.text[claim.start : claim.end] == claim.text == "Exports rose 5%."


def test_the_database_refuses_a_claim_whose_text_is_not_its_slice():
    document = DocumentFactory(text="Exports rose 5% in 2023.")
    with pytest.raises(IntegrityError):
        insert_claim(document, start=0, end=7, text="Imports")
    assert not Claim.objects.exists()


def test_the_database_refuses_an_update_that_breaks_the_slice():
    claim = ClaimFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(start=1)
    claim.refresh_from_db()
    assert claim.document.text[claim.start : claim.end] == claim.text


def test_offsets_count_code_points_not_bytes():
    # Multi-byte characters and an astral emoji before the claim.
    document = DocumentFactory(text="Ёлка 🎄 стоит. Курс вырос на 3,5%.")
    start = document.text.index("Курс")
    claim = insert_claim(document, start=start, end=len(document.text))
    assert claim.text == "Курс вырос на 3,5%."


# Every width of UTF-8 character: ASCII, Cyrillic, CJK and an astral emoji.
_MIXED = ("Курс 3,5%. Exports rose. 北京 говорит 🎄🎄 ok. " * 40) + "Ёж" * 300 + "🎄 end."


def _spans(text: str) -> list[tuple[int, int]]:
    # Adjacent claims, small and large gaps, one overlapping its neighbour, one at the end.
    return [(0, 9), (10, 24), (25, 28), (30, 200), (150, 260), (1400, 2100), (2101, len(text))]


def _bulk(document: Document, spans, texts=None) -> None:
    texts = texts or [document.text[start:end] for start, end in spans]
    claims = [
        Claim(document=document, position=i, start=start, end=end, text=text, kind="fact")
        for i, ((start, end), text) in enumerate(zip(spans, texts, strict=True))
    ]
    with transaction.atomic():
        Claim.objects.bulk_create(claims)


def test_claims_inserted_in_one_statement_are_each_checked_against_their_slice():
    document = DocumentFactory(text=_MIXED)
    _bulk(document, _spans(_MIXED))
    for claim in Claim.objects.filter(document=document):
        assert _MIXED[claim.start : claim.end] == claim.text


@pytest.mark.parametrize("wrong", range(7))
def test_one_claim_off_by_a_character_refuses_the_whole_statement(wrong):
    document = DocumentFactory(text=_MIXED)
    spans = _spans(_MIXED)
    texts = [_MIXED[start:end] for start, end in spans]
    start, end = spans[wrong]
    # The same length of text one character further on: differs from the slice.
    texts[wrong] = _MIXED[start + 1 : end + 1] if end < len(_MIXED) else "x" + texts[wrong][1:]
    assert texts[wrong] != _MIXED[start:end]
    with pytest.raises(IntegrityError):
        _bulk(document, spans, texts)
    assert not Claim.objects.filter(document=document).exists()


def test_a_claim_past_the_end_of_its_document_is_refused():
    document = DocumentFactory(text="Ёлка стоит.")
    with pytest.raises(IntegrityError):
        _bulk(document, [(0, 4), (20, 24)], ["Ёлка", "Ёлка"])


@pytest.mark.parametrize(
    ("fields", "constraint"),
    [
        ({"start": 3, "end": 3, "text": ""}, "start_before_end"),
        ({"start": 5, "end": 2, "text": ""}, "start_before_end"),
        ({"checkworthiness": 1.5}, "checkworthiness"),
        ({"kind": "gossip"}, "kind"),
        ({"status": "done"}, "status"),
    ],
)
def test_the_database_refuses_invalid_claims(fields, constraint):
    document = DocumentFactory(text="Exports rose 5% in 2023.")
    with pytest.raises(IntegrityError):
        insert_claim(document, **fields)


def test_positions_are_unique_within_a_document():
    document = DocumentFactory(text="One. Two.")
    insert_claim(document, position=0, start=0, end=4)
    with pytest.raises(IntegrityError):
        insert_claim(document, position=0, start=5, end=9)


def test_one_verdict_per_reviewer_per_claim(project):
    claim = ClaimFactory(document__project=project)
    reviewer = UserFactory()
    rating = project.rating_scale.ratings.get(value="false")
    Verdict.objects.create(claim=claim, reviewer=reviewer, rating=rating, rationale="Data says no.")
    with pytest.raises(IntegrityError), transaction.atomic():
        Verdict.objects.create(claim=claim, reviewer=reviewer, rating=rating, rationale="Again.")


def test_a_verdict_needs_a_rationale(project):
    claim = ClaimFactory(document__project=project)
    rating = project.rating_scale.ratings.get(value="true")
    with pytest.raises(IntegrityError), transaction.atomic():
        Verdict.objects.create(claim=claim, reviewer=UserFactory(), rating=rating, rationale="")


def test_a_documents_text_never_changes():
    document = DocumentFactory(text="Original words.")
    document.text = "Edited words."
    with pytest.raises(Exception, match="never changes"):
        document.save()
    document.refresh_from_db()
    assert document.text == "Original words."
