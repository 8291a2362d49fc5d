"""What a CSV row of claims holds, whoever writes it: the columns, labels, the formula guard.

Column names and machine values (kind, status, rating) are stable English identifiers;
the ``*_label`` columns are in the project's language. A text cell that a spreadsheet
would take for a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return) gets a leading apostrophe, the usual guard against formula injection.
"""

from __future__ import annotations

from django.utils import translation

from ..models import ClaimKind, ClaimStatus

BOM = "\ufeff"
COLUMNS = (
    "document_id",
    "document_title",
    "claim_id",
    "start",
    "end",
    "text",
    "kind",
    "kind_label",
    "checkworthiness",
    "status",
    "status_label",
    "rating",
    "rating_label",
    "rating_numeric_value",
    "rationale",
    "source_urls",
    "assignee",
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def choice_labels(language: str) -> tuple[dict[str, str], dict[str, str]]:
    """The labels of the claims' kinds and statuses in ``language``, by value."""
    # Evaluated here, outside any yield, so the caller's active language is untouched.
    with translation.override(language):
        kinds = {value: str(label) for value, label in ClaimKind.choices}
        statuses = {value: str(label) for value, label in ClaimStatus.choices}
    return kinds, statuses


def guarded(value: str) -> str:
    """``value`` with an apostrophe before it when a spreadsheet would run it."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value
