"""Small presentation helpers for the reviewer pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.core.exceptions import FieldDoesNotExist
from django.utils.formats import number_format
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from ..extraction.scoring import CHECKWORTHY
from ..models import Claim, Source, Verdict
from ..services.history import HistoryEntry

register = template.Library()

_HISTORY_MODELS = {"claim": Claim, "verdict": Verdict, "source": Source}
# One whole label per object and action: Russian inflects the verb for the object's
# gender, so "Verdict" + "changed" cannot be glued together.
_HISTORY_EVENTS = {
    ("claim", "created"): _("Claim created"),
    ("claim", "changed"): _("Claim changed"),
    ("claim", "deleted"): _("Claim moved to the trash"),
    ("claim", "restored"): _("Claim restored"),
    ("claim", "purged"): _("Claim removed for good"),
    ("verdict", "created"): _("Verdict given"),
    ("verdict", "changed"): _("Verdict changed"),
    ("verdict", "deleted"): _("Verdict moved to the trash"),
    ("verdict", "restored"): _("Verdict restored"),
    ("verdict", "purged"): _("Verdict removed for good"),
    ("source", "created"): _("Source added"),
    ("source", "changed"): _("Source changed"),
    ("source", "deleted"): _("Source moved to the trash"),
    ("source", "restored"): _("Source restored"),
    ("source", "purged"): _("Source removed for good"),
}


@register.filter
def document_text(text: str) -> SafeString:
    """Escape document text so that the page's text equals it character for character.

    HTML parsers turn a raw carriage return into a line feed, which would shift every
    offset after it; a character reference keeps it.
    """
    return mark_safe(str(conditional_escape(text)).replace("\r", "&#13;"))  # noqa: S308


@register.filter
def checkworthy(claim: Claim) -> bool:
    return claim.checkworthiness >= CHECKWORTHY


@register.filter
def percent(value: float | None) -> str:
    """A share as a whole percentage, set as the current language sets it: "40%" in
    English, "40 %" (a no-break space) in Russian."""
    if value is None:
        return "—"
    return pgettext("a percentage", "%(number)s%%") % {"number": f"{value * 100:.0f}"}


@register.filter
def decimal2(value: float | None) -> str:
    """Two decimals with the current language's separator: 0.85 in English, 0,85 in Russian."""
    return "—" if value is None else number_format(value, decimal_pos=2)


@register.filter
def history_event(entry: HistoryEntry) -> str:
    """What happened in a history entry, e.g. "Verdict changed", in the current language."""
    return str(_HISTORY_EVENTS.get((entry.model, entry.action), f"{entry.model} {entry.action}"))


@register.filter
def history_field(field: str, model: str) -> str:
    try:
        return _HISTORY_MODELS[model]._meta.get_field(field).verbose_name
    except (KeyError, FieldDoesNotExist):
        return field


@register.filter
def history_value(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value) or "—"
    return str(value)


@register.filter
def get_item(mapping: dict, key: Any) -> Any:
    return mapping.get(key)
