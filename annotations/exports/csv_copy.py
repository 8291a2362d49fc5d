"""CSV rows written by PostgreSQL itself: ``COPY (SELECT ...) TO STDOUT WITH (FORMAT csv)``.

Reading the database's CSV costs a fraction of fetching the values and writing them with
the ``csv`` module, and the bytes are the same: see ``_copy_statement`` for how.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import CursorWrapper
from django.utils import translation

from ..models import Rating, Source
from . import rows
from .csv_cells import COLUMNS, FORMULA_STARTS, choice_labels
from .rows import Scope

# Rows of PostgreSQL's output per piece of text yielded: some hundred kilobytes.
COPY_ROWS = 500

# The claim columns the statement reads, by the names the SQL around them uses.
_READ = {
    "id": "pk",
    "document_id": "document_id",
    "position": "position",
    "title": "document__title",
    "start": "start",
    "end": "end",
    "text": "text",
    "kind": "kind",
    "checkworthiness": "checkworthiness",
    "status": "status",
    # The final verdict's id where it counts, and its rating's id as stored, of which
    # PostgreSQL has statistics (see ``_rating_sql``).
    "verdict_id": rows.final_verdict("id"),
    "rating_id": "final_verdict__rating_id",
    "rationale": rows.final_verdict("rationale"),
    "assignee": "assignee__username",
    "language": "document__project__language",
}


def copies_csv(connection: BaseDatabaseWrapper) -> bool:
    """Whether the database writes the rows: PostgreSQL through psycopg 3, when it writes
    a float as ``repr`` does, shortest exact (``extra_float_digits`` above 0, the
    default; the csv module writes what psycopg parsed from the text otherwise)."""
    if connection.vendor != "postgresql":
        return False
    from django.db.backends.postgresql.psycopg_any import is_psycopg3

    if not is_psycopg3:
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('extra_float_digits')::int > 0")
        return cursor.fetchone()[0]


def copied_rows(scope: Scope, *, language: str | None) -> Iterator[str]:
    """The rows as PostgreSQL writes them, streamed ``COPY_ROWS`` at a time: reading its
    CSV costs a fraction of fetching the values and writing them in Python.

    The connection is busy with the statement until every row is read or the stream is
    closed. Closed early, the statement is cancelled, unless a transaction is open,
    which a cancelled statement would abort: then the rest is read and dropped.
    """
    connection = connections[scope.claims.db]
    try:
        statement = _copy_statement(scope, language=language, connection=connection)
    except EmptyResultSet:
        return  # A scope Django knows to be empty, such as ``none()``: no statement.
    with connection.wrap_database_errors, connection.cursor() as cursor, _without_jit(cursor):
        encoding = cursor.connection.info.encoding
        with cursor.copy(statement) as copy:
            batch: list[memoryview] = []
            try:
                for row in copy:
                    batch.append(row)
                    if len(batch) == COPY_ROWS:
                        yield _crlf(batch).decode(encoding)
                        batch = []
                if batch:
                    yield _crlf(batch).decode(encoding)
            except GeneratorExit:
                if not connection.get_autocommit():
                    for _row in copy:
                        pass
                raise


@contextmanager
def _without_jit(cursor: CursorWrapper) -> Iterator[None]:
    """JIT compilation off for the block, as it was after it.

    Compiling the statement cost more than it saved: 50 ms more for 10,000 claims, and
    420 ms more once the plan costs enough for PostgreSQL to optimize the code too
    (``jit_optimize_above_cost``, some 50,000 claims).
    """
    cursor.execute("SELECT current_setting('jit')")
    (jit,) = cursor.fetchone()
    cursor.execute("SELECT set_config('jit', 'off', false)")
    try:
        yield
    finally:
        # In a failed transaction the setting goes back with the rollback.
        if cursor.connection.info.transaction_status.name != "INERROR":
            cursor.execute("SELECT set_config('jit', %s, false)", [jit])


def _crlf(copied: list[memoryview]) -> bytes:
    """Rows as PostgreSQL ends them, with a line feed, ended with CR LF as the ``csv``
    module ends them; a line break within a quoted cell stays as it is."""
    data = b"".join(copied)
    if data.count(b"\n") == len(copied):
        return data.replace(b"\n", b"\r\n")
    return b"\r\n".join(row[:-1] for row in copied) + b"\r\n"


def _copy_statement(scope: Scope, *, language: str | None, connection: BaseDatabaseWrapper) -> str:
    """``COPY`` of the rows the ``csv`` module would write, byte for byte.

    PostgreSQL quotes a cell where the ``csv`` module does (one holding a comma, a
    quote or a line break) and as it does, except that it quotes an empty string to tell
    it from null: every text cell is null where it would be empty. Integers read the
    same; a float is shortest exact text in both, ``repr`` adding ``.0`` to a whole
    number. Labels come from the same translations, as JSON the statement looks up.

    The claims are sorted first; their cells are made as the rows stream out, a
    rating's once per rating and language (see ``_rating_sql``).
    """
    sql = _Sql(connection)
    codes = {language} if language else {row["language"] for row in scope.projects.values()}
    read = dict(_READ)
    if len(codes) == 1:
        # One language for every row: constant labels, no project to read per claim.
        del read["language"]
    claims = scope.claims.order_by("document_id", "position", "pk").values_list(*read.values())
    claim = {name: f"claim.{sql.quote(name)}" for name in read}
    code = sql.literal(*codes) if len(codes) == 1 else claim["language"]
    kinds, statuses = {}, {}
    for each in codes:
        kinds[each], statuses[each] = choice_labels(each)
    number = claim["checkworthiness"]
    cells = {
        "document_id": claim["document_id"],
        "document_title": sql.cell(claim["title"]),
        "claim_id": claim["id"],
        "start": claim["start"],
        "end": claim["end"],
        "text": sql.cell(claim["text"]),
        "kind": sql.text(claim["kind"]),
        "kind_label": sql.label(kinds, code, claim["kind"]),
        "checkworthiness": (
            f"CASE WHEN {number} = trunc({number}) THEN {number}::text || '.0' "
            f"ELSE {number}::text END"
        ),
        "status": sql.text(claim["status"]),
        "status_label": sql.label(statuses, code, claim["status"]),
        **{
            name: f"CASE WHEN {claim['verdict_id']} IS NOT NULL THEN rating.{name} END"
            for name in ("rating", "rating_label", "rating_numeric_value")
        },
        "rationale": sql.cell(claim["rationale"]),
        "source_urls": _source_urls_sql(sql, claim["id"]),
        "assignee": sql.cell(claim["assignee"]),
    }
    claims_sql = connection.ops.compose_sql(*claims.query.sql_with_params())
    names = ", ".join(sql.quote(name) for name in read)
    rating = _rating_sql(sql, codes=codes, code=code, rating_id=claim["rating_id"])
    order = ", ".join(claim[name] for name in ("document_id", "position", "id"))
    return (
        # Only quoted names from the models and quoted literals go into the text.
        f"COPY (SELECT {', '.join(cells[name] for name in COLUMNS)} "  # noqa: S608
        f"FROM ({claims_sql}) AS claim ({names}) LEFT JOIN LATERAL ({rating}) AS rating ON true "
        f"ORDER BY {order}) TO STDOUT WITH (FORMAT csv)"
    )


class _Sql:
    """Pieces of SQL for one connection: quoted names and literals, and cells."""

    def __init__(self, connection: BaseDatabaseWrapper) -> None:
        self.connection = connection
        self.quote = connection.ops.quote_name
        self._starts = ", ".join(self.literal(start) for start in FORMULA_STARTS)

    def literal(self, value: Any) -> str:
        return self.connection.ops.compose_sql("%s", [value])

    def text(self, sql: str) -> str:
        """A text cell: null where it would be empty (which ``COPY`` writes as ``""``)."""
        return f"NULLIF({sql}, '')"

    def cell(self, sql: str) -> str:
        """A text cell guarded as ``_cell`` guards it, with an apostrophe before what a
        spreadsheet would take for a formula."""
        return (
            f"CASE WHEN left({sql}, 1) IN ({self._starts}) THEN '''' || {sql} "
            f"ELSE {self.text(sql)} END"
        )

    def label(self, labels: dict[str, dict[str, str]], code: str, value: str) -> str:
        """The label of ``value`` in the language ``code``, or the value itself, as
        ``labels.get(value, value)``."""
        found = f"{self.literal(json.dumps(labels))}::jsonb -> {code} ->> {value}"
        return self.text(f"COALESCE({found}, {value})")


def _rating_sql(sql: _Sql, *, codes: set[str], code: str, rating_id: str) -> str:
    """The cells of a rating: value, label in the language ``code`` and numeric value,
    as ``_Labels.rating`` makes them.

    A subquery of the rating's id and the language, kept apart from the claims' query
    (``OFFSET 0``), so that PostgreSQL computes it once per rating and language and
    remembers it (``Memoize``) rather than once per claim: the label alone, read from
    the rating's translations, cost as much as the rest of the row. It does so when it
    expects few distinct ids, which it knows of a column as stored, not of a ``CASE``.
    """
    quote = sql.quote
    meta = Rating._meta

    def column(name: str) -> str:
        return f"rating.{quote(meta.get_field(name).column)}"

    keys = {each: _translation_key(each) for each in codes}
    path = f"ARRAY[{sql.literal(json.dumps(keys))}::jsonb ->> {code}, 'label']"
    translations = column("translations")
    # As ``Rating.display_label``: the translation when it is a non-empty string.
    label = (
        f"COALESCE(CASE WHEN jsonb_typeof({translations} #> {path}) = 'string' "
        f"THEN {sql.text(f'{translations} #>> {path}')} END, {column('label')})"
    )
    return (
        f"SELECT {sql.text(column('value'))} AS rating, {sql.cell(label)} AS rating_label, "  # noqa: S608
        f"{column('numeric_value')} AS rating_numeric_value FROM {quote(meta.db_table)} AS rating "
        f"WHERE {column('id')} = {rating_id} OFFSET 0"
    )


def _source_urls_sql(sql: _Sql, claim_id: str) -> str:
    """The URLs of the claim's sources not in the trash, in the order a claim shows
    them, joined with a space, as ``_source_urls`` joins them.

    Most claims have one source or none, which need no sorting; PostgreSQL 15 sorts the
    input of an ordered aggregate all the same, a quarter of the statement's time. So
    the sources of a claim with more than one are read again, in their order.
    """
    quote = sql.quote
    meta = Source._meta

    def column(name: str) -> str:
        return f"source.{quote(meta.get_field(name).column)}"

    url = column("url")
    # Only quoted names from the model go into the text.
    live = (
        f"FROM {quote(meta.db_table)} AS source "
        f"WHERE {column('claim')} = {claim_id} AND {column('deleted_at')} IS NULL"
    )
    in_order = sql.text(f"string_agg({url}, ' ' ORDER BY {column('created_at')}, {column('id')})")
    return (
        f"(SELECT CASE WHEN count(*) > 1 THEN (SELECT {in_order} {live}) "
        f"ELSE {sql.text(f'min({url})')} END {live})"
    )


def _translation_key(language: str) -> str:
    # The key ``Rating.display_label(language)`` looks its translation up by.
    return (language or translation.get_language() or "en")[:2]
