"""Small presentation helpers for the reviewer pages."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from django import template
from django.core.exceptions import FieldDoesNotExist
from django.urls import reverse
from django.utils.formats import date_format, number_format
from django.utils.html import conditional_escape, escape, urlize
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import is_aware, localtime
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from ..extraction.scoring import CHECKWORTHY
from ..models import Claim, ClaimKind, Rating, Source, Verdict
from ..services.history import HistoryEntry
from .claim_reasons import entity_type_label, reason_label

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


# Why a change was made, as the services record it (a stable code), in words.
_HISTORY_REASONS = {
    "approve": _("approved"),
    "assign": _("assigned"),
    "delete": _("moved to the trash"),
    "delete verdict": _("a verdict moved to the trash"),
    "edit": _("edited"),
    "final verdict": _("final verdict chosen"),
    "publish": _("published"),
    "reopen": _("reopened"),
    "restore": _("restored"),
    "unassign": _("unassigned"),
    "unpublish": _("unpublished"),
    "verdict": _("a verdict was given"),
    "split": _("split"),
    "merge": _("merged"),
    "undo merge": _("merge undone"),
    "same claim": _("marked as the same claim"),
    "verdict carried over": _("verdict carried over"),
    "import": _("imported"),
    "Placed on the latest version by a reviewer": _("placed on the latest version by a reviewer"),
}

# A claim moved onto a new version (services.versions.REANCHORED_REASON).
_REANCHORED = re.compile(r"Re-anchored onto version (?P<number>\d+) of the document")

# How a quote was found on a page (the fetcher's stable codes), in words.
_MATCH_METHODS = {
    "exact": _("word for word"),
    "normalized": _("word for word, once spacing and quotation marks are set aside"),
    "fuzzy": _("nearly word for word"),
}


def _field(model: str, field: str):
    try:
        return _HISTORY_MODELS[model]._meta.get_field(field)
    except (KeyError, FieldDoesNotExist):
        return None


@register.filter
def history_field(field: str, model: str) -> str:
    found = _field(model, field)
    return str(found.verbose_name) if found is not None else field


# A reason that only repeats what the entry already says ("Verdict given (a verdict was
# given)") is left out.
_SAID_ALREADY = {("verdict", "verdict"), ("delete", "deleted"), ("restore", "restored")}


@register.filter
def history_reason(entry: HistoryEntry) -> str:
    """Why a change was made, in words; empty when the entry's own words say it."""
    if not entry.reason:
        return ""
    if (entry.reason, entry.model) in _SAID_ALREADY or (entry.reason, entry.action) in (
        _SAID_ALREADY
    ):
        return ""
    moved = _REANCHORED.fullmatch(entry.reason)
    if moved:
        return _("re-anchored onto version %(number)s of the document") % {
            "number": moved["number"]
        }
    return str(_HISTORY_REASONS.get(entry.reason, entry.reason))


def _one_value(value: Any, choices: dict, field: str = "") -> str:
    if isinstance(value, datetime):
        return date_format(localtime(value) if is_aware(value) else value, "DATETIME_FORMAT")
    if isinstance(value, date):
        return date_format(value, "DATE_FORMAT")
    if field == "reasons":
        return reason_label(value)
    if isinstance(value, dict) and field == "entities" and value.get("type"):
        return f"{value.get('text', '')} ({entity_type_label(value['type'])})"
    if isinstance(value, Rating):
        return value.display_label()
    if isinstance(value, Source):
        return value.title or value.url
    if isinstance(value, dict):
        # A recorded feature (an entity, a date, a quantity): its words, not its offsets.
        return str(value.get("text") or value.get("label") or value.get("value") or "—")
    if isinstance(value, str) and value in choices:
        return str(choices[value])
    if isinstance(value, float):
        return number_format(value)
    return str(value)


@register.filter
def history_value(value: Any, field: str = "") -> str:
    """A recorded value in words: a code (a status, a stance) as its translated label,
    a rating as its label, a feature as its text. ``field`` is "model.field"."""
    model, _dot, name = field.partition(".")
    found = _field(model, name) if name else None
    choices = dict(found.flatchoices) if found is not None and found.choices else {}
    if value is None or value == "":
        return "—"
    if isinstance(value, list | tuple):
        return ", ".join(_one_value(item, choices, name) for item in value) or "—"
    return _one_value(value, choices, name)


@register.filter
def share_of_100(score: float | None) -> float | None:
    """A score out of 100 as a share (92.5 → 0.925), for ``percent``."""
    return None if score is None else score / 100


@register.filter
def match_method(method: str) -> str:
    return str(_MATCH_METHODS.get(method, method))


@register.filter(needs_autoescape=True)
def links(text: str, autoescape: bool = True) -> SafeString:
    """A comment's text with its web addresses as links that open in a new tab."""
    html = urlize(text, nofollow=True, autoescape=autoescape)
    html = html.replace('rel="nofollow"', 'rel="nofollow noopener noreferrer" target="_blank"')
    return mark_safe(html.replace("\n", "<br>"))  # noqa: S308  (urlize escaped the text)


@register.filter
def paragraph_of(claim: Claim) -> int:
    """The paragraph (counted from 1) the claim starts in: each line with text is one, as
    for merging (claims of different lines are never merged)."""
    lines_before = claim.document.text[: claim.start].split("\n")[:-1]
    return sum(1 for line in lines_before if line.strip()) + 1


@register.simple_tag
def claims_in_text(
    segments: list, current: Claim | str | None = None, checked_before: set | str = ""
) -> SafeString:
    """The document's text with each claim as a link, built here rather than by the
    template engine: a long document has hundreds of claims, and this is the page's
    largest part (and what a split or merge sends again). The final rating shown is the
    one the reader may see (``visible_final_verdict``); ``checked_before`` holds the
    claims rated before in a similar claim."""
    panel_url = reverse("claim_panel", args=[0]).replace("/0/", "/{}/")
    kinds = {value: str(label) for value, label in ClaimKind.choices}
    checkworthy_word = str(_("check-worthy"))
    checked_word = str(_("checked before"))
    checked = checked_before if isinstance(checked_before, set | frozenset) else set()
    current_pk = getattr(current, "pk", None)  # no claim open: the template passes ""
    parts: list[str] = []
    for segment in segments:
        text = document_text(segment.text)
        claim = segment.claim
        if claim is None:
            parts.append(text)
            continue
        classes = ["claim", f"kind-{claim.kind}"]
        title = [kinds.get(claim.kind, claim.kind)]
        if claim.checkworthiness >= CHECKWORTHY:
            classes.append("checkworthy")
            title.append(checkworthy_word)
        final = getattr(claim, "visible_final_verdict", None)
        if final is not None:
            classes += ["rated", f"rating-{final.rating_id}"]
            title.append(final.rating.display_label())
        if claim.pk in checked:
            classes.append("checked-before")
            title.append(checked_word)
        if claim.pk == current_pk:
            classes.append("current")
        parts.append(
            f'<a id="claim-{claim.pk}" class="{" ".join(classes)}" '
            f'href="?claim={claim.pk}#claim-{claim.pk}" '
            f'data-panel="{panel_url.format(claim.pk)}" draggable="false" '
            f'data-claim="{claim.pk}" data-start="{claim.start}" data-end="{claim.end}" '
            f'title="{escape(" · ".join(title))}">{text}</a>'
        )
    return mark_safe("".join(parts))  # noqa: S308  (every text part is escaped above)
