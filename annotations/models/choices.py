"""Choice labels read from a table built once per field.

Django's ``get_<field>_display`` rebuilds a dict of the field's choices on every call,
hashing each label, and a lazy label is translated to be hashed: a status and a kind on
each row of a 100-claim queue cost about 3,000 translations a page. The choices of these
models are fixed at class creation, so the table can be kept.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.db import models
from django.utils.encoding import force_str


@cache
def _labels(field: models.Field) -> dict[Any, Any]:
    return dict(field.flatchoices)


class ChoiceLabels:
    """Mixed into a model before ``models.Model``: ``get_<field>_display`` reads the label
    from the field's kept table and translates only that one."""

    def _get_FIELD_display(self, field: models.Field) -> str:
        value = getattr(self, field.attname)
        try:
            label = _labels(field).get(value, value)
        except TypeError:  # an unhashable value (a list): Django's own way
            return super()._get_FIELD_display(field)  # type: ignore[misc]
        return force_str(label, strings_only=True)
