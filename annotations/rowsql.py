"""SQL about the row of a query's own table, for what the ORM does not say."""

from __future__ import annotations

from django.db.models import Expression, F, Field


class RowSQL(Expression):
    """SQL with ``{table}`` standing for the query's own table, aliased as Django aliases
    it (in a subquery too): columns the ORM does not map, row-value comparisons."""

    def __init__(self, template: str, params: list, output_field: Field) -> None:
        super().__init__(output_field=output_field)
        self.template = template
        self.params = params

    def as_sql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        return self.template.format(table=table), list(self.params)


class JoinedRowSQL(Expression):
    """SQL about the row of a table the query joins through ``relation`` (a chain of
    forward foreign keys), with ``{table}`` standing for that table's alias.

    The ORM compares a foreign key's own column when asked about the related row's
    primary key; a condition on the joined table itself lets the database start its
    scan of that table where the condition says (a cursor deep in a list), which it
    does not infer from a condition on the key column."""

    def __init__(self, relation: str, template: str, params: list, output_field: Field) -> None:
        super().__init__(output_field=output_field)
        self.relation = relation
        self.template = template
        self.params = params
        self.alias: str | None = None

    def resolve_expression(
        self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False
    ):
        resolved = self.copy()
        # A column of the related table other than its key, so that the join is kept
        # (or an existing one reused) and its alias known.
        model = query.model
        for name in self.relation.split("__"):
            model = model._meta.get_field(name).related_model
        other = next(f for f in model._meta.concrete_fields if not f.primary_key)
        column = F(f"{self.relation}__{other.name}").resolve_expression(
            query, allow_joins, reuse, summarize
        )
        resolved.alias = column.alias
        return resolved

    def as_sql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(self.alias)
        return self.template.format(table=table), list(self.params)
