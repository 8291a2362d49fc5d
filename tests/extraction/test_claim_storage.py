"""Storing a document's extracted claims in bulk: every claim checked, all or nothing."""

import dataclasses

import pytest
from django.db import IntegrityError, connection, transaction

from annotations.extraction import extract_claims
from annotations.models import Claim
from annotations.services.claim_rows import claims_insert_extracted, claims_record_creation_history
from tests.factories import DocumentFactory

pytestmark = pytest.mark.django_db

TEXT = (
    "Курс вырос на 3,5% в 2023 г. 🎄 Экспорт сократился. "
    "Exports rose 5% in 2023. 北京 спорит с Москвой.\n"
) * 60


def _insert(document, extracted) -> None:
    with transaction.atomic():
        claims_insert_extracted(document, extracted)
        claims_record_creation_history(document)


def _slice_checks() -> set[str]:
    # The database's own guard against claims that are not their slice.
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        else:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        return {name for (name,) in cursor.fetchall() if "slice" in name}


def test_every_extracted_claim_is_stored_as_its_slice_with_a_history_row():
    document = DocumentFactory(text=TEXT)
    extracted = extract_claims(TEXT, entities=False)
    _insert(document, extracted)
    stored = list(Claim.objects.filter(document=document).order_by("position"))
    assert [(c.start, c.end, c.text) for c in stored] == [
        (e.start, e.end, e.text) for e in extracted
    ]
    assert all(TEXT[c.start : c.end] == c.text for c in stored)
    assert Claim.history.filter(document_id=document.pk, history_type="+").count() == len(stored)


@pytest.mark.parametrize("which", [0, 57, -1])
def test_one_wrong_claim_stores_nothing_and_keeps_the_guard(which):
    guards = _slice_checks()
    assert guards
    document = DocumentFactory(text=TEXT)
    extracted = extract_claims(TEXT, entities=False)
    wrong = extracted[which]
    extracted[which] = dataclasses.replace(wrong, text="X" + wrong.text[1:])
    with pytest.raises(IntegrityError):
        _insert(document, extracted)
    assert not Claim.objects.filter(document=document).exists()
    assert not Claim.history.filter(document_id=document.pk).exists()
    assert _slice_checks() == guards
    # The guard still refuses a claim written one by one.
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.create(document=document, position=0, start=0, end=4, text="Kypc")
