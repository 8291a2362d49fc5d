"""JSON text for the exports.

orjson writes the same JSON as the standard library (UTF-8 text, no ASCII escapes,
dates and times as ISO 8601), without spaces after separators, several times faster:
encoding was the largest single cost of exporting tens of thousands of claims.
"""

from __future__ import annotations

from typing import Any

import orjson

# JSON text to put into a value as it is: what many items share is encoded once.
Fragment = orjson.Fragment


def dumps(value: Any) -> str:
    """``value`` as compact JSON text; ``datetime`` and ``date`` as ISO 8601."""
    return orjson.dumps(value).decode()


def fragment(value: Any) -> Fragment:
    """``value`` encoded once, to be written as it is inside other values. As text:
    orjson's bytes keep the buffer they were written in (4 KiB at the least), which for
    the thousands of small fragments of a chunk was most of an export's memory."""
    return Fragment(orjson.dumps(value).decode())


def encode(value: Any) -> bytes:
    """``value`` as compact JSON, UTF-8 encoded (see ``dumps``)."""
    return orjson.dumps(value)


def loads(text: str | bytes) -> Any:
    return orjson.loads(text)
