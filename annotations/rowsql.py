"""SQL about the row of a query's own table, for what the ORM does not say."""

from __future__ import annotations

from django.db.models import Expression, Field


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
