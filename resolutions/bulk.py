"""Set-based updates of many rows at once.

Django's ``bulk_update`` builds one CASE expression per field and row, which
costs seconds of Python for a few thousand drafts. On PostgreSQL this sends
``UPDATE ... FROM (VALUES ...)`` instead: one statement per batch, values
bound as parameters. Other databases (SQLite for local use) keep Django's way.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connections, router


def _postgresql(objs: Sequence):
    """The connection to write these rows with, when it is PostgreSQL's (else None)."""
    connection = connections[router.db_for_write(type(objs[0]))]
    return connection if connection.vendor == "postgresql" else None


def bulk_update(objs: Sequence, fields: Sequence[str], batch_size: int = 1000) -> None:
    if not objs:
        return
    connection = _postgresql(objs)
    if connection is None:
        type(objs[0]).objects.bulk_update(objs, fields, batch_size=batch_size)
        return
    update = _ValuesUpdate(type(objs[0]), fields, connection)
    with connection.cursor() as cursor:
        for start in range(0, len(objs), batch_size):
            batch = objs[start : start + batch_size]
            cursor.execute(update.sql(len(batch)), update.params(batch))


class _ValuesUpdate:
    """``UPDATE t SET … FROM (VALUES (…), …) AS v WHERE t.pk = v.pk``, values as parameters."""

    def __init__(self, model, fields: Sequence[str], connection):
        meta = model._meta
        self.connection = connection
        self.pk = meta.pk
        self.columns = [meta.get_field(name) for name in fields]
        quote = connection.ops.quote_name
        names = [self.pk.column] + [c.column for c in self.columns]
        casts = [self.pk.db_type(connection)] + [c.db_type(connection) for c in self.columns]
        self.row = "(" + ", ".join(f"%s::{cast}" for cast in casts) + ")"
        assignments = ", ".join(f"{quote(c.column)} = v.{quote(c.column)}" for c in self.columns)
        # Identifiers are quoted and every value is a parameter.
        self.head = f"UPDATE {quote(meta.db_table)} AS t SET {assignments} FROM (VALUES "  # noqa: S608
        self.tail = (
            f") AS v({', '.join(quote(n) for n in names)}) "
            f"WHERE t.{quote(self.pk.column)} = v.{quote(self.pk.column)}"
        )

    def sql(self, rows: int) -> str:
        return self.head + ", ".join([self.row] * rows) + self.tail

    def params(self, batch: Sequence) -> list:
        params = []
        for obj in batch:
            params.append(self.pk.get_db_prep_save(obj.pk, self.connection))
            params += [
                c.get_db_prep_save(getattr(obj, c.attname), self.connection) for c in self.columns
            ]
        return params


def bulk_insert(objs: Sequence, batch_size: int = 2000) -> None:
    """Insert rows whose ids are not needed afterwards; COPY on PostgreSQL."""
    if not objs:
        return
    connection = _postgresql(objs)
    if connection is None:
        type(objs[0]).objects.bulk_create(objs, batch_size=batch_size)
        return
    meta = type(objs[0])._meta
    columns = [f for f in meta.concrete_fields if not f.primary_key]
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(_copy(meta, columns, connection)) as copy,
    ):
        for obj in objs:
            copy.write_row(
                [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in columns]
            )


def _copy(meta, columns: list, connection) -> str:
    quote = connection.ops.quote_name
    return f"COPY {quote(meta.db_table)} ({', '.join(quote(f.column) for f in columns)}) FROM STDIN"
