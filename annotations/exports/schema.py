"""The JSON Schema of the native export, and checking a document against it."""

from __future__ import annotations

import json
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError as SchemaError
from jsonschema.exceptions import best_match

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schemas" / "native-export.schema.json"
# Long values (a whole document text) make unreadable messages; the path says where.
_MESSAGE_MAX_CHARS = 200


@cache
def native_schema() -> dict[str, Any]:
    """The schema as a dict (``annotations/schemas/native-export.schema.json``)."""
    with open(SCHEMA_PATH, encoding="utf-8") as handle:
        return json.load(handle)


_formats = FormatChecker(formats=["date"])


@_formats.checks("date-time", raises=ValueError)
def _is_moment(value: object) -> bool:
    # jsonschema checks date-time only with an extra package; Python's own parser does,
    # and a moment without a UTC offset is refused because it is ambiguous.
    if not isinstance(value, str):
        return True
    return datetime.fromisoformat(value).tzinfo is not None


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(native_schema(), format_checker=_formats)


def _document_order(error: SchemaError) -> tuple:
    # Earlier array items first, so that "the first error" is the first one in the file.
    return tuple((isinstance(part, str), part) for part in error.absolute_path)


def first_schema_error(data: Any) -> tuple[str, str] | None:
    """``(json_path, problem)`` of the first place ``data`` breaks the schema, or None.

    ``json_path`` looks like ``$.documents[0].claims[3].end``.
    """
    errors = list(_validator().iter_errors(data))
    if not errors:
        return None
    error = min(errors, key=_document_order)
    # Inside anyOf/oneOf, the most relevant of the alternatives' complaints.
    error = best_match([error])
    message = error.message
    if len(message) > _MESSAGE_MAX_CHARS:
        message = message[: _MESSAGE_MAX_CHARS - 1] + "…"
    return error.json_path, message


def is_valid_native(data: Any) -> bool:
    return _validator().is_valid(data)
