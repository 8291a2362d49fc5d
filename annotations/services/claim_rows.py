"""Writing a whole document's extracted claims, and their creation history, in bulk.

A megabyte document has some ten thousand claims. Building a model instance and a
historical instance per claim, and binding each value through the ORM, cost more than
cutting the text; here the rows go to the database as plain tuples (PostgreSQL: one COPY,
so the statement-level slice trigger sees them all at once) and the history rows are
copied from the stored claims by the database itself.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection
from django.db.models import Field, JSONField
from django.utils import timezone
from simple_history.utils import get_history_manager_for_model

from ..matching.ranking import number_terms
from ..models import Claim, Document

_SLICE_MESSAGE = "claim text must equal the document text between start and end"

# What each extracted claim sets; every other column takes the model's default.
_EXTRACTED = (
    "document",
    "position",
    "start",
    "end",
    "text",
    "kind",
    "extracted_kind",
    "checkworthiness",
    "reasons",
    "entities",
    "dates",
    "quantities",
    "attribution",
    "number_terms",
)


def _stored_fields() -> list[Field]:
    return [field for field in Claim._meta.concrete_fields if not field.primary_key]


def _constant_value(field: Field, now: Any) -> Any:
    # auto_now / auto_now_add are filled in pre_save, which a bulk write never calls.
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return field.get_db_prep_save(now, connection)
    return field.get_db_prep_save(field.get_default(), connection)


def _row_builder(document: Document, now: Any):
    """A function from (position, extracted item) to the row tuple, in column order."""
    constants: dict[str, Any] = {}
    parts: list[tuple[str, Any]] = []
    for field in _stored_fields():
        if field.name not in _EXTRACTED:
            constants[field.name] = _constant_value(field, now)
    for field in _stored_fields():
        name = field.name
        if name in constants:
            parts.append(("constant", constants[name]))
        elif isinstance(field, JSONField):
            parts.append(("json", (name, field.encoder)))
        else:
            parts.append(("value", name))

    def build(position: int, item: Any) -> tuple:
        values = {
            "document": document.pk,
            "position": position,
            "start": item.start,
            "end": item.end,
            "text": item.text,
            "kind": item.kind,
            "extracted_kind": item.kind,
            "checkworthiness": round(float(item.checkworthiness), 4),
            "reasons": list(item.reasons),
            "entities": list(item.entities),
            "dates": list(item.dates),
            "quantities": list(item.quantities),
            "attribution": (item.attribution or "")[:500],
            "number_terms": number_terms(item.text),
        }
        row = []
        for how, what in parts:
            if how == "constant":
                row.append(what)
            elif how == "json":
                name, encoder = what
                row.append(json.dumps(values[name], cls=encoder))
            else:
                row.append(values[what])
        return tuple(row)

    return build


def claims_insert_extracted(document: Document, extracted: Sequence[Any]) -> None:
    """Store the extracted claims of a document that has none, in position order."""
    if not extracted:
        return
    now = timezone.now()
    build = _row_builder(document, now)
    rows = (build(position, item) for position, item in enumerate(extracted))
    quote = connection.ops.quote_name
    table = quote(Claim._meta.db_table)
    columns = ", ".join(quote(field.column) for field in _stored_fields())
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _copy(cursor, f"COPY {table} ({columns}) FROM STDIN", rows)
        else:
            marks = ", ".join(["%s"] * len(_stored_fields()))
            # Only quoted names from the model go into the text; values are parameters.
            insert = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608
            if connection.vendor == "sqlite" and connection.in_atomic_block:
                _insert_checked_at_once(cursor, insert, rows, document)
            else:
                cursor.executemany(insert, rows)


# The row trigger that refuses a claim whose text is not its slice (migration 0002).
_SQLITE_ROW_CHECK = "annotations_claim_text_is_slice_insert"


def _insert_checked_at_once(cursor: Any, insert: str, rows: Iterable[tuple], document) -> None:
    """Insert on SQLite with one check of all the document's claims instead of one per row.

    SQLite has no statement-level triggers, and slicing a text by character position
    reads it from its start: checking each claim of a long document on its own costs
    time that grows with the square of its length (bench/history/storage.md). Inside
    the caller's transaction (SQLite lets one writer in at a time, and its schema changes
    are transactional) the row check is lifted, every stored claim of the document is
    compared with its slice of the stored text in one pass, and the check is put back. A
    mismatch raises ``IntegrityError``, which rolls all of it back, the check included.
    """
    cursor.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = %s", [_SQLITE_ROW_CHECK]
    )
    found = cursor.fetchone()
    if found is None:
        cursor.executemany(insert, rows)
        return
    cursor.execute(f"DROP TRIGGER {connection.ops.quote_name(_SQLITE_ROW_CHECK)}")
    cursor.executemany(insert, rows)
    cursor.execute(
        f"SELECT text FROM {connection.ops.quote_name(Document._meta.db_table)} "  # noqa: S608
        "WHERE id = %s",
        [document.pk],
    )
    text = cursor.fetchone()[0]
    cursor.execute(
        f'SELECT start, "end", text FROM {connection.ops.quote_name(Claim._meta.db_table)} '  # noqa: S608
        "WHERE document_id = %s",
        [document.pk],
    )
    for start, end, claim_text in cursor.fetchall():
        if start < end and text[start:end] != claim_text:
            raise IntegrityError(_SLICE_MESSAGE)
    cursor.execute(found[0])


def _copy(cursor: Any, statement: str, rows: Iterable[tuple]) -> None:
    # Django's cursor wrapper hands attribute access through to psycopg's cursor, but
    # turns psycopg's errors into Django's (IntegrityError, ...) only for execute().
    with connection.wrap_database_errors, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


def claims_record_creation_history(document: Document) -> None:
    """Write a "created" history row for each claim of the document, as simple-history's
    bulk_create_with_history does: same fields, the request's user, no change reason."""
    if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return
    history = get_history_manager_for_model(Claim).model
    user = history.get_default_history_user(Claim(document=document))
    quote = connection.ops.quote_name
    tracked = [field.column for field in history.tracked_fields]
    extra = {
        "history_date": history._meta.get_field("history_date").get_db_prep_save(
            timezone.now(), connection
        ),
        "history_change_reason": None,
        "history_type": "+",
        history._meta.get_field("history_user").column: getattr(user, "pk", None),
    }
    target = ", ".join(quote(column) for column in [*tracked, *extra])
    source = ", ".join([*(quote(column) for column in tracked), *["%s"] * len(extra)])
    # Ordered by position so that history ids follow the claims, as one-by-one would.
    statement = (
        f"INSERT INTO {quote(history._meta.db_table)} ({target}) "  # noqa: S608 (model names)
        f"SELECT {source} FROM {quote(Claim._meta.db_table)} "
        f"WHERE {quote('document_id')} = %s ORDER BY {quote('position')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, [*extra.values(), document.pk])
