"""Conditions the ORM spells in a way PostgreSQL cannot plan from an index."""

from __future__ import annotations

from django.db.models import BooleanField, Func, QuerySet, Subquery


class InSubquery(Func):
    """``column IN (SELECT ...)``, written ``column = ANY(ARRAY(SELECT ...))`` on PostgreSQL.

    PostgreSQL runs an ``IN (SELECT ...)`` under an OR as a hashed subplan tested on
    every row of the table; ``= ANY(ARRAY(...))`` is computed once and looked up in the
    column's index, and two of them under an OR become one BitmapOr. The topic filter
    (``?topic=middle``) then reads only the matching drafts' rows, not all of them.
    Other databases get the plain ``IN``.
    """

    output_field = BooleanField()

    def __init__(self, column, rows: QuerySet, **extra):
        super().__init__(column, Subquery(rows), **extra)

    def _sides(self, compiler, connection):
        column, subquery = self.get_source_expressions()
        column_sql, column_params = compiler.compile(column)
        subquery_sql, subquery_params = compiler.compile(subquery)
        return column_sql, subquery_sql, (*column_params, *subquery_params)

    def as_sql(self, compiler, connection, **extra_context):
        column, subquery, params = self._sides(compiler, connection)
        return f"{column} IN {subquery}", params

    def as_postgresql(self, compiler, connection, **extra_context):
        column, subquery, params = self._sides(compiler, connection)
        return f"{column} = ANY(ARRAY{subquery})", params
