"""Claim reasons and entity types, stored as codes, shown as labels in the reader's language.

A reason is ``code`` or ``code:detail`` (``date:в начале декабря``, ``verb.past:signed``,
``first_person``); see ``annotations.extraction.learned``. Reasons stored before codes
were introduced ("named entity: Москва") are recognised by their old English label.
"""

from django import template
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

register = template.Library()

REASON_LABELS = {
    "entity": _("named entity"),
    "name": _("proper noun"),
    "date": _("date"),
    "quantity": _("quantity"),
    "digit": _("number"),
    "reference": _("reference"),
    "attribution": _("attribution"),
    "verb.past": _("past-tense verb"),
    "verb.present": _("present-tense verb"),
    "verb.future": _("future-tense verb"),
    "verb.none": _("no verb"),
    "marker.opinion": _("opinion marker"),
    "marker.hedge": _("hedging marker"),
    "marker.modal": _("modal or evaluative word"),
    "marker.prediction": _("prediction marker"),
    "marker.reporting": _("reporting phrase"),
    "word": pgettext_lazy("claim reason", "word"),
    "comparative": _("comparison"),
    "second_person": _("addresses the listener"),
    "negation": _("negation"),
    "universal": _("sweeping word (all, never)"),
    "first_person": _("first-person voice"),
    # A Russian sentence's place among word meanings (``extraction.meaning``), summed.
    "meaning": _("what its words mean"),
    "question": pgettext_lazy("claim reason", "question"),
    "incomplete": _("no closing punctuation"),
    "heading": _("heading"),
    "list_item": _("list item"),
    "list_intro": _("introduces a list"),
    "command": _("a command or request"),
    "procedural": _("procedural: runs the meeting"),
    "quoted_view": _("reported words with nothing to check"),
    "scheduled": _("item of a plan or a forecast"),
    "citation": _("a bibliographic reference"),
    "field": _("a label and its value"),
    "argued": _("a point someone argued"),
    "interrupted": _("an interrupted turn"),
    "fragment": _("no verb: heading or fragment"),
    "entity.PER": _("a person named"),
    "entity.LOC": _("a place named"),
    "entity.ORG": _("an organisation named"),
}
# The English labels reasons were stored with before they became codes.
_LEGACY_CODES = {
    "named entity": "entity",
    "proper noun": "name",
    "past-tense verb": "verb.past",
    "present-tense verb": "verb.present",
    "future-tense verb": "verb.future",
    "opinion marker": "marker.opinion",
    "hedging marker": "marker.hedge",
    "modal or evaluative word": "marker.modal",
    "prediction marker": "marker.prediction",
    "reporting phrase": "marker.reporting",
    "first-person voice": "first_person",
    "introduces a list": "list_intro",
    "a command or request": "command",
    "procedural: runs the meeting": "procedural",
    "reported words with nothing to check": "quoted_view",
    "item of a plan or a forecast": "scheduled",
    "a bibliographic reference": "citation",
    "a label and its value": "field",
    "a point someone argued": "argued",
    "an interrupted turn": "interrupted",
    "no verb: heading or fragment": "fragment",
}
ENTITY_TYPE_LABELS = {
    "PER": _("person"),
    "LOC": _("place"),
    "ORG": _("organisation"),
}


def _parts(reason: str) -> tuple[str, str]:
    if reason in REASON_LABELS or reason in _LEGACY_CODES:
        return _LEGACY_CODES.get(reason, reason), ""
    legacy, separator, detail = reason.partition(": ")
    if separator and legacy in _LEGACY_CODES:
        return _LEGACY_CODES[legacy], detail
    if legacy in REASON_LABELS:
        return legacy, detail
    code, _separator, detail = reason.partition(":")
    return code, detail


@register.filter
def reason_label(reason: object) -> str:
    """``date:в начале декабря`` → "date: в начале декабря" in the active language."""
    text = str(reason)
    code, detail = _parts(text)
    label = REASON_LABELS.get(code)
    if label is None:
        return text
    return f"{label}: {detail}" if detail else str(label)


@register.filter
def entity_type_label(code: object) -> str:
    """PER, LOC, ORG as "person", "place", "organisation" in the active language."""
    label = ENTITY_TYPE_LABELS.get(str(code))
    return str(label) if label is not None else str(code)
