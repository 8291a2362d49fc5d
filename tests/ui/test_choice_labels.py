"""``get_<field>_display`` from a kept table says what Django's own way says, per language."""

from __future__ import annotations

import pytest
from django.db import models
from django.utils import translation

from annotations.models import Claim, Document, Membership, Project, Source

MODELS = [Claim, Document, Membership, Project, Source]


def _choice_fields():
    for model in MODELS:
        for field in model._meta.concrete_fields:
            if field.choices:
                yield model, field


@pytest.mark.parametrize("language", ["ru", "en"])
def test_every_label_is_the_one_django_gives_in_the_readers_language(language):
    fields = list(_choice_fields())
    assert len(fields) >= 8
    with translation.override(language):
        for model, field in fields:
            for value, _label in field.flatchoices:
                row = model(**{field.attname: value})
                ours = getattr(row, f"get_{field.name}_display")()
                assert ours == models.Model._get_FIELD_display(row, field), (model, field, value)
                assert isinstance(ours, str)


def test_labels_are_translated_and_an_unknown_value_is_shown_as_it_is():
    claim = Claim(status="approved", kind="fact")
    with translation.override("ru"):
        assert claim.get_status_display() == "Утверждено"
        assert claim.get_kind_display() == "Факт"
    with translation.override("en"):
        assert claim.get_status_display() == "Approved"
    assert Claim(status="no-such-status").get_status_display() == "no-such-status"
