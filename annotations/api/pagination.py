"""Cursor pages for the big lists, so that a client syncing an archive pays the same for
its 5,000th page as for its first.

A page is asked for by an opaque ``cursor`` (from the previous page's ``next``) and read
by a row-value comparison on the ordering's columns, which an index serves directly: no
offset, no count. The columns of each ordering end in a unique one, so rows inserted
while a client pages are neither skipped nor repeated (they come in their place, or not
at all when they sort before the cursor).
"""

from __future__ import annotations

import base64
import json
from datetime import datetime
from typing import Any

from django.db import connection
from django.db.models import BooleanField, QuerySet
from django.utils.dateparse import parse_datetime
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from ..rowsql import JoinedRowSQL, RowSQL


class KeysetPagination(BasePagination):
    """Forward cursor pages over one of ``orderings`` (chosen by ``?ordering=``).

    Each ordering is a tuple of column names, all ascending or all descending (a leading
    ``-``), the last one unique; the views give one index for each.
    """

    orderings: dict[str, tuple[str, ...]] = {"id": ("id",)}
    default_ordering = "id"
    # A first ordering column that is a foreign key to a table the list joins, by the
    # relation's name: the cursor bounds that table's key too, so that the database
    # reads the joined table from the cursor on rather than from its first row.
    seek_through: dict[str, str] = {}
    page_size = 100
    max_page_size = 1000

    def __init__(self) -> None:
        self.next_cursor: str | None = None
        self.request: Request | None = None

    def _ordering(self, request: Request) -> tuple[str, ...]:
        name = request.query_params.get("ordering") or self.default_ordering
        if name not in self.orderings:
            raise ValidationError(
                {"ordering": [f"Choose one of: {', '.join(sorted(self.orderings))}."]}
            )
        return self.orderings[name]

    def _page_size(self, request: Request) -> int:
        raw = request.query_params.get("page_size")
        if raw is None:
            return self.page_size
        if not raw.isdigit() or int(raw) < 1:
            raise ValidationError({"page_size": ["A whole number of at least 1."]})
        return min(int(raw), self.max_page_size)

    def _after(self, request: Request, columns: tuple[str, ...]) -> list[Any] | None:
        raw = request.query_params.get("cursor")
        if not raw:
            return None
        return [
            connection.ops.adapt_datetimefield_value(value)
            if isinstance(value, datetime)
            else value
            for value in self.decode(raw, len(columns))
        ]

    @staticmethod
    def decode(raw: str, length: int) -> list[Any]:
        """The values of a cursor made by ``_encode`` (moments as datetimes); a 400 for
        anything else."""
        problem = ValidationError({"cursor": ["Not a cursor of this list; start again."]})
        try:
            values = json.loads(base64.urlsafe_b64decode(raw.encode() + b"=" * (-len(raw) % 4)))
        except (ValueError, UnicodeDecodeError):
            raise problem from None
        if not isinstance(values, list) or len(values) != length:
            raise problem
        decoded = []
        for value in values:
            if isinstance(value, dict) and isinstance(value.get("t"), str):
                try:
                    moment = parse_datetime(value["t"])
                except ValueError:
                    moment = None
                if moment is None:
                    raise problem
                decoded.append(moment)
            elif isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 2**63:
                decoded.append(value)
            else:
                raise problem
        return decoded

    @staticmethod
    def _encode(values: list[Any]) -> str:
        plain = [{"t": v.isoformat()} if isinstance(v, datetime) else v for v in values]
        raw = json.dumps(plain, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    def paginate_queryset(
        self, queryset: QuerySet, request: Request, view: Any = None
    ) -> list[Any]:
        self.request = request
        ordering = self._ordering(request)
        columns = tuple(name.lstrip("-") for name in ordering)
        return self.page(
            queryset, ordering, size=self._page_size(request), after=self._after(request, columns)
        )

    def page(
        self,
        queryset: QuerySet,
        ordering: tuple[str, ...],
        *,
        size: int,
        after: list[Any] | None = None,
    ) -> list[Any]:
        """The ``size`` rows of ``queryset`` in ``ordering`` that follow the row whose
        ordering columns hold ``after`` (from the start without it); sets ``next_cursor``."""
        descending = ordering[0].startswith("-")
        columns = tuple(name.lstrip("-") for name in ordering)
        queryset = queryset.order_by(*ordering)
        if after is not None:
            row = ", ".join(f'{{table}}."{column}"' for column in columns)
            marks = ", ".join(["%s"] * len(columns))
            sign = "<" if descending else ">"
            queryset = queryset.filter(RowSQL(f"({row}) {sign} ({marks})", after, BooleanField()))
            relation = self.seek_through.get(columns[0])
            if relation is not None:
                bound = f'{{table}}."id" {sign}= %s'
                queryset = queryset.filter(
                    JoinedRowSQL(relation, bound, [after[0]], BooleanField())
                )
        rows = list(queryset[: size + 1])
        self.next_cursor = None
        if len(rows) > size:
            rows = rows[:size]
            last = rows[-1]
            self.next_cursor = self._encode(
                [last[c] if isinstance(last, dict) else getattr(last, c) for c in columns]
            )
        return rows

    def get_next_link(self) -> str | None:
        if self.next_cursor is None or self.request is None:
            return None
        return replace_query_param(self.request.build_absolute_uri(), "cursor", self.next_cursor)

    def get_paginated_response(self, data: Any) -> Response:
        return Response({"next": self.get_next_link(), "results": data})

    def get_paginated_response_schema(self, schema: dict) -> dict:
        return {
            "type": "object",
            "required": ["next", "results"],
            "properties": {
                "next": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "description": "The next page; null on the last one.",
                },
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view: Any) -> list[dict]:
        def parameter(name: str, schema: dict, description: str) -> dict:
            return {
                "name": name,
                "in": "query",
                "required": False,
                "description": description,
                "schema": schema,
            }

        return [
            parameter(
                "cursor",
                {"type": "string"},
                "Where the page starts: the `cursor` of the previous page's `next` link. "
                "Pages stay stable while rows are added.",
            ),
            parameter(
                "page_size",
                {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
                f"Rows per page (default {self.page_size}).",
            ),
            parameter(
                "ordering",
                {"type": "string", "enum": sorted(self.orderings)},
                f"Order of the rows (default `{self.default_ordering}`). `updated` lists "
                "the least recently changed first: with `updated_since` it fetches what "
                "changed since a previous sync.",
            ),
        ]
